"""CBC (Debian's ``/usr/bin/cbc``) through PuLP: the Program is turned into a PuLP
problem (``to_pulp``) for every run and solved by ``CancellableCbc`` (``cbc_run.py``),
PuLP's ``COIN_CMD`` with its wait replaced by one that asks ``should_cancel`` while CBC
runs and kills CBC when it says stop, so Cancel takes effect mid-run as with HiGHS. The
session offers the same changes between runs as ``HighsSession`` so the two-stage solve
treats both alike.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable

import numpy as np
import pulp

from capacity_planner.optimise.cbc_run import CancellableCbc, CbcCancelled
from capacity_planner.optimise.program import Program
from capacity_planner.optimise.solvers import (
    MIP_REL_GAP,
    Outcome,
    RunStatus,
    ShouldCancel,
    SolverUnavailable,
)


def cbc_path() -> str | None:
    """The ``cbc`` program on PATH (Debian's coinor-cbc puts it in /usr/bin). PATH alone
    decides, so a user or a test that takes CBC off PATH gets "CBC is not installed"
    rather than a solver found behind their back."""
    return shutil.which("cbc")


class CbcSession:
    """CBC through PuLP (``CancellableCbc``); the PuLP problem is rebuilt for every
    run."""

    name = "cbc"
    # CBC hands its solution back as text with eight significant digits (PuLP reads the
    # file), so a value may be off by 5e-9 of itself, and a sum over 40,000 of them by
    # more: a held optimum is held to 1e-7 of itself, and a cap set from a plan's value
    # leaves that much room (stages.py). HighsSession's is 1e-9.
    precision = 1e-7

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
        solver = CancellableCbc(self.path, mip=self.mip,
                                time_limit=None if time_limit is None else max(1, time_limit),
                                gap_rel=MIP_REL_GAP if self.mip else None,
                                threads=self.threads, should_cancel=self.should_cancel)
        began = time.perf_counter()
        try:
            stats = lp.solve(solver)
        except CbcCancelled:
            return Outcome(RunStatus.CANCELLED, seconds=time.perf_counter() - began,
                           message="cancelled while CBC was running")
        except pulp.PulpSolverError as exc:
            return Outcome(RunStatus.ERROR, seconds=time.perf_counter() - began,
                           message=f"CBC failed: {exc}")
        seconds = time.perf_counter() - began
        S = pulp.LpSolveStatus
        values = None
        # an LP stopped early leaves CBC at a simplex point that breaks rows (PuLP still
        # says it "has a solution"): only an optimal LP, or a MIP's incumbent, is a plan
        if stats.has_solution and (self.mip or stats.status in (S.Optimal, S.GapLimit)):
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
            objective = stats.objective if values is not None else None
            return Outcome(RunStatus.TIME_LIMIT, values, None, None, objective, gap, seconds,
                           stats.status_str)
        return Outcome(RunStatus.ERROR, seconds=seconds, message=f"CBC: {stats.status_str}")
