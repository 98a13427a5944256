"""Sets and coefficients of the linear programme (DESIGN section 4), from a model that a
scenario has already changed. Supply arithmetic comes from ``domain.supply`` so that the
optimiser and the reports use one set of rules.

Everything here is numbers keyed by position: units ``u``, roles ``r``, streams ``s``,
periods ``t``, establishment rows ``e`` (a unit and role), demand rows ``d`` (a unit,
stream and period) and the allocation variables ``x`` (a lender's establishment row and a
demand row). The display IDs are kept beside them so that every row and variable maps
back to the user's own names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from capacity_planner.domain.entities import EstablishmentRow, Role
from capacity_planner.domain.ids import id_key
from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.scenario import ScenarioSettings
from capacity_planner.domain.supply import period_starts
from capacity_planner.optimise.grids import hire_grids, join, phase_grid, survival_grid

# Minimum service is soft in `coverage`: each hour below a minimum costs this many times
# the largest weight in the model on top of its own weight (DESIGN section 4).
BREACH_PENALTY_FACTOR = 1000.0


@dataclass
class Index:
    """The sets and coefficients of one scenario's programme."""

    settings: ScenarioSettings
    periods: list[str]
    months: np.ndarray  # (T,) m_t
    starts: np.ndarray  # (T,) start_t in months
    units: list[str]  # display IDs
    unit_names: list[str]
    roles: list[Role]
    streams: list[str]
    stream_names: list[str]
    # establishment rows: unit, role (positions), funded, in_post, in_training, absent,
    # abstraction (percent)
    est: pd.DataFrame
    est_rows: list[EstablishmentRow]  # the records behind ``est``, in the same order
    eff0: np.ndarray  # (E, T) effective FTE of today's staff, before abstraction
    hf: np.ndarray  # (E, T) available hours per effective FTE in t
    survive: np.ndarray  # (E, T) share of today's staff still in post at start_t
    hire_eff: np.ndarray  # (R, T, T) [r, tau, t]: effective FTE in t of a joiner from tau
    keep: np.ndarray  # (R, T, T) [r, tau, t]: survive_t / survive_tau (0 before tau)
    # demand rows with hours > 0 and those with none: unit, stream, t, hours, weight,
    # min_service (percent)
    demand: pd.DataFrame
    # allocation variables: e (lender's row), d (demand row), lender/borrower units, role,
    # stream, t, coef (efficiency of skill times efficiency of sharing)
    x: pd.DataFrame
    # cross-unit lending pairs: e, to_unit, share (fraction of the lender's available)
    lending: pd.DataFrame
    # skills: role, stream -> max share (fraction), only those below 100 %
    role_caps: pd.DataFrame
    fills: pd.DataFrame  # e, t, cap
    grows: pd.DataFrame  # e, t
    max_new: dict[int, float] = field(default_factory=dict)  # e -> cap on sum of grow
    breach_penalty: float = BREACH_PENALTY_FACTOR

    @property
    def f(self) -> np.ndarray:
        return self.months / 12.0

    @property
    def n_periods(self) -> int:
        return len(self.periods)

    def role_of(self, e: int) -> Role:
        return self.roles[int(self.est.role.iat[e])]

    @property
    def avail0(self) -> np.ndarray:
        """(E, T) available hours of today's staff: eff0 * hours per effective FTE."""
        return self.eff0 * self.hf

    def annual_cost(self) -> np.ndarray:
        """(E,) annual cost of one FTE of each establishment row's role."""
        return np.array([r.annual_cost_gbp for r in self.roles], dtype=float)[
            self.est.role.to_numpy()] if len(self.est) else np.zeros(0)

    def recruitment_cost(self) -> np.ndarray:
        return np.array([r.recruitment_cost_gbp for r in self.roles], dtype=float)[
            self.est.role.to_numpy()] if len(self.est) else np.zeros(0)

    def overtime_price(self) -> np.ndarray:
        """(E,) cost of one overtime hour: annual cost / hours per FTE * premium."""
        price = np.array([r.annual_cost_gbp / r.hours_per_fte * r.overtime_premium
                          if r.hours_per_fte > 0 else 0.0 for r in self.roles], dtype=float)
        return price[self.est.role.to_numpy()] if len(self.est) else np.zeros(0)

    def overtime_cap(self) -> np.ndarray:
        """(E,) overtime cap as a fraction of available hours."""
        cap = np.array([r.overtime_cap_pct / 100.0 for r in self.roles], dtype=float)
        return cap[self.est.role.to_numpy()] if len(self.est) else np.zeros(0)


def build_index(model: PlanningModel, settings: ScenarioSettings) -> Index:
    """The index of a scenario's model (already changed by ``apply_scenario``)."""
    periods = list(model.plan_periods)
    months = np.array([p.months for p in periods], dtype=float)
    starts = np.array(period_starts(list(months)), dtype=float)
    period_pos = {id_key(p.period): t for t, p in enumerate(periods)}

    units = list(model.units)
    unit_pos = {id_key(u.unit_id): i for i, u in enumerate(units)}
    roles = list(model.roles)
    role_pos = {id_key(r.role_id): i for i, r in enumerate(roles)}
    streams = list(model.streams)
    stream_pos = {id_key(s.stream_id): i for i, s in enumerate(streams)}

    est, est_rows, eff0, hf, survive = _establishment(model, roles, unit_pos, role_pos,
                                                      months, starts)
    attrition, training, effectiveness = _role_arrays(roles, "attrition_pct", "training_months",
                                                      "trainee_effectiveness")
    hire_eff, keep = hire_grids(attrition, training, effectiveness, months, starts)
    demand = _demand(model, streams, unit_pos, stream_pos, period_pos)
    lending = _lending(model, est, unit_pos, role_pos)
    skills = _skills(model, role_pos, stream_pos)
    x = _allocation(est, demand, lending, skills, len(roles))
    role_caps = skills[skills.max_share < 1.0][["role", "stream", "max_share"]].reset_index(
        drop=True)
    fills, grows, max_new = _hiring(settings, est, roles, units, periods, starts)
    max_weight = float(demand.weight.max()) if len(demand) else 0.0
    return Index(
        settings=settings,
        periods=[p.period for p in periods],
        months=months,
        starts=starts,
        units=[u.unit_id for u in units],
        unit_names=[u.name or u.unit_id for u in units],
        roles=roles,
        streams=[s.stream_id for s in streams],
        stream_names=[s.name or s.stream_id for s in streams],
        est=est,
        est_rows=est_rows,
        eff0=eff0,
        hf=hf,
        survive=survive,
        hire_eff=hire_eff,
        keep=keep,
        demand=demand,
        x=x,
        lending=lending[lending.to_unit != lending.from_unit].reset_index(drop=True),
        role_caps=role_caps,
        fills=fills,
        grows=grows,
        max_new=max_new,
        breach_penalty=BREACH_PENALTY_FACTOR * (max_weight if max_weight > 0 else 1.0),
    )


def _role_arrays(roles: list[Role], *names: str) -> list[np.ndarray]:
    return [np.array([getattr(r, n) for r in roles], dtype=float) for n in names]


class _Positions:
    """``id -> position`` with each distinct spelling keyed once (IDs repeat on every
    row, and ``id_key`` normalises Unicode)."""

    def __init__(self, pos: dict[str, int]) -> None:
        self.pos = pos
        self.seen: dict[str, int | None] = {}

    def __call__(self, value: str) -> int | None:
        try:
            return self.seen[value]
        except KeyError:
            found = self.seen[value] = self.pos.get(id_key(value))
            return found


def _establishment(model: PlanningModel, roles: list[Role], unit_pos: dict[str, int],
                   role_pos: dict[str, int], months: np.ndarray, starts: np.ndarray,
                   ) -> tuple[pd.DataFrame, list[EstablishmentRow], np.ndarray, np.ndarray,
                              np.ndarray]:
    """Establishment rows with known IDs (the first of duplicates), and the (E, T) grids
    of ``supply.existing_effective_fte``, ``supply.hours_factor`` and survival."""
    unit_of, role_of = _Positions(unit_pos), _Positions(role_pos)
    records = []
    kept: list[EstablishmentRow] = []
    seen: set[tuple[int, int]] = set()
    for row in model.establishment:
        u, r = unit_of(row.unit_id), role_of(row.role_id)
        if u is None or r is None or (u, r) in seen:
            continue  # unknown IDs and duplicates are validation errors
        seen.add((u, r))
        kept.append(row)
        records.append((u, r, row.funded_fte, row.in_post_fte, row.in_training_fte,
                        row.absent_fte, row.abstraction_pct,
                        model.training_months_left(row)))
    grid = np.array(records, dtype=float).reshape(len(records), 8)
    est = pd.DataFrame({
        "unit": grid[:, 0].astype(np.int64), "role": grid[:, 1].astype(np.int64),
        "funded": grid[:, 2], "in_post": grid[:, 3], "in_training": grid[:, 4],
        "absent": grid[:, 5], "abstraction": grid[:, 6]})
    r = est.role.to_numpy()
    attrition, hours, effectiveness = _role_arrays(roles, "attrition_pct", "hours_per_fte",
                                                   "trainee_effectiveness")
    survive = survival_grid(attrition, starts)[r]
    in_post, in_training, absent, abstraction = grid[:, 3], grid[:, 4], grid[:, 5], grid[:, 6]
    trained = in_post - absent - in_training
    ph = phase_grid(grid[:, 7][:, None], np.zeros(1), starts[None, :], months[None, :],
                    effectiveness[r][:, None])
    eff0 = survive * (trained[:, None] + in_training[:, None] * ph)
    hf = hours[r][:, None] * (months[None, :] / 12.0) * (1.0 - abstraction[:, None] / 100.0)
    return est, kept, eff0, hf, survive


def _demand(model: PlanningModel, streams: list, unit_pos: dict[str, int],
            stream_pos: dict[str, int], period_pos: dict[str, int]) -> pd.DataFrame:
    """Demand rows with known IDs, in order; a duplicate key (a validation error) adds its
    hours to the first."""
    unit_of, stream_of, period_of = (_Positions(unit_pos), _Positions(stream_pos),
                                     _Positions(period_pos))
    records = [(unit_of(d.unit_id), stream_of(d.stream_id), period_of(d.period), d.hours,
                d.weight, d.min_service_pct) for d in model.demand]
    records = [r for r in records if r[0] is not None and r[1] is not None
               and r[2] is not None]
    n = len(records)
    unit = np.fromiter((r[0] for r in records), dtype=np.int64, count=n)
    stream = np.fromiter((r[1] for r in records), dtype=np.int64, count=n)
    t = np.fromiter((r[2] for r in records), dtype=np.int64, count=n)
    hours = np.fromiter((r[3] for r in records), dtype=float, count=n)
    stream_weight = np.array([s.weight for s in streams], dtype=float)
    stream_min = np.array([s.min_service_pct for s in streams], dtype=float)
    weight = np.array([np.nan if r[4] is None else r[4] for r in records], dtype=float)
    minimum = np.array([np.nan if r[5] is None else r[5] for r in records], dtype=float)
    if n:
        weight = np.where(np.isnan(weight), stream_weight[stream], weight)
        minimum = np.where(np.isnan(minimum), stream_min[stream], minimum)
        key = (unit * (stream.max() + 1) + stream) * (t.max() + 1) + t
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        if len(first) < n:
            hours = np.bincount(inverse, weights=hours)[inverse]
            keep = np.sort(first)
            unit, stream, t, hours, weight, minimum = (
                a[keep] for a in (unit, stream, t, hours, weight, minimum))
    return pd.DataFrame({"unit": unit, "stream": stream, "t": t, "hours": hours,
                         "weight": weight, "min_service": minimum})


def _lending(model: PlanningModel, est: pd.DataFrame, unit_pos: dict[str, int],
             role_pos: dict[str, int]) -> pd.DataFrame:
    """Who may work for whom: each establishment row works for its own unit (share 1,
    efficiency 1) and for every unit a Sharing rule allows (a rule for the role wins over
    a rule for every role)."""
    unit_of, role_of = _Positions(unit_pos), _Positions(role_pos)
    specific: dict[tuple[int, int, int], tuple[float, float]] = {}
    general: dict[tuple[int, int], tuple[float, float]] = {}
    for rule in model.sharing:
        a = unit_of(rule.from_unit)
        b = unit_of(rule.to_unit)
        if a is None or b is None or a == b:
            continue
        rule_terms = (rule.max_share_pct / 100.0, rule.efficiency)
        if id_key(rule.role_id):
            r = role_of(rule.role_id)
            if r is not None:
                specific[(a, b, r)] = rule_terms
        else:
            general[(a, b)] = rule_terms
    targets: dict[int, set[int]] = {}
    for a, b in general:
        targets.setdefault(a, set()).add(b)
    for a, b, _ in specific:
        targets.setdefault(a, set()).add(b)
    records = []
    for e, (u, r) in enumerate(zip(est.unit.tolist(), est.role.tolist(), strict=True)):
        records.append((e, u, u, r, 1.0, 1.0))
        for b in sorted(targets.get(u, ())):
            terms: tuple[float, float] | None = specific.get((u, b, r)) or general.get((u, b))
            if terms is not None and terms[0] > 0:
                records.append((e, u, b, r, terms[0], terms[1]))
    grid = np.array(records, dtype=float).reshape(len(records), 6)
    return pd.DataFrame({
        "e": grid[:, 0].astype(np.int64), "from_unit": grid[:, 1].astype(np.int64),
        "to_unit": grid[:, 2].astype(np.int64), "role": grid[:, 3].astype(np.int64),
        "share": grid[:, 4], "share_eff": grid[:, 5]})


def _skills(model: PlanningModel, role_pos: dict[str, int],
            stream_pos: dict[str, int]) -> pd.DataFrame:
    records = {}
    for k in model.skills:
        r = role_pos.get(id_key(k.role_id))
        s = stream_pos.get(id_key(k.stream_id))
        if r is not None and s is not None and (r, s) not in records:
            records[(r, s)] = (r, s, k.efficiency, k.max_share_pct / 100.0)
    grid = np.array(list(records.values()), dtype=float).reshape(len(records), 4)
    return pd.DataFrame({"role": grid[:, 0].astype(np.int64),
                         "stream": grid[:, 1].astype(np.int64),
                         "skill_eff": grid[:, 2], "max_share": grid[:, 3]})


def _allocation(est: pd.DataFrame, demand: pd.DataFrame, lending: pd.DataFrame,
                skills: pd.DataFrame, n_roles: int) -> pd.DataFrame:
    """One variable per (lender row, demand row) where the role is skilled for the stream
    and the lender works for the demand's unit: two joins on integer keys."""
    live = np.flatnonzero(demand.hours.to_numpy() > 0)
    d_unit = demand.unit.to_numpy()[live]
    d_stream = demand.stream.to_numpy()[live]
    k_role = skills.role.to_numpy()
    di, ki = join(d_stream, skills.stream.to_numpy())  # demand rows x skilled roles
    role = k_role[ki]
    l_to, l_role = lending.to_unit.to_numpy(), lending.role.to_numpy()
    pi, li = join(d_unit[di] * n_roles + role, l_to * n_roles + l_role)
    d = live[di[pi]]
    coef = skills.skill_eff.to_numpy()[ki[pi]] * lending.share_eff.to_numpy()[li]
    e = lending.e.to_numpy()[li]
    t = demand.t.to_numpy()[d]
    ok = coef > 0
    order = np.lexsort((d[ok], t[ok], e[ok]))
    take = np.flatnonzero(ok)[order]
    return pd.DataFrame({"e": e[take], "d": d[take],
                         "from_unit": lending.from_unit.to_numpy()[li[take]],
                         "to_unit": l_to[li[take]], "role": role[pi[take]],
                         "stream": d_stream[di[pi[take]]], "t": t[take], "coef": coef[take]})


def _hiring(settings: ScenarioSettings, est: pd.DataFrame, roles: list[Role],
            units: list, periods: list, starts: np.ndarray,
            ) -> tuple[pd.DataFrame, pd.DataFrame, dict[int, float]]:
    """Which fills and new posts exist (DESIGN section 4): only once the recruitment lead
    time has passed; fills only where ``recruit_fte_max`` targets the row and period; new
    posts only where the scenario allows them."""
    est_unit, est_role = est.unit.to_numpy(), est.role.to_numpy()
    (lead,) = _role_arrays(roles, "recruitment_months")
    allowed = starts[None, :] >= lead[:, None] - 1e-9  # supply.hiring_allowed, (R, T)
    row_of = {(id_key(units[u].unit_id), id_key(roles[r].role_id)): e
              for e, (u, r) in enumerate(zip(est_unit.tolist(), est_role.tolist(),
                                             strict=True))}
    period_of = {id_key(p.period): t for t, p in enumerate(periods)}
    fills = []
    for (uk, rk, pk), cap in settings.recruit_fte_max.items():
        e, t = row_of.get((uk, rk)), period_of.get(pk)
        if e is not None and t is not None and cap is not None and cap > 0 \
                and allowed[est_role[e], t]:
            fills.append((e, t, float(cap)))
    fills.sort()
    fill_grid = np.array(fills, dtype=float).reshape(len(fills), 3)
    fill_frame = pd.DataFrame({"e": fill_grid[:, 0].astype(np.int64),
                               "t": fill_grid[:, 1].astype(np.int64), "cap": fill_grid[:, 2]})
    max_new: dict[int, float] = {}
    if settings.allow_new_posts:
        ge, gt = np.nonzero(allowed[est_role]) if len(est_role) else (
            np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        for key, cap in settings.max_new_fte.items():
            e = row_of.get(key)
            if e is not None:
                max_new[e] = float(cap)
        max_new = dict(sorted(max_new.items()))
    else:
        ge = gt = np.zeros(0, dtype=np.int64)
    grows = pd.DataFrame({"e": ge.astype(np.int64), "t": gt.astype(np.int64)})
    return fill_frame, grows, max_new
