"""What the compare, sweep and montecarlo commands share: loading the model, where the
solves run, progress on the terminal, and writing tables and charts."""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from capacity_planner.analysis.executor import ExecutorSettings
from capacity_planner.analysis.variants import SolveOptions
from capacity_planner.cli import EXIT_INVALID, EXIT_NOT_SOLVED, EXIT_USAGE
from capacity_planner.domain.model import PlanningModel

CHART_SUFFIXES = (".png", ".svg", ".pdf")


class CommandError(Exception):
    """Stop the command with this message and exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def add_model_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", metavar="MODEL",
                        help="planning workbook (.xlsx, .xlsm, .ods or .csv)")
    parser.add_argument("--vacancies", metavar="FILE",
                        help="vacancy workbook to merge into Establishment first")


def add_run_arguments(parser: argparse.ArgumentParser, *, default_workers: str) -> None:
    group = parser.add_argument_group("where and how the solves run")
    group.add_argument("--workers", type=int, metavar="N",
                       help=f"local processes (default: {default_workers}; 1 runs in this "
                            "process)")
    group.add_argument("--scheduler", metavar="ADDRESS",
                       help="run on this Dask distributed scheduler, e.g. "
                            "tcp://10.0.0.5:8786 (workers need capacity-planner installed)")
    group.add_argument("--solver", choices=("highs", "cbc"), default="highs")
    group.add_argument("--time-limit", type=float, metavar="S",
                       help="time limit per solve, seconds")
    group.add_argument("--quiet", action="store_true", help="no progress on stderr")


def add_output_arguments(parser: argparse.ArgumentParser, *, json_help: str,
                         out_help: str = "write the tables to .xlsx or .csv",
                         chart_help: str | None = None) -> None:
    """--out, then --chart where the command draws one, then --json."""
    parser.add_argument("--out", metavar="FILE", help=out_help)
    if chart_help is not None:
        parser.add_argument("--chart", metavar="FILE", help=chart_help)
    parser.add_argument("--json", action="store_true", help=json_help)


def options_of(args: argparse.Namespace) -> SolveOptions:
    return SolveOptions(solver=args.solver, time_limit=args.time_limit)


def executor_of(args: argparse.Namespace) -> ExecutorSettings:
    if args.workers is not None and args.workers < 1:
        raise CommandError("--workers must be 1 or more")
    return ExecutorSettings(workers=args.workers, scheduler=args.scheduler)


def load(args: argparse.Namespace) -> PlanningModel:
    """The model, with its problems printed; ``CommandError`` (exit 1) on errors."""
    from capacity_planner.io import load_model

    path = Path(args.model)
    if not path.exists():
        raise CommandError(f"No such file: {path}", EXIT_USAGE)
    read = load_model(path, vacancies=getattr(args, "vacancies", None))
    for problem in read.problems:
        print(str(problem), file=sys.stderr)
    if not read.ok or read.model is None:
        raise CommandError(f"{path.name}: the model has errors; nothing was solved",
                           EXIT_INVALID)
    return read.model


def progress_printer(quiet: bool) -> Callable[[float, str], None] | None:
    """``progress(fraction, message)`` for the terminal: one updating line on a console,
    a line per tenth when stderr is a file or pipe."""
    if quiet:
        return None
    live = sys.stderr.isatty()
    state = {"tenth": -1, "last": 0.0}

    def show(fraction: float, message: str) -> None:
        if live:
            now = time.monotonic()
            if fraction < 1 and now - state["last"] < 0.1:
                return
            state["last"] = now
            bar = "#" * int(fraction * 30)
            end = "\n" if fraction >= 1 else ""
            print(f"\r[{bar:<30}] {fraction:4.0%} {message}\x1b[K", end=end, file=sys.stderr,
                  flush=True)
        else:
            tenth = int(fraction * 10)
            if tenth != state["tenth"]:
                state["tenth"] = tenth
                print(f"{fraction:4.0%} {message}", file=sys.stderr, flush=True)

    return show


def check_output(path: str | None, suffixes: tuple[str, ...], option: str) -> Path | None:
    if not path:
        return None
    p = Path(path)
    if p.suffix.lower() not in suffixes:
        raise CommandError(f"{option} {path}: the file must end in " + " or ".join(suffixes))
    if not p.parent.is_dir():
        raise CommandError(f"{option} {path}: the folder does not exist")
    return p


def outputs_of(args: argparse.Namespace) -> tuple[Path | None, Path | None]:
    """The checked --out table file and --chart image (None where not asked for)."""
    out = check_output(args.out, (".xlsx", ".csv"), "--out")
    chart = check_output(getattr(args, "chart", None), CHART_SUFFIXES, "--chart")
    return out, chart


def run_analysis[T](run: Callable[..., T], model: PlanningModel, what: Any,
                    args: argparse.Namespace, settings: ExecutorSettings) -> T:
    """``run(model, what, options, settings, progress=...)`` with the command's solve
    options and terminal progress; a failed or cancelled run becomes ``CommandError``
    (exit 3)."""
    from capacity_planner.analysis.executor import Cancelled, ExecutionError

    try:
        return run(model, what, options_of(args), settings,
                   progress=progress_printer(args.quiet or args.json))
    except ExecutionError as exc:
        raise CommandError(str(exc), EXIT_NOT_SOLVED) from exc
    except Cancelled as exc:
        raise CommandError("Cancelled.", EXIT_NOT_SOLVED) from exc


def print_not_optimal(outcomes: Iterable[Any]) -> None:
    """A line on stderr for each run without an optimal plan."""
    for o in outcomes:
        print(f"{o.name}: {o.status}. {o.message}".strip(), file=sys.stderr)


def number(fmt: str, value: float | None) -> str:
    """``value`` formatted, or "-" where there is none."""
    return "-" if value is None or math.isnan(value) else fmt.format(value)


def json_records(frame: Any) -> list[dict]:
    """A frame's rows as JSON objects, NaN written as null."""
    return [{k: (None if isinstance(v, float) and math.isnan(v) else v)
             for k, v in row.items()} for row in frame.to_dict(orient="records")]


def save_chart(fig, path: Path) -> None:
    from capacity_planner.reporting.export import save_figure

    save_figure(fig, path)

