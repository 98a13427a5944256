"""What a solve returns (DESIGN section 5). This is the contract between the engine and
everything that shows results: the CLI's JSON, the results workbook, charts and the app.

Tables are pandas DataFrames whose columns are exactly the JSON keys below, in order, so
``to_json`` is a plain conversion and readers never rename columns.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd


class Status(StrEnum):
    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    TIME_LIMIT = "time_limit"  # feasible, not proven optimal
    CANCELLED = "cancelled"
    ERROR = "error"


COVERAGE_COLUMNS = ("unit", "stream", "period", "demand_hours", "delivered_hours",
                    "unmet_hours", "coverage_pct", "min_service_pct", "breach")
WORKFORCE_COLUMNS = ("unit", "role", "period", "funded_fte", "in_post_fte", "effective_fte",
                     "available_hours", "used_hours", "utilisation_pct", "overtime_hours",
                     "recruited_fte", "new_fte", "marginal_value_per_fte")
ALLOCATION_COLUMNS = ("from_unit", "to_unit", "role", "stream", "period", "hours")
# The four supply layers per unit and role at the start of the plan (not in the JSON
# contract of DESIGN section 5, but in every report: budgeted posts are not people).
LAYER_COLUMNS = ("unit", "role", "funded_fte", "in_post_fte", "qualified_fte",
                 "deployable_fte", "annual_hours")
# "The next post to fund": marginal value per FTE and per pound, best first.
NEXT_POST_COLUMNS = ("unit", "role", "period", "marginal_value_per_fte", "annual_cost_gbp",
                     "value_per_gbp_million")
# Cost by period and kind, for the bid's cost build-up.
COST_COLUMNS = ("period", "new_posts_gbp", "recruitment_gbp", "overtime_gbp", "total_gbp")


def empty_frame(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


@dataclass
class Totals:
    demand_hours: float = 0.0
    delivered_hours: float = 0.0
    unmet_hours: float = 0.0
    coverage_pct: float = 0.0
    weighted_unmet: float = 0.0
    recruited_fte: float = 0.0
    new_fte: float = 0.0
    overtime_hours: float = 0.0
    cost_gbp: float = 0.0


@dataclass
class SolverInfo:
    name: str = "highs"
    build_s: float = 0.0
    solve_s: float = 0.0


@dataclass
class Result:
    scenario: str
    status: Status
    objective: str = "coverage"
    totals: Totals = field(default_factory=Totals)
    coverage: pd.DataFrame = field(default_factory=lambda: empty_frame(COVERAGE_COLUMNS))
    workforce: pd.DataFrame = field(default_factory=lambda: empty_frame(WORKFORCE_COLUMNS))
    allocation: pd.DataFrame = field(default_factory=lambda: empty_frame(ALLOCATION_COLUMNS))
    layers: pd.DataFrame = field(default_factory=lambda: empty_frame(LAYER_COLUMNS))
    next_posts: pd.DataFrame = field(default_factory=lambda: empty_frame(NEXT_POST_COLUMNS))
    costs: pd.DataFrame = field(default_factory=lambda: empty_frame(COST_COLUMNS))
    explanation: list[str] = field(default_factory=list)
    solver: SolverInfo = field(default_factory=SolverInfo)
    proven_optimal: bool = False
    message: str = ""  # one line for the status bar / CLI

    @property
    def solved(self) -> bool:
        """A plan exists to show (optimal, or feasible but time-limited)."""
        return self.status in (Status.OPTIMAL, Status.TIME_LIMIT)

    def to_json(self) -> dict[str, Any]:
        """The JSON object of DESIGN section 5."""
        return {
            "scenario": self.scenario,
            "status": self.status.value,
            "objective": self.objective,
            "totals": {k: _clean(v) for k, v in asdict(self.totals).items()},
            "coverage": _records(self.coverage, COVERAGE_COLUMNS),
            "workforce": _records(self.workforce, WORKFORCE_COLUMNS),
            "allocation": _records(self.allocation, ALLOCATION_COLUMNS),
            "explanation": list(self.explanation),
            "solver": asdict(self.solver),
        }


def _clean(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if hasattr(v, "item"):  # numpy scalar
        v = v.item()
    return v


def _records(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    """The rows as JSON objects, a column at a time (``iterrows`` made the national
    ``--json`` of every scenario spend 10 s here): Python numbers, None for NaN and
    infinities."""
    values = [_plain(frame[c]) for c in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def _plain(column: pd.Series) -> list[Any]:
    out = column.tolist()  # Python int, float, bool and str
    if column.dtype.kind == "f":
        if not np.isfinite(column.to_numpy()).all():
            out = [v if math.isfinite(v) else None for v in out]
    elif column.dtype.kind not in "iub":
        out = [_clean(v) for v in out]
    return out
