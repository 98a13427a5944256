"""Scenario parameters (DESIGN section 4) applied to a copy of the model.

This lives in ``domain`` (pure rules, no I/O) because the optimiser needs it and may not
import ``analysis``. The Baseline changes nothing; the model passed in is never changed
(records are frozen, so this is enforced, not just promised).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from capacity_planner.domain.entities import ScenarioRow
from capacity_planner.domain.ids import id_key
from capacity_planner.domain.model import BASELINE, PlanningModel
from capacity_planner.domain.problems import Location, Problem, error, warning

OBJECTIVES = ("coverage", "min_cost")

# parameter -> the target columns it may use
PARAMETERS: dict[str, tuple[str, ...]] = {
    "objective": (),
    "whole_posts": (),
    "demand_change_pct": ("unit_id", "stream_id", "period"),
    "in_post_change_fte": ("unit_id", "role_id"),
    "abstraction_pct": ("unit_id", "role_id"),
    "attrition_pct": ("role_id",),
    "overtime_cap_pct": ("role_id",),
    "budget_gbp": (),
    "max_new_fte": ("unit_id", "role_id"),
    "recruit_fte_max": ("unit_id", "role_id", "period"),
    "max_share_pct": ("role_id", "stream_id"),
    "weight": ("unit_id", "stream_id", "period"),
    "min_service_pct": ("unit_id", "stream_id", "period"),
}
TARGETS = ("unit_id", "role_id", "stream_id", "period")


@dataclass(frozen=True)
class ScenarioSettings:
    """What a scenario sets that is not model data: how the optimiser is asked to plan."""

    name: str = BASELINE
    objective: str = "coverage"
    whole_posts: bool = False
    budget_gbp: float | None = None  # extra money per year
    # Caps keyed by id_key()s: (unit, role) -> sum of new posts; (unit, role, period) -> fills
    max_new_fte: dict[tuple[str, str], float] = field(default_factory=dict)
    recruit_fte_max: dict[tuple[str, str, str], float] = field(default_factory=dict)

    @property
    def allow_new_posts(self) -> bool:
        return self.budget_gbp is not None or self.objective == "min_cost"


class _Matcher:
    """Whether a record is targeted by a scenario row: each target the row sets is
    compared by ``id_key``, and each distinct spelling of an ID is keyed once (a national
    model's scenario rows compare tens of thousands of records; normalising every ID on
    every comparison cost a second)."""

    def __init__(self) -> None:
        self._keys: dict[object, str] = {}

    def key(self, value: object) -> str:
        try:
            return self._keys[value]
        except KeyError:
            found = self._keys[value] = id_key(value)
            return found
        except TypeError:  # unhashable: not an ID anyone typed, but never fail on it
            return id_key(value)

    def targets(self, row: ScenarioRow, *names: str) -> list[tuple[str, str]]:
        """The targets ``row`` sets among ``names``, as (field, key)."""
        return [(name, k) for name in names if (k := self.key(getattr(row, name)))]

    def hits(self, record: object, targets: list[tuple[str, str]]) -> bool:
        return all(self.key(getattr(record, name)) == k for name, k in targets)


def _number(row: ScenarioRow) -> float:
    return float(row.value)  # validated beforehand: check_scenarios()


def rows_of(model: PlanningModel, scenario: str) -> list[ScenarioRow]:
    key = id_key(scenario)
    return [r for r in model.scenarios if id_key(r.scenario) == key]


def check_scenarios(model: PlanningModel) -> list[Problem]:
    """Problems in the Scenarios sheet: unknown parameters, bad values, unused targets."""
    problems: list[Problem] = []
    for row in model.scenarios:
        where = row.origin
        param = id_key(row.parameter)
        if id_key(row.scenario) == id_key(BASELINE):
            problems.append(error("The Baseline cannot be changed; give this scenario another "
                                  "name", _col(where, "scenario"), row.scenario))
            continue
        if param not in PARAMETERS:
            problems.append(error("Unknown scenario parameter", _col(where, "parameter"),
                                  row.parameter, ", ".join(PARAMETERS)))
            continue
        for target in TARGETS:
            if getattr(row, target) and target not in PARAMETERS[param]:
                problems.append(warning(f"{param} does not use a {target} target; it is "
                                        "ignored", _col(where, target), getattr(row, target)))
        if param == "objective":
            if id_key(row.value) not in OBJECTIVES:
                problems.append(error("Unknown objective", _col(where, "value"), row.value,
                                      " or ".join(OBJECTIVES)))
            continue
        try:
            value = float(row.value)
        except (TypeError, ValueError):
            problems.append(error("Scenario value must be a number", _col(where, "value"),
                                  row.value, "a number"))
            continue
        if value != value or value in (float("inf"), float("-inf")):
            problems.append(error("Scenario value must be finite", _col(where, "value"),
                                  row.value, "a number"))
        elif param.endswith("_pct") and param != "demand_change_pct" and not 0 <= value <= 100:
            problems.append(error("Percent out of range", _col(where, "value"), row.value,
                                  "0 to 100"))
        elif param == "demand_change_pct" and value < -100:
            problems.append(error("Demand cannot fall by more than 100 %",
                                  _col(where, "value"), row.value, "-100 or more"))
        elif param in ("budget_gbp", "max_new_fte", "recruit_fte_max", "weight") and value < 0:
            problems.append(error("Value cannot be negative", _col(where, "value"), row.value,
                                  "0 or more"))
    return problems


def _col(where: Location, column: str) -> Location:
    return replace(where, column=column)


def apply_scenario(model: PlanningModel, scenario: str) -> tuple[PlanningModel, ScenarioSettings]:
    """The model as the scenario changes it, and the scenario's planning settings.

    Rows apply in sheet order, so a later row overrides an earlier one on the same target.
    Set-type parameters (abstraction, attrition, overtime cap, shares, weights, minimums)
    replace the value; ``demand_change_pct`` scales hours and ``in_post_change_fte`` adds to
    strength (never below zero).
    """
    settings = ScenarioSettings(name=scenario)
    if id_key(scenario) == id_key(BASELINE):
        return model, settings
    rows = rows_of(model, scenario)
    if not rows:
        raise KeyError(f"No scenario named {scenario!r}")
    s = settings
    match = _Matcher()
    tables = _Tables(model, match)
    for row in rows:
        param = id_key(row.parameter)
        if param == "objective":
            s = replace(s, objective=id_key(row.value))
        elif param == "whole_posts":
            s = replace(s, whole_posts=_number(row) != 0)
        elif param == "budget_gbp":
            s = replace(s, budget_gbp=_number(row))
        elif param == "max_new_fte":
            caps = dict(s.max_new_fte)
            for est in tables.hits("establishment", match.targets(row, "unit_id", "role_id")):
                caps[(match.key(est.unit_id), match.key(est.role_id))] = _number(row)
            s = replace(s, max_new_fte=caps)
        elif param == "recruit_fte_max":
            fills = dict(s.recruit_fte_max)
            period = match.key(row.period)
            periods = [k for k in (match.key(p.period) for p in model.plan_periods)
                       if not period or k == period]
            for est in tables.hits("establishment", match.targets(row, "unit_id", "role_id")):
                unit, role = match.key(est.unit_id), match.key(est.role_id)
                for k in periods:
                    fills[(unit, role, k)] = _number(row)
            s = replace(s, recruit_fte_max=fills)
        else:
            _apply_model_change(tables, row, param)
    return tables.model(), s


class _Tables:
    """Copies of the tables that scenario rows change, changed in place in row order and
    made a new model once; records are found through an index of each target field
    (IDs never change here, only numbers), so a row touches only what it targets."""

    def __init__(self, model: PlanningModel, match: _Matcher) -> None:
        self.base = model
        self.match = match
        self.records: dict[str, list] = {}
        self.index: dict[tuple[str, str], dict[str, list[int]]] = {}

    def positions(self, table: str, targets: list[tuple[str, str]]) -> list[int]:
        records = self.records.setdefault(table, list(getattr(self.base, table)))
        if not targets:
            return list(range(len(records)))
        found = []
        for name, key in targets:
            index = self.index.get((table, name))
            if index is None:
                index = self.index[(table, name)] = {}
                for i, record in enumerate(records):
                    index.setdefault(self.match.key(getattr(record, name)), []).append(i)
            found.append(index.get(key, []))
        best = min(found, key=len)
        return [i for i in best if self.match.hits(records[i], targets)]

    def hits(self, table: str, targets: list[tuple[str, str]]) -> list:
        records = self.records.setdefault(table, list(getattr(self.base, table)))
        return [records[i] for i in self.positions(table, targets)]

    def change(self, table: str, targets: list[tuple[str, str]], **values: object) -> None:
        for i in self.positions(table, targets):
            records = self.records[table]
            records[i] = replace(records[i], **values)

    def scale(self, table: str, targets: list[tuple[str, str]], field: str,
              how: Callable[[float], float]) -> None:
        for i in self.positions(table, targets):
            records = self.records[table]
            records[i] = replace(records[i], **{field: how(getattr(records[i], field))})

    def model(self) -> PlanningModel:
        m = self.base
        for table, records in self.records.items():
            if any(a is not b for a, b in zip(records, getattr(self.base, table), strict=True)):
                m = m.with_table(table, tuple(records))
        return m


def _apply_model_change(tables: _Tables, row: ScenarioRow, param: str) -> None:
    v = _number(row)
    match = tables.match
    demand = match.targets(row, "unit_id", "stream_id", "period")
    staff = match.targets(row, "unit_id", "role_id")
    if param == "demand_change_pct":
        tables.scale("demand", demand, "hours", lambda hours: hours * (1 + v / 100))
    elif param in ("weight", "min_service_pct"):
        tables.change("demand", demand, **{param: v})
    elif param == "in_post_change_fte":
        tables.scale("establishment", staff, "in_post_fte", lambda fte: max(0.0, fte + v))
    elif param == "abstraction_pct":
        tables.change("establishment", staff, abstraction_pct=v)
    elif param in ("attrition_pct", "overtime_cap_pct"):
        tables.change("roles", match.targets(row, "role_id"), **{param: v})
    elif param == "max_share_pct":
        tables.change("skills", match.targets(row, "role_id", "stream_id"), max_share_pct=v)
    else:
        raise ValueError(f"unhandled scenario parameter {param}")
