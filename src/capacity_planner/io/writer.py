"""The planning workbook out: ``save_model(model, path)`` (DESIGN section 3 and 8).

Every model sheet is written with its canonical headers in schema order, so the file reads
back as the same model (round trip) and a planner can edit it in Excel. Then come the
workbook's other sheets (``PlanningModel.other_sheets``: the companion Actuals, Uncertainty
and Instructions sheets, a planner's Scratch or Chart data), in their original order and
visibility, so a save loses no sheet. Their cell values are all kept (text as text,
numbers, booleans, dates), and the formulas of an ``.xlsx`` as formulas with the values
they last had; what is not kept is their formatting, and array formulas or an ``.ods``
sheet's formulas, which are written as their values (the reader notes this when it opens
such a sheet). A sheet whose name would now read as a model table, or that Excel would refuse,
is renamed (``Units (kept)``). Text is always written as text: a name such as
``=HYPERLINK(...)`` or ``-1 team`` stays a string and never becomes a formula. The save is
atomic and keeps the previous file as ``.bak``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from capacity_planner.domain.model import Formula, PlanningModel
from capacity_planner.domain.schema import ATTRIBUTE, TABLES, Kind, TableSpec
from capacity_planner.io.atomic import atomic_write
from capacity_planner.io.reader_headers import sheet_key

# xlsxwriter options: strings stay strings (no formulas, URLs or numbers guessed from text).
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False,
                    "strings_to_numbers": False, "use_future_functions": False}
SUFFIXES = (".xlsx",)
# Optional sheets written even when empty, so a planner sees where to add rows. Periods is
# left out when empty: its absence means "12 months per Demand period".
ALWAYS = {"Sharing", "Scenarios", "Notes"}
MIN_WIDTH, MAX_WIDTH, NOTES_WIDTH = 9, 48, 110
MONEY = {"annual_cost_gbp", "recruitment_cost_gbp"}


@dataclass(frozen=True)
class Formats:
    header: Any
    text: Any
    money: Any
    pct_fraction: Any
    wrap: Any


def save_model(model: PlanningModel, path: str | os.PathLike[str]) -> None:
    """Write ``model`` as a planning workbook at ``path`` (``.xlsx``), atomically."""
    target = Path(path)
    if target.suffix.lower() not in SUFFIXES:
        raise ValueError(f"A planning workbook is saved as .xlsx, not {target.suffix or 'no suffix'}"
                         f" ({target.name})")
    atomic_write(target, lambda temp: write_workbook(model, temp))


def write_workbook(model: PlanningModel, path: Path) -> None:
    """Write the workbook directly to ``path`` (no atomic replace; ``save_model`` wraps it)."""
    book = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    try:
        formats = make_formats(book)
        for spec in TABLES:
            records = getattr(model, ATTRIBUTE[spec.sheet])
            extras = model.extra_columns.get(spec.sheet, {})
            if not records and not extras and spec.optional_sheet and spec.sheet not in ALWAYS:
                continue
            sheet = book.add_worksheet(spec.sheet)
            write_table(sheet, spec, records, extras, formats)
        write_other_sheets(book, model.other_sheets, model.hidden_sheets,
                           model.very_hidden_sheets)
    finally:
        book.close()


def write_other_sheets(book: Workbook, sheets: Mapping[str, Sequence[Sequence[object]]],
                       hidden: Collection[str] = (), very_hidden: Collection[str] = ()) -> None:
    """The sheets outside the model, after the model's, values only (see the module)."""
    if not sheets:
        return
    dates = {
        dt.datetime: book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        dt.date: book.add_format({"num_format": "yyyy-mm-dd"}),
        dt.time: book.add_format({"num_format": "hh:mm:ss"}),
        dt.timedelta: book.add_format({"num_format": "[h]:mm:ss"}),
    }
    taken = {name.casefold() for name in book.sheetnames}
    for name, rows in sheets.items():
        sheet = book.add_worksheet(other_sheet_name(name, taken))
        taken.add(sheet.name.casefold())
        for r, row in enumerate(rows[:MAX_ROWS]):
            for c, value in enumerate(row[:MAX_COLS]):
                write_value(sheet, r, c, value, dates)
        if name in very_hidden:
            sheet.very_hidden()
        elif name in hidden:
            sheet.hide()


MAX_ROWS, MAX_COLS = 1_048_576, 16_384  # Excel's limits
_MODEL_KEYS = frozenset(sheet_key(t.sheet) for t in TABLES)
_BAD_NAME = re.compile(r"[\[\]:*?/\\]")


def other_sheet_name(name: str, taken: Collection[str]) -> str:
    """``name`` as Excel accepts it (31 characters, none of ``[]:*?/\\``), unique among
    ``taken`` (case-folded) and never read back as a model table."""
    clean = _BAD_NAME.sub("_", name).strip("'").strip() or "Sheet"
    if sheet_key(clean) in _MODEL_KEYS or clean.casefold() == "history":
        clean = f"{clean[:23]} (kept)"
    candidate = clean[:31]
    number = 2
    while candidate.casefold() in taken:
        suffix = f" ({number})"
        candidate = clean[:31 - len(suffix)] + suffix
        number += 1
    return candidate


def write_value(sheet: Worksheet, row: int, col: int, value: object,
                dates: dict[type, Any]) -> None:
    """One cell of a sheet outside the model: its value in its own type, text as text, a
    formula read as one (``Formula``) as that formula with its last value."""
    if value is None or value == "":
        return
    if isinstance(value, Formula):
        write_formula(sheet, row, col, value, dates)
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        number = float(value) if abs(value) < 1e300 else float("inf")
        if number != number or number in (float("inf"), float("-inf")):
            sheet.write_string(row, col, str(value))
        else:
            sheet.write_number(row, col, number)
    elif isinstance(value, dt.date | dt.time | dt.timedelta):
        kind = next(k for k in (dt.datetime, dt.date, dt.time, dt.timedelta)
                    if isinstance(value, k))
        if isinstance(value, dt.date | dt.time) and (
                getattr(value, "tzinfo", None) or (isinstance(value, dt.date)
                                                   and value.year < 1900)):
            sheet.write_string(row, col, value.isoformat())  # outside Excel's calendar
        else:
            sheet.write_datetime(row, col, value, dates[kind])  # type: ignore[arg-type]
    else:
        sheet.write_string(row, col, str(value))


def write_formula(sheet: Worksheet, row: int, col: int, formula: Formula,
                  dates: dict[type, Any]) -> None:
    """A planner's formula, with the value it last had (a date as Excel's dated number, so
    it reads back as a date; none when it was never calculated: Excel and LibreOffice
    recalculate on opening, as xlsxwriter asks them to)."""
    cached, style = formula.value, None
    if isinstance(cached, dt.date | dt.time | dt.timedelta) and not getattr(
            cached, "tzinfo", None):
        kind = next(k for k in (dt.datetime, dt.date, dt.time, dt.timedelta)
                    if isinstance(cached, k))
        cached, style = excel_serial(cached), dates[kind]
    elif cached is None:
        cached = ""
    elif not isinstance(cached, bool | int | float | str):
        cached = str(cached)
    sheet.write_formula(row, col, formula.text, style, cached)


EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system


def excel_serial(value: dt.date | dt.time | dt.timedelta) -> float:
    """A date, time or duration as Excel stores it: days (and their fraction) since its
    epoch; a time of day or a duration as the fraction of a day."""
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 86_400
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second
                + value.microsecond / 1e6) / 86_400
    moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
    return (moment - EXCEL_EPOCH).total_seconds() / 86_400


def make_formats(book: Workbook) -> Formats:
    return Formats(
        header=book.add_format({"bold": True, "bg_color": "#D9E1F2", "bottom": 1,
                                "text_wrap": False, "valign": "top"}),
        text=book.add_format({"num_format": "@"}),
        money=book.add_format({"num_format": "#,##0"}),
        pct_fraction=book.add_format({"num_format": "0.0##%"}),
        wrap=book.add_format({"text_wrap": True, "valign": "top"}),
    )


def write_table(sheet: Worksheet, spec: TableSpec, records: Sequence[object],
                extras: dict[str, list[object]], formats: Formats) -> None:
    """One sheet: canonical headers, then each record's fields, then the kept extra columns."""
    names = list(spec.names)
    headers = names + [str(h) for h in extras]
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header, formats.header)
    columns: list[list[object]] = [[getattr(r, n) for r in records] for n in names]
    columns += [_aligned(values, len(records)) for values in extras.values()]
    for col, values in enumerate(columns):
        name = headers[col]
        field = spec.field(name) if col < len(names) else None
        as_fraction = field is not None and field.kind is Kind.PCT and _ambiguous_pct(values)
        for row, value in enumerate(values, start=1):
            write_cell(sheet, row, col, value, formats,
                       money=name in MONEY, pct_fraction=as_fraction)
    sheet.freeze_panes(1, 0)
    print_setup(sheet)
    notes = spec.sheet == "Notes"
    for col, values in enumerate(columns):
        width = NOTES_WIDTH if notes else column_width(headers[col], values)
        field = spec.field(headers[col]) if col < len(names) else None
        # ID and text columns are text-formatted, so an ID a planner types later
        # (``00123``) stays text in Excel too.
        textual = field is not None and field.kind in (Kind.ID, Kind.TEXT)
        fmt = formats.wrap if notes else formats.text if textual else None
        sheet.set_column(col, col, width, fmt)
    if records:
        sheet.autofilter(0, 0, len(records), max(0, len(headers) - 1))


def write_cell(sheet: Worksheet, row: int, col: int, value: object, formats: Formats, *,
               money: bool = False, pct_fraction: bool = False) -> None:
    """Text as text, numbers as numbers, None as a blank cell."""
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_number(row, col, int(value))
    elif isinstance(value, int | float):
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            sheet.write_string(row, col, str(value))
        elif pct_fraction:
            sheet.write_number(row, col, number / 100.0, formats.pct_fraction)
        else:
            sheet.write_number(row, col, number, formats.money if money else None)
    else:
        sheet.write_string(row, col, str(value))


def print_setup(sheet: Worksheet) -> None:
    """Printed or exported to PDF: landscape, one page wide, the header on every page."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)


def _ambiguous_pct(values: Sequence[object]) -> bool:
    """True when plain numbers would be misread as fractions: the reader takes a ``_pct``
    column whose values all lie in [0, 1] as fractions (DESIGN section 3), so 0.5 % would
    come back as 50 %. Such columns are written as percentage-formatted fractions instead,
    which every reading of the rule takes as the right percent."""
    numbers = [float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    return bool(numbers) and all(0 <= v <= 1 for v in numbers) and any(v > 0 for v in numbers)


def _aligned(values: list[object], length: int) -> list[object]:
    return (list(values) + [None] * length)[:length]


def column_width(header: str, values: Sequence[object], sample: int = 200) -> float:
    """A width that shows the header and typical values, within sensible bounds."""
    longest = len(header) + 2
    for value in values[:sample]:
        if isinstance(value, float) and value.is_integer():
            text = f"{value:,.0f}"
        else:
            text = str(value) if value is not None else ""
        longest = max(longest, len(text) + 1)
    return float(min(MAX_WIDTH, max(MIN_WIDTH, longest)))
