"""Scenario rows apply in sheet order on the records they target (domain/scenario.py
finds them through an index of each target field; the answer is the row-by-row one)."""

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
from capacity_planner.domain.scenario import apply_scenario


def model(*rows: ScenarioRow) -> PlanningModel:
    return PlanningModel(
        units=(Unit("A"), Unit("B")),
        roles=(Role("DC", 60_000, 1_500), Role("AN", 40_000, 1_400)),
        establishment=(EstablishmentRow("A", "DC", 10, 8), EstablishmentRow("B", "DC", 5, 5),
                       EstablishmentRow("a ", "an", 3, 2)),
        streams=(Stream("SOC"), Stream("INTEL")),
        skills=(Skill("DC", "SOC"), Skill("AN", "INTEL")),
        demand=(DemandRow("A", "SOC", "Y1", 1000), DemandRow("B", "SOC", "Y1", 500),
                DemandRow("A", "INTEL", "Y2", 200)),
        periods=(Period("Y1", 12), Period("Y2", 12)),
        scenarios=rows)


def test_rows_compound_and_later_rows_override() -> None:
    """+10 % everywhere then +10 % at A: A's SOC 1000 * 1.1 * 1.1 = 1,210, B's 550,
    A's INTEL 200 * 1.21 = 242. Minimum 50 % at A then 70 % everywhere: 70 everywhere.
    Weight 2 on B only. Strength -3 at B (5 -> 2), then -3 again (never below 0)."""
    m, _ = apply_scenario(model(
        ScenarioRow("S", "demand_change_pct", 10),
        ScenarioRow("S", "min_service_pct", 50, unit_id="a"),
        ScenarioRow("S", "demand_change_pct", 10, unit_id=" A"),
        ScenarioRow("S", "min_service_pct", 70),
        ScenarioRow("S", "weight", 2, unit_id="B", stream_id="soc", period="y1"),
        ScenarioRow("S", "in_post_change_fte", -3, unit_id="B"),
        ScenarioRow("S", "in_post_change_fte", -3, unit_id="B"),
        ScenarioRow("S", "max_share_pct", 40, role_id="an")), "s")
    assert [d.hours for d in m.demand] == pytest.approx([1210, 550, 242])
    assert [d.min_service_pct for d in m.demand] == [70, 70, 70]
    assert [d.weight for d in m.demand] == [None, 2, None]
    assert [e.in_post_fte for e in m.establishment] == [8, 0, 2]
    assert [k.max_share_pct for k in m.skills] == [100, 40]


def test_caps_target_rows_and_periods_by_id_key() -> None:
    """recruit_fte_max for DC in Y2 only, then 4 for every role at A in every period (the
    'a ' row of AN matches A); max_new_fte for AN: keys are the trimmed, folded IDs."""
    _, s = apply_scenario(model(
        ScenarioRow("S", "recruit_fte_max", 2, role_id="DC", period="Y2"),
        ScenarioRow("S", "recruit_fte_max", 4, unit_id="A"),
        ScenarioRow("S", "max_new_fte", 1, role_id="AN")), "S")
    assert s.recruit_fte_max == {("a", "dc", "y2"): 4, ("b", "dc", "y2"): 2,
                                 ("a", "dc", "y1"): 4, ("a", "an", "y1"): 4,
                                 ("a", "an", "y2"): 4}
    assert s.max_new_fte == {("a", "an"): 1}


def test_untouched_tables_are_the_same_objects() -> None:
    base = model(ScenarioRow("S", "weight", 3, unit_id="nowhere"))
    m, _ = apply_scenario(base, "S")
    assert m == base and m.establishment is base.establishment
