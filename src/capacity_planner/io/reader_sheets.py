"""One sheet's grid of cells to the records of one table (DESIGN section 3).

The grid is what calamine (or the CSV reader) returns: a list of equal-length rows from
A1, so row ``i`` is Excel row ``i + 1``. ``CellMarks`` adds what the XML says and the
grid hides (error cells, formulas without a saved value, percentage formats).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from capacity_planner.domain.bulk import bulk
from capacity_planner.domain.problems import Location, Problem, error, note, warning
from capacity_planner.domain.schema import FieldSpec, Kind, TableSpec
from capacity_planner.io import reader_cells as cells
from capacity_planner.io import reader_origins
from capacity_planner.io.reader_grid import cut
from capacity_planner.io.reader_headers import Header, find_header, normalise
from capacity_planner.io.reader_xlsx import column_letters

EXPECTED = {Kind.ID: "an ID", Kind.TEXT: "text", Kind.NUMBER: "a number",
            Kind.PCT: "a percent from 0 to 100", Kind.ENUM: "one of the listed values",
            Kind.ANY: "a value"}
Cell = tuple[int, int]
MAX_TEXT_LENGTH = 32_767  # Excel's limit for one cell
MAX_ID_LENGTH = 100
_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")
_ID_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


@dataclass(frozen=True)
class CellMarks:
    """Cells by (Excel row, 0-based column) that the grid shows wrongly."""

    errors: Mapping[Cell, str] = field(default_factory=dict)
    formulas: frozenset[Cell] | set[Cell] = frozenset()
    percent: frozenset[Cell] | set[Cell] = frozenset()


@dataclass
class TableRead:
    records: list[object] = field(default_factory=list)
    extras: dict[str, list[object]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    header: Header = field(default_factory=Header)
    columns: dict[str, list[object]] = field(default_factory=dict)  # as the records hold them
    rows: Sequence[int] = field(default_factory=list)  # Excel row of each record


def read_table(grid: Sequence[Sequence[object]], spec: TableSpec, *, file: str, sheet: str,
               marks: CellMarks | None = None, mapping: Mapping[str, str] | None = None,
               required: Sequence[str] | None = None,
               origins: reader_origins.Ahead | None = None) -> TableRead:
    """Records of ``spec`` from ``grid``; every cell that cannot be read is a problem.
    ``origins`` are the sheet's row origins made ahead, used if they fit the rows read."""
    marks = marks or CellMarks()
    out = TableRead()
    here = Location(file=file, sheet=sheet)
    header = find_header(grid, spec, mapping, required)
    out.header = header
    if not header.found:
        out.problems.append(error(
            f"No header row with the required column(s) {', '.join(header.missing)} in the "
            f"first 20 rows of sheet {sheet}", here, expected=", ".join(header.missing),
            code="missing_column"))
        return out
    hrow = header.row + 1
    for label, first, again in header.duplicates:
        out.problems.append(error(
            f"Duplicate column {label!r} (columns {column_letters(first + 1)} and "
            f"{column_letters(again + 1)}); only the first is read",
            Location(file, sheet, hrow, label), code="duplicate_column"))
    for label, col in header.extras.items():
        out.problems.append(note(
            f"Column {label!r} (column {column_letters(col + 1)}) is not a {spec.sheet} "
            "column; it is kept as is and not used", Location(file, sheet, hrow, label),
            code="unknown_column"))
    cols = header.columns
    body = grid[header.row + 1:]
    if not body or not cols:
        return out
    marked = [r - hrow - 1 for r, c in [*marks.errors, *marks.formulas] if c in cols]
    table = cut(body, cols, marked)
    for offset, value in table.totals:
        out.problems.append(error(
            "A totals row is not data (its sums would be counted twice); delete it",
            Location(file, sheet, offset + hrow + 1, ""), value,
            "one record per row, no totals", code="totals_row"))
    offsets = table.offsets
    rows: Sequence[int] = range(offsets.start + hrow + 1, offsets.stop + hrow + 1) \
        if isinstance(offsets, range) else [offset + hrow + 1 for offset in offsets]
    out.rows = rows
    position = {c: j for j, c in enumerate(cols)}
    places = _Places(rows)
    converted: dict[str, list[object]] = {}
    blanks: set[str] = set()  # fields with a blank value
    for name, col in header.fields.items():
        values = list(table.columns[position[col]])
        converted[name], blank = _convert(values, spec.field(name), col, places, marks,
                                          out.problems, Location(file, sheet, None, name))
        if blank:
            blanks.add(name)
    for label, col in header.extras.items():
        values = list(table.columns[position[col]])
        out.extras[label] = [None if cells.is_blank(v) else v for v in values]
        for r in sorted(r for r, c in [*marks.errors, *marks.formulas] if c == col):
            i = places.index(r)
            if i < 0:
                continue
            out.problems.append(warning(
                "Error or uncalculated formula in an unused column",
                Location(file, sheet, r, label), marks.errors.get((r, col), "formula"),
                code="error_cell"))
            out.extras[label][i] = None
    made = origins.take(rows) if origins is not None else None
    out.records, out.columns = _records(spec, converted, blanks, rows, file, sheet, made)
    return out


class _Places:
    """Each Excel row's position among a table's records, made only if a cell needs it."""

    def __init__(self, rows: Sequence[int]) -> None:
        self.rows = rows
        self._index: dict[int, int] | None = None

    def index(self, row: int) -> int:
        if self._index is None:
            self._index = {r: i for i, r in enumerate(self.rows)}
        return self._index.get(row, -1)


def _convert(values: list[object], spec: FieldSpec, col: int, places: _Places,
             marks: CellMarks, problems: list[Problem], where: Location
             ) -> tuple[list[object], bool]:
    """One column's values in their kind, and whether any is blank; problems for cells
    that cannot be read."""
    rows = places.rows
    bad: set[int] = set()
    marked = sorted({r for r, c in marks.errors if c == col}
                    | {r for r, c in marks.formulas if c == col})
    for r in marked:
        i = places.index(r)
        if i < 0:
            continue
        if (r, col) in marks.errors:
            problems.append(error("Error value in the cell", _at(where, r), marks.errors[r, col],
                                  EXPECTED[spec.kind], code="error_cell"))
        else:
            problems.append(error(
                "Formula with no saved value (the file was written by a program that does "
                "not calculate); open it in Excel or LibreOffice and save it again",
                _at(where, r), "formula", EXPECTED[spec.kind], code="formula_no_value"))
        bad.add(i)
    out: list[object]
    if spec.kind in (Kind.NUMBER, Kind.PCT):
        pct = {i for i in (places.index(r) for r, c in marks.percent if c == col) if i >= 0} \
            if marks.percent else set()
        numbers, issues, scaled = cells.to_numbers(values, percent_column=spec.kind is Kind.PCT,
                                                   percent_formatted=pct)
        for issue in issues:
            problems.append(error(issue.message, _at(where, rows[issue.index]), issue.value,
                                  issue.expected, code="not_a_number"))
            bad.add(issue.index)
        if scaled:
            problems.append(note(
                f"Every value in {spec.name} lies between 0 and 1, so they are read as "
                "fractions (0.25 = 25 %)", where, code="pct_fractions"))
        out = numbers  # type: ignore[assignment]
    elif spec.kind is Kind.ANY:
        out = list(cells.to_any(values))
    else:
        texts, trimmed, distinct = cells.to_text(values)
        said = {v for v in distinct if v[:1] in ("#", "E") and cells.is_error_text(v)}
        for i in [i for i, v in enumerate(texts) if v in said] if said else ():
            problems.append(error("Error value in the cell", _at(where, rows[i]), texts[i],
                                  EXPECTED[spec.kind], code="error_cell"))
            bad.add(i)
            texts[i] = ""
        if spec.kind is Kind.ID and trimmed:
            first = next(i for i, (a, b) in enumerate(zip(values, texts, strict=True))
                         if isinstance(a, str) and len(a) != len(b))
            problems.append(note(
                f"{trimmed} value(s) in {spec.name} had spaces (some perhaps non-breaking) "
                "around them, which were removed", _at(where, rows[first]), values[first],
                code="trimmed_id"))
        _check_text(texts, distinct - said, spec, rows, where, problems, bad)
        if spec.kind is Kind.ENUM:
            folded = {v: v.casefold() for v in distinct}
            folded[""] = ""
            texts = list(map(folded.__getitem__, texts))
        out = texts  # type: ignore[assignment]
    blank = BLANK[spec.kind]
    some_blank = blank in out
    if spec.required and some_blank:
        for i, value in enumerate(out):
            if i not in bad and value == blank:
                problems.append(error(f"Missing {spec.name}", _at(where, rows[i]), None,
                                      EXPECTED[spec.kind], code="missing_value"))
    return out, some_blank


# How a blank cell comes out of each kind's conversion (text is never None, numbers and
# scenario values never "").
BLANK: dict[Kind, object] = {Kind.ID: "", Kind.TEXT: "", Kind.ENUM: "", Kind.NUMBER: None,
                             Kind.PCT: None, Kind.ANY: None}


def _check_text(texts: list[str], distinct: set[str], spec: FieldSpec, rows: Sequence[int],
                where: Location, problems: list[Problem], bad: set[int]) -> None:
    """Control characters and lengths no planner types: an ID holding a line break, tab or
    control character never matches its reference (an error); text holding control
    characters prints oddly (a warning); text past Excel's cell limit would be cut when
    saved (an error). One search over the whole column finds that nothing is wrong."""
    is_id = spec.kind is Kind.ID
    pattern = _ID_CONTROL if is_id else _TEXT_CONTROL
    longest = max(map(len, distinct), default=0)
    if not pattern.search("".join(distinct)) and longest <= MAX_ID_LENGTH:
        return
    for i, text in enumerate(texts):
        if i in bad:
            continue
        if pattern.search(text):
            shown = text.encode("unicode_escape").decode("ascii")[:80]
            if is_id:
                problems.append(error(
                    "An ID cannot hold line breaks, tabs or control characters",
                    _at(where, rows[i]), shown, "letters, digits and punctuation",
                    code="control_characters"))
                bad.add(i)
            else:
                problems.append(warning(
                    "The text holds control characters (invisible, and printed oddly)",
                    _at(where, rows[i]), shown, "plain text", code="control_characters"))
        if len(text) > MAX_TEXT_LENGTH or (is_id and len(text) > MAX_ID_LENGTH):
            limit = MAX_ID_LENGTH if is_id and len(text) <= MAX_TEXT_LENGTH else MAX_TEXT_LENGTH
            problems.append(error(
                f"The {'ID' if is_id else 'text'} is {len(text):,} characters long",
                _at(where, rows[i]), text[:40] + "...", f"at most {limit:,} characters",
                code="too_long"))
            bad.add(i)


def _at(where: Location, row: int) -> Location:
    return Location(where.file, where.sheet, row, where.column)


def _records(spec: TableSpec, converted: dict[str, list[object]], blanks: set[str],
             rows: Sequence[int], file: str, sheet: str, origins: list[Location] | None = None
             ) -> tuple[list[object], dict[str, list[object]]]:
    """Records built positionally by ``domain.bulk`` (four times faster than calling the
    frozen dataclass at 50,000 rows), each with its own origin; and the values of each
    field read from the sheet as the records hold them (blanks given their defaults)."""
    columns: list[object] = []
    held: dict[str, list[object]] = {}
    for f in dataclasses.fields(spec.record):
        if f.name == "origin":
            continue
        if f.name not in converted:
            columns.append(itertools.repeat(f.default))
            continue
        fs = spec.field(f.name)
        textual = fs.kind in (Kind.ID, Kind.TEXT, Kind.ENUM)
        if fs.required:
            blank: object = "" if textual else math.nan
        else:
            blank = fs.default if fs.default is not None else ("" if textual else None)
        values = converted[f.name]
        if f.name in blanks:  # each kind's own blank (see BLANK), given the field's default
            values = [blank if v is None or v == "" else v for v in values]
        columns.append(values)
        held[f.name] = values
    if origins is None:
        origins = reader_origins.make(file, sheet, rows)
    records = list(map(bulk(spec.record), *columns, origins))  # type: ignore[call-overload]
    return records, held


def read_notes(grid: Sequence[Sequence[object]], *, file: str, sheet: str) -> list[object]:
    """The Notes sheet: every non-blank row, its cells joined; a ``text`` header skipped."""
    from capacity_planner.domain.entities import NoteRow

    out: list[object] = []
    header_seen = False
    for i, row in enumerate(grid):
        parts = [cells._text(v) for v in row if not cells.is_blank(v)]
        if not parts:
            continue
        if (not out and not header_seen and len(parts) == 1
                and normalise(parts[0]) in ("text", "note", "notes")):
            header_seen = True  # one header at most: a first note "Notes" under it is kept
            continue
        out.append(NoteRow(" ".join(parts), Location(file, sheet, i + 1, "text", len(out))))
    return out
