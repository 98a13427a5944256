"""The calibration chart: how far the model's delivery is from what was recorded.

It draws the plain table of ``analysis.calibrate.Calibration.frame()`` (reporting may not
import analysis; the columns are the contract): ``unit``, ``stream``, ``modelled_hours``,
``actual_hours``, ``error_pct``, ``within_tolerance``. Errors are shown in percent of
the record, one bar per unit and stream, because streams differ in size by a hundredfold
and bars of hours would hide the small ones. Lines outside the tolerance are dark and
hatched, those inside pale, so the chart reads in greyscale.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from capacity_planner.reporting.style import (
    A4_WIDTH_IN,
    FAINT,
    GRID,
    INK,
    Source,
    frame,
    house_style,
    literal,
    message_figure,
    new_figure,
    value_grid,
    wrap,
)

TITLE = "Model against recorded delivery"
MOST_LINES = 20


def calibration_figure(table: pd.DataFrame, tolerance_pct: float, source: Source,
                       names: dict[str, str] | None = None) -> Figure:
    """Bars of the error (modelled less recorded, % of recorded) per unit and stream,
    largest first, with the tolerance band shaded. ``names`` maps IDs to display names."""
    names = names or {}
    scenario = "Baseline"
    data = table.dropna(subset=["error_pct"])
    if data.empty:
        empty = message_figure(TITLE, scenario, source, "No recorded delivery to compare.")
        assert isinstance(empty, Figure)  # a new figure, not drawn into another
        return empty
    data = data.reindex(data["error_pct"].abs().sort_values(ascending=False).index)
    hidden = max(0, len(data) - MOST_LINES)
    data = data.head(MOST_LINES).iloc[::-1]
    labels = [literal(wrap(f"{names.get(u, u)} · {names.get(s, s)}", 44, 2))
              for u, s in zip(data["unit"], data["stream"], strict=True)]
    with house_style():
        fig = new_figure((A4_WIDTH_IN, 2.0 + 0.3 * len(data)))
        ax = fig.add_subplot()
        ax.axvspan(-tolerance_pct, tolerance_pct, color=GRID, zorder=0,
                   label=f"Within tolerance (±{tolerance_pct:g} %)")
        off = ~data["within_tolerance"].astype(bool).to_numpy()
        y = range(len(data))
        values = data["error_pct"].astype(float).to_numpy()
        ax.barh([i for i in y if off[i]], values[off], color="#4d4d4d", hatch="////",
                edgecolor=INK, label="Outside tolerance")
        ax.barh([i for i in y if not off[i]], values[~off], color=FAINT, edgecolor=INK,
                label="Matches")
        ax.axvline(0, color=INK, linewidth=0.8)
        ax.set_yticks(list(y), labels)
        ax.set_xlabel("Modelled less recorded delivery (% of recorded hours)")
        value_grid(ax, "x")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=3)
        note = (f"{hidden} lines with smaller errors are not shown." if hidden else "")
        frame(fig, TITLE, scenario, source, note=note,
              subtitle="Baseline over the periods of the Actuals")
    return fig
