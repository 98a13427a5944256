"""A sheet's true cell extent from its XML bytes, vectorised (numpy): pre-flight's proof
that calamine will not be asked to allocate past what the caller allows.

Every ``r`` attribute of the sheet is found in a few array passes, whatever it is on:
each must be written `` r="A1"`` (one to three capitals, one to seven digits, as Excel,
LibreOffice, openpyxl and xlsxwriter write it), every cell and row must have one, and
the largest row and column any of them names is the extent. Anything else is reported
(``unusual``) and the caller falls back to its regex scan and a memory-limited child.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

_WIDTH = 11  # three letters, seven digits and the closing quote
MAX_BYTES = 64 * 1024 * 1024  # larger parts are scanned by the regex path (less memory)


@dataclass(frozen=True)
class Extent:
    max_row: int
    max_col: int
    unusual: str  # why the references cannot be trusted ("" when they can)


def vector_extent(data: bytes, prefix: bytes) -> Extent | None:
    """The extent of a sheet whose elements have no namespace prefix, or None when this
    scan does not apply (a prefix, or a very large part)."""
    if prefix or len(data) > MAX_BYTES or len(data) < 8:
        return None
    a = np.frombuffer(data, dtype=np.uint8)
    n = len(a)
    rp = np.flatnonzero(a[1:-2] == ord("r")) + 1
    before, after = a[rp - 1], a[rp + 1]
    white_after = _white(after)
    attr = _white(before) & ((after == ord("=")) | white_after)
    if np.any(attr & white_after):
        for p in rp[attr & white_after].tolist():
            q = p + 1
            while q < n and _white(a[q]):
                q += 1
            if q < n and a[q] == ord("="):
                return Extent(0, 0, "cell references written in an unusual way")
        attr &= ~white_after
    colon = (before == ord(":")) & ((after == ord("=")) | white_after)
    for p in rp[colon].tolist():
        if data[max(0, p - 6):p - 1] != b"xmlns":
            return Extent(0, 0, "cell references with a namespace prefix")
    refs = rp[attr]
    if np.any(a[refs - 1] != ord(" ")) or np.any(a[np.minimum(refs + 2, n - 1)] != ord('"')):
        return Extent(0, 0, "cell references written in an unusual way")
    if len(refs) and int(refs[-1]) + 3 + _WIDTH >= n:
        return Extent(0, 0, "cell references written in an unusual way")
    parsed = _parse_refs(a, refs + 3)
    if parsed is None:
        return Extent(0, 0, "cell references written in an unusual way")
    row, col = parsed
    cell_refs = int(np.count_nonzero(col))
    row_refs = len(refs) - cell_refs
    lt = np.flatnonzero(a[:-4] == ord("<"))
    cells = int(np.count_nonzero((a[lt + 1] == ord("c")) & _end(a[lt + 2])))
    rows = int(np.count_nonzero((a[lt + 1] == ord("r")) & (a[lt + 2] == ord("o"))
                                & (a[lt + 3] == ord("w")) & _end(a[lt + 4])))
    max_row = int(row.max()) if len(row) else 0
    max_col = int(col.max()) if len(col) else 0
    if cells != cell_refs:
        return Extent(max_row, max_col, "cells without a position")
    if rows != row_refs:
        return Extent(max_row, max_col, "rows without a number")
    return Extent(max_row, max_col, "")


def _white(c: Any) -> Any:
    """Whitespace as the bytes regex ``\\s`` has it: space, tab, LF, VT, FF, CR."""
    return (c == 32) | ((c >= 9) & (c <= 13))


def _end(c: Any) -> Any:
    """A byte that may follow an element's name: space, ``>``, ``/``, tab, LF, CR."""
    return (c == 32) | (c == ord(">")) | (c == ord("/")) | (c == 9) | (c == 10) | (c == 13)


def _parse_refs(a: np.ndarray, start: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Row and column (0 for a row's own reference) of each reference starting at
    ``start``; None unless every one is one to three capitals, one to seven digits and a
    closing quote. One pass per character position, each over every reference at once."""
    m = len(start)
    row = np.zeros(m, dtype=np.int64)
    col = np.zeros(m, dtype=np.int64)
    letters = np.zeros(m, dtype=np.int8)
    digits = np.zeros(m, dtype=np.int8)
    in_letters = np.ones(m, dtype=bool)
    in_digits = np.zeros(m, dtype=bool)
    for k in range(_WIDTH):
        c = a[start + k]
        is_letter = (c >= ord("A")) & (c <= ord("Z"))
        is_digit = (c >= ord("0")) & (c <= ord("9"))
        letter = in_letters & is_letter
        in_digits |= in_letters & ~is_letter
        in_letters = letter
        digit = in_digits & is_digit
        end = in_digits & ~is_digit
        if np.any(end & (c != ord('"'))):
            return None
        in_digits &= ~end
        if letter.any():
            col = np.where(letter, col * 26 + (c.astype(np.int64) - 64), col)
            letters += letter
        if digit.any():
            row = np.where(digit, row * 10 + (c.astype(np.int64) - 48), row)
            digits += digit
        if not in_digits.any() and not in_letters.any():
            break
    if in_digits.any() or in_letters.any() or np.any(letters > 3) or np.any(digits < 1) \
            or np.any(digits > 7):
        return None
    return row, col
