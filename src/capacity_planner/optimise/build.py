"""The programme of DESIGN section 4, one function per constraint family.

Every family is built from whole arrays (joins and numpy arithmetic), never a Python loop
per coefficient, so a national model builds in a fraction of its solve time. Rows are
written with variables on the left and constants on the right:

- ``capacity[e,t]``: sum x - ot - hire terms <= available of today's staff
- ``sharing[e,to,t]``: sum x lent - share * hire terms <= share * available
- ``role_cap[e,s,t]``: sum x on s - p * (ot + hire terms) <= p * available
- ``demand[d]``: sum eff * x + short = demand
- ``service[d]``: short (- breach where soft) <= (1 - minimum) * demand
- ``fills[e,t]``: sum fill * k - sum grow * (1 - k) <= max(0, funded - in_post * survive)
- ``max_new[e]``: sum grow <= cap
- ``overtime[e,t]``: ot - cap * hire terms <= cap * available
- ``budget[t]``: cost_t <= budget * f_t

"hire terms" are the joiners' effective hours in ``t``: sum over tau <= t of
(fill + grow)[tau] * hire_eff[tau, t] * hours per effective FTE in ``t``. The recruitment
cap (``recruit_fte_max``) is the upper bound of each fill column.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from capacity_planner.optimise.grids import join, rank_unique
from capacity_planner.optimise.index import Index
from capacity_planner.optimise.program import INF, Program, ProgramBuilder


@dataclass(frozen=True)
class Columns:
    """Where each variable family sits, and which index rows its columns stand for."""

    x: int
    short: int  # one per live demand row (hours > 0), in ``live`` order
    live: np.ndarray  # demand row d of each short column
    ot: int
    ot_rows: pd.DataFrame  # e, t of each overtime column
    fill: int
    grow: int
    breach: int  # one per service row where minimum service is soft
    n_breach: int
    service_d: np.ndarray  # demand row d of each service row


def build_program(ix: Index, *, soft_service: bool) -> tuple[Program, Columns]:
    """The programme of a scenario. ``soft_service``: minimum service as a penalised
    breach (``coverage`` and the elastic explanation) rather than a hard bound."""
    pb = ProgramBuilder()
    live = np.flatnonzero(ix.demand.hours.to_numpy() > 0)
    service_d = live[ix.demand.min_service.to_numpy()[live] > 0]
    T = ix.n_periods
    cap_key, x_cap_row = rank_unique(ix.x.e.to_numpy() * T + ix.x.t.to_numpy())
    has_ot = ix.overtime_cap()[cap_key // T] > 0 if len(cap_key) else np.zeros(0, bool)
    ot_rows = pd.DataFrame({"e": cap_key[has_ot] // T, "t": cap_key[has_ot] % T})
    whole = ix.settings.whole_posts

    x0 = pb.add_columns("x", np.zeros(len(ix.x)), np.full(len(ix.x), INF))
    short0 = pb.add_columns("short", np.zeros(len(live)), np.full(len(live), INF))
    ot0 = pb.add_columns("ot", np.zeros(len(ot_rows)), np.full(len(ot_rows), INF))
    fill0 = pb.add_columns("fill", np.zeros(len(ix.fills)), ix.fills.cap.to_numpy(),
                           integer=whole)
    grow0 = pb.add_columns("grow", np.zeros(len(ix.grows)), np.full(len(ix.grows), INF),
                           integer=whole)
    n_breach = len(service_d) if soft_service else 0
    breach0 = pb.add_columns("breach", np.zeros(n_breach), np.full(n_breach, INF))
    cols = Columns(x0, short0, live, ot0, ot_rows, fill0, grow0, breach0, n_breach, service_d)

    hires = _hire_columns(ix, cols)
    add_capacity(pb, ix, cols, (cap_key, x_cap_row, np.flatnonzero(has_ot)), hires)
    add_sharing(pb, ix, cols, hires)
    add_role_caps(pb, ix, cols, hires)
    add_demand(pb, ix, cols)
    add_service(pb, ix, cols, soft_service)
    add_fills(pb, ix, cols)
    add_max_new(pb, ix, cols)
    add_overtime(pb, ix, cols, hires)
    add_budget(pb, ix, cols)
    return pb.build(objectives(ix, cols, pb.n_cols)), cols


# ---- objectives --------------------------------------------------------------------------

def objectives(ix: Index, cols: Columns, n: int) -> dict[str, np.ndarray]:
    """``weighted``: weight * short (+ penalty * breach); ``cost``: the sum of cost_t;
    ``breach_hours``: hours below minimum service (the elastic explanation)."""
    weighted = np.zeros(n)
    weighted[cols.short:cols.short + len(cols.live)] = ix.demand.weight.to_numpy()[cols.live]
    breach = slice(cols.breach, cols.breach + cols.n_breach)
    weighted[breach] = ix.breach_penalty
    breach_hours = np.zeros(n)
    breach_hours[breach] = 1.0
    return {"weighted": weighted, "cost": cost_vector(ix, cols, n),
            "breach_hours": breach_hours}


def cost_vector(ix: Index, cols: Columns, n: int) -> np.ndarray:
    """Total cost over the plan: a new post costs its annual cost for every period from
    the one it starts in, plus recruitment; a fill costs recruitment; overtime costs
    annual cost / hours per FTE * premium an hour."""
    c = np.zeros(n)
    annual, recruit = ix.annual_cost(), ix.recruitment_cost()
    if len(ix.grows):
        e, tau = ix.grows.e.to_numpy(), ix.grows.t.to_numpy()
        f_from = np.cumsum(ix.f[::-1])[::-1]  # sum of f_t over t >= tau
        c[cols.grow:cols.grow + len(e)] = annual[e] * f_from[tau] + recruit[e]
    if len(ix.fills):
        c[cols.fill:cols.fill + len(ix.fills)] = recruit[ix.fills.e.to_numpy()]
    if len(cols.ot_rows):
        c[cols.ot:cols.ot + len(cols.ot_rows)] = ix.overtime_price()[cols.ot_rows.e.to_numpy()]
    return c


# ---- the joiners' hours, shared by every row that holds "available" -----------------------

@dataclass(frozen=True)
class Hires:
    """Every fill and grow column: its column, establishment row and starting period."""

    col: np.ndarray
    e: np.ndarray
    tau: np.ndarray


def _hire_columns(ix: Index, cols: Columns) -> Hires:
    fills, grows = ix.fills, ix.grows
    return Hires(
        np.concatenate([cols.fill + np.arange(len(fills)), cols.grow + np.arange(len(grows))]),
        np.concatenate([fills.e.to_numpy(), grows.e.to_numpy()]).astype(np.int64),
        np.concatenate([fills.t.to_numpy(), grows.t.to_numpy()]).astype(np.int64))


def _available_terms(ix: Index, e: np.ndarray, t: np.ndarray, factor: np.ndarray,
                     hires: Hires) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``factor * available[e,t]`` for rows 0..n-1 of a family: the constant part (today's
    staff) and the joiners' terms, already moved to the left (negative). Returns rhs, and
    the term triplets rows, cols, vals."""
    rhs = factor * ix.avail0[e, t] if len(e) else np.zeros(0)
    if not len(hires.e) or not len(e):
        empty = np.zeros(0, dtype=np.int64)
        return rhs, empty, empty, np.zeros(0)
    ri, hi = join(e, hires.e)
    ok = t[ri] >= hires.tau[hi]
    ri, hi = ri[ok], hi[ok]
    je, jt, jtau = e[ri], t[ri], hires.tau[hi]
    r = ix.est.role.to_numpy()[je]
    coef = -factor[ri] * ix.hire_eff[r, jtau, jt] * ix.hf[je, jt]
    return rhs, ri, hires.col[hi], coef


def _labels(ix: Index, tail: dict[str, object] | None = None,
            **columns: np.ndarray) -> pd.DataFrame:
    """User-facing IDs of rows: unit, role, stream, period, to_unit from positions; then
    the ``tail`` columns as given (one DataFrame built once per family)."""
    return pd.DataFrame({**_id_columns(ix, columns), **(tail or {})})


def _id_columns(ix: Index, columns: dict[str, np.ndarray]) -> dict[str, object]:
    names = {"unit": ix.units, "to_unit": ix.units, "stream": ix.streams,
             "period": ix.periods, "role": [r.role_id for r in ix.roles]}
    out: dict[str, object] = {}
    for key, values in columns.items():
        if key in names:
            out[key] = np.array(names[key], dtype=object)[values] if len(values) \
                else np.zeros(0, dtype=object)
        else:
            out[key] = values
    return out


def _est_labels(ix: Index, e: np.ndarray, t: np.ndarray | None = None,
                tail: dict[str, object] | None = None, **more: np.ndarray) -> pd.DataFrame:
    columns = {"unit": ix.est.unit.to_numpy()[e], "role": ix.est.role.to_numpy()[e], **more}
    if t is not None:
        columns["period"] = t
    out = _id_columns(ix, columns)
    out["e"] = e
    if t is not None:
        out["t"] = t
    return pd.DataFrame({**out, **(tail or {})})


# ---- families ----------------------------------------------------------------------------

def add_capacity(pb: ProgramBuilder, ix: Index, cols: Columns,
                 cap: tuple[np.ndarray, np.ndarray, np.ndarray], hires: Hires) -> None:
    """Hours used by a unit's role, wherever they go, within its available hours plus
    overtime. ``cap``: the rows' keys (e * T + t, sorted), each x column's row, and the
    row of each overtime column."""
    key, x_row, ot_row = cap
    T = ix.n_periods
    e, t = key // T, key % T
    rhs, hr, hc, hv = _available_terms(ix, e, t, np.ones(len(key)), hires)
    pb.add_rows(
        "capacity",
        np.concatenate([x_row, ot_row, hr]),
        np.concatenate([cols.x + np.arange(len(ix.x)),
                        cols.ot + np.arange(len(cols.ot_rows)), hc]),
        np.concatenate([np.ones(len(ix.x)), -np.ones(len(cols.ot_rows)), hv]),
        np.full(len(key), -INF), rhs, _est_labels(ix, e, t))


def add_sharing(pb: ProgramBuilder, ix: Index, cols: Columns, hires: Hires) -> None:
    """Hours lent to another unit within the Sharing rule's share of the lender's
    available hours (overtime is not lent beyond it)."""
    x = ix.x
    lent = np.flatnonzero(x.from_unit.to_numpy() != x.to_unit.to_numpy())
    if not len(lent):
        return
    U, T = len(ix.units), ix.n_periods
    e, to, t = (x[c].to_numpy()[lent] for c in ("e", "to_unit", "t"))
    keys, x_row = rank_unique((e * U + to) * T + t)
    k_e, k_to, k_t = keys // (U * T), keys // T % U, keys % T
    pair = ix.lending.e.to_numpy() * U + ix.lending.to_unit.to_numpy()
    _, li = join(k_e * U + k_to, pair)
    share = ix.lending.share.to_numpy()[li]
    rhs, hr, hc, hv = _available_terms(ix, k_e, k_t, share, hires)
    pb.add_rows(
        "sharing",
        np.concatenate([x_row, hr]),
        np.concatenate([cols.x + lent, hc]),
        np.concatenate([np.ones(len(lent)), hv]),
        np.full(len(keys), -INF), rhs,
        _est_labels(ix, k_e, k_t, {"share_pct": share * 100}, to_unit=k_to))


def add_role_caps(pb: ProgramBuilder, ix: Index, cols: Columns, hires: Hires) -> None:
    """The abstraction policy: at most ``max_share_pct`` of a role's hours (available plus
    overtime) on one stream."""
    if not len(ix.role_caps) or not len(ix.x):
        return
    S, T = len(ix.streams), ix.n_periods
    caps = ix.role_caps
    x_e, x_stream, x_t = (ix.x[c].to_numpy() for c in ("e", "stream", "t"))
    xi, ci = join(ix.x.role.to_numpy() * S + x_stream,
                  caps.role.to_numpy() * S + caps.stream.to_numpy())
    if not len(xi):
        return
    keys, first, x_row = np.unique((x_e[xi] * S + x_stream[xi]) * T + x_t[xi],
                                   return_index=True, return_inverse=True)
    k_e, k_stream, k_t = keys // (S * T), keys // T % S, keys % T
    share = caps.max_share.to_numpy()[ci[first]]
    rhs, hr, hc, hv = _available_terms(ix, k_e, k_t, share, hires)
    ot_col = np.full(len(ix.est) * T, -1, dtype=np.int64)
    ot = cols.ot_rows
    ot_col[ot.e.to_numpy() * T + ot.t.to_numpy()] = cols.ot + np.arange(len(ot))
    k_ot = ot_col[k_e * T + k_t]
    with_ot = np.flatnonzero(k_ot >= 0)
    pb.add_rows(
        "role_cap",
        np.concatenate([x_row, with_ot, hr]),
        np.concatenate([cols.x + xi, k_ot[with_ot], hc]),
        np.concatenate([np.ones(len(xi)), -share[with_ot], hv]),
        np.full(len(keys), -INF), rhs,
        _est_labels(ix, k_e, k_t, {"share_pct": share * 100}, stream=k_stream))


def add_demand(pb: ProgramBuilder, ix: Index, cols: Columns) -> None:
    """Delivered hours (after the efficiencies of skill and sharing) plus unmet demand
    equal demand."""
    live = cols.live
    row_of_d = np.full(len(ix.demand), -1, dtype=np.int64)
    row_of_d[live] = np.arange(len(live))
    hours = ix.demand.hours.to_numpy()[live]
    unit, stream, t = (ix.demand[c].to_numpy()[live] for c in ("unit", "stream", "t"))
    pb.add_rows(
        "demand",
        np.concatenate([row_of_d[ix.x.d.to_numpy()], np.arange(len(live))]),
        np.concatenate([cols.x + np.arange(len(ix.x)), cols.short + np.arange(len(live))]),
        np.concatenate([ix.x.coef.to_numpy(), np.ones(len(live))]),
        hours, hours,
        _labels(ix, {"d": live, "t": t}, unit=unit, stream=stream, period=t))


def add_service(pb: ProgramBuilder, ix: Index, cols: Columns, soft: bool) -> None:
    """Unmet demand within (1 - minimum service) of demand; where soft, a breach column
    takes the excess at a penalty."""
    d_idx = cols.service_d
    n = len(d_idx)
    short_col = cols.short + np.searchsorted(cols.live, d_idx)
    unit, stream, t, hours, minimum = (
        ix.demand[c].to_numpy()[d_idx] for c in ("unit", "stream", "t", "hours",
                                                 "min_service"))
    limit = (1 - minimum / 100.0) * hours
    rows = [np.arange(n)]
    cs = [short_col]
    vs = [np.ones(n)]
    if soft:
        rows.append(np.arange(n))
        cs.append(cols.breach + np.arange(n))
        vs.append(-np.ones(n))
    pb.add_rows(
        "service", np.concatenate(rows), np.concatenate(cs), np.concatenate(vs),
        np.full(n, -INF), limit,
        _labels(ix, {"d": d_idx, "t": t, "min_service_pct": minimum}, unit=unit,
                stream=stream, period=t))


def add_fills(pb: ProgramBuilder, ix: Index, cols: Columns) -> None:
    """Fills only fill vacancies: those of the establishment, as leavers open them, and
    those that leavers open in new posts."""
    if not len(ix.fills):
        return
    T = ix.n_periods
    fill_e, fill_t = ix.fills.e.to_numpy(), ix.fills.t.to_numpy()
    order = np.lexsort((fill_t, fill_e))
    first_e, first = np.unique(fill_e[order], return_index=True)
    t0 = fill_t[order][first]  # each row's first period with fills
    counts = T - t0
    e = np.repeat(first_e, counts)
    t = np.repeat(t0, counts) + np.arange(int(counts.sum())) - np.repeat(
        np.cumsum(counts) - counts, counts)
    funded = ix.est.funded.to_numpy()[e]
    in_post = ix.est.in_post.to_numpy()[e]
    rhs = np.maximum(0.0, funded - in_post * ix.survive[e, t])
    role = ix.est.role.to_numpy()
    parts_r, parts_c, parts_v = [], [], []
    for start, frame, sign in ((cols.fill, ix.fills, 1.0), (cols.grow, ix.grows, -1.0)):
        ri, hi = join(e, frame.e.to_numpy())
        tau = frame.t.to_numpy()[hi]
        ok = t[ri] >= tau
        ri, hi, tau = ri[ok], hi[ok], tau[ok]
        k = ix.keep[role[e[ri]], tau, t[ri]]
        parts_r.append(ri)
        parts_c.append(start + hi)
        parts_v.append(k if sign > 0 else -(1.0 - k))
    pb.add_rows("fills", np.concatenate(parts_r), np.concatenate(parts_c),
                np.concatenate(parts_v), np.full(len(e), -INF), rhs,
                _est_labels(ix, e, t))


def add_max_new(pb: ProgramBuilder, ix: Index, cols: Columns) -> None:
    """``max_new_fte``: the sum over periods of new posts of a unit and role."""
    if not ix.max_new or not len(ix.grows):
        return
    capped = np.array(sorted(ix.max_new), dtype=np.int64)
    g = ix.grows.assign(col=cols.grow + np.arange(len(ix.grows)))
    g = g[g.e.isin(capped)]
    row_of = {e: i for i, e in enumerate(capped.tolist())}
    rows = g.e.map(row_of).to_numpy()
    pb.add_rows("max_new", rows, g.col.to_numpy(), np.ones(len(g)),
                np.full(len(capped), -INF),
                np.array([ix.max_new[e] for e in capped.tolist()]),
                _est_labels(ix, capped).assign(cap_fte=[ix.max_new[e]
                                                         for e in capped.tolist()]))


def add_overtime(pb: ProgramBuilder, ix: Index, cols: Columns, hires: Hires) -> None:
    """Overtime within the role's cap on available hours (joiners' hours count)."""
    n = len(cols.ot_rows)
    if not n:
        return
    e, t = cols.ot_rows.e.to_numpy(), cols.ot_rows.t.to_numpy()
    rate = ix.overtime_cap()[e]
    rhs, hr, hc, hv = _available_terms(ix, e, t, rate, hires)
    pb.add_rows("overtime",
                np.concatenate([np.arange(n), hr]),
                np.concatenate([cols.ot + np.arange(n), hc]),
                np.concatenate([np.ones(n), hv]),
                np.full(n, -INF), rhs,
                _est_labels(ix, e, t, {"cap_pct": rate * 100}))


def cost_terms(ix: Index, cols: Columns) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """cost_t as triplets (period t, column, coefficient): new posts held in t, joiners
    starting in t, overtime in t."""
    T = ix.n_periods
    annual, recruit = ix.annual_cost(), ix.recruitment_cost()
    rows, cs, vs = [], [], []
    if len(ix.grows):
        e, tau = ix.grows.e.to_numpy(), ix.grows.t.to_numpy()
        col = cols.grow + np.arange(len(e))
        tt = np.arange(T)
        held = tt[None, :] >= tau[:, None]
        gi, t = np.nonzero(held)
        rows.append(t)
        cs.append(col[gi])
        vs.append(annual[e[gi]] * ix.f[t] + np.where(t == tau[gi], recruit[e[gi]], 0.0))
    if len(ix.fills):
        rows.append(ix.fills.t.to_numpy())
        cs.append(cols.fill + np.arange(len(ix.fills)))
        vs.append(recruit[ix.fills.e.to_numpy()])
    if len(cols.ot_rows):
        rows.append(cols.ot_rows.t.to_numpy())
        cs.append(cols.ot + np.arange(len(cols.ot_rows)))
        vs.append(ix.overtime_price()[cols.ot_rows.e.to_numpy()])
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    return np.concatenate(rows), np.concatenate(cs), np.concatenate(vs)


def add_budget(pb: ProgramBuilder, ix: Index, cols: Columns) -> None:
    """Extra money per period: cost_t <= budget_gbp * f_t."""
    budget = ix.settings.budget_gbp
    if budget is None:
        return
    rows, cs, vs = cost_terms(ix, cols)
    T = ix.n_periods
    pb.add_rows("budget", rows, cs, vs, np.full(T, -INF), budget * ix.f,
                _labels(ix, period=np.arange(T)).assign(t=np.arange(T),
                                                        budget_gbp=budget * ix.f))
