"""Solve a scenario: apply it to a copy, build, run the two stages, check, read results.

- ``coverage``: minimise weighted unmet demand (minimum service soft, with a penalty),
  then hold that optimum and minimise cost.
- ``min_cost``: minimise cost with minimum service hard, then hold that cost and
  minimise weighted unmet demand. If no plan meets the minimums, an elastic re-solve
  says which streams, units and periods cannot be met, by how much and why.
- ``whole_posts``: fills and new posts are integers (a MILP); duals for marginal values
  come from the LP with the integers fixed.

The status is honest: ``optimal`` only when every stage is proven; a run stopped at the
time limit keeps its best plan as ``time_limit``; every returned plan is checked against
every constraint and refused if it breaks one.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.scenario import ScenarioSettings, apply_scenario
from capacity_planner.optimise.build import Columns, build_program
from capacity_planner.optimise.check import check_solution
from capacity_planner.optimise.explain import explain_infeasible, narrative
from capacity_planner.optimise.extract import (
    allocation_frame,
    cost_frame,
    coverage_frame,
    layers_frame,
    read_plan,
    totals,
    workforce_frame,
)
from capacity_planner.optimise.index import Index, build_index
from capacity_planner.optimise.marginal import marginal_values, next_posts
from capacity_planner.optimise.program import Program
from capacity_planner.optimise.result import Result, SolverInfo, Status
from capacity_planner.optimise.solvers import RunStatus, SolverUnavailable, open_session
from capacity_planner.optimise.stages import Clock, Run, Session, lexicographic

Progress = Callable[[float, str], None]
ShouldCancel = Callable[[], bool]


def solve_scenario(model: PlanningModel, scenario: str = "Baseline", *, solver: str = "highs",
                   time_limit: float | None = None, progress: Progress | None = None,
                   should_cancel: ShouldCancel | None = None) -> Result:
    """Solve one scenario of ``model`` (never changed) and return its Result."""
    report = progress or (lambda fraction, message: None)
    prepared = prepare(model, scenario, solver, report, should_cancel)
    if isinstance(prepared, Result):
        return prepared
    result, _ = solve_prepared(prepared, solver=solver, time_limit=time_limit,
                               report=report, should_cancel=should_cancel)
    return result


@dataclass
class Prepared:
    """A scenario applied to the model and its programme built, ready for the solver."""

    scenario: str
    settings: ScenarioSettings
    ix: Index
    program: Program
    cols: Columns
    build_s: float


def prepare(model: PlanningModel, scenario: str, solver: str, report: Progress,
            should_cancel: ShouldCancel | None) -> Prepared | Result:
    """Apply ``scenario`` and build its programme; a Result when that cannot be done (an
    unknown scenario, a bad value) or the user cancelled first."""
    began = time.perf_counter()
    try:
        changed, settings = apply_scenario(model, scenario)
    except KeyError:
        return Result(scenario, Status.ERROR, message=f"There is no scenario named {scenario!r}.",
                      solver=SolverInfo(name=solver))
    except (TypeError, ValueError) as exc:
        return Result(scenario, Status.ERROR, message=f"Scenario {scenario!r} has a value "
                      f"that is not a number ({exc}); check the Scenarios sheet.",
                      solver=SolverInfo(name=solver))
    if should_cancel is not None and should_cancel():
        return _cancelled(scenario, settings.objective, solver, 0.0, 0.0)
    report(0.02, "Building the model")
    ix = build_index(changed, settings)
    program, cols = build_program(ix, soft_service=settings.objective == "coverage")
    return Prepared(scenario, settings, ix, program, cols, time.perf_counter() - began)


def solve_prepared(prepared: Prepared, *, solver: str, time_limit: float | None,
                   report: Progress, should_cancel: ShouldCancel | None,
                   session: Session | None = None) -> tuple[Result, Session | None]:
    """Run the stages, check the plan and read the results. ``session``: a solver session
    already holding this programme (a re-solve); the session used is returned with the
    Result so that the next re-solve can reuse it."""
    scenario, settings, ix = prepared.scenario, prepared.settings, prepared.ix
    program, cols = prepared.program, prepared.cols
    info = SolverInfo(name=solver, build_s=round(prepared.build_s, 4))
    clock = Clock(time_limit)  # the time limit is the solver's: it starts now
    try:
        if settings.objective == "min_cost":
            run = _min_cost(program, solver, clock, report, should_cancel, session)
        else:
            run = _coverage(program, solver, clock, report, should_cancel, session)
    except SolverUnavailable as exc:
        return Result(scenario, Status.ERROR, settings.objective, message=str(exc),
                      solver=info), None
    info.solve_s = round(run.solve_s, 4)
    if run.status is Status.CANCELLED:
        return _cancelled(scenario, settings.objective, solver, info.build_s,
                          info.solve_s), run.session
    if run.status is Status.INFEASIBLE:
        return _infeasible(ix, solver, clock, report, should_cancel, info,
                           scenario), run.session
    if run.values is None or run.program is None:
        return Result(scenario, Status.ERROR, settings.objective, solver=info,
                      message=run.message or "The solver returned no plan."), run.session
    violations = check_solution(run.program, run.values)
    if violations:
        worst = violations[0]
        return Result(scenario, Status.ERROR, settings.objective, solver=info,
                      explanation=[str(v) for v in violations[:10]],
                      message=f"The solver's plan was refused: it breaks {len(violations)} "
                              f"constraint(s), the worst: {worst}."), run.session
    report(0.95, "Reading the results")
    result = _result(ix, run.program, cols, run.values, run.duals, scenario, run.status,
                     info)
    result.proven_optimal = run.proven
    result.explanation = [*run.notes, *narrative(ix, result, run.program, run.values,
                                                 run.duals)]
    result.message = _message(result, run, time_limit)
    report(1.0, "Done")
    return result, run.session


def solve_all(model: PlanningModel, scenarios: Sequence[str] | None = None, *,
              solver: str = "highs", time_limit: float | None = None,
              progress: Progress | None = None,
              should_cancel: ShouldCancel | None = None) -> list[Result]:
    """Solve each scenario in turn (default: every scenario, Baseline first). After a
    cancel, the remaining scenarios are returned as cancelled without solving."""
    names = list(scenarios) if scenarios is not None else model.scenario_names
    results: list[Result] = []
    for k, name in enumerate(names):
        def part(fraction: float, message: str, k: int = k, name: str = name) -> None:
            if progress is not None:
                progress((k + fraction) / len(names), f"{name}: {message}")
        if results and results[-1].status is Status.CANCELLED:
            results.append(_cancelled(name, "coverage", solver, 0.0, 0.0))
            continue
        results.append(solve_scenario(model, name, solver=solver, time_limit=time_limit,
                                      progress=part, should_cancel=should_cancel))
    return results


# ---- stages ------------------------------------------------------------------------------

def _coverage(program: Program, solver: str, clock: Clock, report: Progress,
              should_cancel: ShouldCancel | None, session: Session | None) -> Run:
    return lexicographic(program, solver, clock, report, should_cancel, "weighted", "cost",
                         ("Maximising coverage", "Minimising cost at that coverage"), 1,
                         session)


def _min_cost(program: Program, solver: str, clock: Clock, report: Progress,
              should_cancel: ShouldCancel | None, session: Session | None) -> Run:
    return lexicographic(program, solver, clock, report, should_cancel, "cost", "weighted",
                         ("Finding the cheapest plan that meets every minimum",
                          "Maximising coverage at that cost"), 2, session)


def _infeasible(ix: Index, solver: str, clock: Clock, report: Progress,
                should_cancel: ShouldCancel | None, info: SolverInfo, scenario: str) -> Result:
    """``min_cost`` cannot meet every minimum: an elastic re-solve (minimum service
    soft, minimising hours below minimum) finds where and by how much."""
    report(0.6, "Finding which minimums cannot be met")
    program, cols = build_program(ix, soft_service=True)
    session = open_session(solver, program, program.objectives["breach_hours"],
                           should_cancel=should_cancel)
    out = session.run(clock.remaining())
    if out.status is RunStatus.CANCELLED:
        return _cancelled(scenario, "min_cost", solver, info.build_s, info.solve_s)
    info.solve_s = round(info.solve_s + out.seconds, 4)
    result = Result(scenario, Status.INFEASIBLE, "min_cost", solver=info)
    if out.values is None:
        result.message = ("No plan meets every minimum service level, and the search for "
                          "the shortfall did not finish.")
        result.explanation = [result.message]
        return result
    filled = _result(ix, program, cols, out.values, None, scenario, Status.INFEASIBLE, info)
    filled.explanation = explain_infeasible(ix, program, cols, out.values)
    short = sum(1 for line in filled.explanation[1:] if "hours short" in line)
    filled.message = (f"Infeasible: no plan meets every minimum service level "
                      f"({short} shortfall{'s' if short != 1 else ''}; see the explanation).")
    return filled


# ---- results -----------------------------------------------------------------------------

def _result(ix: Index, program: Program, cols: Columns, values: np.ndarray,
            duals: np.ndarray | None, scenario: str, status: Status,
            info: SolverInfo) -> Result:
    plan = read_plan(ix, cols, values)
    mv = marginal_values(ix, program, duals)
    costs = cost_frame(ix, plan)
    return Result(
        scenario=scenario,
        status=status,
        objective=ix.settings.objective,
        totals=totals(ix, plan, costs),
        coverage=coverage_frame(ix, plan),
        workforce=workforce_frame(ix, plan, mv),
        allocation=allocation_frame(ix, plan),
        layers=layers_frame(ix),
        next_posts=next_posts(ix, mv),
        costs=costs,
        solver=info,
    )


def _cancelled(scenario: str, objective: str, solver: str, build_s: float,
               solve_s: float) -> Result:
    return Result(scenario, Status.CANCELLED, objective,
                  solver=SolverInfo(name=solver, build_s=build_s, solve_s=solve_s),
                  message="Cancelled: the solve was stopped before it finished; no plan.",
                  explanation=["Cancelled by the user; no plan was produced."])


def _message(result: Result, run: Run, time_limit: float | None) -> str:
    t = result.totals
    head = {Status.OPTIMAL: "Optimal",
            Status.TIME_LIMIT: f"Time limit ({time_limit:g} s): best plan found, not "
                               f"proven optimal" if time_limit else "Stopped early: best "
                               "plan found, not proven optimal"}.get(result.status,
                                                                      result.status.value)
    gap = f" (gap {run.gap:.2%})" if run.gap is not None and math.isfinite(run.gap) else ""
    return (f"{head}{gap}: coverage {t.coverage_pct:.1f} %, {t.unmet_hours:,.0f} hours "
            f"unmet, cost £{t.cost_gbp:,.0f}.")
