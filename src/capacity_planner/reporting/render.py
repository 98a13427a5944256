"""Drawing the results workbook's chart images, on every core when there are many.

A matplotlib chart of this size takes 0.2 to 1.2 s to draw (the small multiples of supply
and projection are the slowest: most of it is laying out and drawing the ticks of a dozen
panels), so five scenarios' 37 images cost about 20 s of one core, against about 2 s for
every table of the workbook. With several cores the images are drawn by a process pool
while this process writes the tables, and taken in sheet order as they are needed. The
pool's workers are forked from a fork server (never from this process, whose Qt or
solver threads must not be forked); the server imports matplotlib and the chart builders
once, so a worker starts drawing at once. Each worker gets the results and the model
once (the pool's initializer), then only (chart, scenario) pairs.

One core, few images, or ``CAPACITY_PLANNER_CHART_WORKERS=1``: drawn here, one by one,
as the sheet is written. The images are the same bytes either way.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from capacity_planner.domain.model import PlanningModel
from capacity_planner.optimise.result import Result
from capacity_planner.reporting.style import Source

if TYPE_CHECKING:
    from capacity_planner.reporting.charts import Chart

IMAGE_DPI = 110
MIN_POOL_JOBS = 8  # fewer images are drawn faster than a pool starts
JOBS_PER_WORKER = 3
PRELOAD = ("capacity_planner.reporting.render", "capacity_planner.reporting.charts",
           "capacity_planner.reporting.export")

_WORKER: tuple[Sequence[Result], PlanningModel, Source] | None = None


def draw(chart_key: str, results: Sequence[Result], scenario: str, model: PlanningModel,
         source: Source) -> tuple[bytes, float]:
    """One chart as PNG bytes, and its height in inches (for the rows it covers)."""
    from capacity_planner.reporting.charts import CHARTS
    from capacity_planner.reporting.export import png_bytes

    fig = CHARTS[chart_key](results, model, scenario, source=source)
    height_in = float(fig.get_size_inches()[1])  # type: ignore[union-attr]
    return png_bytes(fig, dpi=IMAGE_DPI), height_in  # type: ignore[arg-type]


def _init(results: Sequence[Result], model: PlanningModel, source: Source) -> None:
    global _WORKER
    _WORKER = (results, model, source)


def _draw_here(chart_key: str, scenario: str) -> tuple[bytes, float]:
    if _WORKER is None:
        raise RuntimeError("chart worker started without results")
    results, model, source = _WORKER
    return draw(chart_key, results, scenario, model, source)


def workers_for(jobs: int) -> int:
    """Processes worth starting for ``jobs`` images: 1 (draw here) below
    ``MIN_POOL_JOBS`` or on one core."""
    wanted = os.environ.get("CAPACITY_PLANNER_CHART_WORKERS", "").strip()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
    if wanted.isdigit() and int(wanted) > 0:
        cores = int(wanted)
    if jobs < MIN_POOL_JOBS or cores < 2:
        return 1
    return max(1, min(cores, jobs // JOBS_PER_WORKER))


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(PRELOAD))  # no effect once the server runs
        return context
    return multiprocessing.get_context("spawn")


class Renderings:
    """The images of ``jobs`` (chart, result) in order: drawn by a pool started now, or
    here when ``get`` asks for each."""

    def __init__(self, jobs: Sequence[tuple[Chart, Result]], results: Sequence[Result],
                 model: PlanningModel, source: Source, *, pool: bool = False) -> None:
        self.jobs = list(jobs)
        self.results, self.model, self.source = results, model, source
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future[tuple[bytes, float]]] = []
        workers = workers_for(len(self.jobs)) if pool else 1
        if workers > 1:
            self._pool = ProcessPoolExecutor(workers, mp_context=_context(),
                                             initializer=_init,
                                             initargs=(list(results), model, source))
            self._futures = [self._pool.submit(_draw_here, chart.key, result.scenario)
                             for chart, result in self.jobs]

    def get(self, k: int) -> tuple[bytes, float]:
        chart, result = self.jobs[k]
        if self._futures:
            try:
                return self._futures[k].result()
            except BrokenProcessPool:  # a worker died (out of memory?): draw the rest here
                self.close()
        return draw(chart.key, self.results, result.scenario, self.model, self.source)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            self._futures = []
