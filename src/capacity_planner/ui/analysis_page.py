"""What the Sensitivity, Monte Carlo and Calibration pages share: a job run off the UI
thread with progress and Cancel, a scenario picker that follows the model, a chart pane,
and a banner when the model has changed since the figures shown were worked out."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from capacity_planner.analysis.variants import SolveOptions
from capacity_planner.domain.model import PlanningModel
from capacity_planner.ui.chart_pane import ChartPane
from capacity_planner.ui.combo import refill
from capacity_planner.ui.document import Document
from capacity_planner.ui.task_control import Job, RunBar, TaskController

BANNER_STYLE = ("background: #fbeebb; color: #5c4300; padding: 6px; border: 1px solid "
                "#e0c66b; border-radius: 4px;")
HELP_STYLE = "color: #44546a;"


def help_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(HELP_STYLE)
    return label


class AnalysisPage(QWidget):
    def __init__(self, document: Document, run_text: str, run_tip: str,
                 chart_message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.controller = TaskController(self)
        self.run_bar = RunBar(self.controller, run_text, run_tip)
        self.run_bar.run_requested.connect(self.run)
        self.scenario_box = QComboBox()
        self.scenario_box.setToolTip("The scenario the run starts from")
        self.scenario_box.setMinimumContentsLength(14)
        self.banner = QLabel("⚠  The model has changed since these figures were worked out: "
                             "run again to bring them up to date.")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.chart = ChartPane(chart_message)
        # How each solve runs (the window passes its solver and time limit settings)
        self.solve_options: Callable[[], SolveOptions] = SolveOptions
        self.result: object | None = None
        self.result_revision = -1
        self._run_revision = -1
        self.run_model: PlanningModel | None = None  # the model the shown result is of
        self._run_model: PlanningModel | None = None
        document.model_changed.connect(self._model_changed)
        self.controller.finished.connect(self._finished)
        self._model_changed(document.model)

    # ---- following the model ------------------------------------------------------------
    def _model_changed(self, model: PlanningModel) -> None:
        refill(self.scenario_box, model.scenario_names)
        self.model_changed(model)
        self.banner.setVisible(self.result is not None and not self.is_fresh)

    @property
    def is_fresh(self) -> bool:
        """The figures shown are of the model as it is (an undo back to it counts)."""
        return self.result is not None and (self.result_revision == self.document.revision
                                            or self.run_model is self.document.model)

    def model_changed(self, model: PlanningModel) -> None:
        """Pages refresh their pickers here."""

    # ---- running ----------------------------------------------------------------------------
    def run(self) -> None:
        raise NotImplementedError

    def start(self, job: Job, what: str,
              expected: tuple[type[Exception], ...] = ()) -> bool:
        """Run ``job`` on the model as it is now (models are immutable: the job keeps it).
        A model with errors is not run: the run bar says why."""
        self.document.ensure_validated()
        if self.document.has_errors:
            self.run_bar.status.setText("The model has errors: fix those in the Problems "
                                        "panel first")
            return False
        self._run_revision = self.document.revision
        self._run_model = self.document.model
        return self.controller.start(job, what, expected)

    def _finished(self, result: object) -> None:
        self.result = result
        self.result_revision = self._run_revision
        self.run_model = self._run_model
        self.banner.setVisible(not self.is_fresh)
        self.show_result(result)

    def show_result(self, result: object) -> None:
        raise NotImplementedError

    def stop(self, ms: int = 10_000) -> None:
        """Cancel a run and wait for its worker (closing the window)."""
        self.controller.cancel()
        self.controller.wait(ms)
