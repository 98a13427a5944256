"""Analysis tables to a workbook (``.xlsx``) or a CSV file, atomically.

Workbooks have a frozen header row, widths and number formats, and no formula cells:
xlsxwriter's ``strings_to_formulas`` is off, so a scenario named ``=HYPERLINK(...)`` is
written as the text it is. CSV cells that a spreadsheet would run as a formula are
prefixed with ``'`` (DESIGN section 8).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from capacity_planner.io.atomic import atomic_write

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
SUFFIXES = (".xlsx", ".csv")


def number_format(column: str) -> str | None:
    if column.endswith("_pct") or column.endswith("_pct_vs_baseline"):
        return "0.0"
    if "gbp" in column:
        return "£#,##0;-£#,##0"
    if "fte" in column:
        return "#,##0.0"
    if "hours" in column or "unmet" in column:
        return "#,##0"
    return None


def write_tables(path: str | Path, sheets: Mapping[str, pd.DataFrame],
                 notes: Sequence[str] = ()) -> Path:
    """Write each frame to its own sheet (``.xlsx``), or the first frame (``.csv``).
    ``notes`` go to an About sheet: what was run, with which settings."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return atomic_write(path, lambda tmp: _write_csv(tmp, next(iter(sheets.values()))),
                            backup=False)
    if suffix != ".xlsx":
        raise ValueError(f"{path.name}: write .xlsx or .csv")
    return atomic_write(path, lambda tmp: _write_xlsx(tmp, sheets, notes), backup=False)


def _write_csv(path: Path, frame: pd.DataFrame) -> None:
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        out = csv.writer(handle)
        out.writerow([_safe_text(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            out.writerow(["" if _missing(v) else _safe_text(v) if isinstance(v, str) else v
                          for v in row])


def _safe_text(v: object) -> str:
    s = str(v)
    return "'" + s if s.startswith(FORMULA_START) else s


def _missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _write_xlsx(path: Path, sheets: Mapping[str, pd.DataFrame], notes: Sequence[str]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                           "strings_to_urls": False,
                                           "strings_to_numbers": False,
                                           "nan_inf_to_errors": False})
    try:
        head = book.add_format({"bold": True, "bottom": 1, "text_wrap": True,
                                "valign": "top"})
        formats = {}
        for name, frame in sheets.items():
            ws = book.add_worksheet(name[:31])
            for j, column in enumerate(frame.columns):
                ws.write_string(0, j, str(column), head)
                fmt = number_format(str(column))
                if fmt and fmt not in formats:
                    formats[fmt] = book.add_format({"num_format": fmt})
                width = max([len(str(column))] + [len(str(v)) for v in frame[column][:200]])
                ws.set_column(j, j, min(max(10, width + 2), 45),
                              formats.get(fmt) if fmt else None)
            for i, row in enumerate(frame.itertuples(index=False), start=1):
                for j, v in enumerate(row):
                    _cell(ws, i, j, v)
            ws.freeze_panes(1, 0)
            if len(frame.columns):
                ws.autofilter(0, 0, max(1, len(frame)), len(frame.columns) - 1)
        if notes:
            ws = book.add_worksheet("About")
            ws.set_column(0, 0, 100)
            for i, text in enumerate(notes):
                ws.write_string(i, 0, str(text))
    finally:
        book.close()


def _cell(ws, i: int, j: int, v: object) -> None:
    if _missing(v):
        ws.write_blank(i, j, None)
    elif isinstance(v, bool):
        ws.write_boolean(i, j, v)
    elif isinstance(v, (int, float)) and not isinstance(v, bool):
        if math.isfinite(float(v)):
            ws.write_number(i, j, float(v))
        else:
            ws.write_blank(i, j, None)
    elif hasattr(v, "item"):  # numpy scalar
        _cell(ws, i, j, v.item())
    else:
        ws.write_string(i, j, str(v))
