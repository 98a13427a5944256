"""``load_model``: pre-flight, read, optional vacancy merge and domain validation, with
every problem collected and nothing raised for a bad file."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.problems import Location, Problem, Severity, error, note
from capacity_planner.domain.validate import validate
from capacity_planner.io.atomic import find_backup
from capacity_planner.io.mapping import ColumnMapping, load_mapping
from capacity_planner.io.reader import read_workbook
from capacity_planner.io.vacancies import merge_vacancies, read_vacancies

PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class ReadResult:
    """A model (None when the file could not be read at all) and every problem found."""

    model: PlanningModel | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings and notes do not stop a solve)."""
        return self.model is not None and not any(p.is_error for p in self.problems)

    def of(self, severity: Severity) -> list[Problem]:
        return [p for p in self.problems if p.severity is severity]

    @property
    def errors(self) -> list[Problem]:
        return self.of(Severity.ERROR)

    @property
    def warnings(self) -> list[Problem]:
        return self.of(Severity.WARNING)

    @property
    def notes(self) -> list[Problem]:
        return self.of(Severity.NOTE)


def load_model(path: PathLike, vacancies: PathLike | None = None,
               mapping: ColumnMapping | PathLike | None = None) -> ReadResult:
    """Read a planning workbook, merge a vacancy workbook, validate; never raises for a
    bad file (problems are values). A vacancy merge with errors changes nothing."""
    with gc_paused():
        return _load(path, vacancies, mapping)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector held off while a read makes its records: a large
    workbook makes hundreds of thousands of objects, none of them garbage, and each
    collection they trigger walks them all again (a tenth of the 3x50,000-row import).
    Reference counting still frees everything as usual; the collector resumes after.

    When the read made many objects (``FREEZE_AFTER``), they are then moved out of the
    collector's sight (``gc.freeze``, which Python documents as a way "to speed up
    collection"): a model's records live long and hold no cycles, yet without this the
    first collection after the read walks every one of them (50 ms for 3x50,000 rows),
    the next collection of the middle generation walks them again, and every full
    collection after that too, on whichever thread triggers it (in the app, the window's
    own). Freed records still go as usual. The price: cyclic garbage that exists at that
    moment is never collected; it is what accumulated since the last collection, once
    per large read."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_count()[0] > FREEZE_AFTER:
            gc.freeze()
        if enabled:
            gc.enable()


FREEZE_AFTER = 50_000  # objects made by a read (about 25,000 rows) before they are frozen


def _load(path: PathLike, vacancies: PathLike | None,
          mapping: ColumnMapping | PathLike | None) -> ReadResult:
    problems: list[Problem] = []
    if mapping is not None and not isinstance(mapping, ColumnMapping):
        mapping, mapping_problems = load_mapping(mapping)
        problems.extend(mapping_problems)
        if mapping is None:
            return ReadResult(None, problems)
    model, read_problems = read_workbook(path, mapping)
    problems.extend(read_problems)
    if model is None:
        return ReadResult(None, [*problems, *backup_offer(path)])
    if vacancies is not None:
        rows, vacancy_problems = read_vacancies(vacancies, mapping)
        problems.extend(vacancy_problems)
        if not any(p.is_error for p in vacancy_problems):
            model, merge_problems = merge_vacancies(model, rows)
            problems.extend(merge_problems)
        elif rows:
            problems.append(error("The vacancies were not applied because of the errors "
                                  "above", Location(file=str(vacancies)),
                                  code="vacancies_not_applied"))
    problems.extend(_new(validate(model), problems))
    return ReadResult(model, problems)


def backup_offer(path: PathLike) -> list[Problem]:
    """A note naming the backup kept at the last save, for a file that cannot be read. The
    ui offers to open it (code ``backup_available``, ``value`` the backup's path)."""
    bak = find_backup(path)
    if bak is None:
        return []
    saved = dt.datetime.fromtimestamp(bak.stat().st_mtime).strftime("%d %b %Y %H:%M")
    return [note(f"The previous version of this file was kept as {bak.name} (saved {saved}); "
                 "open it to recover your work", Location(file=str(path)), str(bak),
                 code="backup_available")]


def _new(found: list[Problem], known: list[Problem]) -> list[Problem]:
    """Validation problems not already reported by the reader for the same cell (a bad
    cell read as a blank must not be reported twice)."""
    taken = {(p.where.sheet, p.where.row, p.where.column) for p in known if p.is_error}
    return [p for p in found if (p.where.sheet, p.where.row, p.where.column) not in taken]
