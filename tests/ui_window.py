"""The main window the UI tests use (``make_window``); ``conftest.window`` opens it on the
bundled sample."""

from __future__ import annotations

from pathlib import Path


def make_window(qtbot, folder: Path):  # noqa: ANN001, ANN201 - Qt is imported lazily
    """A main window with private settings and recovery, closed without asking."""
    from PySide6.QtCore import QSettings

    from capacity_planner.ui.main_window import MainWindow
    from capacity_planner.ui.recovery import RecoveryStore
    from capacity_planner.ui.settings import Settings

    settings = Settings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings, RecoveryStore(folder / "recovery"))
    qtbot.addWidget(window, before_close_func=lambda w: w.document.stack.mark_clean())
    return window
