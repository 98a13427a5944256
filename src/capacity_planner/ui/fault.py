"""A fault of ours in the app becomes a dialog, not a traceback on a console nobody sees.

Qt calls ``sys.excepthook`` for a Python exception that escapes a slot or an event
handler and then carries on; by default that prints to stderr, which a planner who started
the app from a menu never sees, so the action would just silently not happen. ``install``
replaces the hook: the planner is told in words that the last action did not finish
(with the details behind "Show Details..."), and the traceback is appended to a log file
that can be sent with a report. Work in threads (solves, reads) reports its own failures.
"""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

LOG_NAME = "faults.log"
Hook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def default_log_folder() -> Path:
    from platformdirs import user_log_path

    return user_log_path("Capacity Planner", "Capacity Planner")


class FaultReporter:
    """The hook itself, with the window that owns the dialogs and the log folder."""

    def __init__(self, parent: QWidget | None, log_folder: Path | None = None) -> None:
        self.parent = parent
        self.log = (log_folder or default_log_folder()) / LOG_NAME
        self.last_dialog: QMessageBox | None = None
        self._reporting = False

    def __call__(self, kind: type[BaseException], exc: BaseException,
                 tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt) or self._reporting:
            sys.__excepthook__(kind, exc, tb)
            return
        self._reporting = True
        try:
            details = "".join(traceback.format_exception(kind, exc, tb))
            written = self._write(details)
            box = QMessageBox(QMessageBox.Icon.Critical, "Something went wrong",
                              "The last action did not finish because of a fault in "
                              f"Capacity Planner ({kind.__name__}: {str(exc)[:200]}). If in "
                              "doubt, save your work under a new name.",
                              QMessageBox.StandardButton.Ok, self.parent)
            box.setObjectName("fault_dialog")
            box.setInformativeText(f"The details were added to {written}." if written else
                                   "The details could not be written to a log file.")
            box.setDetailedText(details)
            self.last_dialog = box
            box.open()
        except Exception:  # noqa: BLE001 - the report itself failed: say it the old way
            sys.__excepthook__(kind, exc, tb)
        finally:
            self._reporting = False

    def _write(self, details: str) -> Path | None:
        try:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            with self.log.open("a", encoding="utf-8") as handle:
                handle.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')}\n")
                handle.write(details)
            return self.log
        except OSError:
            return None


def install(parent: QWidget | None, log_folder: Path | None = None) -> FaultReporter:
    """Make faults of ours dialogs (see the module's docstring); returns the reporter."""
    reporter = FaultReporter(parent, log_folder)
    sys.excepthook = reporter
    return reporter
