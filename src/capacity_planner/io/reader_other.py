"""Sheets of a planning workbook that are not model tables, kept so a save loses none of
them (DESIGN section 8).

The companion sheets (Actuals for calibrate, Uncertainty for montecarlo, the template's
Instructions) and whatever else a planner keeps in the workbook (a Scratch or Chart data
sheet) go into ``PlanningModel.other_sheets`` as values, in tab order, and the writer
writes them back after the model's sheets. Values are kept as read (text stays text, so
``00123`` and ``=not a formula`` survive; numbers, booleans and dates keep their type);
an ``.xlsx`` sheet's formulas are kept as formulas with their last values
(``reader_formulas``). Formatting is not kept; nor are array formulas or an ``.ods``
sheet's formulas (their values are), and the planner is told.
What pre-flight refused or skipped is never parsed here, and the cells kept are bounded.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from capacity_planner.domain.model import Formula
from capacity_planner.domain.problems import Location, Problem, note, warning
from capacity_planner.domain.schema import COMPANION_SHEETS
from capacity_planner.io.reader_formulas import FormulaBook, SheetFormulas
from capacity_planner.io.reader_headers import sheet_key
from capacity_planner.io.reader_sheets import CellMarks
from capacity_planner.io.reader_source import Source
from capacity_planner.io.reader_xlsx import MAX_COL, MAX_ROW, column_letters

# Cells (from A1 to each sheet's last cell) kept over all the sheets outside the model:
# a Chart data or Scratch sheet is a few thousand; pre-flight lets one sheet of a million
# be read in this process.
MAX_KEPT_CELLS = 1_000_000
COMPANIONS = frozenset(sheet_key(name) for name in COMPANION_SHEETS)
Rows = tuple[tuple[object, ...], ...]


def keep_other_sheets(source: Source, used: Collection[str], problems: list[Problem]
                      ) -> tuple[dict[str, Rows], frozenset[str]]:
    """The values of every sheet of ``source`` not in ``used``, by name in tab order, and
    which of them are hidden. Each sheet that is not a companion sheet gets a note saying
    it is kept; one whose formulas cannot be kept, a note that saving keeps their values.
    The formulas of every sheet that has some are read through one openpyxl handle."""
    if source.kind == "csv":
        return {}, frozenset()
    others = [n for n in source.names if n not in used and source.readable(n)]
    formulas = source.formula_sheets(others)
    book = FormulaBook(source.path)
    try:
        kept, hidden = _keep(source, others, formulas, book, problems)
    finally:
        book.close()
    return kept, frozenset(hidden)


def _keep(source: Source, others: list[str], formulas: set[str], book: FormulaBook,
          problems: list[Problem]) -> tuple[dict[str, Rows], set[str]]:
    file = str(source.path)
    kept: dict[str, Rows] = {}
    hidden: set[str] = set()
    budget = MAX_KEPT_CELLS
    for name in others:
        here = Location(file=file, sheet=name)
        state = "hidden sheet" if source.hidden.get(name) else "sheet"
        rows, cols = source.extent(name)
        if rows * cols > budget or rows > MAX_ROW or cols > MAX_COL:
            problems.append(warning(
                f"The {state} {name!r} is too large to keep with the model ({rows:,} rows by "
                f"{cols:,} columns; at most {MAX_KEPT_CELLS:,} cells are kept from sheets "
                "outside the model), so it was not read and saving the model will not "
                "include it. Save under a new name to keep this file as it is",
                here, f"{rows * cols:,} cells", code="sheet_not_kept"))
            continue
        marks = source.marks(name)
        kept_formulas = _formulas(source, book, name, problems) if name in formulas else None
        values = trimmed(source.grid(name), marks,
                         kept_formulas.formulas if kept_formulas else None)
        budget -= len(values) * max(map(len, values), default=0)
        kept[name] = values
        if source.hidden.get(name):
            hidden.add(name)
        if sheet_key(name) not in COMPANIONS:
            problems.append(note(
                f"The {state} {name!r} is not part of the planning model; its values are "
                "kept and saved with the model (not its formatting)", here,
                code="unknown_sheet"))
        if name in formulas and (kept_formulas is None or kept_formulas.arrays):
            what = (f"{kept_formulas.arrays:,} array formula(s)" if kept_formulas
                    else "formulas")
            blank = (f"; {len(marks.formulas):,} formula(s) with no saved value will be "
                     "blank" if marks.formulas and not kept_formulas else "")
            problems.append(note(
                f"The sheet {name!r} holds {what}: saving the model keeps their current "
                f"values, not the formulas{blank} (save under a new name to keep this file "
                "as it is)", here, code="formulas_as_values"))
        if marks.errors:
            (row, col), value = next(iter(marks.errors.items()))
            problems.append(note(
                f"The sheet {name!r} holds {len(marks.errors):,} error cell(s) such as "
                f"{value}; they are kept as text", Location(file, name, row, column_letters(col + 1)),
                value, code="errors_as_text"))
    return kept, hidden


def trimmed(grid: Sequence[Sequence[object]], marks: CellMarks | None = None,
            formulas: Mapping[tuple[int, int], str] | None = None) -> Rows:
    """The grid's values with blanks as None, each row without its trailing blanks and the
    grid without its trailing blank rows; error cells (which calamine reads as blanks) as
    their text, e.g. ``#REF!``; each cell of ``formulas`` (0-based row and column) as a
    ``Formula`` holding that value."""
    by_row: dict[int, dict[int, object]] = {}
    for (r, c), text in (marks.errors if marks else {}).items():
        by_row.setdefault(r - 1, {})[c] = text
    height = max(len(grid), max(by_row, default=-1) + 1,
                 max((r for r, _ in formulas or {}), default=-1) + 1)
    out: list[tuple[object, ...]] = []
    last = 0
    for index in range(height):
        row = grid[index] if index < len(grid) else ()
        cells: list[object] = [None if v == "" or v is None else v for v in row]
        for c, error_text in by_row.get(index, {}).items():
            cells.extend([None] * (c + 1 - len(cells)))
            cells[c] = error_text
        while cells and cells[-1] is None:
            cells.pop()
        out.append(tuple(cells))
        if cells:
            last = len(out)
    for (r, c), formula in sorted((formulas or {}).items()):
        cells = list(out[r])
        cells.extend([None] * (c + 1 - len(cells)))
        cells[c] = Formula(formula, cells[c])
        out[r] = tuple(cells)
        last = max(last, r + 1)
    return tuple(out[:last])


def _formulas(source: Source, book: FormulaBook, name: str, problems: list[Problem]
              ) -> SheetFormulas | None:
    """The formulas of an ``.xlsx`` sheet, to be saved as formulas; None for an ``.ods``
    or when they cannot be read (the sheet's values are still kept, and noted as such)."""
    if source.kind != "xlsx":
        return None
    try:
        return book.sheet(name)
    except Exception as exc:  # noqa: BLE001 - the values are kept whatever happens here
        problems.append(note(f"The formulas of sheet {name!r} could not be read "
                             f"({type(exc).__name__}); their values are kept",
                             Location(file=str(source.path), sheet=name),
                             code="formulas_unread"))
        return None
