"""Solving off the UI thread: a ``QRunnable`` with a separate signals object.

The engine is a plain function taking ``progress(fraction, message)`` and
``should_cancel()``; this wraps it. Cancel sets an event that the engine's HiGHS callback
reads, so the solver itself stops. Exceptions are caught and emitted, never lost.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Sequence

from PySide6.QtCore import QObject, QRunnable, Signal

from capacity_planner.domain.model import PlanningModel
from capacity_planner.optimise.result import Result, Status


class SolveSignals(QObject):
    started = Signal()
    progress = Signal(float, str)  # fraction of the whole job, message
    finished = Signal(list)  # list[Result], one per scenario, in order
    errored = Signal(str)
    cancelled = Signal()


class SolveWorker(QRunnable):
    def __init__(self, model: PlanningModel, scenarios: Sequence[str], *, solver: str = "highs",
                 time_limit: float | None = None) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the controller keeps it while it runs
        self.model = model
        self.scenarios = list(scenarios)
        self.solver = solver
        self.time_limit = time_limit
        self.signals = SolveSignals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

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
            detail = traceback.format_exception_only(exc)[-1].strip()
            signals.errored.emit(f"The solve failed: {detail}")
            return
        signals.finished.emit(results)
