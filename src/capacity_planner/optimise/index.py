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
from capacity_planner.domain.supply import (
    existing_effective_fte,
    hire_effective_fte,
    hiring_allowed,
    hours_factor,
    period_starts,
    survival,
)

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

    est, est_rows, eff0, hf, survive = _establishment(model, roles, unit_pos, role_pos, months, starts)
    hire_eff, keep = _hire_matrices(roles, months)
    demand = _demand(model, unit_pos, stream_pos, period_pos)
    lending = _lending(model, est, unit_pos, role_pos)
    x = _allocation(model, est, demand, lending, role_pos, stream_pos)
    role_caps = _role_caps(model, role_pos, stream_pos)
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


def _establishment(model: PlanningModel, roles: list[Role], unit_pos: dict[str, int],
                   role_pos: dict[str, int], months: np.ndarray, starts: np.ndarray,
                   ) -> tuple[pd.DataFrame, list[EstablishmentRow], np.ndarray, np.ndarray,
                              np.ndarray]:
    records = []
    kept: list[EstablishmentRow] = []
    eff0, hf, survive = [], [], []
    seen: set[tuple[int, int]] = set()
    month_list = list(months)
    for row in model.establishment:
        u = unit_pos.get(id_key(row.unit_id))
        r = role_pos.get(id_key(row.role_id))
        if u is None or r is None or (u, r) in seen:
            continue  # unknown IDs and duplicates are validation errors
        seen.add((u, r))
        kept.append(row)
        role = roles[r]
        records.append((u, r, row.funded_fte, row.in_post_fte, row.in_training_fte,
                        row.absent_fte, row.abstraction_pct))
        eff0.append(existing_effective_fte(row, role, model.training_months_left(row),
                                           month_list))
        hf.append([hours_factor(role, row.abstraction_pct, m) for m in month_list])
        survive.append([survival(role.attrition_pct, s) for s in starts])
    est = pd.DataFrame.from_records(
        records, columns=["unit", "role", "funded", "in_post", "in_training", "absent",
                          "abstraction"])
    est = est.astype({"unit": np.int64, "role": np.int64})
    shape = (len(records), len(months))
    return (est, kept, np.array(eff0, dtype=float).reshape(shape),
            np.array(hf, dtype=float).reshape(shape),
            np.array(survive, dtype=float).reshape(shape))


def _hire_matrices(roles: list[Role], months: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = len(months)
    month_list = list(months)
    starts = period_starts(month_list)
    hire_eff = np.zeros((len(roles), n, n))
    keep = np.zeros((len(roles), n, n))
    for r, role in enumerate(roles):
        for tau in range(n):
            base = survival(role.attrition_pct, starts[tau])
            for t in range(tau, n):
                hire_eff[r, tau, t] = hire_effective_fte(role, month_list, tau, t)
                keep[r, tau, t] = (survival(role.attrition_pct, starts[t]) / base
                                   if base > 0 else 0.0)
    return hire_eff, keep


def _demand(model: PlanningModel, unit_pos: dict[str, int], stream_pos: dict[str, int],
            period_pos: dict[str, int]) -> pd.DataFrame:
    rows: dict[tuple[int, int, int], list[float]] = {}
    for d in model.demand:
        key = (unit_pos.get(id_key(d.unit_id)), stream_pos.get(id_key(d.stream_id)),
               period_pos.get(id_key(d.period)))
        if None in key:
            continue  # validation reports unknown IDs and periods
        k = (int(key[0]), int(key[1]), int(key[2]))  # type: ignore[arg-type]
        if k in rows:  # a duplicate key (a validation error): hours add up
            rows[k][0] += d.hours
            continue
        rows[k] = [d.hours, model.demand_weight(d), model.demand_min_service(d)]
    frame = pd.DataFrame(
        [(u, s, t, *v) for (u, s, t), v in rows.items()],
        columns=["unit", "stream", "t", "hours", "weight", "min_service"])
    frame = frame.astype({"unit": np.int64, "stream": np.int64, "t": np.int64,
                          "hours": float, "weight": float, "min_service": float})
    return frame


def _lending(model: PlanningModel, est: pd.DataFrame, unit_pos: dict[str, int],
             role_pos: dict[str, int]) -> pd.DataFrame:
    """Who may work for whom: each establishment row works for its own unit (share 1,
    efficiency 1) and for every unit a Sharing rule allows (a rule for the role wins over
    a rule for every role)."""
    specific: dict[tuple[int, int, int], tuple[float, float]] = {}
    general: dict[tuple[int, int], tuple[float, float]] = {}
    for rule in model.sharing:
        a = unit_pos.get(id_key(rule.from_unit))
        b = unit_pos.get(id_key(rule.to_unit))
        if a is None or b is None or a == b:
            continue
        rule_terms = (rule.max_share_pct / 100.0, rule.efficiency)
        if id_key(rule.role_id):
            r = role_pos.get(id_key(rule.role_id))
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
    return pd.DataFrame.from_records(
        records, columns=["e", "from_unit", "to_unit", "role", "share", "share_eff"]
    ).astype({"e": np.int64, "from_unit": np.int64, "to_unit": np.int64, "role": np.int64,
              "share": float, "share_eff": float})


def _skills(model: PlanningModel, role_pos: dict[str, int],
            stream_pos: dict[str, int]) -> pd.DataFrame:
    records = {}
    for k in model.skills:
        r = role_pos.get(id_key(k.role_id))
        s = stream_pos.get(id_key(k.stream_id))
        if r is not None and s is not None and (r, s) not in records:
            records[(r, s)] = (r, s, k.efficiency, k.max_share_pct / 100.0)
    return pd.DataFrame(list(records.values()),
                        columns=["role", "stream", "skill_eff", "max_share"]).astype(
        {"role": np.int64, "stream": np.int64, "skill_eff": float, "max_share": float})


def _allocation(model: PlanningModel, est: pd.DataFrame, demand: pd.DataFrame,
                lending: pd.DataFrame, role_pos: dict[str, int],
                stream_pos: dict[str, int]) -> pd.DataFrame:
    """One variable per (lender row, demand row) where the role is skilled for the stream
    and the lender works for the demand's unit: three joins, no Python loops."""
    skills = _skills(model, role_pos, stream_pos)
    live = demand[demand.hours > 0].reset_index().rename(columns={"index": "d",
                                                                  "unit": "to_unit"})
    x = live[["d", "to_unit", "stream", "t"]].merge(skills[["role", "stream", "skill_eff"]],
                                                    on="stream")
    x = x.merge(lending[["e", "from_unit", "to_unit", "role", "share_eff"]],
                on=["to_unit", "role"])
    x["coef"] = x.skill_eff * x.share_eff
    x = x[x.coef > 0].sort_values(["e", "t", "d"], kind="stable").reset_index(drop=True)
    return x[["e", "d", "from_unit", "to_unit", "role", "stream", "t", "coef"]]


def _role_caps(model: PlanningModel, role_pos: dict[str, int],
               stream_pos: dict[str, int]) -> pd.DataFrame:
    skills = _skills(model, role_pos, stream_pos)
    return skills[skills.max_share < 1.0][["role", "stream", "max_share"]].reset_index(
        drop=True)


def _hiring(settings: ScenarioSettings, est: pd.DataFrame, roles: list[Role],
            units: list, periods: list, starts: np.ndarray,
            ) -> tuple[pd.DataFrame, pd.DataFrame, dict[int, float]]:
    """Which fills and new posts exist (DESIGN section 4): only once the recruitment lead
    time has passed; fills only where ``recruit_fte_max`` targets the row and period; new
    posts only where the scenario allows them."""
    fills, grows = [], []
    max_new: dict[int, float] = {}
    for e, (u, r) in enumerate(zip(est.unit.tolist(), est.role.tolist(), strict=True)):
        role = roles[r]
        uk, rk = id_key(units[u].unit_id), id_key(role.role_id)
        for t, p in enumerate(periods):
            if not hiring_allowed(role, float(starts[t])):
                continue
            cap = settings.recruit_fte_max.get((uk, rk, id_key(p.period)))
            if cap is not None and cap > 0:
                fills.append((e, t, float(cap)))
            if settings.allow_new_posts:
                grows.append((e, t))
        if settings.allow_new_posts and (uk, rk) in settings.max_new_fte:
            max_new[e] = float(settings.max_new_fte[(uk, rk)])
    return (pd.DataFrame(fills, columns=["e", "t", "cap"]).astype(
                {"e": np.int64, "t": np.int64, "cap": float}),
            pd.DataFrame(grows, columns=["e", "t"]).astype({"e": np.int64, "t": np.int64}),
            max_new)
