"""Time and peak memory of refusing each hostile file of the test corpus (issue 8: within
2 s and 200 MB), and the wall time of `capacity-planner validate` on bad workbooks (exit 1
in under 2 s).

    .venv/bin/python bench/hostile_import.py

Each file is imported in a fresh process, so the peak resident memory (VmHWM of the
process; ru_maxrss of any reader child it spawned) is that import's alone; the interpreter
and library baseline is measured the same way on an empty run and shown for reference.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from corpus import HOSTILE  # noqa: E402

PROBE = r"""
import json, resource, sys, time
from capacity_planner.io import load_model
path = sys.argv[1]
began = time.perf_counter()
result = load_model(path) if path else None
seconds = time.perf_counter() - began
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the parent
status = open("/proc/self/status").read()
own = int(status.split("VmHWM:")[1].split()[0])
child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
codes = [p.code for p in result.errors] if result else []
print(json.dumps({"s": seconds, "own_mb": own / 1024, "child_mb": child / 1024, "codes": codes}))
"""


def probe(path: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, path], capture_output=True, text=True,
                          timeout=120, check=True)
    return json.loads(done.stdout)


def main() -> int:
    base = probe("")
    print(f"baseline: interpreter and libraries {base['own_mb']:.0f} MB resident\n")
    print(f"{'file':<46}{'refused as':<16}{'seconds':>8}{'peak MB':>9}{'child MB':>9}")
    worst_s = worst_mb = 0.0
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, (build, code, _phrase) in HOSTILE.items():
            folder = Path(tmp) / str(abs(hash(name)))
            folder.mkdir()
            path = build(folder)
            r = probe(str(path))
            peak = max(r["own_mb"], r["child_mb"])
            worst_s, worst_mb = max(worst_s, r["s"]), max(worst_mb, peak)
            got = ",".join(r["codes"])
            if got != code or r["s"] > 2 or peak > 200:
                failures.append(name)
            print(f"{name[:45]:<46}{got:<16}{r['s']:>8.3f}{r['own_mb']:>9.0f}"
                  f"{r['child_mb']:>9.0f}")
        print(f"\nworst: {worst_s:.3f} s, {worst_mb:.0f} MB peak resident "
              "(own process or reader child, baseline included)")
        print("\n`capacity-planner validate` on bad workbooks (wall time, exit code):")
        for name in ("truncated zip", "cell at XFD1048576", "huge sheet XML",
                     "password-protected (OLE2)", "cells without positions"):
            folder = Path(tmp) / f"cli{abs(hash(name))}"
            folder.mkdir()
            path = HOSTILE[name][0](folder)
            began = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "capacity_planner", "validate",
                                   str(path)], capture_output=True, text=True, timeout=120)
            wall = time.perf_counter() - began
            if done.returncode != 1 or wall > 2:
                failures.append(f"validate: {name}")
            print(f"  {name:<32} {wall:6.2f} s  exit {done.returncode}")
    print("\nall within 2 s and 200 MB" if not failures else f"\nOVER BUDGET: {failures}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
