"""The Sensitivity page: one scenario parameter over a range, each value solved (a sweep),
shown as a table and as lines of coverage and cost against the parameter.

The parameter's targets (unit, role, stream, period) come from dropdowns of the model's
real IDs, shown by name; those the parameter does not use are greyed out. The sweep runs
through ``analysis.sweep.run_sweep`` off the UI thread, on local processes when that pays.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from capacity_planner.analysis.executor import ALL_CORES, ExecutorSettings
from capacity_planner.analysis.sweep import (
    SWEEPABLE,
    Axis,
    SweepError,
    SweepResult,
    SweepSpec,
    run_sweep,
)
from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.scenario import PARAMETERS, TARGETS
from capacity_planner.reporting.analysis_charts import parameter_label
from capacity_planner.ui.analysis_page import AnalysisPage, help_label
from capacity_planner.ui.document import Document
from capacity_planner.ui.frame_model import FrameModel
from capacity_planner.ui.names import column_names
from capacity_planner.ui.results_view import frame_table

ALL = "(all)"
MAX_POINTS = 10_000
SHOWN_COLUMNS = ("coverage_pct", "unmet_hours", "new_fte", "cost_gbp", "weighted_unmet",
                 "recruited_fte", "overtime_hours", "status")
# parameter -> (from, to, step, decimals): a range a planner would try first
RANGES: dict[str, tuple[float, float, float, int]] = {
    "demand_change_pct": (-20, 40, 10, 0), "in_post_change_fte": (-4, 8, 2, 1),
    "abstraction_pct": (0, 50, 10, 0), "attrition_pct": (0, 20, 5, 1),
    "overtime_cap_pct": (0, 20, 5, 0), "budget_gbp": (0, 4_000_000, 1_000_000, 0),
    "max_new_fte": (0, 20, 5, 1), "recruit_fte_max": (0, 10, 2, 1),
    "max_share_pct": (20, 100, 20, 0), "weight": (1, 5, 1, 1),
    "min_service_pct": (0, 80, 20, 0), "whole_posts": (0, 1, 1, 0),
}
TARGET_LABELS = {"unit_id": "Unit", "role_id": "Role", "stream_id": "Stream",
                 "period": "Period"}


def _spin(top: float) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(-top, top)
    spin.setGroupSeparatorShown(True)
    spin.setKeyboardTracking(False)
    spin.setMinimumWidth(110)
    spin.setMaximumWidth(180)
    return spin


def range_values(start: float, stop: float, step: float) -> tuple[float, ...]:
    """From ``start`` to ``stop`` (included) by ``step``, as the command line's
    ``START:STOP:STEP``; ``SweepError`` says what is wrong with the range."""
    if step == 0 or (stop - start) / step < 0:
        raise SweepError("The step must go from the first value towards the last")
    n = math.floor((stop - start) / step + 1e-9) + 1
    if n > MAX_POINTS:
        raise SweepError(f"{n:,} values are too many (at most {MAX_POINTS:,})")
    return tuple(round(start + i * step, 10) for i in range(n))


def target_choices(model: PlanningModel, target: str) -> list[tuple[str, str]]:
    """(label, ID) for a target dropdown: names with their IDs, in model order."""
    if target == "unit_id":
        return [(f"{u.name or u.unit_id} ({u.unit_id})", u.unit_id) for u in model.units]
    if target == "role_id":
        return [(f"{r.name or r.role_id} ({r.role_id})", r.role_id) for r in model.roles]
    if target == "stream_id":
        return [(f"{s.name or s.stream_id} ({s.stream_id})", s.stream_id)
                for s in model.streams]
    return [(p.period, p.period) for p in model.plan_periods]


class SensitivityView(AnalysisPage):
    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(document, "Run sweep", "Solve the scenario once for each value",
                         "Choose a parameter and a range, then Run sweep: each value is "
                         "solved and the coverage and cost are drawn here.", parent)
        self.settings: ExecutorSettings = ALL_CORES
        self.parameter_box = QComboBox()
        for p in SWEEPABLE:
            self.parameter_box.addItem(parameter_label(p), p)
        self.parameter_box.setToolTip("The scenario parameter to vary")
        self.parameter_box.currentIndexChanged.connect(self._parameter_changed)
        self.target_boxes: dict[str, QComboBox] = {}
        for t in TARGETS:
            box = QComboBox()
            box.setMinimumContentsLength(12)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            self.target_boxes[t] = box
        self.start_spin, self.stop_spin, self.step_spin = _spin(1e9), _spin(1e9), _spin(1e9)
        self.start_spin.setToolTip("The first value")
        self.stop_spin.setToolTip("The last value (included)")
        self.step_spin.setToolTip("The step between values")
        self.points = QLabel()
        for spin in (self.start_spin, self.stop_spin, self.step_spin):
            spin.valueChanged.connect(self._count_points)

        grid = QGridLayout()
        grid.addWidget(QLabel("Parameter:"), 0, 0)
        grid.addWidget(self.parameter_box, 0, 1, 1, 3)
        grid.addWidget(QLabel("Scenario:"), 0, 4)
        grid.addWidget(self.scenario_box, 0, 5, 1, 3)
        for i, t in enumerate(TARGETS):
            grid.addWidget(QLabel(f"{TARGET_LABELS[t]}:"), 1, 2 * i)
            grid.addWidget(self.target_boxes[t], 1, 2 * i + 1)
        for i, (text, spin) in enumerate((("From:", self.start_spin), ("To:", self.stop_spin),
                                          ("Step:", self.step_spin))):
            grid.addWidget(QLabel(text), 2, 2 * i)
            grid.addWidget(spin, 2, 2 * i + 1)
        grid.addWidget(self.points, 2, 6, 1, 2)
        for column in (1, 3, 5, 7):
            grid.setColumnStretch(column, 1)

        self.table = FrameModel(parent=self)
        self.table.shade_column = "coverage_pct"
        self.view = frame_table(self.table, self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.view)
        splitter.addWidget(self.chart)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([520, 760])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(help_label(
            "<b>Sensitivity</b>: how coverage and cost change as one parameter moves. Each "
            "value is added to the scenario as one more row (a blank target means all)."))
        layout.addLayout(grid)
        layout.addWidget(self.run_bar)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        self.model_changed(document.model)
        self._parameter_changed()

    # ---- pickers --------------------------------------------------------------------------
    @property
    def parameter(self) -> str:
        return str(self.parameter_box.currentData())

    def model_changed(self, model: PlanningModel) -> None:
        if not hasattr(self, "target_boxes"):
            return  # called by the base class before the pickers exist
        for t, box in self.target_boxes.items():
            choices = [(ALL, ""), *target_choices(model, t)]
            if [(box.itemText(i), box.itemData(i)) for i in range(box.count())] == choices:
                continue
            keep = box.currentData()
            box.blockSignals(True)
            box.clear()
            for label, data in choices:
                box.addItem(label, data)
            box.setCurrentIndex(max(0, box.findData(keep)))
            box.blockSignals(False)

    def _parameter_changed(self, *_: object) -> None:
        used = PARAMETERS.get(self.parameter, ())
        for t, box in self.target_boxes.items():
            box.setEnabled(t in used)
            box.setToolTip(f"The {TARGET_LABELS[t].lower()} the parameter changes (all: every "
                           "one)" if t in used else f"{self.parameter} has no "
                           f"{TARGET_LABELS[t].lower()} target")
            if t not in used:
                box.setCurrentIndex(0)
        start, stop, step, decimals = RANGES.get(self.parameter, (0, 10, 1, 1))
        for spin, value in ((self.start_spin, start), (self.stop_spin, stop),
                            (self.step_spin, step)):
            spin.blockSignals(True)
            spin.setDecimals(decimals)
            spin.setSingleStep(step if step >= 1 else 0.5)
            spin.setValue(value)
            spin.blockSignals(False)
        self._count_points()

    def values(self) -> tuple[float, ...]:
        """The swept values; ``SweepError`` when the range makes no sense."""
        return range_values(self.start_spin.value(), self.stop_spin.value(),
                            self.step_spin.value())

    def _count_points(self, *_: object) -> None:
        try:
            n = len(self.values())
        except SweepError as exc:
            self.points.setText(f"<span style='color:#b3261e'>{exc}</span>")
            return
        self.points.setText(f"{n} value{'s' if n != 1 else ''} to solve")

    def target(self) -> dict[str, str]:
        return {t: str(box.currentData()) for t, box in self.target_boxes.items()
                if box.isEnabled() and box.currentData()}

    def spec(self) -> SweepSpec:
        return SweepSpec((Axis(self.parameter, self.values(), self.target()),),
                         self.scenario_box.currentText())

    # ---- running ----------------------------------------------------------------------------
    def run(self) -> None:
        try:
            spec = self.spec()
        except SweepError as exc:
            self.run_bar.status.setText(str(exc))
            return
        model, options, settings = self.document.model, self.solve_options(), self.settings

        def job(progress: Any, should_cancel: Any) -> SweepResult:
            return run_sweep(model, spec, options, settings, progress=progress,
                             should_cancel=should_cancel)

        self.start(job, "The sweep", (SweepError,))

    def show_result(self, result: object) -> None:
        assert isinstance(result, SweepResult)
        model = self.run_model or self.document.model
        parameter = result.spec.axes[0].parameter
        table = result.table
        shown = table[[parameter, *[c for c in SHOWN_COLUMNS if c in table]]]
        self.table.names = column_names(model)
        self.table.header_names = {parameter: parameter_label(parameter)}
        self.table.set_frame(pd.DataFrame(shown).reset_index(drop=True))
        from capacity_planner.reporting.analysis_charts import sweep_figure
        from capacity_planner.reporting.style import Source

        axis = result.spec.axes[0]
        target = ", ".join(f"{k.removesuffix('_id')} {v}" for k, v in axis.target.items())
        figure = sweep_figure(result.table, result.streams, [parameter],
                              scenario=result.spec.scenario, source=Source.of(model.source),
                              model=model, target=target)
        self.chart.show_figure(figure)  # type: ignore[arg-type]
