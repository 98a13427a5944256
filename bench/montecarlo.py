"""Benchmark: a Monte Carlo run of the South East sample on 1 process and on every core.

For each worker count, runs the same seeded Monte Carlo several times (the process pool is
started afresh each run, so its start-up is counted, as a user pays it) and prints the
median, min and max wall time, draws per second, and the ratio to one process. Also shows
why workers send back a compact ``Outcome`` rather than the whole ``Result``: the pickled
size and pickling time of each for one solve.

    .venv/bin/python bench/montecarlo.py [--draws 1000] [--runs 3] [--workers 1,2]
                                          [--seed 7] [--model FILE.xlsx] [--quiet]
"""

from __future__ import annotations

import argparse
import os
import pickle
import platform
import statistics
import sys
import time

from capacity_planner.analysis.executor import ExecutorSettings
from capacity_planner.analysis.montecarlo import MonteCarloSpec, run_montecarlo
from capacity_planner.analysis.variants import summarise
from capacity_planner.domain.model import PlanningModel


def load(path: str | None) -> tuple[PlanningModel, str]:
    if path:
        from capacity_planner.io import load_model

        read = load_model(path)
        if read.model is None or not read.ok:
            sys.exit("\n".join(str(p) for p in read.problems))
        return read.model, path
    from capacity_planner.io.samples import south_east_model

    return south_east_model(), "South East sample"


def progress(quiet: bool):
    if quiet:
        return None

    def show(fraction: float, message: str) -> None:
        print(f"\r  {fraction:5.1%} {message}\x1b[K", end="\n" if fraction >= 1 else "",
              file=sys.stderr, flush=True)

    return show


def payload_sizes(model: PlanningModel) -> str:
    from capacity_planner.optimise import solve_scenario

    result = solve_scenario(model, "Baseline")
    outcome = summarise(result, model)
    lines = []
    for name, obj in (("Result (DataFrames)", result), ("Outcome (compact)", outcome)):
        started = time.perf_counter()
        for _ in range(20):
            data = pickle.dumps(obj)
            pickle.loads(data)
        each = (time.perf_counter() - started) / 20
        lines.append(f"| {name} | {len(data):,} | {each * 1000:.2f} |")
    return "\n".join(["| sent back per solve | bytes | pickle + unpickle ms |",
                      "|---|---:|---:|", *lines,
                      f"\nOne Baseline solve: build {result.solver.build_s:.3f} s, "
                      f"solve {result.solver.solve_s:.3f} s"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", default=f"1,{os.cpu_count() or 1}")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--model")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    model, label = load(args.model)
    counts = list(dict.fromkeys(int(w) for w in args.workers.split(",")))
    spec = MonteCarloSpec(draws=args.draws, seed=args.seed)
    times: dict[int, list[float]] = {n: [] for n in counts}
    first = {}
    for run in range(args.runs):
        for n in counts:  # interleaved, so a busy spell hits both counts alike
            print(f"run {run + 1}/{args.runs}, {n} process(es):", file=sys.stderr)
            started = time.perf_counter()
            result = run_montecarlo(model, spec, settings=ExecutorSettings(workers=n),
                                    progress=progress(args.quiet))
            times[n].append(time.perf_counter() - started)
            first.setdefault(n, result)
    same = all(first[n].outcomes == first[counts[0]].outcomes for n in counts)
    base = statistics.median(times[counts[0]])
    print(f"Monte Carlo of the {label}: {args.draws:,} draws + the forecast, seed "
          f"{args.seed}, {args.runs} runs each")
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print("| processes | median s | min s | max s | draws/s | speed-up vs 1 | s per draw "
          "in a worker |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n in counts:
        t = times[n]
        med = statistics.median(t)
        each = statistics.mean(o.solve_s for o in first[n].outcomes)
        print(f"| {n} | {med:.1f} | {min(t):.1f} | {max(t):.1f} | {args.draws / med:.1f} | "
              f"{base / med:.2f} | {each:.3f} |")
    print(f"\nFigures identical across process counts: {same}")
    print("s per draw in a worker: scaling the demand, solving and summarising, timed inside "
          "the worker (it grows when workers compete for cores).\n")
    print(payload_sizes(model))
    return 0


if __name__ == "__main__":
    sys.exit(main())
