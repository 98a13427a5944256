"""Charts of sweeps and Monte Carlo runs (DESIGN question 4).

These draw the plain tables that ``capacity_planner.analysis`` produces (reporting may not
import analysis: they are sibling layers), so the column names below are the contract:

- sweep ``table``: the swept parameter(s), then ``status``, ``coverage_pct``,
  ``cost_gbp`` ...; sweep ``streams``: the parameter(s), ``stream``, ``coverage_pct``;
- Monte Carlo ``bands``: ``metric`` (``unmet_hours`` or ``cost_gbp``), ``period``
  (``All`` for the whole plan), ``p10``, ``p50``, ``p90``, ``mean``, ``forecast``.

Every chart has a title, units on its axes, the scenario and a source line, reads in
greyscale (lines differ by marker and dash, the fan by shade and outline) and draws user
text literally.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from capacity_planner.domain.model import PlanningModel
from capacity_planner.reporting.charts.common import money_unit, period_ticks
from capacity_planner.reporting.style import (
    FAINT,
    INK,
    LINESTYLES,
    MARKERS,
    MID,
    STANDARD_SIZE,
    TALL_SIZE,
    Canvas,
    Source,
    frame,
    house_style,
    literal,
    message_figure,
    new_figure,
    thousands,
    value_grid,
    wrap,
)

PARAMETER_LABELS = {
    "demand_change_pct": "Change in demand (%)",
    "in_post_change_fte": "Change in strength (FTE per unit and role)",
    "abstraction_pct": "Abstraction (% of hours)",
    "attrition_pct": "Attrition (% a year)",
    "overtime_cap_pct": "Overtime cap (% of hours)",
    "budget_gbp": "Extra budget (£ a year)",
    "max_new_fte": "New posts allowed (FTE)",
    "recruit_fte_max": "Recruits allowed per period (FTE)",
    "max_share_pct": "Share of a role's hours allowed (%)",
    "weight": "Priority weight",
    "min_service_pct": "Minimum service level (%)",
    "whole_posts": "Whole posts (0 = no, 1 = yes)",
}
METRIC_LABELS = {
    "coverage_pct": "Coverage of demand (%)",
    "unmet_hours": "Unmet demand (hours)",
    "weighted_unmet": "Weighted unmet demand (hours × weight)",
    "cost_gbp": "Cost of the plan (£)",
    "new_fte": "New posts (FTE)",
}
MAX_STREAM_LINES = 8


def parameter_label(parameter: str) -> str:
    return PARAMETER_LABELS.get(parameter, parameter)


def _canvas(into: Canvas | None, size: tuple[float, float]) -> Canvas:
    return into if into is not None else new_figure(size)


def sweep_figure(table: pd.DataFrame, streams: pd.DataFrame, parameters: Sequence[str], *,
                 scenario: str, source: Source, model: PlanningModel | None = None,
                 target: str = "", into: Canvas | None = None) -> Canvas:
    """The chart of a sweep: lines for one parameter, a heat map of coverage for two.
    ``model`` gives the streams' names; ``target`` says what the parameter changes."""
    if len(parameters) == 2:
        return sweep_heatmap(table, parameters[0], parameters[1], scenario=scenario,
                             source=source, into=into)
    names = {s.stream_id: (s.name or s.stream_id) for s in model.streams} if model else {}
    return sweep_chart(table, streams, parameters[0], scenario=scenario, source=source,
                       stream_names=names, target=target, into=into)


# ---- sweep: one parameter --------------------------------------------------------------
def sweep_chart(table: pd.DataFrame, streams: pd.DataFrame, parameter: str, *,
                scenario: str, source: Source, stream_names: dict[str, str] | None = None,
                target: str = "", into: Canvas | None = None) -> Canvas:
    """Coverage (all demand, and each stream) and cost against one swept parameter."""
    title = f"Sensitivity to {parameter_label(parameter).split(' (')[0].lower()}"
    if table.empty:
        return message_figure(title, scenario, source, "No points to draw.", into)
    with house_style():
        fig = _canvas(into, TALL_SIZE)
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
        x = table[parameter].to_numpy(float)
        names = stream_names or {}
        stream_ids = list(dict.fromkeys(streams["stream"])) if len(streams) else []
        for k, sid in enumerate(stream_ids[:MAX_STREAM_LINES]):
            mine = streams[streams["stream"] == sid].set_index(parameter)["coverage_pct"]
            top.plot(x, mine.reindex(x).to_numpy(float), color=MID, lw=0.9,
                     ls=LINESTYLES[(k + 1) % len(LINESTYLES)], marker=MARKERS[k % len(MARKERS)],
                     markersize=3.5, markerfacecolor="white",
                     label=literal(wrap(names.get(sid, sid), 28, 1)))
        top.plot(x, _solved(table, "coverage_pct"), color=INK, lw=2.2, marker="o",
                 markersize=4.5, label="All demand", zorder=5)
        top.set_ylabel(METRIC_LABELS["coverage_pct"])
        top.set_ylim(0, 105)
        value_grid(top, "y")
        top.legend(loc="lower left", bbox_to_anchor=(0, 1.02), ncol=3, fontsize=7)
        costs = _solved(table, "cost_gbp")
        scale, money = money_unit(float(np.nanmax(costs, initial=0.0)))
        bottom.plot(x, costs / scale, color=INK, lw=1.6, marker="s", markersize=4,
                    label="Cost of the plan")
        bottom.set_ylabel(f"Cost of the plan ({money})")
        _number_axis(bottom, scale)
        bottom.set_ylim(bottom=0)
        value_grid(bottom, "y")
        bottom.set_xlabel(parameter_label(parameter) + (f", {target}" if target else ""),
                          parse_math=False)
        _mark_unsolved(top, table, parameter)
        note = "Each point is one solve of the scenario with the parameter set as shown."
        if len(stream_ids) > MAX_STREAM_LINES:
            note += f" The first {MAX_STREAM_LINES} streams are drawn."
        frame(fig, title, scenario, source, note=note)
    return fig


def _number_axis(ax: Axes, scale: float) -> None:
    """Whole numbers with separators; one decimal on a scaled (£ million) axis, whose
    ticks are often 0.5 apart."""
    if scale > 1:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.1f}"))
    else:
        thousands(ax.yaxis)


def _solved(table: pd.DataFrame, column: str) -> np.ndarray:
    values = table[column].to_numpy(float).copy()
    values[~table["status"].isin(["optimal", "time_limit"]).to_numpy()] = np.nan
    return values


def _mark_unsolved(ax: Axes, table: pd.DataFrame, parameter: str) -> None:
    bad = table[~table["status"].isin(["optimal", "time_limit"])]
    for value, status in zip(bad[parameter], bad["status"], strict=True):
        ax.axvline(float(value), color=FAINT, lw=0.8, ls=":")
        ax.text(float(value), 2, f" {status}", rotation=90, va="bottom", ha="center",
                fontsize=6.5, color=MID, parse_math=False)


# ---- sweep: two parameters -------------------------------------------------------------
def sweep_heatmap(table: pd.DataFrame, parameter: str, parameter2: str, *,
                  scenario: str, source: Source, metric: str = "coverage_pct",
                  into: Canvas | None = None) -> Canvas:
    """A grid of one metric over two swept parameters, each cell labelled with its value."""
    label = METRIC_LABELS.get(metric, metric)
    title = f"{label.split(' (')[0]} over two parameters"
    if table.empty:
        return message_figure(title, scenario, source, "No points to draw.", into)
    grid = table.assign(_v=_solved(table, metric)).pivot_table(
        index=parameter2, columns=parameter, values="_v", aggfunc="first", dropna=False)
    grid = grid.sort_index().sort_index(axis=1)
    values = grid.to_numpy(float)
    with house_style():
        fig = _canvas(into, STANDARD_SIZE)
        ax = fig.add_subplot()
        finite = values[np.isfinite(values)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        if metric == "coverage_pct":
            lo, hi = min(lo, 100.0), 100.0
        if hi <= lo:
            hi = lo + 1
        image = ax.imshow(np.ma.masked_invalid(values), cmap="Greys_r", vmin=lo, vmax=hi,
                          aspect="auto", origin="lower")
        ax.set_xticks(range(grid.shape[1]), [f"{v:g}" for v in grid.columns])
        ax.set_yticks(range(grid.shape[0]), [f"{v:g}" for v in grid.index])
        for i in range(grid.shape[0]):
            for j in range(grid.shape[1]):
                v = values[i, j]
                shade = (v - lo) / (hi - lo) if math.isfinite(v) else 1.0
                ax.text(j, i, _cell(v, metric), ha="center", va="center", fontsize=7,
                        color="white" if shade < 0.55 else INK, parse_math=False)
        ax.set_xlabel(parameter_label(parameter), parse_math=False)
        ax.set_ylabel(parameter_label(parameter2), parse_math=False)
        bar = fig.colorbar(image, ax=ax, shrink=0.9)
        bar.set_label(label)
        frame(fig, title, scenario, source,
              note="Each cell is one solve; a blank cell has no plan (infeasible or failed).")
    return fig


def _cell(v: float, metric: str) -> str:
    if not math.isfinite(v):
        return "–"
    if metric.endswith("_pct"):
        return f"{v:.0f}%"
    if abs(v) >= 1e6:
        return f"{v / 1e6:,.1f}m"
    if abs(v) >= 1e4:
        return f"{v / 1e3:,.0f}k"
    return f"{v:,.0f}"


# ---- Monte Carlo -----------------------------------------------------------------------
def fan_chart(bands: pd.DataFrame, *, scenario: str, source: Source, draws: int,
              seed: int | None = None, model: PlanningModel | None = None,
              into: Canvas | None = None) -> Canvas:
    """Unmet demand and cost per period: the P10-P90 band, the median and the forecast.
    With the ``model``, a long period axis labels only the first period of each year."""
    title = "Uncertain demand: unmet demand and cost of the plan"
    per = bands[bands["period"] != "All"]
    if per.empty or not np.isfinite(per["p50"].to_numpy(float)).any():
        return message_figure(title, scenario, source, "No draw was solved.", into)
    with house_style():
        fig = _canvas(into, TALL_SIZE)
        axes = fig.subplots(2, 1, sharex=True)
        cost = per[per["metric"] == "cost_gbp"]
        scale, money = money_unit(float(np.nanmax(cost[["p90", "forecast"]].to_numpy(float),
                                                  initial=0.0)))
        for ax, metric, ylabel, k in (
                (axes[0], "unmet_hours", "Unmet demand (hours)", 1.0),
                (axes[1], "cost_gbp", f"Cost of the plan ({money} per period)", scale)):
            mine = per[per["metric"] == metric]
            periods = list(mine["period"])
            x = np.arange(len(periods))
            ax.fill_between(x, mine["p10"].to_numpy(float) / k,
                            mine["p90"].to_numpy(float) / k,
                            facecolor="#d4d4d4", edgecolor=MID, lw=0.6,
                            label="P10 to P90 of draws")
            ax.plot(x, mine["p50"].to_numpy(float) / k, color=INK, lw=2, marker="o",
                    markersize=3.5, label="Median (P50)")
            ax.plot(x, mine["forecast"].to_numpy(float) / k, color=INK, lw=1.1, ls="--",
                    marker="x", markersize=3.5, label="Forecast demand")
            ax.set_ylabel(ylabel)
            ax.set_ylim(bottom=0)
            _number_axis(ax, k)
            value_grid(ax, "y")
            if model is not None:
                period_ticks(ax, periods, model)
            else:
                ax.set_xticks(x, [literal(wrap(p, 12, 2)) for p in periods])
        axes[0].legend(loc="lower left", bbox_to_anchor=(0, 1.02), ncol=3)
        axes[1].set_xlabel("Period")
        totals = bands[bands["period"] == "All"].set_index("metric")
        note = f"{draws:,} draws of demand per stream and period"
        if seed is not None:
            note += f", seed {seed}"
        if "unmet_hours" in totals.index:
            t = totals.loc["unmet_hours"]
            note += (f". Whole plan: unmet demand P10 {t['p10']:,.0f}, P50 {t['p50']:,.0f}, "
                     f"P90 {t['p90']:,.0f} hours")
        if "cost_gbp" in totals.index:
            t = totals.loc["cost_gbp"]
            note += f"; cost P10 £{t['p10']:,.0f}, P50 £{t['p50']:,.0f}, P90 £{t['p90']:,.0f}"
        frame(fig, title, scenario, source, note=note + ".")
    return fig
