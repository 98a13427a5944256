"""Solver sessions: load a Program once, then change objective, bounds and rows between
runs (the two stages of a lexicographic solve, the fixed-integer re-solve for duals, and
re-solves after an edit, see ``optimise/session.py``).

``HighsSession`` runs HiGHS in process. PuLP's ``HiGHS`` adapter creates and configures
the solver (messages, gaps, and the callback through which progress is reported and
Cancel interrupts the solve, activated only when needed: ``optimise/watch.py``). The
rows are then loaded straight from the Program's arrays in one ``addRows`` call rather
than built as a PuLP problem and loaded by PuLP, which walks every coefficient in
Python: for the national first stage ``to_pulp`` plus ``pulp.HiGHS`` take 1.27 s where
the arrays, this load and the same HiGHS run take 0.50 s (HiGHS reading the LP from a
file and solving it: 0.65 s; ``bench/RESULTS.md``). PuLP remains the modelling layer
for CBC and for writing the problem out (``pulp_model.to_pulp``). Later stages modify the loaded model, so HiGHS warm-starts
from the previous basis.

``CbcSession`` (optimise/cbc.py) turns the Program into a PuLP problem for CBC
(Debian's ``/usr/bin/cbc``) on each run. CBC runs as a separate program; while it runs
``should_cancel`` is polled and Cancel kills it (optimise/cbc_run.py).

Statuses are honest: ``OPTIMAL`` only when the solver proves it; a run that stops at the
time limit with a plan is ``TIME_LIMIT`` with ``proven`` False.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import numpy as np
import pulp

from capacity_planner.optimise.program import Program

if TYPE_CHECKING:
    from capacity_planner.optimise.cbc import CbcSession

from capacity_planner.optimise.watch import Watch, highs_callback, watching

try:  # highspy is a dependency; keep CBC usable if a broken install lacks it
    import highspy
except ImportError:  # pragma: no cover - exercised only on a broken install
    highspy = None  # type: ignore[assignment]

# MIP gaps below which a plan counts as proven optimal
MIP_REL_GAP = 1e-6
MIP_ABS_GAP = 1e-6
SIMPLEX_PRIMAL = 4  # HiGHS option simplex_strategy: 4 is primal simplex

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


def same_structure(a: Program, b: Program) -> bool:
    """Same columns, rows and coefficient positions: only numbers may differ."""
    return (a.n_cols == b.n_cols and a.n_rows == b.n_rows and a.blocks == b.blocks
            and {k: (f.start, f.count) for k, f in a.families.items()}
            == {k: (f.start, f.count) for k, f in b.families.items()}
            and np.array_equal(a.starts, b.starts) and np.array_equal(a.index, b.index)
            and np.array_equal(a.integer, b.integer))


class HighsSession:
    name = "highs"
    # relative precision of the values it returns (doubles, straight from the solver):
    # how far a held optimum may move (stages.hold_limit)
    precision = 1e-9

    def __init__(self, program: Program, objective: np.ndarray, *,
                 progress: Callable[[str], None] | None = None,
                 should_cancel: ShouldCancel | None = None, threads: int | None = None,
                 ) -> None:
        if highspy is None:
            raise SolverUnavailable("HiGHS (highspy) is not installed")
        self.program = program
        self.watch = Watch(progress, should_cancel)
        # the callback is registered inactive: optimise/watch.py activates it when needed
        adapter = pulp.HiGHS(msg=False, callbackTuple=(highs_callback, self.watch),
                             gapRel=MIP_REL_GAP, gapAbs=MIP_ABS_GAP, threads=threads)
        adapter.createAndConfigureSolver(self)  # sets self.solverModel
        self.h: Any = self.solverModel  # highspy.Highs (its stubs lack some methods)
        self.watch.h = self.h
        self.mip = program.is_mip
        self.base = program  # the programme as loaded, without rows added since
        self.first_basis: Any = None  # the first stage's optimal basis (see reload)
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
    def keep_basis(self) -> None:
        """Remember the current (first-stage) basis for the next ``reload``."""
        self.first_basis = self.h.getBasis()

    def reload(self, program: Program, objective: np.ndarray) -> bool:
        """Load ``program``'s numbers over the loaded programme's when both have the same
        structure (blocks, row families, where each coefficient sits) and are LPs:
        only the bounds and coefficients that differ are sent, rows added since are
        dropped and the first stage's basis is restored, so HiGHS starts from the last
        optimum. False, changing nothing, when the structure differs."""
        old = self.base
        if self.mip or program.is_mip or not same_structure(old, program):
            return False
        moved = np.flatnonzero(old.value != program.value)
        if len(moved) > max(100, len(program.value) // 10):
            return False  # loading afresh is cheaper than that many single changes
        if self.n_rows > old.n_rows:  # the hold row of the last solve
            extra = np.arange(old.n_rows, self.n_rows, dtype=np.int32)
            self.h.deleteRows(len(extra), extra)
            self.n_rows = old.n_rows
        rows = np.searchsorted(program.starts, moved, side="right") - 1
        for i, j, v in zip(rows.tolist(), program.index[moved].tolist(),
                           program.value[moved].tolist(), strict=True):
            self.h.changeCoeff(i, j, v)
        cols = np.unique(np.concatenate([
            np.flatnonzero((old.col_lower != program.col_lower)
                           | (old.col_upper != program.col_upper)), *self._touched_cols]))
        touched = np.concatenate([np.zeros(0, dtype=np.int64), *self._touched_rows])
        rows = np.unique(np.concatenate([
            np.flatnonzero((old.row_lower != program.row_lower)
                           | (old.row_upper != program.row_upper)),
            touched[touched < program.n_rows]]))
        self.program = self.base = program
        self.set_col_bounds(cols, program.col_lower[cols], program.col_upper[cols])
        self.set_row_bounds(rows, program.row_lower[rows], program.row_upper[rows])
        self._touched_cols, self._touched_rows = [], []
        self.set_objective(objective)
        self.watch.cancelled = False
        if self.first_basis is not None:
            self.h.setBasis(self.first_basis)
        return True

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
            with watching(self.watch):
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


def open_session(solver: str, program: Program, objective: np.ndarray, *,
                 progress: Callable[[str], None] | None = None,
                 should_cancel: ShouldCancel | None = None,
                 ) -> HighsSession | CbcSession:
    if solver == "highs":
        return HighsSession(program, objective, progress=progress,
                            should_cancel=should_cancel)
    if solver == "cbc":
        from capacity_planner.optimise.cbc import CbcSession

        return CbcSession(program, objective, progress=progress, should_cancel=should_cancel)
    raise SolverUnavailable(f"Unknown solver {solver!r}: choose highs or cbc")
