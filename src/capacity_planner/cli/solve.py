"""`capacity-planner solve MODEL [--vacancies F] [--scenario NAME | --all-scenarios]
[--out RESULTS.xlsx] [--charts DIR] [--json] [--solver highs|cbc] [--time-limit S]`

Exit codes (DESIGN section 5): 0 solved to optimality; 1 invalid input (problems
printed); 2 usage; 3 infeasible or not solved to optimality (explanation printed).
Ctrl-C cancels the running solve (HiGHS stops at once) and exits 130.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from capacity_planner.cli import EXIT_INVALID, EXIT_NOT_SOLVED, EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from capacity_planner.optimise.result import Result

EXIT_INTERRUPTED = 130
TOP_LINES = 8  # explanation lines in the human summary


class _Stop(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "solve", help="solve scenarios of a planning workbook",
        description="Solve the Baseline (or a named scenario, or every scenario) of a "
                    "planning workbook and print a summary, or the JSON of DESIGN "
                    "section 5 with --json. Exit 0 solved, 1 invalid input, 2 usage, 3 "
                    "infeasible or not solved to optimality.")
    p.add_argument("model", metavar="MODEL", help="planning workbook (.xlsx, .xlsm, .ods "
                   "or .csv)")
    p.add_argument("--vacancies", metavar="FILE", help="vacancy workbook to merge first")
    p.add_argument("--mapping", metavar="FILE", help="column mapping (JSON) for sheets whose "
                   "columns have other names")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--scenario", metavar="NAME", default=None,
                       help="scenario to solve (default: Baseline)")
    which.add_argument("--all-scenarios", action="store_true",
                       help="solve the Baseline and every scenario")
    p.add_argument("--out", metavar="RESULTS.xlsx", help="write the results workbook")
    p.add_argument("--charts", metavar="DIR", help="write every chart into this folder")
    p.add_argument("--chart-formats", metavar="png,svg,pdf", default="png",
                   help="chart file formats (default: png)")
    p.add_argument("--json", action="store_true", help="print JSON (a list with "
                   "--all-scenarios)")
    p.add_argument("--solver", choices=("highs", "cbc"), default="highs")
    p.add_argument("--time-limit", type=float, metavar="S",
                   help="solver time limit per scenario, seconds")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress or warnings")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        out, charts = _check_outputs(args)
        model, problems = _load(args)
        names = _scenarios(args, model)
        with _cancel_on_interrupt() as cancelled:
            results = _solve(model, names, args, cancelled)
        if any(r.status.value == "cancelled" for r in results):
            print("Interrupted: the solve was cancelled.", file=sys.stderr)
            return EXIT_INTERRUPTED
        _write(results, model, problems, out, charts, args)
    except _Stop as stop:
        print(stop, file=sys.stderr)
        return stop.code
    if args.json:
        payload = [r.to_json() for r in results]
        print(json.dumps(payload if args.all_scenarios else payload[0], indent=1,
                         ensure_ascii=False))
    else:
        print("\n\n".join(format_result(r) for r in results))
    optimal = all(r.status.value == "optimal" for r in results)
    return EXIT_OK if optimal else EXIT_NOT_SOLVED


def _check_outputs(args: argparse.Namespace) -> tuple[Path | None, Path | None]:
    if args.time_limit is not None and not args.time_limit > 0:
        raise _Stop("--time-limit must be a positive number of seconds", EXIT_USAGE)
    out = Path(args.out) if args.out else None
    if out is not None:
        if out.suffix.lower() != ".xlsx":
            raise _Stop(f"--out {out}: the results workbook is an .xlsx file", EXIT_USAGE)
        if not out.parent.exists():
            raise _Stop(f"--out {out}: no folder {out.parent}", EXIT_USAGE)
        _writable_or_stop(out)
    charts = Path(args.charts) if args.charts else None
    if charts is not None and charts.exists() and not charts.is_dir():
        raise _Stop(f"--charts {charts}: not a folder", EXIT_USAGE)
    if charts is not None and charts.is_dir():
        _writable_or_stop(charts / "chart.png")
    if charts is not None:
        from capacity_planner.reporting.export import parse_formats

        try:
            parse_formats(args.chart_formats)
        except ValueError as exc:
            raise _Stop(str(exc), EXIT_USAGE) from exc
    return out, charts


def _load(args: argparse.Namespace) -> tuple:
    from capacity_planner.domain.scenario import check_scenarios
    from capacity_planner.io import load_model

    path = Path(args.model)
    if not path.exists():
        raise _Stop(f"No such file: {path}", EXIT_USAGE)
    read = load_model(path, vacancies=args.vacancies, mapping=args.mapping)
    problems = list(read.problems)
    if read.model is not None:  # the reader may already have checked them: no repeats
        seen = {str(p) for p in problems}
        problems += [p for p in check_scenarios(read.model) if str(p) not in seen]
    errors = [p for p in problems if p.is_error]
    for p in problems if not args.quiet else errors:
        print(str(p), file=sys.stderr)
    if errors or read.model is None:
        raise _Stop(f"{path.name}: {len(errors)} error{'s' if len(errors) != 1 else ''} in "
                    "the input; nothing was solved", EXIT_INVALID)
    return read.model, problems


def _scenarios(args: argparse.Namespace, model: object) -> list[str]:
    from capacity_planner.domain.ids import id_key

    names: list[str] = model.scenario_names  # type: ignore[attr-defined]
    if args.all_scenarios:
        return names
    wanted = args.scenario or names[0]
    for name in names:
        if id_key(name) == id_key(wanted):
            return [name]
    raise _Stop(f"No scenario named {wanted!r}; the model has: {', '.join(names)}",
                EXIT_USAGE)


@contextmanager
def _cancel_on_interrupt() -> Iterator[Callable[[], bool]]:
    """Ctrl-C sets a flag that the solver's callback reads, so HiGHS stops cleanly."""
    flag = {"set": False}

    def handler(signum: int, frame: object) -> None:
        flag["set"] = True

    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread: leave signals alone
        previous = None
    try:
        yield lambda: flag["set"]
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _solve(model: object, names: list[str], args: argparse.Namespace,
           cancelled: Callable[[], bool]) -> list[Result]:
    from capacity_planner.optimise import solve_all

    progress = None if args.quiet or args.json or not sys.stderr.isatty() else _progress()
    results = solve_all(model, names, solver=args.solver,  # type: ignore[arg-type]
                        time_limit=args.time_limit, progress=progress,
                        should_cancel=cancelled)
    if progress is not None:
        print(file=sys.stderr)
    return results


def _progress() -> Callable[[float, str], None]:
    def show(fraction: float, message: str) -> None:
        print(f"\r{fraction:4.0%} {message[:70]:<70}", end="", file=sys.stderr, flush=True)
    return show


def _writable_or_stop(path: Path) -> None:
    """Refuse before solving, not after, when the output would have nowhere to go."""
    from capacity_planner.io.atomic import check_writable

    try:
        check_writable(path)
    except OSError as exc:
        raise _Stop(f"Could not write {path}: {exc}", EXIT_USAGE) from exc


def _write(results: list[Result], model: object, problems: list, out: Path | None,
           charts: Path | None, args: argparse.Namespace) -> None:
    if out is not None:
        from capacity_planner.reporting.workbook import write_results

        try:
            write_results(results, out, model=model, problems=problems)  # type: ignore[arg-type]
        except OSError as exc:
            raise _Stop(f"Could not write {out}: {exc.strerror or exc}", EXIT_USAGE) from exc
        if not args.quiet:
            print(f"Wrote {out}", file=sys.stderr)
    if charts is not None:
        from capacity_planner.reporting.export import write_charts

        solved = [r for r in results if r.solved]
        if not solved:
            print("No charts: no scenario was solved.", file=sys.stderr)
            return
        try:
            written = write_charts(solved, model, charts,  # type: ignore[arg-type]
                                   args.chart_formats.split(","))
        except OSError as exc:
            raise _Stop(f"Could not write charts to {charts}: {exc.strerror or exc}",
                        EXIT_USAGE) from exc
        if not args.quiet:
            print(f"Wrote {len(written)} chart files to {charts}", file=sys.stderr)


def format_result(r: Result) -> str:
    """A short summary of one scenario for the terminal."""
    t = r.totals
    lines = [f"{r.scenario}: {r.status.value} ({r.objective}"
             f"{', not proven optimal' if r.status.value == 'time_limit' else ''})"]
    if r.message:
        lines.append(f"  {r.message}")
    if r.solved:
        lines.append(f"  Coverage {t.coverage_pct:.1f} %; unmet {t.unmet_hours:,.0f} hours "
                     f"(weighted {t.weighted_unmet:,.0f}); cost £{t.cost_gbp:,.0f}; "
                     f"new posts {t.new_fte:,.1f} FTE; recruits {t.recruited_fte:,.1f} FTE; "
                     f"overtime {t.overtime_hours:,.0f} hours")
    shown = r.explanation[:TOP_LINES] if r.status.value != "infeasible" else r.explanation
    lines += [f"  - {line}" for line in shown]
    if len(r.explanation) > len(shown):
        lines.append(f"  ({len(r.explanation) - len(shown)} more in the JSON and workbook)")
    lines.append(f"  Solver {r.solver.name}: build {r.solver.build_s:.2f} s, solve "
                 f"{r.solver.solve_s:.2f} s")
    return "\n".join(lines)
