"""`capacity-planner montecarlo MODEL --draws 1000 --seed 7 [--cv 0.15] [--scenario S]
[--workers N] [--scheduler ADDRESS] [--out F] [--chart F.png]`: solve the scenario for many
draws of uncertain demand.

Demand is drawn per stream and period: normal with coefficient of variation --cv, or as
the workbook's optional Uncertainty sheet says (stream_id, distribution normal, lognormal
or triangular, cv_pct or low_pct/mode_pct/high_pct). Infeasible draws (a minimum that
cannot be met under min_cost) count as not meeting it; a draw that fails to solve at all
makes the exit code 3."""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from typing import TYPE_CHECKING

from capacity_planner.cli import EXIT_INVALID, EXIT_NOT_SOLVED, EXIT_OK
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
    run_analysis,
    save_chart,
)
from capacity_planner.domain.ids import id_key
from capacity_planner.domain.model import BASELINE

if TYPE_CHECKING:
    from capacity_planner.analysis.montecarlo import MonteCarloResult

ALL = "All"  # analysis.montecarlo.ALL, the label of totals over units or periods


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("montecarlo", help="solve many draws of uncertain demand",
                       description=__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    add_model_argument(p)
    p.add_argument("--draws", type=int, default=1000, help="number of draws (default 1000)")
    p.add_argument("--seed", type=int, default=0,
                   help="random seed: the same seed gives the same figures (default 0)")
    p.add_argument("--cv", type=float, default=0.15,
                   help="coefficient of variation of demand for streams not in the "
                        "Uncertainty sheet, as a fraction (default 0.15)")
    p.add_argument("--scenario", default=BASELINE, help="scenario to test (default Baseline)")
    p.add_argument("--chain", type=int, default=20, metavar="N",
                   help="draws re-solved one after another from a loaded model, about a "
                        "third faster (default 20; 1 solves every draw afresh); with the "
                        "seed, fixes the figures whatever the number of workers")
    add_output_arguments(p, chart_help="fan chart: .png, .svg or .pdf",
                         json_help="print JSON instead of a summary")
    add_run_arguments(p, default_workers="every core")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # numpy, pandas and the solver load here, not when the command line is parsed
    from capacity_planner.analysis.export import write_tables
    from capacity_planner.analysis.montecarlo import MonteCarloSpec, run_montecarlo
    from capacity_planner.analysis.uncertainty_sheet import read_uncertainty

    started = time.perf_counter()
    try:
        if args.draws < 1:
            raise CommandError("--draws must be 1 or more")
        if args.chain < 1:
            raise CommandError("--chain must be 1 or more")
        if not math.isfinite(args.cv) or args.cv < 0:
            raise CommandError("--cv must be 0 or more (a fraction: 0.15 is 15 %)")
        out, chart = outputs_of(args)
        settings = executor_of(args)
        model = load(args)
        if id_key(args.scenario) not in {id_key(n) for n in model.scenario_names}:
            raise CommandError(f"No scenario named {args.scenario!r}; the model has "
                               + ", ".join(model.scenario_names))
        uncertainty, problems = read_uncertainty(args.model, model)
        for problem in problems:
            print(str(problem), file=sys.stderr)
        if any(p.is_error for p in problems):
            raise CommandError("The Uncertainty sheet has errors; nothing was solved",
                               EXIT_INVALID)
        spec = MonteCarloSpec(draws=args.draws, seed=args.seed, cv=args.cv,
                              scenario=args.scenario, uncertainty=tuple(uncertainty),
                              chain=args.chain)
        result = run_analysis(run_montecarlo, model, spec, args, settings)
    except CommandError as exc:
        print(exc, file=sys.stderr)
        return exc.code
    elapsed = time.perf_counter() - started
    where = settings.describe(args.draws + 1)
    if out:
        write_tables(out, {"Bands": result.bands, "Service": result.service,
                           "Draws": result.draws},
                     notes=_notes(args, result, where))
    if chart:
        from capacity_planner.reporting.analysis_charts import fan_chart
        from capacity_planner.reporting.style import Source

        save_chart(fan_chart(result.bands, scenario=spec.scenario,
                             source=Source.of(model.source), draws=spec.draws,
                             seed=spec.seed, model=model), chart)
    if args.json:
        print(json.dumps(to_json(result), indent=1))
    else:
        print(format_summary(result, where, elapsed))
    if not result.forecast.solved:
        print(f"The forecast itself: {result.forecast.status}. {result.forecast.message}",
              file=sys.stderr)
    if result.failed:
        print(f"{len(result.failed)} draws could not be solved, e.g. "
              f"{result.failed[0].name}: {result.failed[0].status}. "
              f"{result.failed[0].message}", file=sys.stderr)
    return EXIT_NOT_SOLVED if result.failed else EXIT_OK


def format_summary(r: MonteCarloResult, where: str, elapsed: float) -> str:
    spec = r.spec
    solved = sum(o.solved for o in r.outcomes)
    lines = [f"Monte Carlo of scenario {spec.scenario}: {spec.draws:,} draws, seed "
             f"{spec.seed}, chains of {spec.chain}, on {where}, {elapsed:,.1f} s",
             f"Plans found for {solved:,} of {spec.draws:,} draws", "",
             "Demand per stream and period drawn from:"]
    lines += [f"  {s}: {d}" for s, d in r.distributions.items()]
    if len(r.service):
        lines += ["", "Probability of meeting the minimum service level in every period "
                      "(% of draws):", *service_grid(r)]
    else:
        lines += ["", "No stream has a minimum service level."]
    lines += ["", "Whole plan            P10          P50          P90     forecast"]
    for metric, label in (("unmet_hours", "Unmet (hours)"), ("cost_gbp", "Cost (GBP)")):
        row = r.bands[(r.bands["metric"] == metric) & (r.bands["period"] == ALL)].iloc[0]
        lines.append(f"{label:<14}" + "".join(_n(row[c]).rjust(13)
                                              for c in ("p10", "p50", "p90", "forecast")))
    return "\n".join(lines)


def service_grid(r: MonteCarloResult) -> list[str]:
    """Streams down, units across, and the stream over all units at the right."""
    sv = r.service
    units = list(dict.fromkeys(u for u in sv["unit"] if u != ALL))
    head = ["stream", "min %", *units, "all units"]
    rows = [head]
    for stream in dict.fromkeys(s for s in sv["stream"] if s != ALL):
        mine = sv[sv["stream"] == stream].set_index("unit")
        level = mine["min_service_pct"].max()
        rows.append([stream, _n(level), *(_p(mine["probability_pct"].get(u)) for u in units),
                     _p(mine["probability_pct"].get(ALL))])
    widths = [max(len(row[j]) for row in rows) for j in range(len(head))]
    out = ["  " + "  ".join(v.ljust(w) if j == 0 else v.rjust(w)
                            for j, (v, w) in enumerate(zip(row, widths, strict=True)))
           for row in rows]
    every = sv[(sv["unit"] == ALL) & (sv["stream"] == ALL)]["probability_pct"]
    if len(every):
        out.append(f"  Every minimum at every unit: {_p(every.iloc[0])} %")
    return out


def _p(v: float | None) -> str:
    return "" if v is None or math.isnan(v) else f"{v:.1f}"


def to_json(r: MonteCarloResult) -> dict:
    return {"scenario": r.spec.scenario, "draws": r.spec.draws, "seed": r.spec.seed,
            "chain": r.spec.chain,
            "cv": r.spec.cv, "distributions": r.distributions,
            "forecast_status": r.forecast.status, "solved": sum(o.solved for o in r.outcomes),
            "service": json_records(r.service), "bands": json_records(r.bands)}


def _notes(args: argparse.Namespace, r: MonteCarloResult, where: str) -> list[str]:
    return [f"Monte Carlo of {args.model}, scenario {r.spec.scenario}",
            f"{r.spec.draws} draws, seed {r.spec.seed}, chains of {r.spec.chain}, run on "
            f"{where}",
            "Demand per stream and period drawn from: "
            + "; ".join(f"{s}: {d}" for s, d in r.distributions.items()),
            "Bands: percentiles over the draws with a plan; forecast: the scenario solved "
            "with the workbook's demand.",
            "Service: in how many draws each minimum service level is met in every period "
            "(a draw with no plan meets none)."]


def _n(v: float) -> str:
    return number("{:,.0f}", v)
