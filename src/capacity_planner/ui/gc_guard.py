"""Python's cyclic garbage collector, run only in the GUI thread.

Python collects cycles in whichever thread happens to allocate when a threshold is
crossed. In this app, worker threads (a workbook read, a solve) allocate a great deal, so
a collection often starts there, and it may finalise Qt wrappers that belong to the GUI
thread (a closed window's widgets in a cycle), destroying them from the wrong thread: a
segfault, seen in the test suite as "Garbage-collecting" in a worker's ``load_model``.
The remedy used by Qt applications written in Python: switch automatic collection off and
collect from a timer in the GUI thread, with the collector's own thresholds, so that
collection happens as often as before but never in a worker thread.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 250


class MainThreadCollector(QObject):
    """Collects from a timer in the GUI thread; automatic collection is off meanwhile."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.collections = 0
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> int:
        """Collect the generations whose counts passed their thresholds (as automatic
        collection would have); returns the generation collected, or -1."""
        counts, limits = gc.get_count(), self.thresholds
        if counts[0] <= limits[0]:
            return -1
        generation = 2 if counts[2] > limits[2] else 1 if counts[1] > limits[1] else 0
        gc.collect(generation)
        self.collections += 1
        return generation


_installed: MainThreadCollector | None = None


def install() -> MainThreadCollector:
    """Once per process, owned by the application: the app's windows all call this."""
    global _installed
    app = QCoreApplication.instance()
    try:
        current = _installed is not None and _installed.parent() is app
    except RuntimeError:  # the application it belonged to has gone
        current = False
    if not current or _installed is None:
        _installed = MainThreadCollector(app)
    return _installed
