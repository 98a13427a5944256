"""The whole planning model: every table of the workbook, immutable.

An edit produces a new ``PlanningModel`` (``dataclasses.replace``), so the undo stack, the
scenario machinery and background solves can hold references without copying or locking.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from operator import attrgetter
from typing import Any

from capacity_planner.domain.entities import (
    DemandRow,
    EstablishmentRow,
    NoteRow,
    Period,
    Role,
    ScenarioRow,
    SharingRule,
    Skill,
    Stream,
    Unit,
)
from capacity_planner.domain.ids import id_key


@dataclass(frozen=True, slots=True)
class Formula:
    """A formula cell of a sheet outside the model (``PlanningModel.other_sheets``), kept so
    that saving writes the planner's formula back, not only its last value. Only a cell
    that was a formula in the file is one: text that merely starts with ``=`` stays text."""

    text: str  # as Excel shows it, with its leading "="
    value: object = None  # what it last calculated to, as read (None when never calculated)


BASELINE = "Baseline"
DEFAULT_PERIOD_MONTHS = 12.0


@dataclass(frozen=True)
class PlanningModel:
    units: tuple[Unit, ...] = ()
    roles: tuple[Role, ...] = ()
    establishment: tuple[EstablishmentRow, ...] = ()
    streams: tuple[Stream, ...] = ()
    demand: tuple[DemandRow, ...] = ()
    skills: tuple[Skill, ...] = ()
    sharing: tuple[SharingRule, ...] = ()
    periods: tuple[Period, ...] = ()
    scenarios: tuple[ScenarioRow, ...] = ()
    notes: tuple[NoteRow, ...] = ()
    # Unknown columns kept from the workbook, per sheet: {sheet: {column: [values by record]}}
    extra_columns: dict[str, dict[str, list[object]]] = field(
        default_factory=dict, compare=False, repr=False)
    source: str = field(default="", compare=False)
    # Sheets of the workbook that are not model tables (the companion Actuals and
    # Uncertainty sheets, a planner's Scratch or Chart data), kept so that saving the model
    # loses none of them: {sheet name: rows of cell values from A1}, in tab order. Values as
    # read: str, float, bool, date, datetime, time; None for a blank cell; a ``Formula``
    # for a formula cell of an .xlsx.
    other_sheets: dict[str, tuple[tuple[object, ...], ...]] = field(
        default_factory=dict, compare=False, repr=False)
    # Which of ``other_sheets`` were hidden in the workbook.
    hidden_sheets: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    # Which of those were very hidden: listed by none of Excel's menus (a template's lookup
    # lists are often kept so); saved the same way.
    very_hidden_sheets: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    # The values each table was read with, a column per field as its records hold them:
    # {attribute: (records, {field: values})}. ``column`` uses them only while the model's
    # table is that very tuple (an edit makes a new one), so checks of a 50,000-row table
    # read its columns without visiting every record.
    read_columns: dict[str, tuple[tuple[Any, ...], dict[str, list[Any]]]] = field(
        default_factory=dict, compare=False, repr=False)

    def with_table(self, attribute: str, records: tuple) -> PlanningModel:
        changes: dict[str, Any] = {attribute: tuple(records)}
        return replace(self, **changes)

    def column(self, attribute: str, name: str) -> list[Any]:
        """The values of field ``name`` of every record of table ``attribute``, in order.
        The list may be shared with the model: read it, never change it."""
        records = getattr(self, attribute)
        known = self.read_columns.get(attribute)
        if known is not None and known[0] is records and name in known[1]:
            return known[1][name]
        return list(map(attrgetter(name), records))

    # ---- lookups (keys are id_key()s) ------------------------------------------------
    @cached_property
    def unit_by_key(self) -> dict[str, Unit]:
        return {id_key(u.unit_id): u for u in self.units}

    @cached_property
    def role_by_key(self) -> dict[str, Role]:
        return {id_key(r.role_id): r for r in self.roles}

    @cached_property
    def stream_by_key(self) -> dict[str, Stream]:
        return {id_key(s.stream_id): s for s in self.streams}

    @cached_property
    def plan_periods(self) -> tuple[Period, ...]:
        """The periods in order: the Periods sheet, or else each distinct Demand period in
        order of first appearance, 12 months each (DESIGN section 3)."""
        if self.periods:
            return self.periods
        seen: dict[str, Period] = {}
        for d in self.demand:
            k = id_key(d.period)
            if k and k not in seen:
                seen[k] = Period(d.period, DEFAULT_PERIOD_MONTHS)
        return tuple(seen.values())

    @cached_property
    def period_index(self) -> dict[str, int]:
        return {id_key(p.period): i for i, p in enumerate(self.plan_periods)}

    @property
    def scenario_names(self) -> list[str]:
        """Baseline first, then each scenario named in the Scenarios sheet, in order."""
        names = [BASELINE]
        seen = {id_key(BASELINE)}
        for row in self.scenarios:
            k = id_key(row.scenario)
            if k and k not in seen:
                seen.add(k)
                names.append(row.scenario.strip())
        return names

    def demand_weight(self, d: DemandRow) -> float:
        if d.weight is not None:
            return d.weight
        s = self.stream_by_key.get(id_key(d.stream_id))
        return s.weight if s else 1.0

    def demand_min_service(self, d: DemandRow) -> float:
        if d.min_service_pct is not None:
            return d.min_service_pct
        s = self.stream_by_key.get(id_key(d.stream_id))
        return s.min_service_pct if s else 0.0

    def training_months_left(self, row: EstablishmentRow) -> float:
        if row.training_months_left is not None:
            return row.training_months_left
        role = self.role_by_key.get(id_key(row.role_id))
        return role.training_months if role else 0.0
