"""Writing one readable table to an xlsxwriter worksheet: a title and a line of
explanation above a header row that stays frozen, number formats by kind of value, column
widths from the content, an autofilter, and every cell typed explicitly (text is always
written as text, so ``=1+1`` or ``@SUM`` from a unit name can never become a formula).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

# Kinds of value -> Excel number format. Percentages are stored as the engine gives them
# (72.0 means 72 %), so a reader sees the same number the JSON holds.
NUMBER_FORMATS = {
    "hours": "#,##0",
    "fte": "#,##0.0",
    "pct": '0.0"%"',
    "gbp": '"£"#,##0',
    "value": "#,##0.00",
    "seconds": "0.00",
    "int": "0",
    "number": "General",
}
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
TABLE_TOP = 3  # rows 0-1 title and explanation, row 2 blank, header on row 3
A4 = 9  # xlsxwriter's paper code


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text, prose (wrapped in its cell), bool, or a key of NUMBER_FORMATS
    width: float | None = None  # None: fitted to the content


class Styles:
    """The workbook's shared cell formats (xlsxwriter wants one object per format)."""

    def __init__(self, book: Workbook) -> None:
        self.title = book.add_format({"bold": True, "font_size": 14, "font_color": "#1a1a1a"})
        self.note = book.add_format({"italic": True, "font_color": "#555555"})
        self.header = book.add_format({"bold": True, "bottom": 1, "bg_color": "#e7e7e7",
                                       "text_wrap": True, "valign": "top"})
        self.section = book.add_format({"bold": True, "font_size": 11})
        self.text = book.add_format({"valign": "top"})
        self.prose = book.add_format({"valign": "top", "text_wrap": True})
        self.numbers = {k: book.add_format({"num_format": f, "valign": "top"})
                        for k, f in NUMBER_FORMATS.items()}

    def of(self, kind: str) -> Format:
        if kind == "prose":
            return self.prose
        return self.numbers.get(kind, self.text)


def write_cell(ws: Worksheet, row: int, col: int, value: Any, kind: str,
               styles: Styles) -> None:
    """One cell, typed by its column's kind. Blank for None and NaN; infinities as text."""
    fmt = styles.of(kind)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        ws.write_blank(row, col, None, fmt)
    elif kind == "bool":
        ws.write_string(row, col, "Yes" if bool(value) else "No", styles.text)
    elif kind in ("text", "prose") or isinstance(value, str):
        ws.write_string(row, col, str(value), styles.prose if kind == "prose" else styles.text)
    else:
        number = float(value)
        if math.isinf(number):
            ws.write_string(row, col, "infinite" if number > 0 else "-infinite", styles.text)
        else:
            ws.write_number(row, col, number, fmt)


def write_table(ws: Worksheet, styles: Styles, columns: Sequence[Column],
                rows: Iterable[Sequence[Any]], *, top: int = TABLE_TOP, left: int = 0,
                freeze: bool = True, freeze_cols: int = 0, autofilter: bool = True,
                fit: bool = True, widths_out: list[float] | None = None) -> int:
    """The header at ``top`` and the rows under it; returns the row after the last one.
    ``widths_out`` receives the width given to each column.

    Written a column at a time, each with the one writer its kind needs, and widths
    from each column's longest value: the per-cell dispatch and width arithmetic cost
    as much as xlsxwriter itself on a results workbook's 280,000 cells. Headers wrap, so
    a column is as wide as its values or its header's longest word, not its whole header
    (a two-digit count under "Minimum-service breaches"): tables print larger."""
    table = [tuple(row) for row in rows]
    for row in table:
        if len(row) != len(columns):
            raise ValueError(f"a row has {len(row)} values for {len(columns)} columns")
    widths = [max(map(len, c.header.split()), default=0) for c in columns]
    for j, c in enumerate(columns):
        ws.write_string(top, left + j, c.header, styles.header)
        values = [row[j] for row in table]
        _write_column(ws, top + 1, left + j, values, c.kind, styles)
        widths[j] = max(widths[j], _longest(values, c.kind))
    r = top + 1 + len(table)
    given = [c.width if c.width is not None else min(48.0, max(8.0, widths[j] * 1.1 + 2))
             for j, c in enumerate(columns)]
    if widths_out is not None:
        widths_out[:] = given
    for j, width in enumerate(given if fit else ()):
        ws.set_column(left + j, left + j, width)
    if fit and columns:  # a header row tall enough for its wrapped headers
        lines = max(wrapped_lines(c.header, w - 1) for c, w in zip(columns, given, strict=True))
        ws.set_row(top, 15 * lines)
    prose = [j for j, c in enumerate(columns) if c.kind == "prose"]
    for i, row in enumerate(table if prose else ()):  # rows tall enough for wrapped text
        lines = max(wrapped_lines(str(row[j] or ""), given[j] - 1) for j in prose)
        if lines > 1:
            ws.set_row(top + 1 + i, 15 * lines)
    if freeze:
        ws.freeze_panes(top + 1, freeze_cols)
    if autofilter and columns:
        ws.autofilter(top, left, max(top, r - 1), left + len(columns) - 1)
    return r


def wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` takes wrapped at word boundaries in ``width`` characters (a word
    longer than the width is broken across lines, as Excel does)."""
    total = 0
    for paragraph in text.splitlines() or [""]:
        lines, used = 1, 0
        for word in paragraph.split():
            size = len(word)
            if used and used + 1 + size > width:
                lines, used = lines + 1, 0
            used += (1 if used else 0) + size
            while used > width > 0:  # a word wider than the column
                lines, used = lines + 1, used - int(width)
        total += lines
    return total


def _write_column(ws: Worksheet, first: int, col: int, values: list[Any], kind: str,
                  styles: Styles) -> None:
    """``write_cell`` for a whole column (the same rules, decided once per column where
    the kind allows)."""
    if kind == "bool":
        for i, v in enumerate(values):
            if v is None or (isinstance(v, float) and math.isnan(v)):
                ws.write_blank(first + i, col, None, styles.text)
            else:
                ws.write_string(first + i, col, "Yes" if bool(v) else "No", styles.text)
        return
    if kind in ("text", "prose"):
        text = blank = styles.of(kind)
        for i, v in enumerate(values):
            if v is None or (isinstance(v, float) and math.isnan(v)):
                ws.write_blank(first + i, col, None, blank)
            else:
                ws.write_string(first + i, col, str(v), text)
        return
    fmt = styles.of(kind)
    write_number = ws.write_number
    for i, v in enumerate(values):
        if type(v) is float and math.isfinite(v):  # the common case, checked first
            write_number(first + i, col, v, fmt)
        else:
            write_cell(ws, first + i, col, v, kind, styles)


def _longest(values: list[Any], kind: str) -> int:
    """``max(_shown_length(v, kind) for v in values)``: numbers shown with a thousands
    separator and one decimal grow with their magnitude, so only the largest and the
    most negative finite numbers need formatting."""
    longest = 0
    high: float | None = None
    low: float | None = None
    for v in values:
        if v is None:
            continue
        if isinstance(v, str):
            longest = max(longest, len(v) if "\n" not in v else _shown_length(v, kind))
            continue
        if kind == "bool":
            longest = max(longest, 3)
            continue
        try:
            number = float(v)
        except (TypeError, ValueError):
            longest = max(longest, len(str(v)))
            continue
        if math.isnan(number) or math.isinf(number):
            longest = max(longest, 9)
        elif number >= 0:
            high = number if high is None or number > high else high
        else:
            low = number if low is None or number < low else low
    for extreme in (high, low):
        if extreme is not None:
            longest = max(longest, len(f"{extreme:,.1f}") + 1)
    return longest


def heading(ws: Worksheet, styles: Styles, title: str, note: str = "", *,
            header_row: int | None = TABLE_TOP) -> None:
    """The sheet's title and a line of explanation, and its print set-up."""
    ws.write_string(0, 0, title, styles.title)
    if note:
        ws.write_string(1, 0, note, styles.note)
    ws.set_row(0, 22)
    print_setup(ws, title, header_row)


def print_setup(ws: Worksheet, title: str, header_row: int | None = TABLE_TOP) -> None:
    """A4 landscape, one page wide (as many pages tall as the rows need), the table's
    header row repeated on every page, and the title and page numbers in the margins,
    so a sheet printed for a board paper reads like one."""
    ws.set_paper(A4)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.6)
    if header_row is not None:
        ws.repeat_rows(header_row)
    shown = title.replace("&", "&&")[:200]  # "&" starts a code in Excel's header text
    ws.set_header(f"&L&8Capacity Planner results&R&8{shown}")
    ws.set_footer("&L&8&A&C&8Page &P of &N&R&8Printed &D")


def prose_rows(ws: Worksheet, styles: Styles, top: int, rows: Sequence[tuple[str, str]], *,
               last_col: int, line_chars: int) -> int:
    """Label in column A, text merged across B to ``last_col`` and wrapped, each row
    tall enough for its text (a merged cell does not grow by itself); the text never
    spills across the cells beside it, on screen or on paper. Returns the next row."""
    for i, (label, text) in enumerate(rows):
        row = top + i
        ws.write_string(row, 0, label, styles.text)
        if last_col > 1:
            ws.merge_range(row, 1, row, last_col, "", styles.prose)
        ws.write_string(row, 1, text, styles.prose)
        ws.set_row(row, 15 * wrapped_lines(text, line_chars))
    return top + len(rows)


def _shown_length(value: Any, kind: str) -> int:
    if value is None:
        return 0
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    if kind == "bool":
        return 3
    try:
        number = float(value)
    except (TypeError, ValueError):
        return len(str(value))
    if math.isnan(number) or math.isinf(number):
        return 9
    return len(f"{number:,.1f}") + 1
