"""The Calibration page: does the model deliver what was actually delivered?

The Actuals (unit, stream, period, delivered hours) come from the model file's Actuals
sheet, or from another workbook the planner picks. ``analysis.calibrate.calibrate`` runs
off the UI thread: the Baseline is solved and set against the record, each difference is
explained in words, and where abstraction or productive hours can explain it the change
that makes the model match is suggested. Nothing changes until the planner applies a
suggestion, as one undoable edit.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from capacity_planner.analysis.variants import SolveOptions
from capacity_planner.domain.edits import ReplaceModel
from capacity_planner.domain.model import PlanningModel
from capacity_planner.ui.analysis_page import AnalysisPage, help_label
from capacity_planner.ui.document import Document
from capacity_planner.ui.frame_model import FrameModel
from capacity_planner.ui.names import column_names
from capacity_planner.ui.results_view import frame_table

if TYPE_CHECKING:
    from capacity_planner.analysis.calibrate import Calibration

TABLE_COLUMNS = ["unit", "stream", "error_pct", "modelled_hours", "actual_hours",
                 "error_hours", "within_tolerance", "demand_hours"]
NAME_WIDTH = 190  # unit and stream names are cut (whole in the tooltip): the errors show
HEADERS = {"modelled_hours": "Modelled hours", "actual_hours": "Recorded hours",
           "error_hours": "Modelled less recorded (h)", "error_pct": "Error %",
           "within_tolerance": "Matches"}
# analysis.calibrate.TOLERANCE_PCT (that module loads the solver: imported when first run,
# so the window opens without it; a test checks the two agree)
TOLERANCE_PCT = 2.0
ACTUALS_FILTER = "Workbooks with an Actuals sheet (*.xlsx *.xlsm *.ods *.csv);;All files (*)"


def read_and_calibrate(model: PlanningModel, path: Path, tolerance_pct: float,
                       options: SolveOptions, progress: Any, should_cancel: Any
                       ) -> Calibration:
    """The job: read the Actuals of ``path``, then calibrate (problems, never raises for a
    bad file)."""
    from capacity_planner.analysis.calibrate import Calibration, calibrate
    from capacity_planner.io.actuals import read_actuals

    progress(-1.0, f"Reading the Actuals of {path.name}")
    actuals, problems = read_actuals(path, model)
    if any(p.is_error for p in problems):
        return Calibration(problems=problems, tolerance_pct=tolerance_pct)
    found = calibrate(model, actuals, tolerance_pct=tolerance_pct, solver=options.solver,
                      time_limit=options.time_limit, progress=progress,
                      should_cancel=should_cancel)
    found.problems[:0] = problems
    return found


def words(found: Calibration) -> str:
    """The findings as HTML: how many lines match, each difference and its suggestion,
    and the problems."""
    esc = html.escape
    out = []
    lines = found.lines
    if lines:
        matched = sum(1 for x in lines if x.within_tolerance)
        out.append(f"<p><b>{matched} of {len(lines)}</b> unit and stream lines match recorded "
                   f"delivery within {found.tolerance_pct:g} %.</p>")
    off = sorted((x for x in lines if not x.within_tolerance), key=lambda x: -abs(x.error_hours))
    if off:
        out.append("<ul>")
        for x in off:
            item = esc(x.explanation)
            if x.suggestion:
                item += f"<br><i>Suggestion:</i> {esc(x.suggestion)}"
            out.append(f"<li>{item}</li>")
        out.append("</ul>")
    shown = [p for p in found.problems if p.code != "isolated"]
    if shown:
        out.append("<p><b>Problems</b></p><ul>")
        out.extend(f"<li>{esc(str(p))}</li>" for p in shown[:30])
        out.append("</ul>")
    return "".join(out) or "<p>Nothing to report.</p>"


class CalibrationView(AnalysisPage):
    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(document, "Calibrate",
                         "Solve the Baseline and compare it with the recorded delivery",
                         "Calibrate to compare the model's delivery with the record: the "
                         "errors by unit and stream are drawn here.", parent)
        self.actuals_path: Path | None = None
        self.line_of_row: list[int] = []  # table row -> index of its calibration line
        self._chosen = False  # the planner picked a file: keep it when the model is saved
        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        choose = QPushButton("Load actuals…")
        choose.setToolTip("Use the Actuals sheet of another workbook (or a CSV of it)")
        choose.clicked.connect(self.ask_actuals)
        self.tolerance_spin = QDoubleSpinBox()
        self.tolerance_spin.setRange(0, 50)
        self.tolerance_spin.setDecimals(1)
        self.tolerance_spin.setValue(TOLERANCE_PCT)
        self.tolerance_spin.setSuffix(" %")
        self.tolerance_spin.setToolTip("Errors within this share of the record count as a match")
        top = QHBoxLayout()
        top.addWidget(self.source_label, 1)
        top.addWidget(choose)
        top.addWidget(QLabel("Tolerance:"))
        top.addWidget(self.tolerance_spin)
        self.scenario_box.hide()  # calibration is of the Baseline

        self.table = FrameModel(parent=self)
        self.table.header_names = HEADERS
        self.view = frame_table(self.table, self, NAME_WIDTH)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.words = QTextBrowser()
        self.words.setOpenLinks(False)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.view)
        left.addWidget(self.words)
        left.setSizes([300, 220])
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.chart)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([560, 700])
        self.chart.legible_height = 1.0  # one bar per line, labels on two lines: full height
        self.apply_one = QPushButton("Apply selected suggestion")
        self.apply_one.setToolTip("Change the inputs as the selected line suggests (Undo "
                                  "takes it back)")
        self.apply_one.clicked.connect(self.apply_selected)
        self.apply_all = QPushButton("Apply all suggestions")
        self.apply_all.setToolTip("Change every input the calibration suggests, as one edit")
        self.apply_all.clicked.connect(self.apply_suggestions)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.apply_one)
        bottom.addWidget(self.apply_all)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(help_label(
            "<b>Calibration</b>: the Baseline against what was actually delivered (an "
            "Actuals sheet: unit_id, stream_id, period, delivered_hours). Differences are "
            "explained, and the abstraction or productive hours that would make the model "
            "match are suggested; nothing changes until you apply one."))
        layout.addLayout(top)
        layout.addWidget(self.run_bar)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self.model_changed(document.model)

    # ---- where the actuals come from ------------------------------------------------------
    def model_changed(self, model: PlanningModel) -> None:
        if not hasattr(self, "source_label"):
            return
        if not self._chosen:
            self.actuals_path = self.document.path
        if self.actuals_path is None:
            self.source_label.setText("Actuals: this model has no file of its own. Load the "
                                      "actuals from a workbook.")
        else:
            self.source_label.setText(f"Actuals: the Actuals sheet of "
                                      f"<b>{html.escape(self.actuals_path.name)}</b>")
            self.source_label.setToolTip(str(self.actuals_path))
        self.run_bar.run_button.setEnabled(self.actuals_path is not None
                                           and not self.controller.busy)
        self._update_buttons()

    def use_actuals(self, path: Path) -> None:
        self.actuals_path = Path(path)
        self._chosen = True
        self.model_changed(self.document.model)

    def ask_actuals(self) -> None:
        start = str(self.actuals_path.parent) if self.actuals_path else ""
        name, _ = QFileDialog.getOpenFileName(self, "Load actuals", start, ACTUALS_FILTER)
        if name:
            self.use_actuals(Path(name))

    # ---- running ----------------------------------------------------------------------------
    def run(self) -> None:
        if self.actuals_path is None:
            self.run_bar.status.setText("Load the actuals first")
            return
        model, path = self.document.model, self.actuals_path
        tolerance = self.tolerance_spin.value()
        options = self.solve_options()

        def job(progress: Any, should_cancel: Any) -> Calibration:
            return read_and_calibrate(model, path, tolerance, options, progress,
                                      should_cancel)

        self.start(job, "The calibration")

    @property
    def calibration(self) -> Calibration | None:
        from capacity_planner.analysis.calibrate import Calibration

        return self.result if isinstance(self.result, Calibration) else None

    def show_result(self, result: object) -> None:
        from capacity_planner.analysis.calibrate import Calibration

        assert isinstance(result, Calibration)
        model = self.run_model or self.document.model
        frame = result.frame()
        # the largest differences first: what a planner looks at
        order = frame["error_hours"].abs().sort_values(ascending=False, kind="stable").index
        self.line_of_row = [int(i) for i in order]
        self.table.names = column_names(model)
        self.table.set_frame(frame.loc[order, TABLE_COLUMNS].reset_index(drop=True))
        self.words.setHtml(words(result))
        if result.result is None:
            self.chart.show_message("No comparison: see the problems on the left.")
        else:
            from capacity_planner.reporting.calibration_chart import calibration_figure
            from capacity_planner.reporting.style import Source

            names = {u.unit_id: u.name or u.unit_id for u in model.units}
            names |= {s.stream_id: s.name or s.stream_id for s in model.streams}
            self.chart.show_figure(calibration_figure(frame, result.tolerance_pct,
                                                      Source.of(model.source), names))
        self._update_buttons()

    # ---- applying ---------------------------------------------------------------------------
    def _selected_line(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        row = self.view.model().mapToSource(rows[0]).row()  # type: ignore[attr-defined]
        return self.line_of_row[row] if 0 <= row < len(self.line_of_row) else None

    def _update_buttons(self, *_: object) -> None:
        if not hasattr(self, "apply_all"):
            return
        found = self.calibration
        fresh = found is not None and self.is_fresh
        self.apply_all.setEnabled(fresh and bool(found and found.adjustments))
        row = self._selected_line()
        one = (found is not None and row is not None and row < len(found.lines)
               and found.lines[row].adjustment is not None)
        self.apply_one.setEnabled(fresh and one)

    def apply_selected(self) -> bool:
        found, row = self.calibration, self._selected_line()
        if found is None or row is None or not self.apply_one.isEnabled():
            return False
        line = found.lines[row]
        assert line.adjustment is not None
        from capacity_planner.analysis.calibrate_search import apply_changes

        model = self.document.model
        new = apply_changes(model, list(line.adjustment.changes))
        self.document.apply(ReplaceModel(model, new, f"Calibrate {line.unit_id} "
                                                     f"{line.stream_id}"))
        return True

    def apply_suggestions(self) -> bool:
        found = self.calibration
        if found is None or not self.apply_all.isEnabled():
            return False
        model = self.document.model
        new, problems = found.adjusted_model(model)
        self.document.apply(ReplaceModel(model, new, "Apply calibration suggestions"))
        # which suggestion won where two change the same input, and how many changed
        self.run_bar.status.setText(" ".join(p.message + "." for p in problems))
        return True
