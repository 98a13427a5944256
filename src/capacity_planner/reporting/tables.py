"""The tables behind each chart, taken from a ``Result`` (and the model for names, order
and the supply rules). Charts draw exactly these numbers, and the results workbook shows
them beside the chart images, so a reader can check every bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from capacity_planner.domain.ids import id_key
from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.scenario import apply_scenario
from capacity_planner.domain.supply import existing_effective_fte, period_starts, survival
from capacity_planner.optimise.result import Result


@dataclass(frozen=True)
class Names:
    """Display names and the model's order for units, roles, streams and periods."""

    model: PlanningModel

    @cached_property
    def units(self) -> dict[str, str]:
        return {id_key(u.unit_id): (u.name or u.unit_id) for u in self.model.units}

    @cached_property
    def roles(self) -> dict[str, str]:
        return {id_key(r.role_id): (r.name or r.role_id) for r in self.model.roles}

    @cached_property
    def streams(self) -> dict[str, str]:
        return {id_key(s.stream_id): (s.name or s.stream_id) for s in self.model.streams}

    @cached_property
    def periods(self) -> list[str]:
        return [p.period for p in self.model.plan_periods]

    def unit(self, uid: object) -> str:
        return self.units.get(id_key(uid), str(uid))

    def role(self, rid: object) -> str:
        return self.roles.get(id_key(rid), str(rid))

    def stream(self, sid: object) -> str:
        return self.streams.get(id_key(sid), str(sid))

    def order(self, kind: str, ids: Sequence[object]) -> list[str]:
        """IDs (as given) sorted in the model's order; unknown ones last, as found."""
        known = {"unit": self.units, "role": self.roles, "stream": self.streams}[kind]
        rank = {k: i for i, k in enumerate(known)}
        uniq = list(dict.fromkeys(str(i) for i in ids))
        return sorted(uniq, key=lambda i: (rank.get(id_key(i), len(rank)), uniq.index(i)))

    def period_rank(self, period: object) -> int:
        return self.model.period_index.get(id_key(period), len(self.periods))


def scenario_model(model: PlanningModel, scenario: str) -> PlanningModel:
    """The model as the scenario changes it (attrition, abstraction...), or the model."""
    try:
        return apply_scenario(model, scenario)[0]
    except (KeyError, ValueError):
        return model


def first_year_periods(model: PlanningModel) -> list[str]:
    """Periods that start within the plan's first 12 months."""
    months = [p.months for p in model.plan_periods]
    return [p.period for p, s in zip(model.plan_periods, period_starts(months), strict=True)
            if s < 12 - 1e-9]


# ---- (a) the four supply layers -------------------------------------------------------
LAYERS = ("funded_fte", "in_post_fte", "qualified_fte", "deployable_fte")


def supply_layers(result: Result, model: PlanningModel) -> pd.DataFrame:
    """Per role (model order): the four layers summed over units, the FTE that year-one
    demand needs, and the gap (needed less deployable).

    FTE needed = (hours the role works in year one + unmet hours it would cover, divided
    by its efficiency) / (hours per FTE x years). Unmet hours of a stream are shared
    among the roles working on it at that unit and period in proportion to their hours
    (equally among the skilled roles if none works on it).
    """
    names = Names(model)
    layers = result.layers
    if layers.empty:
        return pd.DataFrame(columns=["role", "name", *LAYERS, "needed_fte", "gap_fte"])
    sums = layers.groupby(layers["role"].astype(str), sort=False)[list(LAYERS)].sum()
    needed = _needed_fte(result, model)
    rows = []
    for rid in names.order("role", list(sums.index)):
        got = sums.loc[rid]
        need = needed.get(id_key(rid), 0.0)
        rows.append({"role": rid, "name": names.role(rid),
                     **{c: float(got[c]) for c in LAYERS},
                     "needed_fte": need, "gap_fte": need - float(got["deployable_fte"])})
    return pd.DataFrame(rows)


def _needed_fte(result: Result, model: PlanningModel) -> dict[str, float]:
    year1 = {id_key(p) for p in first_year_periods(model)}
    months = sum(p.months for p in model.plan_periods if id_key(p.period) in year1)
    years = months / 12 if months else 1.0
    wf = result.workforce
    worked: dict[str, float] = {}
    for row in wf.itertuples(index=False):
        if id_key(row.period) in year1:
            worked[id_key(row.role)] = worked.get(id_key(row.role), 0.0) + float(row.used_hours)
    efficiency = {(id_key(k.role_id), id_key(k.stream_id)): k.efficiency for k in model.skills}
    skilled: dict[str, list[str]] = {}
    for r, s in efficiency:
        skilled.setdefault(s, []).append(r)
    spent: dict[tuple[str, str, str], dict[str, float]] = {}
    for a in result.allocation.itertuples(index=False):
        if id_key(a.period) in year1:
            key = (id_key(a.to_unit), id_key(a.stream), id_key(a.period))
            by_role = spent.setdefault(key, {})
            by_role[id_key(a.role)] = by_role.get(id_key(a.role), 0.0) + float(a.hours)
    cover: dict[str, float] = {}
    for c in result.coverage.itertuples(index=False):
        unmet = float(c.unmet_hours)
        if id_key(c.period) not in year1 or unmet <= 0:
            continue
        s = id_key(c.stream)
        by_role = spent.get((id_key(c.unit), s, id_key(c.period)), {})
        total = sum(by_role.values())
        shares = ({r: h / total for r, h in by_role.items()} if total > 0 else
                  {r: 1 / len(skilled[s]) for r in skilled.get(s, [])})
        for r, share in shares.items():
            cover[r] = cover.get(r, 0.0) + unmet * share / efficiency.get((r, s), 1.0)
    out = {}
    for role in model.roles:
        k = id_key(role.role_id)
        hours = worked.get(k, 0.0) + cover.get(k, 0.0)
        out[k] = hours / (role.hours_per_fte * years) if role.hours_per_fte else 0.0
    return out


# ---- (b) and (c) demand and coverage --------------------------------------------------
def demand_by_stream(result: Result, model: PlanningModel) -> pd.DataFrame:
    """Per stream over the whole plan: demand, delivered and unmet hours, coverage %."""
    names = Names(model)
    cov = result.coverage
    cols = ["demand_hours", "delivered_hours", "unmet_hours"]
    if cov.empty:
        return pd.DataFrame(columns=["stream", "name", *cols, "coverage_pct"])
    sums = cov.groupby(cov["stream"].astype(str), sort=False)[cols].sum()
    rows = []
    for sid in names.order("stream", list(sums.index)):
        d, got, short = (float(sums.loc[sid, c]) for c in cols)
        rows.append({"stream": sid, "name": names.stream(sid), "demand_hours": d,
                     "delivered_hours": got, "unmet_hours": short,
                     "coverage_pct": 100 * got / d if d else float("nan")})
    return pd.DataFrame(rows)


def coverage_matrix(result: Result, model: PlanningModel) -> pd.DataFrame:
    """Coverage % over the whole plan, units (rows, model order) by streams (columns);
    NaN where a unit has no demand for a stream."""
    names = Names(model)
    cov = result.coverage
    if cov.empty:
        return pd.DataFrame()
    sums = cov.groupby([cov["unit"].astype(str), cov["stream"].astype(str)])[
        ["demand_hours", "delivered_hours"]].sum()
    units = names.order("unit", list(cov["unit"].astype(str)))
    streams = names.order("stream", list(cov["stream"].astype(str)))
    grid = pd.DataFrame(float("nan"), index=units, columns=streams)
    for (u, s), row in sums.iterrows():
        if row["demand_hours"] > 0:
            grid.loc[u, s] = 100 * row["delivered_hours"] / row["demand_hours"]
    return grid


# ---- (d) the projection ---------------------------------------------------------------
def projection(result: Result, model: PlanningModel) -> pd.DataFrame:
    """Per role and period (model order): effective FTE of the plan, effective FTE of
    today's staff alone (no joiners), fills, new posts and leavers (attrition of
    everyone in post at the start of the period, joiners included)."""
    names = Names(model)
    m = scenario_model(model, result.scenario)
    periods = list(m.plan_periods)
    months = [p.months for p in periods]
    starts = period_starts(months)
    pidx = {id_key(p.period): i for i, p in enumerate(periods)}
    n = len(periods)
    wf = result.workforce
    roles = names.order("role", list(wf["role"].astype(str))) if not wf.empty else []
    rows = []
    for rid in roles:
        role = m.role_by_key.get(id_key(rid))
        mine = wf[wf["role"].astype(str) == rid]
        eff = [0.0] * n
        fills = [0.0] * n
        new = [0.0] * n
        for w in mine.itertuples(index=False):
            i = pidx.get(id_key(w.period))
            if i is not None:
                eff[i] += float(w.effective_fte)
                fills[i] += float(w.recruited_fte)
                new[i] += float(w.new_fte)
        alone = [0.0] * n
        leavers = [0.0] * n
        if role is not None:
            a = role.attrition_pct
            keep = [survival(a, s) for s in starts]
            after = [survival(a, s + mth) / survival(a, s) for s, mth in zip(starts, months,
                                                                             strict=True)]
            in_post = 0.0
            for est in m.establishment:
                if id_key(est.role_id) == id_key(rid):
                    in_post += est.in_post_fte
                    tml = m.training_months_left(est)
                    for i, v in enumerate(existing_effective_fte(est, role, tml, months)):
                        alone[i] += v
            for t in range(n):
                head = in_post * keep[t] + sum((fills[u] + new[u]) * keep[t] / keep[u]
                                               for u in range(t + 1))
                leavers[t] = head * (1 - after[t])
        for i, p in enumerate(periods):
            rows.append({"role": rid, "name": names.role(rid), "period": p.period,
                         "effective_fte": eff[i], "without_joiners_fte": alone[i],
                         "recruited_fte": fills[i], "new_fte": new[i],
                         "leavers_fte": leavers[i]})
    return pd.DataFrame(rows, columns=["role", "name", "period", "effective_fte",
                                       "without_joiners_fte", "recruited_fte", "new_fte",
                                       "leavers_fte"])


# ---- (e) scenario comparison ----------------------------------------------------------
def comparison(results: Sequence[Result]) -> pd.DataFrame:
    return pd.DataFrame([{"scenario": r.scenario, "status": r.status.value,
                          "weighted_unmet": r.totals.weighted_unmet if r.solved else None,
                          "cost_gbp": r.totals.cost_gbp if r.solved else None,
                          "coverage_pct": r.totals.coverage_pct if r.solved else None}
                         for r in results],
                        columns=["scenario", "status", "weighted_unmet", "cost_gbp",
                                 "coverage_pct"])


# ---- (f) cost build-up ----------------------------------------------------------------
COST_KINDS = (("new_posts_gbp", "New posts"), ("recruitment_gbp", "Recruitment"),
              ("overtime_gbp", "Overtime"))


def cost_steps(result: Result, model: PlanningModel) -> pd.DataFrame:
    """The bid's cost by plan year (12 months from the first period) and kind, with the
    running total before and after each step; zero steps are left out."""
    periods = list(model.plan_periods)
    starts = dict(zip((id_key(p.period) for p in periods),
                      period_starts([p.months for p in periods]), strict=True))
    costs = result.costs
    by: dict[tuple[int, str], float] = {}
    first: dict[int, str] = {}
    last: dict[int, str] = {}
    for c in costs.itertuples(index=False):
        year = int(starts.get(id_key(c.period), 0.0) // 12) + 1
        first.setdefault(year, str(c.period))
        last[year] = str(c.period)
        for col, _label in COST_KINDS:
            by[(year, col)] = by.get((year, col), 0.0) + float(getattr(c, col))
    rows = []
    running = 0.0
    for year in sorted(first):
        for col, label in COST_KINDS:
            amount = by.get((year, col), 0.0)
            if abs(amount) < 0.5:
                continue
            rows.append({"year": year, "first": first[year], "last": last[year],
                         "kind": label, "amount_gbp": amount, "before_gbp": running,
                         "after_gbp": running + amount})
            running += amount
    return pd.DataFrame(rows, columns=["year", "first", "last", "kind", "amount_gbp",
                                       "before_gbp", "after_gbp"])


# ---- (g) next posts to fund -----------------------------------------------------------
def next_posts(result: Result, model: PlanningModel, top: int = 12) -> pd.DataFrame:
    """The best ``top`` posts by weighted unmet hours avoided per £1m, best first, one row
    per unit and role (its best period).

    ``avoids_breach`` marks a value far larger than unmet demand alone can explain (ten
    times the largest weight times the FTE's hours in the period, overtime included): its
    dual carries the minimum-service penalty (1,000 times the largest weight), so the
    post avoids a breach of minimum service.
    """
    names = Names(model)
    nxt = result.next_posts
    cols = ["unit", "role", "period", "label", "marginal_value_per_fte", "annual_cost_gbp",
            "value_per_gbp_million", "avoids_breach"]
    if nxt.empty:
        return pd.DataFrame(columns=cols)
    m = scenario_model(model, result.scenario)
    top_weight = max((m.demand_weight(d) for d in m.demand), default=1.0)
    months = {id_key(p.period): p.months for p in m.plan_periods}
    ranked = nxt[nxt["value_per_gbp_million"].astype(float) > 0].sort_values(
        "value_per_gbp_million", ascending=False, kind="stable")
    rows: list[dict[str, object]] = []
    seen: set[tuple[str, str]] = set()
    for r in ranked.itertuples(index=False):
        key = (id_key(r.unit), id_key(r.role))
        if key in seen:
            continue
        seen.add(key)
        role = m.role_by_key.get(id_key(r.role))
        bound = (10 * top_weight * role.hours_per_fte * (1 + role.overtime_cap_pct / 100)
                 * months.get(id_key(r.period), 12.0) / 12 if role else float("inf"))
        rows.append({"unit": r.unit, "role": r.role, "period": r.period,
                     "label": f"{names.role(r.role)}, {names.unit(r.unit)}",
                     "marginal_value_per_fte": float(r.marginal_value_per_fte),
                     "annual_cost_gbp": float(r.annual_cost_gbp),
                     "value_per_gbp_million": float(r.value_per_gbp_million),
                     "avoids_breach": float(r.marginal_value_per_fte) > bound})
        if len(rows) == top:
            break
    return pd.DataFrame(rows, columns=cols)
