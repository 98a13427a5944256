"""Cycles are collected in the GUI thread only (``ui.gc_guard``): once a window exists,
automatic collection is off, so a worker thread allocating a great deal (a workbook read)
can never start a collection that finalises Qt objects from the wrong thread; the GUI
thread's timer still collects garbage cycles."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from capacity_planner.ui.gc_guard import install
from capacity_planner.ui.main_window import MainWindow
from capacity_planner.ui.recovery import RecoveryStore
from capacity_planner.ui.settings import Settings


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")
def test_a_window_moves_collection_to_the_gui_thread(qtbot, tmp_path: Path) -> None:
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings, RecoveryStore(tmp_path / "recovery"))
    qtbot.addWidget(window)
    assert not gc.isenabled()
    collector = install()
    assert install() is collector  # one per application
    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle: only the cyclic collector frees it
    gone = weakref.ref(a)
    del a, b
    before = collector.collections
    # live allocations past the first threshold (the count is allocations less frees, so
    # they must stay alive until the timer has looked)
    kept = [[] for _ in range(2 * gc.get_threshold()[0])]
    qtbot.waitUntil(lambda: collector.collections > before and gone() is None, timeout=5000)
    assert gone() is None and len(kept) > 0
