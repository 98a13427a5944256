"""`capacity-planner template OUT.xlsx`: write a blank planning workbook to fill in."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from capacity_planner.cli import EXIT_OK, EXIT_USAGE


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "template", help="write a blank planning workbook with instructions and examples",
        description="Write a planning workbook template: an Instructions sheet, every sheet "
                    "with its headers, example rows and drop-down lists. An existing file "
                    "is replaced atomically and kept as OUT.xlsx.bak.")
    parser.add_argument("out", type=Path, metavar="OUT.xlsx", help="where to write it")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from capacity_planner.io.template import write_template

    out: Path = args.out
    if out.suffix.lower() != ".xlsx":
        print(f"error: the template is an .xlsx workbook; give a name ending .xlsx, not {out}",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        write_template(out)
    except OSError as exc:
        print(f"error: could not write {out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"Wrote template {out}")
    return EXIT_OK
