"""Why a ``min_cost`` scenario cannot meet its minimums: from the elastic re-solve
(minimum service soft, hours below minimum minimised), which streams, units and periods
fall short, by how many hours, and why.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from capacity_planner.optimise.build import Columns
from capacity_planner.optimise.index import Index
from capacity_planner.optimise.program import Program
from capacity_planner.optimise.wording import Names, hours

MAX_SHORTFALLS = 15  # lines in an infeasibility explanation


def explain_infeasible(ix: Index, program: Program, cols: Columns,
                       values: np.ndarray) -> list[str]:
    """From the elastic plan (minimum service soft, hours below minimum minimised): one
    line per stream, unit and period that falls short, worst first, with the reason."""
    names = Names(ix)
    breach = values[cols.breach:cols.breach + cols.n_breach]
    order = np.argsort(-breach, kind="stable")
    order = order[breach[order] > 0.5]
    total = float(breach[breach > 0].sum())
    lines = [f"No plan can meet every minimum service level: {len(order)} "
             f"stream/unit/period combination{'s' if len(order) != 1 else ''} fall short by "
             f"{hours(total)} hours in all."]
    for k in order[:MAX_SHORTFALLS]:
        d = int(cols.service_d[k])
        row = ix.demand.iloc[d]
        unit, stream, t = int(row.unit), int(row.stream), int(row.t)
        lines.append(f"{ix.stream_names[stream]} at {ix.unit_names[unit]} in "
                     f"{ix.periods[t]}: {hours(breach[k])} hours short; "
                     f"{_why(ix, program, values, d, t, names)}.")
    if len(order) > MAX_SHORTFALLS:
        lines.append(f"... and {len(order) - MAX_SHORTFALLS} more.")
    return lines


def _why(ix: Index, program: Program, values: np.ndarray, d: int, t: int,
         names: Names) -> str:
    serving = ix.x[ix.x.d == d]
    if not len(serving):
        unit = ix.units[int(ix.demand.unit.iat[d])]
        return f"no role skilled for it works at or is shared with {names.u(unit)}"
    es = sorted(set(serving.e.tolist()))
    roles = [ix.role_of(e) for e in es]
    hires = pd.concat([ix.fills[["e", "t"]], ix.grows[["e", "t"]]])
    early = hires[hires.e.isin(es) & (hires.t <= t)]
    reasons: list[str] = []
    if not len(early):
        lead = min(roles, key=lambda r: r.recruitment_months)
        first = [tt for tt in range(ix.n_periods) if ix.starts[tt] >= lead.recruitment_months]
        when = f" before {ix.periods[first[0]]}" if first else " within the plan"
        reasons.append(f"new posts cannot start in time (recruiting "
                       f"{names.rs(lead.role_id)} takes {lead.recruitment_months:g} months, "
                       f"so no one new starts{when})")
    else:
        r_idx = ix.est.role.to_numpy()[early.e.to_numpy()]
        eff = ix.hire_eff[r_idx, early.t.to_numpy(), t]
        keep = ix.keep[r_idx, early.t.to_numpy(), t]
        if not (eff > 1e-9).any():
            role = ix.role_of(int(early.e.iat[0]))
            reasons.append(f"new posts cannot be trained in time ({names.r(role.role_id)} "
                           f"joiners train for {role.training_months:g} months)")
        elif (eff < keep - 1e-9).all():
            role = ix.role_of(int(early.e.iat[0]))
            reasons.append(f"joiners are still training ({role.trainee_effectiveness:.0%} "
                           "effective)")
    reasons += _caps_in_the_way(ix, program, values, es, t, int(ix.demand.stream.iat[d]),
                                names)
    if not reasons:
        reasons.append("not enough hours can be added in time")
    return "; ".join(reasons)


def _caps_in_the_way(ix: Index, program: Program, values: np.ndarray, es: list[int],
                     t: int, stream: int, names: Names) -> list[str]:
    out: list[str] = []
    act = program.activity(values)

    def binding(family: str) -> pd.DataFrame:
        fam = program.family(family)
        if fam is None or not fam.count:
            return pd.DataFrame(columns=["e", "t", "stream", "unit", "role", "cap_fte",
                                         "share_pct"])
        hi = program.row_upper[fam.rows]
        tight = act[fam.rows] >= hi - 1e-6 * np.maximum(1.0, np.abs(hi))
        return fam.labels[tight]

    budget = binding("budget")
    if len(budget) and (budget.t == t).any():
        out.append(f"the budget of £{ix.settings.budget_gbp:,.0f} a year is spent")
    new = binding("max_new")
    for r in new[new.e.isin(es)].head(2).itertuples():
        out.append(f"the cap of {r.cap_fte:g} new {names.r(r.role)} posts at "
                   f"{names.u(r.unit)} is reached")
    caps = binding("role_cap")
    caps = caps[caps.e.isin(es) & (caps.t == t)]
    caps = caps[caps.stream == ix.streams[stream]]
    for r in caps.head(2).itertuples():
        out.append(f"at most {r.share_pct:g} % of {names.r(r.role)} time may go to this "
                   "stream")
    return out
