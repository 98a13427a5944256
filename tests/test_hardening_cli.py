"""The command line starts quickly: parsing arguments loads no solver, plotting, Qt or Dask
(each command imports what it needs inside its ``run``), and a bad workbook is refused
through the real entry point with exit code 1 and no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from capacity_planner.io.preflight import OLE2

HEAVY = ("pulp", "highspy", "matplotlib", "PySide6", "dask", "distributed")


def test_building_the_parser_loads_no_heavy_library() -> None:
    code = ("import json, sys\n"
            "import capacity_planner.cli\n"
            "capacity_planner.cli.build_parser()\n"
            f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert json.loads(done.stdout) == []


def test_every_command_is_registered() -> None:
    """Moving imports into ``run`` must not lose a command from ``--help``."""
    from capacity_planner.cli import COMMANDS, build_parser

    parser = build_parser()
    choices = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    present = [c for c in COMMANDS if c in choices]
    assert {"validate", "compare", "sweep", "montecarlo", "opendata", "calibrate"} <= set(present)


def test_bad_workbook_exits_1_through_the_installed_entry_point(tmp_path: Path) -> None:
    bad = tmp_path / "locked.xlsx"
    bad.write_bytes(OLE2 + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le"))
    done = subprocess.run([sys.executable, "-m", "capacity_planner", "validate", str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "password-protected" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
