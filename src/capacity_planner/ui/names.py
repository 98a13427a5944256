"""Names beside IDs in results: a planner reads "Thames Valley Police", not
``THAMES_VALLEY``. Result tables keep the IDs (sorting, exports and tests use them); the
table model shows the name and keeps the ID in the tooltip."""

from __future__ import annotations

import textwrap

from capacity_planner.domain.ids import id_key
from capacity_planner.domain.model import PlanningModel

# result column -> which of the model's tables names its IDs
NAMED_COLUMNS = {"unit": "units", "from_unit": "units", "to_unit": "units", "unit_id": "units",
                 "role": "roles", "role_id": "roles", "roles": "roles",
                 "stream": "streams", "stream_id": "streams"}
HEADER_WRAP = 12  # characters a header line: longer names wrap

Names = dict[str, dict[str, str]]  # column -> id_key -> name


def tables_of(model: PlanningModel) -> dict[str, dict[str, str]]:
    """id_key -> display name, for units, roles and streams (the ID where there is no name)."""
    return {
        "units": {id_key(u.unit_id): u.name.strip() or u.unit_id for u in model.units},
        "roles": {id_key(r.role_id): r.name.strip() or r.role_id for r in model.roles},
        "streams": {id_key(s.stream_id): s.name.strip() or s.stream_id for s in model.streams},
    }


def column_names(model: PlanningModel) -> Names:
    tables = tables_of(model)
    return {column: tables[table] for column, table in NAMED_COLUMNS.items()}


def display(names: Names, column: str, value: str) -> str:
    """The name of ``value`` in ``column``; a list of IDs (``DC, NHOOD``) name by name."""
    table = names.get(column)
    if not table:
        return value
    if column == "roles" and "," in value:
        return ", ".join(table.get(id_key(v), v.strip()) for v in value.split(","))
    return table.get(id_key(value), value)


def wrapped(text: str, width: int = HEADER_WRAP, lines: int = 4) -> str:
    """A long header on up to ``lines`` lines of about ``width`` characters, so a column
    of percentages is not as wide as its stream's name."""
    if len(text) <= width:
        return text
    parts = textwrap.wrap(text, width, break_long_words=False)
    if len(parts) > lines:
        parts = [*parts[:lines - 1], " ".join(parts[lines - 1:])]
    return "\n".join(parts)
