"""One long job at a time for a panel (a sweep, a Monte Carlo run, a calibration), and the
bar that starts it and shows its progress: Run, a progress bar, the message with the
elapsed time, and Cancel.

Like ``SolveController`` for solves (both are a ``WorkerController``): the controller keeps
the worker while it runs, ticks the elapsed time, and turns the worker's signals into its
own."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from capacity_planner.ui.solve_control import WorkerController
from capacity_planner.ui.worker import Progress, TaskWorker

Job = Callable[[Progress, Callable[[], bool]], object]


class TaskController(WorkerController):
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def start(self, job: Job, what: str = "The run",
              expected: tuple[type[Exception], ...] = ()) -> bool:
        """Run ``job`` in the worker thread; False (nothing started) while one runs."""
        if self.busy:
            return False
        self._launch(TaskWorker(job, what, expected), "Starting…")
        return True

    def _finished(self, result: object) -> None:
        self._done("Finished")
        self.finished.emit(result)

    def _errored(self, message: str) -> None:
        self._done("Failed")
        self.failed.emit(message)

    def _cancelled(self) -> None:
        self._done("Cancelled")
        self.cancelled.emit()


class RunBar(QWidget):
    """Run, progress, the message and elapsed time, and Cancel, following a controller."""

    run_requested = Signal()

    def __init__(self, controller: TaskController, run_text: str = "Run",
                 run_tip: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.run_button = QPushButton(run_text)
        self.run_button.setToolTip(run_tip)
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run_requested)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop the run; what is not yet solved is dropped")
        self.cancel_button.clicked.connect(controller.cancel)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(220)
        self.status = QLabel()
        self.status.setStyleSheet("color: #44546a;")
        self._message = ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.run_button)
        layout.addWidget(self.cancel_button)
        layout.addWidget(self.progress)
        layout.addWidget(self.status, 1)
        controller.busy_changed.connect(self._busy)
        controller.progress.connect(self._progress)
        controller.elapsed.connect(self._elapsed)
        controller.failed.connect(lambda text: self.status.setText(text))
        controller.cancelled.connect(lambda: self.status.setText(
            f"Cancelled after {controller.elapsed_text()}; nothing was kept"))
        self._busy(False)

    def _busy(self, busy: bool) -> None:
        self.run_button.setEnabled(not busy)
        self.cancel_button.setVisible(busy)
        self.progress.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)
            self.status.clear()
        elif self.controller.last_status.startswith("Finished"):
            self.status.setText(self.controller.last_status.replace("Finished", "Done"))

    def _progress(self, fraction: float, message: str) -> None:
        if fraction < 0:
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(max(0.0, min(1.0, fraction)) * 1000))
        self._message = message
        self._elapsed(self.controller.elapsed_text())

    def _elapsed(self, text: str) -> None:
        if self.controller.busy:
            self.status.setText(f"{self._message}  ·  {text}" if text else self._message)
