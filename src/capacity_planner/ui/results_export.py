"""Export results: the results workbook of every solved scenario, written in a worker.

The workbook of six scenarios with its charts takes 10 to 20 s; the planner may go on
working meanwhile (the results and model written are the immutable ones of the moment
Export was chosen). One export runs at a time; closing the window waits for it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

from capacity_planner.ui.task_control import TaskController

if TYPE_CHECKING:
    from capacity_planner.ui.main_window import MainWindow

SAVE_FILTER = "Excel workbook (*.xlsx)"


class ResultsExport:
    """File > Export results. ``report(title, text)`` shows a failure."""

    def __init__(self, window: MainWindow, report: Callable[[str, str], None]) -> None:
        self.window = window
        self.report = report
        self.task = TaskController(window)
        self.task.finished.connect(self._exported)
        self.task.failed.connect(self._failed)
        self._path: Path | None = None

    def start(self, path: Path) -> bool:
        """Start writing the results workbook of every solved scenario to ``path`` in the
        worker; False (with a word in the status bar) while an export is still running.
        ``task.finished`` or ``task.failed`` says how it ended."""
        from capacity_planner.reporting.workbook import write_results

        if self.task.busy:
            self.window.show_message("Still exporting the last results; wait for it to "
                                     "finish", 5000)
            return False
        document = self.window.document
        order = document.model.scenario_names
        results = sorted(self.window.controller.results.values(),
                         key=lambda r: order.index(r.scenario) if r.scenario in order else 999)
        model, problems, target = document.model, list(document.problems), Path(path)

        def job(_progress: object, _cancel: object) -> int:
            try:
                write_results(results, target, model=model, problems=problems)
            except OSError as exc:
                raise OSError(f"Could not write {target.name}: {exc}") from exc
            return len(results)

        self._path = target
        self.task.start(job, "The export", expected=(OSError,))
        self.window.show_message(f"Exporting {len(results)} scenario(s) to {target.name}…", 0)
        return True

    def ask(self) -> None:
        """Ask where to write, then ``start``."""
        if not self.window.controller.results:
            self.report("Nothing to export", "Solve a scenario first (F5).")
            return
        document = self.window.document
        stem = document.path.stem if document.path else "capacity-plan"
        start = str(Path(self.window.settings.last_folder) / f"{stem}-results.xlsx")
        name, _ = QFileDialog.getSaveFileName(self.window, "Export results", start, SAVE_FILTER)
        if name:
            self.start(Path(name))

    def wait(self) -> None:
        """Until an export under way has finished (it is never left half done)."""
        self.task.wait()

    def _exported(self, count: object) -> None:
        name = self._path.name if self._path else "the workbook"
        self.window.show_message(f"Exported {count} scenario(s) to {name}")

    def _failed(self, message: str) -> None:
        self.window.statusBar().clearMessage()
        self.report("Not exported", message)
