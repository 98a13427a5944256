"""A checked file opened as named grids of cells: ``.xlsx``/``.xlsm``/``.ods`` through
calamine, ``.csv`` through pandas (every cell as text). Sheets are only ever taken by name.
"""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine
from defusedxml import ElementTree

from capacity_planner.io.preflight import Preflight
from capacity_planner.io.preflight_zip import MAX_PART_INFLATED
from capacity_planner.io.reader_prefetch import Prefetch
from capacity_planner.io.reader_sheets import CellMarks
from capacity_planner.io.reader_xlsx import read_part

ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
Grid = list[list[object]]
_XLSX_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_ODS_TABLE_START = re.compile(rb"<table:table\s[^>]*?table:name=\"([^\"]*)\"")


@dataclass
class Source:
    """Sheets of one file, in tab order, with their visibility; grids read on demand."""

    path: Path
    kind: str
    names: list[str] = field(default_factory=list)
    hidden: dict[str, bool] = field(default_factory=dict)
    very_hidden: set[str] = field(default_factory=set)  # hidden from Excel's Unhide list too
    preflight: Preflight | None = None
    _book: object = None
    _csv: Grid | None = None
    _ods_percent: dict[str, set[tuple[int, int]]] | None = None
    ahead: Prefetch | None = None  # sheets being parsed in the background

    def grid(self, name: str) -> Grid:
        if self._csv is not None:
            return self._csv
        if self.ahead is not None:
            grid = self.ahead.take(name)
            if grid is not None:
                return grid
        sheet = self._book.get_sheet_by_name(name)  # type: ignore[attr-defined]
        return sheet.to_python(skip_empty_area=False)

    def ready(self, name: str) -> bool:
        """Can ``grid(name)`` return without waiting for a parse in the background?"""
        return self.ahead is None or self.ahead.ready(name)

    def parsing(self, name: str) -> bool:
        """Is ``name`` being parsed in the background (so its cells are not yet here)?"""
        return self.ahead is not None and not self.ahead.ready(name)

    def last_row(self, name: str) -> int | None:
        """The sheet's last row as pre-flight found it, if it scanned the sheet."""
        if self.kind == "xlsx" and self.preflight and name in self.preflight.scans:
            return self.preflight.scans[name].max_row
        return None

    def wait_any(self, names: list[str]) -> str:
        """Wait until one of ``names`` is ready; return it."""
        return names[0] if self.ahead is None else self.ahead.wait_any(names)

    def marks(self, name: str) -> CellMarks:
        if self.kind == "xlsx" and self.preflight and name in self.preflight.scans:
            scan = self.preflight.scans[name]
            return CellMarks(scan.errors, scan.formulas_without_value, scan.percent_cells)
        if self.kind == "ods":
            if self._ods_percent is None:
                self._ods_percent = ods_percent_cells(self.path)
            return CellMarks(percent=self._ods_percent.get(name, set()))
        return CellMarks()

    def readable(self, name: str) -> bool:
        """May ``name`` be parsed? An ``.xlsx`` sheet only once pre-flight has scanned its
        extent (a sheet it refused or skipped could make calamine abort the process)."""
        if self.kind != "xlsx" or self.preflight is None:
            return True
        return name in self.preflight.scans

    def extent(self, name: str) -> tuple[int, int]:
        """(rows, columns) from A1 to the sheet's last cell, known before its cells are
        turned into Python values (from pre-flight's scan where there is one)."""
        if self._csv is not None:
            return len(self._csv), max(map(len, self._csv), default=0)
        if self.kind == "xlsx" and self.preflight and name in self.preflight.scans:
            scan = self.preflight.scans[name]
            return scan.max_row, scan.max_col
        sheet = self._book.get_sheet_by_name(name)  # type: ignore[attr-defined]
        end = sheet.end
        return (end[0] + 1, end[1] + 1) if end else (0, 0)

    def formula_sheets(self, names: Collection[str]) -> set[str]:
        """Which of ``names`` hold at least one formula (a byte search of each sheet's XML;
        ``.ods``: of each table in ``content.xml``)."""
        if not names:
            return set()
        if self.kind == "xlsx" and self.preflight:
            return xlsx_formula_sheets(self.path, self.preflight, names)
        if self.kind == "ods":
            return ods_formula_tables(self.path) & set(names)
        return set()

    def prefetch(self, names: Collection[str]) -> None:
        """Start parsing ``names`` in the background (an ``.ods``, whose sheets pre-flight
        does not scan one by one, or ``.xlsx`` sheets pre-flight has not started); only
        sheets that may be parsed here, and never for a file meant for the child."""
        if self.kind not in ("xlsx", "ods") or (self.preflight and self.preflight.isolate):
            return
        if self.ahead is None:
            self.ahead = Prefetch(self.path)
        for name in names:
            if name in self.hidden and self.readable(name):
                self.ahead.start(name)

    def close(self) -> None:
        if self.ahead is not None:
            self.ahead.close()
            self.ahead = None
        if self._book is not None:
            self._book.close()  # type: ignore[attr-defined]
            self._book = None


def open_source(checked: Preflight) -> Source:
    """Open a file that passed pre-flight. Raises on a damaged file (the caller turns any
    exception into a problem)."""
    source = Source(checked.path, checked.kind, preflight=checked)
    if checked.kind == "csv":
        source._csv = read_csv_grid(checked.path)
        source.names = [checked.path.stem]
        source.hidden = {checked.path.stem: False}
        return source
    book = python_calamine.CalamineWorkbook.from_path(str(checked.path))
    source._book = book
    for meta in book.sheets_metadata:
        if str(meta.typ).endswith("WorkSheet"):
            source.names.append(meta.name)
            source.hidden[meta.name] = not str(meta.visible).endswith("Visible")
            if str(meta.visible).endswith("VeryHidden"):
                source.very_hidden.add(meta.name)
    return source


def read_csv_grid(path: Path) -> Grid:
    """Every cell as text (so ``00123`` stays ``00123``); UTF-16 with its BOM, UTF-8 (with
    or without BOM), else Windows-1252; the delimiter sniffed among comma, semicolon, tab
    and bar."""
    import pandas as pd  # only CSV needs pandas; keep `validate` of a workbook quick to start

    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text": UTF-16
        encoding = "utf-16"
        text = raw.decode(encoding, errors="replace")
    else:
        try:
            text = raw.decode("utf-8-sig")
            encoding = "utf-8-sig"
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
            encoding = "cp1252"
    try:
        delimiter = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    frame = pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False,
                        sep=delimiter, skip_blank_lines=False, on_bad_lines="error")
    return frame.to_numpy(dtype=object).tolist()


def ods_percent_cells(path: Path) -> dict[str, set[tuple[int, int]]]:
    """Percentage-typed cells of an ``.ods``, by table name: {(Excel row, column)}."""
    out: dict[str, set[tuple[int, int]]] = {}
    with zipfile.ZipFile(path) as zf, zf.open("content.xml") as handle:
        head = handle.read()
    if b'value-type="percentage"' not in head:
        return out
    table = ""
    row = 0
    col = 0
    for event, elem in ElementTree.iterparse(io.BytesIO(head), events=("start", "end")):
        tag = elem.tag
        if event == "start":
            if tag == f"{ODS_TABLE}table":
                table, row = elem.get(f"{ODS_TABLE}name", ""), 0
                out.setdefault(table, set())
            elif tag == f"{ODS_TABLE}table-row":
                col = 0
            continue
        if tag == f"{ODS_TABLE}table-row":
            row += int(elem.get(f"{ODS_TABLE}number-rows-repeated", "1"))
            elem.clear()
        elif tag in (f"{ODS_TABLE}table-cell", f"{ODS_TABLE}covered-table-cell"):
            repeat = int(elem.get(f"{ODS_TABLE}number-columns-repeated", "1"))
            if elem.get(f"{ODS_OFFICE}value-type") == "percentage":
                out[table].update((row + 1, c) for c in range(col, col + min(repeat, 16384)))
            col += repeat
    return out



def xlsx_formula_sheets(path: Path, checked: Preflight, names: Collection[str]) -> set[str]:
    """Which of ``names`` (scanned by pre-flight) hold a formula (``<f>``) in their XML."""
    out: set[str] = set()
    with zipfile.ZipFile(path) as zf:
        parts = set(zf.namelist())
        for sheet in checked.sheets:
            if sheet.name not in names or sheet.name not in checked.scans:
                continue
            if sheet.part in parts and _XLSX_FORMULA.search(
                    read_part(zf, sheet.part, MAX_PART_INFLATED)):
                out.add(sheet.name)
    return out


def ods_formula_tables(path: Path) -> set[str]:
    """The tables of an ``.ods`` that hold a cell with a ``table:formula``."""
    with zipfile.ZipFile(path) as zf:
        data = read_part(zf, "content.xml", MAX_PART_INFLATED)
    if b"table:formula=" not in data:
        return set()
    starts = [(m.start(), html.unescape(m.group(1).decode("utf-8", "replace")))
              for m in _ODS_TABLE_START.finditer(data)]
    out: set[str] = set()
    for i, (start, name) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(data)
        if data.find(b"table:formula=", start, end) >= 0:
            out.add(name)
    return out
