"""Pre-flight of an ``.ods`` (DESIGN section 8): values repeated by count.

ODS repeats cells and rows by count; LibreOffice repeats blanks to the sheet's edge, which
is harmless, but a repeated cell holding a value can be expanded to billions.
"""

from __future__ import annotations

import re

_ODS_REPEAT = re.compile(rb"""number-(rows|columns)-repeated\s*=\s*["']\s*([0-9]+)""")
_ODS_CELL = re.compile(rb"<table:table-cell\b[^>]*>")
_ODS_ROWS = re.compile(rb"""number-rows-repeated\s*=\s*["']\s*([0-9]+)""")
_ODS_COLUMNS = re.compile(rb"""number-columns-repeated\s*=\s*["']\s*([0-9]+)""")
_ODS_TABLE_NS = b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'


def usual_namespace(content: bytes) -> bool:
    """Does ``content.xml`` declare the table namespace with its usual prefix (which the
    byte searches here rely on)?"""
    return _ODS_TABLE_NS in content


def largest_repeat(content: bytes, limit: int) -> int:
    """The cells filled with a value by the first repeat in ``content.xml`` that fills more
    than ``limit`` (0 when none does)."""
    for m in _ODS_REPEAT.finditer(content):
        count = int(m.group(2))
        if count <= 1000:
            continue
        tag_end = content.find(b">", m.end())
        if m.group(1) == b"rows":
            body = content[tag_end:content.find(b"</table:table-row>", tag_end)]
            width = sum(_value_repeat(c) for c in _ODS_CELL.findall(body))
            cells = count * width
        else:
            tag = content[content.rfind(b"<", 0, m.start()):tag_end + 1]
            if not _value_repeat(tag):
                continue
            row_start = content.rfind(b"<table:table-row", 0, m.start())
            row = _ODS_ROWS.search(content[row_start:content.find(b">", row_start) + 1])
            cells = count * (int(row.group(1)) if row else 1)
        if cells > limit:
            return cells
    return 0


def _value_repeat(tag: bytes) -> int:
    """How many cells a ``<table:table-cell ...>`` tag fills with a value (0 for blanks)."""
    if b"value-type=" not in tag and tag.endswith(b"/>"):
        return 0
    m = _ODS_COLUMNS.search(tag)
    return int(m.group(1)) if m else 1
