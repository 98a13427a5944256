"""`capacity-planner validate MODEL [--vacancies F] [--mapping F]`: print every problem.

Exit 0 when the model is clean or has only warnings and notes, 1 when it has errors,
2 for usage errors. A bad or missing file is a problem printed, never a traceback.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from capacity_planner.domain.problems import Problem, Severity

EXIT_OK, EXIT_INVALID = 0, 1
ORDER = (Severity.ERROR, Severity.WARNING, Severity.NOTE)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate", help="check a planning workbook and list every problem",
        description="Check a planning workbook (and optionally a vacancy workbook) and "
                    "print every problem: errors (which stop a solve), warnings and notes.")
    parser.add_argument("model", metavar="MODEL", help="planning workbook (.xlsx, .xlsm, "
                        ".ods or .csv)")
    parser.add_argument("--vacancies", metavar="FILE", help="vacancy workbook to merge")
    parser.add_argument("--mapping", metavar="FILE", help="column mapping (JSON) for sheets "
                        "whose columns have other names")
    parser.add_argument("--quiet", "-q", action="store_true", help="print errors and the "
                        "summary only")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from capacity_planner.io import load_model

    result = load_model(args.model, vacancies=args.vacancies, mapping=args.mapping)
    shown = [p for p in result.problems if not args.quiet or p.is_error]
    print(format_problems(shown))
    print(summary(args.model, result.problems))
    return EXIT_OK if result.ok else EXIT_INVALID


def format_problems(problems: Sequence[Problem]) -> str:
    """Problems grouped by severity, errors first, one per line."""
    lines: list[str] = []
    for severity in ORDER:
        group = [p for p in problems if p.severity is severity]
        if group:
            title = {"error": "Errors", "warning": "Warnings", "note": "Notes"}[severity.value]
            lines.append(f"{title} ({len(group)}):")
            lines.extend(f"  {p}" for p in group)
    return "\n".join(lines) if lines else "No problems found."


def summary(path: str, problems: Sequence[Problem]) -> str:
    counts = {s: sum(1 for p in problems if p.severity is s) for s in ORDER}
    verdict = "cannot be solved until the errors are fixed" if counts[Severity.ERROR] else "OK"
    parts = ", ".join(f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in counts.items())
    return f"{path}: {parts}: {verdict}"


