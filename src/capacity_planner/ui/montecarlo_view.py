"""The Monte Carlo page: how robust is the plan if demand is uncertain?

Demand is drawn per stream and period (normal with the coefficient of variation given
here, or the distributions of the model file's Uncertainty sheet), each draw is solved
off the UI thread (``analysis.montecarlo.run_montecarlo``, on local processes when that
pays), and the page shows the probability of meeting each minimum service level, the
P10/P50/P90 bands of unmet demand and cost, and the fan chart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from capacity_planner.analysis.executor import ALL_CORES, ExecutionError, ExecutorSettings
from capacity_planner.analysis.montecarlo import (
    ALL,
    MonteCarloResult,
    MonteCarloSpec,
    run_montecarlo,
)
from capacity_planner.ui.analysis_page import AnalysisPage, help_label
from capacity_planner.ui.document import Document
from capacity_planner.ui.frame_model import FrameModel
from capacity_planner.ui.names import column_names
from capacity_planner.ui.results_view import (
    PIVOT_COLUMN_WIDTH,
    PIVOT_NAME_WIDTH,
    frame_table,
)

METRICS = {"unmet_hours": "Unmet demand (hours)", "cost_gbp": "Cost of the plan (£)"}
BAND_HEADERS = {"metric": "Measure", "p10": "P10", "p50": "P50 (median)", "p90": "P90",
                "mean": "Mean", "forecast": "Forecast demand"}
ALL_UNITS, ALL_STREAMS = "All units", "All streams"
SERVICE_HEADERS = {"min_service_pct": "Minimum service %", "met": "Draws meeting it",
                   "probability_pct": "Probability of meeting it %"}


def service_grid(service: pd.DataFrame) -> pd.DataFrame:
    """Probability of meeting each minimum, one row per stream and one column per unit
    (the model's order), with the whole region last: a planner reads it at a glance."""
    if service.empty:
        return pd.DataFrame({"stream": pd.Series(dtype=object)})
    streams = list(dict.fromkeys(service["stream"]))
    units = list(dict.fromkeys(u for u in service["unit"] if u != ALL)) + [ALL]
    grid = service.pivot_table(index="stream", columns="unit", values="probability_pct",
                               aggfunc="first", sort=False)
    grid = grid.reindex(index=streams, columns=[u for u in units if u in grid.columns])
    grid = grid.rename(index={ALL: ALL_STREAMS}, columns={ALL: ALL_UNITS})
    grid.columns = [str(c) for c in grid.columns]
    grid.index.name = "stream"
    return grid.reset_index()


def service_detail(service: pd.DataFrame) -> pd.DataFrame:
    """The long table with the probability first after the names."""
    out = service.replace({"unit": {ALL: ALL_UNITS}, "stream": {ALL: ALL_STREAMS}})
    return out[["stream", "unit", "min_service_pct", "probability_pct", "met", "draws"]]


def bands_frame(bands: pd.DataFrame) -> pd.DataFrame:
    """The bands with the metric in words and money rounded to pounds."""
    out = bands.copy()
    out["metric"] = out["metric"].map(lambda m: METRICS.get(m, m))
    return out


def summary_text(result: MonteCarloResult) -> str:
    service = result.service
    every = service[(service["unit"] == ALL) & (service["stream"] == ALL)]
    n = len(result.outcomes)
    parts = [f"<b>{n:,} draws</b> of {result.spec.scenario}, seed {result.spec.seed}."]
    if not every.empty:
        parts.append(f"Every minimum service level met in "
                     f"<b>{float(every['probability_pct'].iloc[0]):.0f} %</b> of draws.")
    totals = result.bands[result.bands["period"] == ALL].set_index("metric")
    if "unmet_hours" in totals.index:
        t = totals.loc["unmet_hours"]
        parts.append(f"Unmet demand over the plan: P10 {t['p10']:,.0f}, P50 {t['p50']:,.0f}, "
                     f"P90 {t['p90']:,.0f} hours.")
    if result.failed:
        parts.append(f"{len(result.failed)} draws could not be solved.")
    return " ".join(parts)


class MonteCarloView(AnalysisPage):
    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(document, "Run Monte Carlo",
                         "Draw demand many times and solve each draw",
                         "Set the number of draws and the variation, then Run Monte Carlo: "
                         "the fan chart of unmet demand and cost appears here.", parent)
        self.settings: ExecutorSettings = ALL_CORES
        self.draws_spin = QSpinBox()
        self.draws_spin.setRange(1, 100_000)
        self.draws_spin.setValue(200)
        self.draws_spin.setGroupSeparatorShown(True)
        self.draws_spin.setToolTip("How many demand draws to solve (1,000 for a board paper)")
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setValue(1)
        self.seed_spin.setToolTip("The same seed gives the same draws, so a run can be repeated")
        self.cv_spin = QDoubleSpinBox()
        self.cv_spin.setRange(0, 200)
        self.cv_spin.setDecimals(1)
        self.cv_spin.setValue(15)
        self.cv_spin.setSuffix(" %")
        self.cv_spin.setToolTip("Coefficient of variation of each stream's demand (normal), "
                                "for streams the Uncertainty sheet does not describe")
        controls = QHBoxLayout()
        for text, widget in (("Draws:", self.draws_spin), ("Seed:", self.seed_spin),
                             ("Variation (CV):", self.cv_spin),
                             ("Scenario:", self.scenario_box)):
            controls.addWidget(QLabel(text))
            controls.addWidget(widget)
            controls.addSpacing(8)
        controls.addStretch(1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.grid = FrameModel(parent=self, shade_column="*")
        self.service = FrameModel(parent=self, shade_column="probability_pct")
        self.service.header_names = SERVICE_HEADERS
        self.bands = FrameModel(parent=self)
        self.bands.header_names = BAND_HEADERS
        self.tabs = QTabWidget()
        self.tabs.addTab(frame_table(self.grid, self, PIVOT_COLUMN_WIDTH, PIVOT_NAME_WIDTH),
                         "Chance of meeting minimums")
        self.tabs.addTab(frame_table(self.service, self), "By unit and stream")
        self.tabs.addTab(frame_table(self.bands, self), "P10 / P50 / P90")
        self.tabs.setTabToolTip(0, "% of draws in which each stream's minimum service level "
                                   "is met in every period, by unit")
        self.tabs.setTabToolTip(1, "The same, one line per unit and stream, with each minimum")
        self.tabs.setTabToolTip(2, "Bands of unmet demand and cost, per period and over the "
                                   "whole plan (All)")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.chart)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([620, 640])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(help_label(
            "<b>Monte Carlo</b>: demand is drawn per stream and period and each draw is "
            "solved. Streams the model file's Uncertainty sheet describes use its "
            "distributions; the others are normal with the variation below."))
        layout.addLayout(controls)
        layout.addWidget(self.run_bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)

    def spec(self) -> MonteCarloSpec:
        return MonteCarloSpec(draws=self.draws_spin.value(), seed=self.seed_spin.value(),
                              cv=self.cv_spin.value() / 100,
                              scenario=self.scenario_box.currentText())

    def run(self) -> None:
        model, options, settings = self.document.model, self.solve_options(), self.settings
        spec = self.spec()
        path = self.document.path

        def job(progress: Any, should_cancel: Any) -> MonteCarloResult:
            from dataclasses import replace

            if path is not None and Path(path).is_file():
                from capacity_planner.analysis.uncertainty_sheet import read_uncertainty

                found, problems = read_uncertainty(path, model)
                errors = [p for p in problems if p.is_error]
                if errors:
                    raise ValueError(f"The Uncertainty sheet cannot be used: {errors[0]}")
                spec_ = replace(spec, uncertainty=tuple(found))
            else:
                spec_ = spec
            return run_montecarlo(model, spec_, options, settings, progress=progress,
                                  should_cancel=should_cancel)

        self.start(job, "The Monte Carlo run", (ValueError, ExecutionError))

    def show_result(self, result: object) -> None:
        assert isinstance(result, MonteCarloResult)
        model = self.run_model or self.document.model
        self.summary.setText(summary_text(result))
        names = column_names(model)
        self.grid.names = names
        self.grid.header_names = {k: v for k, v in names["unit"].items()}
        self.grid.set_frame(service_grid(result.service))
        self.service.names = names
        self.service.set_frame(service_detail(result.service))
        self.bands.set_frame(bands_frame(result.bands))
        from capacity_planner.reporting.analysis_charts import fan_chart
        from capacity_planner.reporting.style import Source

        figure = fan_chart(result.bands, scenario=result.spec.scenario,
                           source=Source.of(model.source), draws=result.spec.draws,
                           seed=result.spec.seed, model=model)
        self.chart.show_figure(figure)  # type: ignore[arg-type]
