"""Read the Home Office "Police workforce open data table" (DESIGN section 3).

The published file is an ``.ods`` with a sheet ``Data`` of some 33,000 rows: ``As at 31
March``, ``Geocode``, ``Force name``, ``Region``, ``Sex``, ``Rank``, ``Worker type``,
``Total (Headcount)``, ``Total (FTE)``. It is read with calamine (odfpy takes minutes on
a file this size), headers matched leniently, and every value that is not what the column
needs becomes a located problem (file, sheet, Excel row, column), never a traceback.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import python_calamine

from capacity_planner.domain.opendata import WORKER_TYPES, PublishedFte
from capacity_planner.domain.problems import Location, Problem, error, warning
from capacity_planner.io.preflight import Preflight
from capacity_planner.io.reader import check, in_child

SHEET = "Data"
# field -> published header
COLUMNS = {
    "year": "As at 31 March",
    "geocode": "Geocode",
    "force": "Force name",
    "region": "Region",
    "sex": "Sex",
    "rank": "Rank",
    "worker_type": "Worker type",
    "headcount": "Total (Headcount)",
    "fte": "Total (FTE)",
}
REQUIRED = ("year", "force", "worker_type", "fte")
TEXT_FIELDS = ("geocode", "force", "region", "sex", "rank", "worker_type")
HEADER_SEARCH_ROWS = 20
MAX_LISTED = 20  # per kind of problem; the rest are counted in one summary line
# Labels of aggregate lines: summing them with the detail would count people twice.
_TOTAL_LABELS = frozenset({"total", "totals", "all", "all ranks", "all workers",
                           "all worker types", "all sexes", "persons", "england and wales",
                           "england & wales"})
_YEAR = re.compile(r"(19|20)\d\d")


def header_key(text: object) -> str:
    """Headers compared ignoring case, spaces, brackets and punctuation."""
    return re.sub(r"[^0-9a-z]", "", str(text or "").casefold())


_FIELD_OF_HEADER = {header_key(h): f for f, h in COLUMNS.items()}


@dataclass
class OpenDataTable:
    """The ``Data`` sheet as a frame: one row per published line, with ``row`` the Excel
    row it came from. ``year`` is an int, ``fte`` and ``headcount`` floats."""

    path: Path
    frame: pd.DataFrame

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.frame["year"].dropna().unique())

    def of_year(self, year: int) -> pd.DataFrame:
        return self.frame[self.frame["year"] == year]

    def published(self, year: int) -> list[PublishedFte]:
        """Each force, worker type and rank in ``year``, summed over sex."""
        data = self.of_year(year)
        grouped = data.groupby(["force", "worker_type", "rank"], sort=False)[
            ["fte", "headcount"]].sum()
        return [PublishedFte(f, w, r, float(v.fte), float(v.headcount))
                for (f, w, r), v in grouped.iterrows()]

    def fte_by_force(self, year: int) -> pd.DataFrame:
        """Forces (rows, sorted by name) x worker types (published order, then any others),
        FTE summed over sex and rank, with a ``Total`` column."""
        data = self.of_year(year)
        table = data.pivot_table(index="force", columns="worker_type", values="fte",
                                 aggfunc="sum", fill_value=0.0, sort=True)
        known = [w for w in WORKER_TYPES if w in table.columns]
        table = table[known + [c for c in table.columns if c not in known]]
        table["Total"] = table.sum(axis=1)
        table.columns.name = None
        return table


@dataclass
class OpenDataRead:
    table: OpenDataTable | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.table is not None and not any(p.is_error for p in self.problems)


def is_data_sheet(name: str) -> bool:
    return header_key(name) == header_key(SHEET)


def read_open_data(path: str | Path) -> OpenDataRead:
    """Read the ``Data`` sheet. Never raises for a bad file: it returns problems. The
    pre-flight check of DESIGN section 8 (zip bombs, absurd sheet extents, entity attacks,
    files that are not spreadsheets) runs on the Data sheet first; a file it marks
    ``isolate`` is parsed in a memory-limited child process, as ``load_model`` reads."""
    path = Path(path)
    if not path.is_file():
        return OpenDataRead(None, [error("File not found", Location(file=path.name),
                                         str(path))])
    checked = check(path, is_data_sheet)
    if checked.ok and checked.isolate:
        found, problems = in_child(_read_child, path, reason=checked.isolate)
        if not isinstance(found, OpenDataRead):
            return OpenDataRead(None, problems)
        found.problems[:0] = problems
        return found
    return read_open_data_here(path, checked)


def _read_child(path: Path) -> tuple[OpenDataRead, list[Problem]]:
    """What the child process runs: ``read_open_data_here`` with its problems inside."""
    return read_open_data_here(path), []


def read_open_data_here(path: Path, checked: Preflight | None = None) -> OpenDataRead:
    """``read_open_data`` in this process, whatever pre-flight says about isolation."""
    where = Location(file=path.name)
    checked = checked or check(path, is_data_sheet)
    problems = list(checked.problems)
    if not checked.ok:
        return OpenDataRead(None, problems)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        name = next((n for n in names if is_data_sheet(n)), None)
        if name is None:
            return OpenDataRead(None, [*problems, error(
                "The open data table has no sheet named Data", where,
                ", ".join(names), "a sheet Data")])
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as exc:  # any reader failure is one problem naming the file
        return OpenDataRead(None, [*problems, error(
            f"Cannot read the file as a spreadsheet: {type(exc).__name__}: {exc}"[:300],
            where, expected="a Home Office open data table (.ods)")])
    return _parse(path, name, rows, problems)


def _find_header(rows: Sequence[Sequence[object]]) -> tuple[int, dict[str, int]] | None:
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        fields: dict[str, int] = {}
        for j, cell in enumerate(row):
            f = _FIELD_OF_HEADER.get(header_key(cell))
            if f and f not in fields:
                fields[f] = j
        if all(f in fields for f in REQUIRED):
            return i, fields
    return None


class _Collector:
    """Problems of one kind, the first few listed and the rest counted."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.counts: dict[str, int] = {}

    def add(self, kind: str, problem: Problem) -> None:
        n = self.counts[kind] = self.counts.get(kind, 0) + 1
        if n <= MAX_LISTED:
            self.problems.append(problem)

    def finish(self) -> None:
        for kind, n in self.counts.items():
            if n > MAX_LISTED:
                self.problems.append(warning(f"{n - MAX_LISTED:,} more rows like that: {kind}"))


def _year(value: object) -> int | None:
    if isinstance(value, dt.date):
        return value.year
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if value == int(value) and 1900 <= value <= 2100 else None
    match = _YEAR.search(str(value))
    return int(match.group()) if match else None


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value) if value == value else None
    text = str(value).strip().replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def _parse(path: Path, sheet: str, rows: Sequence[Sequence[object]],
           problems: list[Problem]) -> OpenDataRead:
    """Column-wise (pandas) checks: a Python loop over 33,000 lines costs a second."""
    where = Location(file=path.name, sheet=sheet)
    found = _find_header(rows)
    if found is None:
        wanted = ", ".join(COLUMNS[f] for f in REQUIRED)
        return OpenDataRead(None, [*problems, error(
            "No header row with the open data columns in the first 20 rows", where,
            expected=wanted)])
    header, cols = found
    for f, title in COLUMNS.items():
        if f not in cols and f not in REQUIRED:
            problems.append(warning(f"Column {title} is missing; it is left blank", where))
    raw = pd.DataFrame(rows[header + 1:]).reindex(columns=range(max(cols.values()) + 1))
    raw.index = pd.RangeIndex(header + 2, header + 2 + len(raw))  # Excel row numbers
    data = pd.DataFrame(index=raw.index)
    for f in TEXT_FIELDS:
        data[f] = (_text(raw[cols[f]]) if f in cols
                   else pd.Series("", index=raw.index, dtype=object))
    year_cells = raw[cols["year"]]
    fte_cells = raw[cols["fte"]]
    blank = data.eq("").all(axis=1) & _blank(year_cells) & _blank(fte_cells)
    labels = pd.concat([data[f].str.casefold() for f in ("force", "sex", "rank",
                                                         "worker_type")], axis=1)
    totals = labels.isin(_TOTAL_LABELS).any(axis=1) & ~blank
    keep = ~blank & ~totals
    collect = _Collector(problems)
    years = year_cells.map({v: _year(v) for v in pd.unique(year_cells[keep])})
    for row in year_cells.index[keep & years.isna()]:
        collect.add("year is not a year", error(
            "Year is not a year", _at(where, row, "year"), year_cells[row],
            "a year such as 2025"))
    keep &= years.notna()
    for f in ("force", "worker_type"):
        for row in data.index[keep & data[f].eq("")]:
            collect.add(f"{COLUMNS[f]} is blank", error(
                f"{COLUMNS[f]} is blank", _at(where, row, f),
                expected="a force name and worker type on every line"))
        keep &= data[f].ne("")
    is_bool = fte_cells.map(lambda v: isinstance(v, bool)).astype(bool)
    fte = pd.to_numeric(fte_cells.mask(is_bool), errors="coerce").astype("float64")
    for row in fte.index[keep & (fte.isna() | (fte < 0))]:
        number = _number(fte_cells[row])
        if number is not None and number >= 0:
            fte[row] = number  # "1,234.5" written as text
            continue
        collect.add("FTE is not a number", warning(
            "FTE is not a number of 0 or more; the line counts as 0",
            _at(where, row, "fte"), fte_cells[row], "a number such as 12.5"))
        fte[row] = 0.0
    collect.finish()
    if totals.any():
        problems.append(warning(
            f"{int(totals.sum()):,} total lines (Total, All ranks, England and Wales) were "
            "left out so that nobody is counted twice", where))
    frame = data[keep].copy()
    frame.insert(0, "year", years[keep].astype("int64"))
    frame["fte"] = fte[keep].astype("float64")
    headcount = (pd.to_numeric(raw[cols["headcount"]], errors="coerce") if "headcount" in cols
                 else pd.Series(0.0, index=raw.index))
    frame["headcount"] = headcount[keep].fillna(0.0).astype("float64")
    frame["row"] = frame.index
    frame = frame.reset_index(drop=True)[[*COLUMNS, "row"]]
    if frame.empty:
        problems.append(error("The Data sheet has no lines", where))
    return OpenDataRead(OpenDataTable(path, frame), problems)


def _text(cells: pd.Series) -> pd.Series:
    """Trimmed text; mapped through the (few) distinct values, which is 10x a str method."""
    distinct = {v: "" if v is None or v != v else str(v).strip() for v in pd.unique(cells)}
    return cells.map(distinct).astype(object)


def _blank(cells: pd.Series) -> pd.Series:
    return cells.isna() | cells.astype(str).str.strip().eq("")


def _at(where: Location, row: int, f: str) -> Location:
    return Location(where.file, where.sheet, row, COLUMNS[f])
