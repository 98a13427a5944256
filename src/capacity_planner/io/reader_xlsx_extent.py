"""A sheet's true cell extent from its XML bytes, vectorised (numpy): pre-flight's proof
that calamine will not be asked to allocate past what the caller allows.

Every ``r`` attribute of the sheet is found in a few array passes, whatever it is on:
each must be written `` r="A1"`` (one to three capitals, one to seven digits, as Excel,
LibreOffice, openpyxl and xlsxwriter write it), every cell and row must have one, and
the largest row and column any of them names is the extent. Anything else is reported
(``unusual``) and the caller falls back to its regex scan and a memory-limited child.

The passes look for two- and four-byte patterns by comparing the bytes viewed as 16- or
32-bit integers at each alignment (``_at``), so their cost is a few vector compares over
the part and then work per hit (per ``r=``, per ``<c``), never per byte in Python. The
same passes say whether the sheet holds formula elements or error cells at all, so the
caller's byte searches for them run only when it does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

_WIDTH = 11  # three letters, seven digits and the closing quote
MAX_BYTES = 64 * 1024 * 1024  # larger parts are scanned by the regex path (less memory)
_WHITE = (b" ", b"\t", b"\n", b"\r", b"\x0b", b"\x0c")  # the bytes regex \s matches
_UNUSUAL = "cell references written in an unusual way"
_BLOCK = 32_768  # references parsed at once


@dataclass(frozen=True)
class Extent:
    max_row: int
    max_col: int
    unusual: str  # why the references cannot be trusted ("" when they can)
    formulas: bool = True  # may hold ``<f>`` or ``<f ...>`` (False: proved it does not)
    errors: bool = True  # may hold `` t="e"`` (False: proved it does not)


def vector_extent(data: bytes, prefix: bytes) -> Extent | None:
    """The extent of a sheet whose elements have no namespace prefix, or None when this
    scan does not apply (a prefix, or a very large part)."""
    if prefix or len(data) > MAX_BYTES or len(data) < 16:
        return None
    a = np.frombuffer(data, dtype=np.uint8)
    n = len(a)
    eq = _at(data, b"r=")  # every r attribute written r= (the 'r')
    eq = eq[eq >= 1]
    before = a[eq - 1]
    spaced = []  # r then white space: an attribute only if '=' follows the space
    for white in _WHITE:
        if white in data:
            found = _at(data, b"r" + white)
            found = found[found >= 1]
            spaced.append(found[_white(a[found - 1]) | (a[found - 1] == ord(":"))])
    odd = np.concatenate(spaced) if spaced else eq[:0]
    for p in odd[_white(a[odd - 1])].tolist():
        q = p + 1
        while q < n and _white(a[q]):
            q += 1
        if q < n and a[q] == ord("="):
            return Extent(0, 0, _UNUSUAL)
    for p in [*eq[before == ord(":")].tolist(), *odd[a[odd - 1] == ord(":")].tolist()]:
        if data[max(0, p - 6):p - 1] != b"xmlns":
            return Extent(0, 0, "cell references with a namespace prefix")
    attr = _white(before)
    refs = eq[attr]
    if np.any(before[attr] != ord(" ")) or np.any(refs + 3 + _WIDTH >= n) \
            or np.any(a[refs + 2] != ord('"')):
        return Extent(0, 0, _UNUSUAL)
    max_row = max_col = cell_refs = 0
    for block in range(0, len(refs), _BLOCK):  # blocks small enough to stay in cache
        parsed = _parse_refs(data, refs[block:block + _BLOCK] + 3)
        if parsed is None:
            return Extent(0, 0, _UNUSUAL)
        max_row, max_col = max(max_row, parsed[0]), max(max_col, parsed[1])
        cell_refs += parsed[2]
    row_refs = len(refs) - cell_refs
    c = _at(data, b"<c")
    c = c[c + 2 < n]
    cells = int(np.count_nonzero(_end(a[c + 2])))
    r = _at(data, b"<r")
    r = r[r + 4 < n]
    rows = int(np.count_nonzero((a[r + 2] == ord("o")) & (a[r + 3] == ord("w"))
                                & _end(a[r + 4])))
    f = _at(data, b"<f")
    f = f[f + 2 < n]
    formulas = bool(np.any((a[f + 2] == ord(" ")) | (a[f + 2] == ord(">"))))
    e = _at(data, b't="e')
    e = e[(e >= 1) & (e + 4 < n)]
    errors = bool(np.any((a[e - 1] == ord(" ")) & (a[e + 4] == ord('"'))))
    if cells != cell_refs:
        return Extent(max_row, max_col, "cells without a position", formulas, errors)
    if rows != row_refs:
        return Extent(max_row, max_col, "rows without a number", formulas, errors)
    return Extent(max_row, max_col, "", formulas, errors)


def _at(data: bytes, pattern: bytes) -> np.ndarray:
    """Every position where ``pattern`` (two or four bytes) starts in ``data``, unordered:
    ``data`` viewed as 16- or 32-bit integers at each of their alignments."""
    width = len(pattern)
    dtype = {2: "<u2", 4: "<u4"}[width]
    value = int.from_bytes(pattern, "little")
    found = []
    for k in range(width):
        words = np.frombuffer(data, dtype=dtype, count=(len(data) - k) // width, offset=k)
        found.append(np.flatnonzero(words == value) * width + k)
    return np.concatenate(found)


def _white(c: Any) -> Any:
    """Whitespace as the bytes regex ``\\s`` has it: space, tab, LF, VT, FF, CR."""
    return (c == 32) | ((c >= 9) & (c <= 13))


def _end(c: Any) -> Any:
    """A byte that may follow an element's name: space, ``>``, ``/``, tab, LF, CR."""
    return (c == 32) | (c == ord(">")) | (c == ord("/")) | (c == 9) | (c == 10) | (c == 13)


def _parse_refs(data: bytes, start: np.ndarray) -> tuple[int, int, int] | None:
    """The largest row and column the references starting at ``start`` name, and how many
    of them name a cell (have letters); None unless every one is one to three capitals,
    one to seven digits and a closing quote. Each reference's first four bytes (its
    letters) and the eight from its first digit are read as one integer each, and tested
    and converted a byte lane at a time, all references at once."""
    head = _words(data, "<u4")[start]
    lane = [(head >> np.uint32(8 * k)) & np.uint32(0xFF) for k in range(4)]
    letter = [(b - np.uint32(65)) < 26 for b in lane]  # unsigned: only A-Z fall below 26
    if np.any(letter[0] & letter[1] & letter[2] & letter[3]):
        return None
    one, two = letter[0], letter[0] & letter[1]
    three = two & letter[2]
    col = np.where(one, lane[0].astype(np.int64) - 64, 0)
    col = np.where(two, col * 26 + lane[1] - 64, col)
    col = np.where(three, col * 26 + lane[2] - 64, col)
    x = _words(data, "<u8")[start + one + two + three]  # the digits, then the quote
    low7 = x & _LOW7
    not_digit = (~(low7 + _LANES * 0x50) | (low7 + _LANES * 0x46) | x) & _HIGH
    first = not_digit & (~not_digit + _ONE)  # the high bit of the first lane not a digit
    width = np.bitwise_count(first - _ONE).astype(np.int64) // 8  # digits before it
    if np.any(not_digit == 0) or np.any(width < 1) \
            or np.any((x >> (8 * width).astype(np.uint64)) & _BYTE != ord('"')):
        return None
    # The digits in the high lanes, zeros (0x00 & 0x0F) as leading digits, then pairs,
    # fours and eights of lanes combined (the first digit is the least significant byte).
    v = x << (8 * (8 - width)).astype(np.uint64)
    v = ((v & np.uint64(0x0F000F000F000F00)) >> np.uint64(8)) \
        + (v & np.uint64(0x000F000F000F000F)) * np.uint64(10)
    v = ((v & np.uint64(0x00FF000000FF0000)) >> np.uint64(16)) \
        + (v & np.uint64(0x000000FF000000FF)) * np.uint64(100)
    v = ((v & np.uint64(0x0000FFFF00000000)) >> np.uint64(32)) \
        + (v & np.uint64(0x000000000000FFFF)) * np.uint64(10000)
    max_row = int(v.max()) if len(v) else 0
    return max_row, int(col.max()) if len(col) else 0, int(np.count_nonzero(one))


_ONE = np.uint64(1)
_BYTE = np.uint64(0xFF)
_LANES = np.uint64(0x0101010101010101)
_LOW7 = np.uint64(0x7F7F7F7F7F7F7F7F)
_HIGH = np.uint64(0x8080808080808080)


def _words(data: bytes, dtype: str) -> np.ndarray:
    """``data`` as integers starting at every byte (overlapping, unaligned): element ``i``
    is the word made of bytes ``i`` onwards, so a gather reads a word per position."""
    size = np.dtype(dtype).itemsize
    base = np.frombuffer(data, dtype=dtype, count=len(data) // size)
    return as_strided(base, shape=(len(data) - size + 1,), strides=(1,), writeable=False)
