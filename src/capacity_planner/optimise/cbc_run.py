"""Run CBC so that Cancel stops it mid-run.

PuLP's ``COIN_CMD`` starts ``cbc`` and waits for it with no way in: the run cannot be
interrupted, and Cancel (the app's Esc, an analysis being cancelled) would wait minutes
for a national model. ``CancellableCbc`` is ``COIN_CMD`` with its one blocking step
replaced: the problem is written, CBC is given exactly the command line ``COIN_CMD``
gives it and the solution is read back with PuLP's own helpers (``writeMPS``,
``getOptions``, ``readsol_MPS``), so a run that is not cancelled gives the same plan,
duals, status and statistics (PuLP's ``solve`` still wraps this in its log capture and
``buildStats``); only constraint slacks, which nothing here reads, are left unset.
While CBC runs, ``should_cancel`` is asked every ``POLL_S``; when it says stop, CBC and
anything it started are killed and ``CbcCancelled`` is raised.

CBC runs in a session of its own (POSIX), so a terminal's Ctrl-C reaches only Python,
which then kills CBC here too, and the whole group can be killed at once. Each run's
files go in a private temporary directory that is removed however the run ends.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable

import pulp

POLL_S = 0.05  # how often should_cancel is asked while CBC runs


class CbcCancelled(Exception):
    """``should_cancel`` said stop while CBC was running; CBC has been killed."""


class CancellableCbc(pulp.COIN_CMD):
    """``COIN_CMD`` with the options ``CbcSession`` uses (no warm start, presolve or
    cuts switches, no log file of the caller's) whose run stops when ``should_cancel``
    says so."""

    def __init__(self, path: str, *, mip: bool, time_limit: float | None,
                 gap_rel: float | None, threads: int | None,
                 should_cancel: Callable[[], bool] | None) -> None:
        super().__init__(path=path, msg=False, mip=mip, timeLimit=time_limit,
                         gapRel=gap_rel, threads=threads)
        self.should_cancel = should_cancel

    def cancelled(self) -> bool:
        return self.should_cancel is not None and bool(self.should_cancel())

    def solve_CBC(self, lp: pulp.LpProblem, use_mps: bool = True,
                  ) -> tuple[pulp.LpSolveStatus, bool]:
        if not use_mps:
            raise ValueError("CancellableCbc writes the problem as MPS only")
        if not self.executable(self.path):
            raise pulp.PulpSolverError(f"Pulp: cannot execute {self.path}")
        self.tmpDir = tempfile.mkdtemp(prefix="capacity-cbc-")
        try:
            return self._solve(lp)
        finally:
            shutil.rmtree(self.tmpDir, ignore_errors=True)

    def _solve(self, lp: pulp.LpProblem) -> tuple[pulp.LpSolveStatus, bool]:
        mps, sol = self.create_tmp_files(lp.name, "mps", "sol")
        variables, constraints, _, column_names = lp.writeMPS(mps, rename=True)
        # the command line COIN_CMD.solve_CBC builds for these options, split alike
        cmds = f" {mps} "
        if self.timeLimit is not None:
            cmds += f"-sec {self.timeLimit} "
        for option in self.options + self.getOptions():
            cmds += "-" + option + " "
        cmds += "-solve " if self.mip else "-initialSolve "
        cmds += f"-printingOptions all -solution {sol} "
        if self.cancelled():
            raise CbcCancelled
        code = self._run([self.path, *cmds[1:].split()])
        if code != 0:
            raise pulp.PulpSolverError(
                f"Pulp: Error while trying to execute {self.path} (exit code {code})")
        if not os.path.exists(sol):
            raise pulp.PulpSolverError("Pulp: Error while executing " + self.path)
        if self.cancelled():  # asked while CBC finished: reading the plan takes seconds
            raise CbcCancelled
        status, values, reduced, prices, _, has_solution = self.readsol_MPS(
            sol, lp, variables, constraints, pulp_names_in_column_order=column_names)
        lp.assignVarsVals(values)
        lp.assignVarsDj(reduced)
        lp.assignConsPi(prices)
        # COIN_CMD also sets each constraint's slack, looking every constraint up by
        # name: 3 s of a national run's 10. Nothing here reads slacks, so it is skipped.
        return status, has_solution

    def _run(self, args: list[str]) -> int:
        """Run CBC to the end, or until ``should_cancel`` says stop (then kill it and
        raise ``CbcCancelled``); its output goes to PuLP's log file when PuLP captures
        one (``LpSolver.capture_log``), else nowhere."""
        log = self.optionsDict.get("logPath")
        with open(log or os.devnull, "w") as pipe:
            process = subprocess.Popen(
                args, stdout=pipe, stderr=pipe, stdin=subprocess.DEVNULL,
                start_new_session=os.name != "nt",
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
            try:
                while True:
                    try:
                        return process.wait(POLL_S if self.should_cancel else None)
                    except subprocess.TimeoutExpired:
                        if self.cancelled():
                            raise CbcCancelled from None
            finally:
                if process.returncode is None:  # cancelled, or Python interrupted
                    kill(process)


def kill(process: subprocess.Popen[bytes]) -> None:
    """Kill CBC and whatever it started (its process group on POSIX), and reap it."""
    if os.name != "nt":
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.killpg(process.pid, signal.SIGKILL)
    else:  # pragma: no cover - Windows
        process.kill()
    process.wait()
