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
    """User-facing names: a unit's, role's or stream's name where given, else its ID."""

    def __init__(self, ix: Index) -> None:
        from capacity_planner.domain.ids import id_key

        self.key = id_key
        self.unit = {id_key(u): n for u, n in zip(ix.units, ix.unit_names, strict=True)}
        self.stream = {id_key(s): n for s, n in zip(ix.streams, ix.stream_names,
                                                     strict=True)}
        self.role = {id_key(r.role_id): r.name or r.role_id for r in ix.roles}

    def u(self, unit_id: str) -> str:
        return self.unit.get(self.key(unit_id), unit_id)

    def s(self, stream_id: str) -> str:
        """A stream's name as it reads inside a sentence."""
        return _in_sentence(self.stream.get(self.key(stream_id), stream_id))

    def s_first(self, stream_id: str) -> str:
        """A stream's name as written, for the start of a line."""
        return self.stream.get(self.key(stream_id), stream_id)

    def r(self, role_id: str) -> str:
        return _in_sentence(self.role.get(self.key(role_id), role_id))

    def rs(self, role_id: str) -> str:
        """A role's name in the plural ("intelligence analysts"); IDs stay as they are."""
        return _plural(self.r(role_id))

    def r_first(self, role_id: str) -> str:
        return self.role.get(self.key(role_id), role_id)


def _in_sentence(name: str) -> str:
    """"Intelligence analyst" reads "intelligence analyst" mid-sentence; IDs and acronyms
    ("SOCU constable", "PCSO") keep their capitals."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def _plural(name: str) -> str:
    if not name or not name[-1].islower():
        return name  # an ID or acronym: "DC", "PCSO"
    if name.endswith(("s", "x", "ch", "sh")):
        return name + "es"
    return name + "s"


def _per_period(ix: Index) -> str:
    months = {float(m) for m in ix.months}
    if len(months) == 1:
        return {1.0: "a month", 3.0: "a quarter", 12.0: "a year"}.get(months.pop(),
                                                                      "a period")
    return "a period"


# ---- narrative for every solve -----------------------------------------------------------

def narrative(ix: Index, result: Result, program: Program, values: np.ndarray,
              duals: np.ndarray | None) -> list[str]:
    """The headline, then what a planner asks next: which posts the plan buys or fills,
    where it falls shortest, which minimums are breached, whose time is scarcest,
    overtime, the next post to fund, and the caps that bind."""
    names = _Names(ix)
    lines = [_headline(result)]
    lines += _hires(result, names)
    lines += _shortfalls(ix, result, names)
    lines += _breaches(result, names)
    lines += _scarcest(ix, result, names)
    lines += _overtime(ix, result)
    lines += _next_post(result, names)
    lines += _binding(ix, program, values, duals, names)
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
    if result.objective == "min_cost":
        return (f"The cheapest plan that meets every minimum (coverage "
                f"{t.coverage_pct:.1f} %): {met}{cost}")
    return f"Coverage {t.coverage_pct:.1f} %: {met}{cost}"


def _hires(result: Result, names: _Names) -> list[str]:
    """Which posts the plan buys and which vacancies it fills, by role, each with the
    unit that gets most."""
    w = result.workforce
    lines = []
    for column, label in (("new_fte", "New posts"), ("recruited_fte",
                                                     "Recruited into vacancies")):
        if not len(w) or float(w[column].sum()) < 0.05:
            continue
        by_unit = w.groupby(["role", "unit"], sort=False)[column].sum()
        by_role = by_unit.groupby(level="role", sort=False).sum()
        by_role = by_role[by_role >= 0.05].sort_values(ascending=False, kind="stable")
        parts = []
        for role, fte in by_role.head(TOP + 1).items():
            units = by_unit.loc[role]
            units = units[units >= 0.05]
            top = units.idxmax()
            where = (f"all at {names.u(top)}" if len(units) == 1
                     else f"most at {names.u(top)}, {units.loc[top]:,.1f}")
            parts.append(f"{names.rs(role)} {fte:,.1f} ({where})")
        more = len(by_role) - len(parts)
        tail = f" and {more} more role{'s' if more != 1 else ''}" if more > 0 else ""
        lines.append(f"{label} over the plan, {float(w[column].sum()):,.1f} FTE: "
                     f"{', '.join(parts)}{tail}.")
    return lines


def _shortfalls(ix: Index, result: Result, names: _Names) -> list[str]:
    """The streams that fall shortest over the whole plan, each with its worst unit.

    Ranked by weighted unmet hours per demand hour (the share of demand unmet times the
    stream's priority weight), not by raw hours: an hour of neighbourhood work is not an
    hour of analysis, and raw hours would always put the largest general-policing stream
    first, however well it is served in proportion."""
    cov = result.coverage
    if not len(cov) or float(cov.unmet_hours.sum()) <= 0.5:
        return []
    d = ix.demand
    weights = pd.DataFrame({
        "unit": np.array(ix.units, dtype=object)[d.unit.to_numpy()],
        "stream": np.array(ix.streams, dtype=object)[d.stream.to_numpy()],
        "period": np.array(ix.periods, dtype=object)[d.t.to_numpy()],
        "weight": d.weight.to_numpy(dtype=float)})
    c = cov.merge(weights, on=["unit", "stream", "period"], how="left")
    c["weighted"] = c.unmet_hours * c.weight.fillna(1.0)
    by_stream = c.groupby("stream", sort=False)[["demand_hours", "unmet_hours",
                                                 "weighted"]].sum()
    by_stream = by_stream[(by_stream.unmet_hours > 0.5) & (by_stream.demand_hours > 0)]
    rank = (by_stream.weighted / by_stream.demand_hours).sort_values(ascending=False,
                                                                      kind="stable")
    by_unit = c.groupby(["stream", "unit"], sort=False)[["demand_hours",
                                                        "unmet_hours"]].sum()
    weight = c.groupby("stream", sort=False).weight.agg(["min", "max"])
    lines = []
    for stream in rank.index[:TOP]:
        row = by_stream.loc[stream]
        lo, hi = weight.loc[stream]
        line = f"Shortfall: {names.s_first(stream)}"
        if lo == hi and lo == lo:  # one weight (not NaN) for the whole stream
            line += f" (weight {lo:g})"
        line += (f": {_pct(row.unmet_hours, row.demand_hours)} of demand unmet over the plan "
                 f"({_hours(row.unmet_hours)} hours)")
        units = by_unit.loc[stream]
        units = units[units.demand_hours > 0]
        if len(units) > 1:
            share = (units.unmet_hours / units.demand_hours).sort_values(ascending=False,
                                                                         kind="stable")
            worst = share.index[0]
            line += (f"; worst at {names.u(worst)}, "
                     f"{_pct(units.loc[worst].unmet_hours, units.loc[worst].demand_hours)} "
                     "unmet")
        lines.append(line + ".")
    return lines


def _pct(part: float, whole: float) -> str:
    return f"{100.0 * part / whole:.0f} %" if whole > 0 else "0 %"


def _breaches(result: Result, names: _Names) -> list[str]:
    cov = result.coverage
    if not len(cov) or not cov.breach.any():
        return []
    b = cov[cov.breach].copy()
    b["below"] = b.demand_hours * b.min_service_pct / 100.0 - b.delivered_hours
    b = b.sort_values("below", ascending=False, kind="stable")
    r = b.iloc[0]
    return [f"Minimum service is breached in {len(b)} place{'s' if len(b) != 1 else ''}; "
            f"the worst: {names.s_first(r.stream)} at {names.u(r.unit)} in {r.period}: "
            f"{_hours(r.below)} hours below the {r.min_service_pct:g} % minimum."]


def _scarcest(ix: Index, result: Result, names: _Names) -> list[str]:
    """The people whose next hour is worth most: roles and units ranked by the weighted
    unmet hours one more FTE would avoid, on average over the plan's periods."""
    w = result.workforce
    if not len(w):
        return []
    mv = pd.to_numeric(w.marginal_value_per_fte, errors="coerce")
    if mv.isna().all():
        return []  # no duals: a plan stopped at the time limit
    value = mv.fillna(0.0).groupby([w.unit, w.role], sort=False).sum() / max(ix.n_periods, 1)
    value = value[value >= 0.5].sort_values(ascending=False, kind="stable").head(TOP)
    if not len(value):
        return []
    parts = [f"{names.rs(role)} at {names.u(unit)}" for unit, role in value.index]
    parts[0] += (f" (one more FTE avoids {_hours(value.iloc[0])} weighted unmet hours "
                 f"{_per_period(ix)}, on average over the plan)")
    parts[1:] = [f"{p} ({_hours(v)})" for p, v in zip(parts[1:], value.iloc[1:],
                                                       strict=True)]
    listed = parts[0] if len(parts) == 1 else (", ".join(parts[:-1]) + " and " + parts[-1])
    return [f"The scarcest people: {listed}."]


def _overtime(ix: Index, result: Result) -> list[str]:
    """How much of the overtime the caps allow the plan uses, and why it may use less."""
    w = result.workforce
    if not len(w):
        return []
    cap = {r.role_id: r.overtime_cap_pct / 100.0 for r in ix.roles}
    allowed = float((w.available_hours.astype(float) * w.role.map(cap).fillna(0.0)).sum())
    if allowed <= 0.5:
        return []
    used = float(w.overtime_hours.sum())
    cost = float(result.costs.overtime_gbp.sum()) if len(result.costs) else 0.0
    line = (f"Overtime: {_hours(used)} hours (£{cost:,.0f}), "
            f"{_pct(used, allowed)} of what the caps allow." if used > 0.5
            else "Overtime: none used.")
    if result.objective == "min_cost":
        line += " The cheapest plan pays for overtime only where a minimum needs it."
    elif ix.settings.budget_gbp is not None:
        line += " Overtime counts against the budget, as new posts do."
    return [line]


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
        lines.append(f"The cap on {names.r(role)} time for {names.s(stream)} ({share:g} %) "
                     f"binds at {names.u(unit)} {_periods(ix, g.t)}.")
    share = _binding_rows(program, "sharing", values, duals)
    for (unit, to, role, pct), g in _groups(
            share, ["unit", "to_unit", "role", "share_pct"]):
        lines.append(f"{names.u(unit)} lends {names.rs(role)} to {names.u(to)} up to its "
                     f"{pct:g} % cap {_periods(ix, g.t)}.")
    budget = _binding_rows(program, "budget", values, duals)
    if len(budget):
        lines.append(f"The budget of £{ix.settings.budget_gbp:,.0f} a year is fully spent "
                     f"{_periods(ix, budget.t)}.")
    new = _binding_rows(program, "max_new", values, duals)
    for r in new.head(TOP).itertuples():
        lines.append(f"The cap of {r.cap_fte:g} new {names.r(r.role)} posts at "
                     f"{names.u(r.unit)} is reached.")
    ot = _binding_rows(program, "overtime", values, duals)
    for (unit, role, pct), g in _groups(ot, ["unit", "role", "cap_pct"]):
        lines.append(f"{names.r_first(role)} overtime at {names.u(unit)} is at its {pct:g} % "
                     f"cap {_periods(ix, g.t)}.")
    fills = _binding_rows(program, "fills", values, duals)
    for (unit, role), g in _groups(fills, ["unit", "role"]):
        lines.append(f"Every {names.r(role)} vacancy at {names.u(unit)} is filled "
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
        lines.append(f"Recruitment of {names.rs(role)} at {names.u(unit)} runs at its cap "
                     f"(recruit_fte_max) {_periods(ix, g.t)}.")
    return lines


def _next_post(result: Result, names: _Names) -> list[str]:
    n = result.next_posts
    if not len(n):
        return []
    r = n.iloc[0]
    return [f"Next post to fund: one more {names.r(r.role)} at {names.u(r.unit)} in {r.period} "
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
        out.append(f"the cap of {r.cap_fte:g} new {names.r(r.role)} posts at "
                   f"{names.u(r.unit)} is reached")
    caps = binding("role_cap")
    caps = caps[caps.e.isin(es) & (caps.t == t)]
    caps = caps[caps.stream == ix.streams[stream]]
    for r in caps.head(2).itertuples():
        out.append(f"at most {r.share_pct:g} % of {names.r(r.role)} time may go to this "
                   "stream")
    return out
