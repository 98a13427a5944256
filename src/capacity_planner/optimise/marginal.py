"""Marginal values (DESIGN section 4): what one more FTE of a role at a unit in a period is
worth, and the ranked "next post to fund".

The dual of a capacity row is the change in the objective per extra available hour; one
more effective FTE adds ``hours_per_fte * f_t * (1 - abstraction)`` hours in ``t``. The
duals come from the stage whose objective is weighted unmet demand, so the value is in
weighted unmet hours avoided (including the minimum-service penalty in ``coverage``
where a minimum is breached). Per pound, it is divided by the cost of that FTE for the
period (annual cost * f_t).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from capacity_planner.optimise.index import Index
from capacity_planner.optimise.program import Program
from capacity_planner.optimise.result import NEXT_POST_COLUMNS

# duals smaller than this are solver noise
DUAL_TOL = 1e-9


def marginal_values(ix: Index, program: Program, duals: np.ndarray | None) -> np.ndarray:
    """(E, T) weighted unmet hours avoided by one more effective FTE; NaN when no duals
    are known (a plan stopped at the time limit); 0 where the role has no use."""
    E, T = ix.eff0.shape
    if duals is None:
        return np.full((E, T), np.nan)
    mv = np.zeros((E, T))
    fam = program.family("capacity")
    if fam is None or not fam.count:
        return mv
    e = fam.labels.e.to_numpy()
    t = fam.labels.t.to_numpy()
    d = -duals[fam.rows]  # a binding <= row of a minimisation has a dual <= 0
    d[d < DUAL_TOL] = 0.0
    mv[e, t] = d * ix.hf[e, t]
    return mv


def next_posts(ix: Index, mv: np.ndarray) -> pd.DataFrame:
    """Every unit, role and period where one more FTE would reduce weighted unmet
    demand, best value per pound first."""
    e, t = np.nonzero(np.nan_to_num(mv) > 1e-6)
    if not len(e):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in NEXT_POST_COLUMNS})
    annual = ix.annual_cost()[e]
    period_cost = annual * ix.f[t]
    value = mv[e, t]
    with np.errstate(divide="ignore", invalid="ignore"):
        per_million = np.where(period_cost > 0, value / period_cost * 1e6, np.inf)
    frame = pd.DataFrame({
        "unit": np.array(ix.units, dtype=object)[ix.est.unit.to_numpy()[e]],
        "role": np.array([r.role_id for r in ix.roles], dtype=object)[
            ix.est.role.to_numpy()[e]],
        "period": np.array(ix.periods, dtype=object)[t],
        "marginal_value_per_fte": np.round(value, 6),
        "annual_cost_gbp": annual,
        "value_per_gbp_million": np.round(per_million, 6),
        "_t": t,
    })
    frame = frame.sort_values(["value_per_gbp_million", "marginal_value_per_fte", "_t"],
                              ascending=[False, False, True], kind="stable")
    return frame.drop(columns="_t").reset_index(drop=True)
