"""Joiners, new posts, budgets and minimum cost (DESIGN section 4), each answer worked out
by hand in the docstring."""

from __future__ import annotations

import pytest

from capacity_planner.domain.entities import (
    DemandRow,
    EstablishmentRow,
    Period,
    Role,
    ScenarioRow,
    Skill,
    Stream,
    Unit,
)
from capacity_planner.domain.model import PlanningModel
from capacity_planner.optimise import Status, solve_scenario


def model(role: Role, est: EstablishmentRow, demand: tuple[DemandRow, ...],
          scenario: tuple[tuple[str, object, dict[str, str]], ...] = (),
          periods: tuple[Period, ...] = (), stream: Stream = Stream("SOC"),
          unit: Unit = Unit("U", "Unit")) -> PlanningModel:
    rows = tuple(ScenarioRow("S", p, v, **kw) for p, v, kw in scenario)
    return PlanningModel(units=(unit,), roles=(role,), establishment=(est,),
                         streams=(stream,), skills=(Skill(role.role_id, stream.stream_id),),
                         demand=demand, periods=periods, scenarios=rows)


def cell(frame, column, **keys):  # noqa: ANN001, ANN201 - a test helper over a DataFrame
    mask = True
    for k, v in keys.items():
        mask = mask & (frame[k] == v)
    hits = frame[mask]
    assert len(hits) == 1, keys
    return hits.iloc[0][column]


def test_min_cost_with_a_training_lag_pro_rata() -> None:
    """No one in post; 1,500 hours needed at 100 % minimum service. A new DC trains for
    4 of the 12 months at 0.5: 1 - 0.5 * 4/12 = 0.8333 effective, 833.3 hours, so
    1,500 / 833.3 = 1.8 FTE at £50,000 a year: £90,000, coverage 100 %."""
    m = model(Role("DC", 50_000, 1_000, training_months=4, trainee_effectiveness=0.5),
              EstablishmentRow("U", "DC", 0, 0),
              (DemandRow("U", "SOC", "Y1", 1_500, min_service_pct=100),),
              (("objective", "min_cost", {}),))
    r = solve_scenario(m, "S")
    assert r.status is Status.OPTIMAL and r.objective == "min_cost"
    assert r.totals.new_fte == pytest.approx(1.8)
    assert r.totals.cost_gbp == pytest.approx(90_000)
    assert r.totals.coverage_pct == pytest.approx(100)
    assert cell(r.workforce, "effective_fte", period="Y1") == pytest.approx(1.5)
    assert cell(r.workforce, "funded_fte", period="Y1") == pytest.approx(1.8)
    assert r.explanation[0].startswith("The cheapest plan that meets every minimum")


def test_whole_posts_round_up_the_bid() -> None:
    """The same bid in whole posts (a MILP): 1.8 FTE becomes 2 posts, £100,000, proven
    optimal."""
    m = model(Role("DC", 50_000, 1_000, training_months=4, trainee_effectiveness=0.5),
              EstablishmentRow("U", "DC", 0, 0),
              (DemandRow("U", "SOC", "Y1", 1_500, min_service_pct=100),),
              (("objective", "min_cost", {}), ("whole_posts", 1, {})))
    r = solve_scenario(m, "S")
    assert r.status is Status.OPTIMAL and r.proven_optimal
    assert r.totals.new_fte == 2 and r.totals.cost_gbp == pytest.approx(100_000)


def test_whole_posts_marginal_values_from_the_fixed_lp() -> None:
    """2 DC in post (2,000 h) against 5,000 h; a budget of £75,000 a year buys 1.5 new
    posts as an LP but one in whole posts: 3,000 hours, 2,000 unmet. With the posts
    fixed, one more FTE would deliver 1,000 more hours: marginal value 1,000."""
    m = model(Role("DC", 50_000, 1_000), EstablishmentRow("U", "DC", 2, 2),
              (DemandRow("U", "SOC", "Y1", 5_000),),
              (("budget_gbp", 75_000, {}), ("whole_posts", 1, {})))
    r = solve_scenario(m, "S")
    assert r.status is Status.OPTIMAL
    assert r.totals.new_fte == 1 and r.totals.unmet_hours == pytest.approx(2_000)
    assert cell(r.workforce, "marginal_value_per_fte", period="Y1") == pytest.approx(1_000)


def _vacancies(cap: float) -> PlanningModel:
    return model(Role("DC", 50_000, 1_000, recruitment_cost_gbp=5_000),
                 EstablishmentRow("U", "DC", 10, 6),
                 (DemandRow("U", "SOC", "Y1", 12_000, min_service_pct=100),),
                 (("objective", "min_cost", {}), ("recruit_fte_max", cap, {})))


def test_vacancy_fills_under_a_recruitment_cap_then_new_posts() -> None:
    """6 of 10 funded posts filled; 12,000 hours needed (12 FTE). Fills cost only
    recruitment (£5,000) so the cheapest plan fills the 3 the pipeline allows and adds
    3 new posts at £50,000 + £5,000: 3 * 5,000 + 3 * 55,000 = £180,000."""
    r = solve_scenario(_vacancies(3), "S")
    assert r.totals.recruited_fte == pytest.approx(3)
    assert r.totals.new_fte == pytest.approx(3)
    assert r.totals.cost_gbp == pytest.approx(180_000)
    assert cell(r.costs, "recruitment_gbp", period="Y1") == pytest.approx(30_000)
    assert any("Recruitment of DC at Unit runs at its cap" in x for x in r.explanation)


def test_fills_only_fill_vacancies() -> None:
    """With a pipeline of 10 only the 4 vacancies can be filled; 2 new posts make up the
    rest: 4 * 5,000 + 2 * 55,000 = £130,000."""
    r = solve_scenario(_vacancies(10), "S")
    assert r.totals.recruited_fte == pytest.approx(4)
    assert r.totals.new_fte == pytest.approx(2)
    assert r.totals.cost_gbp == pytest.approx(130_000)


def test_no_hiring_in_the_baseline() -> None:
    """The Baseline tests the workforce as it is: no recruit_fte_max row means no fills,
    and coverage without a budget adds no posts: 6,000 of 12,000 hours."""
    r = solve_scenario(_vacancies(3))
    assert r.totals.recruited_fte == 0 and r.totals.new_fte == 0
    assert r.totals.unmet_hours == pytest.approx(6_000)


def test_recruits_replace_leavers_over_quarters() -> None:
    """10 of 10 posts filled, 20 % attrition a year, quarters. Leavers open vacancies:
    by the start of quarter k, 10 * (1 - a ** (k - 1)) with a = 0.8 ** 0.25. Coverage
    wants every hour, so each quarter from Q2 fills the 10 * (1 - a) = 0.5426 FTE that
    left in the quarter before, and strength is back to 10 at each quarter's start."""
    quarters = tuple(Period(f"Q{k}", 3) for k in range(1, 5))
    m = model(Role("DC", 50_000, 1_000, attrition_pct=20), EstablishmentRow("U", "DC", 10, 10),
              tuple(DemandRow("U", "SOC", p.period, 5_000) for p in quarters),
              (("recruit_fte_max", 1, {}),), periods=quarters)
    r = solve_scenario(m, "S")
    a = 0.8 ** 0.25
    assert cell(r.workforce, "recruited_fte", period="Q1") == 0
    for q in ("Q2", "Q3", "Q4"):
        assert cell(r.workforce, "recruited_fte", period=q) == pytest.approx(10 * (1 - a))
        assert cell(r.workforce, "in_post_fte", period=q) == pytest.approx(10)


def test_budget_per_period() -> None:
    """Two half-years; £100,000 extra a year is £50,000 a half. A new DC costs £50,000 a
    year, £25,000 a half, so the budget holds 2 new posts from the first half: 1,000
    hours a half against 2,500, 1,500 unmet each half, £100,000 in all."""
    halves = (Period("H1", 6), Period("H2", 6))
    m = model(Role("DC", 50_000, 1_000), EstablishmentRow("U", "DC", 0, 0),
              tuple(DemandRow("U", "SOC", p.period, 2_500) for p in halves),
              (("budget_gbp", 100_000, {}),), periods=halves)
    r = solve_scenario(m, "S")
    assert cell(r.workforce, "new_fte", period="H1") == pytest.approx(2)
    assert cell(r.workforce, "new_fte", period="H2") == pytest.approx(0)
    assert r.totals.unmet_hours == pytest.approx(3_000)
    assert r.totals.cost_gbp == pytest.approx(100_000)
    assert list(r.costs.total_gbp) == pytest.approx([50_000, 50_000])
    assert any("budget of £100,000 a year is fully spent in all 2 periods" in x
               for x in r.explanation)


def _lead_time(y1_minimum: float) -> PlanningModel:
    years = (Period("Y1", 12), Period("Y2", 12))
    return model(Role("DC", 50_000, 1_000, recruitment_months=12),
                 EstablishmentRow("U", "DC", 0, 0),
                 (DemandRow("U", "SOC", "Y1", 1_000, min_service_pct=y1_minimum),
                  DemandRow("U", "SOC", "Y2", 1_000, min_service_pct=100)),
                 (("objective", "min_cost", {}),), periods=years)


def test_recruitment_lead_time() -> None:
    """Recruiting takes 12 months, so a new post can start only in Y2: one post, held
    for Y2 only (£50,000); Y1's 1,000 hours stay unmet (no minimum there)."""
    r = solve_scenario(_lead_time(0), "S")
    assert r.status is Status.OPTIMAL
    assert cell(r.workforce, "new_fte", period="Y1") == 0
    assert cell(r.workforce, "new_fte", period="Y2") == pytest.approx(1)
    assert r.totals.cost_gbp == pytest.approx(50_000)
    assert cell(r.coverage, "unmet_hours", period="Y1") == pytest.approx(1_000)


def test_infeasible_min_cost_names_the_lead_time() -> None:
    """A 100 % minimum in Y1 cannot be met when no one new can start before Y2: the
    status says infeasible and the explanation names stream, unit, period, hours and
    why."""
    r = solve_scenario(_lead_time(100), "S")
    assert r.status is Status.INFEASIBLE and not r.solved
    assert r.message.startswith("Infeasible: no plan meets every minimum service level")
    assert "SOC at Unit in Y1: 1,000 hours short; new posts cannot start in time " \
           "(recruiting DC takes 12 months, so no one new starts before Y2)." \
           in r.explanation
    assert r.to_json()["status"] == "infeasible"


def test_infeasible_min_cost_names_the_training_lag() -> None:
    """Surrey has one trained financial investigator (1,500 h a year, 375 a quarter);
    joiners train for 12 months at 0 % effectiveness, so nothing can be added in the
    plan's first year. A 100 % minimum on 1,615 hours a quarter is 1,615 - 375 = 1,240
    hours short in each quarter."""
    quarters = tuple(Period(f"2026/27 Q{k}", 3) for k in range(1, 5))
    m = model(Role("FI", 55_000, 1_500, training_months=12, trainee_effectiveness=0),
              EstablishmentRow("SURREY", "FI", 1, 1),
              tuple(DemandRow("SURREY", "FIN", p.period, 1_615, min_service_pct=100)
                    for p in quarters),
              (("objective", "min_cost", {}),), periods=quarters,
              stream=Stream("FIN", "financial investigation"), unit=Unit("SURREY", "Surrey"))
    r = solve_scenario(m, "S")
    assert r.status is Status.INFEASIBLE
    assert r.explanation[0] == ("No plan can meet every minimum service level: 4 "
                                "stream/unit/period combinations fall short by 4,960 hours "
                                "in all.")
    assert ("financial investigation at Surrey in 2026/27 Q1: 1,240 hours short; new posts "
            "cannot be trained in time (FI joiners train for 12 months).") in r.explanation
