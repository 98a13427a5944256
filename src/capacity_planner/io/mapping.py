"""Column mappings: any sheet's columns onto the canonical fields (DESIGN section 3).

HR and finance extracts come in no standard layout. A mapping says, per table, which
source sheet to read and which source header holds which field; it is saved as a small
JSON file so next month's extract imports in one step::

    {"name": "Monthly HR extract", "version": 1,
     "tables": {"Establishment": {"sheet": "Report 1",
                                  "columns": {"Org Unit": "unit_id", "Job": "role_id",
                                              "Budget FTE": "funded_fte", "Notes": ""}}}}

An empty target ignores the column. Headers and sheet names match as the reader matches
them (case, spaces, ``%``, brackets). ``guess_mapping`` proposes a mapping from headers
for the import wizard.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from capacity_planner.domain.problems import Location, Problem, error
from capacity_planner.domain.schema import BY_SHEET, TableSpec
from capacity_planner.io.reader_headers import normalise, sheet_key

VERSION = 1

# Words HR and finance extracts use for the canonical fields (normalised forms).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "unit_id": ("unit", "unit_code", "org_unit", "organisation", "organisation_unit",
                "force", "force_code", "department", "dept", "cost_centre", "team"),
    "role_id": ("role", "role_code", "job", "job_code", "job_title", "post", "post_type",
                "position", "rank_or_grade", "grade"),
    "funded_fte": ("funded", "establishment", "establishment_fte", "budgeted_fte",
                   "budget_fte", "funded_posts", "posts_funded", "budgeted_posts"),
    "in_post_fte": ("in_post", "strength", "actual_fte", "filled_fte", "staff_in_post",
                    "posts_filled", "current_fte", "contracted_fte"),
    "vacant_fte": ("vacant", "vacancies", "vacancy", "vacancy_fte", "vacant_posts"),
    "in_training_fte": ("in_training", "trainees", "trainee_fte", "student_fte"),
    "absent_fte": ("absent", "absence", "absence_fte", "long_term_absence", "ltsa"),
    "abstraction_pct": ("abstraction", "abstracted_pct", "abstraction_rate"),
    "annual_cost_gbp": ("annual_cost", "cost", "salary_cost", "cost_gbp", "unit_cost"),
    "hours_per_fte": ("hours", "productive_hours", "annual_hours"),
    "stream_id": ("stream", "demand_stream", "stream_code", "crime_type"),
    "period": ("year", "quarter", "financial_year", "month"),
    "hours": ("demand_hours", "hours_demand", "workload_hours"),
    "name": ("description", "title", "label"),
}


@dataclass(frozen=True)
class TableMapping:
    sheet: str = ""  # source sheet name; "" = the table's own sheet name
    columns: dict[str, str] = field(default_factory=dict)  # source header -> field ("" ignore)


@dataclass(frozen=True)
class ColumnMapping:
    name: str = ""
    tables: dict[str, TableMapping] = field(default_factory=dict)  # by canonical table name

    def for_table(self, table: str) -> TableMapping | None:
        key = sheet_key(table)
        for name, mapping in self.tables.items():
            if sheet_key(name) == key:
                return mapping
        return None

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "version": VERSION,
                "tables": {t: {"sheet": m.sheet, "columns": dict(m.columns)}
                           for t, m in self.tables.items()}}


def table_spec(name: str) -> TableSpec | None:
    """The spec of a canonical table by (loosely matched) name, Vacancies included."""
    from capacity_planner.io.vacancies import VACANCIES

    key = sheet_key(name)
    for spec in (*BY_SHEET.values(), VACANCIES):
        if sheet_key(spec.sheet) == key:
            return spec
    return None


def mapping_from_dict(data: object, source: str = "") -> tuple[ColumnMapping | None,
                                                                list[Problem]]:
    """A mapping from parsed JSON; problems for anything that does not fit."""
    where = Location(file=source)
    if not isinstance(data, dict) or not isinstance(data.get("tables", {}), dict):
        return None, [error("A column mapping must be a JSON object with a \"tables\" object",
                            where, code="mapping")]
    problems: list[Problem] = []
    tables: dict[str, TableMapping] = {}
    for table, body in data.get("tables", {}).items():
        spec = table_spec(str(table))
        if spec is None:
            problems.append(error("Unknown table in the mapping", where, table,
                                  ", ".join([*BY_SHEET, "Vacancies"]), code="mapping"))
            continue
        if not isinstance(body, dict) or not isinstance(body.get("columns", {}), dict):
            problems.append(error(f"Mapping for {spec.sheet} must have a \"columns\" object",
                                  where, code="mapping"))
            continue
        columns: dict[str, str] = {}
        for source_header, target in body.get("columns", {}).items():
            target_key = normalise(target) if target else ""
            if target_key and target_key not in spec.names:
                problems.append(error(f"The mapping sends {source_header!r} to a field that "
                                      f"{spec.sheet} does not have", where, target,
                                      ", ".join(spec.names), code="mapping"))
                continue
            columns[str(source_header)] = target_key
        tables[spec.sheet] = TableMapping(str(body.get("sheet") or ""), columns)
    return ColumnMapping(str(data.get("name") or ""), tables), problems


def load_mapping(path: str | os.PathLike[str]) -> tuple[ColumnMapping | None, list[Problem]]:
    """Read a mapping file; a missing or malformed file is a problem, never an exception."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        return None, [error("Mapping file not found", Location(file=str(p)), code="missing")]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        return None, [error(f"The mapping file cannot be read ({exc})", Location(file=str(p)),
                            expected="a JSON column mapping", code="mapping")]
    return mapping_from_dict(data, str(p))


def save_mapping(mapping: ColumnMapping, path: str | os.PathLike[str]) -> None:
    """Save a mapping as JSON, atomically."""
    from capacity_planner.io.atomic import atomic_write

    text = json.dumps(mapping.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def write(temp: Path) -> None:
        temp.write_text(text, encoding="utf-8")

    atomic_write(path, write)


def guess_mapping(headers: Iterable[object], table: str | TableSpec) -> dict[str, str]:
    """Propose ``{source header: field}`` for a table from a sheet's headers: exact names
    first, then known synonyms, then close spellings. Each field is used at most once;
    headers left out have no good match."""
    spec = table if isinstance(table, TableSpec) else table_spec(table)
    if spec is None:
        return {}
    texts = [str(h) for h in headers if h is not None and str(h).strip()]
    keys = {h: normalise(h) for h in texts}
    out: dict[str, str] = {}
    used: set[str] = set()

    def take(header: str, target: str) -> None:
        if header not in out and target not in used:
            out[header] = target
            used.add(target)

    for h, k in keys.items():
        if k in spec.names:
            take(h, k)
    vocabulary = {s: f for f in spec.names for s in SYNONYMS.get(f, ())}
    for h, k in keys.items():
        if k in vocabulary:
            take(h, vocabulary[k])
    candidates = {**{f: f for f in spec.names}, **vocabulary}
    for h, k in keys.items():
        if h in out:
            continue
        close = difflib.get_close_matches(k, list(candidates), n=1, cutoff=0.8)
        if close:
            take(h, candidates[close[0]])
    return out


def mapping_for(table: str, headers: Mapping[str, str], sheet: str = "",
                name: str = "") -> ColumnMapping:
    """A one-table mapping (what the wizard saves after the planner confirms a guess)."""
    spec = table_spec(table)
    return ColumnMapping(name, {spec.sheet if spec else table: TableMapping(sheet,
                                                                           dict(headers))})
