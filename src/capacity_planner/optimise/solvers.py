"""Solver sessions: load a Program once, then change objective, bounds and rows between
runs (the two stages of a lexicographic solve, the fixed-integer re-solve for duals).

``HighsSession`` runs HiGHS in process. PuLP's ``HiGHS`` adapter creates and configures
the solver (messages, time limit, gaps, and the callback that reports progress and lets
Cancel interrupt the solve); the rows are then loaded straight from the Program's arrays
in one ``addRows`` call, because PuLP's own loader walks every coefficient in Python and
costs more than the solve itself on a national model. Later stages modify the loaded
model, so HiGHS warm-starts from the previous basis.

``CbcSession`` turns the Program into a PuLP problem for ``COIN_CMD`` (Debian's
``/usr/bin/cbc``) on each run. CBC runs as a separate program and cannot be interrupted
mid-run; Cancel takes effect between runs.

Statuses are honest: ``OPTIMAL`` only when the solver proves it; a run that stops at the
time limit with a plan is ``TIME_LIMIT`` with ``proven`` False.
"""

from __future__ import annotations

import math
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

import numpy as np
import pulp

from capacity_planner.optimise.program import Program

try:  # highspy is a dependency; keep CBC usable if a broken install lacks it
    import highspy
    from highspy import cb as highs_cb
except ImportError:  # pragma: no cover - exercised only on a broken install
    highspy = None  # type: ignore[assignment]
    highs_cb = None  # type: ignore[assignment]

# MIP gaps below which a plan counts as proven optimal
MIP_REL_GAP = 1e-6
MIP_ABS_GAP = 1e-6
SIMPLEX_PRIMAL = 4  # HiGHS option simplex_strategy: 4 is primal simplex
CBC_PATHS = ("/usr/bin/cbc", "cbc")

Progress = Callable[[float, str], None]
ShouldCancel = Callable[[], bool]


class RunStatus(StrEnum):
    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    TIME_LIMIT = "time_limit"  # stopped early: see Outcome.has_solution
    CANCELLED = "cancelled"
    ERROR = "error"


@dataclass
class Outcome:
    status: RunStatus
    values: np.ndarray | None = None  # column values, when a plan exists
    duals: np.ndarray | None = None  # row duals of an LP solved to optimality
    reduced: np.ndarray | None = None  # column duals (reduced costs) of that LP
    objective: float | None = None
    gap: float | None = None  # relative MIP gap of a plan not proven optimal
    seconds: float = 0.0
    message: str = ""

    @property
    def has_solution(self) -> bool:
        return self.values is not None


class SolverUnavailable(RuntimeError):
    """The chosen solver is not installed."""


def _put(a: np.ndarray, idx: np.ndarray, v: np.ndarray) -> np.ndarray:
    out = a.copy()
    out[idx] = v
    return out


def cbc_path() -> str | None:
    for candidate in CBC_PATHS:
        found = shutil.which(candidate)
        if found:
            return found
    return None


class _Watch:
    """What the HiGHS callback needs: when to report progress and whether to stop."""

    def __init__(self, progress: Callable[[str], None] | None,
                 should_cancel: ShouldCancel | None) -> None:
        self.progress = progress
        self.should_cancel = should_cancel
        self.cancelled = False
        self.last_report = 0.0


def _highs_callback(kind: object, message: str, data_out: object, data_in: object,
                    watch: _Watch) -> None:
    if watch.should_cancel is not None and not watch.cancelled and watch.should_cancel():
        watch.cancelled = True
    if watch.cancelled and data_in is not None:
        data_in.user_interrupt = True  # type: ignore[attr-defined]
        return
    now = time.monotonic()
    if watch.progress is not None and now - watch.last_report > 0.25:
        watch.last_report = now
        gap = getattr(data_out, "mip_gap", math.inf)
        if kind == highs_cb.HighsCallbackType.kCallbackMipInterrupt and math.isfinite(gap):
            watch.progress(f"gap {gap:.2%}")
        else:
            iterations = getattr(data_out, "simplex_iteration_count", 0)
            watch.progress(f"{iterations:,} iterations")


class HighsSession:
    name = "highs"

    def __init__(self, program: Program, objective: np.ndarray, *,
                 progress: Callable[[str], None] | None = None,
                 should_cancel: ShouldCancel | None = None, threads: int | None = None,
                 ) -> None:
        if highspy is None:
            raise SolverUnavailable("HiGHS (highspy) is not installed")
        self.program = program
        self.watch = _Watch(progress, should_cancel)
        kinds = [highs_cb.HighsCallbackType.kCallbackSimplexInterrupt,
                 highs_cb.HighsCallbackType.kCallbackIpmInterrupt,
                 highs_cb.HighsCallbackType.kCallbackMipInterrupt]
        adapter = pulp.HiGHS(msg=False, callbackTuple=(_highs_callback, self.watch),
                             callbacksToActivate=kinds, gapRel=MIP_REL_GAP,
                             gapAbs=MIP_ABS_GAP, threads=threads)
        adapter.createAndConfigureSolver(self)  # sets self.solverModel
        self.h: Any = self.solverModel  # highspy.Highs (its stubs lack some methods)
        self.mip = program.is_mip
        self._load(objective)
        # columns and rows whose bounds differ from the Program's: reset_bounds restores
        # only these (resetting every bound cost 0.07 s a stage nationally)
        self._touched_cols: list[np.ndarray] = []
        self._touched_rows: list[np.ndarray] = []

    solverModel: object = None  # set by PuLP's adapter

    def _load(self, objective: np.ndarray) -> None:
        p = self.program
        inf = highspy.kHighsInf
        lower = np.where(np.isinf(p.col_lower), -inf, p.col_lower)
        upper = np.where(np.isinf(p.col_upper), inf, p.col_upper)
        empty = np.zeros(0, dtype=np.int32)
        self.h.addCols(p.n_cols, objective.astype(float), lower, upper, 0, empty, empty,
                       np.zeros(0))
        self._add_rows(0, p.n_rows)
        if self.mip:
            cols = np.flatnonzero(p.integer).astype(np.int32)
            self.h.changeColsIntegrality(len(cols), cols,
                                         np.full(len(cols), highspy.HighsVarType.kInteger))
        self.n_rows = p.n_rows

    def _add_rows(self, first: int, stop: int) -> None:
        p = self.program
        inf = highspy.kHighsInf
        a, b = p.starts[first], p.starts[stop]
        lo = np.where(np.isinf(p.row_lower[first:stop]), -inf, p.row_lower[first:stop])
        hi = np.where(np.isinf(p.row_upper[first:stop]), inf, p.row_upper[first:stop])
        self.h.addRows(stop - first, lo, hi, int(b - a),
                       (p.starts[first:stop] - a).astype(np.int32),
                       p.index[a:b].astype(np.int32), p.value[a:b].astype(float))

    # ---- changes between runs -------------------------------------------------------
    def sync_rows(self, program: Program) -> None:
        """Load the rows that ``program`` has beyond those already loaded."""
        self.program = program
        if program.n_rows > self.n_rows:
            self._add_rows(self.n_rows, program.n_rows)
            self.n_rows = program.n_rows

    def set_objective(self, objective: np.ndarray) -> None:
        n = self.program.n_cols
        self.h.changeColsCost(n, np.arange(n, dtype=np.int32), objective.astype(float))

    def set_row_bounds(self, rows: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        inf = highspy.kHighsInf
        self._touched_rows.append(np.asarray(rows))
        self.h.changeRowsBounds(len(rows), rows.astype(np.int32),
                                np.where(np.isinf(lower), -inf, lower),
                                np.where(np.isinf(upper), inf, upper))

    def set_col_bounds(self, cols: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        inf = highspy.kHighsInf
        self._touched_cols.append(np.asarray(cols))
        self.h.changeColsBounds(len(cols), cols.astype(np.int32),
                                np.where(np.isinf(lower), -inf, lower),
                                np.where(np.isinf(upper), inf, upper))

    def reset_bounds(self) -> None:
        """Back to the Program's own bounds on every column and row changed since."""
        p = self.program
        cols = np.unique(np.concatenate([np.zeros(0, dtype=np.int64), *self._touched_cols]))
        rows = np.unique(np.concatenate([np.zeros(0, dtype=np.int64), *self._touched_rows]))
        rows = rows[rows < p.n_rows]
        self.set_col_bounds(cols, p.col_lower[cols], p.col_upper[cols])
        self.set_row_bounds(rows, p.row_lower[rows], p.row_upper[rows])
        self._touched_cols, self._touched_rows = [], []

    def fix_integers(self, values: np.ndarray) -> None:
        """Fix the integer columns at ``values`` and solve the rest as an LP."""
        cols = np.flatnonzero(self.program.integer).astype(np.int32)
        if not len(cols):
            return
        fixed = np.round(values[cols])
        self.set_col_bounds(cols, fixed, fixed)
        self.h.changeColsIntegrality(len(cols), cols,
                                     np.full(len(cols), highspy.HighsVarType.kContinuous))
        self.mip = False
        self.program = replace(self.program,
                               col_lower=_put(self.program.col_lower, cols, fixed),
                               col_upper=_put(self.program.col_upper, cols, fixed),
                               integer=np.zeros(self.program.n_cols, dtype=bool))

    # ---- run -------------------------------------------------------------------------
    def run(self, time_limit: float | None, start: np.ndarray | None = None,
            primal: bool = False) -> Outcome:
        """Solve. ``primal``: the loaded basis is primal feasible (the previous plan still
        satisfies every row; only the objective or slack bounds changed), so primal
        simplex continues from it: on the national model 250 iterations where the
        default dual simplex takes 1,900."""
        h = self.h
        h.setOptionValue("time_limit", float(time_limit) if time_limit is not None
                         else highspy.kHighsInf)
        if start is not None and self.mip:
            cols = np.arange(len(start), dtype=np.int32)
            h.setSolution(len(start), cols, start.astype(float))
        primal = primal and not self.mip
        if primal:
            _, strategy = h.getOptionValue("simplex_strategy")
            h.setOptionValue("simplex_strategy", SIMPLEX_PRIMAL)
        began = time.perf_counter()
        try:
            h.run()
        finally:
            if primal:
                h.setOptionValue("simplex_strategy", int(strategy))
        seconds = time.perf_counter() - began
        status = h.getModelStatus()
        info = h.getInfo()
        S = highspy.HighsModelStatus
        feasible = info.primal_solution_status == 2  # kSolutionStatusFeasible
        values = duals = reduced = None
        if feasible:
            sol = h.getSolution()
            values = np.asarray(sol.col_value, dtype=float)
            if not self.mip and sol.dual_valid:
                duals = np.asarray(sol.row_dual, dtype=float)
                reduced = np.asarray(sol.col_dual, dtype=float)
        gap = float(info.mip_gap) if self.mip and math.isfinite(info.mip_gap) else None
        text = h.modelStatusToString(status)
        if status == S.kModelEmpty:  # nothing to decide: every column sits at zero
            p = self.program
            values = np.clip(np.zeros(p.n_cols), p.col_lower, p.col_upper)
            return Outcome(RunStatus.OPTIMAL, values, np.zeros(p.n_rows), np.zeros(p.n_cols),
                           0.0, None, seconds, text)
        if status == S.kOptimal:
            return Outcome(RunStatus.OPTIMAL, values, duals, reduced,
                           info.objective_function_value, None, seconds, text)
        if status in (S.kInfeasible, S.kUnboundedOrInfeasible):
            # every objective here is bounded below by zero, so "unbounded or
            # infeasible" can only mean infeasible
            return Outcome(RunStatus.INFEASIBLE, seconds=seconds, message=text)
        if status == S.kInterrupt and self.watch.cancelled:
            return Outcome(RunStatus.CANCELLED, seconds=seconds, message=text)
        if status in (S.kTimeLimit, S.kIterationLimit, S.kSolutionLimit,
                      S.kObjectiveBound, S.kObjectiveTarget, S.kInterrupt):
            return Outcome(RunStatus.TIME_LIMIT, values, None, None,
                           info.objective_function_value if feasible else None, gap,
                           seconds, text)
        return Outcome(RunStatus.ERROR, seconds=seconds, message=f"HiGHS: {text}")


class CbcSession:
    """CBC through PuLP's ``COIN_CMD``; the PuLP problem is rebuilt for every run."""

    name = "cbc"

    def __init__(self, program: Program, objective: np.ndarray, *,
                 progress: Callable[[str], None] | None = None,
                 should_cancel: ShouldCancel | None = None, threads: int | None = None,
                 ) -> None:
        path = cbc_path()
        if path is None:
            raise SolverUnavailable("CBC is not installed (Debian: apt install coinor-cbc)")
        self.path = path
        self.program = program
        self.objective = objective
        self.should_cancel = should_cancel
        self.lower = program.col_lower.copy()
        self.upper = program.col_upper.copy()
        self.base_lower = program.col_lower.copy()
        self.base_upper = program.col_upper.copy()
        self.integer = program.integer.copy()
        self.row_lower = program.row_lower.copy()
        self.row_upper = program.row_upper.copy()
        self.threads = threads

    @property
    def mip(self) -> bool:
        return bool(self.integer.any())

    def sync_rows(self, program: Program) -> None:
        n = self.program.n_rows
        self.program = program
        self.row_lower = np.concatenate([self.row_lower, program.row_lower[n:]])
        self.row_upper = np.concatenate([self.row_upper, program.row_upper[n:]])

    def set_objective(self, objective: np.ndarray) -> None:
        self.objective = objective

    def set_row_bounds(self, rows: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        self.row_lower[rows] = lower
        self.row_upper[rows] = upper

    def set_col_bounds(self, cols: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        self.lower[cols] = lower
        self.upper[cols] = upper

    def reset_bounds(self) -> None:
        self.lower = self.base_lower.copy()
        self.upper = self.base_upper.copy()
        self.row_lower = self.program.row_lower.copy()
        self.row_upper = self.program.row_upper.copy()

    def fix_integers(self, values: np.ndarray) -> None:
        cols = np.flatnonzero(self.integer)
        self.lower[cols] = self.upper[cols] = np.round(values[cols])
        self.base_lower[cols] = self.base_upper[cols] = np.round(values[cols])
        self.integer[:] = False

    def run(self, time_limit: float | None, start: np.ndarray | None = None,
            primal: bool = False) -> Outcome:
        from dataclasses import replace

        from capacity_planner.optimise.pulp_model import to_pulp

        if self.should_cancel is not None and self.should_cancel():
            return Outcome(RunStatus.CANCELLED, message="cancelled before CBC started")
        current = replace(self.program, col_lower=self.lower, col_upper=self.upper,
                          integer=self.integer, row_lower=self.row_lower,
                          row_upper=self.row_upper)
        lp, variables, constraints = to_pulp(current, self.objective)
        solver = pulp.COIN_CMD(path=self.path, msg=False, mip=self.mip,
                               timeLimit=None if time_limit is None else max(1, time_limit),
                               gapRel=MIP_REL_GAP if self.mip else None,
                               threads=self.threads)
        began = time.perf_counter()
        try:
            stats = lp.solve(solver)
        except pulp.PulpSolverError as exc:
            return Outcome(RunStatus.ERROR, seconds=time.perf_counter() - began,
                           message=f"CBC failed: {exc}")
        seconds = time.perf_counter() - began
        S = pulp.LpSolveStatus
        values = None
        if stats.has_solution:
            values = np.array([v.varValue or 0.0 for v in variables], dtype=float)
        duals = reduced = None
        if values is not None and not self.mip:
            duals = np.array([(c.pi or 0.0) if c is not None else 0.0 for c in constraints],
                             dtype=float)
            reduced = np.array([v.dj or 0.0 for v in variables], dtype=float)
        gap = stats.gap_rel
        proven = stats.status in (S.Optimal, S.GapLimit) and (
            not self.mip or gap is None or gap <= MIP_REL_GAP * 10)
        if proven and values is not None:
            return Outcome(RunStatus.OPTIMAL, values, duals, reduced, stats.objective, None,
                           seconds, stats.status_str)
        if stats.status == S.Infeasible:
            return Outcome(RunStatus.INFEASIBLE, seconds=seconds, message="infeasible")
        if values is not None or stats.status in (S.TimeLimit, S.Stopped, S.GapLimit,
                                                  S.Optimal):
            return Outcome(RunStatus.TIME_LIMIT, values, None, None, stats.objective, gap,
                           seconds, stats.status_str)
        return Outcome(RunStatus.ERROR, seconds=seconds, message=f"CBC: {stats.status_str}")


def open_session(solver: str, program: Program, objective: np.ndarray, *,
                 progress: Callable[[str], None] | None = None,
                 should_cancel: ShouldCancel | None = None,
                 ) -> HighsSession | CbcSession:
    if solver == "highs":
        return HighsSession(program, objective, progress=progress,
                            should_cancel=should_cancel)
    if solver == "cbc":
        return CbcSession(program, objective, progress=progress, should_cancel=should_cancel)
    raise SolverUnavailable(f"Unknown solver {solver!r}: choose highs or cbc")
