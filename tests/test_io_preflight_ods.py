"""Pre-flight of an ``.ods``: a value repeated by count past the cell limit is refused,
blanks repeated to the sheet's edge (as LibreOffice writes them) are not."""

from __future__ import annotations

import zipfile
from pathlib import Path

from capacity_planner.io.preflight import MAX_CELLS, preflight
from capacity_planner.io.preflight_ods import largest_repeat, usual_namespace
from corpus import ods_book

ROW = (b'<table:table-row table:number-rows-repeated="%d">'
       b'<table:table-cell office:value-type="float" office:value="1"/>'
       b'<table:table-cell table:number-columns-repeated="2" office:value-type="string"/>'
       b"</table:table-row>")


def test_a_repeated_row_of_values_counts_its_width() -> None:
    """2,000,000 rows x (1 + 2 repeated value cells) = 6,000,000 cells: past a 5,000,000
    limit. 1,000,000 rows x 3 = 3,000,000 is within it."""
    assert largest_repeat(ROW % 2_000_000, 5_000_000) == 6_000_000
    assert largest_repeat(ROW % 1_000_000, 5_000_000) == 0


def test_blank_repeats_to_the_sheet_edge_are_harmless() -> None:
    """LibreOffice pads every row with blank cells to column 16384 and the sheet with
    blank rows to 1048576: no value is repeated, so nothing counts."""
    padding = (b'<table:table-row table:number-rows-repeated="1048575">'
               b'<table:table-cell table:number-columns-repeated="16384"/></table:table-row>')
    assert largest_repeat(padding, 5_000_000) == 0


def test_a_value_repeated_across_columns_of_repeated_rows() -> None:
    """A value cell repeated over 20,000 columns in a row repeated 300 times: 6,000,000."""
    row = (b'<table:table-row table:number-rows-repeated="300"><table:table-cell '
           b'table:number-columns-repeated="20000" office:value-type="float" '
           b'office:value="7"/></table:table-row>')
    assert largest_repeat(row, 5_000_000) == 6_000_000


def test_preflight_refuses_the_workbook_with_such_a_repeat(tmp_path: Path) -> None:
    path = ods_book(tmp_path)
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    content = parts["content.xml"]
    assert usual_namespace(content)
    parts["content.xml"] = content.replace(b"</table:table>", ROW % 2_000_000
                                           + b"</table:table>", 1)
    crafted = tmp_path / "crafted.ods"
    with zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), parts.pop("mimetype"))
        for name, data in parts.items():
            zf.writestr(name, data)
    assert preflight(path).ok
    refused = preflight(crafted)
    assert not refused.ok and [p.code for p in refused.problems] == ["dimension"]
    assert f"{6_000_000:,} cells" in refused.problems[0].message and MAX_CELLS < 6_000_000
