"""Where the import of a large workbook spends its time, stage by stage (issue 7).

    .venv/bin/python bench/import_profile.py [--rows 50000] [--runs 5]

Writes the three-sheet workbook of ``bench/large_import.py`` and times ``load_model``
with each stage wrapped: pre-flight (zip checks and every sheet's extent scan), waiting
for calamine (the main thread idle while a background thread parses), the reader's
conversion into records (and, inside it, the record building), and validation. The
stages that hold the GIL cannot overlap calamine's parse or one another, so their sum
is the floor of the import's wall time on any number of cores. Prints a table of
medians and calamine's raw read of the same file in the same run; ``--timeline`` also
prints one import's events (pre-flight vouching for a sheet, each background parse, each
table's conversion, validation) in milliseconds from its start, by thread.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import large_import  # noqa: E402
import lp_raw  # noqa: E402

import capacity_planner.io.reader as reader  # noqa: E402
import capacity_planner.io.reader_load as reader_load  # noqa: E402
import capacity_planner.io.reader_prefetch as reader_prefetch  # noqa: E402
import capacity_planner.io.reader_sheets as reader_sheets  # noqa: E402
import capacity_planner.io.reader_source as reader_source  # noqa: E402

STAGES = {  # label: (module or class, attribute)
    "pre-flight": (reader, "check_workbook"),
    "waiting for calamine": (reader_source.Source, "wait_any"),
    "  and for a sheet taken at once": (reader_source.Source, "grid"),
    "conversion (read_table)": (reader, "read_table"),
    "  of which records": (reader_sheets, "_records"),
    "validation": (reader_load, "validate"),
}


def timed(spent: dict[str, float], label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.perf_counter() - began
    return wrapper


def timeline(path: Path) -> None:
    """One import's events by thread, in milliseconds from its start."""
    events: list[tuple[float, str, str]] = []
    began = [0.0]

    def traced(label: str, fn: Callable[..., Any], name_at: int | None) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            name = args[name_at] if name_at is not None else kwargs.get("sheet", "")
            thread = threading.current_thread().name
            events.append((time.perf_counter() - began[0], thread, f"{label} {name} begins"))
            try:
                return fn(*args, **kwargs)
            finally:
                events.append((time.perf_counter() - began[0], thread, f"{label} {name} ends"))
        return wrapper

    reader_prefetch.parse_sheet = traced("parse", reader_prefetch.parse_sheet, 1)
    reader.read_table = traced("convert", reader.read_table, None)
    reader_load.validate = traced("validate", reader_load.validate, None)
    start = reader_prefetch.Prefetch.start
    def vouched(self: reader_prefetch.Prefetch, name: str) -> None:
        if name not in self.started:  # the reader asks again for sheets already started
            events.append((time.perf_counter() - began[0], "MainThread", f"vouched {name}"))
        start(self, name)

    reader_prefetch.Prefetch.start = vouched  # type: ignore[method-assign]
    began[0] = time.perf_counter()
    reader_load.load_model(path)
    events.append((time.perf_counter() - began[0], "MainThread", "import returns"))
    print("\n| ms | thread | event |\n|---:|---|---|")
    for at, thread, what in events:
        print(f"| {at * 1000:.0f} | {thread} | {what} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeline", action="store_true")
    args = parser.parse_args()
    spent: dict[str, float] = {}
    for label, (owner, name) in STAGES.items():
        setattr(owner, name, timed(spent, label, getattr(owner, name)))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "import.xlsx"
        large_import.write(path, args.rows)
        reader_load.load_model(path)  # warm-up
        samples: dict[str, list[float]] = {k: [] for k in [*STAGES, "total", "calamine"]}
        read = None
        for _ in range(args.runs):
            spent.clear()
            read = None  # freeing the last model is not this import's work
            began = time.perf_counter()
            read = reader_load.load_model(path)
            samples["total"].append(time.perf_counter() - began)
            for label in STAGES:
                samples[label].append(spent.get(label, 0.0))
            samples["calamine"].append(lp_raw.calamine_read(path)[0])
    assert read is not None and read.ok
    median = {k: statistics.median(v) for k, v in samples.items()}
    print(f"Import of 3 x {args.rows:,} rows, medians of {args.runs} runs (seconds)\n")
    print("| stage | seconds | / calamine |\n|---|---:|---:|")
    for label in [*STAGES, "total", "calamine"]:
        print(f"| {label} | {median[label]:.3f} | {median[label] / median['calamine']:.2f} |")
    if args.timeline:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "import.xlsx"
            large_import.write(path, args.rows)
            reader_load.load_model(path)  # warm-up
            timeline(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
