"""Sheet and header names as planners write them (DESIGN section 3).

``Funded FTE``, `` funded_fte `` and ``FUNDED-FTE`` are the same column; ``Abstraction %``
is ``abstraction_pct``; ``Annual cost (GBP)`` is ``annual_cost_gbp``. The header row is
the first row within the first 20 that holds the sheet's required columns, so a title
above the table is fine. A column mapping (``io.mapping``) can name any other header.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from capacity_planner.domain.schema import TableSpec

HEADER_SEARCH_ROWS = 20
_BRACKETS = re.compile(r"[()\[\]{}]")
_SEPARATORS = re.compile(r"[^\w]+")


def normalise(text: object) -> str:
    """The comparison form of a sheet or column name: ``Abstraction %`` -> ``abstraction_pct``."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text)).casefold().replace("%", " pct ")
    s = _SEPARATORS.sub("_", _BRACKETS.sub(" ", s))
    return s.strip("_")


def sheet_key(name: str) -> str:
    """Sheet names also match in the singular (``Unit`` is ``Units``)."""
    key = normalise(name)
    return key[:-1] if key.endswith("s") and len(key) > 3 else key


@dataclass
class Header:
    """Where a table's header is and which column holds each field."""

    row: int = -1  # 0-based index in the grid; -1: not found
    fields: dict[str, int] = field(default_factory=dict)  # canonical field -> column index
    extras: dict[str, int] = field(default_factory=dict)  # unknown header text -> column
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)  # name, first, again
    missing: tuple[str, ...] = ()  # required fields not found (when row == -1)
    ignored: list[int] = field(default_factory=list)  # columns the mapping ignores

    @property
    def found(self) -> bool:
        return self.row >= 0

    @property
    def columns(self) -> list[int]:
        return sorted([*self.fields.values(), *self.extras.values()])


def resolver(spec: TableSpec, columns: Mapping[str, str] | None = None):
    """A function from a header cell to its canonical field ("" unknown, None ignored)."""
    names = set(spec.names)
    mapped = {normalise(k): v for k, v in (columns or {}).items()}

    def resolve(cell: object) -> str | None:
        key = normalise(cell)
        if key in mapped:
            target = mapped[key]
            return target if target else None
        return key if key in names else ""

    return resolve


def read_header(rows: Sequence[Sequence[object]], row: int, spec: TableSpec,
                columns: Mapping[str, str] | None = None) -> Header:
    """The header of ``rows[row]``: fields, unknown columns and duplicates."""
    resolve = resolver(spec, columns)
    header = Header(row=row)
    seen: dict[str, int] = {}
    for col, cell in enumerate(rows[row]):
        if _blank(cell):
            continue
        name = resolve(cell)
        if name is None:
            header.ignored.append(col)
            continue
        label = name or str(cell).strip()
        key = name or normalise(cell)
        if key in seen:
            header.duplicates.append((label, seen[key], col))
            continue
        seen[key] = col
        if name:
            header.fields[name] = col
        else:
            header.extras[label] = col
    return header


def find_header(rows: Sequence[Sequence[object]], spec: TableSpec,
                columns: Mapping[str, str] | None = None,
                required: Sequence[str] | None = None) -> Header:
    """The first row within the first 20 that holds every required column, or a Header
    with ``row == -1`` and ``missing`` set from the closest row."""
    need = set(spec.required if required is None else required)
    resolve = resolver(spec, columns)
    best: tuple[int, set[str]] = (-1, set())
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = {resolve(c) for c in cells if not _blank(c)}
        if need <= found and (need or found & set(spec.names)):
            return read_header(rows, index, spec, columns)
        if len(found & need) > len(best[1]):
            best = (index, found & need)
    missing = tuple(n for n in spec.names if n in need and n not in best[1])
    return Header(row=-1, missing=missing)


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())
