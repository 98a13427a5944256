"""The supply rules of ``domain.supply`` on whole arrays, and a numpy equi-join.

``domain.supply`` states each rule once for one row and one period; the index needs it
for every establishment row, role and pair of periods. Looping over the scalar rules cost
more than building the rest of the regional programme, so the same formulas are applied
here to grids, term for term in the same order (``tests/test_optimise_grids.py`` checks
them against the scalar rules).
"""

from __future__ import annotations

import numpy as np


def survival_grid(attrition_pct: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """(R, T): ``(1 - attrition_pct / 100) ** (start_t / 12)`` (``supply.survival``)."""
    return (1.0 - attrition_pct[:, None] / 100.0) ** (starts[None, :] / 12.0)


def phase_grid(length_months: np.ndarray, from_months: np.ndarray, start: np.ndarray,
               months: np.ndarray, trainee_effectiveness: np.ndarray) -> np.ndarray:
    """``supply.phase`` element-wise over broadcast arrays: effectiveness over the period
    [start, start + months) of a trainee for ``length_months`` from ``from_months``."""
    end = start + months
    overlap = np.maximum(0.0, np.minimum(end, from_months + length_months)
                         - np.maximum(start, from_months))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = overlap / months
        out = 1.0 - (1.0 - trainee_effectiveness) * share
    return np.where(months <= 0, 1.0, out)


def hire_grids(attrition_pct: np.ndarray, training_months: np.ndarray,
               trainee_effectiveness: np.ndarray, months: np.ndarray,
               starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(R, T, T) grids ``[r, tau, t]`` of a joiner from the start of ``tau``: effective FTE
    in ``t`` (``supply.hire_effective_fte``) and the share still in post
    (survive_t / survive_tau); both 0 before ``tau``."""
    surv = survival_grid(attrition_pct, starts)
    base = surv[:, :, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        keep = np.where(base > 0, surv[:, None, :] / base, 0.0)
    later = np.arange(len(months))[None, :] >= np.arange(len(months))[:, None]  # t >= tau
    keep = np.where(later[None, :, :], keep, 0.0)
    ph = phase_grid(training_months[:, None, None], starts[None, :, None],
                    starts[None, None, :], months[None, None, :],
                    trainee_effectiveness[:, None, None])
    return keep * ph, keep


def join(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair (i, j) with ``left[i] == right[j]`` (integer keys), in order of ``i``,
    then of ``j``: an inner join without building DataFrames."""
    left = np.asarray(left, dtype=np.int64)
    right = np.asarray(right, dtype=np.int64)
    order = np.argsort(right, kind="stable")
    ordered = right[order]
    lo = np.searchsorted(ordered, left, side="left")
    counts = np.searchsorted(ordered, left, side="right") - lo
    total = int(counts.sum())
    li = np.repeat(np.arange(len(left)), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    ri = order[np.repeat(lo, counts) + np.arange(total) - first]
    return li, ri


def rank_unique(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of ``key`` in ascending order and each element's position
    among them."""
    return np.unique(np.asarray(key, dtype=np.int64), return_inverse=True)
