"""The Charts sheet of the results workbook: each chart as an image with the table it
draws beside it, so a reader can check (and copy) every bar. The scenario comparison
comes first, then each solved scenario's charts in turn."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from capacity_planner.domain.model import PlanningModel
from capacity_planner.optimise.result import Result
from capacity_planner.reporting import tables
from capacity_planner.reporting.charts import CHARTS, Chart
from capacity_planner.reporting.render import Renderings
from capacity_planner.reporting.sheet import Column, Styles, heading, wrapped_lines, write_table
from capacity_planner.reporting.style import Source

C = Column
ROW_PX = 20  # Excel's default row height at 96 dpi
TABLE_COL = 12  # tables start in column M, right of a 7.5-inch image
FIRST_WIDTH, OTHER_WIDTH = 34, 14  # the tables' first column (names) and the others
TableRows = tuple[list[Column], list[list[Any]]]


def chart_table(key: str, results: Sequence[Result], result: Result,
                model: PlanningModel) -> TableRows:
    """The numbers a chart draws, as worksheet columns and rows."""
    if key == "supply_layers":
        d = tables.supply_layers(result, model)
        return ([C("Role"), C("Funded FTE", "fte"), C("In post FTE", "fte"),
                 C("Qualified FTE", "fte"), C("Deployable FTE", "fte"),
                 C("FTE needed, year one", "fte"), C("Gap FTE", "fte")],
                [[r.name, r.funded_fte, r.in_post_fte, r.qualified_fte, r.deployable_fte,
                  r.needed_fte, r.gap_fte] for r in d.itertuples(index=False)])
    if key == "demand_delivered":
        d = tables.demand_by_stream(result, model)
        return ([C("Stream"), C("Demand hours", "hours"), C("Delivered hours", "hours"),
                 C("Unmet hours", "hours"), C("Coverage %", "pct")],
                [[r.name, r.demand_hours, r.delivered_hours, r.unmet_hours, r.coverage_pct]
                 for r in d.itertuples(index=False)])
    if key == "coverage_heatmap":
        grid = tables.coverage_matrix(result, model)
        names = tables.Names(model)
        return ([C("Unit"), *(C(f"{names.stream(s)} %", "pct") for s in grid.columns)],
                [[names.unit(u), *(float(v) for v in grid.loc[u])] for u in grid.index])
    if key == "projection":
        d = tables.projection(result, model)
        rows = []
        for _rid, g in d.groupby("role", sort=False):
            rows.append([g["name"].iloc[0], float(g["effective_fte"].iloc[0]),
                         float(g["effective_fte"].iloc[-1]),
                         float(g["without_joiners_fte"].iloc[-1]),
                         float(g["recruited_fte"].sum()), float(g["new_fte"].sum()),
                         float(g["leavers_fte"].sum())])
        return ([C("Role"), C("Effective FTE, first period", "fte"),
                 C("Effective FTE, last period", "fte"),
                 C("Today's staff only, last period", "fte"), C("Fills FTE", "fte"),
                 C("New posts FTE", "fte"), C("Leavers FTE", "fte")], rows)
    if key == "scenario_comparison":
        d = tables.comparison(results)
        return ([C("Scenario"), C("Status"), C("Weighted unmet", "hours"),
                 C("Cost £", "gbp"), C("Coverage %", "pct")],
                [[r.scenario, r.status, r.weighted_unmet, r.cost_gbp, r.coverage_pct]
                 for r in d.itertuples(index=False)])
    if key == "cost_buildup":
        d = tables.cost_steps(result, model)
        return ([C("Year", "int"), C("From"), C("To"), C("Cost"), C("Amount £", "gbp"),
                 C("Running total £", "gbp")],
                [[r.year, r.first, r.last, r.kind, r.amount_gbp, r.after_gbp]
                 for r in d.itertuples(index=False)])
    if key == "next_posts":
        d = tables.next_posts(result, model)
        names = tables.Names(model)
        return ([C("Rank", "int"), C("Role"), C("Unit"), C("Period"),
                 C("Marginal value per FTE", "value"), C("Annual cost £", "gbp"),
                 C("Value per £1m", "value")],
                [[i + 1, names.role(r.role), names.unit(r.unit), r.period,
                  r.marginal_value_per_fte, r.annual_cost_gbp, r.value_per_gbp_million]
                 for i, r in enumerate(d.itertuples(index=False))])
    raise KeyError(key)


def chart_jobs(results: Sequence[Result]) -> list[tuple[Chart, Result]]:
    """Every chart of the sheet, in order: the comparison (with several scenarios), then
    each solved scenario's charts."""
    jobs = [(chart, results[0]) for chart in CHARTS.values()
            if chart.compares and len(results) > 1]
    jobs += [(chart, result) for result in results if result.solved
             for chart in CHARTS.values() if not chart.compares]
    return jobs


def charts_sheet(book: Workbook, styles: Styles, results: Sequence[Result],
                 model: PlanningModel, source: Source,
                 rendered: Renderings | None = None) -> None:
    """The Charts sheet; ``rendered``: images already being drawn (``start_rendering``),
    else each is drawn here in turn."""
    ws = book.add_worksheet("Charts")
    heading(ws, styles, "Charts",
            "Each chart with the numbers it draws beside it. The images are pictures: "
            "the tables on the other sheets are the data.", header_row=None)
    row = 3
    jobs = chart_jobs(results)
    images = rendered if rendered is not None else Renderings(jobs, results, model, source)
    blocks: list[int] = []  # first row of each chart (with its scenario's heading)
    widest = 0
    try:
        current = None
        for k, (chart, result) in enumerate(jobs):
            blocks.append(row)
            if not chart.compares and result is not current:
                current = result
                ws.write_string(row, 0, f"Scenario: {result.scenario}", styles.section)
                row += 2
            row, columns = _place(ws, styles, chart, results, result, model, images.get(k),
                                  row)
            widest = max(widest, columns)
    finally:
        images.close()
    if not any(r.solved for r in results):
        ws.write_string(row, 0, "No scenario was solved, so there is nothing to chart.",
                        styles.text)
    ws.set_column(TABLE_COL, TABLE_COL, FIRST_WIDTH)
    ws.set_column(TABLE_COL + 1, TABLE_COL + 9, OTHER_WIDTH)
    _paginate(ws, blocks + [row], widest)


# Printing the Charts sheet. Excel ignores manual page breaks on a sheet set to fit its
# pages, so this sheet has a fixed scale (the image and its widest table across an A4
# landscape page) and a break before any chart that would otherwise be cut in two.
PRINT_WIDTH_PX = 1046  # A4 landscape less the margins, at 96 dpi
PRINT_HEIGHT_PX = 664
IMAGE_COLUMNS_PX = 12 * 64  # columns A to L at Excel's default width
WIDTH_MARGIN = 1.35  # LibreOffice draws columns wider than Excel's pixel arithmetic says


def _paginate(ws: Worksheet, bounds: list[int], table_columns: int) -> None:
    table_px = (FIRST_WIDTH + OTHER_WIDTH * max(0, table_columns - 1)) * 7 + 5 * table_columns
    wide = (IMAGE_COLUMNS_PX + table_px) * WIDTH_MARGIN
    scale = max(25, min(100, math.floor(100 * PRINT_WIDTH_PX / wide)))
    ws.fit_to_pages(0, 0)
    ws.print_across()  # should a table still be wider, its last columns follow it
    ws.set_print_scale(scale)
    page_rows = PRINT_HEIGHT_PX * 100 / scale / ROW_PX
    breaks: list[int] = []
    top = 0
    for start, end in zip(bounds, bounds[1:], strict=False):
        if end - top > page_rows and start > top:
            breaks.append(start)
            top = start
    if breaks:
        ws.set_h_pagebreaks(breaks)


def _place(ws: Worksheet, styles: Styles, chart: Chart, results: Sequence[Result],
           result: Result, model: PlanningModel, image: tuple[bytes, float],
           row: int) -> tuple[int, int]:
    """The chart's image at ``row`` with its table beside it; returns the next free row
    and the table's number of columns."""
    png, height_in = image
    ws.insert_image(row, 0, f"{chart.key}.png", {
        "image_data": io.BytesIO(png), "object_position": 1,
        "description": f"{chart.title}, {result.scenario}"})
    columns, rows = chart_table(chart.key, results, result, model)
    ws.write_string(row, TABLE_COL, chart.title, styles.section)
    end = write_table(ws, styles, columns, rows, top=row + 1, left=TABLE_COL, freeze=False,
                      autofilter=False, fit=False)
    widths = [FIRST_WIDTH, *[OTHER_WIDTH] * (len(columns) - 1)]  # the sheet's, set below
    lines = max((wrapped_lines(c.header, w - 1) for c, w in zip(columns, widths, strict=False)),
                default=1)
    ws.set_row(row + 1, 15 * lines)  # the header row tall enough for its wrapped headers
    image_rows = math.ceil(height_in * 96 / ROW_PX) + 2
    return max(row + image_rows, end + 2), len(columns)
