"""Parse a file in a child process with a memory limit, so no file can abort this one.

calamine is Rust: when an allocation fails it aborts the whole process, which no ``try``
can catch (DESIGN section 8). Pre-flight rules this out for ordinary workbooks, which are
read in this process. A file it cannot vouch for (very large, or written in an unusual
way) is parsed by ``run_isolated`` in a ``spawn`` child whose address space is capped
with ``RLIMIT_AS``: a failed allocation then ends the child, not the app, and the caller
gets ``IsolationFailed`` with a message for the planner.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from typing import Any

CHILD_MEMORY_BYTES = 2 * 1024**3  # address space, not resident memory
CHILD_SECONDS = 300.0


class IsolationFailed(Exception):
    """The child could not return a result; ``str()`` says why, in the planner's words."""


def run_isolated(func: Callable[..., Any], *args: Any,
                 memory_bytes: int = CHILD_MEMORY_BYTES,
                 seconds: float = CHILD_SECONDS) -> Any:
    """``func(*args)`` in a spawned child limited to ``memory_bytes`` of address space and
    ``seconds`` of wall time. ``func`` must be importable (a module-level function) and its
    result picklable. Exceptions raised by ``func`` come back as ``IsolationFailed``."""
    ctx = multiprocessing.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(sender, memory_bytes, func, args), daemon=True,
                        name="capacity-planner-reader")
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise IsolationFailed(f"Reading the file took longer than {seconds:,.0f} s and "
                                  "was stopped")
        try:
            kind, value = receiver.recv()
        except (EOFError, OSError):
            child.join(5)
            raise IsolationFailed(_death(child.exitcode, memory_bytes)) from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if kind == "ok":
        return value
    if kind == "memory":
        raise IsolationFailed(_death(None, memory_bytes))
    raise IsolationFailed(str(value))


def _death(exitcode: int | None, memory_bytes: int) -> str:
    how = f" (the reader ended with code {exitcode})" if exitcode not in (None, 1) else ""
    return (f"The file needs more than the {memory_bytes / 2**30:,.1f} GB of memory allowed "
            f"for reading a workbook{how}: it is damaged or crafted, or far larger than a "
            "planning workbook")


def _child(sender: Any, memory_bytes: int, func: Callable[..., Any], args: tuple) -> None:
    """In the child: cap memory, silence the Rust abort message, run, send the outcome."""
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the child still keeps an abort from the app
        pass
    else:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        outcome: tuple[str, Any] = ("ok", func(*args))
    except MemoryError:
        outcome = ("memory", None)
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        outcome = ("error", f"{type(exc).__name__}: {exc}"[:300])
    try:
        sender.send(outcome)
    except MemoryError:
        sender.send(("memory", None))
    finally:
        sender.close()
