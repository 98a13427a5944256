"""Plain-English explanations: a short narrative for every solve, and for a ``min_cost``
scenario that cannot meet its minimums, which streams, units and periods fall short, by
how many hours, and why.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from capacity_planner.optimise.build import Columns
from capacity_planner.optimise.index import Index
from capacity_planner.optimise.marginal import DUAL_TOL
from capacity_planner.optimise.program import Program
from capacity_planner.optimise.result import Result

TOP = 3  # how many of each kind of finding the narrative names
MAX_SHORTFALLS = 15  # lines in an infeasibility explanation


def _hours(h: float) -> str:
    return f"{h:,.0f}"


def _periods(ix: Index, ts: Iterable[int]) -> str:
    ts = sorted(set(int(t) for t in ts))
    if len(ts) == ix.n_periods and len(ts) > 1:
        return f"in all {len(ts)} periods"
    names = [ix.periods[t] for t in ts]
    if len(names) <= 3:
        return "in " + ", ".join(names)
    return f"in {len(names)} of {ix.n_periods} periods, from {names[0]}"


class _Names:
    """User-facing names: a unit's or stream's name where given, else its ID."""

    def __init__(self, ix: Index) -> None:
        from capacity_planner.domain.ids import id_key

        self.key = id_key
        self.unit = {id_key(u): n for u, n in zip(ix.units, ix.unit_names, strict=True)}
        self.stream = {id_key(s): n for s, n in zip(ix.streams, ix.stream_names,
                                                     strict=True)}

    def u(self, unit_id: str) -> str:
        return self.unit.get(self.key(unit_id), unit_id)

    def s(self, stream_id: str) -> str:
        return self.stream.get(self.key(stream_id), stream_id)


# ---- narrative for every solve -----------------------------------------------------------

def narrative(ix: Index, result: Result, program: Program, values: np.ndarray,
              duals: np.ndarray | None) -> list[str]:
    names = _Names(ix)
    lines = [_headline(result)]
    lines += _shortfalls(result, names)
    lines += _breaches(result, names)
    lines += _fully_used(ix, result, names)
    lines += _binding(ix, program, values, duals, names)
    lines += _next_post(result, names)
    return lines


def _headline(result: Result) -> str:
    t = result.totals
    met = (f"{_hours(t.delivered_hours)} of {_hours(t.demand_hours)} demand hours met; "
           f"{_hours(t.unmet_hours)} unmet (weighted {_hours(t.weighted_unmet)}).")
    c = result.costs
    parts = []
    for label, col in (("new posts", "new_posts_gbp"), ("recruitment", "recruitment_gbp"),
                       ("overtime", "overtime_gbp")):
        total = float(c[col].sum()) if len(c) else 0.0
        if total > 0.5:
            parts.append(f"{label} £{total:,.0f}")
    cost = f" Cost £{t.cost_gbp:,.0f}" + (f" ({', '.join(parts)})." if parts else ".")
    hires = ""
    if t.new_fte > 1e-6 or t.recruited_fte > 1e-6:
        hires = (f" {t.new_fte:,.1f} FTE in new posts and {t.recruited_fte:,.1f} recruited "
                 "into vacancies.")
    if result.objective == "min_cost":
        return (f"The cheapest plan that meets every minimum (coverage "
                f"{t.coverage_pct:.1f} %): {met}{cost}{hires}")
    return f"Coverage {t.coverage_pct:.1f} %: {met}{cost}{hires}"


def _shortfalls(result: Result, names: _Names) -> list[str]:
    cov = result.coverage
    if not len(cov):
        return []
    worst = cov[cov.unmet_hours > 0.5].sort_values("unmet_hours", ascending=False,
                                                    kind="stable").head(TOP)
    return [f"Shortfall: {names.s(r.stream)} at {names.u(r.unit)} in {r.period}: "
            f"{_hours(r.unmet_hours)} hours short ({r.coverage_pct:.0f} % met)."
            for r in worst.itertuples()]


def _breaches(result: Result, names: _Names) -> list[str]:
    cov = result.coverage
    if not len(cov) or not cov.breach.any():
        return []
    b = cov[cov.breach].copy()
    b["below"] = b.demand_hours * b.min_service_pct / 100.0 - b.delivered_hours
    b = b.sort_values("below", ascending=False, kind="stable")
    r = b.iloc[0]
    return [f"Minimum service is breached in {len(b)} place{'s' if len(b) != 1 else ''}; "
            f"the worst: {names.s(r.stream)} at {names.u(r.unit)} in {r.period}: "
            f"{_hours(r.below)} hours below the {r.min_service_pct:g} % minimum."]


def _fully_used(ix: Index, result: Result, names: _Names) -> list[str]:
    w = result.workforce
    if not len(w):
        return []
    full = w[(w.available_hours > 0)
             & (w.used_hours >= w.available_hours - 1e-6 * w.available_hours.clip(lower=1))]
    if not len(full):
        return []
    counts = full.groupby(["unit", "role"], sort=False).size().sort_values(
        ascending=False, kind="stable")
    parts = []
    for (unit, role), n in counts.head(5).items():
        when = f"all {n} periods" if n == ix.n_periods and n > 1 else \
            f"{n} of {ix.n_periods} period{'s' if ix.n_periods != 1 else ''}"
        parts.append(f"{role} at {names.u(unit)} ({when})")
    more = f" and {len(counts) - 5} more" if len(counts) > 5 else ""
    return [f"Fully used (every available hour allocated): {', '.join(parts)}{more}."]


def _binding_rows(program: Program, family: str, values: np.ndarray,
                  duals: np.ndarray | None) -> pd.DataFrame:
    """The rows of a family that bind and matter: a non-zero dual where duals are known,
    else no slack."""
    fam = program.family(family)
    if fam is None or not fam.count:
        return pd.DataFrame()
    labels = fam.labels.copy()
    if duals is not None:
        d = np.abs(duals[fam.rows])
        labels["weight"] = d
        return labels[d > DUAL_TOL].sort_values("weight", ascending=False, kind="stable")
    act = program.activity(values)[fam.rows]
    hi = program.row_upper[fam.rows]
    labels["weight"] = 0.0
    return labels[act >= hi - 1e-6 * np.maximum(1.0, np.abs(hi))]


def _groups(frame: pd.DataFrame, keys: list[str]) -> list:
    if not len(frame):
        return []
    return list(frame.groupby(keys, sort=False))[:TOP]


def _binding(ix: Index, program: Program, values: np.ndarray, duals: np.ndarray | None,
             names: _Names) -> list[str]:
    lines: list[str] = []
    caps = _binding_rows(program, "role_cap", values, duals)
    for (unit, role, stream, share), g in _groups(
            caps, ["unit", "role", "stream", "share_pct"]):
        lines.append(f"The cap on {role} time for {names.s(stream)} ({share:g} %) binds at "
                     f"{names.u(unit)} {_periods(ix, g.t)}.")
    share = _binding_rows(program, "sharing", values, duals)
    for (unit, to, role, pct), g in _groups(
            share, ["unit", "to_unit", "role", "share_pct"]):
        lines.append(f"{names.u(unit)} lends {role} to {names.u(to)} up to its {pct:g} % "
                     f"cap {_periods(ix, g.t)}.")
    budget = _binding_rows(program, "budget", values, duals)
    if len(budget):
        lines.append(f"The budget of £{ix.settings.budget_gbp:,.0f} a year is fully spent "
                     f"{_periods(ix, budget.t)}.")
    new = _binding_rows(program, "max_new", values, duals)
    for r in new.head(TOP).itertuples():
        lines.append(f"The cap of {r.cap_fte:g} new {r.role} posts at {names.u(r.unit)} is "
                     "reached.")
    ot = _binding_rows(program, "overtime", values, duals)
    for (unit, role, pct), g in _groups(ot, ["unit", "role", "cap_pct"]):
        lines.append(f"{role} overtime at {names.u(unit)} is at its {pct:g} % cap "
                     f"{_periods(ix, g.t)}.")
    fills = _binding_rows(program, "fills", values, duals)
    for (unit, role), g in _groups(fills, ["unit", "role"]):
        lines.append(f"Every vacancy for {role} at {names.u(unit)} is filled "
                     f"{_periods(ix, g.t)}.")
    lines += _recruit_caps(ix, program, values, names)
    return lines


def _recruit_caps(ix: Index, program: Program, values: np.ndarray,
                  names: _Names) -> list[str]:
    cols = program.block("fill")
    if cols.stop == cols.start:
        return []
    v = values[cols]
    at_cap = v >= program.col_upper[cols] - 1e-6
    if not at_cap.any():
        return []
    f = ix.fills[at_cap]
    lines = []
    for e, g in list(f.groupby("e", sort=False))[:TOP]:
        role = ix.role_of(int(e)).role_id
        unit = ix.units[int(ix.est.unit.iat[int(e)])]
        lines.append(f"Recruitment of {role} at {names.u(unit)} runs at its cap "
                     f"(recruit_fte_max) {_periods(ix, g.t)}.")
    return lines


def _next_post(result: Result, names: _Names) -> list[str]:
    n = result.next_posts
    if not len(n):
        return []
    r = n.iloc[0]
    return [f"Next post to fund: one more {r.role} at {names.u(r.unit)} in {r.period} "
            f"would avoid {_hours(r.marginal_value_per_fte)} weighted unmet hours "
            f"({r.value_per_gbp_million:,.0f} per £1m)."]


# ---- why min_cost cannot meet its minimums -----------------------------------------------

def explain_infeasible(ix: Index, program: Program, cols: Columns,
                       values: np.ndarray) -> list[str]:
    """From the elastic plan (minimum service soft, hours below minimum minimised): one
    line per stream, unit and period that falls short, worst first, with the reason."""
    names = _Names(ix)
    breach = values[cols.breach:cols.breach + cols.n_breach]
    order = np.argsort(-breach, kind="stable")
    order = order[breach[order] > 0.5]
    total = float(breach[breach > 0].sum())
    lines = [f"No plan can meet every minimum service level: {len(order)} "
             f"stream/unit/period combination{'s' if len(order) != 1 else ''} fall short by "
             f"{_hours(total)} hours in all."]
    for k in order[:MAX_SHORTFALLS]:
        d = int(cols.service_d[k])
        row = ix.demand.iloc[d]
        unit, stream, t = int(row.unit), int(row.stream), int(row.t)
        lines.append(f"{ix.stream_names[stream]} at {ix.unit_names[unit]} in "
                     f"{ix.periods[t]}: {_hours(breach[k])} hours short; "
                     f"{_why(ix, program, values, d, t, names)}.")
    if len(order) > MAX_SHORTFALLS:
        lines.append(f"... and {len(order) - MAX_SHORTFALLS} more.")
    return lines


def _why(ix: Index, program: Program, values: np.ndarray, d: int, t: int,
         names: _Names) -> str:
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
        reasons.append(f"new posts cannot start in time (recruiting {lead.role_id} takes "
                       f"{lead.recruitment_months:g} months, so no one new starts{when})")
    else:
        r_idx = ix.est.role.to_numpy()[early.e.to_numpy()]
        eff = ix.hire_eff[r_idx, early.t.to_numpy(), t]
        keep = ix.keep[r_idx, early.t.to_numpy(), t]
        if not (eff > 1e-9).any():
            role = ix.role_of(int(early.e.iat[0]))
            reasons.append(f"new posts cannot be trained in time ({role.role_id} joiners "
                           f"train for {role.training_months:g} months)")
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
                     t: int, stream: int, names: _Names) -> list[str]:
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
        out.append(f"the cap of {r.cap_fte:g} new {r.role} posts at {names.u(r.unit)} is "
                   "reached")
    caps = binding("role_cap")
    caps = caps[caps.e.isin(es) & (caps.t == t)]
    caps = caps[caps.stream == ix.streams[stream]]
    for r in caps.head(2).itertuples():
        out.append(f"at most {r.share_pct:g} % of {r.role} time may go to this stream")
    return out
