"""`capacity-planner sample OUT.xlsx [--vacancies OUT2.xlsx] [--national | --size SIZE]`:
write a sample planning model (the South East region by default)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from capacity_planner.cli import EXIT_OK, EXIT_USAGE

SIZES = ("force", "region", "national")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sample", help="write the South East sample model (or a force or national one)",
        description="Write a sample planning workbook. region (default): the South East "
                    "sample; force: Sussex alone; national: all 43 forces of England and "
                    "Wales and 9 ROCUs (generated, deterministic for a seed). Existing files "
                    "are replaced atomically and kept as .bak.")
    parser.add_argument("out", type=Path, metavar="OUT.xlsx", help="where to write the model")
    parser.add_argument("--vacancies", type=Path, metavar="OUT2.xlsx",
                        help="also write the South East vacancy extract here")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--national", action="store_const", const="national", dest="size",
                      help="the national model (same as --size national)")
    size.add_argument("--size", choices=SIZES, default=None, help="model size (default region)")
    parser.add_argument("--seed", type=int, default=None,
                        help="random seed of the national generator (default 2026)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from capacity_planner.io.samples import (
        model_of_size,
        south_east_vacancies_frame,
        write_vacancies_workbook,
    )
    from capacity_planner.io.samples.national import DEFAULT_SEED
    from capacity_planner.io.writer import save_model

    size = args.size or "region"
    for path in (args.out, args.vacancies):
        if path is not None and path.suffix.lower() != ".xlsx":
            print(f"error: samples are .xlsx workbooks; give a name ending .xlsx, not {path}",
                  file=sys.stderr)
            return EXIT_USAGE
    if args.vacancies is not None and size != "region":
        print("error: the vacancy extract belongs to the South East (region) sample",
              file=sys.stderr)
        return EXIT_USAGE
    model = model_of_size(size, DEFAULT_SEED if args.seed is None else args.seed)
    try:
        save_model(model, args.out)
        units = len(model.units)
        print(f"Wrote {size} sample model {args.out} ({units:,} unit{'s' if units != 1 else ''}, "
              f"{len(model.demand):,} demand rows)")
        if args.vacancies is not None:
            write_vacancies_workbook(south_east_vacancies_frame(), args.vacancies)
            print(f"Wrote vacancy extract {args.vacancies}")
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"error: could not write: {exc.strerror or exc}{where}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK
