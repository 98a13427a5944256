"""Solve for the input that makes the model deliver what was recorded.

Delivered hours on one unit and stream fall as the abstraction of the roles that serve it
rises (and rise with their productive hours), but not in a formula one can invert: the
LP shares capacity between streams by weight and flattens out once demand is met. So the
search is one-dimensional root finding on the real model, each step a full Baseline solve:
false position with the Illinois modification (exact in one step when delivery is linear
in capacity, as in the tiny case), falling back to bisection when a step gains little.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from capacity_planner.domain.ids import id_key
from capacity_planner.domain.model import PlanningModel

MAX_ABSTRACTION_PCT = 95.0
HOURS_FACTOR_RANGE = (0.25, 4.0)
MAX_SOLVES = 30


@dataclass(frozen=True)
class Change:
    """One input changed: ``abstraction_pct`` of an Establishment row (unit and role), or
    ``hours_per_fte`` of a role (``unit_id`` blank: a role's hours apply at every unit)."""

    parameter: str
    unit_id: str
    role_id: str
    old: float
    new: float


@dataclass(frozen=True)
class Adjustment:
    """The change that makes the model deliver ``modelled_hours`` (close to ``actual_hours``
    when ``matched``), found in ``solves`` Baseline solves."""

    parameter: str
    changes: tuple[Change, ...]
    modelled_hours: float
    actual_hours: float
    matched: bool
    solves: int


def with_abstraction(model: PlanningModel, rows: Sequence[tuple[str, str]],
                     shift: float) -> tuple[PlanningModel, tuple[Change, ...]]:
    """Each named Establishment row's abstraction moved by ``shift`` points, kept in
    [0, MAX_ABSTRACTION_PCT]."""
    keys = {(id_key(u), id_key(r)) for u, r in rows}
    changes, out = [], []
    for e in model.establishment:
        if (id_key(e.unit_id), id_key(e.role_id)) in keys:
            new = min(MAX_ABSTRACTION_PCT, max(0.0, e.abstraction_pct + shift))
            changes.append(Change("abstraction_pct", e.unit_id, e.role_id,
                                  e.abstraction_pct, new))
            e = replace(e, abstraction_pct=new)
        out.append(e)
    return model.with_table("establishment", tuple(out)), tuple(changes)


def with_hours(model: PlanningModel, roles: Sequence[str],
               factor: float) -> tuple[PlanningModel, tuple[Change, ...]]:
    """Each named role's productive hours per FTE multiplied by ``factor``."""
    keys = {id_key(r) for r in roles}
    changes, out = [], []
    for r in model.roles:
        if id_key(r.role_id) in keys:
            new = r.hours_per_fte * factor
            changes.append(Change("hours_per_fte", "", r.role_id, r.hours_per_fte, new))
            r = replace(r, hours_per_fte=new)
        out.append(r)
    return model.with_table("roles", tuple(out)), tuple(changes)


def apply_changes(model: PlanningModel, changes: Sequence[Change]) -> PlanningModel:
    """Set each change's new value (abstraction to 0.01 point, hours to 0.1 hour, so the
    workbook reads cleanly)."""
    est = {(id_key(c.unit_id), id_key(c.role_id)): round(c.new, 2)
           for c in changes if c.parameter == "abstraction_pct"}
    hours = {id_key(c.role_id): round(c.new, 1)
             for c in changes if c.parameter == "hours_per_fte"}
    rows = tuple(
        replace(e, abstraction_pct=est[(id_key(e.unit_id), id_key(e.role_id))])
        if (id_key(e.unit_id), id_key(e.role_id)) in est else e for e in model.establishment)
    roles = tuple(replace(r, hours_per_fte=hours[id_key(r.role_id)])
                  if id_key(r.role_id) in hours else r for r in model.roles)
    return model.with_table("establishment", rows).with_table("roles", roles)


def find_root(f: Callable[[float], float], a: float, b: float, fa: float, fb: float, *,
              tol: float, xtol: float, max_calls: int) -> tuple[float, float, int]:
    """``x`` in [a, b] with ``|f(x)| <= tol``, given ``f(a)`` and ``f(b)`` of opposite
    signs; if none is found (``f`` may jump, the LP re-allocating at a threshold), the end
    of the final bracket nearer zero. Returns (x, f(x), calls of f)."""
    ends = [(a, fa), (b, fb)]  # true values at the bracket's ends
    wa, wb = fa, fb  # Illinois weights: an end kept twice in a row counts half
    calls, side, slow = 0, 0, 0
    best = min(ends, key=lambda p: abs(p[1]))
    while calls < max_calls and abs(best[1]) > tol and abs(ends[1][0] - ends[0][0]) > xtol:
        (a, fa), (b, fb) = ends
        width = abs(b - a)
        c = (a + b) / 2 if slow >= 2 or wb == wa else (a * wb - b * wa) / (wb - wa)
        slow = 0 if slow >= 2 else slow
        fc = f(c)
        calls += 1
        if abs(fc) < abs(best[1]):
            best = (c, fc)
        if fc == 0:
            break
        if (fc > 0) == (fb > 0):
            ends[1], wb = (c, fc), fc
            if side == -1:
                wa /= 2
            side = -1
        else:
            ends[0], wa = (c, fc), fc
            if side == 1:
                wb /= 2
            side = 1
        slow = slow + 1 if abs(ends[1][0] - ends[0][0]) > 0.5 * width else 0
    if abs(best[1]) > tol:  # ties go to the bracket, which has closed in on the jump
        best = min([*ends, best], key=lambda p: abs(p[1]))
    return best[0], best[1], calls


def search(delivered: Callable[[PlanningModel], float], model: PlanningModel,
           actual: float, current: float, rows: Sequence[tuple[str, str]],
           tolerance_hours: float) -> Adjustment | None:
    """The smallest story that makes ``delivered`` match ``actual``: the abstraction of the
    row that serves the line most (``rows`` come most hours first), else of all of them
    shifted together, else the productive hours of the main role, else of all their roles.
    ``current`` is what the model delivers now. None when nothing within range matches
    (then demand, not supply, is the likelier cause)."""
    if not rows:
        return None
    solves = 0
    roles = list(dict.fromkeys(r for _u, r in rows))
    tries: list[tuple[str, Sequence]] = [("abstraction_pct", rows[:1])]
    if len(rows) > 1:
        tries.append(("abstraction_pct", rows))
    tries.append(("hours_per_fte", roles[:1]))
    if len(roles) > 1:
        tries.append(("hours_per_fte", roles))
    for parameter, targets in tries:
        found, n = _try(delivered, model, actual, current, parameter, targets,
                        tolerance_hours)
        solves += n
        if found is not None:
            return replace(found, solves=solves)
    return None


def _try(delivered: Callable[[PlanningModel], float], model: PlanningModel, actual: float,
         current: float, parameter: str, targets: Sequence, tolerance_hours: float
         ) -> tuple[Adjustment | None, int]:
    """Root finding on one parameter of ``targets``, if the range brackets the actual."""
    over = current > actual
    if parameter == "abstraction_pct":
        keys = {(id_key(u), id_key(r)) for u, r in targets}
        base = [e.abstraction_pct for e in model.establishment
                if (id_key(e.unit_id), id_key(e.role_id)) in keys]
        if not base:
            return None, 0
        start, end, xtol = 0.0, (MAX_ABSTRACTION_PCT - min(base)) if over else -max(base), 0.005

        def changed(x: float) -> tuple[PlanningModel, tuple[Change, ...]]:
            return with_abstraction(model, targets, x)
    else:
        start, xtol = 1.0, 1e-4
        end = HOURS_FACTOR_RANGE[0] if over else HOURS_FACTOR_RANGE[1]

        def changed(x: float) -> tuple[PlanningModel, tuple[Change, ...]]:
            return with_hours(model, targets, x)

    def gap(x: float) -> float:
        return delivered(changed(x)[0]) - actual

    f_end = gap(end)
    if (f_end <= 0) != over and abs(f_end) > tolerance_hours:
        return None, 1
    x, f_x, n = find_root(gap, start, end, current - actual, f_end, tol=tolerance_hours,
                          xtol=xtol, max_calls=MAX_SOLVES)
    return Adjustment(parameter, changed(x)[1], actual + f_x, actual,
                      abs(f_x) <= tolerance_hours, 0), 1 + n
