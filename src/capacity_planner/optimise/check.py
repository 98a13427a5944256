"""Recompute every constraint from the returned values and refuse a plan that breaks one.

A solver's "optimal" rests on its own tolerances on its own scaled copy of the model; the
planner's numbers must hold on the model as written. This multiplies the Program out
with numpy (one pass over the coefficients) and reports each violated row or bound in
the user's own names.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from capacity_planner.optimise.program import Program

# A row may miss its bound by this share of its scale (bound and absolute activity)
REL_TOL = 1e-6
ABS_TOL = 1e-6
INT_TOL = 1e-6


@dataclass(frozen=True)
class Violation:
    kind: str  # "row", "bound" or "integer"
    name: str  # solver name: capacity_17, fill_3
    description: str  # in the user's words
    amount: float  # by how much

    def __str__(self) -> str:
        return f"{self.description} is broken by {self.amount:,.6g}"


def check_solution(program: Program, values: np.ndarray,
                   integer: np.ndarray | None = None) -> list[Violation]:
    """Every row, bound and integrality that ``values`` break, worst first.
    ``integer``: columns that must be whole (default: the Program's)."""
    out: list[Violation] = []
    values = np.asarray(values, dtype=float)
    if values.shape != (program.n_cols,) or not np.isfinite(values).all():
        return [Violation("bound", "values", "the solver's values", float("nan"))]
    rows = program.row_ids()
    terms = program.value * values[program.index]
    act = np.bincount(rows, weights=terms, minlength=program.n_rows)
    scale = np.bincount(rows, weights=np.abs(terms), minlength=program.n_rows)
    lo, hi = program.row_lower, program.row_upper
    with np.errstate(invalid="ignore"):
        excess = np.maximum(np.where(np.isfinite(lo), lo - act, 0.0),
                            np.where(np.isfinite(hi), act - hi, 0.0))
    bound = np.maximum(np.where(np.isfinite(lo), np.abs(lo), 0.0),
                       np.where(np.isfinite(hi), np.abs(hi), 0.0))
    tol = ABS_TOL + REL_TOL * np.maximum(bound, scale)
    for i in np.flatnonzero(excess > tol):
        out.append(Violation("row", program.row_name(int(i)), describe_row(program, int(i)),
                             float(excess[i])))
    cl, cu = program.col_lower, program.col_upper
    with np.errstate(invalid="ignore"):
        col_excess = np.maximum(np.where(np.isfinite(cl), cl - values, 0.0),
                                np.where(np.isfinite(cu), values - cu, 0.0))
    col_tol = ABS_TOL + REL_TOL * np.abs(values)
    for j in np.flatnonzero(col_excess > col_tol):
        name = program.col_name(int(j))
        out.append(Violation("bound", name, f"the bound on {name}", float(col_excess[j])))
    whole = program.integer if integer is None else integer
    frac = np.abs(values - np.round(values))
    for j in np.flatnonzero(whole & (frac > INT_TOL)):
        name = program.col_name(int(j))
        out.append(Violation("integer", name, f"whole posts ({name})", float(frac[j])))
    out.sort(key=lambda v: -v.amount)
    return out


FAMILY_WORDS = {
    "capacity": "hours of {role} at {unit} in {period} within those available",
    "sharing": "{role} hours lent by {unit} to {to_unit} in {period} within the sharing cap",
    "role_cap": "{role} hours at {unit} on {stream} in {period} within the role's cap",
    "demand": "demand balance for {stream} at {unit} in {period}",
    "service": "minimum service for {stream} at {unit} in {period}",
    "fills": "recruits of {role} at {unit} by {period} within vacancies",
    "max_new": "new {role} posts at {unit} within the cap",
    "overtime": "overtime of {role} at {unit} in {period} within its cap",
    "budget": "the budget in {period}",
    "hold": "the optimum of the first stage",
}


def describe_row(program: Program, i: int) -> str:
    """A row in the user's words: 'minimum service for FI at Surrey in 2026/27'."""
    fam = program.family_of(i)
    template = FAMILY_WORDS.get(fam.name, fam.name)
    labels = fam.labels.iloc[i - fam.start].to_dict() if len(fam.labels.columns) else {}
    try:
        return template.format(**{k: str(v) for k, v in labels.items()})
    except (KeyError, IndexError):
        return f"{fam.name} {i - fam.start}"
