"""Properties that hold on any model (hypothesis): delivered never exceeds demand, hours
used never exceed available plus overtime, more staff never raise weighted unmet demand,
a budget is kept, and solving a scenario never changes the Baseline."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capacity_planner.domain.entities import (
    DemandRow,
    EstablishmentRow,
    Period,
    Role,
    ScenarioRow,
    SharingRule,
    Skill,
    Stream,
    Unit,
)
from capacity_planner.domain.model import PlanningModel
from capacity_planner.optimise import Status, solve_scenario

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
TOL = 1e-5


@st.composite
def models(draw: st.DrawFn, minimums: bool = True) -> PlanningModel:
    n_units = draw(st.integers(1, 3))
    n_roles = draw(st.integers(1, 2))
    n_streams = draw(st.integers(1, 2))
    months = draw(st.lists(st.sampled_from([3.0, 6.0, 12.0]), min_size=1, max_size=3))
    units = tuple(Unit(f"U{i}") for i in range(n_units))
    roles = tuple(Role(
        f"R{i}", annual_cost_gbp=draw(st.floats(20_000, 90_000)),
        hours_per_fte=draw(st.floats(500, 2_000)),
        training_months=draw(st.sampled_from([0.0, 3.0, 12.0])),
        trainee_effectiveness=draw(st.floats(0, 1)),
        recruitment_months=draw(st.sampled_from([0.0, 3.0])),
        attrition_pct=draw(st.floats(0, 30)),
        overtime_cap_pct=draw(st.sampled_from([0.0, 10.0])),
        recruitment_cost_gbp=draw(st.floats(0, 5_000))) for i in range(n_roles))
    est = []
    for u in units:
        for r in roles:
            if draw(st.booleans()):
                in_post = draw(st.floats(0, 20))
                training = draw(st.floats(0, in_post))
                absent = draw(st.floats(0, in_post - training))
                est.append(EstablishmentRow(u.unit_id, r.role_id, draw(st.floats(0, 25)),
                                            in_post, training, absent,
                                            draw(st.floats(0, 50))))
    streams = tuple(Stream(f"S{i}", weight=draw(st.floats(0.5, 3)),
                           min_service_pct=draw(st.floats(0, 60)) if minimums else 0.0)
                    for i in range(n_streams))
    skills = tuple(Skill(r.role_id, s.stream_id, draw(st.floats(0.3, 1)),
                         draw(st.sampled_from([100.0, 50.0, 10.0])))
                   for r in roles for s in streams if draw(st.booleans()))
    periods = tuple(Period(f"P{t}", m) for t, m in enumerate(months))
    demand = tuple(DemandRow(u.unit_id, s.stream_id, p.period, draw(st.floats(0, 20_000)))
                   for u in units for s in streams for p in periods)
    sharing = tuple(SharingRule(a.unit_id, b.unit_id, draw(st.floats(0, 100)),
                                efficiency=draw(st.floats(0.5, 1)))
                    for a in units for b in units if a != b and draw(st.booleans()))
    return PlanningModel(units=units, roles=roles, establishment=tuple(est), streams=streams,
                         demand=demand, skills=skills, sharing=sharing, periods=periods)


@SETTINGS
@given(models())
def test_delivered_within_demand_and_used_within_available(model: PlanningModel) -> None:
    r = solve_scenario(model)
    assert r.status is Status.OPTIMAL
    c = r.coverage
    assert (c.delivered_hours <= c.demand_hours + TOL).all()
    assert (c.delivered_hours >= -TOL).all()
    assert abs(r.totals.delivered_hours + r.totals.unmet_hours - r.totals.demand_hours) < 1e-3
    w = r.workforce
    assert (w.used_hours <= w.available_hours + w.overtime_hours
            + TOL * (1 + w.available_hours)).all()


@SETTINGS
@given(models(minimums=False), st.data())
def test_more_staff_never_raise_weighted_unmet(model: PlanningModel,
                                              data: st.DataObject) -> None:
    if not model.establishment:
        return
    k = data.draw(st.integers(0, len(model.establishment) - 1))
    extra = data.draw(st.floats(0.5, 10))
    est = list(model.establishment)
    row = est[k]
    est[k] = copy.replace(row, in_post_fte=row.in_post_fte + extra,
                          funded_fte=max(row.funded_fte, row.in_post_fte + extra))
    before = solve_scenario(model).totals.weighted_unmet
    after = solve_scenario(model.with_table("establishment", tuple(est))).totals.weighted_unmet
    assert after <= before + TOL * (1 + before)


@SETTINGS
@given(models(), st.floats(0, 200_000))
def test_budget_is_kept_per_period(model: PlanningModel, budget: float) -> None:
    m = copy.replace(model, scenarios=(ScenarioRow("B", "budget_gbp", budget),
                                       ScenarioRow("B", "recruit_fte_max", 2)))
    r = solve_scenario(m, "B")
    assert r.status is Status.OPTIMAL
    months = {p.period: p.months for p in m.plan_periods}
    for c in r.costs.itertuples():
        assert c.total_gbp <= budget * months[c.period] / 12 + 1e-4 * (1 + budget)


@SETTINGS
@given(models(), st.sampled_from([
    ("demand_change_pct", 25.0), ("in_post_change_fte", -3.0), ("abstraction_pct", 40.0),
    ("attrition_pct", 20.0), ("objective", "min_cost"), ("weight", 5.0),
    ("min_service_pct", 90.0), ("max_share_pct", 10.0)]))
def test_baseline_unchanged_after_any_scenario(model: PlanningModel,
                                               change: tuple[str, object]) -> None:
    m = copy.replace(model, scenarios=(ScenarioRow("X", change[0], change[1]),))
    snapshot = copy.deepcopy(m)
    first = solve_scenario(m)
    solve_scenario(m, "X")
    assert m == snapshot
    again = solve_scenario(m)
    assert again.totals == first.totals
    assert again.coverage.equals(first.coverage)
