"""Reading a workbook (to open it, or to import vacancies from it) off the UI thread while
the caller waits for the answer.

``FileReader.read(path)`` returns the ``ReadResult`` just as a plain ``load_model(path)``
does, so the file code stays a straight line (read, then load or report), but the file is
read by a worker (a ``TaskController``) while a local event loop keeps the window painting.

What the user sees: a busy cursor and "Opening NAME…" in the status bar at once; if the read
takes longer than half a second, a modal dialog with an indeterminate bar and the elapsed
time. Until that dialog shows, the local loop holds the user's clicks and keys back (Qt
delivers them once the read is done, as after a read on the UI thread); once it shows, it
blocks them. Either way nothing can be edited, and no second file opened, while one is read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QProgressBar, QVBoxLayout, QWidget

from capacity_planner.domain.problems import Location, error
from capacity_planner.ui.task_control import TaskController

if TYPE_CHECKING:
    from capacity_planner.io import ReadResult
    from capacity_planner.ui.main_window import MainWindow

T = TypeVar("T")
DIALOG_DELAY_MS = 500  # reads quicker than this show only the cursor and status message


class ReadingDialog(QDialog):
    """Modal, an indeterminate bar and the elapsed time; Esc and the close button do
    nothing (the read cannot be stopped part way, and it ends on its own)."""

    def __init__(self, parent: QWidget, name: str, verb: str = "Opening") -> None:
        super().__init__(parent)
        self.setObjectName("reading_dialog")
        self.setWindowTitle(f"{verb} a workbook")
        self.setWindowFlags(Qt.WindowType.Dialog | Qt.WindowType.CustomizeWindowHint
                            | Qt.WindowType.WindowTitleHint)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.label = QLabel(f"{verb} {name}…")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.bar.setMinimumWidth(360)
        self.elapsed = QLabel("Reading and checking every sheet")
        self.elapsed.setStyleSheet("color: #44546a;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.elapsed)

    def show_elapsed(self, text: str) -> None:
        if text:
            self.elapsed.setText(f"Reading and checking every sheet  ·  {text}")

    def reject(self) -> None:
        """Esc and closing the dialog are ignored: it closes when the read ends."""


class FileReader(QObject):
    """Reads one workbook at a time in a worker; ``read`` waits for it in a local loop."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.controller = TaskController(self)
        self.controller.finished.connect(self._finished)
        self.controller.failed.connect(self._failed)
        self.controller.elapsed.connect(self._elapsed)
        self.dialog_delay_ms = DIALOG_DELAY_MS
        self.dialog: ReadingDialog | None = None
        self._loop: QEventLoop | None = None
        self._result: Any = None  # what the work returned, or a ReadResult of its failure
        self._path: Path | None = None  # the file being read
        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.timeout.connect(self._quit_loop)

    @property
    def busy(self) -> bool:
        """True from the start of a read until ``read`` has returned its result."""
        return self._path is not None

    @property
    def path(self) -> Path | None:
        """The file being read, if any."""
        return self._path

    def read(self, path: Path) -> ReadResult:
        """``load_model(path)`` in the worker, keeping the window painting until it is
        done. The caller must not start a second read meanwhile (``busy``)."""
        from capacity_planner.io import load_model

        path = Path(path)
        return cast("ReadResult", self.run(path, lambda: load_model(path)))

    def run(self, path: Path, work: Callable[[], T], verb: str = "Opening",
            over: QWidget | None = None) -> T | ReadResult:
        """``work()``, another read of ``path`` (a vacancy import, the import wizard's
        preview), in the worker, as ``read`` does; a ``ReadResult`` with one problem if
        ``work`` raises. The reading dialog shows over ``over`` (a dialog that asked),
        else over the window."""
        if self.busy:
            raise RuntimeError("one read at a time: check FileReader.busy first")
        path = Path(path)
        self._path, self._result = path, None
        message = f"{verb} {path.name}…"
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        self.window.show_message(message, 0)
        try:
            self.controller.start(lambda _progress, _cancel: work(), f"Reading {path.name}")
            self._delay.start(self.dialog_delay_ms)
            self._wait(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
            if self._result is None:
                self.dialog = ReadingDialog(over or self.window, path.name, verb)
                self.dialog.show_elapsed(self.controller.elapsed_text())
                self.dialog.show()
                self._wait(QEventLoop.ProcessEventsFlag.AllEvents)
        finally:
            self._delay.stop()
            if self.dialog is not None:
                self.dialog.hide()
                self.dialog.deleteLater()
                self.dialog = None
            QApplication.restoreOverrideCursor()
            if self.window.statusBar().currentMessage() == message:
                self.window.statusBar().clearMessage()
            self._path = None
        assert self._result is not None
        return cast("T | ReadResult", self._result)

    def _wait(self, flags: QEventLoop.ProcessEventsFlag) -> None:
        """Run a local event loop until the read ends (or, before the dialog, the delay)."""
        if self._result is not None:
            return
        self._loop = QEventLoop()
        try:
            self._loop.exec(flags)
        finally:
            self._loop = None

    def _quit_loop(self) -> None:
        if self._loop is not None:
            self._loop.quit()

    def _finished(self, result: object) -> None:
        self._result = result  # type: ignore[assignment]  # load_model's ReadResult
        self._quit_loop()

    def _failed(self, message: str) -> None:
        """load_model reports bad files as problems; anything it raises is one more."""
        from capacity_planner.io import ReadResult

        name = self._path.name if self._path is not None else ""
        self._result = ReadResult(None, [error(message, Location(file=name),
                                               code="read_failed")])
        self._quit_loop()

    def _elapsed(self, text: str) -> None:
        if self.dialog is not None:
            self.dialog.show_elapsed(text)
