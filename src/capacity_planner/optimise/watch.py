"""Progress and Cancel for a HiGHS run without a Python call on every iteration.

HiGHS asks its interrupt callback on every simplex iteration; a Python callback costs a
few microseconds a call, 5 to 10 % of a national solve. So the callback is registered
but left inactive, and while ``Highs.run`` works (it releases the GIL) a watcher thread
polls ``should_cancel`` every ``POLL_S`` and, when the user cancels or a progress report
is due, activates the callback; HiGHS calls it at its next iteration, where it sets the
interrupt or reports the iteration count (then deactivates itself). Cancel therefore
still stops the solver itself, within ``POLL_S`` and one iteration.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

try:
    from highspy import cb as highs_cb
except ImportError:  # pragma: no cover - exercised only on a broken install
    highs_cb = None  # type: ignore[assignment]

POLL_S = 0.02  # how often the watcher asks should_cancel
REPORT_S = 0.25  # how often progress is reported during a run


def callback_kinds() -> list[Any]:
    k = highs_cb.HighsCallbackType
    return [k.kCallbackSimplexInterrupt, k.kCallbackIpmInterrupt, k.kCallbackMipInterrupt]


class Watch:
    """What the watcher and the HiGHS callback share for one session."""

    def __init__(self, progress: Callable[[str], None] | None,
                 should_cancel: Callable[[], bool] | None) -> None:
        self.progress = progress
        self.should_cancel = should_cancel
        self.cancelled = False
        self.h: Any = None  # the Highs object whose callback this is

    def arm(self) -> None:
        for kind in callback_kinds():
            self.h.startCallback(kind)

    def disarm(self) -> None:
        for kind in callback_kinds():
            self.h.stopCallback(kind)


def highs_callback(kind: object, message: str, data_out: object, data_in: object,
                   watch: Watch) -> None:
    """Called by HiGHS (on the solving thread) only while the watcher has armed it."""
    if watch.cancelled:
        if data_in is not None:
            data_in.user_interrupt = True  # type: ignore[attr-defined]
        return
    watch.disarm()
    if watch.progress is not None:
        gap = getattr(data_out, "mip_gap", math.inf)
        if kind == highs_cb.HighsCallbackType.kCallbackMipInterrupt and math.isfinite(gap):
            watch.progress(f"gap {gap:.2%}")
        else:
            iterations = getattr(data_out, "simplex_iteration_count", 0)
            watch.progress(f"{iterations:,} iterations")


@contextmanager
def watching(watch: Watch) -> Iterator[None]:
    """Run the watcher thread for the duration of the block (one ``Highs.run``)."""
    if watch.should_cancel is None and watch.progress is None:
        yield
        return
    done = threading.Event()

    def poll() -> None:
        next_report = time.monotonic() + REPORT_S
        while True:
            if watch.should_cancel is not None and watch.should_cancel():
                watch.cancelled = True
                watch.arm()
                return
            now = time.monotonic()
            if watch.progress is not None and now >= next_report:
                next_report = now + REPORT_S
                watch.arm()
            if done.wait(POLL_S):
                return

    thread = threading.Thread(target=poll, name="highs-watch", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        watch.disarm()
