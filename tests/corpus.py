"""Hostile, broken and messy input files, built on demand (nothing large is stored).

Each builder takes a folder and returns the path it wrote. Workbooks come from
independent writers (xlsxwriter, openpyxl, odfpy) and are then taken apart with a small
zip writer of our own, so a test can lie in a header, break a checksum or put an entity
in any part. ``HOSTILE`` lists the files that must be refused, each with the problem code
and a phrase the message must contain; ``bench/hostile_import.py`` times the same list.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import xlsxwriter

from capacity_planner.io.preflight import OLE2
from test_io_fixtures import minimal_sheets, write_book

Builder = Callable[[Path], Path]
SHEET = "xl/worksheets/sheet1.xml"  # the Units sheet
# Every part of an xlsxwriter workbook that an XML parser might see
PARTS = ("[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml",
         "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
         "xl/sharedStrings.xml", "xl/theme/theme1.xml", SHEET)
LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;")
                                                    * 10) for i in range(1, 10))
          + b"]>")
EXTERNAL = b'<!DOCTYPE z [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


# ---- writing zips by hand ---------------------------------------------------------------
def xlsx_book(path: Path, sheets: dict[str, list[list[object]]] | None = None) -> Path:
    """A valid planning workbook from xlsxwriter: shared strings, styles, theme, docProps."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False,
                                           "strings_to_formulas": False})
    for name, rows in (sheets or minimal_sheets()).items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    book.close()
    return path


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def write_zip(path: Path, parts: dict[str, bytes], *, declared: dict[str, int] | None = None,
              crc: dict[str, int] | None = None, flags: dict[str, int] | None = None) -> Path:
    """A zip written field by field, so sizes, checksums and flags can lie."""
    declared, crc, flags = declared or {}, crc or {}, flags or {}
    body = bytearray()
    central = bytearray()
    for name, data in parts.items():
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        packed = packer.compress(data) + packer.flush()
        size = declared.get(name, len(data))
        check = crc.get(name, zlib.crc32(data))
        flag = flags.get(name, 0)
        raw = name.encode()
        offset = len(body)
        body += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, flag, 8, 0, 0x21, check,
                            len(packed), size, len(raw), 0) + raw + packed
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, flag, 8, 0,
                               0x21, check, len(packed), size, len(raw), 0, 0, 0, 0, 0,
                               offset) + raw
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(parts), len(parts),
                      len(central), len(body), 0)
    path.write_bytes(bytes(body + central + end))
    return path


def with_part(path: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    parts = parts_of(path)
    new = change(parts[part])
    assert new != parts[part], f"{part} unchanged"
    parts[part] = new
    return write_zip(path, parts)


def _after_prolog(data: bytes, insert: bytes) -> bytes:
    """``insert`` after the XML declaration, behind a 5 KB comment (a check that reads only
    a part's first 4 KB must not be enough)."""
    padding = b"<!--" + b" padding " * 600 + b"-->"
    if data.startswith(b"<?xml"):
        end = data.index(b"?>") + 2
        return data[:end] + padding + insert + data[end:]
    return padding + insert + data


# ---- hostile files ------------------------------------------------------------------------
def entities(part: str, external: bool = False) -> Builder:
    def build(folder: Path) -> Path:
        path = xlsx_book(folder / "entities.xlsx")
        return with_part(path, part, lambda d: _after_prolog(d, EXTERNAL if external
                                                             else LAUGHS))
    return build


def huge_sheet_xml(folder: Path) -> Path:
    """A sheet that inflates to 300 MB of spaces from about 300 KB."""
    parts = parts_of(xlsx_book(folder / "huge.xlsx"))
    parts[SHEET] = parts[SHEET].replace(b"<sheetData>", b"<sheetData>" + b" " * 300 * 2**20)
    return write_zip(folder / "huge.xlsx", parts)


def many_sheets(folder: Path) -> Path:
    """2,000 sheets of 100 KB of spaces each: every part small, the whole 200 MB."""
    parts = parts_of(xlsx_book(folder / "many.xlsx"))
    filler = b"<worksheet>" + b" " * 100_000 + b"</worksheet>"
    for i in range(2000):
        parts[f"xl/worksheets/extra{i}.xml"] = filler
    return write_zip(folder / "many.xlsx", parts)


def lying_size(folder: Path) -> Path:
    """The Units sheet declares 2 KB but inflates to 50 MB."""
    parts = parts_of(xlsx_book(folder / "lying.xlsx"))
    parts[SHEET] = parts[SHEET].replace(b"<sheetData>", b"<sheetData>" + b" " * 50 * 2**20)
    return write_zip(folder / "lying.xlsx", parts, declared={SHEET: 2048})


def far_cell(folder: Path) -> Path:
    """Five KB with one cell at XFD1048576: calamine would allocate ~512 GiB and abort."""
    def change(d: bytes) -> bytes:
        d = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', d)
        return d.replace(b"</sheetData>",
                         b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    return with_part(xlsx_book(folder / "far.xlsx"), SHEET, change)


def far_cell_hidden(folder: Path) -> Path:
    """The far cell with no dimension, its reference in single quotes and after another
    attribute: byte searches for ``<c r="`` would miss it."""
    def change(d: bytes) -> bytes:
        d = re.sub(rb'<dimension ref="[^"]*"/>', b"", d)
        return d.replace(b"</sheetData>",
                         b"<row r='1048576'><c t='n' r = 'XFD1048576'><v>1</v></c></row>"
                         b"</sheetData>")
    return with_part(xlsx_book(folder / "far2.xlsx"), SHEET, change)


def beyond_excel(folder: Path) -> Path:
    """A cell reference past Excel's last row (``A99999999999``)."""
    return with_part(xlsx_book(folder / "beyond.xlsx"), SHEET,
                     lambda d: d.replace(b'r="A3"', b'r="A99999999999"'))


def positionless_cells(folder: Path) -> Path:
    """16,384 cells with no reference on row 1,048,576: the extent cannot be read from the
    bytes, so the file is parsed in a memory-limited child, where calamine runs out."""
    def change(d: bytes) -> bytes:
        d = re.sub(rb'<dimension ref="[^"]*"/>', b"", d)
        return d.replace(b"</sheetData>", b'<row r="1048576">' + b"<c><v>1</v></c>" * 16384
                         + b"</row></sheetData>")
    return with_part(xlsx_book(folder / "positionless.xlsx"), SHEET, change)


def string_count(folder: Path) -> Path:
    """Shared strings claiming 4 billion unique strings (calamine reserves them first)."""
    return with_part(xlsx_book(folder / "count.xlsx"), "xl/sharedStrings.xml",
                     lambda d: re.sub(rb'uniqueCount="\d+"', b'uniqueCount="4000000000"', d))


def utf16_part(folder: Path) -> Path:
    """A sheet re-encoded as UTF-16, which byte-level checks cannot read."""
    def change(d: bytes) -> bytes:
        return d.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    return with_part(xlsx_book(folder / "utf16.xlsx"), SHEET, change)


def truncated(folder: Path) -> Path:
    path = xlsx_book(folder / "truncated.xlsx")
    path.write_bytes(path.read_bytes()[:1500])
    return path


def empty(folder: Path) -> Path:
    path = folder / "empty.xlsx"
    path.write_bytes(b"")
    return path


def crc_corrupt(folder: Path) -> Path:
    path = xlsx_book(folder / "crc.xlsx")
    return write_zip(path, parts_of(path), crc={SHEET: 0xDEADBEEF})


def zip_encrypted(folder: Path) -> Path:
    """Parts flagged as encrypted (legacy zip passwords)."""
    path = xlsx_book(folder / "zipcrypt.xlsx")
    return write_zip(path, parts_of(path), flags={SHEET: 1})


def ole2(folder: Path, encrypted: bool) -> Path:
    """A compound file: Excel's container for password-protected workbooks (it holds an
    ``EncryptedPackage`` stream) and for old ``.xls`` files."""
    path = folder / ("locked.xlsx" if encrypted else "old.xls")
    stream = "EncryptedPackage" if encrypted else "Workbook"
    path.write_bytes(OLE2 + b"\x00" * 504 + stream.encode("utf-16-le") + b"\x00" * 512)
    return path


def html_as_xls(folder: Path) -> Path:
    path = folder / "report.xls"
    path.write_text("<html><body><table><tr><td>unit_id</td></tr></table></body></html>")
    return path


def csv_as_xlsx(folder: Path) -> Path:
    path = folder / "units.xlsx"
    path.write_text("unit_id,name\nSURREY,Surrey Police\n", encoding="utf-8")
    return path


def xlsb(folder: Path) -> Path:
    return write_zip(folder / "binary.xlsx", {"xl/workbook.bin": b"\x00" * 64,
                                              "[Content_Types].xml": b"<Types/>"})


HOSTILE: dict[str, tuple[Builder, str, str]] = {
    **{f"entity expansion in {p}": (entities(p), "xml_entities", "entities") for p in PARTS},
    **{f"external entity in {p}": (entities(p, external=True), "xml_entities", "entities")
       for p in PARTS},
    "huge sheet XML": (huge_sheet_xml, "zip_bomb", "zip bomb"),
    "many sheets": (many_sheets, "zip_bomb", "zip bomb"),
    "lying declared size": (lying_size, "zip_bomb", "declares"),
    "cell at XFD1048576": (far_cell, "dimension", "XFD1048576"),
    "far cell in single quotes": (far_cell_hidden, "dimension", "XFD1048576"),
    "cell past Excel's last row": (beyond_excel, "dimension", "past the last cell"),
    "cells without positions": (positionless_cells, "too_large", "memory"),
    "4 billion shared strings": (string_count, "crafted", "claims more strings"),
    "UTF-16 sheet": (utf16_part, "encoding", "not UTF-8"),
    "truncated zip": (truncated, "damaged", "damaged"),
    "empty file": (empty, "empty", "empty"),
    "CRC-corrupt zip": (crc_corrupt, "damaged", "checksum"),
    "zip-encrypted parts": (zip_encrypted, "encrypted", "password-protected"),
    "password-protected (OLE2)": (lambda f: ole2(f, True), "encrypted", "password-protected"),
    "old .xls": (lambda f: ole2(f, False), "old_format", "old-format Excel file"),
    "HTML saved as .xls": (html_as_xls, "html", "web page"),
    "CSV renamed .xlsx": (csv_as_xlsx, "not_excel", "Not an Excel file"),
    "binary .xlsb": (xlsb, "xlsb", ".xlsb"),
}


# ---- valid but unusual files ----------------------------------------------------------------
def xlsm_with_macros(folder: Path) -> Path:
    """A macro-enabled workbook: the macros are never run, the tables are read."""
    path = xlsx_book(folder / "macros.xlsm")
    parts = parts_of(path)
    parts["xl/vbaProject.bin"] = OLE2 + b"\x00" * 1024
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Default Extension="bin" ContentType="application/'
                     b'vnd.ms-office.vbaProject"/></Types>')
    return write_zip(path, parts)


def ods_book(folder: Path) -> Path:
    """The minimal model as OpenDocument, written by odfpy (no LibreOffice needed)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, rows in minimal_sheets().items():
        table = Table(name=name)
        for row in rows:
            tr = TableRow()
            for value in row:
                if value is None:
                    tr.addElement(TableCell())
                elif isinstance(value, int | float):
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value)))
                    tr.addElement(cell)
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=str(value)))
                    tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    path = folder / "model.ods"
    doc.save(str(path))
    return path


def messy_book(folder: Path) -> Path:
    """Real-world layout: a merged title, the Establishment table offset to C4 under notes,
    continental and percent text numbers, a date as a period, and IDs with leading zeros."""
    import datetime as dt

    import openpyxl

    sheets = minimal_sheets()
    est = sheets.pop("Establishment")
    est[1][2], est[1][3], est[3][6] = "6,0", "3,0", "25%"
    sheets["Demand"][2][3] = "400.000,0"
    path = write_book(folder / "messy.xlsx", sheets)
    book = openpyxl.load_workbook(path)
    sheet = book.create_sheet("Establishment", 2)
    sheet["A1"] = "Establishment at 31 March 2025 (all forces)"
    sheet.merge_cells("A1:I1")
    sheet["A2"] = "Source: HR extract"
    for r, row in enumerate(est, start=4):
        for c, value in enumerate(row, start=3):
            sheet.cell(r, c, value)
    book["Units"].append(["00123", "Team with a numeric code", "team"])
    periods = book["Periods"]
    periods["A3"] = dt.datetime(2026, 4, 1)
    for row in book["Demand"].iter_rows(min_row=2):
        if row[2].value == "2026/27":
            row[2].value = dt.datetime(2026, 4, 1)
    book.save(path)
    return path


def colliding_keys(folder: Path) -> Path:
    """Unit IDs that differ only in a trailing non-breaking space, case, or Unicode form."""
    sheets = minimal_sheets()
    sheets["Units"] += [["SURREY\u00a0", "Surrey again, with a stray space", "force"],
                        ["Cafe\u0301", "Decomposed accent", "team"],
                        ["Caf\u00e9", "Composed accent", "team"],
                        ["ＫＥＮＴ", "Full-width letters", "force"], ["KENT", "Kent", "force"]]
    return write_book(folder / "collisions.xlsx", sheets)


DEMAND_HEADER = "unit_id{d}stream_id{d}period{d}hours{d}min_service_pct"


def csv_variant(name: str) -> Builder:
    """The Demand table as CSV, as different programs save it. Hours 1,650.5 and minimum
    service 25 % in every variant."""
    def build(folder: Path) -> Path:
        path = folder / f"demand_{name.replace(' ', '_')}.csv"
        if name == "semicolon decimal comma":
            text = DEMAND_HEADER.format(d=";") + "\nSURREY;SOC_INV;2025/26;1.650,5;25%\n"
            path.write_text(text, encoding="utf-8")
        elif name == "utf-8 BOM":
            text = DEMAND_HEADER.format(d=",") + "\nSURREY,SOC_INV,2025/26,\"1,650.5\",25\n"
            path.write_bytes(b"\xef\xbb\xbf" + text.encode())
        elif name == "cp1252":
            text = DEMAND_HEADER.format(d=",") + ",note\nSURREY,SOC_INV,2025/26,1650.5,25,£ café\n"
            path.write_bytes(text.encode("cp1252"))
        elif name == "utf-16 tab":
            text = DEMAND_HEADER.format(d="\t") + "\r\nSURREY\tSOC_INV\t2025/26\t1650.5\t25%\r\n"
            path.write_bytes(text.encode("utf-16"))
        return path
    return build


CSV_VARIANTS = ("semicolon decimal comma", "utf-8 BOM", "cp1252", "utf-16 tab")
