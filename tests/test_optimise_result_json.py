"""The JSON of a result (DESIGN section 5) holds plain Python values: numbers as int or
float, None where a figure is not a finite number, True/False for breaches; built a
column at a time, it equals a cell-by-cell conversion of the same tables."""

from __future__ import annotations

import json
import math
from dataclasses import replace

from capacity_planner.io.samples import south_east_model
from capacity_planner.optimise import solve_scenario
from capacity_planner.optimise.result import COVERAGE_COLUMNS, WORKFORCE_COLUMNS


def _cell(v: object) -> object:
    if hasattr(v, "item"):
        v = v.item()  # type: ignore[union-attr]
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def test_json_rows_equal_a_cell_by_cell_conversion() -> None:
    """Two coverage cells made NaN and +inf (a zero-demand row's coverage would be 0/0):
    both come out as None; every other value is the table's own, as a Python type."""
    result = solve_scenario(south_east_model(), "Baseline")
    coverage = result.coverage.copy()
    coverage.loc[coverage.index[0], "coverage_pct"] = float("nan")
    coverage.loc[coverage.index[1], "delivered_hours"] = float("inf")
    result = replace(result, coverage=coverage)
    out = result.to_json()
    expected = [{c: _cell(row[c]) for c in COVERAGE_COLUMNS} for _, row in coverage.iterrows()]
    assert out["coverage"] == expected
    assert out["coverage"][0]["coverage_pct"] is None
    assert out["coverage"][1]["delivered_hours"] is None
    assert {type(v) for row in out["coverage"] for v in row.values()} <= {
        str, float, int, bool, type(None)}
    assert all(type(row["breach"]) is bool for row in out["coverage"])
    workforce = [{c: _cell(row[c]) for c in WORKFORCE_COLUMNS}
                 for _, row in result.workforce.iterrows()]
    assert out["workforce"] == workforce
    json.dumps(out, allow_nan=False)  # strict JSON: no NaN or Infinity tokens
