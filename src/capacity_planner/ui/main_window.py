"""The main window: navigator, central views, Problems panel, scenario picker, status bar.

Menus and toolbar live in ``actions``, file handling in ``file_ops``; this module lays the
window out and wires the parts together.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from capacity_planner.analysis.variants import SolveOptions
from capacity_planner.domain.schema import BY_SHEET
from capacity_planner.ui import actions
from capacity_planner.ui.analysis_page import AnalysisPage
from capacity_planner.ui.calibration_view import CalibrationView
from capacity_planner.ui.charts_view import ChartsView
from capacity_planner.ui.combo import refill
from capacity_planner.ui.compare_view import CompareView
from capacity_planner.ui.document import Document
from capacity_planner.ui.file_ops import OPENABLE, FileController
from capacity_planner.ui.gc_guard import install as install_collector
from capacity_planner.ui.montecarlo_view import MonteCarloView
from capacity_planner.ui.problems_panel import ProblemsPanel, summary
from capacity_planner.ui.recovery import RecoveryStore
from capacity_planner.ui.results_view import ResultsView
from capacity_planner.ui.scenario_editor import ScenarioEditor
from capacity_planner.ui.sensitivity_view import SensitivityView
from capacity_planner.ui.settings import Settings
from capacity_planner.ui.solve_control import SolveController
from capacity_planner.ui.table_view import TablePage

PROBLEMS_HEIGHT = 170  # the Problems dock when it lists problems
QWIDGETSIZE_MAX = 16_777_215
TABLE_PAGES = ("Units", "Roles", "Establishment", "Streams", "Demand", "Skills", "Sharing",
               "Periods")
ANALYSIS_PAGES = ("Sensitivity", "Monte Carlo", "Calibration")
PAGES = (*TABLE_PAGES, "Scenarios", "Results", "Charts", "Compare", *ANALYSIS_PAGES)
PAGE_TIPS = {
    "Units": "Forces, the ROCU, local policing areas and teams",
    "Roles": "Roles: cost, productive hours, training, attrition, overtime",
    "Establishment": "Funded posts and people in post, by unit and role",
    "Streams": "Kinds of SOC demand, their weights and minimum service levels",
    "Demand": "Demand hours by unit, stream and period",
    "Skills": "Which roles can work on which streams, and how efficiently",
    "Sharing": "Which units may lend to which, and how much",
    "Periods": "The planning periods and their lengths",
    "Scenarios": "What-if scenarios: list, add, duplicate, rename, edit",
    "Results": "The plan for a solved scenario",
    "Charts": "Charts for a bid or a board paper",
    "Compare": "Solved scenarios side by side",
    "Sensitivity": "One parameter over a range: how coverage and cost respond",
    "Monte Carlo": "Uncertain demand: the chance of meeting each minimum, and the bands",
    "Calibration": "The model against what was actually delivered",
}


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings | None = None,
                 recovery: RecoveryStore | None = None) -> None:
        super().__init__()
        install_collector()  # cycles collected in this thread only, never in a worker's
        self.settings = settings or Settings()
        self.document = Document(self)
        self.controller = SolveController(self.document, self)
        self.controller.solver = self.settings.solver
        self.controller.time_limit = self.settings.time_limit
        self.files = FileController(self, recovery or RecoveryStore())
        self.recent_menu: QMenu | None = None
        self.setWindowTitle("Capacity Planner")
        self.setMinimumSize(QSize(960, 640))
        self.setAcceptDrops(True)

        self.navigator = QListWidget()
        self.navigator.setObjectName("navigator")
        self.navigator.setMinimumWidth(150)
        self.navigator.setMaximumWidth(190)
        self.navigator.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.navigator.setSpacing(1)
        self.pages = QStackedWidget()
        self.tables: dict[str, TablePage] = {}
        for name in TABLE_PAGES:
            page = TablePage(self.document, BY_SHEET[name])
            page.message.connect(self.show_message)
            self.tables[name] = page
            self._add_page(name, page)
        self.scenario_editor = ScenarioEditor(self.document)
        self.scenario_editor.message.connect(self.show_message)
        self._add_page("Scenarios", self.scenario_editor)
        self.results_view = ResultsView(self.controller)
        self.results_view.solve_requested.connect(self.solve)
        self._add_page("Results", self.results_view)
        self.charts_view = self._make_charts_view()
        self._add_page("Charts", self.charts_view)
        self.compare_view = CompareView(self.controller)
        self.compare_view.solve_all_requested.connect(self.solve_all)
        self._add_page("Compare", self.compare_view)
        self.sensitivity_view = SensitivityView(self.document)
        self._add_page("Sensitivity", self.sensitivity_view)
        self.montecarlo_view = MonteCarloView(self.document)
        self._add_page("Monte Carlo", self.montecarlo_view)
        self.calibration_view = CalibrationView(self.document)
        self._add_page("Calibration", self.calibration_view)
        self.analysis_pages: tuple[AnalysisPage, ...] = (
            self.sensitivity_view, self.montecarlo_view, self.calibration_view)
        for analysis in self.analysis_pages:
            analysis.solve_options = self._solve_options
        self.navigator.currentRowChanged.connect(self.pages.setCurrentIndex)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.navigator)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(0, False)
        splitter.setSizes([170, 1100])
        self.setCentralWidget(splitter)

        self.problems = ProblemsPanel(self.document)
        self.problems.jump_requested.connect(self.jump_to)
        self.problems_dock = QDockWidget("Problems", self)
        self.problems_dock.setObjectName("problems_dock")
        self.problems_dock.setWidget(self.problems)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)
        self.resizeDocks([self.problems_dock], [PROBLEMS_HEIGHT], Qt.Orientation.Vertical)

        self.scenario_box = QComboBox()
        self.scenario_box.setToolTip("The scenario to solve (F5) and to show")
        self.scenario_box.setMinimumContentsLength(18)
        self._build_status_bar()
        self.menu_actions = actions.build(self)
        self.files.rebuild_recent_menu()

        self.document.model_changed.connect(self._model_changed)
        self.document.state_changed.connect(self._update_state)
        self.document.problems_changed.connect(self._update_problems_title)
        self.controller.busy_changed.connect(self._busy_changed)
        self.controller.progress.connect(self._progress)
        self.controller.elapsed.connect(self.elapsed_label.setText)
        self.controller.solve_finished.connect(self._solve_finished)
        self.controller.solve_failed.connect(self._solve_failed)
        self.controller.solve_cancelled.connect(
            lambda: self.show_message("Solve cancelled", 5000))
        self.scenario_editor.scenario_selected.connect(self._scenario_from_editor)
        self.navigator.setCurrentRow(0)
        self._model_changed()
        self._update_state()
        self._update_problems_title()
        self._busy_changed(False)
        self._restore_layout()

    # ---- layout ------------------------------------------------------------------------------
    def _add_page(self, name: str, widget: QWidget) -> None:
        item = QListWidgetItem(name)
        item.setToolTip(PAGE_TIPS[name])
        item.setSizeHint(QSize(150, 28))
        self.navigator.addItem(item)
        self.pages.addWidget(widget)

    def _make_charts_view(self) -> ChartsView:
        view = ChartsView(self.controller)
        view.message.connect(self.show_message)
        return view

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.model_label = QLabel()
        self.dirty_label = QLabel()
        self.dirty_label.setStyleSheet("color: #8a5a00; font-weight: 600;")
        self.solve_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(180)
        self.progress.setTextVisible(False)
        self.elapsed_label = QLabel()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop the solver (Esc)")
        self.cancel_button.clicked.connect(self.controller.cancel)
        for widget in (self.progress, self.elapsed_label, self.cancel_button,
                       self.solve_label, self.dirty_label, self.model_label):
            bar.addPermanentWidget(widget)

    def _solve_options(self) -> SolveOptions:
        return SolveOptions(self.controller.solver, self.controller.time_limit)

    def page(self, name: str) -> QWidget | None:
        return self.pages.widget(PAGES.index(name))

    def show_page(self, name: str) -> None:
        self.navigator.setCurrentRow(PAGES.index(name))

    def show_message(self, text: str, ms: int = 8000) -> None:
        self.statusBar().showMessage(text, ms)

    def _restore_layout(self) -> None:
        geometry, state = self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 880)
        if state is not None:
            self.restoreState(state)

    # ---- following the document ----------------------------------------------------------
    def _model_changed(self, *_: object) -> None:
        refill(self.scenario_box, self.document.model.scenario_names)

    def _update_state(self) -> None:
        doc = self.document
        self.setWindowTitle(f"{doc.title}[*] — Capacity Planner")
        self.setWindowModified(doc.is_dirty)
        self.model_label.setText(f"  {doc.title}  ")
        self.model_label.setToolTip(str(doc.path) if doc.path else "Not saved yet")
        self.dirty_label.setText("Unsaved changes" if doc.is_dirty else "")
        actions.update_undo(self)
        self.files.schedule_autosave()

    def _update_problems_title(self) -> None:
        """The dock's title counts the problems; with none it shrinks to one line, and it
        opens out again when problems appear."""
        empty = self.problems.is_empty
        self.problems_dock.setWindowTitle("Problems" if empty else
                                          f"Problems — {summary(self.document.problems)}")
        if empty:
            self.problems.setMaximumHeight(self.problems.sizeHint().height())
        elif self.problems.maximumHeight() < QWIDGETSIZE_MAX:
            self.problems.setMaximumHeight(QWIDGETSIZE_MAX)
            self.resizeDocks([self.problems_dock], [PROBLEMS_HEIGHT], Qt.Orientation.Vertical)

    def _scenario_from_editor(self, name: str) -> None:
        if name:
            self.scenario_box.setCurrentText(name)

    # ---- problems ----------------------------------------------------------------------------
    def jump_to(self, sheet: str, row: int, field: str) -> None:
        if sheet == "Scenarios":
            self.show_page("Scenarios")
            if row >= 0:
                record = self.document.model.scenarios[row]
                self.scenario_editor.select(record.scenario)
                self.scenario_editor.page.select_cell(row, field)
            return
        page = self.tables.get(sheet)
        if page is None:
            return
        self.show_page(sheet)
        if row >= 0:
            page.select_cell(row, field)

    # ---- solving -----------------------------------------------------------------------------
    def _can_solve(self) -> bool:
        self.document.ensure_validated()
        if self.document.has_errors:
            self.problems_dock.show()
            self.show_message("The model has errors: fix those in the Problems panel first",
                              10000)
            return False
        return True

    def solve(self) -> None:
        if not self.controller.busy and self._can_solve():
            self.controller.solve([self.scenario_box.currentText() or "Baseline"])

    def solve_all(self) -> None:
        if not self.controller.busy and self._can_solve():
            self.controller.solve(self.document.model.scenario_names)

    def _busy_changed(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.elapsed_label.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)
            self.solve_label.setText("Solving…")
        else:
            self.solve_label.setText(f"  {self.controller.last_status}  "
                                     if self.controller.last_status else "")
        actions.update_busy(self, busy)

    def _progress(self, fraction: float, message: str) -> None:
        if fraction < 0:
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(fraction * 1000))
        self.solve_label.setText(f"  {message}  ")

    def _solve_finished(self, results: list) -> None:
        if results:
            self.results_view.show_scenario(results[-1].scenario if len(results) == 1
                                            else self.scenario_box.currentText())
        self.show_page("Compare" if len(results) > 1 else "Results")
        failed = [r for r in results if not r.solved]
        if failed:
            self.show_message("; ".join(f"{r.scenario}: {r.message or r.status.value}"
                                        for r in failed), 15000)

    def _solve_failed(self, message: str) -> None:
        QMessageBox.warning(self, "Solve failed", message)

    # ---- files, drag and drop, closing ---------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile() and urls[0].toLocalFile().lower().endswith(OPENABLE):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            event.acceptProposedAction()
            self.files.open_interactive(Path(urls[0].toLocalFile()))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.files.reading:  # a workbook is being read: it ends soon, close after it
            event.ignore()
            return
        if not self.files.maybe_save():
            event.ignore()
            return
        if self.controller.busy:
            self.controller.cancel()
            self.controller.wait(10_000)
        self.files.exports.wait()  # an export under way is finished, never left half done
        for page in self.analysis_pages:
            page.stop()
        self.settings.save_window_state(self.saveGeometry(), self.saveState())
        self.settings.sync()
        self.files.wait_autosave()
        event.accept()
