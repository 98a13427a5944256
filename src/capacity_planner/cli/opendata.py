"""`capacity-planner opendata FILE.ods [--year Y] [--model MODEL --mapping MAP] [--out F]`.

Without a model: the published FTE per force and worker type for the year. With a model:
the model's in-post FTE next to the published figures for each mapped group of roles, the
force names that matched nothing, and (only with --out) the seeded model written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from capacity_planner.domain.opendata import WorkforceMapping
from capacity_planner.domain.problems import Problem

if TYPE_CHECKING:
    import pandas as pd

    from capacity_planner.io.opendata import OpenDataTable

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "opendata", help="Read the Home Office police workforce open data table; compare or "
                         "seed a model's in-post FTE",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None)
    p.add_argument("file", metavar="FILE.ods", help="the published open data table")
    p.add_argument("--year", type=int, help="as at 31 March of this year (default: latest)")
    p.add_argument("--model", metavar="MODEL.xlsx", help="planning workbook to compare")
    p.add_argument("--mapping", metavar="MAP.json",
                   help='worker types to roles, e.g. {"Police Officer": "DC", "PCSO": "PCSO"}')
    p.add_argument("--role", action="append", default=[], metavar='"TYPE[/RANK]=ROLE"',
                   help='map a worker type (and optionally a rank) to a role; repeatable, '
                        'e.g. --role "Police Officer=DC" (adds to --mapping). Without '
                        '--mapping or --role only PCSOs (and designated officers) are '
                        'mapped, to roles whose ID or name says so')
    p.add_argument("--out", metavar="SEEDED.xlsx",
                   help="write the model with in-post FTE seeded from the published figures")
    p.add_argument("--save-mapping", metavar="MAP.json", help="save the mapping used")
    p.set_defaults(func=run)


def _print_problems(problems: Iterable[Problem]) -> None:
    for p in problems:
        print(str(p), file=sys.stderr)


def _table(frame: pd.DataFrame) -> str:
    return frame.to_string(float_format=lambda v: f"{v:,.1f}", na_rep="")


def run(args: argparse.Namespace) -> int:
    from capacity_planner.io.opendata import read_open_data  # pandas loads here, not at start

    read = read_open_data(args.file)
    if read.table is None or not read.ok:
        _print_problems(read.problems)
        return EXIT_INVALID
    table = read.table
    year = args.year if args.year is not None else (table.years[-1] if table.years else None)
    if year is None or year not in table.years:
        _print_problems(read.problems)
        print(f"error: {Path(args.file).name} has no figures for {year}; years: "
              + ", ".join(str(y) for y in table.years), file=sys.stderr)
        return EXIT_INVALID
    if not args.model:
        if args.out or args.mapping or args.role:
            print("error: --mapping, --role and --out need --model", file=sys.stderr)
            return EXIT_USAGE
        _print_problems(read.problems)
        by_force = table.fte_by_force(year)
        by_force.loc["All forces"] = by_force.sum()
        by_force.index.name = "Force"
        print(f"Published FTE as at 31 March {year}, by force and worker type "
              f"(summed over sex and rank; {len(by_force) - 1} forces)")
        print(_table(by_force))
        return EXIT_OK
    return _with_model(args, read.problems, table, year)


def _with_model(args: argparse.Namespace, read_problems: list[Problem],
                table: OpenDataTable, year: int) -> int:
    from capacity_planner.io import load_model  # the reader's entry point
    from capacity_planner.io.opendata_import import (
        import_open_data,
        load_mapping,
        mapping_from_pairs,
        save_mapping,
    )

    loaded = load_model(args.model)
    if loaded.model is None:
        _print_problems(loaded.problems)
        return EXIT_INVALID
    model = loaded.model
    mapping = None
    # A model being started from published figures may not validate yet (no demand, say):
    # its problems are shown, but only an unreadable model stops the import.
    problems: list[Problem] = [*loaded.problems, *read_problems]
    if args.mapping:
        mapping, more = load_mapping(args.mapping)
        problems.extend(more)
    if args.role:
        pairs, more = mapping_from_pairs(args.role)
        problems.extend(more)
        links = (mapping.links if mapping else ()) + pairs.links
        mapping = WorkforceMapping(links)
    if any(p.is_error for p in problems[len(loaded.problems):]):
        _print_problems(problems)
        return EXIT_INVALID
    result = import_open_data(model, None, year, mapping, table=table)
    _print_problems(problems + result.problems)
    if not result.ok or result.seeded is None:
        return EXIT_INVALID
    print(f"Mapping: {'; '.join(result.mapping.describe()) or '(none)'}")
    frame = result.comparison_frame().drop(columns=["seeded_fte"])
    print(f"In-post FTE: model against published figures as at 31 March {year}")
    print(_table(frame.set_index("unit")) if len(frame) else "(nothing to compare)")
    if args.save_mapping:
        save_mapping(result.mapping, args.save_mapping)
        print(f"Mapping saved to {args.save_mapping}")
    if not args.out:
        print("Nothing written; add --out FILE.xlsx to write the model with these figures.")
        return EXIT_OK
    from capacity_planner.io.writer import save_model

    for line in result.lines:
        for role_id, old, new in line.changes:
            print(f"  {line.unit_id} {role_id}: in post {old:,.1f} -> {new:,.1f}")
    try:
        save_model(result.seeded, args.out)
    except OSError as exc:
        print(f"error: cannot write {args.out}: {exc}", file=sys.stderr)
        return EXIT_INVALID
    print(f"Seeded model written to {args.out}")
    return EXIT_OK
