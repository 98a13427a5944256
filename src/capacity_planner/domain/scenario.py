"""Scenario parameters (DESIGN section 4) applied to a copy of the model.

This lives in ``domain`` (pure rules, no I/O) because the optimiser needs it and may not
import ``analysis``. The Baseline changes nothing; the model passed in is never changed
(records are frozen, so this is enforced, not just promised).
"""

from __future__ import annotations

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


def _matches(row: ScenarioRow, **keys: str) -> bool:
    for name, value in keys.items():
        target = id_key(getattr(row, name))
        if target and target != id_key(value):
            return False
    return True


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
    m = model
    s = settings
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
            for est in m.establishment:
                if _matches(row, unit_id=est.unit_id, role_id=est.role_id):
                    caps[(id_key(est.unit_id), id_key(est.role_id))] = _number(row)
            s = replace(s, max_new_fte=caps)
        elif param == "recruit_fte_max":
            fills = dict(s.recruit_fte_max)
            for est in m.establishment:
                for p in m.plan_periods:
                    if _matches(row, unit_id=est.unit_id, role_id=est.role_id, period=p.period):
                        fills[(id_key(est.unit_id), id_key(est.role_id), id_key(p.period))] = (
                            _number(row))
            s = replace(s, recruit_fte_max=fills)
        else:
            m = _apply_model_change(m, row, param)
    return m, s


def _apply_model_change(m: PlanningModel, row: ScenarioRow, param: str) -> PlanningModel:
    v = _number(row)
    if param == "demand_change_pct":
        return m.with_table("demand", tuple(
            replace(d, hours=d.hours * (1 + v / 100))
            if _matches(row, unit_id=d.unit_id, stream_id=d.stream_id, period=d.period) else d
            for d in m.demand))
    if param == "weight":
        return m.with_table("demand", tuple(
            replace(d, weight=v)
            if _matches(row, unit_id=d.unit_id, stream_id=d.stream_id, period=d.period) else d
            for d in m.demand))
    if param == "min_service_pct":
        return m.with_table("demand", tuple(
            replace(d, min_service_pct=v)
            if _matches(row, unit_id=d.unit_id, stream_id=d.stream_id, period=d.period) else d
            for d in m.demand))
    if param == "in_post_change_fte":
        return m.with_table("establishment", tuple(
            replace(e, in_post_fte=max(0.0, e.in_post_fte + v))
            if _matches(row, unit_id=e.unit_id, role_id=e.role_id) else e
            for e in m.establishment))
    if param == "abstraction_pct":
        return m.with_table("establishment", tuple(
            replace(e, abstraction_pct=v)
            if _matches(row, unit_id=e.unit_id, role_id=e.role_id) else e
            for e in m.establishment))
    if param in ("attrition_pct", "overtime_cap_pct"):
        return m.with_table("roles", tuple(
            replace(r, **{param: v}) if _matches(row, role_id=r.role_id) else r
            for r in m.roles))
    if param == "max_share_pct":
        return m.with_table("skills", tuple(
            replace(k, max_share_pct=v)
            if _matches(row, role_id=k.role_id, stream_id=k.stream_id) else k
            for k in m.skills))
    raise ValueError(f"unhandled scenario parameter {param}")
