"""The narrative of a solve (optimise/explain.py) on tiny models whose answers are worked
out by hand: shortfalls ranked by weighted share of demand unmet, the scarcest people
ranked by marginal value, the posts a plan buys, overtime against its caps, and the
user's names (never IDs) throughout."""

from __future__ import annotations

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
from capacity_planner.optimise import Status, solve_scenario


def lines_starting(lines: list[str], prefix: str) -> list[str]:
    return [x for x in lines if x.startswith(prefix)]


def test_shortfalls_rank_by_weighted_share_not_raw_hours() -> None:
    """One-year plan, 1,000 hours per FTE, each stream served by its own role:
    - Intelligence analysis (weight 3): Alpha 1,000 h with 0.8 FTE (200 short), Bravo
      1,000 h with 0.5 FTE (500 short): 700 of 2,000 = 35 % unmet, weighted 3 * 0.35 =
      1.05 per demand hour; worst at Bravo (50 %).
    - Response support (weight 1): 10,000 h at Alpha with 5 FTE: 5,000 short, 50 %, 0.5.
    - Community work (weight 1): 100,000 h at Alpha with 80 FTE: 20,000 short, 20 %, 0.2.
    By raw hours the order would be the reverse; by weighted share it is as listed."""
    m = PlanningModel(
        units=(Unit("A", "Alpha"), Unit("B", "Bravo")),
        roles=(Role("AN", 40_000, 1_000), Role("DC", 50_000, 1_000),
               Role("PC", 40_000, 1_000)),
        establishment=(EstablishmentRow("A", "AN", 0.8, 0.8), EstablishmentRow("B", "AN", 0.5, 0.5),
                       EstablishmentRow("A", "DC", 5, 5), EstablishmentRow("A", "PC", 80, 80)),
        streams=(Stream("INT", "Intelligence analysis", weight=3),
                 Stream("RS", "Response support"), Stream("COM", "Community work")),
        skills=(Skill("AN", "INT"), Skill("DC", "RS"), Skill("PC", "COM")),
        demand=(DemandRow("A", "INT", "Y1", 1_000), DemandRow("B", "INT", "Y1", 1_000),
                DemandRow("A", "RS", "Y1", 10_000), DemandRow("A", "COM", "Y1", 100_000)))
    r = solve_scenario(m)
    assert r.status is Status.OPTIMAL
    assert lines_starting(r.explanation, "Shortfall: ") == [
        "Shortfall: Intelligence analysis (weight 3): 35 % of demand unmet over the plan "
        "(700 hours); worst at Bravo, 50 % unmet.",
        "Shortfall: Response support (weight 1): 50 % of demand unmet over the plan "
        "(5,000 hours).",
        "Shortfall: Community work (weight 1): 20 % of demand unmet over the plan "
        "(20,000 hours).",
    ]


def test_scarcest_people_ranked_by_marginal_value_in_the_users_names() -> None:
    """Analysts (2 FTE, 1,000 h) against 5,000 hours of weight-2 analysis; SOCU
    constables (2 FTE, 1,500 h) against 5,000 hours of weight-1 investigation; both
    short all year. One more analyst avoids 2 * 1,000 = 2,000 weighted unmet hours a
    year, one more SOCU constable 1 * 1,500 = 1,500: analysts first. Names are the
    user's, in the plural, lower case only where the name is a word ("SOCU" stays);
    the old "Fully used" list of every role is gone."""
    m = PlanningModel(
        units=(Unit("U", "Unit"),),
        roles=(Role("AN", 40_000, 1_000, name="Intelligence analyst"),
               Role("SOCU_DC", 60_000, 1_500, name="SOCU constable")),
        establishment=(EstablishmentRow("U", "AN", 2, 2), EstablishmentRow("U", "SOCU_DC", 2, 2)),
        streams=(Stream("INT", "Intelligence analysis", weight=2),
                 Stream("SOC", "SOC investigation")),
        skills=(Skill("AN", "INT"), Skill("SOCU_DC", "SOC")),
        demand=(DemandRow("U", "INT", "Y1", 5_000), DemandRow("U", "SOC", "Y1", 5_000)))
    r = solve_scenario(m)
    assert lines_starting(r.explanation, "The scarcest people: ") == [
        "The scarcest people: intelligence analysts at Unit (one more FTE avoids 2,000 "
        "weighted unmet hours a year, on average over the plan) and SOCU constables at "
        "Unit (1,500)."]
    assert not lines_starting(r.explanation, "Fully used")
    assert lines_starting(r.explanation, "Next post to fund: one more intelligence analyst "
                                         "at Unit in Y1 would avoid 2,000")
    assert not any("SOCU_DC" in x or " AN " in x for x in r.explanation)


def test_new_posts_line_says_which_posts_the_plan_buys() -> None:
    """No one in post, 1,500 hours at a 100 % minimum, 1,000 hours per FTE and no
    training: the cheapest plan buys 1.5 detective constable posts, all at Unit. No
    overtime cap, so no overtime line; the headline no longer repeats the FTE."""
    m = PlanningModel(
        units=(Unit("U", "Unit"),), roles=(Role("DC", 50_000, 1_000, name="Detective constable"),),
        establishment=(EstablishmentRow("U", "DC", 0, 0),), streams=(Stream("SOC"),),
        skills=(Skill("DC", "SOC"),),
        demand=(DemandRow("U", "SOC", "Y1", 1_500, min_service_pct=100),),
        scenarios=(ScenarioRow("Bid", "objective", "min_cost"),))
    r = solve_scenario(m, "Bid")
    assert r.status is Status.OPTIMAL
    assert r.explanation[1] == ("New posts over the plan, 1.5 FTE: detective constables 1.5 "
                                "(all at Unit).")
    assert "FTE" not in r.explanation[0]
    assert not lines_starting(r.explanation, "Overtime")


def test_overtime_line_against_its_caps() -> None:
    """10 FTE * 1,500 h = 15,000 h against 16,000 h of demand, overtime up to 10 %
    (1,500 h): 1,000 h of overtime at 1.5 * 45,000 / 1,500 = £45 an hour, £45,000, which
    is 1,000 / 1,500 = 67 % of what the cap allows."""
    m = PlanningModel(
        units=(Unit("U", "Unit"),), roles=(Role("DC", 45_000, 1_500, overtime_cap_pct=10),),
        establishment=(EstablishmentRow("U", "DC", 10, 10),), streams=(Stream("SOC"),),
        skills=(Skill("DC", "SOC"),), demand=(DemandRow("U", "SOC", "Y1", 16_000),))
    r = solve_scenario(m)
    assert lines_starting(r.explanation, "Overtime") == [
        "Overtime: 1,000 hours (£45,000), 67 % of what the caps allow."]
