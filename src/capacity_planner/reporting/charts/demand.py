"""Demand charts: (b) demand against delivered hours by stream with unmet stacked, and
(c) coverage heat map, unit by stream."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Rectangle

from capacity_planner.domain.model import PlanningModel
from capacity_planner.optimise.result import Result
from capacity_planner.reporting import tables
from capacity_planner.reporting.charts.common import canvas, no_plan, scaled_axis, styled
from capacity_planner.reporting.style import (
    A4_WIDTH_IN,
    FAINT,
    INK,
    Canvas,
    Source,
    frame,
    literal,
    value_grid,
    wrap,
)

TITLE_B = "Demand and delivery by stream"
TITLE_C = "Coverage of demand by unit and stream"
# Greys from near black (nothing met) to near white (all met): never pure white, so a
# fully met cell still reads as a cell; the numbers carry the exact value.
COVERAGE_CMAP = ListedColormap(
    [(v, v, v) for v in np.linspace(0.12, 0.96, 256)], name="coverage_greys")


@styled
def demand_chart(result: Result, model: PlanningModel, *, source: Source,
                 into: Canvas | None = None) -> Canvas:
    if not result.solved:
        return no_plan(TITLE_B, result, source, into)
    data = tables.demand_by_stream(result, model)
    n = len(data)
    fig = canvas(into, (A4_WIDTH_IN, max(3.6, 1.7 + 0.42 * n)))
    ax = fig.add_subplot()
    y = np.arange(n)
    scale = 1e3
    ax.barh(y, data["delivered_hours"] / scale, height=0.62, color="#7a7a7a",
            edgecolor=INK, linewidth=0.5, label="Delivered", gid="delivered")
    ax.barh(y, data["unmet_hours"] / scale, left=data["delivered_hours"] / scale,
            height=0.62, color="#ffffff", hatch="////", edgecolor=INK, linewidth=0.5,
            label="Unmet", gid="unmet")
    top = float(data["demand_hours"].max() / scale) if n else 1.0
    for i, row in enumerate(data.itertuples(index=False)):
        pct = "no demand" if np.isnan(row.coverage_pct) else f"{row.coverage_pct:,.0f}% met"
        unmet = f", {row.unmet_hours / scale:,.1f}k unmet" if row.unmet_hours >= 50 else ""
        ax.text(row.demand_hours / scale + top * 0.01, i, pct + unmet, va="center",
                fontsize=7.5, parse_math=False)
    ax.set_xlim(0, top * 1.32 if top > 0 else 1)
    ax.set_yticks(y, [literal(wrap(v, 28)) for v in data["name"]])
    ax.invert_yaxis()
    periods = model.plan_periods
    span = f"{periods[0].period} to {periods[-1].period}" if periods else "the plan"
    ax.set_xlabel(f"Thousand hours of demand, all units, {span}")
    scaled_axis(ax.xaxis, 1.0)
    value_grid(ax, "x")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2)
    frame(fig, TITLE_B, result.scenario, source,
          note="Delivered: demand hours met after skill and sharing efficiencies.")
    return fig


@styled
def heatmap_chart(result: Result, model: PlanningModel, *, source: Source,
                  into: Canvas | None = None) -> Canvas:
    if not result.solved:
        return no_plan(TITLE_C, result, source, into)
    grid = tables.coverage_matrix(result, model)
    names = tables.Names(model)
    units, streams = list(grid.index), list(grid.columns)
    fig = canvas(into, (A4_WIDTH_IN, max(3.4, 2.4 + 0.48 * len(units))))
    ax = fig.add_subplot()
    values = grid.to_numpy(dtype=float)
    shown = np.ma.masked_invalid(values)
    mesh = ax.pcolormesh(shown, cmap=COVERAGE_CMAP, vmin=0, vmax=100, edgecolors="white",
                         linewidth=1.5, gid="coverage")
    for i in range(len(units)):
        for j in range(len(streams)):
            v = values[i, j]
            if np.isnan(v):
                ax.add_patch(Rectangle((j + 0.03, i + 0.03), 0.94, 0.94, facecolor="white",
                                       edgecolor=FAINT, hatch="//", linewidth=0.6))
                ax.text(j + 0.5, i + 0.5, "no demand", ha="center", va="center",
                        fontsize=6.5, color=INK, parse_math=False,
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5})
                continue
            shade = 0.12 + 0.84 * v / 100
            ax.text(j + 0.5, i + 0.5, f"{v:.0f}%", ha="center", va="center", fontsize=8,
                    color="white" if shade < 0.55 else INK,
                    fontweight="bold" if v < 100 - 0.5 else "normal", parse_math=False)
    ax.set_xticks(np.arange(len(streams)) + 0.5,
                  [literal(wrap(names.stream(s), 13, 4)) for s in streams], fontsize=6.8)
    ax.set_yticks(np.arange(len(units)) + 0.5, [literal(wrap(names.unit(u), 22))
                                                for u in units])
    ax.invert_yaxis()
    ax.tick_params(length=0)
    ax.xaxis.tick_top()
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    bar = fig.colorbar(mesh, ax=ax, location="bottom", shrink=0.5, aspect=30, pad=0.03)
    bar.set_label("Share of demand hours met over the plan (%)")
    bar.outline.set_linewidth(0.5)
    frame(fig, TITLE_C, result.scenario, source)
    return fig
