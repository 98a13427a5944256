"""Read a solution into the Result tables (DESIGN section 5), with whole-array arithmetic.

Every total a report shows is computed here, once, so the JSON, the workbook, the charts
and the app agree to the last digit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from capacity_planner.domain.supply import supply_layers
from capacity_planner.optimise.build import Columns
from capacity_planner.optimise.index import Index
from capacity_planner.optimise.result import (
    ALLOCATION_COLUMNS,
    COST_COLUMNS,
    COVERAGE_COLUMNS,
    LAYER_COLUMNS,
    WORKFORCE_COLUMNS,
    Totals,
)

DIGITS = 6  # solver noise below a millionth of an hour or pound is rounded away
ZERO = 1e-7


def _r(a: np.ndarray | float) -> np.ndarray:
    out = np.round(np.asarray(a, dtype=float), DIGITS)
    return out + 0.0  # no negative zeros


@dataclass
class Plan:
    """A solution laid out on the index's grids."""

    x: np.ndarray  # per allocation variable, hours spent
    short: np.ndarray  # per demand row (all rows; 0 where no demand)
    ot: np.ndarray  # (E, T)
    fill: np.ndarray  # (E, T)
    grow: np.ndarray  # (E, T)

    @property
    def hires(self) -> np.ndarray:
        return self.fill + self.grow


def read_plan(ix: Index, cols: Columns, values: np.ndarray) -> Plan:
    v = np.where(np.abs(values) < ZERO, 0.0, values)
    E, T = ix.eff0.shape
    x = v[cols.x:cols.x + len(ix.x)]
    short = np.zeros(len(ix.demand))
    short[cols.live] = v[cols.short:cols.short + len(cols.live)]
    ot = np.zeros((E, T))
    if len(cols.ot_rows):
        ot[cols.ot_rows.e.to_numpy(), cols.ot_rows.t.to_numpy()] = \
            v[cols.ot:cols.ot + len(cols.ot_rows)]
    fill = np.zeros((E, T))
    if len(ix.fills):
        fill[ix.fills.e.to_numpy(), ix.fills.t.to_numpy()] = \
            v[cols.fill:cols.fill + len(ix.fills)]
    grow = np.zeros((E, T))
    if len(ix.grows):
        grow[ix.grows.e.to_numpy(), ix.grows.t.to_numpy()] = \
            v[cols.grow:cols.grow + len(ix.grows)]
    return Plan(x, short, ot, fill, grow)


def _names(values: list[str], positions: np.ndarray) -> np.ndarray:
    return np.array(values, dtype=object)[positions] if len(positions) else \
        np.zeros(0, dtype=object)


def coverage_frame(ix: Index, plan: Plan) -> pd.DataFrame:
    d = ix.demand
    unit, stream, t = d.unit.to_numpy(), d.stream.to_numpy(), d.t.to_numpy()
    order = np.lexsort((stream, unit, t))
    hours = d.hours.to_numpy()[order]
    short = np.minimum(plan.short[order], hours)
    delivered = hours - short
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(hours > 0, delivered / hours * 100.0, 100.0)
    minimum = d.min_service.to_numpy()[order]
    limit = (1 - minimum / 100.0) * hours
    breach = (minimum > 0) & (short > limit + 1e-6 * np.maximum(1.0, hours))
    return pd.DataFrame({
        "unit": _names(ix.units, unit[order]),
        "stream": _names(ix.streams, stream[order]),
        "period": _names(ix.periods, t[order]),
        "demand_hours": _r(hours),
        "delivered_hours": _r(delivered),
        "unmet_hours": _r(short),
        "coverage_pct": _r(pct),
        "min_service_pct": _r(minimum),
        "breach": breach.astype(bool),
    }, columns=list(COVERAGE_COLUMNS))


def supply_grid(ix: Index, plan: Plan) -> dict[str, np.ndarray]:
    """(E, T) grids: funded, in post and effective FTE including joiners; available,
    used and overtime hours."""
    E, T = ix.eff0.shape
    role = ix.est.role.to_numpy()
    hires = plan.hires
    effective = ix.eff0 + np.einsum("ea,eat->et", hires, ix.hire_eff[role]) if E else ix.eff0
    in_post = (ix.est.in_post.to_numpy()[:, None] * ix.survive
               + (np.einsum("ea,eat->et", hires, ix.keep[role]) if E else 0.0))
    funded = ix.est.funded.to_numpy()[:, None] + np.cumsum(plan.grow, axis=1)
    used = np.bincount(ix.x.e.to_numpy() * T + ix.x.t.to_numpy(), weights=plan.x,
                       minlength=E * T).reshape(E, T) if E else np.zeros((0, T))
    return {"funded": funded, "in_post": in_post, "effective": effective,
            "available": effective * ix.hf, "used": used}


def workforce_frame(ix: Index, plan: Plan, mv: np.ndarray) -> pd.DataFrame:
    E, T = ix.eff0.shape
    g = supply_grid(ix, plan)
    unit, role = ix.est.unit.to_numpy(), ix.est.role.to_numpy()
    e = np.repeat(np.arange(E), T)
    t = np.tile(np.arange(T), E)
    order = np.lexsort((role[e], unit[e], t))
    e, t = e[order], t[order]

    def grid(a: np.ndarray) -> np.ndarray:
        return a.ravel()[order]

    available, used = grid(g["available"]), grid(g["used"])
    with np.errstate(divide="ignore", invalid="ignore"):
        util = np.where(available > 0, used / available * 100.0, 0.0)
    return pd.DataFrame({
        "unit": _names(ix.units, unit[e]),
        "role": _names([r.role_id for r in ix.roles], role[e]),
        "period": _names(ix.periods, t),
        "funded_fte": _r(grid(g["funded"])),
        "in_post_fte": _r(grid(g["in_post"])),
        "effective_fte": _r(grid(g["effective"])),
        "available_hours": _r(available),
        "used_hours": _r(used),
        "utilisation_pct": _r(util),
        "overtime_hours": _r(grid(plan.ot)),
        "recruited_fte": _r(grid(plan.fill)),
        "new_fte": _r(grid(plan.grow)),
        "marginal_value_per_fte": _r(grid(mv)),
    }, columns=list(WORKFORCE_COLUMNS))


def allocation_frame(ix: Index, plan: Plan) -> pd.DataFrame:
    keep = np.flatnonzero(plan.x > 1e-6)
    a, b, role, stream, t = (ix.x[c].to_numpy()[keep] for c in (
        "from_unit", "to_unit", "role", "stream", "t"))
    order = np.lexsort((stream, role, b, a, t))
    return pd.DataFrame({
        "from_unit": _names(ix.units, a[order]),
        "to_unit": _names(ix.units, b[order]),
        "role": _names([r.role_id for r in ix.roles], role[order]),
        "stream": _names(ix.streams, stream[order]),
        "period": _names(ix.periods, t[order]),
        "hours": _r(plan.x[keep][order]),
    }, columns=list(ALLOCATION_COLUMNS))


def cost_grid(ix: Index, plan: Plan) -> dict[str, np.ndarray]:
    """(E, T) cost_t by kind: new posts held, recruitment of joiners, overtime."""
    annual, recruit, price = ix.annual_cost(), ix.recruitment_cost(), ix.overtime_price()
    held = np.cumsum(plan.grow, axis=1)
    return {"new_posts": held * annual[:, None] * ix.f[None, :],
            "recruitment": plan.hires * recruit[:, None],
            "overtime": plan.ot * price[:, None]}


def cost_frame(ix: Index, plan: Plan) -> pd.DataFrame:
    c = cost_grid(ix, plan)
    new, rec, ot = (c[k].sum(axis=0) for k in ("new_posts", "recruitment", "overtime"))
    return pd.DataFrame({
        "period": np.array(ix.periods, dtype=object),
        "new_posts_gbp": _r(new),
        "recruitment_gbp": _r(rec),
        "overtime_gbp": _r(ot),
        "total_gbp": _r(new + rec + ot),
    }, columns=list(COST_COLUMNS))


def layers_frame(ix: Index) -> pd.DataFrame:
    roles = [ix.roles[r] for r in ix.est.role.tolist()]
    units = [ix.units[u] for u in ix.est.unit.tolist()]
    layers = [supply_layers(row, role) for row, role in zip(ix.est_rows, roles, strict=True)]
    numbers = np.array([(x.funded_fte, x.in_post_fte, x.qualified_fte, x.deployable_fte,
                         x.annual_hours) for x in layers], dtype=float).reshape(len(layers), 5)
    frame = {"unit": np.array(units, dtype=object), "role": np.array(
        [r.role_id for r in roles], dtype=object)}
    frame.update({c: _r(numbers[:, k]) for k, c in enumerate(LAYER_COLUMNS[2:])})
    return pd.DataFrame(frame, columns=list(LAYER_COLUMNS))


def totals(ix: Index, plan: Plan, costs: pd.DataFrame) -> Totals:
    hours = ix.demand.hours.to_numpy()
    short = np.minimum(plan.short, hours)
    demand = float(hours.sum())
    unmet = float(short.sum())
    delivered = demand - unmet
    return Totals(
        demand_hours=float(_r(demand)),
        delivered_hours=float(_r(delivered)),
        unmet_hours=float(_r(unmet)),
        coverage_pct=float(_r(delivered / demand * 100.0 if demand > 0 else 100.0)),
        weighted_unmet=float(_r(float((ix.demand.weight.to_numpy() * short).sum()))),
        recruited_fte=float(_r(plan.fill.sum())),
        new_fte=float(_r(plan.grow.sum())),
        overtime_hours=float(_r(plan.ot.sum())),
        cost_gbp=float(_r(float(costs.total_gbp.sum()))),
    )
