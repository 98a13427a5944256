"""Bid charts: (e) scenarios compared on weighted unmet demand and cost, (f) the cost
build-up of the bid as a waterfall, (g) the next posts to fund by value per pound."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from capacity_planner.domain.model import PlanningModel
from capacity_planner.optimise.result import Result
from capacity_planner.reporting import tables
from capacity_planner.reporting.charts.common import (
    canvas,
    money,
    money_unit,
    no_plan,
    scaled_axis,
    styled,
)
from capacity_planner.reporting.style import (
    A4_WIDTH_IN,
    INK,
    MID,
    Canvas,
    Source,
    frame,
    literal,
    message_figure,
    value_grid,
    wrap,
)

TITLE_E = "Scenarios compared: weighted unmet demand and cost"
TITLE_F = "Cost build-up of the bid"
TITLE_G = "Next posts to fund, by value per pound"
KIND_STYLE = {  # face, hatch
    "New posts": ("#4d4d4d", ""),
    "Recruitment": ("#ffffff", "////"),
    "Overtime": ("#c8c8c8", "..."),
}


@styled
def comparison_chart(results: Sequence[Result], model: PlanningModel, *, source: Source,
                     into: Canvas | None = None) -> Canvas:
    data = tables.comparison(results)
    n = len(data)
    fig = canvas(into, (A4_WIDTH_IN, max(3.2, 1.9 + 0.42 * n)))
    left, right = fig.subplots(1, 2, sharey=True)
    y = np.arange(n)
    solved = data["status"].isin(["optimal", "time_limit"])
    unmet = data["weighted_unmet"].where(solved, 0.0).astype(float)
    cost = data["cost_gbp"].where(solved, 0.0).astype(float)
    left.barh(y, unmet / 1e3, height=0.6, color="#8f8f8f", edgecolor=INK, lw=0.5,
              gid="weighted_unmet")
    scale, unit = money_unit(float(cost.max()) if n else 0.0)
    right.barh(y, cost / scale, height=0.6, color="#ffffff", hatch="////", edgecolor=INK,
               lw=0.5, gid="cost")
    for i in range(n):
        if not solved.iloc[i]:
            for ax in (left, right):
                ax.text(0, i, f" {data['status'].iloc[i]}: no plan", va="center",
                        fontsize=7.5, color=MID, parse_math=False)
            continue
        left.text(unmet.iloc[i] / 1e3, i, f" {unmet.iloc[i] / 1e3:,.0f}k", va="center",
                  fontsize=7.5, parse_math=False)
        right.text(cost.iloc[i] / scale, i, f" {money(cost.iloc[i])}", va="center",
                   fontsize=7.5, parse_math=False)
    scaled_axis(left.xaxis, 1.0)
    for ax, series in ((left, unmet / 1e3), (right, cost / scale)):
        hi = float(series.max()) if n else 0.0
        ax.set_xlim(0, hi * 1.3 if hi > 0 else 1)
        value_grid(ax, "x")
    left.set_yticks(y, [literal(wrap(s, 24)) for s in data["scenario"]])
    left.set_ylim(max(n, 4) - 0.5, -0.5)  # a few scenarios keep slim bars, top down
    for ax in (left, right):
        ax.xaxis.set_major_locator(MaxNLocator(5))
    left.set_xlabel("Weighted unmet demand (thousand weighted hours)")
    right.set_xlabel(f"Cost over the plan ({unit})")
    left.set_title("Less is better", loc="left", fontsize=7.5, color=MID)
    right.set_title("Extra cost above the funded establishment", loc="left", fontsize=7.5,
                    color=MID)
    frame(fig, TITLE_E, "", source, subtitle=f"{n} scenarios, named on the left")
    return fig


@styled
def cost_chart(result: Result, model: PlanningModel, *, source: Source,
               into: Canvas | None = None) -> Canvas:
    if not result.solved:
        return no_plan(TITLE_F, result, source, into)
    steps = tables.cost_steps(result, model)
    if steps.empty:
        return message_figure(TITLE_F, result.scenario, source,
                              "This plan adds no cost: no new posts, recruitment or overtime.",
                              into)
    fig = canvas(into)
    ax = fig.add_subplot()
    total = float(steps["after_gbp"].iloc[-1])
    scale, unit = money_unit(max(total, float(steps["after_gbp"].max())))
    # Steps within a year sit together; a gap separates years; the total stands apart.
    xs: list[float] = []
    x = 0.0
    last_year = None
    for year in steps["year"]:
        if last_year is not None and year != last_year:
            x += 0.6
        xs.append(x)
        x += 1.0
        last_year = year
    total_x = x + 0.6
    seen: set[str] = set()
    for xi, row in zip(xs, steps.itertuples(index=False), strict=True):
        face, hatch = KIND_STYLE.get(row.kind, ("#bdbdbd", ""))
        ax.bar(xi, row.amount_gbp / scale, bottom=row.before_gbp / scale, width=0.8,
               color=face, hatch=hatch, edgecolor=INK, lw=0.5, gid=f"step:{row.kind}")
        seen.add(row.kind)
        ax.text(xi, row.after_gbp / scale, money(row.amount_gbp), ha="center", va="bottom",
                fontsize=6.5, parse_math=False)
    for a, b, row in zip(xs, xs[1:] + [total_x], steps.itertuples(index=False), strict=True):
        ax.plot([a + 0.4, b - 0.4], [row.after_gbp / scale] * 2, color=MID, lw=0.6, ls=":")
    ax.bar(total_x, total / scale, width=0.8, color=INK, edgecolor=INK, gid="total")
    ax.text(total_x, total / scale, money(total), ha="center", va="bottom", fontsize=7.5,
            fontweight="bold", parse_math=False)
    centres, labels = [], []
    for year, group in steps.groupby("year", sort=True):
        idx = [i for i, y in enumerate(steps["year"]) if y == year]
        centres.append(sum(xs[i] for i in idx) / len(idx))
        labels.append(f"Year {year}\nfrom {wrap(group['first'].iloc[0], 18, 1)}")
    ax.set_xticks([*centres, total_x], [literal(t) for t in [*labels, "Total"]], fontsize=7)
    ax.set_ylabel(f"Cumulative cost ({unit})")
    scaled_axis(ax.yaxis, 1.0, 1 if scale == 1e6 else 0)
    ax.set_ylim(0, total / scale * 1.12)
    value_grid(ax, "y")
    handles = [Patch(facecolor=face, hatch=hatch, edgecolor=INK, lw=0.5, label=kind)
               for kind, (face, hatch) in KIND_STYLE.items() if kind in seen]
    handles.append(Patch(facecolor=INK, edgecolor=INK, label="Total"))
    ax.legend(handles=handles, loc="upper left", ncol=1)
    frame(fig, TITLE_F, result.scenario, source,
          note="Cost above the funded establishment: new posts from their start, one-off "
               "recruitment per joiner, overtime at its premium. Fills of funded vacancies "
               "add no salary cost.")
    return fig


@styled
def next_posts_chart(result: Result, model: PlanningModel, *, source: Source,
                     into: Canvas | None = None) -> Canvas:
    if not result.solved:
        return no_plan(TITLE_G, result, source, into)
    data = tables.next_posts(result, model)
    if data.empty:
        return message_figure(TITLE_G, result.scenario, source,
                              "No extra post would reduce unmet demand: every capacity "
                              "constraint has spare hours.", into)
    n = len(data)
    fig = canvas(into, (A4_WIDTH_IN, max(3.4, 1.8 + 0.36 * n)))
    ax = fig.add_subplot()
    y = np.arange(n)
    values = data["value_per_gbp_million"].astype(float)
    breach = data["avoids_breach"].astype(bool)
    plain = values[~breach]
    # A breach-avoiding value can be 1,000 times the rest: it runs off the axis (marked),
    # so the ordinary values stay readable.
    clip = float(plain.max()) * 1.8 if breach.any() and len(plain) else None
    top = clip if clip is not None else float(values.max())
    for i, row in enumerate(data.itertuples(index=False)):
        if row.avoids_breach:
            width = clip if clip is not None else row.value_per_gbp_million
            ax.barh(i, width, height=0.62, color="#ffffff", hatch="xx", edgecolor=INK,
                    lw=0.5, gid="breach_value")
            text = (f"{row.value_per_gbp_million:,.0f}: avoids a minimum-service breach "
                    f"({row.marginal_value_per_fte:,.0f} per FTE)")
            ax.text(top * 0.02, i, text, va="center", fontsize=7, parse_math=False,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.2})
            continue
        ax.barh(i, row.value_per_gbp_million, height=0.62, color="#7a7a7a", edgecolor=INK,
                lw=0.5, gid="value_per_gbp_million")
        ax.text(row.value_per_gbp_million + top * 0.01, i,
                f"{row.value_per_gbp_million:,.0f}  ({row.marginal_value_per_fte:,.0f} per FTE,"
                f" {money(row.annual_cost_gbp)} a year)", va="center", fontsize=7,
                parse_math=False)
    ax.set_xlim(0, top * 1.7 if clip is None else top)
    scaled_axis(ax.xaxis, 1.0)
    names = tables.Names(model)
    ax.set_yticks(y, [literal(f"{i + 1}. {wrap(f'{names.role(r.role)} ({r.period})', 44, 1)}"
                              f"\n{wrap(names.unit(r.unit), 44, 1)}")
                      for i, r in enumerate(data.itertuples(index=False))], fontsize=7.5)
    ax.invert_yaxis()
    ax.set_xlabel("Weighted unmet hours avoided per £1m of annual cost")
    value_grid(ax, "x")
    frame(fig, TITLE_G, result.scenario, source,
          note="Marginal value: the shadow price of one more FTE's hours, valid for a small "
               "change; re-solve to cost a larger bid.")
    return fig
