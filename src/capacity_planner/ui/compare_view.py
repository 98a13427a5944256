"""Compare scenarios side by side: one row per solved scenario, the totals as columns."""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from capacity_planner.optimise.result import Result
from capacity_planner.ui.charts_view import chart_registry
from capacity_planner.ui.frame_model import FrameModel
from capacity_planner.ui.results_view import STALE_TEXT, frame_table
from capacity_planner.ui.solve_control import SolveController

COLUMNS = ["scenario", "status", "coverage_pct", "unmet_hours", "weighted_unmet", "new_fte",
           "recruited_fte", "overtime_hours", "cost_gbp", "demand_hours", "delivered_hours"]


def compare_frame(results: list[Result]) -> pd.DataFrame:
    """The scenarios' totals side by side, in the order given."""
    rows = []
    for r in results:
        row: dict[str, object] = {"scenario": r.scenario,
                                  "status": r.status.value.replace("_", " ")}
        row.update(asdict(r.totals))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=COLUMNS) if rows else pd.DataFrame(columns=COLUMNS)
    return frame[COLUMNS]


class CompareView(QWidget):
    solve_all_requested = Signal()

    def __init__(self, controller: SolveController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.model = FrameModel(parent=self)
        self.model.shade_column = "coverage_pct"
        self.view = frame_table(self.model, self)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.banner = QLabel(STALE_TEXT)
        self.banner.setStyleSheet("background: #fbeebb; color: #5c4300; padding: 6px;"
                                  " border: 1px solid #e0c66b; border-radius: 4px;")
        solve_all = QPushButton("Solve all scenarios")
        solve_all.setToolTip("Solve every scenario in turn (Shift+F5)")
        solve_all.clicked.connect(self.solve_all_requested)
        top = QHBoxLayout()
        top.addWidget(QLabel("<b>Scenarios side by side</b>"))
        top.addWidget(self.hint, 1)
        top.addWidget(solve_all, 0, Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.view)
        self.chart_holder = QWidget()
        self.chart_layout = QVBoxLayout(self.chart_holder)
        self.chart_layout.setContentsMargins(0, 0, 0, 0)
        self.splitter.addWidget(self.chart_holder)
        self.splitter.setSizes([220, 520])
        layout.addWidget(self.splitter, 1)
        self.canvas: QWidget | None = None
        self._chart_stale = True
        controller.results_changed.connect(self.refresh)
        controller.document.model_changed.connect(self._update_banner)
        self.refresh()

    def refresh(self) -> None:
        order = self.controller.document.model.scenario_names
        results = sorted(self.controller.results.values(),
                         key=lambda r: order.index(r.scenario) if r.scenario in order else 999)
        self.model.set_frame(compare_frame(results))
        missing = [n for n in order if n not in self.controller.results]
        self.hint.setText("Not solved yet: " + ", ".join(missing) if missing else "")
        self._update_banner()
        self._chart_stale = True
        if self.isVisible():
            self._draw_chart()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._chart_stale:
            self._draw_chart()

    def _draw_chart(self) -> None:
        """The scenario comparison chart under the table (drawn only when shown)."""
        self._chart_stale = False
        if self.canvas is not None:
            self.chart_layout.removeWidget(self.canvas)
            self.canvas.deleteLater()
            self.canvas = None
        chart = chart_registry().get("scenario_comparison")
        results = list(self.controller.results.values())
        if chart is None or len(results) < 2:
            return
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        try:
            figure = chart(results, self.controller.document.model)
        except Exception:  # noqa: BLE001 - the table still compares; the chart is a bonus
            return
        self.canvas = FigureCanvasQTAgg(figure)
        self.chart_layout.addWidget(self.canvas)

    def _update_banner(self, *_: object) -> None:
        self.banner.setVisible(self.controller.stale)
