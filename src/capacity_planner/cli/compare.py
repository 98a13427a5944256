"""`capacity-planner compare MODEL [--scenarios A,B] [--out cmp.xlsx] [--json]`: every
scenario side by side, with the differences against the Baseline."""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import TYPE_CHECKING

from capacity_planner.cli import EXIT_NOT_SOLVED, EXIT_OK
from capacity_planner.cli.analysis_common import (
    CommandError,
    add_model_argument,
    add_output_arguments,
    add_run_arguments,
    executor_of,
    load,
    number,
    outputs_of,
    print_not_optimal,
    run_analysis,
)

if TYPE_CHECKING:
    from capacity_planner.analysis.compare import Comparison

ROWS = (("Coverage of demand (%)", "coverage_pct", "{:,.1f}"),
        ("Demand (hours)", "demand_hours", "{:,.0f}"),
        ("Delivered (hours)", "delivered_hours", "{:,.0f}"),
        ("Unmet (hours)", "unmet_hours", "{:,.0f}"),
        ("Weighted unmet", "weighted_unmet", "{:,.0f}"),
        ("Recruits into vacancies (FTE)", "recruited_fte", "{:,.1f}"),
        ("New posts (FTE)", "new_fte", "{:,.1f}"),
        ("Overtime (hours)", "overtime_hours", "{:,.0f}"),
        ("Cost (GBP)", "cost_gbp", "{:,.0f}"))


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compare", help="solve scenarios and compare them with the Baseline",
                       description=__doc__)
    add_model_argument(p)
    p.add_argument("--scenarios", metavar="A,B",
                   help="scenarios to compare (default: all); the Baseline is always included")
    add_output_arguments(p, json_help="print JSON instead of a table")
    add_run_arguments(p, default_workers="every core")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # pandas and the solver load here, not when the command line is parsed
    from capacity_planner.analysis.compare import UnknownScenario, compare, resolve_scenarios
    from capacity_planner.analysis.export import write_tables

    try:
        out, _ = outputs_of(args)
        settings = executor_of(args)
        model = load(args)
        wanted = [s.strip() for s in args.scenarios.split(",")] if args.scenarios else None
        try:
            names = resolve_scenarios(model, wanted)
        except UnknownScenario as exc:
            raise CommandError(str(exc.args[0])) from exc
        result = run_analysis(compare, model, names, args, settings)
    except CommandError as exc:
        print(exc, file=sys.stderr)
        return exc.code
    if out:
        write_tables(out, {"Totals": result.totals, "Differences": result.differences,
                           "Streams": result.streams},
                     notes=[f"Scenario comparison of {args.model}",
                            "Differences are each scenario minus the Baseline.",
                            "deployed_cost_gbp: the hours spent on a stream at each "
                            "role's annual cost per productive hour."])
    if args.json:
        print(json.dumps(result.to_json(), indent=1))
    else:
        print(format_comparison(result))
    print_not_optimal(result.not_optimal)
    return EXIT_NOT_SOLVED if result.not_optimal else EXIT_OK


def format_comparison(c: Comparison) -> str:
    """Scenarios as columns, each figure with its difference from the Baseline."""
    names = list(c.totals["scenario"])
    cells = [["", *names], ["Status", *c.totals["status"]]]
    base = c.totals.iloc[0]
    for label, key, fmt in ROWS:
        row = [label]
        for i, value in enumerate(c.totals[key]):
            text = number(fmt, value)
            if i and not math.isnan(value) and not math.isnan(base[key]):
                delta = value - base[key]
                text += f" ({'+' if delta >= 0 else '-'}{number(fmt, abs(delta))})"
            row.append(text)
        cells.append(row)
    lines = _grid(cells)
    if len(c.streams):
        lines += ["", "Coverage by stream (%)"]
        streams = list(dict.fromkeys(c.streams["stream"]))
        table = [["", *names]]
        for s in streams:
            mine = c.streams[c.streams["stream"] == s].set_index("scenario")["coverage_pct"]
            table.append([s, *(number("{:,.1f}", mine.get(n, math.nan)) for n in names)])
        lines += _grid(table)
    return "\n".join(lines)


def _grid(cells: list[list[str]]) -> list[str]:
    widths = [max(len(str(row[j])) for row in cells) for j in range(len(cells[0]))]
    return ["  ".join(str(v).ljust(w) if j == 0 else str(v).rjust(w)
                      for j, (v, w) in enumerate(zip(row, widths, strict=True))).rstrip()
            for row in cells]
