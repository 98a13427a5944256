"""`capacity-planner calibrate MODEL [--actuals FILE] [--out ADJUSTED.xlsx]`.

Solves the Baseline for the periods of the Actuals sheet (unit_id, stream_id, period,
delivered_hours) and shows, per unit and stream, modelled against recorded delivery, the
error, what input could explain it and the change of abstraction or productive hours that
would make the model match. Nothing is changed unless --out is given.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from capacity_planner.domain.actuals import ActualRow
from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.problems import Problem

if TYPE_CHECKING:
    from capacity_planner.analysis.calibrate import Calibration

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_NOT_SOLVED = 0, 1, 2, 3


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "calibrate", help="Compare the Baseline with what was actually delivered and suggest "
                          "the abstraction or productive hours that explain the difference",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None)
    p.add_argument("model", metavar="MODEL", help="planning workbook")
    p.add_argument("--actuals", metavar="FILE",
                   help="workbook or CSV with the Actuals table (default: MODEL's Actuals "
                        "sheet)")
    p.add_argument("--vacancies", metavar="FILE", help="vacancy workbook to merge first")
    # The default (analysis.calibrate.TOLERANCE_PCT) is filled in by run(): importing it
    # here would load the solver whenever any command line is parsed.
    p.add_argument("--tolerance", type=float, default=None, metavar="PCT",
                   help="errors within this percent count as a match (default 2)")
    p.add_argument("--no-suggest", action="store_true",
                   help="compare only; do not solve for adjustments (one solve)")
    p.add_argument("--out", metavar="ADJUSTED.xlsx",
                   help="write the model with the suggested adjustments applied")
    p.add_argument("--json", action="store_true", help="print the comparison as JSON")
    p.add_argument("--chart", metavar="FILE.png",
                   help="save the chart of errors by unit and stream (.png, .svg or .pdf)")
    p.add_argument("--solver", choices=("highs", "cbc"), default="highs")
    p.add_argument("--time-limit", type=float, metavar="S", help="per solve, seconds")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=run)


def _print_problems(problems: Iterable[Problem]) -> None:
    for p in problems:
        print(str(p), file=sys.stderr)


def _progress(fraction: float, message: str) -> None:
    print(f"\r[{fraction * 100:3.0f} %] {message[:70]:<70}", end="", file=sys.stderr,
          flush=True)


def run(args: argparse.Namespace) -> int:
    from capacity_planner.analysis.calibrate import TOLERANCE_PCT, calibrate
    from capacity_planner.io import load_model
    from capacity_planner.io.actuals import read_actuals

    if args.tolerance is None:
        args.tolerance = TOLERANCE_PCT
    if args.tolerance < 0:
        print("error: --tolerance must be 0 or more", file=sys.stderr)
        return EXIT_USAGE
    loaded = load_model(args.model, args.vacancies)
    problems = list(loaded.problems)  # the reader knows Actuals is a companion sheet
    if loaded.model is None or not loaded.ok:
        _print_problems(problems)
        return EXIT_INVALID
    model = loaded.model
    actuals, more = read_actuals(args.actuals or args.model, model)
    problems.extend(more)
    _print_problems(problems)
    if any(p.is_error for p in more):
        return EXIT_INVALID
    show = not args.quiet and sys.stderr.isatty()
    result = calibrate(model, actuals, tolerance_pct=args.tolerance,
                       suggest=not args.no_suggest, solver=args.solver,
                       time_limit=args.time_limit, progress=_progress if show else None)
    if show:
        print(file=sys.stderr)
    _print_problems(result.problems)
    if result.result is None:
        return EXIT_NOT_SOLVED if result.solve_failed else EXIT_INVALID
    if args.json:
        print(json.dumps(_json(result), indent=1, default=str))
    else:
        _print_report(result)
    if args.chart:
        code = _chart(args, model, result)
        if code:
            return code
    if not args.out:
        if result.adjustments and not args.json:
            print("\nNothing was changed. Add --out ADJUSTED.xlsx to write the model with "
                  "these adjustments.")
        return EXIT_OK
    return _write(args, model, actuals, result)


def _print_report(result: Calibration) -> None:
    frame = result.frame()
    periods = sorted({p for x in result.lines for p in x.periods})
    print(f"Calibration of the Baseline against recorded delivery ({len(periods)} periods; "
          f"tolerance {result.tolerance_pct:g} %)")
    table = frame[["unit", "stream", "modelled_hours", "actual_hours", "error_hours",
                   "error_pct"]].rename(columns={
                       "modelled_hours": "modelled h", "actual_hours": "recorded h",
                       "error_hours": "error h", "error_pct": "error %"})
    print(table.to_string(index=False, na_rep="",
                          float_format=lambda v: f"{round(v, 1) + 0.0:,.1f}"))
    off = [x for x in result.lines if not x.within_tolerance]
    matched = len(result.lines) - len(off)
    print(f"\n{matched} of {len(result.lines)} unit and stream lines match within "
          f"{result.tolerance_pct:g} %.")
    for x in off:
        print(f"\n- {x.explanation}")
        if x.suggestion:
            print(f"  Suggested: {x.suggestion}")


def _chart(args: argparse.Namespace, model: PlanningModel, result: Calibration) -> int:
    from capacity_planner.reporting.calibration_chart import calibration_figure
    from capacity_planner.reporting.export import save_figure
    from capacity_planner.reporting.style import Source

    names = {u.unit_id: u.name or u.unit_id for u in model.units}
    names |= {s.stream_id: s.name or s.stream_id for s in model.streams}
    figure = calibration_figure(result.frame(), result.tolerance_pct,
                                Source.of(args.model), names)
    try:
        save_figure(figure, args.chart)
    except (OSError, ValueError) as exc:
        print(f"error: cannot write {args.chart}: {exc}", file=sys.stderr)
        return EXIT_INVALID
    print(f"Chart saved to {args.chart}")
    return EXIT_OK


def _json(result: Calibration) -> dict[str, object]:
    frame = result.frame().astype(object).where(result.frame().notna(), None)
    return {"tolerance_pct": result.tolerance_pct,
            "lines": frame.to_dict(orient="records"),
            "problems": [str(p) for p in result.problems]}


def _write(args: argparse.Namespace, model: PlanningModel, actuals: list[ActualRow],
           result: Calibration) -> int:
    from capacity_planner.io.actuals import save_model_with_actuals
    from capacity_planner.io.writer import save_model

    adjusted, problems = result.adjusted_model(model)
    _print_problems(problems)
    try:
        if args.actuals:
            save_model(adjusted, args.out)
        else:  # the actuals came from the model's workbook: keep them with it
            save_model_with_actuals(adjusted, actuals, args.out)
    except (OSError, ValueError) as exc:
        print(f"error: cannot write {args.out}: {exc}", file=sys.stderr)
        return EXIT_INVALID
    print(f"\nAdjusted model written to {args.out}")
    return EXIT_OK

