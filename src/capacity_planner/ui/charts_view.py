"""The Charts view: a chart picker and a scenario picker over the reporting helper's
builders, drawn in a ``FigureCanvasQTAgg`` with its navigation toolbar; export as PNG, SVG
or PDF, or copy to the clipboard for pasting into a document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg, NavigationToolbar2QT
from matplotlib.figure import Figure
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QImage, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from capacity_planner.ui.combo import refill
from capacity_planner.ui.solve_control import SolveController

EXPORT_FILTER = "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"
COPY_DPI = 200


def chart_registry() -> dict[str, Any]:
    try:
        from capacity_planner.reporting.charts import CHARTS
    except ModuleNotFoundError:  # the reporting package is optional at import time
        return {}
    return CHARTS


class ChartsView(QWidget):
    message = Signal(str)

    def __init__(self, controller: SolveController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.figure: Figure | None = None
        self.canvas: FigureCanvasQTAgg | None = None
        self.toolbar: NavigationToolbar2QT | None = None
        self._stale = True
        self.chart_box = QComboBox()
        self.chart_box.setToolTip("Which chart to draw")
        for key, chart in chart_registry().items():
            self.chart_box.addItem(getattr(chart, "title", key), key)
        self.scenario_box = QComboBox()
        self.scenario_box.setToolTip("Which solved scenario to chart")
        self.scenario_box.setMinimumContentsLength(16)
        self.export_button = QPushButton("Export chart…")
        self.export_button.setToolTip("Save this chart as PNG, SVG or PDF (Ctrl+Shift+E)")
        self.export_button.clicked.connect(self.ask_export)
        self.copy_button = QPushButton("Copy to clipboard")
        self.copy_button.setToolTip("Copy this chart as an image, to paste into a document")
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        top = QHBoxLayout()
        top.addWidget(QLabel("Chart:"))
        top.addWidget(self.chart_box)
        top.addWidget(QLabel("Scenario:"))
        top.addWidget(self.scenario_box)
        top.addStretch(1)
        top.addWidget(self.copy_button)
        top.addWidget(self.export_button)
        self.placeholder = QLabel("No results yet. Solve a scenario (F5) to draw its charts.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("font-size: 13pt; color: #44546a;")
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.holder = QWidget()
        self.holder_layout = QVBoxLayout(self.holder)
        self.holder_layout.setContentsMargins(0, 0, 0, 0)
        self.holder_layout.addWidget(self.placeholder)
        self.area.setWidget(self.holder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.area, 1)
        self.chart_box.currentIndexChanged.connect(self.redraw)
        self.scenario_box.currentIndexChanged.connect(self.redraw)
        controller.results_changed.connect(self.refresh)
        self.refresh()

    @property
    def chart_key(self) -> str:
        return str(self.chart_box.currentData() or "")

    def refresh(self) -> None:
        refill(self.scenario_box, list(self.controller.results))
        self._stale = True
        if self.isVisible():  # drawing is costly: only for a chart someone looks at
            self.redraw()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.redraw()

    def show_chart(self, key: str, scenario: str | None = None) -> None:
        index = self.chart_box.findData(key)
        if index >= 0:
            self.chart_box.blockSignals(True)
            self.chart_box.setCurrentIndex(index)
            self.chart_box.blockSignals(False)
        if scenario is not None:
            self.scenario_box.blockSignals(True)
            self.scenario_box.setCurrentText(scenario)
            self.scenario_box.blockSignals(False)
        self.redraw()

    def _clear_canvas(self) -> None:
        for widget in (self.toolbar, self.canvas):
            if widget is not None:
                self.holder_layout.removeWidget(widget)
                widget.deleteLater()
        self.canvas = self.toolbar = None
        self.figure = None

    def redraw(self, *_: object) -> None:
        self._stale = False
        self._clear_canvas()
        results = list(self.controller.results.values())
        has = bool(results) and bool(self.chart_key)
        self.placeholder.setVisible(not has)
        for widget in (self.export_button, self.copy_button, self.scenario_box):
            widget.setEnabled(has)
        if not has:
            return
        chart = chart_registry()[self.chart_key]
        self.scenario_box.setEnabled(not getattr(chart, "compares", False))
        try:
            figure = chart(results, self.controller.document.model,
                           self.scenario_box.currentText() or None)
        except Exception as exc:  # noqa: BLE001 - a chart that cannot draw must not crash the app
            self.placeholder.setText(f"This chart cannot be drawn: {exc}")
            self.placeholder.setVisible(True)
            return
        self.figure = figure
        self.canvas = FigureCanvasQTAgg(figure)
        width, height = figure.get_size_inches() * figure.dpi
        self.canvas.setMinimumSize(int(width * 0.6), int(height * 0.6))
        self.toolbar = NavigationToolbar2QT(self.canvas, self.holder)
        self.holder_layout.addWidget(self.toolbar)
        self.holder_layout.addWidget(self.canvas, 1)
        self.canvas.draw_idle()

    # ---- out ---------------------------------------------------------------------------------
    def export(self, path: Path) -> bool:
        if self.figure is None:
            return False
        from capacity_planner.reporting.export import save_figure

        try:
            save_figure(self.figure, Path(path))
        except (OSError, ValueError) as exc:
            self.message.emit(f"Could not export the chart: {exc}")
            return False
        self.message.emit(f"Saved chart to {Path(path).name}")
        return True

    def ask_export(self) -> None:
        if self.figure is None:
            self.message.emit("Solve a scenario first: there is no chart to export")
            return
        scenario = self.scenario_box.currentText().replace(" ", "_") or "chart"
        start = f"{self.chart_key}-{scenario}.png"
        name, chosen = QFileDialog.getSaveFileName(self, "Export chart", start, EXPORT_FILTER)
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() not in (".png", ".svg", ".pdf"):
            path = path.with_suffix("." + chosen.split("*.")[1][:3] if "*." in chosen else ".png")
        self.export(path)

    def copy_to_clipboard(self) -> bool:
        if self.figure is None:
            return False
        from capacity_planner.reporting.export import png_bytes

        image = QImage.fromData(png_bytes(self.figure, dpi=COPY_DPI))
        QGuiApplication.clipboard().setImage(image)
        self.message.emit("Chart copied: paste it into a document")
        return True
