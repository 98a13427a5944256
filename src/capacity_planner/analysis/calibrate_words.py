"""Calibration in a planner's words: what differs, what input could explain it, and the
suggested change ("Thames Valley Police response support to SOC operations: model delivers
18 % more than recorded; abstraction of neighbourhood officers may be under-stated")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from capacity_planner.domain.ids import id_key
from capacity_planner.domain.model import PlanningModel

if TYPE_CHECKING:
    from capacity_planner.analysis.calibrate import CalibrationLine
    from capacity_planner.analysis.calibrate_search import Adjustment


def _lower_first(text: str) -> str:
    """``Response officer`` -> ``response officer``; acronyms (``SOC``, ``PCSO``) kept."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def unit_name(model: PlanningModel, unit_id: str) -> str:
    unit = model.unit_by_key.get(id_key(unit_id))
    return (unit.name or unit.unit_id) if unit else unit_id


def stream_name(model: PlanningModel, stream_id: str) -> str:
    stream = model.stream_by_key.get(id_key(stream_id))
    return _lower_first(stream.name) if stream and stream.name else stream_id


def role_plural(model: PlanningModel, role_id: str) -> str:
    role = model.role_by_key.get(id_key(role_id))
    name = _lower_first(role.name) if role and role.name else role_id
    return name if name.endswith("s") else name + "s"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def roles_phrase(model: PlanningModel, line: CalibrationLine, most: int = 3) -> str:
    """The roles that serve the line, most hours first, naming lenders."""
    parts = []
    for from_unit, role, _hours in line.serving[:most]:
        text = role_plural(model, role)
        if id_key(from_unit) != id_key(line.unit_id):
            text += f" lent by {unit_name(model, from_unit)}"
        parts.append(text)
    if not parts:
        skilled = [k.role_id for k in model.skills
                   if id_key(k.stream_id) == id_key(line.stream_id)]
        parts = [role_plural(model, r) for r in skilled[:most]]
    return _join(parts) if parts else "the roles that serve it"


def _pct(value: float) -> str:
    return f"{abs(value):.1f} %" if abs(value) < 10 else f"{abs(value):.0f} %"


def explain(model: PlanningModel, line: CalibrationLine, tolerance_pct: float) -> str:
    head = f"{unit_name(model, line.unit_id)} {stream_name(model, line.stream_id)}: "
    roles = roles_phrase(model, line)
    if line.within_tolerance:
        return head + f"model matches recorded delivery (within {tolerance_pct:g} %)"
    if line.error_hours > 0:
        what = (f"model delivers {line.modelled_hours:,.0f} hours where none were recorded"
                if not line.actual_hours else
                f"model delivers {_pct(line.error_pct or 0.0)} more than recorded")
        if line.modelled_hours >= line.demand_hours - 1e-6:
            return head + (f"{what}; it meets all the modelled demand, so demand may be "
                           f"over-stated, or abstraction of {roles} under-stated")
        return head + (f"{what}; abstraction of {roles} may be under-stated, or their "
                       "productive hours over-stated")
    what = f"model delivers {_pct(line.error_pct or 0.0)} less than recorded"
    if line.actual_hours > line.demand_hours + 1e-6:
        return head + (f"{what}; more was recorded than the modelled demand "
                       f"({line.demand_hours:,.0f} hours), so demand may be under-stated")
    if not line.serving and roles == "the roles that serve it":
        return head + f"{what}; no role in the model serves it: check Skills and Sharing"
    return head + (f"{what}; abstraction of {roles} may be over-stated, or their productive "
                   "hours under-stated")


def describe_adjustment(model: PlanningModel, adjustment: Adjustment) -> str:
    """``Set abstraction of neighbourhood officers at Thames Valley Police from 30 % to
    36.4 % (the model then delivers 1,234 of 1,234 recorded hours)``."""
    parts = []
    for c in adjustment.changes:
        if c.parameter == "abstraction_pct":
            parts.append(f"abstraction of {role_plural(model, c.role_id)} at "
                         f"{unit_name(model, c.unit_id)} from {c.old:,.1f} % to {c.new:,.1f} %")
        else:
            parts.append(f"productive hours of {role_plural(model, c.role_id)} (every unit) "
                         f"from {c.old:,.0f} to {c.new:,.0f} per FTE a year")
    result = (f"the model then delivers {adjustment.modelled_hours:,.0f} of "
              f"{adjustment.actual_hours:,.0f} recorded hours")
    if not adjustment.matched:
        result += "; the closest found, not an exact match"
    return "Set " + "; ".join(parts) + f" ({result})"
