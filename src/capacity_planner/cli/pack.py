"""`capacity-planner pack MODEL --out bid.pdf [--scenario NAME ...]`: solve and write the
budget bid pack (a PDF: scenario summary, charts, unmet demand).

Exit 0 when every scenario solved to optimality, 1 for invalid input (problems printed),
2 for usage errors, 3 when the pack was written but a scenario did not solve to proven
optimality (its pages say so).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from capacity_planner.cli import EXIT_INVALID, EXIT_NOT_SOLVED, EXIT_OK, EXIT_USAGE
from capacity_planner.domain.ids import id_key


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "pack", help="write a budget bid pack (PDF) for one or more scenarios",
        description="Solve the scenarios and write a bid pack PDF: a cover with the "
                    "scenario summary table and comparison, each scenario's charts, then "
                    "the unmet-demand table.")
    parser.add_argument("model", metavar="MODEL", help="planning workbook")
    parser.add_argument("--out", required=True, metavar="PDF", help="the pack to write (.pdf)")
    parser.add_argument("--scenario", action="append", metavar="NAME",
                        help="a scenario to include (repeat for several; default: all)")
    parser.add_argument("--vacancies", metavar="FILE", help="vacancy workbook to merge")
    parser.add_argument("--solver", choices=("highs", "cbc"), default="highs")
    parser.add_argument("--time-limit", type=float, metavar="S", help="seconds per solve")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from capacity_planner.cli.validate import format_problems
    from capacity_planner.io import load_model
    from capacity_planner.io.atomic import check_writable
    from capacity_planner.optimise import Status, solve_all
    from capacity_planner.reporting.pack import write_pack

    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        print(f"--out {args.out}: the bid pack is a PDF; name it .pdf", file=sys.stderr)
        return EXIT_USAGE
    if not out.parent.is_dir():
        print(f"--out {args.out}: the folder does not exist", file=sys.stderr)
        return EXIT_USAGE
    try:  # before solving, not after: the pack would have nowhere to go
        check_writable(out)
    except OSError as exc:
        print(f"Could not write {out}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    read = load_model(args.model, vacancies=args.vacancies)
    if not read.ok or read.model is None:
        print(format_problems([p for p in read.problems if p.is_error]), file=sys.stderr)
        return EXIT_INVALID
    model = read.model
    known = {id_key(n): n for n in model.scenario_names}
    wanted = args.scenario or model.scenario_names
    missing = [n for n in wanted if id_key(n) not in known]
    if missing:
        print(f"No scenario named {', '.join(repr(n) for n in missing)}. The model has: "
              f"{', '.join(model.scenario_names)}", file=sys.stderr)
        return EXIT_USAGE
    names = list(dict.fromkeys(known[id_key(n)] for n in wanted))
    results = solve_all(model, names, solver=args.solver, time_limit=args.time_limit)
    try:
        write_pack(results, model, out)
    except OSError as exc:
        print(f"Could not write {out}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for r in results:
        print(f"{r.scenario}: {r.message or r.status.value}")
    print(f"Wrote the bid pack to {out}")
    return EXIT_OK if all(r.status is Status.OPTIMAL for r in results) else EXIT_NOT_SOLVED
