"""Sweeps: solve over a grid of one or two scenario parameters (DESIGN question 4).

Each grid point is the base scenario's own rows followed by one row per swept parameter,
solved as a synthetic scenario (``sweep demand_change_pct=10``). Rows apply in order, so a
swept value replaces what the base scenario sets for the same target, except
``demand_change_pct``, which scales demand and so compounds with the scenario's own change
(the sweep is "on top of" the scenario) and ``in_post_change_fte``, which adds.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd

from capacity_planner.analysis.executor import (
    ALL_CORES,
    ExecutorSettings,
    Progress,
    ShouldCancel,
    run_variants,
)
from capacity_planner.analysis.variants import (
    DEFAULT_OPTIONS,
    Outcome,
    SolveOptions,
    Variant,
    unique_name,
)
from capacity_planner.domain.entities import ScenarioRow
from capacity_planner.domain.ids import id_key
from capacity_planner.domain.model import BASELINE, PlanningModel
from capacity_planner.domain.scenario import PARAMETERS, check_scenarios

TOTAL_COLUMNS = ("scenario", "status", "demand_hours", "delivered_hours", "unmet_hours",
                 "coverage_pct", "weighted_unmet", "recruited_fte", "new_fte",
                 "overtime_hours", "cost_gbp")
STREAM_COLUMNS = ("stream", "demand_hours", "delivered_hours", "unmet_hours",
                  "coverage_pct", "deployed_cost_gbp")
# --target keys, short or long, to ScenarioRow fields
TARGET_KEYS = {"unit": "unit_id", "unit_id": "unit_id", "role": "role_id",
               "role_id": "role_id", "stream": "stream_id", "stream_id": "stream_id",
               "period": "period"}
NOT_SWEEPABLE = ("objective",)
SWEEPABLE = tuple(p for p in PARAMETERS if p not in NOT_SWEEPABLE)  # for pickers


class SweepError(ValueError):
    """A sweep that cannot be run as asked (a usage error, exit code 2)."""


@dataclass(frozen=True)
class Axis:
    parameter: str
    values: tuple[float, ...]
    target: dict[str, str] = field(default_factory=dict)  # ScenarioRow field -> ID


@dataclass(frozen=True)
class SweepSpec:
    axes: tuple[Axis, ...]
    scenario: str = BASELINE


@dataclass
class SweepResult:
    spec: SweepSpec
    outcomes: list[Outcome]
    table: pd.DataFrame  # one row per point: the axis parameters, then TOTAL_COLUMNS
    streams: pd.DataFrame  # per point and stream: the axis parameters, then STREAM_COLUMNS

    @property
    def not_optimal(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.optimal]


def parse_values(text: str) -> tuple[float, ...]:
    """``-20:40:10`` (start:stop:step, stop included), ``0,5,12.5`` or one number."""
    text = text.strip()
    try:
        if ":" in text:
            parts = [float(p) for p in text.split(":")]
            if len(parts) != 3:
                raise SweepError(f"{text!r}: a range is START:STOP:STEP, e.g. -20:40:10")
            start, stop, step = parts
            if step == 0 or (stop - start) / step < 0:
                raise SweepError(f"{text!r}: the step must go from START towards STOP")
            n = math.floor((stop - start) / step + 1e-9) + 1
            if n > 10_000:
                raise SweepError(f"{text!r}: {n} values are too many (at most 10,000)")
            return tuple(round(start + i * step, 10) for i in range(n))
        values = tuple(float(p) for p in text.split(",") if p.strip())
    except SweepError:
        raise  # already says what is wrong (a SweepError is a ValueError too)
    except ValueError as exc:
        raise SweepError(f"{text!r} is not a list of numbers or a START:STOP:STEP range"
                         ) from exc
    if not values or any(not math.isfinite(v) for v in values):
        raise SweepError(f"{text!r}: give at least one finite number")
    return values


def parse_target(text: str | None) -> dict[str, str]:
    """``stream=FIN,unit=SURREY`` -> ``{"stream_id": "FIN", "unit_id": "SURREY"}``."""
    target: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        field_name = TARGET_KEYS.get(key.strip().lower())
        if not sep or field_name is None or not value.strip():
            raise SweepError(f"{part.strip()!r}: a target is KEY=ID with KEY one of unit, "
                             "role, stream, period")
        target[field_name] = value.strip()
    return target


def check_spec(model: PlanningModel, spec: SweepSpec) -> None:
    """Raise ``SweepError`` naming what is wrong with the sweep for this model."""
    known = {id_key(n) for n in model.scenario_names}
    if id_key(spec.scenario) not in known:
        raise SweepError(f"No scenario named {spec.scenario!r}; the model has "
                         + ", ".join(model.scenario_names))
    tables: dict[str, Mapping[str, object]] = {"unit_id": model.unit_by_key, "role_id": model.role_by_key,
              "stream_id": model.stream_by_key, "period": model.period_index}
    for axis in spec.axes:
        param = id_key(axis.parameter)
        if param not in SWEEPABLE:
            raise SweepError(f"{axis.parameter!r} cannot be swept; choose one of "
                             + ", ".join(SWEEPABLE))
        for name, value in axis.target.items():
            if name not in PARAMETERS[param]:
                allowed = ", ".join(t.removesuffix("_id") for t in PARAMETERS[param])
                raise SweepError(f"{param} does not take a {name.removesuffix('_id')} "
                                 f"target (it takes: {allowed or 'none'})")
            if id_key(value) not in tables[name]:
                raise SweepError(f"Unknown {name.removesuffix('_id')} {value!r}")
    # The swept rows alone, checked by the rules that check a planner's own rows.
    rows = tuple(r for v in variants(model, spec) for r in v.rows)
    errors = [p for p in check_scenarios(replace(model, scenarios=rows)) if p.is_error]
    if errors:
        p = errors[0]
        raise SweepError(f"{p.message} (found {p.value!r}; expected {p.expected})")


def variants(model: PlanningModel, spec: SweepSpec) -> list[Variant]:
    out = []
    for point in itertools.product(*(a.values for a in spec.axes)):
        label = ", ".join(f"{a.parameter}={_fmt(v)}" for a, v in zip(spec.axes, point,
                                                                     strict=True))
        name = unique_name(model, f"sweep {label}")
        rows = tuple(ScenarioRow(name, a.parameter, v, unit_id=a.target.get("unit_id", ""),
                                 role_id=a.target.get("role_id", ""),
                                 stream_id=a.target.get("stream_id", ""),
                                 period=a.target.get("period", ""))
                     for a, v in zip(spec.axes, point, strict=True))
        out.append(Variant(name, spec.scenario, rows))
    return out


def run_sweep(model: PlanningModel, spec: SweepSpec,
              options: SolveOptions = DEFAULT_OPTIONS,
              settings: ExecutorSettings = ALL_CORES, *,
              progress: Progress | None = None,
              should_cancel: ShouldCancel | None = None) -> SweepResult:
    """Solve every grid point. Raises ``SweepError`` for a bad spec, ``Cancelled``."""
    check_spec(model, spec)
    todo = variants(model, spec)
    outcomes = run_variants(model, todo, options, settings, progress=progress,
                            should_cancel=should_cancel, noun="points")
    points = list(itertools.product(*(a.values for a in spec.axes)))
    names = [a.parameter for a in spec.axes]
    return SweepResult(spec, outcomes, _table(names, points, outcomes),
                       _streams(names, points, outcomes))


def _table(names: Sequence[str], points: Sequence[tuple[float, ...]],
           outcomes: Sequence[Outcome]) -> pd.DataFrame:
    rows = [(*point, o.name, o.status, *(o.total(c) for c in TOTAL_COLUMNS[2:]))
            for point, o in zip(points, outcomes, strict=True)]
    return pd.DataFrame(rows, columns=[*names, *TOTAL_COLUMNS])


def _streams(names: Sequence[str], points: Sequence[tuple[float, ...]],
             outcomes: Sequence[Outcome]) -> pd.DataFrame:
    rows = []
    for point, o in zip(points, outcomes, strict=True):
        for s in o.streams:
            cov = 100.0 * s.delivered_hours / s.demand_hours if s.demand_hours else 100.0
            rows.append((*point, s.stream, s.demand_hours, s.delivered_hours, s.unmet_hours,
                         cov, s.deployed_cost_gbp))
    return pd.DataFrame(rows, columns=[*names, *STREAM_COLUMNS])


def _fmt(v: float) -> str:
    return f"{v:g}"
