"""Calibration against actuals, on tiny models whose answers are worked out by hand, and
on the South East sample. Every solve is a real HiGHS solve."""

from __future__ import annotations

from dataclasses import replace

import pytest

from capacity_planner.analysis.calibrate import Calibration, CalibrationLine, calibrate
from capacity_planner.analysis.calibrate_search import Adjustment, Change, find_root
from capacity_planner.domain.actuals import ActualRow, check_actuals
from capacity_planner.domain.entities import (
    DemandRow,
    EstablishmentRow,
    Period,
    Role,
    SharingRule,
    Skill,
    Stream,
    Unit,
)
from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.problems import Location
from capacity_planner.io.samples import south_east_model
from capacity_planner.optimise import solve_scenario


def tiny(abstraction: float = 20.0, hours: float = 1_500.0,
         demand: float = 15_000.0) -> PlanningModel:
    """One unit, one role (10 in post, no trainees, no attrition), one stream, one
    12-month period: available = 10 * hours * (1 - abstraction)."""
    return PlanningModel(
        units=(Unit("TV", "Thames Valley"),),
        roles=(Role("NHOOD", 55_000, hours, "Neighbourhood officer"),),
        establishment=(EstablishmentRow("TV", "NHOOD", 10, 10, abstraction_pct=abstraction),),
        streams=(Stream("RESP", "Response support"),),
        demand=(DemandRow("TV", "RESP", "2025/26", demand),),
        skills=(Skill("NHOOD", "RESP"),),
        periods=(Period("2025/26", 12),))


def produced_by(model: PlanningModel) -> list[ActualRow]:
    """Actuals that are exactly what the model delivers in its Baseline."""
    result = solve_scenario(model)
    assert result.solved
    return [ActualRow(r.unit, r.stream, r.period, r.delivered_hours)
            for r in result.coverage.itertuples()]


def test_actuals_produced_by_the_model_give_zero_error() -> None:
    """Abstraction 20 %: 10 * 1,500 * 0.8 = 12,000 hours delivered of 15,000 demanded.
    Calibrating against those 12,000 hours: error 0, nothing to suggest."""
    model = tiny()
    actuals = produced_by(model)
    assert [a.delivered_hours for a in actuals] == [pytest.approx(12_000)]
    found = calibrate(model, actuals)
    assert found.ok and found.problems == []
    (line,) = found.lines
    assert line.error_hours == pytest.approx(0, abs=1e-6)
    assert line.error_pct == pytest.approx(0, abs=1e-6)
    assert line.within_tolerance and line.adjustment is None and line.suggestion == ""
    assert "matches recorded delivery" in line.explanation
    assert found.adjustments == []


def test_south_east_sample_against_its_own_delivery_has_zero_error() -> None:
    """The sample's Baseline delivery for every unit, stream and quarter, fed back as
    actuals: every one of the 38 unit and stream lines matches to the hour."""
    model = south_east_model()
    found = calibrate(model, produced_by(model), tolerance_pct=0.0)
    assert found.ok, found.problems
    assert len(found.lines) == 38
    assert max(abs(x.error_hours) for x in found.lines) == pytest.approx(0, abs=1e-4)
    assert all(x.within_tolerance for x in found.lines)


def test_abstraction_changed_by_a_known_amount_is_recovered() -> None:
    """Truth: abstraction 30 %, so 10 * 1,500 * 0.7 = 10,500 hours were delivered. The
    model says 20 %: it delivers 12,000, 1,500 hours (14.3 %) more than recorded. Delivery
    is 15,000 * (1 - a) below demand, so 10,500 needs a = 30 %: the suggestion. False
    position is exact on a straight line: 1 solve at 95 %, 1 at the root."""
    model = tiny(abstraction=20)
    found = calibrate(model, produced_by(tiny(abstraction=30)))
    (line,) = found.lines
    assert line.modelled_hours == pytest.approx(12_000)
    assert line.actual_hours == pytest.approx(10_500)
    assert line.error_hours == pytest.approx(1_500)
    assert line.error_pct == pytest.approx(100 * 1_500 / 10_500)
    assert not line.within_tolerance
    assert line.explanation == (
        "Thames Valley response support: model delivers 14 % more than recorded; "
        "abstraction of neighbourhood officers may be under-stated, or their productive "
        "hours over-stated")
    adj = line.adjustment
    assert adj is not None and adj.parameter == "abstraction_pct" and adj.matched
    (change,) = adj.changes
    assert (change.unit_id, change.role_id, change.old) == ("TV", "NHOOD", 20)
    assert change.new == pytest.approx(30, abs=0.01)
    assert adj.solves <= 3
    assert "from 20.0 % to 30.0 %" in line.suggestion

    adjusted, notes = found.adjusted_model(model)
    assert adjusted.establishment[0].abstraction_pct == pytest.approx(30)
    assert model.establishment[0].abstraction_pct == 20  # nothing changed in place
    again = calibrate(adjusted, produced_by(tiny(abstraction=30)), tolerance_pct=0.0)
    assert again.lines[0].error_hours == pytest.approx(0, abs=0.5)
    assert any("changed 1 inputs" in p.message for p in notes)


def test_under_delivery_lowers_abstraction() -> None:
    """Recorded 13,500 with the model at 20 % (12,000): 15,000 * (1 - a) = 13,500 gives
    a = 10 %."""
    found = calibrate(tiny(abstraction=20), [ActualRow("TV", "RESP", "2025/26", 13_500)])
    (line,) = found.lines
    assert "11 % less than recorded" in line.explanation
    assert "over-stated" in line.explanation
    assert line.adjustment is not None
    assert line.adjustment.changes[0].new == pytest.approx(10, abs=0.01)


def test_productive_hours_when_abstraction_cannot_go_lower() -> None:
    """Abstraction is already 0 and hours are 1,200: 10 * 1,200 = 12,000 delivered. The
    record says 13,500, which abstraction cannot give (it cannot go below 0), so the
    productive hours must be 13,500 / 10 = 1,350 per FTE."""
    found = calibrate(tiny(abstraction=0, hours=1_200),
                      [ActualRow("TV", "RESP", "2025/26", 13_500)])
    adj = found.lines[0].adjustment
    assert adj is not None and adj.parameter == "hours_per_fte" and adj.matched
    (change,) = adj.changes
    assert (change.unit_id, change.role_id, change.old) == ("", "NHOOD", 1_200)
    assert change.new == pytest.approx(1_350, abs=0.1)
    assert "productive hours of neighbourhood officers (every unit) from 1,200 to 1,350" in (
        found.lines[0].suggestion)
    adjusted, _notes = found.adjusted_model(tiny(abstraction=0, hours=1_200))
    assert adjusted.roles[0].hours_per_fte == pytest.approx(1_350)


def test_recorded_above_demand_points_at_demand_not_supply() -> None:
    """16,000 recorded against 15,000 demanded: no supply change can deliver more than
    the demand, so there is no suggestion and the words say demand may be under-stated."""
    found = calibrate(tiny(), [ActualRow("TV", "RESP", "2025/26", 16_000)])
    (line,) = found.lines
    assert line.adjustment is None and line.suggestion == ""
    assert "more was recorded than the modelled demand (15,000 hours)" in line.explanation


def test_lent_capacity_is_named_and_adjusted_at_the_lender() -> None:
    """Unit A has 10 officers (1,500 h, no abstraction: 15,000 h) and no demand; it may
    lend up to 50 % to B (7,500 h). B needs 6,000, so the model delivers all 6,000. B
    recorded 4,500: 0.5 * 15,000 * (1 - a) = 4,500 gives a = 40 % at A. (Between 0 and
    20 % delivery stays at 6,000, a flat stretch the search must cross.)"""
    model = PlanningModel(
        units=(Unit("A", "Force A"), Unit("B", "Force B")),
        roles=(Role("SURV", 60_000, 1_500, "Surveillance officer"),),
        establishment=(EstablishmentRow("A", "SURV", 10, 10),),
        streams=(Stream("S", "Surveillance deployment"),),
        demand=(DemandRow("B", "S", "Y1", 6_000),),
        skills=(Skill("SURV", "S"),),
        sharing=(SharingRule("A", "B", 50.0),),
        periods=(Period("Y1", 12),))
    found = calibrate(model, [ActualRow("B", "S", "Y1", 4_500)])
    (line,) = found.lines
    assert line.serving == (("A", "SURV", pytest.approx(6_000)),)
    assert line.explanation == (
        "Force B surveillance deployment: model delivers 33 % more than recorded; it meets "
        "all the modelled demand, so demand may be over-stated, or abstraction of "
        "surveillance officers lent by Force A under-stated")
    adj = line.adjustment
    assert adj is not None and adj.matched
    assert (adj.changes[0].unit_id, adj.changes[0].new) == ("A", pytest.approx(40, abs=0.01))


def test_conflicting_suggestions_keep_the_larger_error() -> None:
    def line(stream: str, error: float, new: float) -> CalibrationLine:
        change = Change("abstraction_pct", "TV", "NHOOD", 20.0, new)
        adj = Adjustment("abstraction_pct", (change,), 0.0, 0.0, True, 1)
        return CalibrationLine("TV", stream, ("2025/26",), 0.0, 1_000 + error, 1_000.0, (),
                               False, "", adj, "")

    found = Calibration(lines=[line("SMALL", 50, 25.0), line("BIG", 400, 35.0)])
    adjusted, problems = found.adjusted_model(tiny())
    assert adjusted.establishment[0].abstraction_pct == 35.0
    assert any("BIG" in p.message and "SMALL" in p.message for p in problems)


def test_bad_actuals_are_located_errors_and_nothing_is_solved() -> None:
    where = Location("m.xlsx", "Actuals", 3)
    rows = [ActualRow("TV", "RESP", "2025/26", 10.0, Location("m.xlsx", "Actuals", 2)),
            ActualRow("XX", "RESP", "2030/31", -1.0, where),
            ActualRow("tv", "resp", "2025/26", 5.0, Location("m.xlsx", "Actuals", 4))]
    problems = check_actuals(tiny(), rows)
    found = {(p.where.row, p.where.column, p.code) for p in problems}
    assert found == {(3, "unit_id", "unknown_id"), (3, "period", "unknown_id"),
                     (3, "delivered_hours", "negative"), (4, "unit_id", "duplicate_key")}
    result = calibrate(tiny(), rows)
    assert result.result is None and not result.ok and not result.solve_failed


def test_cancel_and_progress() -> None:
    seen: list[float] = []
    found = calibrate(tiny(), [ActualRow("TV", "RESP", "2025/26", 10_500)],
                      progress=lambda f, m: seen.append(f))
    assert found.lines[0].adjustment is not None
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    stopped = calibrate(tiny(), [ActualRow("TV", "RESP", "2025/26", 10_500)],
                        should_cancel=lambda: True)
    assert stopped.cancelled and stopped.result is None and stopped.lines == []


def test_find_root_false_position_and_bisection() -> None:
    """f(x) = 10 - x on [0, 95]: exact in one step. A step function (flat, then a drop at
    x = 40) is bracketed down to the tolerance by the bisection fallback."""
    x, fx, calls = find_root(lambda x: 10 - x, 0, 95, 10, -85, tol=1e-9, xtol=1e-9,
                             max_calls=30)
    assert (x, fx, calls) == (pytest.approx(10), pytest.approx(0, abs=1e-9), 1)

    def step(x: float) -> float:
        return 5.0 if x < 40 else -5.0
    x, _fx, calls = find_root(step, 0, 95, 5, -5, tol=0.1, xtol=0.01, max_calls=30)
    assert x == pytest.approx(40, abs=0.02) and calls <= 30


def test_model_is_not_changed() -> None:
    model = tiny()
    before = replace(model)
    calibrate(model, [ActualRow("TV", "RESP", "2025/26", 10_500)])
    assert model == before
