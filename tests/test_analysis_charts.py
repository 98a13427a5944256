"""Sweep and Monte Carlo charts: titles, units, scenario and source; user text literal."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.text import Text

from capacity_planner.reporting.analysis_charts import fan_chart, sweep_chart, sweep_heatmap
from capacity_planner.reporting.style import Source

SOURCE = Source("south_east.xlsx")


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text)]


def _png(fig: Figure, path: Path) -> bytes:
    fig.savefig(path)
    return path.read_bytes()[:8]


def test_sweep_line_chart(tmp_path: Path) -> None:
    values = [-20.0, 0.0, 20.0]
    table = pd.DataFrame({"demand_change_pct": values, "status": ["optimal", "optimal",
                                                                  "infeasible"],
                          "coverage_pct": [90.0, 80.0, np.nan], "cost_gbp": [1e5, 2e5, np.nan]})
    streams = pd.DataFrame({"demand_change_pct": values * 2,
                            "stream": ["FIN"] * 3 + ["$x_1$"] * 3,
                            "coverage_pct": [95, 85, np.nan, 92, 81, np.nan]})
    fig = sweep_chart(table, streams, "demand_change_pct", scenario="=Cuts", source=SOURCE,
                      stream_names={"FIN": "Financial investigation"})
    texts = _texts(fig)
    assert any(t.startswith("Sensitivity to change in demand") for t in texts)
    assert any("Scenario: =Cuts" in t for t in texts)
    assert any("\nSource: south_east.xlsx" in t for t in texts)
    top, bottom = fig.axes[:2]
    assert top.get_ylabel() == "Coverage of demand (%)"
    assert bottom.get_ylabel() == "Cost of the plan (£ thousand)"
    assert bottom.get_xlabel() == "Change in demand (%)"
    legend = [t.get_text() for t in top.get_legend().get_texts()]
    assert legend == ["Financial investigation", r"\$x_1\$", "All demand"]
    assert " infeasible" in texts  # the point with no plan is marked, not dropped silently
    assert _png(fig, tmp_path / "s.png") == b"\x89PNG\r\n\x1a\n"


def test_sweep_heat_map_labels_every_cell(tmp_path: Path) -> None:
    rows = [(a, b, "optimal", 100 - a - b, 1.0) for a in (0.0, 10.0) for b in (0.0, 5.0, 10.0)]
    rows[-1] = (10.0, 10.0, "error", np.nan, np.nan)
    table = pd.DataFrame(rows, columns=["demand_change_pct", "abstraction_pct", "status",
                                        "coverage_pct", "cost_gbp"])
    fig = sweep_heatmap(table, "demand_change_pct", "abstraction_pct", scenario="Baseline",
                        source=SOURCE)
    ax = fig.axes[0]
    cells = [t.get_text() for t in ax.texts]
    assert cells == ["100%", "90%", "95%", "85%", "90%", "–"]
    assert ax.get_xlabel() == "Change in demand (%)"
    assert ax.get_ylabel() == "Abstraction (% of hours)"
    assert fig.axes[1].get_ylabel() == "Coverage of demand (%)"
    assert _png(fig, tmp_path / "h.png") == b"\x89PNG\r\n\x1a\n"


def test_fan_chart(tmp_path: Path) -> None:
    rows = []
    for metric in ("unmet_hours", "cost_gbp"):
        for i, period in enumerate(["Y1", "Y2", "All"]):
            rows.append((metric, period, 10.0 * i, 20.0 * i, 30.0 * i, 20.0 * i, 19.0 * i))
    bands = pd.DataFrame(rows, columns=["metric", "period", "p10", "p50", "p90", "mean",
                                        "forecast"])
    fig = fan_chart(bands, scenario="Baseline", source=SOURCE, draws=250, seed=7)
    unmet, cost = fig.axes[:2]
    assert unmet.get_ylabel() == "Unmet demand (hours)"
    assert cost.get_ylabel() == "Cost of the plan (£ thousand per period)"
    assert [t.get_text() for t in cost.get_xticklabels()] == ["Y1", "Y2"]
    assert [t.get_text() for t in unmet.get_legend().get_texts()] == [
        "P10 to P90 of draws", "Median (P50)", "Forecast demand"]
    assert any("250 draws of demand per stream and period, seed 7" in t for t in _texts(fig))
    assert _png(fig, tmp_path / "f.png") == b"\x89PNG\r\n\x1a\n"


def test_fan_chart_with_no_solved_draw_says_so() -> None:
    bands = pd.DataFrame([("unmet_hours", "Y1", np.nan, np.nan, np.nan, np.nan, 5.0)],
                         columns=["metric", "period", "p10", "p50", "p90", "mean", "forecast"])
    fig = fan_chart(bands, scenario="Baseline", source=SOURCE, draws=10)
    assert "No draw was solved." in _texts(fig)
