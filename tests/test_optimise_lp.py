"""The allocation LP of DESIGN section 4, one constraint family at a time, each answer
worked out by hand in the docstring."""

from __future__ import annotations

import pytest

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


def one_unit(roles: tuple[Role, ...], est: tuple[EstablishmentRow, ...],
             streams: tuple[Stream, ...], skills: tuple[Skill, ...],
             demand: tuple[DemandRow, ...], **more: object) -> PlanningModel:
    return PlanningModel(units=(Unit("U", "Unit"),), roles=roles, establishment=est,
                         streams=streams, skills=skills, demand=demand, **more)


def row(frame, **keys):  # noqa: ANN001, ANN201 - a test helper over a DataFrame
    mask = True
    for k, v in keys.items():
        mask = mask & (frame[k] == v)
    hits = frame[mask]
    assert len(hits) == 1, keys
    return hits.iloc[0]


def tiny() -> PlanningModel:
    return one_unit(
        (Role("DC", 60_000, 1_500, training_months=12),),
        (EstablishmentRow("U", "DC", 10, 10, in_training_fte=2, abstraction_pct=20),),
        (Stream("SOC"),), (Skill("DC", "SOC"),), (DemandRow("U", "SOC", "Y1", 15_000),))


def test_design_tiny_case() -> None:
    """DESIGN's tiny case: (8 + 2 * 0.5) * 1500 * 0.8 = 10,800 available hours against
    15,000 demand: 4,200 unmet, 72 % coverage, every hour used."""
    r = solve_scenario(tiny())
    assert r.status is Status.OPTIMAL and r.proven_optimal
    assert r.totals.demand_hours == 15_000
    assert r.totals.delivered_hours == 10_800
    assert r.totals.unmet_hours == 4_200
    assert r.totals.coverage_pct == 72.0
    w = row(r.workforce, unit="U", role="DC", period="Y1")
    assert w.available_hours == 10_800 and w.effective_fte == 9.0
    assert w.used_hours == 10_800 and w.utilisation_pct == 100.0
    layers = row(r.layers, unit="U", role="DC")
    assert (layers.funded_fte, layers.in_post_fte, layers.qualified_fte) == (10, 10, 8)
    assert layers.deployable_fte == pytest.approx(7.2)  # (8 + 1) * 0.8
    assert r.message.startswith("Optimal")
    assert r.to_json()["totals"]["unmet_hours"] == 4_200


def test_marginal_value_of_one_more_fte() -> None:
    """In the tiny case every hour is short, so one more DC adds 1,500 * 0.8 = 1,200
    hours, all delivered: 1,200 weighted unmet hours avoided; per pound
    1,200 / 60,000 * 1e6 = 20,000 per £1m."""
    r = solve_scenario(tiny())
    assert row(r.workforce, role="DC").marginal_value_per_fte == pytest.approx(1_200)
    top = r.next_posts.iloc[0]
    assert (top.unit, top.role, top.period) == ("U", "DC", "Y1")
    assert top.value_per_gbp_million == pytest.approx(20_000)
    assert any(line.startswith("Next post to fund: one more DC") for line in r.explanation)


def test_next_post_ranks_value_per_pound() -> None:
    """Analysts (1,000 h, £40k) serve intelligence (weight 2); detectives (1,500 h, £60k)
    serve investigation (weight 1); both streams are short. One more analyst avoids
    2 * 1,000 = 2,000 weighted hours (50,000 per £1m); one more DC 1 * 1,500 = 1,500
    (25,000 per £1m): fund the analyst first."""
    m = one_unit(
        (Role("AN", 40_000, 1_000), Role("DC", 60_000, 1_500)),
        (EstablishmentRow("U", "AN", 5, 5), EstablishmentRow("U", "DC", 5, 5)),
        (Stream("INTEL", weight=2), Stream("INV")),
        (Skill("AN", "INTEL"), Skill("DC", "INV")),
        (DemandRow("U", "INTEL", "Y1", 10_000), DemandRow("U", "INV", "Y1", 10_000)))
    r = solve_scenario(m)
    assert r.totals.weighted_unmet == pytest.approx(2 * 5_000 + 2_500)
    assert list(r.next_posts.role) == ["AN", "DC"]
    assert list(r.next_posts.marginal_value_per_fte) == pytest.approx([2_000, 1_500])
    assert list(r.next_posts.value_per_gbp_million) == pytest.approx([50_000, 25_000])


def test_sharing_with_a_cap_and_a_travel_loss() -> None:
    """A has 10 DC (10,000 h) and 4,000 h of its own demand; B has none and needs 8,000.
    A may lend 30 % of its available hours (3,000) at efficiency 0.8, which delivers
    2,400 at B: B is 5,600 short and 3,000 of A's hours stay idle."""
    m = PlanningModel(
        units=(Unit("A"), Unit("B")),
        roles=(Role("DC", 50_000, 1_000),),
        establishment=(EstablishmentRow("A", "DC", 10, 10),),
        streams=(Stream("SOC"),), skills=(Skill("DC", "SOC"),),
        demand=(DemandRow("A", "SOC", "Y1", 4_000), DemandRow("B", "SOC", "Y1", 8_000)),
        sharing=(SharingRule("A", "B", 30, efficiency=0.8),))
    r = solve_scenario(m)
    assert row(r.coverage, unit="A").unmet_hours == 0
    b = row(r.coverage, unit="B")
    assert b.delivered_hours == pytest.approx(2_400) and b.unmet_hours == pytest.approx(5_600)
    assert row(r.allocation, from_unit="A", to_unit="B").hours == pytest.approx(3_000)
    assert row(r.workforce, unit="A").used_hours == pytest.approx(7_000)
    assert any("lends DC to B up to its 30 % cap" in line for line in r.explanation)


def test_priorities_follow_weights() -> None:
    """5 FTE * 1,000 h = 5,000 h for two streams of 4,000 each; HIGH weighs 3, LOW 1.
    HIGH is met in full, LOW gets the last 1,000: weighted unmet = 1 * 3,000."""
    m = one_unit((Role("DC", 50_000, 1_000),), (EstablishmentRow("U", "DC", 5, 5),),
                 (Stream("HIGH", weight=3), Stream("LOW")),
                 (Skill("DC", "HIGH"), Skill("DC", "LOW")),
                 (DemandRow("U", "HIGH", "Y1", 4_000), DemandRow("U", "LOW", "Y1", 4_000)))
    r = solve_scenario(m)
    assert row(r.coverage, stream="HIGH").unmet_hours == 0
    assert row(r.coverage, stream="LOW").unmet_hours == pytest.approx(3_000)
    assert r.totals.weighted_unmet == pytest.approx(3_000)


def _soft_minimum(fte: float) -> PlanningModel:
    return one_unit((Role("DC", 50_000, 1_000),), (EstablishmentRow("U", "DC", fte, fte),),
                    (Stream("HIGH", weight=3), Stream("LOW", min_service_pct=50)),
                    (Skill("DC", "HIGH"), Skill("DC", "LOW")),
                    (DemandRow("U", "HIGH", "Y1", 4_000), DemandRow("U", "LOW", "Y1", 4_000)))


def test_soft_minimum_service_is_met_before_weights() -> None:
    """5,000 h; LOW (weight 1) must get 50 % of 4,000 = 2,000, so HIGH (weight 3) gets
    only 3,000: weighted unmet 3 * 1,000 + 2,000 = 5,000, and no breach."""
    r = solve_scenario(_soft_minimum(5))
    assert row(r.coverage, stream="LOW").delivered_hours == pytest.approx(2_000)
    assert row(r.coverage, stream="HIGH").unmet_hours == pytest.approx(1_000)
    assert not r.coverage.breach.any()
    assert r.totals.weighted_unmet == pytest.approx(5_000)


def test_soft_minimum_service_breach_is_reported() -> None:
    """1.5 FTE = 1,500 h cannot give LOW its 2,000-hour minimum. Each hour below it costs
    1,000 * 3 (the largest weight) + 1, more than a HIGH hour (3), so all 1,500 go to
    LOW: 500 hours below the minimum, reported as a breach."""
    r = solve_scenario(_soft_minimum(1.5))
    assert r.status is Status.OPTIMAL
    low = row(r.coverage, stream="LOW")
    assert low.delivered_hours == pytest.approx(1_500) and bool(low.breach)
    assert not bool(row(r.coverage, stream="HIGH").breach)
    assert any("breached in 1 place" in line and "500 hours below the 50 % minimum" in line
               for line in r.explanation)


def test_efficiency_of_skill() -> None:
    """2 FTE * 1,000 h at efficiency 0.5 deliver 1,000 of 1,500 demand hours: 500 unmet,
    all 2,000 hours spent (delivered counts demand met, not hours spent)."""
    m = one_unit((Role("PC", 40_000, 1_000),), (EstablishmentRow("U", "PC", 2, 2),),
                 (Stream("SOC"),), (Skill("PC", "SOC", efficiency=0.5),),
                 (DemandRow("U", "SOC", "Y1", 1_500),))
    r = solve_scenario(m)
    assert r.totals.delivered_hours == pytest.approx(1_000)
    assert r.totals.unmet_hours == pytest.approx(500)
    assert row(r.allocation, stream="SOC").hours == pytest.approx(2_000)


def test_abstraction_cap_from_a_scenario() -> None:
    """Neighbourhood officers: 10 FTE * 1,000 h. With no cap they meet all 5,000 SOC
    hours; the scenario caps SOC at 10 % of their time (1,000 h): 4,000 unmet. The
    baseline model is untouched and still solves to 0 unmet."""
    m = one_unit((Role("NPT", 40_000, 1_000),), (EstablishmentRow("U", "NPT", 10, 10),),
                 (Stream("SOC"),), (Skill("NPT", "SOC"),),
                 (DemandRow("U", "SOC", "Y1", 5_000),),
                 scenarios=(ScenarioRow("Cap10", "max_share_pct", 10, role_id="NPT",
                                        stream_id="SOC"),))
    capped = solve_scenario(m, "Cap10")
    assert capped.totals.unmet_hours == pytest.approx(4_000)
    assert any("cap on NPT time for SOC (10 %) binds" in line
               for line in capped.explanation)
    assert m.skills[0].max_share_pct == 100
    assert solve_scenario(m).totals.unmet_hours == 0


def test_overtime_within_its_cap_and_at_least_cost() -> None:
    """10 FTE * 1,500 h = 15,000 h; overtime up to 10 % (1,500 h) at 1.5 * 45,000/1,500 =
    £45 an hour. Demand 17,000: 1,500 overtime hours, 500 unmet, £67,500. Demand 15,600:
    the cost stage keeps overtime to the 600 hours needed, £27,000."""
    def model(hours: float) -> PlanningModel:
        return one_unit((Role("DC", 45_000, 1_500, overtime_cap_pct=10),),
                        (EstablishmentRow("U", "DC", 10, 10),), (Stream("SOC"),),
                        (Skill("DC", "SOC"),), (DemandRow("U", "SOC", "Y1", hours),))
    r = solve_scenario(model(17_000))
    assert r.totals.overtime_hours == pytest.approx(1_500)
    assert r.totals.unmet_hours == pytest.approx(500)
    assert r.totals.cost_gbp == pytest.approx(67_500)
    w = row(r.workforce, role="DC")
    assert w.used_hours == pytest.approx(16_500) and w.utilisation_pct == pytest.approx(110)
    r = solve_scenario(model(15_600))
    assert r.totals.overtime_hours == pytest.approx(600)
    assert r.totals.unmet_hours == 0 and r.totals.cost_gbp == pytest.approx(27_000)
    assert row(r.costs, period="Y1").overtime_gbp == pytest.approx(27_000)


def test_attrition_over_quarters() -> None:
    """10 trained FTE, 1,000 h a year, 20 % attrition a year, quarters of 3 months. At
    the start of Q3 (month 6) 0.8 ** 0.5 = 0.894427 remain: 8.94427 FTE, and
    8.94427 * 1,000 * 3/12 = 2,236.07 hours against 5,000 demand."""
    quarters = tuple(Period(f"Q{k}", 3) for k in range(1, 5))
    m = one_unit((Role("DC", 50_000, 1_000, attrition_pct=20),),
                 (EstablishmentRow("U", "DC", 10, 10),), (Stream("SOC"),),
                 (Skill("DC", "SOC"),),
                 tuple(DemandRow("U", "SOC", p.period, 5_000) for p in quarters),
                 periods=quarters)
    r = solve_scenario(m)
    q3 = row(r.workforce, period="Q3")
    assert q3.in_post_fte == pytest.approx(10 * 0.8 ** 0.5)
    assert q3.available_hours == pytest.approx(10 * 0.8 ** 0.5 * 250)
    assert row(r.coverage, period="Q3").unmet_hours == pytest.approx(5_000 - 2_236.0680,
                                                                     abs=1e-3)
    assert row(r.workforce, period="Q1").available_hours == pytest.approx(2_500)
