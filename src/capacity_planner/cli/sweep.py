"""`capacity-planner sweep MODEL --param P --values -20:40:10 [--param2 P2 --values2 ...]
[--target stream=ID,unit=ID] [--scenario S] [--out F] [--chart F.png]`: solve over a grid
of one or two scenario parameters."""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import TYPE_CHECKING

from capacity_planner.cli import EXIT_NOT_SOLVED, EXIT_OK
from capacity_planner.cli.analysis_common import (
    CommandError,
    add_model_argument,
    add_output_arguments,
    add_run_arguments,
    executor_of,
    json_records,
    load,
    number,
    outputs_of,
    print_not_optimal,
    run_analysis,
    save_chart,
)
from capacity_planner.domain.model import BASELINE, PlanningModel

if TYPE_CHECKING:
    from capacity_planner.analysis.sweep import SweepResult, SweepSpec
    from capacity_planner.reporting.style import Canvas


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sweep", help="solve over a range of one or two scenario parameters",
                       description=__doc__)
    add_model_argument(p)
    p.add_argument("--param", required=True, metavar="P",
                   help="scenario parameter to vary, e.g. demand_change_pct")
    p.add_argument("--values", required=True, metavar="V",
                   help="START:STOP:STEP (STOP included) or a list: 0,5,10")
    p.add_argument("--target", metavar="KEY=ID,...",
                   help="what --param changes: unit=, role=, stream=, period= (default all)")
    p.add_argument("--param2", metavar="P", help="a second parameter: a grid of both")
    p.add_argument("--values2", metavar="V", help="values of --param2")
    p.add_argument("--target2", metavar="KEY=ID,...", help="what --param2 changes")
    p.add_argument("--scenario", default=BASELINE,
                   help="scenario the sweep starts from (default Baseline); swept values "
                        "apply after its own rows")
    add_output_arguments(p, out_help="write the table to .xlsx or .csv",
                         chart_help="line chart (one parameter) or heat map (two): .png, "
                                    ".svg or .pdf",
                         json_help="print JSON instead of a table")
    add_run_arguments(p, default_workers="every core")
    # `--values -20:40:10` must read as a value, not an option. Python 3.14's argparse does
    # this itself (any "-" followed by a digit); 3.12 and 3.13 only take plain negative
    # numbers. No option of this parser starts with "-" and a digit, so this is safe.
    p._negative_number_matcher = re.compile(r"^-\.?\d")
    p.set_defaults(func=run)


def spec_of(args: argparse.Namespace) -> SweepSpec:
    from capacity_planner.analysis.sweep import (
        Axis,
        SweepError,
        SweepSpec,
        parse_target,
        parse_values,
    )

    if (args.param2 is None) != (args.values2 is None):
        raise CommandError("--param2 and --values2 go together")
    try:
        axes = [Axis(args.param.strip(), parse_values(args.values), parse_target(args.target))]
        if args.param2:
            axes.append(Axis(args.param2.strip(), parse_values(args.values2),
                             parse_target(args.target2)))
    except SweepError as exc:
        raise CommandError(str(exc)) from exc
    return SweepSpec(tuple(axes), args.scenario)


def run(args: argparse.Namespace) -> int:
    # pandas and the solver load here, not when the command line is parsed
    from capacity_planner.analysis.export import write_tables
    from capacity_planner.analysis.sweep import SweepError, run_sweep

    try:
        spec = spec_of(args)
        out, chart = outputs_of(args)
        settings = executor_of(args)
        model = load(args)
        try:
            result = run_analysis(run_sweep, model, spec, args, settings)
        except SweepError as exc:
            raise CommandError(str(exc)) from exc
    except CommandError as exc:
        print(exc, file=sys.stderr)
        return exc.code
    if out:
        write_tables(out, {"Sweep": result.table, "Streams": result.streams},
                     notes=_notes(args, spec))
    if chart:
        save_chart(chart_of(result, model), chart)
    if args.json:
        print(json.dumps({"table": json_records(result.table),
                          "streams": json_records(result.streams)}, indent=1))
    else:
        print(format_sweep(result))
    print_not_optimal(result.not_optimal)
    return EXIT_NOT_SOLVED if result.not_optimal else EXIT_OK


def chart_of(result: SweepResult, model: PlanningModel) -> Canvas:
    from capacity_planner.reporting.analysis_charts import sweep_figure
    from capacity_planner.reporting.style import Source

    axes = result.spec.axes
    target = ", ".join(f"{k.removesuffix('_id')} {v}" for k, v in axes[0].target.items())
    return sweep_figure(result.table, result.streams, [a.parameter for a in axes],
                        scenario=result.spec.scenario, source=Source.of(model.source),
                        model=model, target=target)


def format_sweep(result: SweepResult) -> str:
    names = [a.parameter for a in result.spec.axes]
    head = [*names, "status", "coverage %", "unmet hours", "weighted unmet", "cost GBP"]
    rows = [head]
    for _, r in result.table.iterrows():
        rows.append([*(f"{r[n]:g}" for n in names), r["status"],
                     number("{:,.1f}", r["coverage_pct"]), number("{:,.0f}", r["unmet_hours"]),
                     number("{:,.0f}", r["weighted_unmet"]), number("{:,.0f}", r["cost_gbp"])])
    widths = [max(len(row[j]) for row in rows) for j in range(len(head))]
    return "\n".join("  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True))
                     for row in rows)


def _notes(args: argparse.Namespace, spec: SweepSpec) -> list[str]:
    notes = [f"Sweep of {args.model}, starting from scenario {spec.scenario}"]
    for a in spec.axes:
        target = ", ".join(f"{k}={v}" for k, v in a.target.items()) or "all"
        notes.append(f"{a.parameter} over {', '.join(f'{v:g}' for v in a.values)} "
                     f"(target: {target})")
    notes.append("Each point is the scenario's own rows followed by the swept rows, solved "
                 "as the scenario named in the scenario column.")
    return notes

