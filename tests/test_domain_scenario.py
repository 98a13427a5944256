"""Scenario parameters applied to a copy; the Baseline never changes."""

from __future__ import annotations

import pytest

from capacity_planner.domain.entities import (
    DemandRow,
    EstablishmentRow,
    Role,
    ScenarioRow,
    Stream,
    Unit,
)
from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.scenario import apply_scenario, check_scenarios


def _model(*rows: ScenarioRow) -> PlanningModel:
    return PlanningModel(
        units=(Unit("A"), Unit("B")),
        roles=(Role("DC", 60_000, 1_500),),
        establishment=(EstablishmentRow("A", "DC", 10, 8, abstraction_pct=30),
                       EstablishmentRow("B", "DC", 5, 5, abstraction_pct=30)),
        streams=(Stream("SOC"),),
        demand=(DemandRow("A", "SOC", "Y1", 1000), DemandRow("B", "SOC", "Y1", 500)),
        scenarios=rows,
    )


def test_demand_change_targets_one_unit_and_baseline_is_untouched() -> None:
    base = _model(ScenarioRow("Up", "demand_change_pct", 20, unit_id="a"))
    changed, settings = apply_scenario(base, "up")
    assert [d.hours for d in changed.demand] == [pytest.approx(1200), 500]
    assert [d.hours for d in base.demand] == [1000, 500]
    assert settings.objective == "coverage" and not settings.allow_new_posts
    same, _ = apply_scenario(base, "Baseline")
    assert same is base


def test_settings_and_caps() -> None:
    base = _model(ScenarioRow("Bid", "objective", "min_cost"),
                  ScenarioRow("Bid", "budget_gbp", 250_000),
                  ScenarioRow("Bid", "max_new_fte", 3, unit_id="B", role_id="DC"),
                  ScenarioRow("Bid", "recruit_fte_max", 2, role_id="DC"),
                  ScenarioRow("Bid", "abstraction_pct", 10))
    m, s = apply_scenario(base, "Bid")
    assert s.objective == "min_cost" and s.budget_gbp == 250_000 and s.allow_new_posts
    assert s.max_new_fte == {("b", "dc"): 3}
    assert s.recruit_fte_max == {("a", "dc", "y1"): 2, ("b", "dc", "y1"): 2}
    assert [e.abstraction_pct for e in m.establishment] == [10, 10]


def test_bad_scenario_rows_are_all_reported() -> None:
    base = _model(ScenarioRow("X", "objective", "fastest"),
                  ScenarioRow("X", "no_such", 1),
                  ScenarioRow("X", "abstraction_pct", 120),
                  ScenarioRow("X", "budget_gbp", "lots"))
    messages = [p.message for p in check_scenarios(base)]
    assert messages == ["Unknown objective", "Unknown scenario parameter",
                        "Percent out of range", "Scenario value must be a number"]
