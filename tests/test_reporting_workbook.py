"""The results workbook from the real engine on the South East sample: the FMS sheets read
back (openpyxl, and LibreOffice as a second reader) equal to the engine's numbers, no cell
holds a formula, text that looks like a formula stays text, and the Charts sheet holds an
image per chart."""

from __future__ import annotations

import csv
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from capacity_planner.domain.problems import Location, error, warning
from capacity_planner.reporting.charts import CHARTS
from capacity_planner.reporting.workbook import UNMET_MIN_HOURS, write_results
from reporting_sample import solved

SHEETS = ["Summary", "Demand", "Workforce", "Workforce capacity", "Plan", "Plan cost",
          "Plan next posts", "Plan allocation", "Unmet demand", "Problems", "Charts"]
HEADER_ROW = 4  # Excel row of every table's header


def table(ws) -> list[dict[str, object]]:
    header = []
    for c in ws[HEADER_ROW]:  # the main table: the header up to its first gap
        if c.value is None:
            break
        header.append(c.value)
    out = []
    for row in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
        if row[0] is None:
            break
        out.append(dict(zip(header, row, strict=False)))
    return out


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object, tuple]:
    model, results = solved()
    # A scenario and a unit named like formulas: they must stay text.
    nasty = replace(results[1], scenario="=HYPERLINK(\"http://x\",\"bid\")")
    odd = replace(model, units=tuple(replace(u, name="@SUM(A1)" if u.unit_id == "SURREY"
                                             else u.name) for u in model.units))
    problems = [error("-1 is not a number", Location("south_east.xlsx", "Demand", 7, "hours"),
                      "+cmd|' /C calc'!A0", "a number"),
                warning("Over establishment", Location("south_east.xlsx", "Establishment", 3))]
    path = tmp_path_factory.mktemp("workbook") / "results.xlsx"
    write_results([results[0], nasty], path, model=odd, problems=problems)
    return path, odd, (results[0], nasty)


def test_sheets_follow_the_fms_steps_with_frozen_headers(written) -> None:
    path, _model, _results = written
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == SHEETS
    for name in SHEETS[:-1]:
        ws = book[name]
        assert ws.freeze_panes in ("A5", "B5"), name
        assert ws.auto_filter.ref, name
        assert ws.column_dimensions["A"].width >= 8
    assert book["Demand"]["A1"].value == "Step 1: Demand"
    assert book["Workforce"]["A1"].value.startswith("Step 2")
    assert book["Plan"]["A1"].value.startswith("Step 3")
    assert book["Unmet demand"]["A1"].value.startswith("Step 4")


def test_no_cell_is_a_formula_and_formula_like_text_stays_text(written) -> None:
    path, _model, results = written
    book = openpyxl.load_workbook(path)
    for ws in book:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    summary = table(book["Summary"])
    assert summary[1]["Scenario"] == results[1].scenario
    demand = table(book["Demand"])
    assert "@SUM(A1)" in {r["Unit name"] for r in demand}
    problem = table(book["Problems"])[0]
    assert problem["Value"] == "+cmd|' /C calc'!A0"
    assert problem["Message"] == "-1 is not a number"
    assert problem["Row"] == 7


def test_summary_and_tables_equal_the_engines_numbers(written) -> None:
    path, _model, results = written
    book = openpyxl.load_workbook(path)
    for row, r in zip(table(book["Summary"]), results, strict=True):
        t = r.totals
        assert row["Status"] == "optimal"
        assert row["Demand hours"] == t.demand_hours
        assert row["Delivered hours"] == t.delivered_hours
        assert row["Unmet hours"] == t.unmet_hours
        assert row["Coverage %"] == t.coverage_pct
        assert row["Weighted unmet"] == t.weighted_unmet
        assert row["New posts FTE"] == t.new_fte
        assert row["Cost £"] == t.cost_gbp
        assert row["Minimum-service breaches"] == int(r.coverage["breach"].sum())
    assert book["Summary"]["G5"].number_format == '0.0"%"'
    assert book["Summary"]["L5"].number_format == '"£"#,##0'

    demand = table(book["Demand"])
    assert len(demand) == sum(len(r.coverage) for r in results)
    first = results[0].coverage.iloc[0]
    assert (demand[0]["Unit"], demand[0]["Stream"], demand[0]["Period"]) == (
        first["unit"], first["stream"], first["period"])
    assert demand[0]["Demand hours"] == first["demand_hours"]

    layers = table(book["Workforce"])
    assert sum(r["Funded FTE"] for r in layers if r["Scenario"] == "Baseline") == \
        results[0].layers["funded_fte"].sum()
    capacity = table(book["Workforce capacity"])
    assert [r["Utilisation %"] for r in capacity[:20]] == \
        results[0].workforce["utilisation_pct"].head(20).tolist()

    plan = [r for r in table(book["Plan"]) if r["Scenario"] == results[1].scenario]
    assert sum(r["New posts FTE"] for r in plan) == pytest.approx(results[1].totals.new_fte)
    cost = [r for r in table(book["Plan cost"]) if r["Scenario"] == results[1].scenario]
    assert [r["Total £"] for r in cost] == results[1].costs["total_gbp"].tolist()
    totals_block = book["Plan cost"]
    assert totals_block["I4"].value == "Scenario" and totals_block["M4"].value == "Total £"
    assert totals_block["M6"].value == results[1].totals.cost_gbp

    nxt = [r for r in table(book["Plan next posts"]) if r["Scenario"] == "Baseline"]
    assert [r["Value per £1m"] for r in nxt] == \
        results[0].next_posts["value_per_gbp_million"].tolist()
    allocation = table(book["Plan allocation"])
    assert len(allocation) == sum(len(r.allocation) for r in results)


def test_unmet_demand_lists_every_shortfall_and_breach(written) -> None:
    path, _model, results = written
    rows = table(openpyxl.load_workbook(path)["Unmet demand"])
    base = [r for r in rows if r["Scenario"] == "Baseline"]
    cov = results[0].coverage
    expect = cov[(cov["unmet_hours"] >= UNMET_MIN_HOURS) | cov["breach"]]
    assert len(base) == len(expect)
    assert sum(r["Unmet hours"] for r in base) == pytest.approx(expect["unmet_hours"].sum())
    assert [r["Unmet hours"] for r in base] == sorted((r["Unmet hours"] for r in base),
                                                     reverse=True)
    breaches = [r for r in base if r["Breach"] == "Yes"]
    assert len(breaches) == int(cov["breach"].sum())
    for r in breaches:  # below the minimum by exactly the shortfall from min % of demand
        assert r["Below minimum hours"] == pytest.approx(
            r["Minimum service %"] / 100 * r["Demand hours"] - r["Delivered hours"])
        assert r["Below minimum hours"] > 0


def test_charts_sheet_has_an_image_per_chart_beside_its_table(written) -> None:
    path, _model, results = written
    with zipfile.ZipFile(path) as z:
        media = [n for n in z.namelist() if n.startswith("xl/media/")]
    per_scenario = sum(1 for c in CHARTS.values() if not c.compares)
    assert len(media) == 1 + per_scenario * len(results)
    ws = openpyxl.load_workbook(path)["Charts"]
    titles = [c.value for c in ws["M"] if isinstance(c.value, str)]
    assert titles.count(CHARTS["supply_layers"].title) == len(results)
    assert CHARTS["scenario_comparison"].title in titles


@pytest.mark.libreoffice
def test_libreoffice_opens_the_workbook_and_reads_the_same_numbers(written,
                                                                   tmp_path: Path) -> None:
    path, _model, results = written
    profile = tmp_path / "profile"
    out = tmp_path / "csv"
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,"
         "false,false,-1", "--outdir", str(out), str(path)],
        capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    files = {p.stem.split("-", 1)[1]: p for p in out.glob("*.csv")}
    assert set(files) >= {"Summary", "Demand", "Unmet demand", "Charts"}
    with files["Summary"].open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[3]
    body = [dict(zip(header, r, strict=False)) for r in rows[4:6]]
    assert body[1]["Scenario"] == results[1].scenario  # still text, not a formula result
    for row, r in zip(body, results, strict=True):
        assert float(row["Cost £"].replace("£", "").replace(",", "")) == \
            pytest.approx(r.totals.cost_gbp, abs=0.5)
        assert float(row["Coverage %"].rstrip("%")) == pytest.approx(r.totals.coverage_pct,
                                                                    abs=0.05)
    text = "\n".join(p.read_text(encoding="utf-8") for p in files.values())
    for bad in ("Err:", "#NAME?", "#VALUE!", "#REF!"):
        assert bad not in text


def test_every_sheet_prints_on_a4_landscape_one_page_wide(written) -> None:
    """Printed for a board paper: A4 landscape, title and page numbers in the margins;
    each table one page wide and as many tall as its rows need, its header row repeated on
    every page; the Charts sheet at a fixed scale with a page break before any chart that
    would otherwise be cut. The Summary prints Scenario to Message (A to N), not the
    solver's times."""
    path, _model, _results = written
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        setup = ws.page_setup
        assert (setup.orientation, int(setup.paperSize)) == ("landscape", 9), ws.title
        assert ws.oddFooter.center.text == "Page &P of &N", ws.title
        if ws.title == "Charts":
            continue  # below: a fixed scale and page breaks between charts
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0, ws.title
        assert ws.print_title_rows == "$4:$4", ws.title
    charts = book["Charts"]
    # Excel ignores manual page breaks on a sheet that fits its pages: a fixed scale
    # instead, and each break falls where a chart (or its scenario's heading) starts,
    # never through an image
    assert charts.sheet_properties.pageSetUpPr is None or \
        not charts.sheet_properties.pageSetUpPr.fitToPage
    assert 25 <= charts.page_setup.scale < 100
    breaks = [b.id for b in charts.row_breaks.brk]
    assert breaks
    titles = {c.title for c in CHARTS.values()}
    for first in breaks:  # the first row of the new page (1-based: id + 1)
        starts = (charts.cell(first + 1, 1).value, charts.cell(first + 1, 13).value)
        assert str(starts[0]).startswith("Scenario: ") or starts[1] in titles, starts
    summary = book["Summary"]
    assert summary["N4"].value == "Message" and summary["O4"].value == "Solver"
    assert summary.print_area.startswith("'Summary'!$A$1:$N$")


def test_wrapped_text_gets_rows_tall_enough_to_show_it(written) -> None:
    """The Summary's Message column is 50 wide and wraps; a message of 80 characters
    takes two lines, so its row is 30 points tall (15 a line), not the default 15 that
    would hide the second line under the next row."""
    from capacity_planner.reporting.sheet import wrapped_lines

    assert wrapped_lines("a" * 10 + " " + "b" * 10, 15) == 2
    assert wrapped_lines("one two three", 40) == 1
    path, _model, results = written
    summary = openpyxl.load_workbook(path)["Summary"]
    for i, r in enumerate(results):
        lines = wrapped_lines(r.message, 49)
        assert summary.cell(HEADER_ROW + 1 + i, 14).value == r.message
        assert (summary.row_dimensions[HEADER_ROW + 1 + i].height or 15) == 15 * lines


@pytest.mark.libreoffice
def test_libreoffice_prints_the_summary_readably(tmp_path: Path) -> None:
    """LibreOffice, printing to PDF, lays the Summary out on A4 landscape (842 x 595
    points) with the engine's figures on page 1 and the solver's columns left off."""
    _model, results = solved()
    path = tmp_path / "one.xlsx"
    write_results(results[:1], path, model=_model, charts=False)
    profile = tmp_path / "profile"
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "one.pdf"
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "1", str(pdf)], capture_output=True,
                          text=True, check=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page    1 size"))
    width, height = (float(x) for x in size.split(":")[1].split("pts")[0].split(" x "))
    assert round(width) == 842 and round(height) == 595
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout
    assert "Capacity Planner results" in first and "Page 1 of" in first
    assert f"£{results[0].totals.cost_gbp:,.0f}" in first
    assert "Solver" not in first and "Build s" not in first
