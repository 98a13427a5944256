"""The vectorised extent scan (``reader_xlsx_extent``) on hand-written sheet XML: the true
extent of canonical references, and every odd form reported rather than trusted."""

from __future__ import annotations

import pytest

from capacity_planner.io.reader_xlsx import scan_sheet
from capacity_planner.io.reader_xlsx_extent import vector_extent

HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.'
        b'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://x"><sheetData>')
TAIL = b"</sheetData></worksheet>"


def sheet(rows: bytes) -> bytes:
    return HEAD + rows + TAIL


def test_extent_is_the_largest_row_and_column_named_anywhere() -> None:
    """Row 3 holds AB3 (column 28); row 7 holds C7: extent 7 rows x 28 columns, whatever
    order the rows come in."""
    data = sheet(b'<row r="7"><c r="C7"><v>1</v></c></row>'
                 b'<row r="3" spans="1:28"><c r="A3" s="1"/><c r="AB3" t="s"><v>0</v></c></row>')
    found = vector_extent(data, b"")
    assert found is not None
    assert (found.max_row, found.max_col, found.unusual) == (7, 28, "")


def test_last_excel_cell_is_seen() -> None:
    """XFD is column 16,384 and 1,048,576 Excel's last row."""
    found = vector_extent(sheet(b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'), b"")
    assert found is not None and (found.max_row, found.max_col) == (1_048_576, 16_384)


@pytest.mark.parametrize("rows, why", [
    (b'<row r="1"><c r="A99999999999"><v>1</v></c></row>', "unusual way"),
    (b'<row r="1"><c r="ABCD1"><v>1</v></c></row>', "unusual way"),
    (b'<row r="1"><c r="a1"><v>1</v></c></row>', "unusual way"),
    (b'<row r="1"><c\tr="A1"><v>1</v></c></row>', "unusual way"),
    (b'<row r="1"><c r = "A1"><v>1</v></c></row>', "unusual way"),
    (b"<row r=\"1\"><c r='A1'><v>1</v></c></row>", "unusual way"),
    (b'<row r="1"><c x:r="A1"><v>1</v></c></row>', "namespace prefix"),
    (b'<row r="1"><c r="A1"/><c><v>1</v></c></row>', "cells without a position"),
    (b'<row><c r="A1"><v>1</v></c></row>', "rows without a number"),
])
def test_odd_references_are_reported(rows: bytes, why: str) -> None:
    found = vector_extent(sheet(rows), b"")
    assert found is not None and why in found.unusual
    assert why in scan_sheet(sheet(rows), set(), 5_000_000).unverified


def test_a_cell_beyond_the_declared_dimension_sets_the_extent() -> None:
    """The dimension says A1:B2 but a cell sits at Z900: the scan reports 900 x 26."""
    data = sheet(b'<row r="1"><c r="A1"><v>1</v></c></row><row r="900"><c r="Z900"/></row>')
    data = data.replace(b"<sheetData>", b'<dimension ref="A1:B2"/><sheetData>')
    scan = scan_sheet(data, set(), 5_000_000)
    assert (scan.max_row, scan.max_col, scan.unverified) == (900, 26, "")


def test_a_prefixed_sheet_is_left_to_the_regex_scan() -> None:
    assert vector_extent(sheet(b""), b"x:") is None
