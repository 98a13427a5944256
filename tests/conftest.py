"""The app's main window for the UI tests: its own settings file and recovery folder in
the test's temporary folder (nothing of the user's is read or written), closed at teardown
without the unsaved-changes prompt. Modules that need more (the window shown, a shorter
dialog delay) define their own ``window`` on top of ``make_window``."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui_window import make_window


@pytest.fixture
def window(qtbot, tmp_path: Path):  # noqa: ANN001, ANN201
    """A main window on the bundled South East sample (opened as the app opens it)."""
    from capacity_planner.ui.app import start

    w = make_window(qtbot, tmp_path)
    start(w, None)
    return w
