"""The short narrative of every solve: the headline, then what a planner asks next.

Everything is worked on arrays (``optimise/grouping.py``): a frame's ID columns become
integer codes once, in order of first appearance as pandas' ``groupby(sort=False)``
orders its groups, totals are ``np.bincount`` over those codes and only the few findings
that are named become text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from capacity_planner.optimise.grouping import codes, descending, groups, sums
from capacity_planner.optimise.index import Index
from capacity_planner.optimise.marginal import DUAL_TOL
from capacity_planner.optimise.program import Program
from capacity_planner.optimise.result import Result
from capacity_planner.optimise.wording import (
    TOP,
    Names,
    hours,
    pct,
    per_period,
    periods,
)


def narrative(ix: Index, result: Result, program: Program, values: np.ndarray,
              duals: np.ndarray | None) -> list[str]:
    """The headline, then what a planner asks next: which posts the plan buys or fills,
    where it falls shortest, which minimums are breached, whose time is scarcest,
    overtime, the next post to fund, and the caps that bind."""
    names = Names(ix)
    staff = _Staff.of(result.workforce)
    lines = [_headline(result)]
    lines += _hires(result, staff, names)
    lines += _shortfalls(ix, result, names)
    lines += _breaches(result, names)
    lines += _scarcest(ix, result, staff, names)
    lines += _overtime(ix, result, staff)
    lines += _next_post(result, names)
    lines += _binding(ix, program, values, duals, names)
    return lines


class _Staff(NamedTuple):
    """The workforce table's role and unit columns as codes, worked out once."""

    rc: np.ndarray
    roles: np.ndarray
    uc: np.ndarray
    units: np.ndarray

    @classmethod
    def of(cls, workforce: pd.DataFrame) -> _Staff:
        return cls(*codes(workforce["role"]), *codes(workforce["unit"]))


# ---- findings ----------------------------------------------------------------------------

def _headline(result: Result) -> str:
    t = result.totals
    met = (f"{hours(t.delivered_hours)} of {hours(t.demand_hours)} demand hours met; "
           f"{hours(t.unmet_hours)} unmet (weighted {hours(t.weighted_unmet)}).")
    c = result.costs
    parts = []
    for label, col in (("new posts", "new_posts_gbp"), ("recruitment", "recruitment_gbp"),
                       ("overtime", "overtime_gbp")):
        total = float(c[col].sum()) if len(c) else 0.0
        if total > 0.5:
            parts.append(f"{label} £{total:,.0f}")
    cost = f" Cost £{t.cost_gbp:,.0f}" + (f" ({', '.join(parts)})." if parts else ".")
    if result.objective == "min_cost":
        return (f"The cheapest plan that meets every minimum (coverage "
                f"{t.coverage_pct:.1f} %): {met}{cost}")
    return f"Coverage {t.coverage_pct:.1f} %: {met}{cost}"


def _hires(result: Result, staff: _Staff, names: Names) -> list[str]:
    """Which posts the plan buys and which vacancies it fills, by role, each with the
    unit that gets most."""
    w = result.workforce
    columns = (("new_fte", "New posts"), ("recruited_fte", "Recruited into vacancies"))
    totals = {column: float(w[column].sum()) for column, _ in columns} if len(w) else {}
    if not totals or max(totals.values()) < 0.05:
        return []
    rc, roles, uc, units = staff
    group, first = groups(rc, uc)
    lines = []
    for column, label in columns:
        total = totals[column]
        if total < 0.05:
            continue
        fte = sums(group, len(first), w[column].to_numpy(dtype=float))
        g_role, g_unit = rc[first], uc[first]
        by_role = sums(g_role, len(roles), fte)
        kept = np.flatnonzero(by_role >= 0.05)
        ranked = kept[descending(by_role[kept])]
        parts = []
        for role in ranked[:TOP + 1]:
            gs = np.flatnonzero(g_role == role)
            big = gs[fte[gs] >= 0.05]
            gs = big if len(big) else gs
            top = gs[int(np.argmax(fte[gs]))]
            where = (f"all at {names.u(units[g_unit[top]])}" if len(gs) == 1
                     else f"most at {names.u(units[g_unit[top]])}, {fte[top]:,.1f}")
            parts.append(f"{names.rs(roles[role])} {by_role[role]:,.1f} ({where})")
        more = len(kept) - len(parts)
        tail = f" and {more} more role{'s' if more != 1 else ''}" if more > 0 else ""
        lines.append(f"{label} over the plan, {total:,.1f} FTE: "
                     f"{', '.join(parts)}{tail}.")
    return lines


def _shortfalls(ix: Index, result: Result, names: Names) -> list[str]:
    """The streams that fall shortest over the whole plan, each with its worst unit.

    Ranked by weighted unmet hours per demand hour (the share of demand unmet times the
    stream's priority weight), not by raw hours: an hour of neighbourhood work is not an
    hour of analysis, and raw hours would always put the largest general-policing stream
    first, however well it is served in proportion."""
    cov = result.coverage
    if not len(cov) or float(cov.unmet_hours.sum()) <= 0.5:
        return []
    demand = cov.demand_hours.to_numpy(dtype=float)
    unmet = cov.unmet_hours.to_numpy(dtype=float)
    sc, streams = codes(cov.stream)
    uc, units = codes(cov.unit)
    weight = _demand_weights(ix, cov, uc, units, sc, streams)
    weighted = unmet * np.where(np.isnan(weight), 1.0, weight)
    n = len(streams)
    s_demand, s_unmet = sums(sc, n, demand), sums(sc, n, unmet)
    s_weighted = sums(sc, n, weighted)
    kept = np.flatnonzero((s_unmet > 0.5) & (s_demand > 0))
    ranked = kept[descending(s_weighted[kept] / s_demand[kept])]
    lines = []
    for s in ranked[:TOP]:
        rows = np.flatnonzero(sc == s)
        lo, hi = np.fmin.reduce(weight[rows]), np.fmax.reduce(weight[rows])
        line = f"Shortfall: {names.s_first(streams[s])}"
        if lo == hi and lo == lo:  # one weight (not NaN) for the whole stream
            line += f" (weight {lo:g})"
        line += (f": {pct(s_unmet[s], s_demand[s])} of demand unmet over the plan "
                 f"({hours(s_unmet[s])} hours)")
        group, first = groups(uc[rows])
        u_demand = sums(group, len(first), demand[rows])
        u_unmet = sums(group, len(first), unmet[rows])
        served = np.flatnonzero(u_demand > 0)
        if len(served) > 1:
            share = u_unmet[served] / u_demand[served]
            worst = served[descending(share)[0]]
            line += (f"; worst at {names.u(units[uc[rows][first[worst]]])}, "
                     f"{pct(u_unmet[worst], u_demand[worst])} unmet")
        lines.append(line + ".")
    return lines


def _demand_weights(ix: Index, cov: pd.DataFrame, uc: np.ndarray, units: np.ndarray,
                    sc: np.ndarray, streams: np.ndarray) -> np.ndarray:
    """Each coverage row's priority weight: the index's demand row of the same unit,
    stream and period (NaN where there is none). ``uc``, ``sc``: the rows' unit and
    stream codes, of ``units`` and ``streams``."""
    tc, periods_seen = codes(cov.period)
    u = _positions(ix.units, units)[uc]
    s = _positions(ix.streams, streams)[sc]
    t = _positions(ix.periods, periods_seen)[tc]
    U, S, T = len(ix.units), len(ix.streams), ix.n_periods
    grid = np.full(U * S * T + 1, np.nan)  # the last cell: no such demand row
    d = ix.demand
    grid[(d.unit.to_numpy() * S + d.stream.to_numpy()) * T + d.t.to_numpy()] = \
        d.weight.to_numpy(dtype=float)
    found = (u >= 0) & (s >= 0) & (t >= 0)
    return grid[np.where(found, (u * S + s) * T + t, U * S * T)]


def _positions(ids: Sequence[str], seen: np.ndarray) -> np.ndarray:
    """Each of ``seen``'s position in ``ids`` (-1 where absent)."""
    at = {v: i for i, v in enumerate(ids)}
    return np.array([at.get(v, -1) for v in seen], dtype=np.int64)


def _breaches(result: Result, names: Names) -> list[str]:
    cov = result.coverage
    if not len(cov):
        return []
    breach = cov.breach.to_numpy(dtype=bool)
    if not breach.any():
        return []
    rows = np.flatnonzero(breach)
    minimum = cov.min_service_pct.to_numpy(dtype=float)[rows]
    below = (cov.demand_hours.to_numpy(dtype=float)[rows] * minimum / 100.0
             - cov.delivered_hours.to_numpy(dtype=float)[rows])
    k = int(descending(np.where(np.isnan(below), -np.inf, below))[0])
    r = rows[k]
    n = len(rows)
    return [f"Minimum service is breached in {n} place{'s' if n != 1 else ''}; "
            f"the worst: {names.s_first(cov.stream.iat[r])} at {names.u(cov.unit.iat[r])} "
            f"in {cov.period.iat[r]}: {hours(below[k])} hours below the {minimum[k]:g} % "
            "minimum."]


def _scarcest(ix: Index, result: Result, staff: _Staff, names: Names) -> list[str]:
    """The people whose next hour is worth most: roles and units ranked by the weighted
    unmet hours one more FTE would avoid, on average over the plan's periods."""
    w = result.workforce
    if not len(w):
        return []
    mv = w.marginal_value_per_fte.to_numpy()
    if mv.dtype.kind != "f":
        mv = pd.to_numeric(w.marginal_value_per_fte, errors="coerce").to_numpy(dtype=float)
    missing = np.isnan(mv)
    if missing.all():
        return []  # no duals: a plan stopped at the time limit
    rc, roles, uc, units = staff
    group, first = groups(uc, rc)
    value = sums(group, len(first), np.where(missing, 0.0, mv)) / max(ix.n_periods, 1)
    kept = np.flatnonzero(value >= 0.5)
    top = kept[descending(value[kept])][:TOP]
    if not len(top):
        return []
    parts = [f"{names.rs(roles[rc[first[g]]])} at {names.u(units[uc[first[g]]])}"
             for g in top]
    parts[0] += (f" (one more FTE avoids {hours(value[top[0]])} weighted unmet hours "
                 f"{per_period(ix)}, on average over the plan)")
    parts[1:] = [f"{p} ({hours(value[g])})" for p, g in zip(parts[1:], top[1:],
                                                             strict=True)]
    listed = parts[0] if len(parts) == 1 else (", ".join(parts[:-1]) + " and " + parts[-1])
    return [f"The scarcest people: {listed}."]


def _overtime(ix: Index, result: Result, staff: _Staff) -> list[str]:
    """How much of the overtime the caps allow the plan uses, and why it may use less."""
    w = result.workforce
    if not len(w):
        return []
    cap = {r.role_id: r.overtime_cap_pct / 100.0 for r in ix.roles}
    rc, roles = staff.rc, staff.roles
    rate = np.array([cap.get(r, np.nan) for r in roles], dtype=float)
    rate = np.where(np.isnan(rate), 0.0, rate)
    allowed = float((w.available_hours.to_numpy(dtype=float) * rate[rc]).sum())
    if allowed <= 0.5:
        return []
    used = float(w.overtime_hours.sum())
    cost = float(result.costs.overtime_gbp.sum()) if len(result.costs) else 0.0
    line = (f"Overtime: {hours(used)} hours (£{cost:,.0f}), "
            f"{pct(used, allowed)} of what the caps allow." if used > 0.5
            else "Overtime: none used.")
    if result.objective == "min_cost":
        line += " The cheapest plan pays for overtime only where a minimum needs it."
    elif ix.settings.budget_gbp is not None:
        line += " Overtime counts against the budget, as new posts do."
    return [line]


def _next_post(result: Result, names: Names) -> list[str]:
    n = result.next_posts
    if not len(n):
        return []
    r = n.iloc[0]
    return [f"Next post to fund: one more {names.r(r.role)} at {names.u(r.unit)} in {r.period} "
            f"would avoid {hours(r.marginal_value_per_fte)} weighted unmet hours "
            f"({r.value_per_gbp_million:,.0f} per £1m)."]


# ---- the caps that bind ------------------------------------------------------------------

class _Binding:
    """The rows of each family that bind and matter: a non-zero dual where duals are
    known (largest first), else no slack (in row order)."""

    def __init__(self, program: Program, values: np.ndarray,
                 duals: np.ndarray | None) -> None:
        self.program, self.values, self.duals = program, values, duals
        self._act: np.ndarray | None = None

    def rows(self, family: str) -> tuple[pd.DataFrame | None, np.ndarray]:
        """The family's labels and the positions (within it) of its binding rows."""
        fam = self.program.family(family)
        if fam is None or not fam.count:
            return None, np.zeros(0, dtype=np.int64)
        if self.duals is not None:
            d = np.abs(self.duals[fam.rows])
            at = np.flatnonzero(d > DUAL_TOL)
            return fam.labels, at[descending(d[at])]
        if self._act is None:
            self._act = self.program.activity(self.values)
        act = self._act[fam.rows]
        hi = self.program.row_upper[fam.rows]
        return fam.labels, np.flatnonzero(act >= hi - 1e-6 * np.maximum(1.0, np.abs(hi)))


def _firstgroups(labels: pd.DataFrame | None, at: np.ndarray,
                  keys: Sequence[str]) -> list[tuple[tuple, np.ndarray]]:
    """The first ``TOP`` groups of the rows ``at`` by ``keys``, in order of first
    appearance: each group's key values and its rows' periods."""
    if labels is None or not len(at):
        return []
    columns = [labels[k].to_numpy()[at] for k in keys]
    group, first = groups(*(codes(c)[0] for c in columns))
    t = labels.t.to_numpy()[at]
    return [(tuple(c[first[g]] for c in columns), t[group == g])
            for g in range(min(TOP, len(first)))]


def _binding(ix: Index, program: Program, values: np.ndarray, duals: np.ndarray | None,
             names: Names) -> list[str]:
    lines: list[str] = []
    binding = _Binding(program, values, duals)
    caps, at = binding.rows("role_cap")
    for (unit, role, stream, share), ts in _firstgroups(
            caps, at, ["unit", "role", "stream", "share_pct"]):
        lines.append(f"The cap on {names.r(role)} time for {names.s(stream)} ({share:g} %) "
                     f"binds at {names.u(unit)} {periods(ix, ts)}.")
    lending, at = binding.rows("sharing")
    for (unit, to, role, share), ts in _firstgroups(
            lending, at, ["unit", "to_unit", "role", "share_pct"]):
        lines.append(f"{names.u(unit)} lends {names.rs(role)} to {names.u(to)} up to its "
                     f"{share:g} % cap {periods(ix, ts)}.")
    budget, at = binding.rows("budget")
    if budget is not None and len(at):
        lines.append(f"The budget of £{ix.settings.budget_gbp:,.0f} a year is fully spent "
                     f"{periods(ix, budget.t.to_numpy()[at])}.")
    new, at = binding.rows("max_new")
    if new is not None:
        lines += [f"The cap of {new.cap_fte.iat[i]:g} new {names.r(new.role.iat[i])} "
                  f"posts at {names.u(new.unit.iat[i])} is reached." for i in at[:TOP]]
    ot, at = binding.rows("overtime")
    for (unit, role, cap_pct), ts in _firstgroups(ot, at, ["unit", "role", "cap_pct"]):
        lines.append(f"{names.r_first(role)} overtime at {names.u(unit)} is at its "
                     f"{cap_pct:g} % cap {periods(ix, ts)}.")
    fills, at = binding.rows("fills")
    for (unit, role), ts in _firstgroups(fills, at, ["unit", "role"]):
        lines.append(f"Every {names.r(role)} vacancy at {names.u(unit)} is filled "
                     f"{periods(ix, ts)}.")
    lines += _recruit_caps(ix, program, values, names)
    return lines


def _recruit_caps(ix: Index, program: Program, values: np.ndarray,
                  names: Names) -> list[str]:
    cols = program.block("fill")
    if cols.stop == cols.start:
        return []
    at_cap = values[cols] >= program.col_upper[cols] - 1e-6
    if not at_cap.any():
        return []
    e = ix.fills.e.to_numpy()[at_cap]
    t = ix.fills.t.to_numpy()[at_cap]
    group, first = groups(codes(e)[0])
    lines = []
    for g in range(min(TOP, len(first))):
        row = int(e[first[g]])
        role = ix.role_of(row).role_id
        unit = ix.units[int(ix.est.unit.iat[row])]
        lines.append(f"Recruitment of {names.rs(role)} at {names.u(unit)} runs at its cap "
                     f"(recruit_fte_max) {periods(ix, t[group == g])}.")
    return lines
