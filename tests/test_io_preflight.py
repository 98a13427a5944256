"""Pre-flight refuses hostile or mislabelled files before any parser sees them, and every
failure is one problem naming the file: never a traceback, never a crash."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from capacity_planner.io import load_model
from capacity_planner.io.preflight import OLE2, preflight, sniff
from test_io_fixtures import minimal_sheets, replace_in_part, write_book


def _only_error(path: Path, code: str) -> str:
    result = load_model(path)
    assert result.model is None
    assert not result.ok
    errors = result.errors
    assert len(errors) == 1, [str(p) for p in errors]
    assert errors[0].code == code, str(errors[0])
    assert errors[0].where.file == str(path)
    return str(errors[0])


def test_a_good_workbook_passes(tmp_path: Path) -> None:
    checked = preflight(write_book(tmp_path / "m.xlsx", minimal_sheets()))
    assert checked.ok and checked.kind == "xlsx"
    assert [s.name for s in checked.sheets][:2] == ["Units", "Roles"]


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    assert "File not found" in _only_error(tmp_path / "nowhere.xlsx", "missing")


def test_folder_and_empty_file(tmp_path: Path) -> None:
    assert "folder" in _only_error(tmp_path, "missing")
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert "empty" in _only_error(empty, "empty")


def test_truncated_workbook_is_damaged(tmp_path: Path) -> None:
    path = write_book(tmp_path / "m.xlsx", minimal_sheets())
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert "damaged" in _only_error(path, "damaged")


def test_csv_renamed_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "units.xlsx"
    path.write_text("unit_id,name\nSURREY,Surrey Police\n", encoding="utf-8")
    message = _only_error(path, "not_excel")
    assert "Not an Excel file" in message and "text" in message


def test_html_saved_as_xls(tmp_path: Path) -> None:
    path = tmp_path / "report.xls"
    path.write_text("<!DOCTYPE html><html><table><tr><td>1</td></tr></table></html>")
    assert "web page" in _only_error(path, "html")


def test_encrypted_workbook(tmp_path: Path) -> None:
    """Excel saves a password-protected .xlsx as an OLE2 container holding a stream named
    EncryptedPackage; that name is what gives it away."""
    path = tmp_path / "secret.xlsx"
    path.write_bytes(OLE2 + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64)
    assert "password-protected" in _only_error(path, "encrypted")


@pytest.mark.libreoffice
def test_old_xls_from_libreoffice(tmp_path: Path) -> None:
    source = write_book(tmp_path / "old.xlsx", minimal_sheets())
    out = tmp_path / "out"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--headless", "--convert-to", "xls", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=120)
    message = _only_error(out / "old.xls", "old_format")
    assert ".xls" in message and "save it as .xlsx" in message


def test_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    path = write_book(tmp_path / "bomb.xlsx", minimal_sheets())
    replace_in_part(path, "xl/worksheets/sheet1.xml", b"<sheetData>",
                    b"<sheetData>" + b" " * (40 * 1024 * 1024))
    assert "zip bomb" in _only_error(path, "zip_bomb")


def test_too_many_entries(tmp_path: Path) -> None:
    path = write_book(tmp_path / "many.xlsx", minimal_sheets())
    with zipfile.ZipFile(path, "a") as zf:
        for i in range(10_001):
            zf.writestr(f"junk/{i}.txt", b"")
    assert "10,0" in _only_error(path, "zip_bomb")


def test_cell_at_xfd1048576_is_refused(tmp_path: Path) -> None:
    """A tiny file whose one far cell would make calamine allocate ~512 GiB."""
    sheets = minimal_sheets()
    path = write_book(tmp_path / "far.xlsx", sheets)
    book_path = tmp_path / "far2.xlsx"
    shutil.copy(path, book_path)
    replace_in_part(path, "xl/worksheets/sheet1.xml", b"</sheetData>",
                    b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    replace_in_part(path, "xl/worksheets/sheet1.xml", b'<dimension ref="A1:C3"',
                    b'<dimension ref="A1:XFD1048576"')
    assert path.stat().st_size < 10_000
    message = _only_error(path, "dimension")
    assert "XFD1048576" in message and "sheet Units" in message


def test_cell_beyond_a_lying_dimension_is_refused(tmp_path: Path) -> None:
    path = write_book(tmp_path / "lie.xlsx", minimal_sheets())
    replace_in_part(path, "xl/worksheets/sheet1.xml", b"</sheetData>",
                    b'<row r="3"><c r="XFD3"><v>1</v></c></row>'
                    b'<row r="900000"><c r="A900000"><v>1</v></c></row></sheetData>')
    assert "A1:XFD900000" in _only_error(path, "dimension")


def test_far_cell_without_dimension_is_refused(tmp_path: Path) -> None:
    path = write_book(tmp_path / "nodim.xlsx", minimal_sheets())
    replace_in_part(path, "xl/worksheets/sheet1.xml", b'<dimension ref="A1:C3" />', b"")
    replace_in_part(path, "xl/worksheets/sheet1.xml", b"</sheetData>",
                    b'<row r="2000000"><c r="ZZ2000000"><v>1</v></c></row></sheetData>')
    _only_error(path, "dimension")


def test_xml_entities_are_refused(tmp_path: Path) -> None:
    path = write_book(tmp_path / "laughs.xlsx", minimal_sheets())
    replace_in_part(path, "xl/workbook.xml", b"<workbook",
                    b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><workbook')
    assert "entities" in _only_error(path, "xml_entities")


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    assert "Word document" in _only_error(path, "not_excel")


def test_garbage_workbook_part_is_one_problem(tmp_path: Path) -> None:
    """Whatever a parser raises (here an XML syntax error) becomes one problem."""
    path = write_book(tmp_path / "junk.xlsx", minimal_sheets())
    replace_in_part(path, "xl/workbook.xml", b"<workbook", b"<<<not xml<workbook")
    assert "damaged" in _only_error(path, "damaged")


def test_sniff() -> None:
    assert sniff(b"PK\x03\x04rest") == "zip"
    assert sniff(OLE2 + b"rest") == "ole2"
    assert sniff(b"\xef\xbb\xbf  <html>") == "html"
    assert sniff(b"unit_id,name\n") == "text"
    assert sniff(b"%PDF-1.7") == "pdf"
