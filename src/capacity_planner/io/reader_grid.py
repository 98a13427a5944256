"""A table's body cut from its grid a column at a time (the reader's first step).

calamine hands over a list of rows; the reader works by column. This module picks the
table's columns, drops the rows that are wholly blank in them and finds totals rows, with
the work per cell done in C (``zip``, ``list.count``, set building) and Python loops only
over distinct values or the rare odd row: a 50,000-row sheet costs milliseconds here.
A blank cell is the empty string, as calamine and the CSV reader give it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from capacity_planner.io.reader_headers import normalise

TOTALS = frozenset({"total", "totals", "grand_total", "subtotal", "sub_total"})


@dataclass
class Body:
    """The kept rows of a table: its columns (in ``cols`` order), each row's 0-based offset
    below the header, and the totals rows found (offset, first value), already removed."""

    columns: list[Sequence[object]]
    offsets: Sequence[int]  # a range when every row is kept
    totals: list[tuple[int, object]]


def cut(body: Sequence[Sequence[object]], cols: Sequence[int],
        forced: Collection[int] = ()) -> Body:
    """The columns ``cols`` of ``body``'s rows that are not wholly blank in them (rows at
    the 0-based offsets in ``forced`` are kept whatever they hold: a cell there is an error
    or a formula that calamine shows blank), less the totals rows."""
    width = max(cols) + 1
    every = list(zip(*body, strict=False))  # one pass in C, as long as the shortest row
    if len(every) < width:  # a short (ragged) row: pad every row to the table's width
        body = [list(row) + [""] * (width - len(row)) for row in body]
        every = list(zip(*body, strict=False))
    columns: list[Sequence[object]] = [every[c] for c in cols]
    blank = _blank_rows(columns)
    blank.difference_update(forced)
    offsets: Sequence[int] = range(len(body))
    if blank:
        offsets = [i for i in offsets if i not in blank]
        columns = [list(map(c.__getitem__, offsets)) for c in columns]
    totals = _totals(columns)
    said = [(offsets[i], v) for i, v in totals.items()]
    if totals:
        offsets = [k for i, k in enumerate(offsets) if i not in totals]
        columns = [[v for i, v in enumerate(c) if i not in totals] for c in columns]
    return Body(columns, offsets, said)


def _blank_rows(columns: list[Sequence[object]]) -> set[int]:
    """Positions blank in every column. A column without a blank proves there are none
    (usually the first, an ID column, decides it in one search)."""
    if any("" not in c for c in columns):
        return set()
    found: set[int] | None = None
    for c in columns:
        here = {i for i, v in enumerate(c) if v == ""} if found is None else \
            {i for i in found if c[i] == ""}
        found = here
        if not found:
            break
    return found or set()


def _totals(columns: list[Sequence[object]]) -> dict[int, object]:
    """Positions of rows whose first non-blank cell says Total (or Subtotal...), and that
    cell's value. Decided once per distinct first value."""
    if not columns or not columns[0]:
        return {}
    firsts = columns[0]
    if "" in firsts:
        firsts = list(firsts)
        for i in [i for i, v in enumerate(firsts) if v == ""]:
            firsts[i] = next((c[i] for c in columns[1:] if c[i] != ""), "")
    try:
        distinct = set(firsts)
    except TypeError:  # an unhashable value in a hand-made grid: decide cell by cell
        return {i: v for i, v in enumerate(firsts) if _is_total(v)}
    said = {v for v in distinct if _is_total(v)}
    if not said:
        return {}
    return {i: v for i, v in enumerate(firsts) if type(v) is str and v in said}


def _is_total(value: object) -> bool:
    return type(value) is str and value[:1] in "TtSsGg" and normalise(value) in TOTALS

