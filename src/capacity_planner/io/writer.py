"""The planning workbook out: ``save_model(model, path)`` (DESIGN section 3 and 8).

Every sheet is written with its canonical headers in schema order, so the file reads back
as the same model (round trip) and a planner can edit it in Excel. Text is always written
as text: a name such as ``=HYPERLINK(...)`` or ``-1 team`` stays a string and never becomes
a formula. The save is atomic and keeps the previous file as ``.bak``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.schema import ATTRIBUTE, TABLES, Kind, TableSpec
from capacity_planner.io.atomic import atomic_write

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
    finally:
        book.close()


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
