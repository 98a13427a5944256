"""Calibration: does the model deliver what was actually delivered? (DESIGN, issue 9)

The Baseline is solved and, over the periods the ``Actuals`` cover, each unit and
stream's modelled delivery is set against the recorded one, the error is explained in
words ("Thames Valley response support: model delivers 18 % more than recorded;
abstraction of neighbourhood officers may be under-stated"), and, where an input of the
roles that serve it can explain it, the abstraction (or else the productive hours) that
makes the model match is solved for. Nothing is changed: ``Calibration.adjusted_model``
builds the adjusted model only when the caller asks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd

from capacity_planner.analysis.calibrate_search import (
    Adjustment,
    Change,
    apply_changes,
    search,
)
from capacity_planner.analysis.calibrate_words import describe_adjustment, explain
from capacity_planner.domain.actuals import ActualRow, check_actuals
from capacity_planner.domain.ids import id_key
from capacity_planner.domain.model import BASELINE, PlanningModel
from capacity_planner.domain.problems import Problem, error, has_errors, note, warning
from capacity_planner.optimise import solve_scenario
from capacity_planner.optimise.result import Result

Progress = Callable[[float, str], None]
ShouldCancel = Callable[[], bool]

TOLERANCE_PCT = 2.0
CALIBRATION_COLUMNS = ("unit", "stream", "periods", "demand_hours", "modelled_hours",
                       "actual_hours", "error_hours", "error_pct", "within_tolerance",
                       "explanation", "suggestion")
PERIOD_COLUMNS = ("unit", "stream", "period", "demand_hours", "modelled_hours",
                  "actual_hours", "error_hours")


@dataclass(frozen=True)
class CalibrationLine:
    """One unit and stream over the periods of the actuals."""

    unit_id: str
    stream_id: str
    periods: tuple[str, ...]
    demand_hours: float
    modelled_hours: float
    actual_hours: float
    serving: tuple[tuple[str, str, float], ...]  # (from unit, role, hours), most first
    within_tolerance: bool
    explanation: str
    adjustment: Adjustment | None = None
    suggestion: str = ""

    @property
    def error_hours(self) -> float:
        """Modelled less actual: positive when the model delivers more than recorded."""
        return self.modelled_hours - self.actual_hours

    @property
    def error_pct(self) -> float | None:
        return 100.0 * self.error_hours / self.actual_hours if self.actual_hours else None


@dataclass
class Calibration:
    lines: list[CalibrationLine] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    result: Result | None = None  # the Baseline over the actuals' periods
    by_period: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=list(PERIOD_COLUMNS)))
    tolerance_pct: float = TOLERANCE_PCT
    cancelled: bool = False
    solve_failed: bool = False  # the Baseline did not solve (not bad input)

    @property
    def ok(self) -> bool:
        return self.result is not None and not has_errors(self.problems)

    @property
    def adjustments(self) -> list[Adjustment]:
        return [line.adjustment for line in self.lines if line.adjustment is not None]

    def frame(self) -> pd.DataFrame:
        """The comparison table (one row per unit and stream), for the CLI and the app."""
        rows = [{"unit": x.unit_id, "stream": x.stream_id, "periods": ", ".join(x.periods),
                 "demand_hours": x.demand_hours, "modelled_hours": x.modelled_hours,
                 "actual_hours": x.actual_hours, "error_hours": x.error_hours,
                 "error_pct": x.error_pct, "within_tolerance": x.within_tolerance,
                 "explanation": x.explanation, "suggestion": x.suggestion}
                for x in self.lines]
        return pd.DataFrame(rows, columns=list(CALIBRATION_COLUMNS))

    def adjusted_model(self, model: PlanningModel) -> tuple[PlanningModel, list[Problem]]:
        """``model`` with every suggested adjustment applied. Where two suggestions change
        the same input, the one for the larger error (in hours) wins, and a warning says so."""
        chosen: dict[tuple[str, str, str], tuple[Change, CalibrationLine]] = {}
        problems: list[Problem] = []
        for line in sorted(self.lines, key=lambda x: -abs(x.error_hours)):
            if line.adjustment is None:
                continue
            for change in line.adjustment.changes:
                key = (change.parameter, id_key(change.unit_id), id_key(change.role_id))
                if key not in chosen:
                    chosen[key] = (change, line)
                elif abs(chosen[key][0].new - change.new) > 1e-6:
                    winner = chosen[key][1]
                    problems.append(warning(
                        f"{change.parameter} of {change.role_id}"
                        f"{' at ' + change.unit_id if change.unit_id else ''}: "
                        f"{line.unit_id} {line.stream_id} suggests {change.new:,.2f} but "
                        f"{winner.unit_id} {winner.stream_id} (a larger error) suggests "
                        f"{chosen[key][0].new:,.2f}; the latter is used"))
        changes = [c for c, _line in chosen.values()]
        if changes:
            problems.append(note(f"Calibration changed {len(changes)} inputs"))
        return apply_changes(model, changes), problems


def _keyed(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    out = frame.copy()
    for c in columns:
        out[f"{c}_key"] = out[c].map(id_key)
    return out


def _delivered(result: Result, unit: str, stream: str, periods: set[str]) -> float:
    cov = result.coverage
    mask = (cov["unit"].map(id_key) == id_key(unit)) & (
        cov["stream"].map(id_key) == id_key(stream)) & cov["period"].map(id_key).isin(periods)
    return float(cov.loc[mask, "delivered_hours"].sum())


def calibrate(model: PlanningModel, actuals: Sequence[ActualRow], *,
              tolerance_pct: float = TOLERANCE_PCT, suggest: bool = True,
              solver: str = "highs", time_limit: float | None = None,
              progress: Progress | None = None,
              should_cancel: ShouldCancel | None = None) -> Calibration:
    """Compare the Baseline with ``actuals`` and, with ``suggest``, solve for the input
    changes that would make each line outside ``tolerance_pct`` match. ``model`` is never
    changed. Long work reports ``progress(fraction, message)`` and stops when
    ``should_cancel()`` says so (the lines found so far are kept)."""
    report = progress or (lambda fraction, message: None)
    out = Calibration(tolerance_pct=tolerance_pct)
    out.problems.extend(check_actuals(model, actuals))
    if not actuals:
        out.problems.append(error("There are no actuals to calibrate against"))
    if has_errors(out.problems):
        return out
    # The whole plan is solved, not only the actuals' periods: the Baseline has no hiring,
    # so later periods do not change earlier ones, but the LP has ties (streams of equal
    # weight competing for one role) and a smaller LP may break them differently; the
    # same LP as ``solve`` keeps the comparison reproducible.

    def solve(m: PlanningModel) -> Result:
        return solve_scenario(m, BASELINE, solver=solver, time_limit=time_limit,
                              should_cancel=should_cancel)

    report(0.0, "Solving the Baseline")
    result = solve(model)
    if not result.solved:
        out.problems.append(error(f"The Baseline could not be solved ({result.status.value}): "
                                  f"{result.message}"))
        out.cancelled = result.status.value == "cancelled"
        out.solve_failed = True
        return out
    out.result = result
    out.by_period = _by_period(result, actuals)
    lines = _compare(model, result, out.by_period, tolerance_pct)
    todo = [i for i, x in enumerate(lines) if suggest and not x.within_tolerance
            and _adjustable(x)]
    for n, i in enumerate(todo):
        if should_cancel is not None and should_cancel():
            out.cancelled = True
            out.problems.append(warning("Calibration was cancelled; the remaining "
                                        "suggestions were not worked out"))
            break
        x = lines[i]
        report((n + 0.5) / (len(todo) + 1), f"Solving for {x.unit_id} {x.stream_id}")
        periods = {id_key(p) for p in x.periods}

        def delivered(m: PlanningModel, x: CalibrationLine = x,
                      periods: set[str] = periods) -> float:
            r = solve(m)
            if not r.solved:
                raise _SolveFailed(r)
            return _delivered(r, x.unit_id, x.stream_id, periods)

        rows = [(u, r) for u, r, _h in x.serving] or _skilled_rows(model, x)
        tolerance = max(0.05, 1e-5 * x.actual_hours)
        try:
            found = search(delivered, model, x.actual_hours, x.modelled_hours, rows,
                           tolerance)
        except _SolveFailed as exc:
            out.problems.append(warning(f"{x.unit_id} {x.stream_id}: a calibration solve "
                                        f"failed ({exc.result.message}); no suggestion"))
            continue
        lines[i] = _with_adjustment(model, x, found)
    out.lines = lines
    report(1.0, "Done")
    return out


class _SolveFailed(Exception):
    def __init__(self, result: Result) -> None:
        super().__init__(result.message)
        self.result = result


def _by_period(result: Result, actuals: Sequence[ActualRow]) -> pd.DataFrame:
    recorded = pd.DataFrame({
        "unit_key": [id_key(a.unit_id) for a in actuals],
        "stream_key": [id_key(a.stream_id) for a in actuals],
        "period_key": [id_key(a.period) for a in actuals],
        "actual_hours": [a.delivered_hours for a in actuals]})
    cov = _keyed(result.coverage, "unit", "stream", "period")
    merged = recorded.merge(cov, how="left", on=["unit_key", "stream_key", "period_key"])
    names = {(id_key(a.unit_id), id_key(a.stream_id), id_key(a.period)): a for a in actuals}
    keys = zip(merged["unit_key"], merged["stream_key"], merged["period_key"], strict=True)
    first = [names[k] for k in keys]
    frame = pd.DataFrame({
        "unit": [a.unit_id for a in first], "stream": [a.stream_id for a in first],
        "period": [a.period for a in first],
        "demand_hours": merged["demand_hours"].fillna(0.0).astype(float),
        "modelled_hours": merged["delivered_hours"].fillna(0.0).astype(float),
        "actual_hours": merged["actual_hours"].astype(float)})
    frame["error_hours"] = frame["modelled_hours"] - frame["actual_hours"]
    return frame[list(PERIOD_COLUMNS)]


def _serving(result: Result, unit: str, stream: str, periods: set[str]
             ) -> tuple[tuple[str, str, float], ...]:
    alloc = result.allocation
    if alloc.empty:
        return ()
    mask = (alloc["to_unit"].map(id_key) == id_key(unit)) & (
        alloc["stream"].map(id_key) == id_key(stream)) & alloc["period"].map(id_key).isin(
        periods) & (alloc["hours"].astype(float) > 1e-6)
    hours = alloc[mask].groupby(["from_unit", "role"], sort=False)["hours"].sum()
    hours = hours.sort_values(ascending=False, kind="stable")
    return tuple((str(u), str(r), float(h)) for (u, r), h in hours.items())


def _skilled_rows(model: PlanningModel, x: CalibrationLine) -> list[tuple[str, str]]:
    """Establishment rows at the unit whose role is skilled for the stream (when the model
    delivers nothing there is no allocation to say who serves it)."""
    skilled = {id_key(k.role_id) for k in model.skills if id_key(k.stream_id) ==
               id_key(x.stream_id)}
    return [(e.unit_id, e.role_id) for e in model.establishment
            if id_key(e.unit_id) == id_key(x.unit_id) and id_key(e.role_id) in skilled]


def _compare(model: PlanningModel, result: Result, by_period: pd.DataFrame,
             tolerance_pct: float) -> list[CalibrationLine]:
    lines = []
    grouped = by_period.assign(unit_key=by_period["unit"].map(id_key),
                               stream_key=by_period["stream"].map(id_key))
    for (_u, _s), part in grouped.groupby(["unit_key", "stream_key"], sort=False):
        unit, stream = part["unit"].iloc[0], part["stream"].iloc[0]
        periods = tuple(part["period"])
        modelled = float(part["modelled_hours"].sum())
        actual = float(part["actual_hours"].sum())
        demand = float(part["demand_hours"].sum())
        serving = _serving(result, unit, stream, {id_key(p) for p in periods})
        within = abs(modelled - actual) <= max(1e-6, tolerance_pct / 100.0 * abs(actual),
                                               0.05)
        line = CalibrationLine(unit, stream, periods, demand, modelled, actual, serving,
                               within, "")
        lines.append(_explained(model, line, tolerance_pct))
    return lines


def _explained(model: PlanningModel, line: CalibrationLine, tolerance_pct: float,
               ) -> CalibrationLine:
    return replace(line, explanation=explain(model, line, tolerance_pct))


def _adjustable(line: CalibrationLine) -> bool:
    """Supply can explain the gap unless the record exceeds the modelled demand."""
    return not (line.actual_hours > line.demand_hours + 1e-6)


def _with_adjustment(model: PlanningModel, line: CalibrationLine,
                     found: Adjustment | None) -> CalibrationLine:
    if found is None:
        text = ("no abstraction (0 to 95 %) or productive hours (a quarter to four times) "
                "of the roles that serve it makes the model match: check the demand")
    else:
        text = describe_adjustment(model, found)
    return replace(line, adjustment=found, suggestion=text)
