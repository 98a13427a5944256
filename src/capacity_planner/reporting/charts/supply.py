"""Supply charts: (a) the four supply layers by role against year-one demand, and (d) the
four-year projection of effective FTE with fills, new posts and attrition."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import MaxNLocator

from capacity_planner.domain.model import PlanningModel
from capacity_planner.optimise.result import Result
from capacity_planner.reporting import tables
from capacity_planner.reporting.charts.common import (
    canvas,
    no_plan,
    panel_grid,
    period_ticks,
    styled,
)
from capacity_planner.reporting.style import (
    INK,
    MID,
    TALL_SIZE,
    Canvas,
    Source,
    frame,
    value_grid,
    wrap,
)

LAYER_STYLE = {  # label, face, hatch
    "funded_fte": ("Funded posts", "#ffffff", ""),
    "in_post_fte": ("In post", "#d4d4d4", ""),
    "qualified_fte": ("Qualified (in post less trainees)", "#8f8f8f", "////"),
    "deployable_fte": ("Deployable (after absence, training, abstraction)", "#3a3a3a", ""),
}
TITLE_A = "Four supply layers by role"
TITLE_D = "Four-year projection of effective FTE by role"


@styled
def supply_chart(result: Result, model: PlanningModel, *, source: Source,
                 into: Canvas | None = None) -> Canvas:
    """Small multiples, one panel per role on its own scale: a response team of 1,500
    and a cyber team of 14 cannot share an axis and both be read."""
    if not result.solved:
        return no_plan(TITLE_A, result, source, into)
    data = tables.supply_layers(result, model)
    ncols = 3
    nrows = max(1, -(-len(data) // ncols))
    fig = canvas(into, (TALL_SIZE[0], 1.2 + 1.75 * nrows))
    axes, spare = panel_grid(fig, len(data), ncols)
    x = [float(i) for i in range(len(LAYER_STYLE))]
    for ax, row in zip(axes, data.itertuples(index=False), strict=True):
        values = [getattr(row, c) for c in LAYER_STYLE]
        for xi, v, (col, (label, face, hatch)) in zip(x, values, LAYER_STYLE.items(),
                                                    strict=True):
            ax.bar(xi, v, width=0.72, color=face, hatch=hatch, edgecolor=INK, linewidth=0.5,
                   label=label, gid=col)
            ax.text(xi, v, f"{v:,.0f}", ha="center", va="bottom", fontsize=6.3,
                    parse_math=False)
        ax.axhline(row.needed_fte, color=INK, lw=1.3, ls=(0, (4, 1.5)), gid="needed_fte",
                   label="FTE needed for year-one demand")
        gap = row.gap_fte
        word = ("short" if gap > 0.05 else "spare" if gap < -0.05 else "even")
        ax.set_title(f"{wrap(row.name, 34, 1)}\n{word} {abs(gap):,.1f} FTE", loc="left",
                     fontsize=7.5, parse_math=False, linespacing=1.25)
        top = max(max(values), row.needed_fte, 1.0)
        ax.set_ylim(0, top * 1.15)
        ax.set_xticks([])
        ax.yaxis.set_major_locator(MaxNLocator(4, integer=True))
        value_grid(ax, "y")
    for ax in axes[::ncols]:
        ax.set_ylabel("FTE")
    handles, labels = axes[0].get_legend_handles_labels() if axes else ([], [])
    if spare:
        spare[0].legend(handles, labels, loc="center left", fontsize=7, handlelength=2.2)
    else:
        fig.legend(handles, labels, loc="outside upper left", ncol=3, fontsize=7)
    frame(fig, TITLE_A, result.scenario, source,
          note="FTE, all units, at the start of the plan. Deployable: qualified less absence, "
               "plus trainees at their effectiveness, after abstraction. Gap: FTE needed for "
               "year-one demand (hours worked plus unmet hours the role would cover, at its "
               "productive hours) less deployable FTE.")
    return fig


@styled
def projection_chart(result: Result, model: PlanningModel, *, source: Source,
                     into: Canvas | None = None) -> Canvas:
    if not result.solved:
        return no_plan(TITLE_D, result, source, into)
    data = tables.projection(result, model)
    roles = list(dict.fromkeys(data["role"]))
    periods = [p.period for p in model.plan_periods]
    ncols = 3
    nrows = max(1, math.ceil(len(roles) / ncols))
    fig = canvas(into, (TALL_SIZE[0], 2.0 + 1.55 * nrows))
    top, bottom = fig.subfigures(2, 1, height_ratios=[1.55 * nrows, 2.0])  # type: ignore[misc]
    axes = top.subplots(nrows, ncols, sharex=True, squeeze=False)
    x = np.arange(len(periods))
    for k, rid in enumerate(roles):
        ax = axes[k // ncols][k % ncols]
        mine = data[data["role"] == rid]
        ax.plot(x, mine["without_joiners_fte"], ls="--", color=MID, lw=1.1,
                label="Today's staff only (after attrition)", gid="without_joiners")
        ax.plot(x, mine["effective_fte"], ls="-", color=INK, lw=1.5, marker="o",
                markersize=2.6, label="Effective FTE in the plan", gid="effective")
        ax.set_title(wrap(mine["name"].iloc[0], 34, 1), loc="left", fontsize=7.5,
                     parse_math=False)
        joined = mine["recruited_fte"].sum() + mine["new_fte"].sum()
        ax.text(0.98, 0.04, f"+{joined:,.1f} join, −{mine['leavers_fte'].sum():,.1f} leave",
                transform=ax.transAxes, ha="right", va="bottom", fontsize=6.5,
                color=MID, parse_math=False)
        lo = min(mine["without_joiners_fte"].min(), mine["effective_fte"].min())
        hi = max(mine["without_joiners_fte"].max(), mine["effective_fte"].max())
        pad = max(0.5, 0.12 * (hi - lo))
        ax.set_ylim(max(0.0, lo - 2 * pad), hi + pad)
        value_grid(ax, "y")
        if k % ncols == 0:
            ax.set_ylabel("FTE")
    for k in range(nrows * ncols):
        ax = axes[k // ncols][k % ncols]
        if k >= len(roles):
            ax.set_axis_off()
        else:  # period labels under the lowest panel of each column
            period_ticks(ax, periods, model, labels=k + ncols >= len(roles), narrow=True)
    handles, labels = axes[0][0].get_legend_handles_labels()
    top.legend(handles, labels, loc="outside upper right", ncol=2, fontsize=7.5)
    _flows(bottom, data, periods, model)
    frame(fig, TITLE_D, result.scenario, source,
          note="Effective FTE: in post less absence, trainees at their effectiveness, before "
               "abstraction. Leavers at each role's attrition rate, joiners included.")
    return fig


def _flows(fig: Canvas, data, periods: list[str], model: PlanningModel) -> None:
    """Joiners (fills and new posts) and leavers, all roles, per period, each on its own
    scale: a handful of joiners must not vanish beside hundreds of leavers."""
    up, down = fig.subplots(1, 2)
    per = data.groupby("period", sort=False)[["recruited_fte", "new_fte", "leavers_fte"]].sum()
    per = per.reindex(periods).fillna(0.0)
    x = np.arange(len(periods))
    up.bar(x, per["recruited_fte"], width=0.7, color="#8f8f8f", edgecolor=INK, lw=0.5,
           label="Fills of funded vacancies", gid="fills")
    up.bar(x, per["new_fte"], bottom=per["recruited_fte"], width=0.7, color="#ffffff",
           hatch="////", edgecolor=INK, lw=0.5, label="New posts", gid="new_posts")
    down.bar(x, per["leavers_fte"], width=0.7, color="#3a3a3a", edgecolor=INK, lw=0.5,
             label="Leavers (attrition)", gid="leavers")
    up.set_title("Joiners, all roles", loc="left", fontsize=8)
    down.set_title("Leavers, all roles", loc="left", fontsize=8)
    for ax in (up, down):
        ax.set_ylabel("FTE per period")
        period_ticks(ax, periods, model, narrow=True)
        value_grid(ax, "y")
        ax.yaxis.set_major_locator(MaxNLocator(4))
        if ax.get_ylim()[1] < 1:
            ax.set_ylim(0, 1)
    up.legend(loc="upper left", fontsize=7, handlelength=1.4)
