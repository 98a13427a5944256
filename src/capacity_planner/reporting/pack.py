"""The bid pack: one PDF a planner can attach to a budget bid or a board paper.

A4 portrait pages: a cover with the scenario summary table and what the solver found; the
scenario comparison; each scenario's charts (two to a page, the tall ones alone); then
the unmet-demand table by unit and stream. Charts are drawn straight onto the pages (as
subfigures), so the PDF keeps vector lines and real, searchable text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure, SubFigure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.table import Table

from capacity_planner.domain.model import PlanningModel
from capacity_planner.io.atomic import atomic_write
from capacity_planner.optimise.result import Result
from capacity_planner.reporting.charts import CHARTS
from capacity_planner.reporting.charts.common import money
from capacity_planner.reporting.style import (
    FAINT,
    MID,
    Source,
    house_style,
    wrap,
)
from capacity_planner.reporting.tables import Names

A4 = (8.27, 11.69)
ROWS_PER_PAGE = 40
TOP_IN, BOTTOM_IN, SIDE_IN = 0.45, 0.4, 0.45  # page margins round the charts
# Each page of a scenario: its charts and their share of the page height.
PAGES: tuple[tuple[tuple[str, ...], tuple[float, ...]], ...] = (
    (("demand_delivered", "coverage_heatmap"), (1.0, 1.0)),
    (("supply_layers",), (1.0,)),
    (("projection",), (1.0,)),
    (("cost_buildup", "next_posts"), (0.42, 0.58)),
)


def write_pack(results: Sequence[Result], model: PlanningModel, path: str | Path) -> Path:
    """Write the bid pack PDF atomically; returns the path written."""
    pages = pack_pages(results, model)

    def write(tmp: Path) -> None:
        with house_style(), PdfPages(tmp, metadata={
                "Title": "Budget bid pack", "Creator": "Capacity Planner",
                "CreationDate": None}) as pdf:
            for page in pages:
                pdf.savefig(page)

    return atomic_write(path, write, backup=False)


def pack_pages(results: Sequence[Result], model: PlanningModel) -> list[Figure]:
    """Every page of the pack as an A4 figure, in order."""
    results = list(results)
    source = Source.of(model.source)
    with house_style():
        pages = [cover(results, model, source)]
        for r in results:
            if r.solved:
                pages.extend(_chart_page(results, model, r.scenario, keys, ratios, source)
                             for keys, ratios in PAGES)
        pages.extend(unmet_pages(results, model, source))
        for n, page in enumerate(pages, start=1):
            page.text(0.96, 0.012, f"Page {n} of {len(pages)}", ha="right", fontsize=7,
                      color=MID, parse_math=False)
    return pages


def _page() -> Figure:
    fig = Figure(figsize=A4, layout=ConstrainedLayoutEngine(w_pad=0.04, h_pad=0.04,
                                                             hspace=0.0, wspace=0.0))
    return fig


def _chart_page(results: list[Result], model: PlanningModel, scenario: str | None,
                keys: tuple[str, ...], ratios: tuple[float, ...], source: Source) -> Figure:
    page = _page()
    # Empty subfigures all round keep the charts inside the printable area.
    usable = A4[1] - TOP_IN - BOTTOM_IN
    heights = [TOP_IN, *(usable * r / sum(ratios) for r in ratios), BOTTOM_IN]
    widths = [SIDE_IN, A4[0] - 2 * SIDE_IN, SIDE_IN]
    cells = page.subfigures(len(heights), 3, squeeze=False, height_ratios=heights,
                            width_ratios=widths)
    slots: list[SubFigure] = list(cells[1:-1, 1])
    for key, slot in zip(keys, slots, strict=True):
        CHARTS[key](results, model, scenario, into=slot, source=source)
    return page


def summary_rows(results: Sequence[Result]) -> list[list[str]]:
    rows = []
    for r in results:
        t = r.totals
        if r.solved:
            rows.append([r.scenario, r.status.value, f"{t.coverage_pct:,.1f}%",
                         f"{t.unmet_hours:,.0f}", f"{t.weighted_unmet:,.0f}",
                         f"{t.recruited_fte:,.1f}", f"{t.new_fte:,.1f}", money(t.cost_gbp)])
        else:
            rows.append([r.scenario, r.status.value, *["–"] * 6])
    return rows


SUMMARY_HEADER = ["Scenario", "Status", "Coverage", "Unmet hours", "Weighted unmet",
                  "Recruited FTE", "New posts FTE", "Cost"]


def cover(results: list[Result], model: PlanningModel, source: Source) -> Figure:
    """The summary page: the scenarios at a glance, the comparison chart (with two or
    more scenarios) and what the solver found."""
    fig = _page()
    compare = len(results) > 1
    head_in = 1.3 + 0.28 * len(results)
    rest = A4[1] - TOP_IN - BOTTOM_IN - head_in
    cells = fig.subfigures(5, 3, height_ratios=(
        TOP_IN, head_in, rest * 0.52 if compare else 0.01, rest * 0.48, BOTTOM_IN),
        width_ratios=(SIDE_IN, A4[0] - 2 * SIDE_IN, SIDE_IN))
    head, middle, foot = cells[1:4, 1]  # type: ignore[index]
    # The head is placed by hand (its axes are outside constrained layout).
    left = 0.0
    head.text(left, 1 - 0.3 / head_in, "Budget bid pack", fontsize=22, fontweight="bold",
              va="bottom", parse_math=False)
    head.text(left, 1 - 0.55 / head_in,
              f"Model: {source.file or 'unsaved model'}. Prepared {date.today():%d %B %Y} "
              f"with Capacity Planner; {len(results)} scenario(s).", fontsize=9,
              va="bottom", color=MID, parse_math=False)
    ax = head.add_axes((left, 0.02, 1 - 2 * left, 1 - 0.7 / head_in - 0.02))
    ax.set_axis_off()
    rows = [[wrap(c, 28, 1) if j == 0 else c for j, c in enumerate(row)]
            for row in summary_rows(results)]
    grid_table(ax, [wrap(h, 10, 2) for h in SUMMARY_HEADER], rows,
               [0.27, 0.1, 0.09, 0.11, 0.11, 0.1, 0.1, 0.12], left_cols=1, fontsize=8,
               row_height=1 / (len(rows) + 2), header_rows=2)
    if compare:
        comparison = next(c for c in CHARTS.values() if c.compares)
        comparison(results, model, into=middle, source=source)
    lines: list[str] = []
    for r in results:
        found = r.explanation[:3] or ([r.message] if r.message else [])
        lines.append(f"{r.scenario}:")
        lines.extend(wrap(f"• {line}", 120, 2) for line in found)
    text_ax = foot.add_subplot()
    text_ax.set_axis_off()
    text_ax.set_title("What the solver found", loc="left", fontsize=11, fontweight="bold")
    body = text_ax.text(0.0, 1.0, "\n".join(lines[:48]), fontsize=7, va="top",
                        parse_math=False, linespacing=1.35, transform=text_ax.transAxes)
    body.set_in_layout(False)
    if not compare:  # the comparison chart carries the source line otherwise
        foot.supxlabel(source.line(), x=0.0, ha="left", fontsize=7, color=MID,
                       parse_math=False)
    return fig


def unmet_table(result: Result, model: PlanningModel) -> pd.DataFrame:
    """Unmet demand by unit and stream over the plan, largest first: demand and unmet
    hours, coverage, and how many periods fall below the minimum service level."""
    cov = result.coverage
    names = Names(model)
    if cov.empty:
        return pd.DataFrame(columns=["unit", "stream", "demand_hours", "unmet_hours",
                                     "coverage_pct", "breaches", "first_breach"])
    rows = []
    for (unit, stream), g in cov.groupby([cov["unit"].astype(str), cov["stream"].astype(str)],
                                         sort=False):
        demand = float(g["demand_hours"].sum())
        unmet = float(g["unmet_hours"].sum())
        breached = g[g["breach"].astype(bool)]
        rows.append({"unit": names.unit(unit), "stream": names.stream(stream),
                     "demand_hours": demand, "unmet_hours": unmet,
                     "coverage_pct": 100 * (demand - unmet) / demand if demand else float("nan"),
                     "breaches": len(breached),
                     "first_breach": str(breached["period"].iloc[0]) if len(breached) else ""})
    table = pd.DataFrame(rows)
    table = table[(table["unmet_hours"] >= 0.5) | (table["breaches"] > 0)]
    return table.sort_values("unmet_hours", ascending=False, kind="stable")


def unmet_pages(results: list[Result], model: PlanningModel, source: Source) -> list[Figure]:
    pages = []
    header = ["Unit", "Stream", "Demand hours", "Unmet hours", "Coverage",
              "Periods below minimum", "First below minimum"]
    for r in results:
        if not r.solved:
            continue
        table = unmet_table(r, model)
        body = [[wrap(t.unit, 42, 1), wrap(t.stream, 38, 1), f"{t.demand_hours:,.0f}",
                 f"{t.unmet_hours:,.0f}", f"{t.coverage_pct:,.1f}%", str(t.breaches),
                 t.first_breach] for t in table.itertuples(index=False)]
        chunks = [body[i:i + ROWS_PER_PAGE] for i in range(0, len(body), ROWS_PER_PAGE)] or [[]]
        for k, chunk in enumerate(chunks):
            fig = Figure(figsize=A4)
            more = f" (continued, {k + 1} of {len(chunks)})" if len(chunks) > 1 else ""
            fig.text(0.06, 0.95, f"Unmet demand: {r.scenario}{more}", fontsize=13,
                     fontweight="bold", parse_math=False)
            fig.text(0.06, 0.93, "Over the whole plan, by unit and stream, largest first. "
                     "Periods below minimum: minimum-service breaches.", fontsize=8,
                     color=MID, parse_math=False)
            if chunk:
                _table(fig, header, chunk)
            else:
                fig.text(0.06, 0.88, "All demand is met.", fontsize=10, parse_math=False)
            fig.text(0.06, 0.03, source.line(), fontsize=7, color=MID, parse_math=False)
            pages.append(fig)
    return pages


def _table(fig: Figure, header: list[str], rows: list[list[str]]) -> None:
    height = 0.018 * (len(rows) + 2)
    ax = fig.add_axes((0.06, 0.91 - height, 0.88, height))
    ax.set_axis_off()
    grid_table(ax, [wrap(h, 9, 2) for h in header], rows,
               [0.31, 0.27, 0.09, 0.08, 0.07, 0.08, 0.1], left_cols=2, fontsize=6.6,
               row_height=1 / (len(rows) + 2), header_rows=2)


def grid_table(ax: Axes, header: list[str], rows: list[list[str]], widths: list[float], *,
               left_cols: int, fontsize: float, row_height: float,
               header_rows: int = 1) -> Table:
    """A plain ruled table filling ``ax`` from the top: text columns left-aligned,
    numbers right-aligned, header shaded; every cell's text drawn literally."""
    table = Table(ax, loc="upper left")
    for i, values in enumerate([header, *rows]):
        h = row_height * (header_rows if i == 0 else 1)
        for j, (text, w) in enumerate(zip(values, widths, strict=True)):
            cell = table.add_cell(i, j, w, h, text=text,
                                  loc="left" if j < left_cols else "right",
                                  facecolor="#e7e7e7" if i == 0 else "white",
                                  edgecolor=FAINT)
            cell.set_linewidth(0.4)
            cell.get_text().set_parse_math(False)
            cell.get_text().set_fontsize(fontsize)
            if i == 0:
                cell.get_text().set_fontweight("bold")
    table.auto_set_font_size(False)
    ax.add_table(table)
    return table
