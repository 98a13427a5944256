"""The open planning model: its file, its edit history and its problems.

One ``Document`` per window. Views never change the model themselves; they build a
command (``domain.edits``) and hand it to ``apply``. Every change bumps ``revision`` (so
results know they are stale) and re-validates after a short pause.
"""

from __future__ import annotations

import re
from dataclasses import replace
from operator import attrgetter
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from capacity_planner.domain.edits import Command, CommandStack
from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.problems import Location, Problem, Severity
from capacity_planner.domain.schema import ATTRIBUTE, BY_SHEET, SCENARIOS
from capacity_planner.domain.validate import validate as domain_validate

VALIDATE_DELAY_MS = 150


def validate(model: PlanningModel) -> list[Problem]:
    return list(domain_validate(placed(model)))


def placed(model: PlanningModel) -> PlanningModel:
    """The model with each scenario row made in the app given its position as its origin.

    Scenario checks name a row by its origin (the file row it was read from); rows added in
    the app have none, and a duplicated scenario's rows share their original's, so their
    problems could not jump to their own cell. Origins take no part in equality, so the
    model is the same model."""
    seen: set[tuple[str, int | None]] = set()
    rows = []
    for i, r in enumerate(model.scenarios):
        key = (r.origin.sheet, r.origin.row)
        if not r.origin.sheet or key in seen:
            r = replace(r, origin=Location(sheet=SCENARIOS.sheet, index=i))
        else:
            seen.add(key)
        rows.append(r)
    if all(a is b for a, b in zip(rows, model.scenarios, strict=True)):
        return model
    return model.with_table("scenarios", tuple(rows))


def _column_key(text: str) -> str:
    text = text.strip().casefold().replace("%", "pct")
    text = re.sub(r"[()\[\]]", "", text)
    return re.sub(r"[\s_]+", "_", text).strip("_")


RowIndex = dict[tuple[str, int], int]  # (origin sheet casefolded, Excel row) -> record


def _row_index(records: tuple) -> RowIndex:  # type: ignore[type-arg]
    """The first record at each (sheet, Excel row), read a field at a time (a loop over
    the records took 0.15 s on a 50,000-row table)."""
    sheets = list(map(attrgetter("origin.sheet"), records))
    rows = list(map(attrgetter("origin.row"), records))
    fold = {sheet: sheet.casefold() for sheet in set(sheets)}
    keys = list(zip(map(fold.__getitem__, sheets), rows, strict=True))
    first = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1), strict=True))
    return {k: i for k, i in first.items() if k[1] is not None}


def locate(problem: Problem, model: PlanningModel,
           rows: dict[str, RowIndex] | None = None) -> tuple[str, int | None, str] | None:
    """Where a problem is in the tables: (sheet, record index or None, field or "").
    ``rows`` caches each table's index of Excel rows, for locating many problems at once
    (a scan per problem takes a second for 2,000 problems on 20,000-row tables)."""
    where = problem.where
    spec = next((s for name, s in BY_SHEET.items() if name.casefold() == where.sheet.casefold()),
                None)
    if spec is None:
        return None
    records = getattr(model, ATTRIBUTE[spec.sheet])
    index = None
    if where.row is not None:  # a record read from a file: found by its Excel row
        if rows is None:
            rows = {}
        if spec.sheet not in rows:
            rows[spec.sheet] = _row_index(records)
        index = rows[spec.sheet].get((where.sheet.casefold(), where.row))
    if index is None:
        index = where.index  # a record made in the app: its position
    if index is not None and not 0 <= index < len(records):
        index = None
    column = _column_key(where.column) if where.column else ""
    field = column if column in spec.names else ""
    return spec.sheet, index, field


class Document(QObject):
    model_changed = Signal(object)  # the new PlanningModel
    problems_changed = Signal()
    state_changed = Signal()  # dirty flag, path or undo/redo names

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stack = CommandStack(PlanningModel())
        self.path: Path | None = None
        self.name = ""
        self.revision = 0
        self._validated = -1
        self._problems: list[Problem] = []
        self._read_notes: list[Problem] = []
        self._cells: dict[tuple[str, int, str], list[Problem]] = {}
        # Where each problem is in the tables (``locate``), in the order of ``problems``.
        self.places: list[tuple[str, int | None, str] | None] = []
        # Each table's index of file rows, kept while the table is the same tuple: an edit
        # of one table re-validates without re-indexing the others (50,000 rows: 45 ms).
        self._row_indexes: dict[str, tuple[tuple, RowIndex]] = {}  # type: ignore[type-arg]
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(VALIDATE_DELAY_MS)
        self._timer.timeout.connect(self.revalidate)

    # ---- state ---------------------------------------------------------------------------
    @property
    def model(self) -> PlanningModel:
        return self.stack.model

    @property
    def is_dirty(self) -> bool:
        return not self.stack.is_clean

    @property
    def title(self) -> str:
        return self.path.name if self.path else (self.name or "Untitled")

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)

    # ---- changes -------------------------------------------------------------------------
    def load(self, model: PlanningModel, path: Path | None,
             problems: list[Problem] | None = None, dirty: bool = False,
             name: str = "") -> None:
        """Replace everything with a model just read (``problems`` from reading it).
        ``name`` titles a model with no file of its own (the bundled sample, a template)."""
        self.name = name
        self.stack.reset(model)
        if dirty:
            self.stack.mark_dirty()  # a recovered copy is not the file on disk
        self.path = path
        self._read_notes = [p for p in (problems or []) if p.severity is Severity.NOTE]
        self._changed()
        if problems is not None:
            self._timer.stop()
            self._validated = self.revision
            self.set_problems(list(problems))
        else:
            self.revalidate()

    def apply(self, command: Command) -> None:
        self.stack.do(command)
        self._changed()

    def undo(self) -> None:
        if self.stack.can_undo:
            self.stack.undo()
            self._changed()

    def redo(self) -> None:
        if self.stack.can_redo:
            self.stack.redo()
            self._changed()

    def mark_saved(self, path: Path) -> None:
        self.path = path
        self.name = ""
        self.stack.mark_clean()
        self.state_changed.emit()

    def _changed(self) -> None:
        self.revision += 1
        self.model_changed.emit(self.model)
        self.state_changed.emit()
        self._timer.start()

    # ---- problems ------------------------------------------------------------------------
    def ensure_validated(self) -> None:
        """Validate now unless the problems already belong to this revision."""
        if self._validated != self.revision:
            self.revalidate()

    def revalidate(self) -> None:
        self._timer.stop()
        self._validated = self.revision
        fresh = validate(self.model)
        self.set_problems(fresh + [n for n in self._read_notes if n not in fresh])

    def set_problems(self, problems: list[Problem]) -> None:
        model = self.model
        rows = {sheet: index for sheet, (records, index) in self._row_indexes.items()
                if getattr(model, ATTRIBUTE[sheet]) is records}
        places = [locate(p, model, rows) for p in problems]
        self._row_indexes = {sheet: (getattr(model, ATTRIBUTE[sheet]), index)
                             for sheet, index in rows.items()}
        cells: dict[tuple[str, int, str], list[Problem]] = {}
        for p, place in zip(problems, places, strict=True):
            if place and place[1] is not None:
                cells.setdefault((place[0], place[1], place[2]), []).append(p)
        self._problems, self.places, self._cells = problems, places, cells
        self.problems_changed.emit()

    @property
    def problems(self) -> list[Problem]:
        """The model's problems (``set_problems`` sets them with their places)."""
        return self._problems

    def cell_problems(self, sheet: str, index: int, field: str) -> list[Problem]:
        """Problems of one cell, and those of its whole row (a row problem marks each cell)."""
        return self._cells.get((sheet, index, field), []) + self._cells.get((sheet, index, ""), [])
