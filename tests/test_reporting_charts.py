"""Each chart drawn from the real engine's results on the South East sample shows exactly
the engine's numbers, carries its title, scenario and source line, and draws user text
literally."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from matplotlib import cbook
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from capacity_planner.domain.ids import id_key
from capacity_planner.reporting import tables
from capacity_planner.reporting.charts import CHARTS, pick
from reporting_sample import BID, solved

SCENARIOS = ("Baseline", BID)
UNITS = {  # words every chart's axes must name
    "supply_layers": ("FTE",), "demand_delivered": ("hours",),
    "coverage_heatmap": ("%",), "projection": ("FTE", "FTE per period"),
    "scenario_comparison": ("weighted hours", "£"), "cost_buildup": ("£",),
    "next_posts": ("£1m", "hours"),
}


def draw(fig: Figure) -> Figure:
    FigureCanvasAgg(fig).draw()
    return fig


def bars(fig: Figure, gid: str) -> list[Rectangle]:
    return [p for ax in fig.axes for p in ax.patches if p.get_gid() == gid]


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible()]


def axes_titled(fig: Figure, first_line: str):
    return next(ax for ax in fig.axes if ax.get_title(loc="left").split("\n")[0] == first_line)


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("key", list(CHARTS))
def test_every_chart_has_title_scenario_source_and_units(key: str, scenario: str) -> None:
    model, results = solved()
    chart = CHARTS[key]
    fig = draw(chart(results, model, scenario))
    head = fig.get_suptitle()
    assert head.split("\n")[0] == chart.title
    if chart.compares:
        assert all(r.scenario in texts(fig) for r in results)  # scenarios name the bars
    else:
        assert f"Scenario: {scenario}" in head
    foot = fig.get_supxlabel()
    assert "Source: south_east.xlsx (" in foot and "Capacity Planner" in foot
    labels = " ".join(ax.get_xlabel() + " " + ax.get_ylabel() for ax in fig.axes)
    assert all(word in labels for word in UNITS[key]), labels
    w, _h = fig.get_size_inches()
    assert w <= 7.6  # fits A4 width at full size


def test_supply_layers_bars_are_the_engines_layers() -> None:
    model, results = solved()
    result = results[0]
    fig = draw(CHARTS["supply_layers"](results, model, "Baseline"))
    sums = result.layers.groupby("role")[list(tables.LAYERS)].sum()
    names = tables.Names(model)
    for rid, row in sums.iterrows():
        ax = axes_titled(fig, names.role(rid))
        heights = {p.get_gid(): p.get_height() for p in ax.patches if p.get_gid()}
        for layer in tables.LAYERS:
            assert heights[layer] == pytest.approx(row[layer])
        # the layers never grow on the way down: funded >= in post >= qualified
        assert heights["funded_fte"] >= heights["in_post_fte"] - 1e-9 or \
            row["in_post_fte"] > row["funded_fte"]
        assert heights["in_post_fte"] >= heights["qualified_fte"] - 1e-9
    # Sussex detectives from the inspection: 430 posts, 373 filled, 99 in training.
    sussex = result.layers[(result.layers["unit"] == "SUSSEX") & (result.layers["role"] == "DC")]
    assert sussex[["funded_fte", "in_post_fte", "qualified_fte"]].iloc[0].tolist() == [
        430, 373, 274]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_demand_bars_are_the_engines_coverage(scenario: str) -> None:
    model, results = solved()
    result = pick(results, scenario)
    fig = draw(CHARTS["demand_delivered"](results, model, scenario))
    delivered, unmet = bars(fig, "delivered"), bars(fig, "unmet")
    sums = result.coverage.groupby("stream", sort=False)[
        ["delivered_hours", "unmet_hours", "demand_hours"]].sum()
    order = [s.stream_id for s in model.streams if s.stream_id in sums.index]
    assert len(delivered) == len(unmet) == len(order)
    for d, u, sid in zip(delivered, unmet, order, strict=True):
        assert d.get_width() * 1e3 == pytest.approx(sums.loc[sid, "delivered_hours"])
        assert u.get_width() * 1e3 == pytest.approx(sums.loc[sid, "unmet_hours"])
        assert u.get_x() == pytest.approx(d.get_width())  # unmet stacked on delivered
        assert (d.get_width() + u.get_width()) * 1e3 == pytest.approx(sums.loc[sid,
                                                                               "demand_hours"])


def test_heatmap_cells_are_coverage_by_unit_and_stream() -> None:
    model, results = solved()
    result = results[1]
    fig = draw(CHARTS["coverage_heatmap"](results, model, BID))
    mesh = next(c for ax in fig.axes for c in ax.collections if c.get_gid() == "coverage")
    values = np.ma.filled(mesh.get_array(), np.nan).reshape(5, -1)
    cov = result.coverage
    units = [u.unit_id for u in model.units]
    streams = [s.stream_id for s in model.streams]
    for i, u in enumerate(units):
        for j, s in enumerate(streams):
            g = cov[(cov["unit"] == u) & (cov["stream"] == s)]
            if g.empty:
                assert np.isnan(values[i, j])  # the ROCU has no community demand
            else:
                expect = 100 * g["delivered_hours"].sum() / g["demand_hours"].sum()
                assert values[i, j] == pytest.approx(expect)
    assert "no demand" in texts(fig)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_projection_lines_are_the_engines_effective_fte(scenario: str) -> None:
    model, results = solved()
    result = pick(results, scenario)
    fig = draw(CHARTS["projection"](results, model, scenario))
    wf = result.workforce
    names = tables.Names(model)
    for role in model.roles:
        ax = axes_titled(fig, names.role(role.role_id))
        line = next(ln for ln in ax.lines if ln.get_gid() == "effective")
        mine = wf[wf["role"] == role.role_id].groupby("period", sort=False)["effective_fte"].sum()
        assert np.allclose(line.get_ydata(), mine.reindex(names.periods).to_numpy())
        if scenario == "Baseline":  # nobody joins: the engine agrees with the supply rules
            alone = next(ln for ln in ax.lines if ln.get_gid() == "without_joiners")
            assert np.allclose(alone.get_ydata(), line.get_ydata())
    per = wf.groupby("period", sort=False)[["recruited_fte", "new_fte"]].sum()
    fills = [p.get_height() for p in bars(fig, "fills")]
    new = [p.get_height() for p in bars(fig, "new_posts")]
    assert np.allclose(fills, per["recruited_fte"].reindex(names.periods))
    assert np.allclose(new, per["new_fte"].reindex(names.periods))
    assert sum(new) == pytest.approx(result.totals.new_fte)
    assert sum(fills) == pytest.approx(result.totals.recruited_fte)


def test_comparison_bars_are_each_scenarios_totals() -> None:
    model, results = solved()
    fig = draw(CHARTS["scenario_comparison"](results, model))
    unmet = [p.get_width() * 1e3 for p in bars(fig, "weighted_unmet")]
    assert unmet == pytest.approx([r.totals.weighted_unmet for r in results])
    cost = [p.get_width() for p in bars(fig, "cost")]
    scale = 1e6 if max(r.totals.cost_gbp for r in results) >= 2e6 else 1e3
    assert [c * scale for c in cost] == pytest.approx([r.totals.cost_gbp for r in results])


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_cost_waterfall_adds_up_to_the_engines_cost(scenario: str) -> None:
    model, results = solved()
    result = pick(results, scenario)
    fig = draw(CHARTS["cost_buildup"](results, model, scenario))
    steps = [p for ax in fig.axes for p in ax.patches if str(p.get_gid()).startswith("step:")]
    total = bars(fig, "total")[0].get_height()
    scale = 1e6 if result.totals.cost_gbp >= 2e6 else 1e3
    assert total * scale == pytest.approx(result.totals.cost_gbp)
    assert sum(p.get_height() for p in steps) * scale == pytest.approx(result.totals.cost_gbp)
    for kind, column in (("New posts", "new_posts_gbp"), ("Recruitment", "recruitment_gbp"),
                         ("Overtime", "overtime_gbp")):
        drawn = sum(p.get_height() for p in steps if p.get_gid() == f"step:{kind}") * scale
        assert drawn == pytest.approx(result.costs[column].sum(), abs=1.0)
    # each step starts where the last one ended
    ends = [p.get_y() + p.get_height() for p in steps]
    assert [p.get_y() for p in steps[1:]] == pytest.approx(ends[:-1])


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_next_posts_rank_the_engines_values_per_pound(scenario: str) -> None:
    model, results = solved()
    result = pick(results, scenario)
    fig = draw(CHARTS["next_posts"](results, model, scenario))
    ranked = result.next_posts.sort_values("value_per_gbp_million", ascending=False,
                                           kind="stable")
    best = ranked.drop_duplicates(["unit", "role"]).head(12)
    shown = tables.next_posts(result, model)
    assert shown[["unit", "role", "value_per_gbp_million"]].values.tolist() == \
        best[["unit", "role", "value_per_gbp_million"]].values.tolist()
    plain = shown[~shown["avoids_breach"]]["value_per_gbp_million"].tolist()
    assert [p.get_width() for p in bars(fig, "value_per_gbp_million")] == pytest.approx(plain)
    assert len(bars(fig, "breach_value")) == int(shown["avoids_breach"].sum())
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[0].startswith("1. ")


def test_user_text_is_drawn_literally() -> None:
    """Names with dollars, formula signs and a leading underscore are shown as written:
    no Text would be parsed as mathtext, and every name appears."""
    model, results = solved()
    odd = replace(model,
                  units=tuple(replace(u, name=f"${u.unit_id}$ =SUM(A1)") for u in model.units),
                  streams=tuple(replace(s, name=f"_{s.stream_id} @cost $5") for s in
                                model.streams),
                  roles=tuple(replace(r, name=f"{r.role_id} 50$ & $x^2$") for r in model.roles))
    for key, chart in CHARTS.items():
        fig = draw(chart(results, odd, BID))
        for t in fig.findobj(Text):
            s = t.get_text()
            assert not (t.get_parse_math() and cbook.is_math_text(s)), (key, s)
    fig = draw(CHARTS["coverage_heatmap"](results, odd, BID))
    shown = " ".join(texts(fig)).replace("\n", " ").replace("\\$", "$")
    assert "$SURREY$ =SUM(A1)" in shown
    fig = draw(CHARTS["supply_layers"](results, odd, BID))
    assert any(t.startswith("ANALYST 50$ & $x^2$") for t in texts(fig))


def test_a_scenario_without_a_plan_says_so() -> None:
    model, results = solved()
    failed = replace(results[0], scenario="Broken", status=type(results[0].status)("infeasible"),
                     message="Minimum service cannot be met in 2026/27 Q1")
    for key, chart in CHARTS.items():
        if chart.compares:
            continue
        fig = draw(chart([failed], model, "Broken"))
        assert any("Minimum service cannot be met" in t for t in texts(fig)), key
    fig = draw(CHARTS["scenario_comparison"]([results[0], failed], model))
    assert any("infeasible: no plan" in t for t in texts(fig))


def test_pick_finds_scenarios_like_ids() -> None:
    _model, results = solved()
    assert pick(results, " analyst and fi BID ").scenario == BID
    assert pick(results, None).scenario == "Baseline"
    with pytest.raises(KeyError):
        pick(results, "Nope")
    assert id_key(BID) == "analyst and fi bid"
