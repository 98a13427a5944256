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
    hours = d.hours.to_numpy()
    short = np.minimum(plan.short, hours)
    delivered = hours - short
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(hours > 0, delivered / hours * 100.0, 100.0)
    minimum = d.min_service.to_numpy()
    limit = (1 - minimum / 100.0) * hours
    breach = (minimum > 0) & (short > limit + 1e-6 * np.maximum(1.0, hours))
    frame = pd.DataFrame({
        "unit": _names(ix.units, d.unit.to_numpy()),
        "stream": _names(ix.streams, d.stream.to_numpy()),
        "period": _names(ix.periods, d.t.to_numpy()),
        "demand_hours": _r(hours),
        "delivered_hours": _r(delivered),
        "unmet_hours": _r(short),
        "coverage_pct": _r(pct),
        "min_service_pct": _r(minimum),
        "breach": breach.astype(bool),
    }, columns=list(COVERAGE_COLUMNS))
    order = np.lexsort((d.stream.to_numpy(), d.unit.to_numpy(), d.t.to_numpy()))
    return frame.iloc[order].reset_index(drop=True)


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
    e = np.repeat(np.arange(E), T)
    t = np.tile(np.arange(T), E)
    available = g["available"].ravel()
    used = g["used"].ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        util = np.where(available > 0, used / available * 100.0, 0.0)
    frame = pd.DataFrame({
        "unit": _names(ix.units, ix.est.unit.to_numpy()[e]),
        "role": _names([r.role_id for r in ix.roles], ix.est.role.to_numpy()[e]),
        "period": _names(ix.periods, t),
        "funded_fte": _r(g["funded"].ravel()),
        "in_post_fte": _r(g["in_post"].ravel()),
        "effective_fte": _r(g["effective"].ravel()),
        "available_hours": _r(available),
        "used_hours": _r(used),
        "utilisation_pct": _r(util),
        "overtime_hours": _r(plan.ot.ravel()),
        "recruited_fte": _r(plan.fill.ravel()),
        "new_fte": _r(plan.grow.ravel()),
        "marginal_value_per_fte": _r(mv.ravel()),
    }, columns=list(WORKFORCE_COLUMNS))
    order = np.lexsort((ix.est.role.to_numpy()[e], ix.est.unit.to_numpy()[e], t))
    return frame.iloc[order].reset_index(drop=True)


def allocation_frame(ix: Index, plan: Plan) -> pd.DataFrame:
    keep = np.flatnonzero(plan.x > 1e-6)
    x = ix.x.iloc[keep]
    frame = pd.DataFrame({
        "from_unit": _names(ix.units, x.from_unit.to_numpy()),
        "to_unit": _names(ix.units, x.to_unit.to_numpy()),
        "role": _names([r.role_id for r in ix.roles], x.role.to_numpy()),
        "stream": _names(ix.streams, x.stream.to_numpy()),
        "period": _names(ix.periods, x.t.to_numpy()),
        "hours": _r(plan.x[keep]),
    }, columns=list(ALLOCATION_COLUMNS))
    order = np.lexsort((x.stream.to_numpy(), x.role.to_numpy(), x.to_unit.to_numpy(),
                        x.from_unit.to_numpy(), x.t.to_numpy()))
    return frame.iloc[order].reset_index(drop=True)


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
    records = []
    for e, row in enumerate(ix.est_rows):
        layers = supply_layers(row, ix.role_of(e))
        records.append((ix.units[int(ix.est.unit.iat[e])], ix.role_of(e).role_id,
                        layers.funded_fte, layers.in_post_fte, layers.qualified_fte,
                        layers.deployable_fte, layers.annual_hours))
    frame = pd.DataFrame.from_records(records, columns=list(LAYER_COLUMNS))
    for c in LAYER_COLUMNS[2:]:
        frame[c] = _r(frame[c].to_numpy(dtype=float))
    return frame


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
