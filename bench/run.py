"""Benchmark of the engine against the solver's own time, at three sizes (issue 7).

    .venv/bin/python bench/run.py [--runs 5] [--quick] [--sizes force,region,national]
                                  [--import-rows 50000] [--out bench/RESULTS.md]

Each size runs in its own process (so its peak memory is its own). Per run, in turn:
import (``load_model`` of the workbook that ``save_model`` wrote), calamine's raw read of
the same file, the engine's Baseline solve (build, solve, extract, split by the progress
messages of ``solve_scenario``) and HiGHS on its own: the first-stage LP written to MPS
from the builder's arrays and read and run by highspy with the engine's options. The
medians of one invocation are compared, so a busy machine slows both sides alike. Then:
the same LP built with PuLP (``to_pulp``) and solved by ``pulp.HiGHS``, and the re-solve
after a one-cell edit (``SolveSession.resolve``). A last process times the import of a
workbook with three sheets of ``--import-rows`` rows against calamine's read.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = ("force", "region", "national")


# ---- one size, in a child process ---------------------------------------------------------

class Phases:
    """Timestamps of ``solve_scenario``'s progress messages: build ends at the first
    stage's message, extraction starts at "Reading the results"."""

    def __init__(self) -> None:
        self.marks: list[tuple[float, str]] = []

    def __call__(self, fraction: float, message: str) -> None:
        self.marks.append((time.perf_counter(), message))

    def split(self, began: float, ended: float) -> dict[str, float]:
        build_end = next((t for t, m in self.marks if m != "Building the model"), ended)
        extract_start = next((t for t, m in self.marks if m == "Reading the results"), ended)
        return {"build": build_end - began, "solve": extract_start - build_end,
                "extract": ended - extract_start, "total": ended - began}


def peak_mb() -> dict[str, float]:
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the parent
    status = Path("/proc/self/status").read_text()
    own = int(status.split("VmHWM:")[1].split()[0]) / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"own": own, "children": child}


def edits(model, count: int):
    """``count`` one-cell edits in turn: a Demand hours value (+/- 10 %) and an
    in_post_fte (+/- 1), each on a different row."""
    from capacity_planner.domain.edits import set_cell

    demand = [i for i, d in enumerate(model.demand) if d.hours > 0]
    est = [i for i, e in enumerate(model.establishment) if e.in_post_fte >= 2]
    current = model
    for k in range(count):
        if k % 2 == 0:
            i = demand[(k * 7919) % len(demand)]
            factor = 1.1 if k % 4 == 0 else 0.9
            command = set_cell(current, "demand", i, "hours", current.demand[i].hours * factor)
        else:
            i = est[(k * 104729) % len(est)]
            delta = 1.0 if k % 4 == 1 else -1.0
            command = set_cell(current, "establishment", i, "in_post_fte",
                               current.establishment[i].in_post_fte + delta)
        current = command.do(current)
        yield command.name, current


def child(size: str, runs: int, folder: Path, resolves: int, pulp_runs: int) -> dict:
    import lp_raw

    from capacity_planner.io import load_model
    from capacity_planner.io.samples import model_of_size
    from capacity_planner.io.writer import save_model
    from capacity_planner.optimise import solve_scenario

    path = folder / f"{size}.xlsx"
    save_model(model_of_size(size), path)
    read = load_model(path)
    assert read.ok and read.model is not None, [str(p) for p in read.errors]
    model = read.model
    program, objective = lp_raw.first_stage(model)
    raw = lp_raw.RawHighs(program, objective, folder)
    solve_scenario(model)  # warm-up: first-call imports are not part of a solve
    rows: list[dict] = []
    for _ in range(runs):
        del read  # freeing the last model is not this import's work
        began = time.perf_counter()
        read = load_model(path)
        imported = time.perf_counter() - began
        calamine, _ = lp_raw.calamine_read(path)
        phases = Phases()
        began = time.perf_counter()
        result = solve_scenario(read.model, progress=phases)
        row = phases.split(began, time.perf_counter())
        assert result.status.value == "optimal", result.message
        row.update(imported=imported, calamine=calamine, highs=result.solver.solve_s,
                   **raw.run())
        rows.append(row)
    memory = peak_mb()
    out = {"size": size, "cols": program.n_cols, "rows": program.n_rows,
           "nnz": len(program.value), "mip": program.is_mip, "runs": rows, "memory": memory,
           "pulp": [lp_raw.pulp_run(program, objective) for _ in range(pulp_runs)],
           "one_stage": [lp_raw.engine_one_stage(model) for _ in range(pulp_runs)]}
    out["resolve"] = resolve_times(model, resolves)
    return out


def resolve_times(model, count: int) -> list[dict]:
    try:
        from capacity_planner.optimise.session import SolveSession
    except ImportError:
        return []
    session = SolveSession(model)
    session.solve()
    out = []
    for name, changed in edits(model, count):
        began = time.perf_counter()
        result = session.resolve(changed)
        out.append({"edit": name, "s": time.perf_counter() - began,
                    "incremental": session.last_was_incremental,
                    "status": result.status.value})
    return out


def import_child(rows: int, runs: int, folder: Path) -> dict:
    import large_import
    import lp_raw

    from capacity_planner.io import load_model

    path = folder / f"import_{rows}.xlsx"
    sheets = large_import.write(path, rows)
    load_model(path)  # warm-up
    out = []
    for _ in range(runs):
        began = time.perf_counter()
        read = load_model(path)
        imported = time.perf_counter() - began
        ok = read.ok
        del read  # freeing this model is not the next import's work
        calamine, n = lp_raw.calamine_read(path)
        out.append({"imported": imported, "calamine": calamine, "cells_rows": n, "ok": ok})
    return {"rows": rows, "sheets": sheets, "runs": out, "memory": peak_mb()}


def workbook_child(runs: int, folder: Path) -> dict:
    """The results workbook of every South East scenario, without and with charts."""
    from capacity_planner.io.samples import south_east_model
    from capacity_planner.optimise import solve_all
    from capacity_planner.reporting.render import workers_for
    from capacity_planner.reporting.workbook import write_results
    from capacity_planner.reporting.workbook_charts import chart_jobs

    model = south_east_model()
    results = solve_all(model)
    out: dict = {"scenarios": len(results), "images": len(chart_jobs(results)),
                 "workers": workers_for(len(chart_jobs(results))), "tables": [], "charts": []}
    for _ in range(runs):
        for key, charts in (("tables", False), ("charts", True)):
            began = time.perf_counter()
            write_results(results, folder / f"results_{key}.xlsx", model=model, charts=charts)
            out[key].append(time.perf_counter() - began)
    return out


# ---- the parent: children, medians, the table -----------------------------------------------

def run_child(args: list[str]) -> dict:
    done = subprocess.run([sys.executable, str(Path(__file__)), *args], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"bench child {args} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def med(rows: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def machine() -> list[str]:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = "?"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    libs = ", ".join(f"{name} {version(name)}" for name in (
        "highspy", "pulp", "numpy", "pandas", "python-calamine", "openpyxl", "xlsxwriter"))
    return [f"- CPU: {cpu}, {os.cpu_count()} logical cores; memory {mem}",
            f"- {platform.platform()}; Python {platform.python_version()}",
            f"- {libs}"]


def tables(sizes: list[dict], big: dict | None, runs: int, load: tuple[float, float]) -> str:
    out = [f"Medians of {runs} run(s) per size, one invocation (`bench/run.py`); "
           f"load average {load[0]:.1f} at the start and {load[1]:.1f} at the end.", "",
           "Engine (Baseline, `solve_scenario` from a loaded model) against HiGHS alone on "
           "the first-stage LP (MPS written from the builder's arrays; highspy `readModel` + "
           "`run`, the engine's options). Seconds.", "",
           "| size | columns | rows | nonzeros | build | solve | extract | total | "
           "HiGHS runs in solve | raw read | raw run | raw | total / raw | peak MB |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in sizes:
        r = s["runs"]
        total, raw = med(r, "total"), med(r, "raw")
        peak = max(s["memory"]["own"], s["memory"]["children"])
        out.append(f"| {s['size']} | {s['cols']:,} | {s['rows']:,} | {s['nnz']:,} | "
                   f"{med(r, 'build'):.3f} | {med(r, 'solve'):.3f} | {med(r, 'extract'):.3f} | "
                   f"{total:.3f} | {med(r, 'highs'):.3f} | {med(r, 'read'):.3f} | "
                   f"{med(r, 'run'):.3f} | {raw:.3f} | **{total / raw:.2f}** | {peak:,.0f} |")
    out += ["", "Import of the same workbook (`load_model`: pre-flight, read, validate) "
            "against calamine's raw read of every sheet (`load_workbook` + `to_python`).", "",
            "| size | import s | calamine s | import / calamine |", "|---|---:|---:|---:|"]
    for s in sizes:
        r = s["runs"]
        out.append(f"| {s['size']} | {med(r, 'imported'):.3f} | {med(r, 'calamine'):.3f} | "
                   f"{med(r, 'imported') / med(r, 'calamine'):.1f} |")
    if big:
        r = big["runs"]
        each = sorted(x["imported"] / x["calamine"] for x in r)
        out.append(f"| 3 sheets x {big['rows']:,} rows ({', '.join(big['sheets'])}) | "
                   f"{med(r, 'imported'):.3f} | {med(r, 'calamine'):.3f} | "
                   f"**{med(r, 'imported') / med(r, 'calamine'):.2f}** |")
        out += ["", f"Each of the {len(r)} large imports against the calamine read that "
                f"followed it: {each[0]:.2f} to {each[-1]:.2f} times."]
    out += ["", "The same first-stage LP through PuLP: `to_pulp` (terms handed to PuLP's "
            "core as numpy buffers) then `lp.solve(pulp.HiGHS())` (PuLP's loader walks each "
            "constraint in Python). One solve, against the raw HiGHS read + run above.", "",
            "| size | PuLP model | pulp.HiGHS solve | of which HiGHS | PuLP total | "
            "PuLP total / raw | engine arrays + load + run | engine / raw |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for s in sizes:
        if s["pulp"]:
            p, e, raw = s["pulp"], s["one_stage"], med(s["runs"], "raw")
            out.append(f"| {s['size']} | {med(p, 'model'):.3f} | {med(p, 'solve'):.3f} | "
                       f"{med(p, 'highs'):.3f} | {med(p, 'total'):.3f} | "
                       f"{med(p, 'total') / raw:.2f} | {med(e, 'build'):.3f} + "
                       f"{med(e, 'load'):.3f} + {med(e, 'run'):.3f} = {med(e, 'total'):.3f} | "
                       f"{med(e, 'total') / raw:.2f} |")
    out += ["", "Re-solve after a one-cell edit (`SolveSession.resolve`: alternately a Demand "
            "hours value +/-10 % and an in_post_fte +/-1, each edit on the last model).", "",
            "| size | edits | median s | max s | incremental |", "|---|---:|---:|---:|---:|"]
    for s in sizes:
        r = s["resolve"]
        if r:
            inc = sum(1 for x in r if x["incremental"])
            out.append(f"| {s['size']} | {len(r)} | **{med(r, 's'):.3f}** | "
                       f"{max(x['s'] for x in r):.3f} | {inc}/{len(r)} |")
    return "\n".join(out)


def workbook_table(book: dict) -> str:
    return "\n".join([
        f"Results workbook of the South East sample's {book['scenarios']} scenarios "
        f"(`write_results`; {book['images']} chart images, drawn by "
        f"{book['workers']} process(es)). Seconds, median.", "",
        "| export | seconds |", "|---|---:|",
        f"| tables only (`charts=False`) | {statistics.median(book['tables']):.2f} |",
        f"| with the Charts sheet | {statistics.median(book['charts']):.2f} |"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2 runs, fewer edits")
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--import-rows", type=int, default=50_000,
                        help="rows per sheet of the import benchmark (0: skip it)")
    parser.add_argument("--no-workbook", dest="workbook", action="store_false",
                        help="skip the results workbook export")
    parser.add_argument("--out", default=str(HERE / "RESULTS.md"))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--resolves", type=int, default=20, help=argparse.SUPPRESS)
    args = parser.parse_args()
    runs = 2 if args.quick and args.runs == 5 else args.runs
    resolves = 6 if args.quick else args.resolves
    if args.child:
        folder = Path(args.folder)
        if args.child == "workbook":
            out = workbook_child(max(1, min(runs, 2)), folder)
        elif args.child == "import":
            out = import_child(args.import_rows, max(1, runs - 2) if runs > 3 else runs,
                               folder)
        else:
            out = child(args.child, runs, folder, resolves, max(1, min(runs, 3)))
        print(json.dumps(out))
        return 0
    load0 = os.getloadavg()[0]
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        common = ["--runs", str(runs), "--folder", tmp, "--resolves", str(resolves)]
        for size in sizes:
            print(f"{size}...", file=sys.stderr, flush=True)
            results.append(run_child(["--child", size, *common]))
        book = None
        if args.workbook:
            print("results workbook...", file=sys.stderr, flush=True)
            book = run_child(["--child", "workbook", *common])
        big = None
        if args.import_rows:
            print(f"import of 3 x {args.import_rows:,} rows...", file=sys.stderr, flush=True)
            big = run_child(["--child", "import", "--import-rows", str(args.import_rows),
                             *common])
    text = tables(results, big, runs, (load0, os.getloadavg()[0]))
    if book:
        text += "\n\n" + workbook_table(book)
    print(text)
    write_results(Path(args.out), "\n".join(machine()) + "\n\n" + text)
    print(f"\nwritten to {args.out}", file=sys.stderr)
    return 0


START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def write_results(path: Path, body: str) -> None:
    """Replace the generated part of ``path`` (between the markers), keeping the notes
    written by hand around it."""
    block = f"{START}\n{body}\n{END}"
    old = path.read_text() if path.exists() else ""
    if START in old and END in old:
        text = old[:old.index(START)] + block + old[old.index(END) + len(END):]
    else:
        text = f"# Benchmark results\n\n{block}\n{old}"
    path.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
