"""Pre-flight: look at an untrusted file before any parser does (DESIGN section 8).

The real type comes from the first bytes, not the name: a zip (``.xlsx``/``.xlsm``/
``.ods``), OLE2 (an old ``.xls``, or any password-protected Office file), HTML (a web
page saved as ``.xls``), text (CSV). A zip's directory is checked before anything is
inflated, then every part is inflated once in a stream to prove its size, checksum and
encoding and that it declares no DTD or entities (``preflight_zip``): for ``.xlsx``, the
shared parts first, then each sheet with its own scan, in worker threads, so that each
can be vouched for (in tab order) as soon as it and the sheets before it have passed.
Each worksheet to be read is scanned once for the cells' true extent (a 5 KB file with
one cell at ``XFD1048576`` would make calamine allocate hundreds of GiB and abort the
process) and, for ``.xlsx``, for what calamine hides (see ``reader_xlsx``). A file too
large to parse safely in this process, or whose extent cannot be proven, is marked
``isolate``: the reader then parses it in a child process with a memory limit
(``io.isolate``). Nothing here raises for a bad file: problems are values.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from capacity_planner.domain.problems import Location, Problem, error, note
from capacity_planner.io import preflight_ods, reader_xlsx
from capacity_planner.io.preflight_zip import (
    MAX_PART_INFLATED,
    Refusal,
    Streams,
    check_archive,
    check_directory,
    check_entries,
)
from capacity_planner.io.reader_xlsx import SheetPart, SheetScan

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_CELLS = 5_000_000  # per sheet, counted from A1 (what calamine allocates)
# Larger files are parsed in a child process with a memory limit (io.isolate): a parse
# needs several times the XML's size, and calamine aborts the process when it cannot
# allocate. A national model is a few MB.
IN_PROCESS_BYTES = 48 * 1024 * 1024  # inflated zip parts, or a CSV's size
IN_PROCESS_CELLS = 1_000_000  # per sheet read

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = (b"PK\x03\x04", b"PK\x05\x06")
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_SST_COUNT = re.compile(rb"""\buniqueCount\s*=\s*["']\s*([0-9]+)""")


@dataclass
class Preflight:
    """The verdict on one file: its real kind and, for workbooks, its sheets."""

    path: Path
    kind: str = ""  # "xlsx", "ods", "csv" or "" when refused
    problems: list[Problem] = field(default_factory=list)
    sheets: list[SheetPart] = field(default_factory=list)
    scans: dict[str, SheetScan] = field(default_factory=dict)  # by sheet name
    # Why this file must be parsed in a child process with a memory limit ("" if not)
    isolate: str = ""
    inflated: int = 0  # bytes, all zip parts (the file's size for CSV)

    @property
    def ok(self) -> bool:
        return bool(self.kind) and not any(p.is_error for p in self.problems)

    def refuse(self, message: str, expected: str = "", code: str = "file") -> Preflight:
        self.problems.append(error(message, Location(file=str(self.path)),
                                   expected=expected, code=code))
        self.kind = ""
        return self


def sniff(head: bytes) -> str:
    """The real type of a file from its first bytes."""
    if head.startswith(ZIP):
        return "zip"
    if head.startswith(OLE2):
        return "ole2"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text ("Unicode text" in Excel)
        codec = "utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be"
        decoded = head[2:1024].decode(codec, "ignore").lstrip().lower()
        return "html" if decoded.startswith(("<!doctype html", "<html", "<table")) else "utf16"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<head", b"<body")):
        return "html"
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        return "xml"
    if head.startswith(b"%PDF"):
        return "pdf"
    if b"\x00" in head[:4096]:
        return "binary"
    return "text"


def preflight(path: str | os.PathLike[str], wanted: Callable[[str], bool] | None = None,
              vouched: Callable[[str], None] | None = None) -> Preflight:
    """Check ``path``; ``wanted(sheet_name)`` says which sheets will be read (default all).
    ``vouched(sheet_name)`` is called for each ``.xlsx`` sheet, in tab order, as soon as
    it is safe to parse in this process (the zip directory and every part that is not a
    worksheet passed, the sheet's own part passed its stream check and its extent is
    proved, nothing so far sends the file to the child), so a reader may start parsing it
    while the other sheets are checked; a later refusal or ``isolate`` withdraws that."""
    p = Path(path)
    result = Preflight(p)
    try:
        if not p.exists():
            return result.refuse("File not found", code="missing")
        if p.is_dir():
            return result.refuse("This is a folder, not a workbook", code="missing")
        size = p.stat().st_size
        if size == 0:
            return result.refuse("The file is empty (0 bytes): damaged or not saved properly",
                                 code="empty")
        if size > MAX_FILE_BYTES:
            return result.refuse(f"The file is too large to be a planning workbook "
                                 f"({size / 2**20:,.0f} MB)", code="size")
        with open(p, "rb") as handle:
            head = handle.read(8192)
    except OSError as exc:
        return result.refuse(f"The file cannot be opened: {exc.strerror or exc}", code="os")
    kind = sniff(head)
    if kind == "zip":
        return _check_zip(result, wanted, vouched)
    if kind == "ole2":
        if "EncryptedPackage".encode("utf-16-le") in _read_all(p):
            return result.refuse("The workbook is password-protected (encrypted); save a "
                                 "copy without a password to open it here",
                                 code="encrypted")
        return result.refuse("This is an old-format Excel file (.xls, Excel 97-2003) or "
                             "another Office document, not an .xlsx workbook",
                             expected="open it in Excel and save it as .xlsx",
                             code="old_format")
    if kind == "utf16":
        kind = "text"
    if kind == "html":
        return result.refuse("This is a web page (HTML) saved with a spreadsheet name, not "
                             "an Excel file", expected="an .xlsx, .ods or .csv file",
                             code="html")
    if kind in ("xml", "pdf", "binary"):
        label = {"xml": "an XML file", "pdf": "a PDF", "binary": "a binary file"}[kind]
        return result.refuse(f"Not an Excel file: this is {label}",
                             expected="an .xlsx, .xlsm, .ods or .csv file", code="not_excel")
    if p.suffix.lower() in (".xlsx", ".xlsm", ".ods", ".xls"):
        return result.refuse(f"Not an Excel file: this is text (CSV or similar) named "
                             f"{p.suffix}", expected="rename it .csv, or save it as .xlsx",
                             code="not_excel")
    result.kind = "csv"
    result.inflated = size
    if size > IN_PROCESS_BYTES:
        result.isolate = f"a {size / 2**20:,.0f} MB text file"
    return result


def _read_all(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(MAX_FILE_BYTES)


def _check_zip(result: Preflight, wanted: Callable[[str], bool] | None,
               vouched: Callable[[str], None] | None = None) -> Preflight:
    try:
        zf = zipfile.ZipFile(result.path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return result.refuse("The workbook is damaged: it is truncated or not a complete "
                             "zip archive (was it copied or downloaded completely?)",
                             code="damaged")
    with zf:
        try:
            if "xl/workbook.xml" in zf.namelist():
                return _check_xlsx(result, zf, wanted, vouched)
            archive = check_archive(result.path, zf)
            if archive.refusal is not None:
                return result.refuse(archive.refusal.message, code=archive.refusal.code)
            _note_size(result, archive.inflated)
            names = set(zf.namelist())
            if "xl/workbook.bin" in names:
                return result.refuse("This is a binary Excel workbook (.xlsb)",
                                     expected="save it as .xlsx", code="xlsb")
            if "mimetype" in names and zf.read("mimetype").strip() == ODS_MIME:
                result.kind = "ods"
                return _check_ods(result, zf)
            if "word/document.xml" in names:
                return result.refuse("Not an Excel file: this is a Word document",
                                     code="not_excel")
            return result.refuse("Not an Excel file: a zip archive without a workbook in it",
                                 code="not_excel")
        except Exception as exc:  # noqa: BLE001 - any failure inflating is a damaged file
            return result.refuse(f"The workbook is damaged ({_reason(exc)})", code="damaged")


def _note_size(result: Preflight, inflated: int) -> None:
    result.inflated = inflated
    if inflated > IN_PROCESS_BYTES:
        result.isolate = f"{inflated / 2**20:,.0f} MB of XML"


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _is_sheet_part(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _check_xlsx(result: Preflight, zf: zipfile.ZipFile, wanted: Callable[[str], bool] | None,
                vouched: Callable[[str], None] | None = None) -> Preflight:
    """The directory pass, then the stream pass in the order the parses need it: first
    every part that is not a worksheet (calamine's open reads the workbook, its
    relationships, shared strings and styles), then each sheet to be read
    (``_check_sheets``), then the parts no sheet to be read uses. A refusal after a vouch withdraws it (the
    caller drops what it started)."""
    refusal = check_directory(zf)
    if refusal is not None:
        return result.refuse(refusal.message, code=refusal.code)
    _note_size(result, sum(i.file_size for i in zf.infolist()))
    with Streams(result.path, zf) as streams:
        refusal = streams.check_where(lambda name: not _is_sheet_part(name), None, {})
        if refusal is not None:
            return result.refuse(refusal.message, code=refusal.code)
        result.kind = "xlsx"
        if not _check_shared_parts(result, zf):
            return result
        sheets = [s for s in result.sheets if wanted is None or wanted(s.name)]
        if not _check_sheets(result, zf, streams, sheets, vouched):
            return result
        refusal = streams.check_where(lambda name: True, None, {})
        if refusal is not None:
            return result.refuse(refusal.message, code=refusal.code)
    return result


SHEET_WORKERS = 2  # threads checking sheets at once (the inflate, CRC and numpy free the GIL)


@dataclass
class _SheetCheck:
    """One sheet's own check, made in a worker thread: why its part is refused, or its
    scan and what that scan alone means (a refusal, or a reason to isolate the file)."""

    refusal: Refusal | None = None
    scan: SheetScan | None = None
    problem: Problem | None = None
    isolate: str = ""


def _check_sheets(result: Preflight, zf: zipfile.ZipFile, streams: Streams,
                  sheets: list[SheetPart], vouched: Callable[[str], None] | None) -> bool:
    """Each sheet's stream check and scan, in worker threads so that they overlap one
    another and the parses already vouched for. The verdicts are taken in tab order, each
    as soon as its own check and those of the sheets before it have passed, exactly as
    one after another: the sheets are vouched for in tab order (so that the parses begin
    in that order, the largest tables first in a planning workbook, rather than a small
    sheet taking a parse thread first), the first sheet refused is the one reported, and
    the checks after it are ignored (cancelled if not begun). False when refused. A file
    already sent to the child is checked one sheet at a time (no more than one sheet is
    held inflated, as each is read again whole for its scan)."""
    names = set(zf.namelist())
    pct = reader_xlsx.percent_styles(zf)
    keep = not result.isolate  # each sheet is kept, inflated, for its scan
    pool = ThreadPoolExecutor(SHEET_WORKERS if keep else 1, thread_name_prefix="preflight")
    try:
        order: dict[Future[_SheetCheck], int] = {}
        for sheet in sheets:
            if sheet.part in names:
                check = pool.submit(_check_sheet, result.path, sheet, streams.claim(sheet.part),
                                    pct, keep)
            else:
                check = pool.submit(_SheetCheck, Refusal(
                    "damaged", f"The workbook is damaged: sheet {sheet.name!r} has no data "
                               "part"))
            order[check] = len(order)
        done: dict[int, Future[_SheetCheck]] = {}
        taken = 0
        for check in as_completed(order):
            done[order[check]] = check
            while taken in done:  # the verdicts in tab order
                if not _take(result, sheets[taken], done.pop(taken).result()):
                    return False
                if vouched is not None and not result.isolate:
                    vouched(sheets[taken].name)
                taken += 1
        return True
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _check_sheet(path: Path, sheet: SheetPart, entries: list[zipfile.ZipInfo], pct: set[int],
                 keep: bool) -> _SheetCheck:
    """One sheet's stream check and scan (in a worker thread: its own file handles). The
    inflated sheet is dropped when this returns."""
    refusal, data = check_entries(path, entries, keep)
    if refusal is not None:
        return _SheetCheck(refusal)
    if data is None:  # not kept, or its part was checked for an earlier sheet
        with zipfile.ZipFile(path) as zf:
            data = reader_xlsx.read_part(zf, sheet.part, MAX_PART_INFLATED)
    scan = reader_xlsx.scan_sheet(data, pct, MAX_CELLS)
    del data
    problem, isolate = _judge(path, sheet, scan)
    return _SheetCheck(None, scan, problem, isolate)


def _take(result: Preflight, sheet: SheetPart, check: _SheetCheck) -> bool:
    """One sheet's verdict into ``result``. False when refused."""
    if check.refusal is not None:
        result.refuse(check.refusal.message, code=check.refusal.code)
        return False
    if check.problem is not None:
        result.problems.append(check.problem)
        result.kind = ""
        return False
    if check.isolate and not result.isolate:
        result.isolate = check.isolate
    if check.scan is not None:
        result.scans[sheet.name] = check.scan
    return True


def _check_shared_parts(result: Preflight, zf: zipfile.ZipFile) -> bool:
    """The workbook's own parts, parsed once their streams have passed: the sheets, the
    macro note and the shared strings' declared count. False when refused."""
    result.sheets = reader_xlsx.sheet_parts(zf)
    names = set(zf.namelist())
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        result.problems.append(note("The workbook contains macros; they are never run, only "
                                    "its tables are read", Location(file=str(result.path)),
                                    code="macros"))
    for part in reader_xlsx.shared_strings_parts(zf):
        if part in names and not _plausible_counts(zf, part):
            result.refuse(f"The workbook part {part} claims more strings than it could "
                          "hold; refused (damaged or crafted file)", code="crafted")
            return False
    return True


def _judge(path: Path, sheet: SheetPart, scan: SheetScan) -> tuple[Problem | None, str]:
    """What one sheet's scan means: a refusal for an absurd extent, or why the file must be
    parsed in the child (an unproved or large extent); (None, "") when neither."""
    cells = max(scan.declared_cells, scan.max_row * scan.max_col)
    if scan.beyond_excel or cells > MAX_CELLS:
        where = (f"A1:{reader_xlsx.column_letters(scan.max_col)}{scan.max_row}"
                 if scan.max_row * scan.max_col > scan.declared_cells else scan.declared)
        beyond = ", past the last cell Excel allows (XFD1048576)" if scan.beyond_excel else ""
        return error(
            f"Sheet {sheet.name!r} spans {where} ({cells:,} cells){beyond}, far beyond "
            "any planning table; refused (damaged or crafted file). Delete the unused "
            "rows and columns in Excel and save again",
            Location(file=str(path), sheet=sheet.name), code="dimension"), ""
    if scan.unverified:
        return None, f"sheet {sheet.name!r} has {scan.unverified}"
    if cells > IN_PROCESS_CELLS:
        return None, f"sheet {sheet.name!r} spans {cells:,} cells"
    return None, ""


def _plausible_counts(zf: zipfile.ZipFile, part: str) -> bool:
    """calamine reserves memory for the unique string count the shared strings part declares
    before reading one; a 1 KB part claiming 4 billion strings aborts the process. Each
    string takes at least 10 bytes of XML (``<si><t/></si>``)."""
    info = zf.getinfo(part)
    with zf.open(info) as handle:
        head = handle.read(4096)
    root = head.find(b"sst")
    tag = head[root:head.find(b">", root)] if root >= 0 else b""
    limit = info.file_size // 10 + 16
    return all(int(m.group(1)) <= limit for m in _SST_COUNT.finditer(tag))


def _check_ods(result: Preflight, zf: zipfile.ZipFile) -> Preflight:
    """An ``.ods``: its content part, and the values it repeats (``preflight_ods``)."""
    if "content.xml" not in zf.namelist():
        return result.refuse("The spreadsheet is damaged: it has no content", code="damaged")
    data = reader_xlsx.read_part(zf, "content.xml", MAX_PART_INFLATED)
    if not preflight_ods.usual_namespace(data) and not result.isolate:
        result.isolate = "its tables use unusual namespace prefixes"
    cells = preflight_ods.largest_repeat(data, MAX_CELLS)
    if cells > MAX_CELLS:
        return result.refuse(f"The spreadsheet repeats values over {cells:,} cells; "
                             "refused (damaged or crafted file)", code="dimension")
    return result
