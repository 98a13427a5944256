"""Validation of a whole planning model: every problem, never only the first (DESIGN 3).

Errors stop a solve; warnings do not. Each problem names the record's place (file, sheet,
Excel row, column), the bad value and what is expected. Checks work a column at a time
(numpy) so a national model with 50,000-row tables validates in a blink.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence

import numpy as np

from capacity_planner.domain.bulk import bulk
from capacity_planner.domain.ids import id_key, loose_key
from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.problems import Location, Problem, error, warning
from capacity_planner.domain.scenario import check_scenarios
from capacity_planner.domain.schema import (
    ATTRIBUTE,
    DEMAND,
    ESTABLISHMENT,
    NOTES,
    SHARING,
    STREAMS,
    TABLES,
    FieldSpec,
    Kind,
    TableSpec,
)

_place = bulk(Location)  # a Location, without dataclasses.replace's cost per problem
NOWHERE = Location()
REQUIRED_TABLES = tuple(t for t in TABLES if not t.optional_sheet)
LABEL = {"Units": "unit", "Roles": "role", "Streams": "stream", "Periods": "period"}
KEY_FIELD = {"Units": "unit_id", "Roles": "role_id", "Streams": "stream_id",
             "Periods": "period"}


def where(record: object, spec: TableSpec, index: int, column: str) -> Location:
    """A record's place, with the column; records made in the app have no file row."""
    origin: Location = getattr(record, "origin", NOWHERE)
    if origin.sheet:
        return _place(origin.file, origin.sheet, origin.row, column, origin.index)
    return Location(sheet=spec.sheet, column=column, index=index)


def validate(model: PlanningModel) -> list[Problem]:
    """Every problem of ``model``; errors mean it cannot be solved."""
    problems: list[Problem] = []
    for spec in TABLES:
        if spec is NOTES:
            continue
        records = getattr(model, ATTRIBUTE[spec.sheet])
        if not records and not spec.optional_sheet:
            problems.append(error(f"The model has no {spec.sheet} (the sheet is missing or "
                                  "empty)", Location(file=model.source, sheet=spec.sheet),
                                  expected=f"at least one row in {spec.sheet}",
                                  code="empty_table"))
            continue
        attribute = ATTRIBUTE[spec.sheet]
        for f in spec.fields:
            problems.extend(_check_field(spec, f, records, model.column(attribute, f.name)))
        problems.extend(_check_keys(spec, records,
                                    [model.column(attribute, k) for k in spec.key]))
    problems.extend(_check_references(model))
    problems.extend(_check_establishment(model))
    problems.extend(_check_demand(model))
    problems.extend(_check_sharing(model))
    problems.extend(check_scenarios(model))
    return problems


def _check_field(spec: TableSpec, f: FieldSpec, records: Sequence[object],
                 values: list[object]) -> list[Problem]:
    out: list[Problem] = []
    if f.kind in (Kind.NUMBER, Kind.PCT):
        present, numbers = _numbers(values)
        rules: list[tuple[np.ndarray, str, str]] = [
            (~np.isfinite(numbers), f"{f.name} is not a finite number", "a number")]
        finite = np.where(np.isfinite(numbers), numbers, 0.0)
        low = "more than 0" if f.positive else "0 or more"
        if f.positive:
            rules.append((finite <= 0, f"{f.name} must be more than 0", _range(f, low)))
        else:
            rules.append((finite < 0, f"{f.name} cannot be negative", _range(f, low)))
        top = 100.0 if f.kind is Kind.PCT else f.maximum
        if top is not None:
            label = "Percent out of range" if f.kind is Kind.PCT else f"{f.name} is too large"
            rules.append(((finite > top) & (finite >= 0), f"{label} ({f.name})",
                          _range(f, low)))
        flagged = np.zeros(len(values), dtype=bool)
        for mask, message, expected in rules:
            mask = mask & present & ~flagged
            flagged |= mask
            for i in np.flatnonzero(mask).tolist():
                out.append(error(message, where(records[i], spec, i, f.name), values[i],
                                 expected, code="bad_number"))
    elif f.kind is Kind.ENUM and f.choices:
        allowed = set(f.choices)
        if any(v and v not in allowed for v in set(values)):
            for i, v in enumerate(values):
                if v and v not in allowed:
                    out.append(error(f"Unknown {f.name}", where(records[i], spec, i, f.name),
                                     v, " or ".join(f.choices), code="bad_choice"))
    elif f.required and f.kind in (Kind.ID, Kind.TEXT) and any(
            not str(v).strip() for v in set(values)):
        for i, v in enumerate(values):
            if not str(v).strip():
                out.append(error(f"Missing {f.name}", where(records[i], spec, i, f.name),
                                 None, "an ID" if f.kind is Kind.ID else "text",
                                 code="missing_value"))
    return out


def _numbers(values: list[object]) -> tuple[np.ndarray, np.ndarray]:
    """Which values are present (not None), and the values as floats (0 where None); a
    column of numbers, or of blanks only, is converted whole, else value by value."""
    n = len(values)
    if n and values[0] is None and values.count(None) == n:
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=float)
    try:
        numbers = np.array(values, dtype=float)  # a None becomes NaN
    except (TypeError, ValueError):
        numbers = None
    if numbers is not None and not np.isnan(numbers).any():
        return np.ones(n, dtype=bool), numbers
    present = np.array([v is not None for v in values], dtype=bool)
    floats = [float(v) if v is not None else 0.0 for v in values]  # type: ignore[arg-type]
    return present, np.array(floats, dtype=float)


def _range(f: FieldSpec, low: str) -> str:
    if f.kind is Kind.PCT:
        return "a percent from 0 to 100"
    if f.maximum is not None:
        return f"{low} and at most {f.maximum:g}"
    return low


def _check_keys(spec: TableSpec, records: Sequence[object],
                columns: list[list[object]]) -> list[Problem]:
    """Duplicate keys (errors) and near-duplicates that differ only in spaces, case or
    Unicode form (warnings: probably the same thing typed twice). Each distinct ID is
    normalised once; when the keys are all distinct, exactly and loosely, that is proven
    by set sizes and no record is visited."""
    if not spec.key:
        return []
    if _distinct_keys(columns, len(records)):
        return []
    raws = [_keyed(col, _raw) for col in columns]
    keys = [_keyed(col, id_key) for col in raws]
    looses = [_keyed(col, loose_key) for col in raws]
    if any("" not in col for col in raws) or all(map(any, zip(*raws, strict=True))):
        distinct = len(_rows(keys))
        if distinct == len(records) and len(_rows(looses)) == distinct:
            return []
    return _key_problems(spec, records, raws, keys, looses)


def _distinct_keys(columns: list[list[object]], n: int) -> bool:
    """Proof, from set sizes alone, that ``n`` rows of key ``columns`` are all distinct,
    exactly and loosely, with no row blank in every key column: the columns hold only text,
    one of them no blank, normalising is one-to-one on each column's distinct values, and
    the distinct rows number ``n``. False when this cannot be proven (the full check
    decides)."""
    distinct = [set(col) for col in columns]
    if not all(type(v) is str for values in distinct for v in values):
        return False
    if all("" in values for values in distinct):
        return False
    for values in distinct:
        if len(set(map(id_key, values))) != len(values) \
                or len(set(map(loose_key, values))) != len(values):
            return False
    rows = len(distinct[0]) if len(columns) == 1 else len(set(zip(*columns, strict=True)))
    return rows == n


def _raw(value: object) -> str:
    return str(value or "")


def _rows(columns: list[list[str]]) -> set[object]:
    """The distinct rows of ``columns`` (the values themselves for a single column)."""
    return set(columns[0]) if len(columns) == 1 else set(zip(*columns, strict=True))


def _key_problems(spec: TableSpec, records: Sequence[object], raws: list[list[str]],
                  keys: list[list[str]], looses: list[list[str]]) -> list[Problem]:
    out: list[Problem] = []
    exact: dict[tuple[str, ...], int] = {}
    loose: dict[tuple[str, ...], int] = {}
    column = spec.key[-1] if len(spec.key) == 1 else ", ".join(spec.key)
    for i, r in enumerate(records):
        raw = tuple(col[i] for col in raws)
        if not any(raw):
            continue
        k = tuple(col[i] for col in keys)
        lk = tuple(col[i] for col in looses)
        shown = " / ".join(raw)
        if k in exact:
            first = records[exact[k]]
            out.append(error(f"Duplicate {column}: {shown!r} is already at {_row(first)}",
                             where(r, spec, i, spec.key[0]), shown,
                             f"each {column} once", code="duplicate_key"))
            continue
        exact[k] = i
        if lk in loose:
            first = records[loose[lk]]
            other = " / ".join(str(getattr(first, f) or "") for f in spec.key)
            out.append(warning(f"{shown!r} looks like a duplicate of {other!r} at "
                               f"{_row(first)}: they differ only in spaces, case or character "
                               "forms", where(r, spec, i, spec.key[0]), shown,
                               f"each {column} once, written the same way",
                               code="near_duplicate_key"))
        else:
            loose[lk] = i
    return out


def _keyed(values: Sequence[object], key: Callable[[object], str]) -> list[str]:
    """``key`` of each value, computed once per distinct value (IDs repeat a lot)."""
    memo = {v: key(v) for v in set(values)}
    return list(map(memo.__getitem__, values))


def _row(record: object) -> str:
    origin: Location = getattr(record, "origin", NOWHERE)
    return f"row {origin.row}" if origin.row is not None else f"record {(origin.index or 0) + 1}"


def _check_references(model: PlanningModel) -> list[Problem]:
    """Every ID that names a unit, role, stream or period must exist."""
    known: dict[str, dict[str, str]] = {}
    for table in ("Units", "Roles", "Streams"):
        records = getattr(model, ATTRIBUTE[table])
        known[table] = {id_key(getattr(r, KEY_FIELD[table])): getattr(r, KEY_FIELD[table])
                        for r in records}
    known["Periods"] = {id_key(p.period): p.period for p in model.plan_periods}
    out: list[Problem] = []
    for spec in TABLES:
        refs = [f for f in spec.fields if f.refers_to in known]
        records = getattr(model, ATTRIBUTE[spec.sheet])
        for f in refs:
            names = known[f.refers_to]
            hints: dict[str, str] = {}
            values = model.column(ATTRIBUTE[spec.sheet], f.name)
            memo = {v: id_key(v) for v in set(values)}
            if all(k in names or not k for k in memo.values()):
                continue
            for i in [i for i, v in enumerate(values) if memo[v] and memo[v] not in names]:
                r, value = records[i], values[i]
                k = memo[value]
                if k not in hints:
                    hints[k] = _hint(value, names)
                label = LABEL[f.refers_to]
                message = (f"Period {value!r} is not in the Periods sheet"
                           if f.refers_to == "Periods" else f"Unknown {label} {value!r}")
                out.append(error(message + hints[k], where(r, spec, i, f.name), value,
                                 f"a {KEY_FIELD[f.refers_to]} listed in {f.refers_to}",
                                 code="unknown_id"))
    return out


def _hint(value: object, known: dict[str, str]) -> str:
    loose = loose_key(value)
    for original in known.values():
        if loose_key(original) == loose:
            return (f" (did you mean {original!r}? They differ only in spaces or character "
                    "forms)")
    close = difflib.get_close_matches(id_key(value), list(known), n=1, cutoff=0.85)
    return f" (did you mean {known[close[0]]!r}?)" if close else ""


def _check_establishment(model: PlanningModel) -> list[Problem]:
    """Over-establishment (a warning) and more in training or absent than in post (an
    error), compared a column at a time; rows with a number reported already skipped."""
    spec = ESTABLISHMENT
    rows = model.establishment
    columns = ("funded_fte", "in_post_fte", "in_training_fte", "absent_fte")
    try:
        funded, in_post, training, absent = (
            np.array(model.column("establishment", c), dtype=float).reshape(len(rows))
            for c in columns)
    except (TypeError, ValueError):
        return []  # a value that is not a number: reported by _check_field
    with np.errstate(invalid="ignore"):
        fine = np.isfinite(funded) & np.isfinite(in_post) & np.isfinite(training) \
            & np.isfinite(absent) & (funded >= 0) & (in_post >= 0) & (training >= 0) \
            & (absent >= 0)
        over = fine & (in_post > funded + 1e-9)
        above = fine & (training + absent > in_post + 1e-9)
    out: list[Problem] = []
    for i in np.flatnonzero(over | above).tolist():
        e = rows[i]
        if over[i]:
            out.append(warning(
                f"In post ({e.in_post_fte:g}) is more than funded ({e.funded_fte:g}): "
                "over-establishment", where(e, spec, i, "in_post_fte"), e.in_post_fte,
                f"at most funded_fte ({e.funded_fte:g})", code="over_establishment"))
        if above[i]:
            out.append(error(
                f"In training ({e.in_training_fte:g}) plus absent ({e.absent_fte:g}) is more "
                f"than in post ({e.in_post_fte:g})", where(e, spec, i, "in_training_fte"),
                e.in_training_fte + e.absent_fte,
                f"at most in_post_fte ({e.in_post_fte:g})", code="trainees_above_in_post"))
    return out


def _check_demand(model: PlanningModel) -> list[Problem]:
    """A stream with demand but no role skilled for it can never be met."""
    skilled = {id_key(s.stream_id) for s in model.skills
               if id_key(s.role_id) in model.role_by_key}
    first_demand: dict[str, int] = {}
    streams = model.column("demand", "stream_id")
    if all(not k or k in skilled for k in map(id_key, set(streams))):
        return []
    keys = _keyed(streams, id_key)
    for i, d in enumerate(model.demand):
        k = keys[i]
        if k and k not in skilled and k not in first_demand and np.isfinite(d.hours) \
                and d.hours > 0:
            first_demand[k] = i
    out: list[Problem] = []
    for k, i in first_demand.items():
        stream = model.stream_by_key.get(k)
        d = model.demand[i]
        if stream is not None:
            place = where(stream, STREAMS, model.streams.index(stream), "stream_id")
        else:
            place = where(d, DEMAND, i, "stream_id")
        out.append(warning(f"Stream {d.stream_id!r} has demand but no role is skilled for it, "
                           "so none of it can be met", place, d.stream_id,
                           "a row in Skills for this stream", code="stream_without_skill"))
    return out


def _check_sharing(model: PlanningModel) -> list[Problem]:
    spec = SHARING
    units = set(model.column("sharing", "from_unit")) | set(model.column("sharing", "to_unit"))
    keys = {v: id_key(v) for v in units}
    if len(set(keys.values())) == len(keys) and not any(
            a == b for a, b in zip(model.column("sharing", "from_unit"),
                                   model.column("sharing", "to_unit"), strict=True)):
        return []  # each unit written one way, and no rule names the same one twice
    froms = _keyed(model.column("sharing", "from_unit"), id_key)
    tos = _keyed(model.column("sharing", "to_unit"), id_key)
    return [warning("A unit sharing with itself does nothing", where(s, spec, i, "to_unit"),
                    s.to_unit, "a different unit", code="self_sharing")
            for i, s in enumerate(model.sharing) if froms[i] and froms[i] == tos[i]]
