"""Every validation rule of DESIGN section 3, on models built directly (no files): each
problem is collected (never only the first) and names its record's place."""

from __future__ import annotations

import math
from dataclasses import replace

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
from capacity_planner.domain.problems import Location, Severity
from capacity_planner.domain.validate import validate


def base() -> PlanningModel:
    at = Location(file="m.xlsx", sheet="Units", row=2)
    return PlanningModel(
        units=(Unit("SURREY", origin=at), Unit("SUSSEX", origin=replace(at, row=3))),
        roles=(Role("DC", 60_000, 1_500),),
        establishment=(EstablishmentRow("SURREY", "DC", 6, 3, 1, 0),),
        streams=(Stream("SOC"),),
        demand=(DemandRow("SURREY", "SOC", "Y1", 1000),),
        skills=(Skill("DC", "SOC"),),
        periods=(Period("Y1", 12),),
    )


def found(model: PlanningModel) -> list[tuple[Severity, str, str]]:
    return [(p.severity, p.code, p.where.column) for p in validate(model)]


def test_a_good_model_is_clean() -> None:
    assert validate(base()) == []


def test_unknown_ids_with_a_hint() -> None:
    m = base().with_table("establishment", (EstablishmentRow("SURRY", "DC", 1, 1),
                                            EstablishmentRow("SUSSEX", "PCSO", 1, 1)))
    problems = validate(m)
    assert [(p.code, p.where.column, p.value) for p in problems] == [
        ("unknown_id", "unit_id", "SURRY"), ("unknown_id", "role_id", "PCSO")]
    assert "did you mean 'SURREY'" in problems[0].message
    assert problems[0].where.sheet == "Establishment" and problems[0].where.index == 0


def test_duplicate_and_near_duplicate_keys() -> None:
    m = base()
    units = (*m.units, Unit("surrey"), Unit("SUS\u00a0SEX"), Unit("ＳＵＳＳＥＸ"))
    problems = validate(m.with_table("units", units))
    assert [p.code for p in problems] == ["duplicate_key", "near_duplicate_key",
                                          "near_duplicate_key"]
    assert "row 2" in problems[0].message
    assert problems[1].severity is Severity.WARNING


def test_numbers_negative_nan_inf_and_ranges() -> None:
    m = base()
    m = m.with_table("roles", (Role("DC", -1, 0, trainee_effectiveness=1.5,
                                    attrition_pct=150),))
    m = m.with_table("establishment", (EstablishmentRow("SURREY", "DC", math.nan, 3,
                                                        abstraction_pct=-5),))
    m = m.with_table("skills", (Skill("DC", "SOC", efficiency=0),))
    m = m.with_table("demand", (DemandRow("SURREY", "SOC", "Y1", math.inf),))
    got = {(p.code, p.where.column) for p in validate(m)}
    assert got >= {("bad_number", "annual_cost_gbp"), ("bad_number", "hours_per_fte"),
                   ("bad_number", "trainee_effectiveness"), ("bad_number", "attrition_pct"),
                   ("bad_number", "funded_fte"), ("bad_number", "abstraction_pct"),
                   ("bad_number", "efficiency"), ("bad_number", "hours")}


def test_efficiency_above_one_and_percent_above_100() -> None:
    m = base().with_table("skills", (Skill("DC", "SOC", efficiency=1.2, max_share_pct=101),))
    problems = validate(m)
    assert [(p.where.column, p.expected) for p in problems] == [
        ("efficiency", "more than 0 and at most 1"), ("max_share_pct", "a percent from 0 to 100")]


def test_over_establishment_is_a_warning() -> None:
    m = base().with_table("establishment", (EstablishmentRow("SURREY", "DC", 6, 8),))
    assert found(m) == [(Severity.WARNING, "over_establishment", "in_post_fte")]


def test_trainees_and_absent_above_in_post_is_an_error() -> None:
    m = base().with_table("establishment", (EstablishmentRow("SURREY", "DC", 6, 3, 2, 2),))
    assert found(m) == [(Severity.ERROR, "trainees_above_in_post", "in_training_fte")]


def test_stream_with_demand_but_no_skill() -> None:
    m = base()
    m = m.with_table("streams", (*m.streams, Stream("CYBER")))
    m = m.with_table("demand", (*m.demand, DemandRow("SURREY", "CYBER", "Y1", 50)))
    assert found(m) == [(Severity.WARNING, "stream_without_skill", "stream_id")]


def test_demand_period_not_in_periods() -> None:
    m = base()
    m = m.with_table("demand", (*m.demand, DemandRow("SURREY", "SOC", "Y2", 50)))
    problems = validate(m)
    assert [(p.code, p.value) for p in problems] == [("unknown_id", "Y2")]
    assert "not in the Periods sheet" in problems[0].message
    # without a Periods sheet every Demand period is a 12-month period
    assert validate(replace(m, periods=())) == []


def test_bad_enums_missing_ids_and_self_sharing() -> None:
    m = base().with_table("units", (Unit("SURREY", kind="county"), Unit("SUSSEX"), Unit("")))
    m = m.with_table("sharing", (SharingRule("SURREY", "SURREY", 50),))
    assert found(m) == [(Severity.ERROR, "missing_value", "unit_id"),
                        (Severity.ERROR, "bad_choice", "kind"),
                        (Severity.WARNING, "self_sharing", "to_unit")]


def test_scenarios_checked_and_targets_must_exist() -> None:
    m = base().with_table("scenarios", (ScenarioRow("Grow", "budget_gbp", -5),
                                        ScenarioRow("Grow", "max_new_fte", 2, unit_id="KENT")))
    got = [(p.code, p.where.column) for p in validate(m)]
    assert ("unknown_id", "unit_id") in got
    assert any(c == "value" for _, c in got)


def test_empty_required_tables() -> None:
    problems = validate(PlanningModel())
    assert {p.where.sheet for p in problems} == {"Units", "Roles", "Establishment", "Streams",
                                                 "Demand", "Skills"}
    assert all(p.code == "empty_table" for p in problems)


def test_every_problem_is_collected() -> None:
    m = base()
    m = m.with_table("establishment", (EstablishmentRow("X", "DC", -1, 3),
                                       EstablishmentRow("SURREY", "DC", 6, 3, 5, 0),
                                       EstablishmentRow("SURREY", "DC", 6, 3)))
    codes = [p.code for p in validate(m)]
    assert codes.count("unknown_id") == 1 and "bad_number" in codes
    assert "duplicate_key" in codes and "trainees_above_in_post" in codes
