"""Long work off the UI thread: ``QRunnable``s with a separate signals object (solves, and
any other job: sweeps, Monte Carlo, calibration).

The engine is a plain function taking ``progress(fraction, message)`` and
``should_cancel()``; this wraps it. Cancel sets an event that the engine's HiGHS callback
reads, so the solver itself stops. Exceptions are caught and emitted, never lost.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QRunnable, Signal

from capacity_planner.domain.model import PlanningModel
from capacity_planner.optimise.result import Result, Status

Progress = Callable[[float, str], None]


class CancellableWorker(QRunnable):
    """A runnable the controller keeps while it runs, with a cancel event the work reads."""

    def __init__(self) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the controller keeps it while it runs
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()


def failure(what: str, exc: Exception) -> str:
    """The message for the window: what failed, and the exception's last line."""
    return f"{what} failed: {traceback.format_exception_only(exc)[-1].strip()}"


class SolveSignals(QObject):
    started = Signal()
    progress = Signal(float, str)  # fraction of the whole job, message
    finished = Signal(list)  # list[Result], one per scenario, in order
    errored = Signal(str)
    cancelled = Signal()


class SolveWorker(CancellableWorker):
    def __init__(self, model: PlanningModel, scenarios: Sequence[str], *, solver: str = "highs",
                 time_limit: float | None = None) -> None:
        super().__init__()
        self.model = model
        self.scenarios = list(scenarios)
        self.solver = solver
        self.time_limit = time_limit
        self.signals = SolveSignals()

    def run(self) -> None:
        from capacity_planner.optimise import solve_scenario

        signals = self.signals
        signals.started.emit()
        results: list[Result] = []
        n = len(self.scenarios)
        try:
            for i, scenario in enumerate(self.scenarios):
                def progress(fraction: float, message: str, i: int = i,
                             scenario: str = scenario) -> None:
                    label = f"{scenario}: {message}" if n > 1 else message
                    signals.progress.emit((i + max(0.0, min(1.0, fraction))) / n, label)

                result = solve_scenario(self.model, scenario, solver=self.solver,
                                        time_limit=self.time_limit, progress=progress,
                                        should_cancel=self._cancel.is_set)
                if result.status is Status.CANCELLED or self._cancel.is_set():
                    signals.cancelled.emit()
                    return
                results.append(result)
        except Exception as exc:  # report any engine failure in the window, not a crash
            signals.errored.emit(failure("The solve", exc))
            return
        signals.finished.emit(results)


class TaskSignals(QObject):
    progress = Signal(float, str)  # fraction (-1: unknown), message
    finished = Signal(object)  # whatever the job returned
    errored = Signal(str)
    cancelled = Signal()


class TaskWorker(CancellableWorker):
    """Any long job off the UI thread: ``job(progress, should_cancel) -> result`` (a sweep,
    a Monte Carlo run, a calibration, reading a large file). The analysis layer stops with
    ``executor.Cancelled`` when ``should_cancel()`` turns true; a job that returns after a
    cancel is reported as cancelled too. Exceptions of the ``expected`` classes carry a
    message for the planner and are emitted as it is; any other says what failed."""

    def __init__(self, job: Callable[[Progress, Callable[[], bool]], object],
                 what: str = "The run", expected: tuple[type[Exception], ...] = ()) -> None:
        super().__init__()
        self.job = job
        self.what = what
        self.expected = expected
        self.signals = TaskSignals()

    def run(self) -> None:
        from capacity_planner.analysis.executor import Cancelled

        signals = self.signals
        try:
            result = self.job(signals.progress.emit, self._cancel.is_set)
        except Cancelled:
            signals.cancelled.emit()
            return
        except self.expected as exc:
            signals.errored.emit(str(exc))
            return
        except Exception as exc:  # report any failure in the window, never a crash
            signals.errored.emit(failure(self.what, exc))
            return
        if self._cancel.is_set():
            signals.cancelled.emit()
            return
        signals.finished.emit(result)
