"""Solver status is honest (DESIGN section 8): infeasible is said with the reason, a
time-limited MIP is never "optimal", a missing solver is an error, NaN and infinite inputs
are stopped at validation with the cell named, and the residual check refuses a plan that
breaks a constraint."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

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
from capacity_planner.domain.scenario import apply_scenario
from capacity_planner.domain.validate import validate
from capacity_planner.io import load_model
from capacity_planner.io.samples import south_east_model
from capacity_planner.optimise import Status, solve_scenario
from capacity_planner.optimise.build import build_program
from capacity_planner.optimise.check import check_solution
from capacity_planner.optimise.index import build_index
from test_io_fixtures import minimal_sheets, replace_in_part, write_book


def tiny(min_service: float = 0.0, **scenario: object) -> PlanningModel:
    """One unit, 10 detectives of 1,500 hours, 20 % abstracted: 10 * 1,500 * 0.8 = 12,000
    hours against 15,000 hours of demand."""
    rows = tuple(ScenarioRow("S", k, v) for k, v in scenario.items())  # type: ignore[arg-type]
    return PlanningModel(units=(Unit("U"),), roles=(Role("DC", 60_000, 1_500),),
                         establishment=(EstablishmentRow("U", "DC", 10, 10,
                                                         abstraction_pct=20),),
                         streams=(Stream("SOC", min_service_pct=min_service),),
                         skills=(Skill("DC", "SOC"),),
                         demand=(DemandRow("U", "SOC", "Y1", 15_000),), scenarios=rows)


def test_infeasible_minimum_is_explained() -> None:
    """Minimum service 100 % needs 15,000 hours; 12,000 exist, min_cost may not open new
    posts (max_new_fte 0) and there is no recruitment: 3,000 hours cannot be met, and the
    result says so rather than returning a plan. (With new posts allowed it buys 2.5.)"""
    r = solve_scenario(tiny(100, objective="min_cost", max_new_fte=0), "S")
    assert r.status is Status.INFEASIBLE and not r.solved and not r.proven_optimal
    text = " ".join(r.explanation) + r.message
    assert "SOC" in text and "U" in text and "3,000" in text
    assert r.to_json()["status"] == "infeasible"


def test_the_same_minimum_under_coverage_is_a_breach_not_infeasible() -> None:
    """Under coverage the minimum is soft: 12,000 of 15,000 hours delivered (80 %), and the
    3,000-hour shortfall below the 100 % minimum is reported as a breach."""
    r = solve_scenario(tiny(100), "Baseline")
    assert r.status is Status.OPTIMAL and r.proven_optimal
    assert r.totals.delivered_hours == pytest.approx(12_000)
    assert bool(r.coverage.breach.iloc[0])


def test_time_limited_mip_is_never_called_optimal() -> None:
    """The South East bid with whole posts takes seconds to prove; stopped after 0.05 s it
    has at best a plan that is not proven (PuLP's own status would say Optimal)."""
    model = south_east_model()
    model = replace(model, scenarios=(*model.scenarios, ScenarioRow("Whole", "whole_posts", 1),
                                      ScenarioRow("Whole", "objective", "min_cost")))
    r = solve_scenario(model, "Whole", time_limit=0.05)
    assert r.status in (Status.TIME_LIMIT, Status.ERROR)
    assert not r.proven_optimal
    if r.status is Status.TIME_LIMIT:
        assert "not proven optimal" in r.message
    else:
        assert "time limit" in r.message


def test_missing_cbc_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """With no cbc on PATH, asking for CBC is an error that says so, never a silent
    fallback and never a traceback."""
    monkeypatch.setenv("PATH", str(tmp_path))
    r = solve_scenario(tiny(), solver="cbc")
    assert r.status is Status.ERROR
    assert "CBC is not installed" in r.message


def test_unknown_solver_is_an_error() -> None:
    r = solve_scenario(tiny(), solver="gurobi")
    assert r.status is Status.ERROR and "Unknown solver" in r.message


@pytest.mark.parametrize(("text", "expected"), [("1e400", "not a finite number"),
                                                ("nan", "Not a number"),
                                                ("-inf", "Not a number")])
def test_nan_and_infinite_cells_are_named(tmp_path: Path, text: str, expected: str) -> None:
    sheets = minimal_sheets()
    sheets["Demand"][2][3] = text
    result = load_model(write_book(tmp_path / "m.xlsx", sheets))
    bad = [p for p in result.errors if p.where.sheet == "Demand"]
    assert len(bad) == 1 and expected in bad[0].message, [str(p) for p in result.errors]
    assert (bad[0].where.row, bad[0].where.column) == (3, "hours")


def test_infinite_number_cell_is_named(tmp_path: Path) -> None:
    """A number cell whose XML says 1e999 (no program writes it; a crafted file can)."""
    path = write_book(tmp_path / "m.xlsx", minimal_sheets())
    replace_in_part(path, "xl/worksheets/sheet5.xml", b"<v>9000</v>", b"<v>1e999</v>")
    bad = [p for p in load_model(path).errors if p.where.sheet == "Demand"]
    assert [(p.where.row, p.where.column, p.code) for p in bad] == [(2, "hours", "bad_number")]


def test_nan_in_a_model_made_in_the_app_is_named() -> None:
    model = replace(tiny(), demand=(DemandRow("U", "SOC", "Y1", math.nan),),
                    roles=(Role("DC", math.inf, 1_500),))
    found = {(p.where.sheet, p.where.column, p.where.index) for p in validate(model)
             if p.code == "bad_number"}
    assert found == {("Demand", "hours", 0), ("Roles", "annual_cost_gbp", 0)}


def test_residual_check_refuses_a_violating_plan() -> None:
    """The tiny case's plan is x = 12,000 hours worked and 3,000 short. Claiming 12,200
    hours worked breaks capacity (12,000 available) by 200 and the demand balance
    (12,200 + 3,000 = 15,200, not 15,000) by 200; the true plan breaks nothing."""
    changed, settings = apply_scenario(tiny(), "Baseline")
    program, cols = build_program(build_index(changed, settings), soft_service=True)
    values = np.zeros(program.n_cols)
    values[cols.x], values[cols.short] = 12_000, 3_000
    assert check_solution(program, values) == []
    values[cols.x] = 12_200
    broken = {v.description: v.amount for v in check_solution(program, values)}
    assert broken == {"hours of DC at U in Y1 within those available": pytest.approx(200),
                      "demand balance for SOC at U in Y1": pytest.approx(200)}
    values[cols.x] = math.nan
    assert check_solution(program, values)  # no numbers, no plan
