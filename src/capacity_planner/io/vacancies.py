"""The vacancy workbook (DESIGN section 3): one sheet of unit_id, role_id and either
vacant_fte or in_post_fte (plus optional in_training_fte, absent_fte) that updates the
matching Establishment rows: ``in_post_fte = funded_fte - vacant_fte``.

A row naming an unknown unit or role is an error, and a merge with any error changes
nothing: the model comes back exactly as it went in.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, replace
from typing import cast

from capacity_planner.domain.entities import NO_ORIGIN
from capacity_planner.domain.ids import id_key
from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.problems import Location, Problem, error, has_errors, note, warning
from capacity_planner.domain.schema import FieldSpec, Kind, TableSpec
from capacity_planner.io.mapping import ColumnMapping
from capacity_planner.io.preflight import Preflight
from capacity_planner.io.reader import check, damaged, in_child, open_checked
from capacity_planner.io.reader_headers import find_header, sheet_key
from capacity_planner.io.reader_sheets import read_table


@dataclass(frozen=True, slots=True)
class VacancyRow:
    unit_id: str
    role_id: str
    vacant_fte: float | None = None
    in_post_fte: float | None = None
    in_training_fte: float | None = None
    absent_fte: float | None = None
    origin: Location = field(default=NO_ORIGIN, compare=False, repr=False)


F = FieldSpec
VACANCIES = TableSpec("Vacancies", VacancyRow, (
    F("unit_id", Kind.ID, True, refers_to="Units"),
    F("role_id", Kind.ID, True, refers_to="Roles"),
    F("vacant_fte", Kind.NUMBER),
    F("in_post_fte", Kind.NUMBER),
    F("in_training_fte", Kind.NUMBER),
    F("absent_fte", Kind.NUMBER),
), key=("unit_id", "role_id"))
EITHER = ("vacant_fte", "in_post_fte")


def read_vacancies(path: str | os.PathLike[str], mapping: ColumnMapping | None = None
                   ) -> tuple[list[VacancyRow], list[Problem]]:
    """The rows of a vacancy workbook. The sheet is the one the mapping names, else one
    named Vacancies, else the first visible sheet whose header holds the columns. A file
    pre-flight cannot vouch for is read in a memory-limited child process."""
    checked = check(path, None)
    if checked.ok and checked.isolate:
        rows, problems = in_child(read_vacancies_here, path, mapping, reason=checked.isolate)
        return cast(list[VacancyRow], rows or []), problems
    return read_vacancies_here(path, mapping, checked)


def read_vacancies_here(path: str | os.PathLike[str], mapping: ColumnMapping | None = None,
                        checked: Preflight | None = None
                        ) -> tuple[list[VacancyRow], list[Problem]]:
    """``read_vacancies`` in this process (what the child process runs)."""
    table_map = mapping.for_table("Vacancies") if mapping else None
    columns = table_map.columns if table_map else None
    source, problems = open_checked(path, None, checked)
    if source is None:
        return [], problems
    file = str(path)
    try:
        names = source.names
        if table_map and table_map.sheet:
            names = [n for n in names if sheet_key(n) == sheet_key(table_map.sheet)]
        named = [n for n in names if sheet_key(n) in ("vacancy", "vacancie")]
        candidates = named or [n for n in names if not source.hidden.get(n)]
        for name in candidates:
            grid = source.grid(name)
            header = find_header(grid, VACANCIES, columns)
            if header.found and any(f in header.fields for f in EITHER):
                read = read_table(grid, VACANCIES, file=file, sheet=name,
                                  marks=source.marks(name), mapping=columns)
                return cast(list[VacancyRow], read.records), [*problems, *read.problems]
        problems.append(error(
            "No sheet in the vacancy workbook has the columns unit_id, role_id and "
            "vacant_fte or in_post_fte", Location(file=file),
            expected="unit_id, role_id, vacant_fte or in_post_fte", code="missing_column"))
        return [], problems
    except Exception as exc:  # noqa: BLE001 - any failure is a problem, never a traceback
        return [], [*problems, damaged(path, exc)]
    finally:
        source.close()


def merge_vacancies(model: PlanningModel, rows: list[VacancyRow]
                    ) -> tuple[PlanningModel, list[Problem]]:
    """``model`` with its Establishment updated from ``rows``, or unchanged on any error."""
    problems: list[Problem] = []
    index = {(id_key(e.unit_id), id_key(e.role_id)): i for i, e in enumerate(model.establishment)}
    updates: dict[int, dict[str, float]] = {}
    seen: dict[tuple[str, str], VacancyRow] = {}
    for row in rows:
        at = row.origin
        key = (id_key(row.unit_id), id_key(row.role_id))
        if not all(key):
            continue  # missing IDs are reported by the reader
        if key in seen:
            problems.append(error(f"Duplicate unit and role: already at row {seen[key].origin.row}",
                                  replace(at, column="unit_id"), f"{row.unit_id} / {row.role_id}",
                                  "each unit and role once", code="duplicate_key"))
            continue
        seen[key] = row
        unknown = False
        if key[0] not in model.unit_by_key:
            problems.append(error(f"Unknown unit {row.unit_id!r}", replace(at, column="unit_id"),
                                  row.unit_id, "a unit_id from the planning workbook's Units",
                                  code="unknown_id"))
            unknown = True
        if key[1] not in model.role_by_key:
            problems.append(error(f"Unknown role {row.role_id!r}", replace(at, column="role_id"),
                                  row.role_id, "a role_id from the planning workbook's Roles",
                                  code="unknown_id"))
            unknown = True
        if unknown:
            continue
        if key not in index:
            problems.append(error(f"No Establishment row for {row.unit_id} and {row.role_id}",
                                  replace(at, column="role_id"), row.role_id,
                                  "a unit and role that have an Establishment row",
                                  code="unknown_id"))
            continue
        change = _change(model.establishment[index[key]], row, problems)
        if change:
            updates[index[key]] = change
    if has_errors(problems):
        return model, problems
    establishment = list(model.establishment)
    changed = 0
    for i, change in updates.items():
        was = establishment[i]
        changed += any(abs(getattr(was, k) - v) > 1e-9 for k, v in change.items())
        establishment[i] = replace(was, **change)  # type: ignore[arg-type]
    merged = model.with_table("establishment", tuple(establishment))
    file = rows[0].origin.file if rows else ""
    problems.append(note(f"{len(updates)} Establishment row(s) matched by the vacancy file, "
                         f"{changed} with new figures", Location(file=file),
                         code="vacancies_merged"))
    return merged, problems


def _change(est: object, row: VacancyRow, problems: list[Problem]) -> dict[str, float]:
    at = row.origin
    for name in ("vacant_fte", "in_post_fte", "in_training_fte", "absent_fte"):
        v = getattr(row, name)
        if v is not None and (not math.isfinite(v) or v < 0):
            problems.append(error(f"{name} must be 0 or more", replace(at, column=name), v,
                                  "0 or more", code="bad_number"))
            return {}
    funded = est.funded_fte  # type: ignore[attr-defined]
    change: dict[str, float] = {}
    if row.in_post_fte is not None:
        change["in_post_fte"] = row.in_post_fte
        if row.vacant_fte is not None and abs(funded - row.vacant_fte - row.in_post_fte) > 1e-6:
            problems.append(warning(
                f"in_post_fte {row.in_post_fte:g} and vacant_fte {row.vacant_fte:g} disagree "
                f"with funded_fte {funded:g}; in_post_fte is used",
                replace(at, column="vacant_fte"), row.vacant_fte,
                f"{funded - row.in_post_fte:g}", code="vacancy_mismatch"))
    elif row.vacant_fte is not None:
        if row.vacant_fte > funded + 1e-9:
            problems.append(error(
                f"More vacancies ({row.vacant_fte:g}) than funded posts ({funded:g})",
                replace(at, column="vacant_fte"), row.vacant_fte, f"at most {funded:g}",
                code="bad_number"))
            return {}
        change["in_post_fte"] = funded - row.vacant_fte
    else:
        problems.append(error("Neither vacant_fte nor in_post_fte is given",
                              replace(at, column="vacant_fte"), None,
                              "vacant_fte or in_post_fte", code="missing_value"))
        return {}
    for name in ("in_training_fte", "absent_fte"):
        if getattr(row, name) is not None:
            change[name] = getattr(row, name)
    return change
