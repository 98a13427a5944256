"""A chart from ``reporting`` in a panel: the figure in a ``FigureCanvasQTAgg`` with
matplotlib's navigation toolbar (zoom, pan, save), or a message where there is no chart.

The canvas is never squeezed below a legible size (a share of the figure's own size):
in a small window the chart scrolls instead of collapsing its axes."""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg, NavigationToolbar2QT
from matplotlib.figure import Figure
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

# The smallest canvas, as a share of the figure's width and height at its own dpi
LEGIBLE_WIDTH = 0.85
LEGIBLE_HEIGHT = 0.72


class ChartPane(QWidget):
    def __init__(self, message: str = "", parent: QWidget | None = None,
                 legible_height: float = LEGIBLE_HEIGHT) -> None:
        super().__init__(parent)
        self.legible_height = legible_height
        self.figure: Figure | None = None
        self.canvas: FigureCanvasQTAgg | None = None
        self.toolbar: NavigationToolbar2QT | None = None
        self.placeholder = QLabel(message)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("font-size: 12pt; color: #44546a; padding: 24px;")
        self.placeholder.setSizePolicy(QSizePolicy.Policy.Ignored,
                                       QSizePolicy.Policy.Preferred)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.hide()
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.placeholder, 1)
        self._layout.addWidget(self.area, 1)

    def _clear(self) -> None:
        if self.toolbar is not None:
            self._layout.removeWidget(self.toolbar)
            self.toolbar.deleteLater()
        if self.canvas is not None:
            self.area.takeWidget()
            self.canvas.deleteLater()
        self.figure = self.canvas = self.toolbar = None

    def show_figure(self, figure: Figure) -> None:
        self._clear()
        self.figure = figure
        self.canvas = FigureCanvasQTAgg(figure)
        width, height = figure.get_size_inches() * figure.dpi
        self.canvas.setMinimumSize(int(width * LEGIBLE_WIDTH), int(height * self.legible_height))
        self.toolbar = NavigationToolbar2QT(self.canvas, self)
        self.placeholder.hide()
        self._layout.insertWidget(0, self.toolbar)
        self.area.setWidget(self.canvas)
        self.area.show()
        self.canvas.draw_idle()

    def show_message(self, text: str) -> None:
        self._clear()
        self.area.hide()
        self.placeholder.setText(text)
        self.placeholder.show()
