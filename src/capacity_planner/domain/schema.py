"""The planning workbook's sheets and columns as data (DESIGN section 3).

One description serves the reader (required columns, defaults, types), the writer and the
template (column order, help text, dropdowns) and the ui's table models (editable columns
and type checks). Field names are the canonical column names and the record fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from capacity_planner.domain import entities as e


class Kind(StrEnum):
    ID = "id"  # trimmed text, compared case-insensitively
    TEXT = "text"
    NUMBER = "number"  # a float >= 0 unless the spec says otherwise
    PCT = "pct"  # 0..100
    ENUM = "enum"
    ANY = "any"  # scenario values: number or text


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    kind: Kind
    required: bool = False
    default: object = None
    choices: tuple[str, ...] = ()
    help: str = ""
    # For IDs: the table whose key this refers to ("" for a key of its own table).
    refers_to: str = ""
    # Numbers: is zero allowed, and is there an upper bound?
    positive: bool = False
    maximum: float | None = None


@dataclass(frozen=True, slots=True)
class TableSpec:
    sheet: str
    record: type
    fields: tuple[FieldSpec, ...]
    key: tuple[str, ...] = ()  # fields that must be unique together
    optional_sheet: bool = False

    def field(self, name: str) -> FieldSpec:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


UNIT_KINDS = ("force", "rocu", "lpa", "team")
WORKFORCES = ("officer", "staff")
STRANDS = ("pursue", "prevent", "protect", "prepare", "other")

F = FieldSpec
UNITS = TableSpec("Units", e.Unit, (
    F("unit_id", Kind.ID, True, help="Short unique code, e.g. SUSSEX"),
    F("name", Kind.TEXT, default=""),
    F("kind", Kind.ENUM, default="force", choices=UNIT_KINDS),
    F("region", Kind.TEXT, default=""),
    F("parent_id", Kind.ID, default="", refers_to="Units"),
), key=("unit_id",))

ROLES = TableSpec("Roles", e.Role, (
    F("role_id", Kind.ID, True),
    F("name", Kind.TEXT, default=""),
    F("workforce", Kind.ENUM, default="officer", choices=WORKFORCES),
    F("annual_cost_gbp", Kind.NUMBER, True, help="Full annual cost of one FTE (GBP)"),
    F("hours_per_fte", Kind.NUMBER, True, positive=True,
      help="Productive hours per FTE per year"),
    F("training_months", Kind.NUMBER, default=0.0),
    F("trainee_effectiveness", Kind.NUMBER, default=0.5, maximum=1.0),
    F("recruitment_months", Kind.NUMBER, default=0.0),
    F("attrition_pct", Kind.PCT, default=0.0, help="Leavers per year, % of strength"),
    F("overtime_cap_pct", Kind.PCT, default=0.0),
    F("overtime_premium", Kind.NUMBER, default=1.5),
    F("recruitment_cost_gbp", Kind.NUMBER, default=0.0, help="One-off cost per joiner"),
), key=("role_id",))

ESTABLISHMENT = TableSpec("Establishment", e.EstablishmentRow, (
    F("unit_id", Kind.ID, True, refers_to="Units"),
    F("role_id", Kind.ID, True, refers_to="Roles"),
    F("funded_fte", Kind.NUMBER, True, help="Funded posts (establishment), FTE"),
    F("in_post_fte", Kind.NUMBER, True, help="Posts filled (strength), FTE"),
    F("in_training_fte", Kind.NUMBER, default=0.0),
    F("absent_fte", Kind.NUMBER, default=0.0),
    F("abstraction_pct", Kind.PCT, default=0.0),
    F("training_months_left", Kind.NUMBER, default=None),
), key=("unit_id", "role_id"))

STREAMS = TableSpec("Streams", e.Stream, (
    F("stream_id", Kind.ID, True),
    F("name", Kind.TEXT, default=""),
    F("strand", Kind.ENUM, default="other", choices=STRANDS),
    F("weight", Kind.NUMBER, default=1.0),
    F("min_service_pct", Kind.PCT, default=0.0),
), key=("stream_id",))

DEMAND = TableSpec("Demand", e.DemandRow, (
    F("unit_id", Kind.ID, True, refers_to="Units"),
    F("stream_id", Kind.ID, True, refers_to="Streams"),
    F("period", Kind.ID, True, refers_to="Periods"),
    F("hours", Kind.NUMBER, True),
    F("weight", Kind.NUMBER, default=None),
    F("min_service_pct", Kind.PCT, default=None),
), key=("unit_id", "stream_id", "period"))

SKILLS = TableSpec("Skills", e.Skill, (
    F("role_id", Kind.ID, True, refers_to="Roles"),
    F("stream_id", Kind.ID, True, refers_to="Streams"),
    F("efficiency", Kind.NUMBER, default=1.0, positive=True, maximum=1.0),
    F("max_share_pct", Kind.PCT, default=100.0),
), key=("role_id", "stream_id"))

SHARING = TableSpec("Sharing", e.SharingRule, (
    F("from_unit", Kind.ID, True, refers_to="Units"),
    F("to_unit", Kind.ID, True, refers_to="Units"),
    F("role_id", Kind.ID, default="", refers_to="Roles"),
    F("max_share_pct", Kind.PCT, True),
    F("efficiency", Kind.NUMBER, default=1.0, positive=True, maximum=1.0),
), key=("from_unit", "to_unit", "role_id"), optional_sheet=True)

PERIODS = TableSpec("Periods", e.Period, (
    F("period", Kind.ID, True),
    F("months", Kind.NUMBER, True, positive=True),
), key=("period",), optional_sheet=True)

SCENARIOS = TableSpec("Scenarios", e.ScenarioRow, (
    F("scenario", Kind.TEXT, True),
    F("parameter", Kind.ENUM, True),  # choices: scenario.PARAMETERS
    F("unit_id", Kind.ID, default="", refers_to="Units"),
    F("role_id", Kind.ID, default="", refers_to="Roles"),
    F("stream_id", Kind.ID, default="", refers_to="Streams"),
    F("period", Kind.ID, default="", refers_to="Periods"),
    F("value", Kind.ANY, True),
), optional_sheet=True)

NOTES = TableSpec("Notes", e.NoteRow, (F("text", Kind.TEXT),), optional_sheet=True)

TABLES: tuple[TableSpec, ...] = (UNITS, ROLES, ESTABLISHMENT, STREAMS, DEMAND, SKILLS,
                                 SHARING, PERIODS, SCENARIOS, NOTES)
BY_SHEET = {t.sheet: t for t in TABLES}
# Attribute of PlanningModel holding each table's records.
ATTRIBUTE = {"Units": "units", "Roles": "roles", "Establishment": "establishment",
             "Streams": "streams", "Demand": "demand", "Skills": "skills",
             "Sharing": "sharing", "Periods": "periods", "Scenarios": "scenarios",
             "Notes": "notes"}

# Sheets that other parts of the product read from a planning workbook: the reader leaves
# them alone without a "not part of the model" note. Keys are sheet_key()-style names.
COMPANION_SHEETS = {
    "actuals": "calibrate reads it (delivered hours from duty and case systems)",
    "uncertainty": "montecarlo reads it (demand distributions by stream)",
    "instructions": "the template's instructions for the person filling it in",
}
