"""The South East sample solved by the real engine, once per test session, for the
reporting tests: its Baseline and its bid scenario."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from capacity_planner.domain.model import PlanningModel
from capacity_planner.io import load_model
from capacity_planner.optimise import Result, Status, solve_all

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "south_east.xlsx"
BID = "Analyst and FI bid"


@cache
def solved() -> tuple[PlanningModel, tuple[Result, ...]]:
    read = load_model(SAMPLE)
    assert read.ok and read.model is not None, read.problems
    results = tuple(solve_all(read.model, ["Baseline", BID]))
    assert [r.status for r in results] == [Status.OPTIMAL, Status.OPTIMAL]
    return read.model, results
