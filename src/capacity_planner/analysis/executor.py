"""Run many independent solves: in this process, on every local core, or on a Dask cluster.

Each task is ``solve_variant(model, variant, options)``. The model is sent once, not with
every task: the process pool's initializer keeps it in each worker, and Dask scatters it
to every worker. Local workers never inherit a fork of this process (see ``pool_context``),
so a run started from the app (Qt threads, the HiGHS thread pool) cannot deadlock in a
child.

Progress is reported as tasks finish, ``progress(fraction, message)``; ``should_cancel()``
is polled between completions. Cancelling drops the tasks not yet started; a solve that is
already running is left to finish (one solve is short next to a run of hundreds), and its
outcome is discarded. Results come back in task order whatever the order of completion, so
a run's figures do not depend on how many workers did the work.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from capacity_planner.analysis.variants import (
    DEFAULT_OPTIONS,
    Outcome,
    SolveOptions,
    Variant,
    solve_chain,
)
from capacity_planner.domain.model import PlanningModel

Progress = Callable[[float, str], None]
ShouldCancel = Callable[[], bool]


class Cancelled(Exception):
    """The run was cancelled; ``done`` holds the outcomes finished before it stopped."""

    def __init__(self, done: list[Outcome | None]) -> None:
        super().__init__("cancelled")
        self.done = done


class ExecutionError(Exception):
    """The workers could not run the tasks (a worker died, the scheduler is unreachable)."""


@dataclass(frozen=True)
class ExecutorSettings:
    """Where the solves run: ``workers`` local processes (None: every core, when the run
    is long enough to repay starting them; 1: in this process), or the Dask scheduler at
    ``scheduler`` (``tcp://host:8786``)."""

    workers: int | None = None
    scheduler: str | None = None
    connect_timeout_s: float = 10.0

    def local_workers(self, tasks: int) -> int:
        n = self.workers if self.workers is not None else (os.cpu_count() or 1)
        return max(1, min(n, tasks))

    def describe(self, tasks: int) -> str:
        if self.scheduler:
            return f"Dask scheduler {self.scheduler}"
        n = self.local_workers(tasks)
        if n == 1:
            return "1 process"
        return f"up to {n} local processes" if self.workers is None else f"{n} local processes"


ALL_CORES = ExecutorSettings()
# What starting a spawned pool costs before its first solve: a fresh interpreter importing
# pandas, PuLP and highspy, and the model sent over (measured 1.2 s idle, 2-3 s with the
# machine busy, on 2 cores).
POOL_START_S = 2.5
# Imported once by the fork server, before it forks workers.
PRELOAD = ("capacity_planner.analysis.variants", "capacity_planner.optimise")


def run_variants(model: PlanningModel, variants: Sequence[Variant],
                 options: SolveOptions = DEFAULT_OPTIONS,
                 settings: ExecutorSettings = ALL_CORES, *,
                 progress: Progress | None = None,
                 should_cancel: ShouldCancel | None = None,
                 noun: str = "solves",
                 chains: Sequence[Sequence[int]] | None = None) -> list[Outcome]:
    """Solve every variant; the outcomes in the order of ``variants``.

    ``chains`` groups variant indexes that are solved in order by one worker, each from the
    last one's loaded programme (``variants.solve_chain``); by default each variant is a
    fresh solve of its own. A chain is the unit of work, so it must not be too long.

    With the default settings (every core, no scheduler) the first chain is solved in
    this process and timed; the rest go to a process pool only if that saves more time
    than starting the pool costs (``POOL_START_S``), so comparing five small scenarios does
    not wait for processes to start while a thousand draws use every core.

    Raises ``Cancelled`` when ``should_cancel()`` turns true and ``ExecutionError`` when the
    workers fail as a whole (a single failed solve is an ``error`` outcome instead)."""
    report = _Reporter(len(variants), progress, noun)
    cancel = should_cancel or (lambda: False)
    done: list[Outcome | None] = [None] * len(variants)
    todo = [list(c) for c in chains] if chains is not None else [
        [i] for i in range(len(variants))]
    if not variants:
        return []
    workers = settings.local_workers(len(todo))
    if settings.scheduler:
        _run_dask(model, variants, todo, done, options, settings, report, cancel)
    elif workers == 1:
        report.starting("1 process")
        _run_here(model, variants, todo, done, options, report, cancel)
    elif settings.workers is None:
        report.starting(f"up to {workers} local processes")
        took = _run_here(model, variants, todo[:1], done, options, report, cancel)
        rest = todo[1:]
        workers = settings.local_workers(len(rest))
        if rest and workers > 1 and len(rest) * took * (1 - 1 / workers) > POOL_START_S:
            report.note(f"solving the rest on {workers} local processes")
            _run_pool(model, variants, rest, done, options, workers, report, cancel)
        else:
            _run_here(model, variants, rest, done, options, report, cancel)
    else:
        report.starting(f"{workers} local processes")
        _run_pool(model, variants, todo, done, options, workers, report, cancel)
    return [o for o in done if o is not None]


def _solve(model: PlanningModel, chain: Sequence[Variant], options: SolveOptions,
           should_cancel: ShouldCancel | None = None) -> list[Outcome]:
    """The task: one variant solved afresh, or a chain from one loaded programme."""
    return solve_chain(model, chain, options, should_cancel)


class _Reporter:
    def __init__(self, total: int, progress: Progress | None, noun: str) -> None:
        self.total, self.progress, self.noun = total, progress, noun
        self.count = 0
        self.started = time.perf_counter()

    def starting(self, where: str) -> None:
        if self.progress:
            self.progress(0.0, f"Starting {self.total} {self.noun} on {where}")

    def note(self, message: str) -> None:
        if self.progress:
            self.progress(self.count / self.total,
                          f"{self.count} of {self.total} {self.noun} done, {message}")

    def finished(self, n: int = 1) -> None:
        self.count += n
        if self.progress:
            elapsed = time.perf_counter() - self.started
            self.progress(self.count / self.total,
                          f"{self.count} of {self.total} {self.noun} done, {elapsed:.0f} s")


def _run_here(model: PlanningModel, variants: Sequence[Variant], todo: Sequence[list[int]],
              done: list[Outcome | None], options: SolveOptions, report: _Reporter,
              cancel: ShouldCancel) -> float:
    """Solve the chains ``todo`` in this process; the mean seconds per chain."""
    started = time.perf_counter()
    for chain in todo:
        if cancel():
            raise Cancelled(done)
        outcomes = _solve(model, [variants[i] for i in chain], options, cancel)
        if cancel():  # the solve may have stopped part-way: its outcome is not kept
            raise Cancelled(done)
        for i, outcome in zip(chain, outcomes, strict=True):
            done[i] = outcome
        report.finished(len(chain))
    return (time.perf_counter() - started) / max(1, len(todo))


# ---- local process pool ----------------------------------------------------------------
_WORKER_MODEL: PlanningModel | None = None


def _init_worker(model: PlanningModel) -> None:
    """Keep the model in the worker; leave Ctrl+C to the parent, which shuts the pool."""
    global _WORKER_MODEL
    _WORKER_MODEL = model
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _pool_task(chain: list[Variant], options: SolveOptions) -> list[Outcome]:
    if _WORKER_MODEL is None:
        raise RuntimeError("worker started without a model")
    return _solve(_WORKER_MODEL, chain, options)


def pool_context() -> multiprocessing.context.BaseContext:
    """Workers forked from a fork server where there is one (Linux, macOS), else spawned.

    The fork server is a fresh interpreter (never a fork of this process, so the app's Qt
    and solver threads stay behind); it imports the engine once and then forks each worker
    ready to solve, and it lives as long as this process, so later runs start their pool in
    a fraction of a second. Either way tasks and results are pickled, as with spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(PRELOAD))
        return context
    return multiprocessing.get_context("spawn")


def _run_pool(model: PlanningModel, variants: Sequence[Variant], todo: Sequence[list[int]],
              done: list[Outcome | None], options: SolveOptions, workers: int,
              report: _Reporter, cancel: ShouldCancel) -> None:
    # A bounded queue: a few tasks per worker in flight, so cancel is prompt and a run of
    # 100,000 draws does not hold 100,000 futures.
    window = workers * 4
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=pool_context(),
                               initializer=_init_worker, initargs=(model,))
    try:
        pending: dict[Future[list[Outcome]], list[int]] = {}
        queue = iter(todo)
        for chain in queue:
            pending[pool.submit(_pool_task, [variants[i] for i in chain], options)] = chain
            if len(pending) >= window:
                break
        while pending:
            finished, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in finished:
                chain = pending.pop(future)
                for i, outcome in zip(chain, future.result(), strict=True):
                    done[i] = outcome
                report.finished(len(chain))
            if cancel():
                raise Cancelled(done)
            for chain in queue:
                pending[pool.submit(_pool_task, [variants[i] for i in chain], options)] = chain
                if len(pending) >= window:
                    break
    except BaseException as exc:
        # Cancel (or Ctrl+C, or a failure) stops the solves already running too, not only
        # those queued. Python 3.14 has pool.terminate_workers(); before it, the processes
        # are reached through the pool's own table.
        processes = getattr(pool, "_processes", None) or {}
        for process in list(processes.values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        if isinstance(exc, BrokenProcessPool):
            raise ExecutionError(f"A worker process stopped unexpectedly: {exc}") from exc
        raise
    pool.shutdown(wait=True)


# ---- Dask distributed ----------------------------------------------------------------
def _run_dask(model: PlanningModel, variants: Sequence[Variant], todo: Sequence[list[int]],
              done: list[Outcome | None], options: SolveOptions, settings: ExecutorSettings,
              report: _Reporter, cancel: ShouldCancel) -> None:
    address = str(settings.scheduler)
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - dask is a dependency
        raise ExecutionError("Dask distributed is not installed") from exc
    try:
        client = Client(address, timeout=f"{settings.connect_timeout_s}s")
    except (OSError, TimeoutError) as exc:
        raise ExecutionError(f"Cannot reach the Dask scheduler at {address}: {exc}") from exc
    try:
        workers = len(client.scheduler_info(n_workers=-1).get("workers", {}))
        report.starting(f"Dask scheduler {address} ({workers} workers)")
        shared = client.scatter(model, broadcast=True)
        futures = [client.submit(_solve, shared, [variants[i] for i in chain], options,
                                 pure=False) for chain in todo]
        index = {f.key: chain for f, chain in zip(futures, todo, strict=True)}
        for future in as_completed(futures):
            if cancel():
                client.cancel(futures)
                raise Cancelled(done)
            try:
                outcomes = future.result()
            except Exception as exc:  # noqa: BLE001 - a worker lost, not a solve failure
                client.cancel(futures)
                raise ExecutionError(f"Dask task failed: {type(exc).__name__}: {exc}") from exc
            chain = index[future.key]
            for i, outcome in zip(chain, outcomes, strict=True):
                done[i] = outcome
            report.finished(len(chain))
    finally:
        client.close()
