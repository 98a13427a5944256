"""What was actually delivered (the optional ``Actuals`` sheet), for calibration.

One row per unit, stream and period: the hours of that demand the duty and case systems
recorded as delivered, in the same demand hours the model reports as ``delivered_hours``.
The sheet is described with the same ``TableSpec`` as the planning tables so it is read
by the same reader, but it is not part of ``PlanningModel``: a model is a plan, actuals
are the evidence it is checked against.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from capacity_planner.domain.entities import NO_ORIGIN
from capacity_planner.domain.ids import id_key
from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.problems import Location, Problem, error
from capacity_planner.domain.schema import FieldSpec, Kind, TableSpec


@dataclass(frozen=True, slots=True)
class ActualRow:
    unit_id: str
    stream_id: str
    period: str
    delivered_hours: float
    origin: Location = field(default=NO_ORIGIN, compare=False, repr=False)


ACTUALS = TableSpec("Actuals", ActualRow, (
    FieldSpec("unit_id", Kind.ID, True, refers_to="Units"),
    FieldSpec("stream_id", Kind.ID, True, refers_to="Streams"),
    FieldSpec("period", Kind.ID, True, refers_to="Periods"),
    FieldSpec("delivered_hours", Kind.NUMBER, True,
              help="Hours of this demand recorded as delivered (duty and case systems)"),
), key=("unit_id", "stream_id", "period"), optional_sheet=True)


def check_actuals(model: PlanningModel, rows: Sequence[ActualRow]) -> list[Problem]:
    """Every row must name a unit, stream and period of the model, once, with hours >= 0."""
    problems: list[Problem] = []
    known = {
        "unit_id": ({id_key(u.unit_id) for u in model.units}, "a unit_id from Units"),
        "stream_id": ({id_key(s.stream_id) for s in model.streams},
                      "a stream_id from Streams"),
        "period": (set(model.period_index), "a period of the model"),
    }
    seen: dict[tuple[str, str, str], ActualRow] = {}
    for row in rows:
        bad = False
        for name, (keys, expected) in known.items():
            value = getattr(row, name)
            if id_key(value) not in keys:
                problems.append(error(f"Unknown {name} in Actuals", _col(row.origin, name),
                                      value, expected, code="unknown_id"))
                bad = True
        if row.delivered_hours < 0:
            problems.append(error("Delivered hours cannot be negative",
                                  _col(row.origin, "delivered_hours"), row.delivered_hours,
                                  "0 or more", code="negative"))
        key = (id_key(row.unit_id), id_key(row.stream_id), id_key(row.period))
        if not bad and key in seen:
            first = seen[key].origin.row
            problems.append(error(f"Duplicate Actuals row (first at row {first})",
                                  _col(row.origin, "unit_id"), "/".join(key),
                                  "one row per unit, stream and period",
                                  code="duplicate_key"))
        seen.setdefault(key, row)
    return problems


def _col(where: Location, column: str) -> Location:
    return replace(where, column=column)
