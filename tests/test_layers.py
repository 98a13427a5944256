"""House rules that import-linter cannot express: matplotlib's pyplot (global state) and
its Qt backends are not used outside ui/, and library code does not print."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "capacity_planner"


def _library_files() -> list[Path]:
    return [p for p in SRC.rglob("*.py") if "ui" not in p.relative_to(SRC).parts]


def test_no_pyplot_or_qt_backend_outside_ui() -> None:
    pattern = re.compile(r"^\s*(from|import)\s+matplotlib\.(pyplot|backends\.backend_qt)", re.M)
    offenders = [str(p) for p in _library_files() if pattern.search(p.read_text("utf-8"))]
    assert offenders == []


def test_no_print_in_library_code() -> None:
    pattern = re.compile(r"^\s*print\(", re.M)
    offenders = [str(p) for p in _library_files()
                 if "cli" not in p.relative_to(SRC).parts and pattern.search(p.read_text("utf-8"))]
    assert offenders == []
