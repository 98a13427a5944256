"""What the import wizard does, without Qt: list a file's sheets, show its first rows, guess
a column mapping, and read the mapped table into a copy of the model.

Everything goes through the io layer's pre-flight and readers (untrusted workbooks), and
nothing here changes the open model: the result is a new model, or problems.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.problems import Problem, has_errors
from capacity_planner.domain.schema import ATTRIBUTE, TableSpec
from capacity_planner.ui.import_changes import Changes, replaced, vacancy_changes

if TYPE_CHECKING:
    from capacity_planner.io.preflight import Preflight

PREVIEW_ROWS = 30
TARGETS = ("Vacancies", "Establishment", "Units", "Roles", "Streams", "Demand", "Skills",
           "Sharing", "Periods")


@dataclass
class SheetView:
    names: list[str] = field(default_factory=list)
    hidden: dict[str, bool] = field(default_factory=dict)
    rows: dict[str, list[list[object]]] = field(default_factory=dict)  # first rows per sheet
    problems: list[Problem] = field(default_factory=list)


def spec_of(table: str) -> TableSpec:
    from capacity_planner.io.mapping import table_spec

    spec = table_spec(table)
    if spec is None:
        raise KeyError(table)
    return spec


def look(path: Path, limit: int = PREVIEW_ROWS) -> SheetView:
    """The sheets of a file and their first rows (for picking a sheet and mapping columns).
    A file pre-flight cannot vouch for is opened in a memory-limited child process, as
    ``load_model`` does (``Preflight.isolate``)."""
    from capacity_planner.io.reader import check, in_child

    checked = check(path, None)
    if checked.ok and checked.isolate:
        found, problems = in_child(_look_child, path, limit, reason=checked.isolate)
        if not isinstance(found, SheetView):
            return SheetView(problems=problems)
        found.problems[:0] = problems
        return found
    return look_here(path, limit, checked)


def _look_child(path: Path, limit: int) -> tuple[SheetView, list[Problem]]:
    """What the child process runs: ``look_here`` with its problems inside the view."""
    return look_here(path, limit), []


def look_here(path: Path, limit: int = PREVIEW_ROWS, checked: Preflight | None = None
              ) -> SheetView:
    """``look`` in this process."""
    from capacity_planner.io.reader import damaged, open_checked

    source, problems = open_checked(path, None, checked)
    view = SheetView(problems=list(problems))
    if source is None:
        return view
    try:
        view.names = list(source.names)
        view.hidden = dict(source.hidden)
        for name in view.names:
            view.rows[name] = [list(r) for r in source.grid(name)[:limit]]
    except Exception as exc:  # noqa: BLE001 - a damaged sheet is a problem, never a crash
        view.problems.append(damaged(path, exc))
    finally:
        source.close()
    return view


def header_row(rows: list[list[object]]) -> int:
    """The likely header: the first of the first 20 rows with the most text cells."""
    best, best_count = 0, 0
    for i, row in enumerate(rows[:20]):
        count = sum(1 for c in row if isinstance(c, str) and c.strip())
        if count > best_count:
            best, best_count = i, count
    return best


def headers(rows: list[list[object]], row: int) -> list[str]:
    if not 0 <= row < len(rows):
        return []
    return [str(c).strip() for c in rows[row] if c is not None and str(c).strip()]


def examples(rows: list[list[object]], row: int, most: int = 12) -> dict[str, list[str]]:
    """Up to ``most`` different values under each heading of header row ``row`` (0-based)
    in the rows below it, in the order they first come: what the column holds."""
    if not 0 <= row < len(rows):
        return {}
    found: dict[str, list[str]] = {}
    for at, head in enumerate(rows[row]):
        name = "" if head is None else str(head).strip()
        if not name or name in found:
            continue
        seen: list[str] = []
        for below in rows[row + 1:]:
            text = cell_text(below[at]) if at < len(below) else ""
            if text and text not in seen:
                seen.append(text)
                if len(seen) == most:
                    break
        found[name] = seen
    return found


def cell_text(value: object) -> str:
    """A cell as a planner reads it: 2.0 is 2, text trimmed, empty for nothing."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.6g}"
    return str(value).strip()


def guess(headers_: list[str], table: str) -> dict[str, str]:
    from capacity_planner.io.mapping import guess_mapping

    return guess_mapping(headers_, table)


def mapping(table: str, sheet: str, columns: dict[str, str], name: str = ""):  # noqa: ANN201
    from capacity_planner.io.mapping import mapping_for

    return mapping_for(table, columns, sheet=sheet, name=name)


@dataclass
class Imported:
    """What reading the mapped table into a copy of the model gave: the new model (None on
    any error), its problems, a one-line summary and what changes (None when nothing
    would be imported)."""
    model: PlanningModel | None
    problems: list[Problem]
    text: str
    changes: Changes | None = None


def read_into(model: PlanningModel, path: Path, table: str, sheet: str,
              columns: dict[str, str]) -> Imported:
    """The model with the mapped table imported (vacancies merged into Establishment, any
    other table replaced), its problems, a one-line summary and the changes."""
    if table == "Vacancies":
        from capacity_planner.io.vacancies import merge_vacancies, read_vacancies

        rows, problems = read_vacancies(path, mapping(table, sheet, columns))
        if has_errors(problems) or not rows:
            return Imported(None, problems, "Nothing imported")
        merged, more = merge_vacancies(model, rows)
        problems = [*problems, *more]
        if has_errors(problems):
            return Imported(None, problems, "Nothing imported")
        plural = "s" if len(rows) != 1 else ""
        return Imported(merged, problems,
                        f"The Establishment is updated from {len(rows)} vacancy row{plural}",
                        vacancy_changes(model, merged, rows))
    spec = spec_of(table)
    found, problems = read_mapped(path, table, sheet, columns)
    records = found if isinstance(found, tuple) else ()
    if has_errors(problems) or not records:
        return Imported(None, problems, "Nothing imported")
    new = model.with_table(ATTRIBUTE[spec.sheet], records)
    problems = [*problems, *introduced_problems(model, new)]
    if has_errors(problems):  # the rows read, but the model they make is not valid
        return Imported(None, problems, "Nothing imported")
    return Imported(new, problems, f"{len(records)} rows replace the {spec.sheet} table",
                    replaced(model, new, ATTRIBUTE[spec.sheet], spec.sheet))


def introduced_problems(before: PlanningModel, after: PlanningModel) -> list[Problem]:
    """What validation finds in ``after`` and not in ``before``: a Units extract with a
    unit twice, or without a unit that Demand names, reads cleanly as rows but breaks the
    model. Problems are matched by kind, sheet, column, value and message (not by row,
    which moves); those the open model already had are the planner's to fix there."""
    from capacity_planner.domain.validate import validate

    def key(p: Problem) -> tuple[object, ...]:
        return (p.code, p.where.sheet, p.where.column, str(p.value), p.message)

    known = {key(p) for p in validate(before)}
    return [p for p in validate(after) if key(p) not in known]


def read_mapped(path: Path, table: str, sheet: str, columns: dict[str, str]
                ) -> tuple[object, list[Problem]]:
    """The records of ``sheet`` read as ``table`` with the mapped columns, in a
    memory-limited child process when pre-flight says so (as ``load_model`` reads)."""
    from capacity_planner.io.reader import check, in_child

    checked = check(path, _named(sheet))
    if checked.ok and checked.isolate:
        return in_child(read_mapped_here, path, table, sheet, columns,
                        reason=checked.isolate)
    return read_mapped_here(path, table, sheet, columns, checked)


def _named(sheet: str) -> Callable[[str], bool]:
    return lambda name: name == sheet


def read_mapped_here(path: Path, table: str, sheet: str, columns: dict[str, str],
                     checked: Preflight | None = None) -> tuple[tuple | None, list[Problem]]:
    """``read_mapped`` in this process (what the child process runs)."""
    from capacity_planner.io.reader import damaged, open_checked
    from capacity_planner.io.reader_sheets import read_table

    source, problems = open_checked(path, _named(sheet), checked)
    if source is None:
        return None, problems
    try:
        read = read_table(source.grid(sheet), spec_of(table), file=str(path), sheet=sheet,
                          marks=source.marks(sheet), mapping=columns)
    except Exception as exc:  # noqa: BLE001 - a damaged sheet is a problem, never a crash
        return None, [*problems, damaged(path, exc)]
    finally:
        source.close()
    return tuple(read.records), [*problems, *read.problems]


def mappings_folder() -> Path:
    from platformdirs import user_data_path

    return user_data_path("capacity-planner", appauthor=False) / "mappings"


def save_named(table: str, sheet: str, columns: dict[str, str], name: str,
               folder: Path | None = None) -> Path:
    """Save the mapping as ``NAME.json`` in the user's mappings folder."""
    from capacity_planner.io.mapping import save_mapping

    folder = folder or mappings_folder()
    folder.mkdir(parents=True, exist_ok=True)
    safe = "".join(c if c.isalnum() or c in " -_" else "_" for c in name).strip() or "mapping"
    path = folder / f"{safe}.json"
    save_mapping(mapping(table, sheet, columns, name), path)
    return path
