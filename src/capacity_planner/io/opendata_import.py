"""Seed or compare a model's in-post strength with the open data table, in one call.

This is the API the command line and the app share: ``import_open_data`` reads (or reuses)
the table, matches force names, applies the worker-type mapping and returns the comparison
and the seeded model without changing the model it was given; the caller shows the
comparison and decides whether to keep the seeded model. Mappings are JSON files:
``{"Police Officer": "DC", "Police Officer/Sergeant": ["DS"], "PCSO": "PCSO"}``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from capacity_planner.domain.entities import NO_ORIGIN
from capacity_planner.domain.forcenames import ForceMatches, match_forces
from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.opendata import (
    RoleLink,
    SeedLine,
    WorkforceMapping,
    check_mapping,
    compare_in_post,
    default_mapping,
    parse_link,
    seed_in_post,
)
from capacity_planner.domain.problems import Location, Problem, error, note, warning
from capacity_planner.io.opendata import OpenDataTable, read_open_data

COMPARISON_COLUMNS = ("unit", "force", "published_as", "roles", "model_in_post_fte",
                      "published_fte", "difference_fte", "difference_pct", "seeded_fte",
                      "note")


def mapping_from_pairs(pairs: Sequence[str]) -> tuple[WorkforceMapping, list[Problem]]:
    """``["Police Officer=DC", "PCSO=PCSO"]`` (the CLI's ``--role``); bad pairs are errors."""
    links, problems = [], []
    for text in pairs:
        try:
            links.append(parse_link(text))
        except ValueError as exc:
            problems.append(error(str(exc), Location(column="--role"), text,
                                  "WORKER TYPE[/RANK]=ROLE_ID"))
    return WorkforceMapping(tuple(links)), problems


def mapping_from_json(data: object, where: Location = NO_ORIGIN) -> tuple[
        WorkforceMapping, list[Problem]]:
    """A mapping from its JSON form: an object of ``"Worker type[/Rank]": role or [roles]``."""
    if not isinstance(data, dict):
        return WorkforceMapping(), [error("A mapping must be a JSON object", where,
                                          type(data).__name__,
                                          '{"Police Officer": "DC", "PCSO": "PCSO"}')]
    pairs: list[str] = []
    problems: list[Problem] = []
    for selector, roles in data.items():
        for role in roles if isinstance(roles, list) else [roles]:
            if not isinstance(role, str) or not role.strip():
                problems.append(error("A mapping's roles must be role IDs", where, role,
                                      "a role_id or a list of them"))
                continue
            pairs.append(f"{selector}={role}")
    mapping, more = mapping_from_pairs(pairs)
    return mapping, problems + [p.at(file=where.file) for p in more]


def mapping_to_json(mapping: WorkforceMapping) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for link in mapping.links:
        out.setdefault(link.selector, []).append(link.role_id)
    return out


def load_mapping(path: str | Path) -> tuple[WorkforceMapping, list[Problem]]:
    path = Path(path)
    where = Location(file=path.name)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return WorkforceMapping(), [error(f"Cannot read the mapping: {exc}", where,
                                          expected="a JSON object of worker type: role")]
    return mapping_from_json(data, where)


def save_mapping(mapping: WorkforceMapping, path: str | Path) -> None:
    """Write the mapping as JSON, atomically, so next year's import takes one step."""
    from capacity_planner.io.atomic import atomic_write

    text = json.dumps(mapping_to_json(mapping), indent=2, ensure_ascii=False) + "\n"

    def write(temp: Path) -> None:
        temp.write_text(text, encoding="utf-8")

    atomic_write(path, write)


@dataclass
class OpenDataImport:
    """What an import would do: the comparison, and the seeded model (not yet applied)."""

    year: int | None
    mapping: WorkforceMapping
    matches: ForceMatches = field(default_factory=ForceMatches)
    lines: list[SeedLine] = field(default_factory=list)
    seeded: PlanningModel | None = None
    table: OpenDataTable | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.seeded is not None and not any(p.is_error for p in self.problems)

    def comparison_frame(self) -> pd.DataFrame:
        rows = []
        for line in self.lines:
            pct = (100.0 * line.difference_fte / line.published_fte
                   if line.published_fte else None)
            rows.append({
                "unit": line.unit_id, "force": line.force,
                "published_as": ", ".join(line.selectors), "roles": ", ".join(line.roles),
                "model_in_post_fte": line.model_fte, "published_fte": line.published_fte,
                "difference_fte": line.difference_fte, "difference_pct": pct,
                "seeded_fte": ", ".join(f"{r} {new:,.1f}" for r, _old, new in line.changes),
                "note": line.note})
        return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))


def import_open_data(model: PlanningModel, path: str | Path | None, year: int,
                     mapping: WorkforceMapping | None = None, *,
                     table: OpenDataTable | None = None) -> OpenDataImport:
    """Compare the model's in-post FTE with the published figures for ``year`` and build
    the seeded model. Pass ``table`` to reuse a table already read (the app's preview when
    the year or mapping changes). Never raises for bad input; ``model`` is not changed."""
    mapping = mapping if mapping is not None else default_mapping(model)
    problems: list[Problem] = []
    if table is None:
        if path is None:
            raise ValueError("import_open_data needs a path or a table")
        read = read_open_data(path)
        problems.extend(read.problems)
        if read.table is None or not read.ok:
            return OpenDataImport(year, mapping, problems=problems)
        table = read.table
    where = Location(file=table.path.name)
    if year not in table.years:
        problems.append(error("The open data table has no figures for that year", where,
                              year, ", ".join(str(y) for y in table.years)))
        return OpenDataImport(year, mapping, table=table, problems=problems)
    problems.extend(check_mapping(mapping, model))
    if not mapping.links:
        problems.append(warning("No worker type is mapped to a role, so nothing can be "
                                "compared or seeded; map them (for example "
                                "--role \"Police Officer=DC\")"))
    published = table.published(year)
    matches = match_forces([p.force for p in published], model.units)
    problems.extend(_match_problems(matches, where))
    lines = compare_in_post(model, published, mapping, matches)
    seeded, more = seed_in_post(model, lines)
    problems.extend(more)
    return OpenDataImport(year, mapping, matches, lines, seeded, table, problems)


def _match_problems(matches: ForceMatches, where: Location) -> list[Problem]:
    problems = []
    if matches.unmatched_names:
        names = matches.unmatched_names
        problems.append(note(f"{len(names)} published forces match no unit of the model: "
                             + ", ".join(names), where))
    if matches.unmatched_units:
        problems.append(warning("Force units with no published figures (check the name in "
                                "Units): " + ", ".join(matches.unmatched_units), where))
    for name, found in matches.ambiguous:
        problems.append(warning(f"{name} matches more than one name ({', '.join(found)}); "
                                "it was not used: rename one of them", where))
    return problems


__all__ = ["COMPARISON_COLUMNS", "OpenDataImport", "RoleLink", "import_open_data",
           "load_mapping", "mapping_from_json", "mapping_from_pairs", "mapping_to_json",
           "save_mapping"]
