"""Sheets parsed ahead, in background threads, while this thread checks and converts.

Calamine releases the GIL while it parses a sheet, so on a machine with two or more
cores the parse of the next sheets overlaps pre-flight's scan of the others and the
conversion of the first into records (bench/RESULTS.md measures it). The safety order of
DESIGN section 8 is kept sheet by sheet: pre-flight calls ``start(name)`` only after the
whole archive has passed its checks (sizes, ratios, CRCs, entities, the shared-strings
count) and that sheet's own extent has been proved; a file that pre-flight then refuses
or sends to the memory-limited child has its parses cancelled and their grids dropped.
Each thread opens its own calamine handle: one handle cannot serve two threads at once.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

import python_calamine

Grid = list[list[object]]


class Prefetch:
    """Grids of the sheets of one workbook, parsed in the background on request."""

    def __init__(self, path: str | os.PathLike[str], workers: int | None = None) -> None:
        self.path = str(Path(path))
        self.workers = workers or max(1, min(4, os.cpu_count() or 1))
        self._pool: ThreadPoolExecutor | None = None
        self._ahead: dict[str, Future[Grid]] = {}
        self.started: list[str] = []  # every sheet ever started, in order
        self.closed = False

    def start(self, name: str) -> None:
        """Begin parsing sheet ``name`` (once; nothing after ``close``)."""
        if self.closed or name in self._ahead:
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="sheet-read")
        self._ahead[name] = self._pool.submit(parse_sheet, self.path, name)
        self.started.append(name)

    def starter(self, wanted: Callable[[str], bool]) -> Callable[[str], None]:
        """``start`` for the sheets ``wanted`` accepts (pre-flight's callback)."""
        return lambda name: self.start(name) if wanted(name) else None

    def ready(self, name: str) -> bool:
        """True unless ``name`` is still being parsed (or waits for a thread)."""
        ahead = self._ahead.get(name)
        return ahead is None or ahead.done()

    def wait_any(self, names: list[str]) -> str:
        """Wait until one of ``names`` is ready and return it (the first of them if none
        is being parsed)."""
        futures = {self._ahead[n]: n for n in names if n in self._ahead}
        if len(futures) < len(names):
            return next(n for n in names if n not in self._ahead)
        done, _ = wait(futures, return_when=FIRST_COMPLETED)
        return min((futures[f] for f in done), key=names.index)

    def take(self, name: str) -> Grid | None:
        """The parsed grid of ``name`` (waiting for it), or None if it was never started.
        A parse that failed raises here, in the caller's thread, as a direct read would."""
        ahead = self._ahead.pop(name, None)
        return None if ahead is None else ahead.result()

    def close(self) -> None:
        """Cancel what has not begun, wait for what has, and drop every grid."""
        self.closed = True
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._ahead.clear()


def parse_sheet(path: str, name: str) -> Grid:
    """One sheet's cells from A1, through a calamine handle of this thread's own."""
    book = python_calamine.CalamineWorkbook.from_path(path)
    try:
        rows: Grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)  # type: ignore[assignment]
        return rows
    finally:
        book.close()
