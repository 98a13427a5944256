"""Benchmark: import a Home Office police workforce open data table of the real size.

Generates a 33,000-row ``.ods`` in the published layout (sheet ``Data``, the nine published
columns, 43 forces, both sexes, every rank and worker type, years from 2007) and times the
import: ``read_open_data`` (calamine, parsing and checks), then the per-force summary and
the per-line sums a seed uses. Prints a table of the median (and min, max) of several runs.

    .venv/bin/python bench/opendata.py [--rows 33000] [--runs 7] [--keep FILE.ods] [--odf]

``--odf`` also times pandas' odfpy reader once, for comparison (it takes minutes).
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from capacity_planner.io.opendata import COLUMNS, read_open_data

FORCES = (
    "Avon & Somerset", "Bedfordshire", "Cambridgeshire", "Cheshire", "Cleveland", "Cumbria",
    "Derbyshire", "Devon & Cornwall", "Dorset", "Durham", "Dyfed-Powys", "Essex",
    "Gloucestershire", "Greater Manchester", "Gwent", "Hampshire", "Hertfordshire",
    "Humberside", "Kent", "Lancashire", "Leicestershire", "Lincolnshire", "London, City of",
    "Merseyside", "Metropolitan Police", "Norfolk", "North Wales", "North Yorkshire",
    "Northamptonshire", "Northumbria", "Nottinghamshire", "South Wales", "South Yorkshire",
    "Staffordshire", "Suffolk", "Surrey", "Sussex", "Thames Valley", "Warwickshire",
    "West Mercia", "West Midlands", "West Yorkshire", "Wiltshire")
RANKS = {
    "Police Officer": ("Chief Officer", "Chief Superintendent", "Superintendent",
                       "Chief Inspector", "Inspector", "Sergeant", "Constable"),
    "Police Staff": ("Police Staff",),
    "Police Community Support Officer": ("PCSO",),
    "Designated Officer": ("Designated Officer",),
}


def lines(rows: int):
    """Published lines in the file's order, as many as asked for (years go back from 2025)."""
    count = 0
    for year in itertools.count(2025, -1):
        for n, force in enumerate(FORCES):
            for sex in ("Female", "Male"):
                for worker_type, ranks in RANKS.items():
                    for r, rank in enumerate(ranks):
                        head = 5 + (n * 37 + r * 11 + year) % 900
                        yield (year, f"E23{n:06d}", force, "Region", sex, rank, worker_type,
                               head, round(head * 0.93, 2))
                        count += 1
                        if count >= rows:
                            return


def _cell(value: object) -> str:
    if isinstance(value, int | float):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return (f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}'
            "</text:p></table:table-cell>")


def write_ods(path: Path, rows: int) -> None:
    """An OpenDocument spreadsheet written directly (odfpy would take minutes to write it)."""
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"')
    body = ["<table:table-row>" + "".join(_cell(h) for h in COLUMNS.values())
            + "</table:table-row>"]
    body += ["<table:table-row>" + "".join(_cell(v) for v in line) + "</table:table-row>"
             for line in lines(rows)]
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}>'
               '<office:body><office:spreadsheet><table:table table:name="Cover"><table:table-row>'
               + _cell("Police workforce open data table (generated)") +
               '</table:table-row></table:table><table:table table:name="Data">'
               + "".join(body) + "</table:table></office:spreadsheet></office:body>"
               "</office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" '
                'manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)


def _time(step, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=33_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="write the generated file here and keep it")
    parser.add_argument("--odf", action="store_true", help="also time pandas' odfpy reader")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "police_workforce_open_data.ods"
        start = time.perf_counter()
        write_ods(path, args.rows)
        print(f"Generated {args.rows:,} rows, {path.stat().st_size / 1e6:.2f} MB in "
              f"{time.perf_counter() - start:.1f} s")
        read = read_open_data(path)
        assert read.ok and read.table is not None, read.problems
        assert len(read.table.frame) == args.rows
        table = read.table
        latest = table.years[-1]
        steps = [
            ("read_open_data (calamine + checks)", lambda: read_open_data(path)),
            (f"fte_by_force({latest})", lambda: table.fte_by_force(latest)),
            (f"published({latest})", lambda: table.published(latest)),
        ]
        results = [(name, _time(step, args.runs)) for name, step in steps]
        if args.odf:
            import pandas as pd

            results.append(("pandas read_excel engine=odf (1 run)", _time(
                lambda: pd.read_excel(path, sheet_name="Data", engine="odf"), 1)))
        print(f"\n{'step':<40} {'median s':>9} {'min s':>8} {'max s':>8}")
        for name, times in results:
            print(f"{name:<40} {statistics.median(times):>9.3f} {min(times):>8.3f} "
                  f"{max(times):>8.3f}")
        print(f"\n{args.runs} runs; {len(table.years)} years, "
              f"{table.frame['force'].nunique()} forces")


if __name__ == "__main__":
    main()
