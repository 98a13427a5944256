"""What the import wizard does, without Qt: list a file's sheets, show its first rows, guess
a column mapping, and read the mapped table into a copy of the model.

Everything goes through the io layer's pre-flight and readers (untrusted workbooks), and
nothing here changes the open model: the result is a new model, or problems.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.problems import Problem, has_errors
from capacity_planner.domain.schema import ATTRIBUTE, TableSpec

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
    """The sheets of a file and their first rows (for picking a sheet and mapping columns)."""
    from capacity_planner.io.reader import open_checked

    source, problems = open_checked(path, None)
    view = SheetView(problems=list(problems))
    if source is None:
        return view
    try:
        view.names = list(source.names)
        view.hidden = dict(source.hidden)
        for name in view.names:
            view.rows[name] = [list(r) for r in source.grid(name)[:limit]]
    except Exception as exc:  # noqa: BLE001 - a damaged sheet is a problem, never a crash
        from capacity_planner.io.reader import damaged

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


def guess(headers_: list[str], table: str) -> dict[str, str]:
    from capacity_planner.io.mapping import guess_mapping

    return guess_mapping(headers_, table)


def mapping(table: str, sheet: str, columns: dict[str, str], name: str = ""):  # noqa: ANN201
    from capacity_planner.io.mapping import mapping_for

    return mapping_for(table, columns, sheet=sheet, name=name)


def read_into(model: PlanningModel, path: Path, table: str, sheet: str,
              columns: dict[str, str]) -> tuple[PlanningModel | None, list[Problem], str]:
    """The model with the mapped table imported (vacancies merged into Establishment, any
    other table replaced), its problems, and a one-line summary. None on any error."""
    if table == "Vacancies":
        from capacity_planner.io.vacancies import merge_vacancies, read_vacancies

        rows, problems = read_vacancies(path, mapping(table, sheet, columns))
        if has_errors(problems) or not rows:
            return None, problems, "Nothing imported"
        merged, more = merge_vacancies(model, rows)
        problems = [*problems, *more]
        if has_errors(problems):
            return None, problems, "Nothing imported"
        plural = "s" if len(rows) != 1 else ""
        return merged, problems, f"The Establishment is updated from {len(rows)} vacancy row{plural}"
    from capacity_planner.io.reader import open_checked
    from capacity_planner.io.reader_sheets import read_table

    spec = spec_of(table)
    source, problems = open_checked(path, lambda name: name == sheet)
    if source is None:
        return None, problems, "Nothing imported"
    try:
        read = read_table(source.grid(sheet), spec, file=str(path), sheet=sheet,
                          marks=source.marks(sheet), mapping=columns)
    finally:
        source.close()
    problems = [*problems, *read.problems]
    records = tuple(read.records)
    if has_errors(problems) or not records:
        return None, problems, "Nothing imported"
    new = model.with_table(ATTRIBUTE[spec.sheet], records)
    return new, problems, f"{len(records)} rows replace the {spec.sheet} table"


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
