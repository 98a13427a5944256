"""The planning workbook in: a file to a ``PlanningModel`` and every problem found.

Sheets are found by name (case, spaces and plural forgiven), never by position, so a
hidden first sheet is never read by accident; every other sheet's values are kept in the
model (``io.reader_other``) so that saving it loses none of them. Nothing here raises for
a bad file: any exception from any reader becomes one problem naming the file. A file
that pre-flight marks ``isolate`` is parsed in a child process with a memory limit
(``io.isolate``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.problems import Location, Problem, error, note, warning
from capacity_planner.domain.schema import ATTRIBUTE, NOTES, TABLES, TableSpec
from capacity_planner.io.isolate import IsolationFailed, run_isolated
from capacity_planner.io.mapping import ColumnMapping
from capacity_planner.io.preflight import Preflight, preflight
from capacity_planner.io.reader_headers import find_header, sheet_key
from capacity_planner.io.reader_origins import Ahead
from capacity_planner.io.reader_other import keep_other_sheets
from capacity_planner.io.reader_prefetch import Prefetch
from capacity_planner.io.reader_sheets import read_notes, read_table
from capacity_planner.io.reader_source import Source, open_source

PathLike = str | os.PathLike[str]


def damaged(path: PathLike, exc: BaseException) -> Problem:
    """Any reader failure as one problem that says what it is."""
    name = type(exc).__name__
    text = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    lowered = f"{name} {text}".lower()
    if "password" in lowered or "encrypt" in lowered:
        message = "The workbook is password-protected; save a copy without a password"
    elif isinstance(exc, MemoryError):
        message = "The workbook is too large to read in the memory available"
    elif isinstance(exc, OSError) and not name.startswith(("Zip", "Xml", "Calamine")):
        message = f"The file cannot be read: {exc.strerror or text or name}"
    else:
        message = f"The workbook is damaged and cannot be read ({name}: {text or 'no detail'})"
    return error(message, Location(file=str(path)), code="damaged")


def check(path: PathLike, wanted: Callable[[str], bool] | None,
          vouched: Callable[[str], None] | None = None) -> Preflight:
    """Pre-flight that never raises: any failure is the file's problem."""
    try:
        return preflight(path, wanted, vouched)
    except Exception as exc:  # noqa: BLE001 - any failure is a problem, never a traceback
        return Preflight(Path(path), problems=[damaged(path, exc)])


def open_checked(path: PathLike, wanted: Callable[[str], bool] | None,
                 checked: Preflight | None = None) -> tuple[Source | None, list[Problem]]:
    """Pre-flight (unless ``checked`` is given) then open in this process; (None, problems)
    when the file cannot be read at all."""
    checked = checked or check(path, wanted)
    if not checked.ok:
        return None, checked.problems
    try:
        return open_source(checked), checked.problems
    except Exception as exc:  # noqa: BLE001
        return None, [*checked.problems, damaged(path, exc)]


def sheet_for(source: Source, spec: TableSpec, mapping: ColumnMapping | None,
              problems: list[Problem]) -> str | None:
    """The sheet that holds ``spec``'s table, by name (a mapping may name another)."""
    table_map = mapping.for_table(spec.sheet) if mapping else None
    wanted = sheet_key(table_map.sheet if table_map and table_map.sheet else spec.sheet)
    matches = [n for n in source.names if sheet_key(n) == wanted]
    if len(matches) > 1:
        problems.append(error(f"Several sheets could be {spec.sheet}: "
                              f"{', '.join(repr(m) for m in matches)}; rename all but one",
                              Location(file=str(source.path)), code="duplicate_sheet"))
    visible = [m for m in matches if not source.hidden.get(m)]
    chosen = visible or matches
    return chosen[0] if chosen else None


def check_workbook(path: PathLike, mapping: ColumnMapping | None = None,
                   ahead: Prefetch | None = None) -> Preflight:
    """Pre-flight of a planning workbook: every sheet, since the sheets outside the model
    are kept too. A sheet outside the model that pre-flight refuses (a crafted or absurd
    extent) does not cost the planner the model: it is skipped, never parsed, with a
    warning that saving will not include it. A refused model sheet refuses the file.
    ``ahead`` starts parsing each model sheet as soon as pre-flight vouches for it, and is
    closed (its parses dropped) unless the file is then read in this process."""
    is_model_sheet = _wanted(mapping)
    vouched = ahead.starter(is_model_sheet) if ahead is not None else None
    skipped: dict[str, Problem] = {}
    while True:
        checked = check(path, lambda name: name not in skipped, vouched)
        refused = [p for p in checked.problems if p.is_error]
        sheet = refused[0].where.sheet if len(refused) == 1 else None
        if (checked.kind or not sheet or refused[0].code != "dimension" or sheet in skipped
                or is_model_sheet(sheet) or len(skipped) >= MAX_SKIPPED):
            break
        skipped[sheet] = refused[0]
    for name, why in skipped.items() if checked.kind else ():
        checked.problems.append(warning(
            f"{why.message.split('; refused')[0]}, so it was not read; saving the model will "
            "not include it. Save under a new name to keep this file as it is",
            Location(file=str(path), sheet=name), code="sheet_not_kept"))
    if ahead is not None and (not checked.ok or checked.isolate):
        ahead.close()
    return checked


MAX_SKIPPED = 5  # sheets outside the model skipped before the whole file is refused


def read_workbook(path: PathLike, mapping: ColumnMapping | None = None
                  ) -> tuple[PlanningModel | None, list[Problem]]:
    """Read a planning workbook (``.xlsx``, ``.xlsm``, ``.ods``, or one table as ``.csv``)."""
    ahead = Prefetch(path)
    checked = check_workbook(path, mapping, ahead)
    if checked.ok and checked.isolate:
        model, problems = in_child(read_workbook_here, path, mapping, reason=checked.isolate)
        return cast(PlanningModel | None, model), problems
    return read_workbook_here(path, mapping, checked, ahead)


def in_child(read: Callable[..., tuple[object, list[Problem]]], path: PathLike, *args: object,
             reason: str) -> tuple[object, list[Problem]]:
    """``read(path, *args)`` in a memory-limited child process; its failure is a problem."""
    try:
        found, problems = run_isolated(read, path, *args)
    except IsolationFailed as exc:
        return None, [error(str(exc), Location(file=str(path)), code="too_large")]
    except Exception as exc:  # noqa: BLE001 - e.g. no process could be started
        return None, [error(f"The file could not be read in a separate process ({reason}): "
                            f"{type(exc).__name__}: {str(exc).strip()[:200]}",
                            Location(file=str(path)), code="isolation_failed")]
    return found, [note(f"Read in a separate process with a memory limit ({reason})",
                        Location(file=str(path)), code="isolated"), *problems]


def _wanted(mapping: ColumnMapping | None) -> Callable[[str], bool]:
    keys = {sheet_key(t.sheet) for t in TABLES}
    if mapping:
        keys |= {sheet_key(m.sheet) for m in mapping.tables.values() if m.sheet}
    return lambda name: sheet_key(name) in keys


def read_workbook_here(path: PathLike, mapping: ColumnMapping | None = None,
                       checked: Preflight | None = None, ahead: Prefetch | None = None
                       ) -> tuple[PlanningModel | None, list[Problem]]:
    """``read_workbook`` in this process, whatever pre-flight says about isolation (what
    the child process runs). ``ahead`` holds the sheets pre-flight started parsing."""
    source, problems = open_checked(path, None, checked or check_workbook(path, mapping))
    if source is None:
        if ahead is not None:
            ahead.close()
        return None, problems
    source.ahead = ahead if ahead is not None and not ahead.closed else None
    try:
        model = _read_tables(source, mapping, problems)
    except Exception as exc:  # noqa: BLE001
        return None, [*problems, damaged(path, exc)]
    finally:
        source.close()
    return model, problems


def _read_tables(source: Source, mapping: ColumnMapping | None,
                 problems: list[Problem]) -> PlanningModel:
    file = str(source.path)
    tables: dict[str, tuple] = {}
    extras: dict[str, dict[str, list[object]]] = {}
    columns: dict[str, tuple[tuple, dict[str, list[object]]]] = {}
    used: set[str] = set()
    specs = [_csv_table(source, mapping)] if source.kind == "csv" else list(TABLES)
    if source.kind == "csv":
        names = [s.sheet for s in TABLES if not s.optional_sheet and s is not specs[0]]
        problems.append(error(f"A CSV file holds one table ({specs[0].sheet}); a planning "
                              f"model also needs {', '.join(names)}", Location(file=file),
                              expected="an .xlsx or .ods workbook", code="csv_one_table"))
    chosen = [(spec, source.names[0] if source.kind == "csv"
               else sheet_for(source, spec, mapping, problems)) for spec in specs]
    source.prefetch([sheet for _, sheet in chosen if sheet is not None])
    found: dict[int, list[Problem]] = {}  # each table's problems, reported in table order
    origins = {sheet: Ahead(file, sheet, last) for _, sheet in chosen if sheet is not None
               and source.parsing(sheet) and (last := source.last_row(sheet)) is not None}
    for k in _in_order_of_readiness(source, [sheet for _, sheet in chosen], origins):
        spec, sheet = chosen[k]
        here = found[k] = []
        if sheet is None:
            if not spec.optional_sheet:
                here.append(error(f"Missing sheet {spec.sheet}",
                                  Location(file=file, sheet=spec.sheet),
                                  expected=f"a sheet named {spec.sheet}", code="missing_sheet"))
            continue
        used.add(sheet)
        if source.hidden.get(sheet):
            here.append(note(f"Sheet {sheet} is hidden; it is read because of its name",
                             Location(file=file, sheet=sheet), code="hidden_sheet"))
        grid = source.grid(sheet)
        if spec is NOTES:
            tables["notes"] = tuple(read_notes(grid, file=file, sheet=sheet))
            continue
        table_map = mapping.for_table(spec.sheet) if mapping else None
        read = read_table(grid, spec, file=file, sheet=sheet, marks=source.marks(sheet),
                          mapping=table_map.columns if table_map else None,
                          origins=origins.pop(sheet, None))
        here.extend(read.problems)
        records = tables[ATTRIBUTE[spec.sheet]] = tuple(read.records)
        columns[ATTRIBUTE[spec.sheet]] = (records, read.columns)
        if read.extras:
            extras[spec.sheet] = read.extras
    for k in sorted(found):
        problems.extend(found[k])
    others, hidden = keep_other_sheets(source, used, problems)
    return PlanningModel(**tables, extra_columns=extras, source=file,  # type: ignore[arg-type]
                         other_sheets=others, hidden_sheets=hidden,
                         very_hidden_sheets=hidden & source.very_hidden, read_columns=columns)


def _in_order_of_readiness(source: Source, sheets: list[str | None],
                           origins: dict[str, Ahead]) -> Iterator[int]:
    """Positions in ``sheets``, each next one a sheet whose cells are ready (parsed ahead
    in the background, or to be read now), so this thread converts one table while the
    others are still being parsed instead of waiting for them in table order. While none
    is ready it makes the waiting sheets' row ``origins``, a chunk at a time."""
    left = list(range(len(sheets)))
    while left:
        named: dict[str, int] = {}
        for k in left:
            name = sheets[k]
            if name is None or source.ready(name):
                break
            named.setdefault(name, k)
        else:
            work = next((a for n, a in origins.items() if n in named and not a.done), None)
            if work is not None:
                work.step()
                continue
            k = named[source.wait_any(list(named))]
        left.remove(k)
        yield k


def _csv_table(source: Source, mapping: ColumnMapping | None) -> TableSpec:
    """Which table a CSV holds: the mapping's only table, the file's name, or the table
    whose required columns its header holds (the most specific one)."""
    if mapping and len(mapping.tables) == 1:
        for spec in TABLES:
            if mapping.for_table(spec.sheet):
                return spec
    by_name = [s for s in TABLES if sheet_key(s.sheet) == sheet_key(source.names[0])]
    if by_name:
        return by_name[0]
    grid = source.grid(source.names[0])
    fitting = [s for s in TABLES if s.required and find_header(grid, s).found]
    fitting.sort(key=lambda s: -len(s.required))
    return fitting[0] if fitting else TABLES[0]

