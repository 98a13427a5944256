"""What calamine does not tell: the parts of an ``.xlsx`` that need the XML itself.

calamine reads values fast but turns error cells (``#REF!``) and formulas with no saved
value into blanks and drops number formats. This module reads the workbook's own parts
(with defusedxml) to learn the sheet names, their visibility and their XML parts, and
scans each sheet's XML with byte searches (no per-cell Python work unless such cells
exist) for: the cells' true extent, error cells, formulas without a saved value and
percentage-formatted cells. Positions are (Excel row, 0-based column).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from defusedxml import ElementTree

from capacity_planner.io.reader_xlsx_extent import vector_extent

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
PERCENT_BUILTIN = {9, 10}
Cell = tuple[int, int]

_REF = re.compile(rb"""(?<=\s)r\s*=\s*["']([A-Z]{1,3})([0-9]{1,7})["']""")
# Every ``r`` attribute (rows and cells), however it is quoted; and the canonical forms
# Excel, LibreOffice, openpyxl and xlsxwriter write. Anything else is unusual enough that
# the extent is not trusted to byte searches (the sheet is parsed in a child process).
MAX_ROW, MAX_COL = 1_048_576, 16_384  # Excel's limits
VECTOR_BYTES = 256 * 1024  # smaller sheets are scanned by regex (numpy's set-up costs more)
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?([0-9]{1,7})?'
                        rb'(?::([A-Z]{1,3})([0-9]{1,7}))?"')
_ROOT = re.compile(rb"<(\w+:)?worksheet[\s>]")
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


@dataclass(frozen=True)
class SheetPart:
    name: str
    part: str  # path inside the zip, e.g. xl/worksheets/sheet1.xml
    hidden: bool


@dataclass
class SheetScan:
    """What the XML of one sheet says beyond calamine's values."""

    max_row: int = 0
    max_col: int = 0  # 1-based
    # Why the extent above cannot be trusted ("" when it can): the sheet is then parsed in
    # a child process with a memory limit.
    unverified: str = ""
    beyond_excel: bool = False  # a cell or row past XFD1048576: never written by Excel
    declared: str = ""  # the <dimension ref>
    declared_cells: int = 0
    errors: dict[Cell, str] = field(default_factory=dict)
    formulas_without_value: set[Cell] = field(default_factory=set)
    percent_cells: set[Cell] = field(default_factory=set)


def column_number(letters: bytes | str) -> int:
    """``A`` -> 1, ``XFD`` -> 16384."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(number: int) -> str:
    """1 -> ``A``."""
    out = ""
    while number > 0:
        number, rem = divmod(number - 1, 26)
        out = chr(65 + rem) + out
    return out


def sheet_parts(zf: zipfile.ZipFile) -> list[SheetPart]:
    """The workbook's sheets in tab order with their XML parts and visibility."""
    book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels_name = "xl/_rels/workbook.xml.rels"
    targets: dict[str, str] = {}
    if rels_name in zf.namelist():
        for rel in ElementTree.fromstring(zf.read(rels_name)):
            targets[rel.get("Id", "")] = _target(rel.get("Target", ""))
    out = []
    for sheet in book.iter():
        if not sheet.tag.endswith("}sheet") and sheet.tag != "sheet":
            continue
        rid = sheet.get(f"{{{REL_NS}}}id") or sheet.get("id") or ""
        state = (sheet.get("state") or "visible").lower()
        out.append(SheetPart(sheet.get("name", ""), targets.get(rid, ""), state != "visible"))
    return out


def shared_strings_parts(zf: zipfile.ZipFile) -> list[str]:
    """The shared strings part(s) the workbook's relationships name, and the usual one."""
    found = {"xl/sharedStrings.xml"}
    rels_name = "xl/_rels/workbook.xml.rels"
    if rels_name in zf.namelist():
        for rel in ElementTree.fromstring(zf.read(rels_name)):
            if rel.get("Type", "").lower().endswith("/sharedstrings"):
                found.add(_target(rel.get("Target", "")))
    return sorted(found)


def _target(target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join("xl", target))


def percent_styles(zf: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell formats (``s=`` in a cell) whose number format shows a percent."""
    if "xl/styles.xml" not in zf.namelist():
        return set()
    root = ElementTree.fromstring(zf.read("xl/styles.xml"))
    custom: dict[int, str] = {}
    for fmt in root.iter(f"{{{MAIN_NS}}}numFmt"):
        try:
            custom[int(fmt.get("numFmtId", "-1"))] = fmt.get("formatCode", "")
        except ValueError:
            continue
    out: set[int] = set()
    xfs = next(root.iter(f"{{{MAIN_NS}}}cellXfs"), None)
    if xfs is None:
        return out
    for index, xf in enumerate(xfs.iter(f"{{{MAIN_NS}}}xf")):
        try:
            fmt_id = int(xf.get("numFmtId", "0"))
        except ValueError:
            continue
        if fmt_id in PERCENT_BUILTIN or "%" in _QUOTED.sub("", custom.get(fmt_id, "")):
            out.add(index)
    return out


def read_part(zf: zipfile.ZipFile, part: str, limit: int) -> bytes:
    """A part's bytes, refusing to inflate more than ``limit`` whatever its header says."""
    with zf.open(part) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"{part} inflates to more than {limit:,} bytes")
    return data


def _ref(text: bytes) -> Cell | None:
    m = _REF.search(text)
    if not m:
        return None
    return int(m.group(2)), column_number(m.group(1)) - 1


def _cell_tag_start(data: bytes, pos: int, open_c: bytes) -> int:
    """Start of the ``<c ...>`` tag that contains or precedes ``pos``."""
    return data.rfind(open_c, 0, pos + 1)


def scan_sheet(data: bytes, pct_styles: set[int], max_cells: int) -> SheetScan:
    """Extent, error cells, formulas without a saved value and percent cells of a sheet."""
    head = data[:4096]
    root = _ROOT.search(head)
    prefix = root.group(1) or b"" if root else b""
    open_c = b"<" + prefix + b"c "
    close_c = b"</" + prefix + b"c>"
    scan = SheetScan()
    vector = vector_extent(data, prefix) if len(data) >= VECTOR_BYTES else None
    scan.unverified = vector.unusual if vector is not None else _unusual(data, prefix)
    dim = _DIMENSION.search(head)
    if dim:
        scan.declared = dim.group(0).split(b'"')[1].decode("ascii")
        last_col = dim.group(3) or dim.group(1) or b"A"
        last_row = dim.group(4) or dim.group(2) or b"1"
        scan.max_col, scan.max_row = column_number(last_col), int(last_row)
        scan.declared_cells = scan.max_col * scan.max_row
        if scan.declared_cells > max_cells:
            return scan  # refused by the caller; scanning further is pointless
        if vector is not None and not vector.unusual:
            if vector.max_row > scan.max_row or vector.max_col > scan.max_col:
                scan.max_row, scan.max_col = vector.max_row, vector.max_col
        elif _has_ref_beyond(data, scan.max_row, scan.max_col, scan.unverified):
            scan.max_row, scan.max_col = _true_extent(data)
    elif vector is not None and not vector.unusual:
        scan.max_row, scan.max_col = vector.max_row, vector.max_col
    elif scan.unverified:
        scan.max_row, scan.max_col = _true_extent(data)
    else:
        scan.max_row, scan.max_col = _likely_extent(data, prefix)
        if _has_ref_beyond(data, scan.max_row, scan.max_col, scan.unverified):
            scan.max_row, scan.max_col = _true_extent(data)
    scan.beyond_excel = scan.max_row > MAX_ROW or scan.max_col > MAX_COL
    if scan.beyond_excel or scan.max_row * scan.max_col > max_cells:
        return scan  # refused by the caller
    # The vector scan's flags are complete when it proved the extent: skip what it ruled out
    proved = vector if vector is not None and not vector.unusual else None
    if proved is None or proved.errors:
        _scan_errors(data, scan, open_c, close_c, prefix)
    if proved is None or proved.formulas:
        _scan_formulas(data, scan, open_c, close_c, prefix)
    for style in pct_styles:
        needle = b' s="%d"' % style
        pos = data.find(needle)
        while pos >= 0:
            start = _cell_tag_start(data, pos, open_c)
            end = data.find(b">", start)
            if start >= 0 and end > pos:
                cell = _ref(data[start:end])
                if cell:
                    scan.percent_cells.add(cell)
            pos = data.find(needle, pos + 1)
    return scan


# An ``r`` attribute after a space but not written ``r="A1"`` (one to three capitals, one
# to seven digits): the pattern starts with a literal, so the search jumps from one
# `` r`` to the next in C and does no work per cell in Python.
_ODD_SPACE_R = re.compile(rb' r(?:="(?![A-Z]{0,3}[0-9]{1,7}")|=[^"]|\s+=)')
_ODD_WHITE_R = tuple(re.compile(w + rb"r\s*=") for w in (rb"\t", rb"\n", rb"\r", rb"\x0b",
                                                           rb"\x0c"))
_ROW_REF = re.compile(rb' r="[0-9]')
_PREFIXED_ANY = re.compile(rb":r\s*=")
_ENDS = (b" ", b">", b"/", b"\t", b"\n", b"\r")


def _unusual(data: bytes, prefix: bytes) -> str:
    """Why byte searches cannot be trusted with this sheet's extent, or "". Searches for
    the rare odd form, never a pass per cell: once every ``r`` attribute is known to be
    written `` r="A1"``, they are counted with ``bytes.count``."""
    if _ODD_SPACE_R.search(data) or any(p.search(data) for p in _ODD_WHITE_R):
        return "cell references written in an unusual way"
    if any(data[max(0, m.start() - 5):m.start()] != b"xmlns"
           for m in _PREFIXED_ANY.finditer(data)):
        return "cell references with a namespace prefix"
    refs = data.count(b' r="')
    row_refs = len(_ROW_REF.findall(data))
    cells = sum(data.count(b"<" + prefix + b"c" + end) for end in _ENDS)
    if cells != refs - row_refs:
        return "cells without a position"
    rows = sum(data.count(b"<" + prefix + b"row" + end) for end in _ENDS)
    if rows != row_refs:
        return "rows without a number"
    return ""


def _likely_extent(data: bytes, prefix: bytes) -> tuple[int, int]:
    """A guess at the extent of a sheet with no ``<dimension>``: the last row's number and
    the widest column of the first and last rows. The caller proves it (or finds the true
    extent) with ``_has_ref_beyond``."""
    rows = 0
    last = data.rfind(b"<" + prefix + b"row ")
    m = _LEAD_REF.search(data, last) if last >= 0 else None
    if m:
        rows = int(m.group(2))
    cols = 0
    for start in (data.find(b"<" + prefix + b"row "), last):
        if start < 0:
            continue
        end = data.find(b"</" + prefix + b"row>", start)
        for ref in _CELL_LETTERS.findall(data, start, end if end > 0 else len(data)):
            cols = max(cols, column_number(ref))
    return rows, cols


_LEAD_REF = re.compile(rb' r="([A-Z]{0,3})([0-9]{1,7})"')
_CELL_LETTERS = re.compile(rb' r="([A-Z]{1,3})[0-9]')


def _true_extent(data: bytes) -> tuple[int, int]:
    """The largest row and column any ``r=`` attribute names (rows and cells); letters and
    digits of any length, so a reference past Excel's limits is seen, not skipped."""
    rows = 0
    letters: set[bytes] = set()
    for m in re.finditer(rb"""(?<=\s)r\s*=\s*["']([A-Za-z]*)([0-9]+)["']""", data):
        if m.group(1):
            letters.add(m.group(1).upper())
        rows = max(rows, int(m.group(2)))
    cols = max((column_number(x) for x in letters), default=0)
    return rows, cols


def _greater_than(n: int) -> bytes:
    """A regex matching decimal numbers (no leading zeros) greater than ``n``."""
    digits = str(n)
    alts = [rb"[1-9][0-9]{%d,}" % len(digits)]
    for i, ch in enumerate(digits):
        d = int(ch)
        if d < 9:
            rest = len(digits) - i - 1
            alts.append(digits[:i].encode() + b"[%d-9]" % (d + 1) + b"[0-9]" * rest)
    return b"(?:" + b"|".join(alts) + b")"


def _letters_beyond(col: int) -> bytes:
    """A regex matching column letters after column ``col`` (same width or wider)."""
    letters = column_letters(col)
    width = len(letters)
    alts = [rb"[A-Z]{%d,3}" % (width + 1)] if width < 3 else []
    for i, ch in enumerate(letters):
        if ch < "Z":
            rest = width - i - 1
            alts.append(letters[:i].encode() + b"[%c-Z]" % (ord(ch) + 1) + b"[A-Z]" * rest)
    return b"(?:" + b"|".join(alts) + b")" if alts else b"(?!)"


def _has_ref_beyond(data: bytes, max_row: int, max_col: int, unverified: str = "") -> bool:
    """Is any cell or row placed outside ``max_row``/``max_col``? One regex search. When
    every ``r`` attribute is known to be written `` r="A1"`` (``unverified`` is ""), the
    pattern starts with that literal and the search runs in C from one to the next."""
    lead = rb'(?<=\s)r="' if unverified else rb' r="'
    pattern = (lead + rb"(?:" + _letters_beyond(max_col) + rb"[0-9]|[A-Z]{0,3}"
               + _greater_than(max_row) + rb'")')
    return re.search(pattern, data) is not None


def _scan_errors(data: bytes, scan: SheetScan, open_c: bytes, close_c: bytes,
                 prefix: bytes) -> None:
    pos = data.find(b' t="e"')
    v_open = b"<" + prefix + b"v>"
    while pos >= 0:
        start = _cell_tag_start(data, pos, open_c)
        end = data.find(close_c, pos)
        if start >= 0:
            cell = _ref(data[start:data.find(b">", start)])
            body = data[start:end] if end > 0 else b""
            v = body.find(v_open)
            value = body[v + len(v_open):body.find(b"<", v + 1)] if v >= 0 else b"#ERROR"
            if cell:
                scan.errors[cell] = value.decode("utf-8", "replace") or "#ERROR"
        pos = data.find(b' t="e"', pos + 1)


def _scan_formulas(data: bytes, scan: SheetScan, open_c: bytes, close_c: bytes,
                   prefix: bytes) -> None:
    """Formula cells whose ``<v>`` is missing or empty (text results may be empty)."""
    f_tags = (b"<" + prefix + b"f>", b"<" + prefix + b"f ")
    v_open = b"<" + prefix + b"v>"
    for needle in f_tags:
        pos = data.find(needle)
        while pos >= 0:
            start = _cell_tag_start(data, pos, open_c)
            end = data.find(close_c, pos)
            if start >= 0 and end > 0:
                tag_end = data.find(b">", start)
                tag = data[start:tag_end]
                body = data[tag_end:end]
                v = body.find(v_open)
                empty = v < 0 or body[v + len(v_open):v + len(v_open) + 2].startswith(b"</")
                if empty and b't="str"' not in tag and b't="e"' not in tag:
                    cell = _ref(tag)
                    if cell:
                        scan.formulas_without_value.add(cell)
            pos = data.find(needle, pos + 1)
