"""Edits of a planning model as undoable commands, and the stack that holds them.

As in glue's ``core/command.py``: each command knows how to ``do`` and ``undo`` itself,
and a ``CommandStack`` keeps the history. Because ``PlanningModel`` is immutable, a
command maps one model to a new one and keeps only the records it replaced, so the CLI,
tests and the app can replay the same edits. The ui only enables and relabels actions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from capacity_planner.domain.entities import ScenarioRow
from capacity_planner.domain.ids import id_key
from capacity_planner.domain.model import BASELINE, PlanningModel


class Command(Protocol):
    @property
    def name(self) -> str: ...

    def do(self, model: PlanningModel) -> PlanningModel: ...

    def undo(self, model: PlanningModel) -> PlanningModel: ...


def _records(model: PlanningModel, attribute: str) -> list:
    return list(getattr(model, attribute))


@dataclass(frozen=True)
class SetCells:
    """Change some fields of some records of one table: ``(index, field, old, new)``."""

    attribute: str
    changes: tuple[tuple[int, str, object, object], ...]
    name: str = "Edit"

    def _apply(self, model: PlanningModel, new: bool) -> PlanningModel:
        records = _records(model, self.attribute)
        changes = self.changes if new else tuple(reversed(self.changes))
        for index, field, old, value in changes:
            records[index] = replace(records[index], **{field: value if new else old})
        return model.with_table(self.attribute, tuple(records))

    def do(self, model: PlanningModel) -> PlanningModel:
        return self._apply(model, True)

    def undo(self, model: PlanningModel) -> PlanningModel:
        return self._apply(model, False)


@dataclass(frozen=True)
class InsertRows:
    """Insert records at ``index`` (the end of the table when ``index`` is its length)."""

    attribute: str
    index: int
    records: tuple
    name: str = "Add rows"

    def do(self, model: PlanningModel) -> PlanningModel:
        records = _records(model, self.attribute)
        records[self.index:self.index] = self.records
        return model.with_table(self.attribute, tuple(records))

    def undo(self, model: PlanningModel) -> PlanningModel:
        records = _records(model, self.attribute)
        del records[self.index:self.index + len(self.records)]
        return model.with_table(self.attribute, tuple(records))


@dataclass(frozen=True)
class DeleteRows:
    """Delete records; ``removed`` holds ``(index, record)`` in ascending index order."""

    attribute: str
    removed: tuple[tuple[int, object], ...]
    name: str = "Delete rows"

    def do(self, model: PlanningModel) -> PlanningModel:
        gone = {i for i, _ in self.removed}
        records = [r for i, r in enumerate(getattr(model, self.attribute)) if i not in gone]
        return model.with_table(self.attribute, tuple(records))

    def undo(self, model: PlanningModel) -> PlanningModel:
        records = _records(model, self.attribute)
        for index, record in self.removed:
            records.insert(index, record)
        return model.with_table(self.attribute, tuple(records))


@dataclass(frozen=True)
class ReplaceTable:
    """Replace a whole table (paste that adds rows, scenario renames)."""

    attribute: str
    old: tuple
    new: tuple
    name: str = "Edit table"

    def do(self, model: PlanningModel) -> PlanningModel:
        return model.with_table(self.attribute, self.new)

    def undo(self, model: PlanningModel) -> PlanningModel:
        return model.with_table(self.attribute, self.old)


@dataclass(frozen=True)
class ReplaceModel:
    """Replace the whole model (an import of vacancies into the open model)."""

    old: PlanningModel
    new: PlanningModel
    name: str = "Import"

    def do(self, model: PlanningModel) -> PlanningModel:
        return self.new

    def undo(self, model: PlanningModel) -> PlanningModel:
        return self.old


# ---- building commands from the current model ------------------------------------------
def set_cell(model: PlanningModel, attribute: str, index: int, field: str,
             value: object) -> SetCells:
    old = getattr(getattr(model, attribute)[index], field)
    return SetCells(attribute, ((index, field, old, value),), f"Edit {field}")


def set_cells(model: PlanningModel, attribute: str,
              changes: Iterable[tuple[int, str, object]], name: str = "Paste") -> SetCells:
    records = getattr(model, attribute)
    return SetCells(attribute, tuple((i, f, getattr(records[i], f), v) for i, f, v in changes),
                    name)


def insert_rows(model: PlanningModel, attribute: str, index: int, records: Sequence,
                name: str = "") -> InsertRows:
    n = len(records)
    return InsertRows(attribute, index, tuple(records),
                      name or ("Add row" if n == 1 else f"Add {n} rows"))


def delete_rows(model: PlanningModel, attribute: str, indices: Iterable[int]) -> DeleteRows:
    records = getattr(model, attribute)
    chosen = sorted(set(indices))
    n = len(chosen)
    return DeleteRows(attribute, tuple((i, records[i]) for i in chosen),
                      "Delete row" if n == 1 else f"Delete {n} rows")


def replace_table(model: PlanningModel, attribute: str, records: Sequence,
                  name: str) -> ReplaceTable:
    return ReplaceTable(attribute, getattr(model, attribute), tuple(records), name)


# ---- scenarios (the Baseline is implicit and never edited) ------------------------------
class ScenarioError(ValueError):
    """A scenario edit that makes no sense (a clash of names, the Baseline)."""


def _check_new_name(model: PlanningModel, name: str) -> str:
    name = name.strip()
    if not name:
        raise ScenarioError("A scenario needs a name.")
    if id_key(name) in {id_key(n) for n in model.scenario_names}:
        raise ScenarioError(f"There is already a scenario called {name!r}.")
    return name


def _not_baseline(scenario: str) -> None:
    if id_key(scenario) == id_key(BASELINE):
        raise ScenarioError("The Baseline cannot be changed.")


def add_scenario(model: PlanningModel, name: str, parameter: str = "demand_change_pct",
                 value: float | str = 0.0) -> ReplaceTable:
    """A new scenario with one parameter row (a scenario exists through its rows)."""
    name = _check_new_name(model, name)
    row = ScenarioRow(name, parameter, value)
    return replace_table(model, "scenarios", (*model.scenarios, row), f"Add scenario {name}")


def duplicate_scenario(model: PlanningModel, scenario: str, name: str) -> ReplaceTable:
    name = _check_new_name(model, name)
    key = id_key(scenario)
    copies = [replace(r, scenario=name) for r in model.scenarios if id_key(r.scenario) == key]
    if id_key(scenario) == id_key(BASELINE) or not copies:
        copies = [ScenarioRow(name, "demand_change_pct", 0.0)]
    return replace_table(model, "scenarios", (*model.scenarios, *copies),
                         f"Duplicate scenario {scenario}")


def rename_scenario(model: PlanningModel, scenario: str, name: str) -> ReplaceTable:
    _not_baseline(scenario)
    key = id_key(scenario)
    if id_key(name) != key:
        name = _check_new_name(model, name)
    rows = tuple(replace(r, scenario=name.strip()) if id_key(r.scenario) == key else r
                 for r in model.scenarios)
    return replace_table(model, "scenarios", rows, f"Rename scenario {scenario}")


def delete_scenario(model: PlanningModel, scenario: str) -> ReplaceTable:
    _not_baseline(scenario)
    key = id_key(scenario)
    rows = tuple(r for r in model.scenarios if id_key(r.scenario) != key)
    return replace_table(model, "scenarios", rows, f"Delete scenario {scenario}")


# ---- the stack -----------------------------------------------------------------------------
class CommandStack:
    """The current model and the edits that led to it, undoable and redoable.

    ``mark_clean`` records the state that is saved on disk; ``is_clean`` says whether the
    current state is that one (undoing back to a save makes the model clean again).
    """

    def __init__(self, model: PlanningModel, limit: int = 500) -> None:
        self.limit = limit
        self.reset(model)

    def reset(self, model: PlanningModel) -> None:
        self._model = model
        self._done: list[Command] = []
        self._undone: list[Command] = []
        self._clean: int | None = 0

    @property
    def model(self) -> PlanningModel:
        return self._model

    def do(self, command: Command) -> PlanningModel:
        self._model = command.do(self._model)
        if self._clean is not None and self._clean > len(self._done):
            self._clean = None  # the saved state was in the redo branch, now gone
        self._done.append(command)
        self._undone.clear()
        if len(self._done) > self.limit:
            del self._done[0]
            self._clean = None if self._clean in (None, 0) else self._clean - 1
        return self._model

    def undo(self) -> PlanningModel:
        if self._done:
            command = self._done.pop()
            self._model = command.undo(self._model)
            self._undone.append(command)
        return self._model

    def redo(self) -> PlanningModel:
        if self._undone:
            command = self._undone.pop()
            self._model = command.do(self._model)
            self._done.append(command)
        return self._model

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def undo_name(self) -> str:
        return self._done[-1].name if self._done else ""

    @property
    def redo_name(self) -> str:
        return self._undone[-1].name if self._undone else ""

    def mark_clean(self) -> None:
        self._clean = len(self._done)

    def mark_dirty(self) -> None:
        """No state in the history is the saved one (a recovered copy, an unsaved import)."""
        self._clean = None

    @property
    def is_clean(self) -> bool:
        return self._clean == len(self._done)
