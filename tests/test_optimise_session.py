"""Re-solving after an edit (optimise/session.py): the loaded programme is reused when
only numbers change, and the answer equals a fresh solve of the edited model."""

from __future__ import annotations

from dataclasses import replace

import pytest

from capacity_planner.domain.edits import set_cell
from capacity_planner.domain.entities import (
    DemandRow,
    EstablishmentRow,
    Role,
    ScenarioRow,
    Skill,
    Stream,
    Unit,
)
from capacity_planner.domain.model import PlanningModel
from capacity_planner.io.samples import south_east_model
from capacity_planner.optimise import Result, Status, solve_scenario
from capacity_planner.optimise.session import SolveSession


def two_streams() -> PlanningModel:
    """One unit, 5 DC of 1,000 h each; HIGH (weight 3) and LOW (weight 1) want 4,000 h
    each; overtime up to 10 % at 1.5 x (50,000 / 1,000 = £50 an hour, £75 overtime)."""
    return PlanningModel(
        units=(Unit("U"),),
        roles=(Role("DC", 50_000, 1_000, overtime_cap_pct=10),),
        establishment=(EstablishmentRow("U", "DC", 6, 5),),
        streams=(Stream("HIGH", weight=3), Stream("LOW")),
        skills=(Skill("DC", "HIGH"), Skill("DC", "LOW")),
        demand=(DemandRow("U", "HIGH", "Y1", 4_000), DemandRow("U", "LOW", "Y1", 4_000)),
        scenarios=(ScenarioRow("Busy", "demand_change_pct", 10),))


def unmet(result: Result, stream: str) -> float:
    return float(result.coverage.set_index("stream").unmet_hours[stream])


def same_answer(a: Result, b: Result) -> None:
    """The optimum of each stage (weighted unmet, then cost) and every total that follows
    from it."""
    assert a.status is b.status is Status.OPTIMAL
    assert a.totals.weighted_unmet == pytest.approx(b.totals.weighted_unmet, rel=1e-7, abs=1e-5)
    assert a.totals.cost_gbp == pytest.approx(b.totals.cost_gbp, rel=1e-7, abs=1e-4)
    assert a.totals.demand_hours == pytest.approx(b.totals.demand_hours, rel=1e-12)


def test_edits_of_hours_and_strength_by_hand() -> None:
    """Start: 5,000 h + 500 h overtime = 5,500 h for 8,000 h of demand. HIGH is met in
    full (4,000), LOW gets 1,500: weighted unmet 2,500 and overtime 500 h x £75 =
    £37,500 (the second stage cannot cut it without losing coverage).
    Edit 1, LOW demand 1,000: 5,000 h meet all 5,000 h of demand, no overtime, £0.
    Edit 2, in post 3: 3,000 + 300 overtime = 3,300 h: HIGH 3,300 short of 4,000 by 700
    (weighted 2,100), LOW all 1,000 unmet: 3,100 weighted; overtime £22,500.
    Each re-solve reuses the loaded programme and equals a fresh solve."""
    model = two_streams()
    session = SolveSession(model)
    first = session.solve()
    assert not session.last_was_incremental
    assert (unmet(first, "HIGH"), unmet(first, "LOW")) == pytest.approx((0, 2_500))
    assert first.totals.cost_gbp == pytest.approx(37_500)

    model = set_cell(model, "demand", 1, "hours", 1_000).do(model)
    second = session.resolve(model)
    assert session.last_was_incremental
    assert (unmet(second, "HIGH"), unmet(second, "LOW")) == pytest.approx((0, 0))
    assert second.totals.cost_gbp == pytest.approx(0, abs=1e-6)
    same_answer(second, solve_scenario(model))

    model = set_cell(model, "establishment", 0, "in_post_fte", 3).do(model)
    third = session.resolve(model)
    assert session.last_was_incremental
    assert (unmet(third, "HIGH"), unmet(third, "LOW")) == pytest.approx((700, 1_000))
    assert third.totals.weighted_unmet == pytest.approx(3_100)
    assert third.totals.cost_gbp == pytest.approx(22_500)
    same_answer(third, solve_scenario(model))
    assert third.coverage.equals(solve_scenario(model).coverage)


def test_structural_edit_solves_afresh() -> None:
    """LOW demand to 0 removes its unmet-demand column and rows: the session notices the
    structure changed and solves afresh (HIGH alone: 4,000 of 5,500 h, nothing unmet);
    the next numeric edit is incremental again."""
    model = two_streams()
    session = SolveSession(model)
    session.solve()
    model = set_cell(model, "demand", 1, "hours", 0).do(model)
    result = session.resolve(model)
    assert not session.last_was_incremental
    assert result.totals.weighted_unmet == 0 and result.totals.demand_hours == 4_000
    model = set_cell(model, "demand", 0, "hours", 6_000).do(model)
    result = session.resolve(model)
    assert session.last_was_incremental
    assert unmet(result, "HIGH") == pytest.approx(500)  # 5,500 h for 6,000
    same_answer(result, solve_scenario(model))


def test_scenario_and_cancel() -> None:
    """A session holds a scenario (demand +10 %: HIGH and LOW 4,400, 5,500 h available:
    LOW 3,300 short); a cancelled re-solve says so and the session still answers the
    next edit correctly."""
    model = two_streams()
    session = SolveSession(model, "Busy")
    assert unmet(session.solve(), "LOW") == pytest.approx(3_300)
    session.should_cancel = lambda: True
    assert session.resolve(model).status is Status.CANCELLED
    session.should_cancel = None
    model = set_cell(model, "establishment", 0, "in_post_fte", 6).do(model)
    result = session.resolve(model)
    assert unmet(result, "LOW") == pytest.approx(8_800 - 6_600)  # 6,000 h + 600 overtime
    same_answer(result, solve_scenario(model, "Busy"))


@pytest.mark.parametrize("scenario", ["Baseline", "Fill detective vacancies",
                                      "Analyst and FI bid"])
def test_sample_edits_equal_fresh_solves(scenario: str) -> None:
    """The South East sample: demand hours and strength edits, one after another, each
    re-solved incrementally (no structure changes) to the optimum of a fresh solve."""
    model = south_east_model()
    session = SolveSession(model, scenario)
    same_answer(session.solve(), solve_scenario(model, scenario))
    live = [i for i, d in enumerate(model.demand) if d.hours > 0]
    for k, (table, index, field, factor) in enumerate([
            ("demand", live[3], "hours", 1.3), ("establishment", 5, "in_post_fte", 0.5),
            ("demand", live[40], "hours", 0.6), ("establishment", 17, "in_post_fte", 1.5),
            ("roles", 2, "hours_per_fte", 0.9)]):
        record = getattr(model, table)[index]
        model = model.with_table(table, tuple(
            replace(record, **{field: getattr(record, field) * factor}) if i == index else r
            for i, r in enumerate(getattr(model, table))))
        result = session.resolve(model)
        assert session.last_was_incremental, k
        same_answer(result, solve_scenario(model, scenario))
