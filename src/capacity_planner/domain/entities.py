"""The planning model's records as plain frozen dataclasses (DESIGN section 3).

Field names equal the workbook's canonical column names. Records are immutable: an edit
makes a new record, so an undo stack only needs to keep the old one. ``origin`` says
where a record was read from (file, sheet, Excel row) so that problems can name it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from capacity_planner.domain.problems import Location

NO_ORIGIN = Location()


@dataclass(frozen=True, slots=True)
class Unit:
    unit_id: str
    name: str = ""
    kind: str = "force"  # force, rocu, lpa, team
    region: str = ""
    parent_id: str = ""
    origin: Location = field(default=NO_ORIGIN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Role:
    role_id: str
    annual_cost_gbp: float
    hours_per_fte: float
    name: str = ""
    workforce: str = "officer"  # officer or staff
    training_months: float = 0.0
    trainee_effectiveness: float = 0.5
    recruitment_months: float = 0.0
    attrition_pct: float = 0.0
    overtime_cap_pct: float = 0.0
    overtime_premium: float = 1.5
    recruitment_cost_gbp: float = 0.0
    origin: Location = field(default=NO_ORIGIN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class EstablishmentRow:
    unit_id: str
    role_id: str
    funded_fte: float
    in_post_fte: float
    in_training_fte: float = 0.0
    absent_fte: float = 0.0
    abstraction_pct: float = 0.0
    training_months_left: float | None = None  # None: the role's training_months
    origin: Location = field(default=NO_ORIGIN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Stream:
    stream_id: str
    name: str = ""
    strand: str = "other"  # pursue, prevent, protect, prepare, other
    weight: float = 1.0
    min_service_pct: float = 0.0
    origin: Location = field(default=NO_ORIGIN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class DemandRow:
    unit_id: str
    stream_id: str
    period: str
    hours: float
    weight: float | None = None  # None: the stream's weight
    min_service_pct: float | None = None  # None: the stream's minimum
    origin: Location = field(default=NO_ORIGIN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Skill:
    role_id: str
    stream_id: str
    efficiency: float = 1.0
    max_share_pct: float = 100.0
    origin: Location = field(default=NO_ORIGIN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class SharingRule:
    from_unit: str
    to_unit: str
    max_share_pct: float
    role_id: str = ""  # blank: every role
    efficiency: float = 1.0
    origin: Location = field(default=NO_ORIGIN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Period:
    period: str
    months: float
    origin: Location = field(default=NO_ORIGIN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class ScenarioRow:
    """One parameter change of a scenario. A blank target means "all"."""

    scenario: str
    parameter: str
    value: float | str
    unit_id: str = ""
    role_id: str = ""
    stream_id: str = ""
    period: str = ""
    origin: Location = field(default=NO_ORIGIN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class NoteRow:
    text: str
    origin: Location = field(default=NO_ORIGIN, compare=False, repr=False)


Record = (Unit | Role | EstablishmentRow | Stream | DemandRow | Skill | SharingRule | Period
          | ScenarioRow | NoteRow)
