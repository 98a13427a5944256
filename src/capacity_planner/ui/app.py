"""Starting the desktop app: ``capacity-planner`` with no command calls ``run``."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from capacity_planner import __version__
from capacity_planner.ui.fault import install as install_fault_reporter
from capacity_planner.ui.main_window import MainWindow


def application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("Capacity Planner")
    app.setOrganizationName("Capacity Planner")
    app.setApplicationVersion(__version__)
    return app


def start(window: MainWindow, path: str | None) -> None:
    """Open what the user asked for; else recovered edits; else the last file; else, on the
    first run (or if the last file has gone), the bundled South East sample."""
    files = window.files
    if path and files.open_path(Path(path)):
        return
    if not path and files.offer_recovery():
        return
    last = window.settings.last_file
    if not path and last and Path(last).is_file() and files.open_path(Path(last)):
        return
    files.open_sample()


def run(path: str | None = None) -> int:
    app = application()
    window = MainWindow()
    install_fault_reporter(window)
    window.show()
    start(window, path)
    return int(app.exec())
