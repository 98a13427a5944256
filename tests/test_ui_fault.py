"""A fault of ours in a slot (here injected with a timer) is shown as a dialog and
written to the log, and the app carries on; it is not a traceback on a console."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from capacity_planner.ui.fault import LOG_NAME, install


@pytest.mark.qt_no_exception_capture
@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")
def test_a_fault_in_a_slot_becomes_a_dialog_and_a_log_entry(qtbot, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    parent = QWidget()
    qtbot.addWidget(parent)
    reporter = install(parent, tmp_path / "logs")
    assert sys.excepthook is reporter

    def broken() -> None:
        raise ValueError("no such period 'Y9'")

    QTimer.singleShot(0, broken)
    qtbot.waitUntil(lambda: reporter.last_dialog is not None and
                    reporter.last_dialog.isVisible(), timeout=5000)
    box = reporter.last_dialog
    assert box is not None
    assert "ValueError: no such period 'Y9'" in box.text()
    assert "did not finish" in box.text()
    assert "Traceback" in box.detailedText() and "in broken" in box.detailedText()
    log = (tmp_path / "logs" / LOG_NAME).read_text(encoding="utf-8")
    assert "ValueError: no such period 'Y9'" in log and "in broken" in log
    assert str(tmp_path / "logs" / LOG_NAME) in box.informativeText()
    box.close()
    ticks: list[int] = []
    QTimer.singleShot(0, lambda: ticks.append(1))  # the event loop carries on
    qtbot.waitUntil(lambda: ticks == [1], timeout=2000)
