"""Runs one solve at a time in a worker and keeps the latest results (and the controller
of one worker at a time that it shares with ``TaskController``).

Results remember the document revision they were solved at, so views can say "stale"
once the model has been edited since.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QElapsedTimer, QObject, QThreadPool, QTimer, Signal

from capacity_planner.optimise.result import Result
from capacity_planner.ui.document import Document
from capacity_planner.ui.worker import CancellableWorker, SolveWorker, TaskWorker


def format_elapsed(ms: int) -> str:
    seconds = ms / 1000
    if seconds < 60:
        return f"{seconds:.1f} s"
    return f"{int(seconds // 60)} min {int(seconds % 60):02d} s"


class WorkerController(QObject):
    """One worker at a time on a pool of one thread: keeps the worker while it runs, ticks
    the elapsed time, and relays the worker's progress. Subclasses connect the worker's
    finished, errored and cancelled to ``_finished``, ``_errored`` and ``_cancelled``."""

    busy_changed = Signal(bool)
    progress = Signal(float, str)  # fraction (-1: unknown), message
    elapsed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.worker: CancellableWorker | None = None
        # The last worker, kept after it has reported: its thread may still be on its way
        # out of run() (and PySide's emit still touching its signals object) when the
        # report arrives here, so dropping it then could free them under that thread
        # (a rare segfault). It is released once the pool is done with it (``_launch``).
        self._retired: CancellableWorker | None = None
        self.last_status = ""
        self._clock = QElapsedTimer()
        self._ticker = QTimer(self)
        self._ticker.setInterval(200)
        self._ticker.timeout.connect(lambda: self.elapsed.emit(self.elapsed_text()))

    @property
    def busy(self) -> bool:
        return self.worker is not None

    def elapsed_text(self) -> str:
        return format_elapsed(self._clock.elapsed()) if self._clock.isValid() else ""

    def _launch(self, worker: SolveWorker | TaskWorker, message: str) -> None:
        self.pool.waitForDone()  # the last worker's thread has left run(): release it
        self._retired = None
        worker.signals.progress.connect(self.progress)
        worker.signals.finished.connect(self._finished)
        worker.signals.errored.connect(self._errored)
        worker.signals.cancelled.connect(self._cancelled)
        self.worker = worker
        self._clock.start()
        self._ticker.start()
        self.busy_changed.emit(True)
        self.progress.emit(-1.0, message)
        self.pool.start(worker)

    def cancel(self) -> None:
        if self.worker is not None and not self.worker.is_cancelled:
            self.worker.cancel()
            self.progress.emit(-1.0, "Cancelling…")

    def wait(self, ms: int = -1) -> bool:
        """Block until the worker thread is done (closing the window, tests)."""
        return self.pool.waitForDone(ms)

    def _done(self, status: str) -> None:
        self._ticker.stop()
        self.last_status = f"{status} in {self.elapsed_text()}"
        self._retired, self.worker = self.worker, None
        self.busy_changed.emit(False)

    def _finished(self, result: object) -> None:
        raise NotImplementedError

    def _errored(self, message: str) -> None:
        raise NotImplementedError

    def _cancelled(self) -> None:
        raise NotImplementedError


class SolveController(WorkerController):
    solve_finished = Signal(list)  # list[Result]
    solve_failed = Signal(str)
    solve_cancelled = Signal()
    results_changed = Signal()

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.results: dict[str, Result] = {}
        self.results_revision = -1
        self.solver = "highs"
        self.time_limit: float | None = None
        self._revision = 0

    @property
    def stale(self) -> bool:
        return bool(self.results) and self.results_revision != self.document.revision

    def solve(self, scenarios: Sequence[str]) -> bool:
        """Start solving; False (and nothing started) while another solve runs."""
        if self.busy or not scenarios:
            return False
        self._revision = self.document.revision
        self._launch(SolveWorker(self.document.model, scenarios, solver=self.solver,
                                 time_limit=self.time_limit), "Building the model…")
        return True

    def _finished(self, results: list[Result]) -> None:  # type: ignore[override]
        if self.results_revision != self._revision:
            self.results = {}  # results of an older model do not mix with the new ones
        for result in results:
            self.results[result.scenario] = result
        self.results_revision = self._revision
        worst = next((r for r in results if not r.solved), None)
        status = "Solved" if worst is None else f"{worst.scenario}: {worst.status.value}"
        self._done(status)
        self.results_changed.emit()
        self.solve_finished.emit(results)

    def _errored(self, message: str) -> None:
        self._done("Failed")
        self.solve_failed.emit(message)

    def _cancelled(self) -> None:
        self._done("Cancelled")
        self.solve_cancelled.emit()

    def clear(self) -> None:
        self.results = {}
        self.results_revision = -1
        self.results_changed.emit()
