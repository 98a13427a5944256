"""File > Import open data: seed in-post strength from the Home Office police workforce
open data table.

The ``.ods`` is read off the UI thread (the published table has some 33,000 rows); then
the planner chooses the year and which of the model's roles each published worker type
stands for, and sees the comparison (model against published FTE, per force) before
anything changes. Apply makes the seeded model one undoable edit; Cancel changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from capacity_planner.domain.edits import ReplaceModel
from capacity_planner.domain.opendata import (
    WORKER_TYPES,
    RoleLink,
    WorkforceMapping,
    default_mapping,
    label_key,
)
from capacity_planner.io.opendata import OpenDataRead, OpenDataTable, read_open_data
from capacity_planner.io.opendata_import import OpenDataImport, import_open_data
from capacity_planner.ui.frame_model import FrameModel
from capacity_planner.ui.names import column_names
from capacity_planner.ui.results_view import frame_table
from capacity_planner.ui.role_picker import RolePicker
from capacity_planner.ui.task_control import RunBar, TaskController

if TYPE_CHECKING:
    from capacity_planner.ui.main_window import MainWindow

SHOWN_COLUMNS = ("unit", "force", "published_as", "model_in_post_fte", "published_fte",
                 "difference_fte", "difference_pct", "seeded_fte", "roles", "note")
MAPPING_FILTER = "Open data mappings (*.json)"


class OpenDataDialog(QDialog):
    def __init__(self, window: MainWindow, path: Path) -> None:
        super().__init__(window)
        self.window_ = window
        self.path = Path(path)
        self.table: OpenDataTable | None = None
        self.preview: OpenDataImport | None = None
        self.read_problems: list = []
        self.extra_links: tuple[RoleLink, ...] = ()  # rank-specific links of a loaded file
        self.setWindowTitle(f"Import open data: {self.path.name}")
        self.setMinimumSize(900, 600)
        model = window.document.model
        self.roles = [(r.role_id, r.name) for r in model.roles]

        self.reader = TaskController(self)
        self.read_bar = RunBar(self.reader, "Read again", "Read the file again")
        self.read_bar.run_requested.connect(self.read)
        self.read_bar.run_button.hide()  # reading starts at once; shown again if it fails
        self.reader.finished.connect(self._read_done)
        self.reader.failed.connect(lambda _text: self.read_bar.run_button.show())
        self.year_box = QComboBox()
        self.year_box.setToolTip("The year of the published figures (as at 31 March)")
        self.year_box.currentIndexChanged.connect(self.refresh)
        mapping = default_mapping(model)
        self.pickers: dict[str, RolePicker] = {}
        grid = QGridLayout()
        grid.addWidget(QLabel("Year:"), 0, 0)
        grid.addWidget(self.year_box, 0, 1)
        grid.addWidget(QLabel("<b>Published worker type</b>"), 1, 0)
        grid.addWidget(QLabel("<b>stands for these roles of the model</b>"), 1, 1)
        for i, worker_type in enumerate(WORKER_TYPES):
            chosen = [link.role_id for link in mapping.links
                      if label_key(link.worker_type) == label_key(worker_type) and not link.rank]
            picker = RolePicker(self.roles, chosen,
                                tip=f"The model's roles that {worker_type} strength is "
                                "shared among (pro rata to their in-post FTE)")
            picker.chosen_changed.connect(self.refresh)
            self.pickers[worker_type] = picker
            grid.addWidget(QLabel(worker_type), i + 2, 0)
            grid.addWidget(picker, i + 2, 1)
        grid.setColumnStretch(2, 1)
        self.extra_label = QLabel()
        self.extra_label.setWordWrap(True)
        load = QPushButton("Load mapping…")
        load.setToolTip("Use a mapping saved earlier (it may also map single ranks)")
        load.clicked.connect(self.ask_load_mapping)
        save = QPushButton("Save mapping…")
        save.setToolTip("Save this mapping so next year's table imports in one step")
        save.clicked.connect(self.ask_save_mapping)
        files = QHBoxLayout()
        files.addWidget(self.extra_label, 1)
        files.addWidget(load)
        files.addWidget(save)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.comparison = FrameModel(parent=self)
        self.comparison.names = column_names(model)
        self.problem_text = QPlainTextEdit()
        self.problem_text.setReadOnly(True)
        self.problem_text.setMaximumHeight(90)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.addButton("Apply to the model",
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setToolTip("Set in-post FTE to the published figures (Undo takes "
                                     "it back)")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.read_bar)
        layout.addLayout(grid)
        layout.addLayout(files)
        layout.addWidget(self.summary)
        layout.addWidget(frame_table(self.comparison, self), 1)
        layout.addWidget(self.problem_text)
        layout.addWidget(self.buttons)
        self.apply_button.setEnabled(False)
        self.read()

    # ---- reading the table ----------------------------------------------------------------
    def read(self) -> None:
        path = self.path

        def job(progress: Any, should_cancel: Any) -> OpenDataRead:
            progress(-1.0, f"Reading {path.name}")
            return read_open_data(path)

        self.reader.start(job, f"Reading {path.name}")

    def _read_done(self, read: object) -> None:
        assert isinstance(read, OpenDataRead)
        self.table = read.table if read.ok else None
        self.read_problems = list(read.problems)
        if self.table is not None:
            years = self.table.years
            span = f"{years[0]} to {years[-1]}" if len(years) > 1 else str(years[0])
            self.read_bar.status.setText(f"{self.path.name}: {len(self.table.frame):,} "
                                         f"published lines, {span}")
        else:
            self.read_bar.status.setText(f"{self.path.name} cannot be used (see below)")
            self.read_bar.run_button.show()
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for year in (self.table.years if self.table else []):
            self.year_box.addItem(str(year), year)
        self.year_box.setCurrentIndex(self.year_box.count() - 1)  # the latest
        self.year_box.blockSignals(False)
        self.refresh()

    # ---- the mapping ------------------------------------------------------------------------
    def mapping(self) -> WorkforceMapping:
        links = [RoleLink(w, r) for w, picker in self.pickers.items() for r in picker.chosen()]
        return WorkforceMapping((*links, *self.extra_links))

    def set_mapping(self, mapping: WorkforceMapping) -> None:
        for worker_type, picker in self.pickers.items():
            picker.set_chosen([link.role_id for link in mapping.links if not link.rank
                               and label_key(link.worker_type) == label_key(worker_type)])
        self.extra_links = tuple(link for link in mapping.links if link.rank or
                                 label_key(link.worker_type) not in
                                 {label_key(w) for w in WORKER_TYPES})
        self.extra_label.setText("Also: " + "; ".join(f"{link.selector} = {link.role_id}"
                                                     for link in self.extra_links)
                                 if self.extra_links else "")
        self.refresh()

    def ask_load_mapping(self) -> None:
        from capacity_planner.io.opendata_import import load_mapping

        name, _ = QFileDialog.getOpenFileName(self, "Load a mapping",
                                              self.window_.settings.last_folder, MAPPING_FILTER)
        if name:
            mapping, problems = load_mapping(name)
            if any(p.is_error for p in problems):
                self.problem_text.setPlainText("\n".join(str(p) for p in problems))
                return
            self.set_mapping(mapping)

    def ask_save_mapping(self) -> None:
        from capacity_planner.io.opendata_import import save_mapping

        start = str(Path(self.window_.settings.last_folder) / "open data mapping.json")
        name, _ = QFileDialog.getSaveFileName(self, "Save the mapping", start, MAPPING_FILTER)
        if name:
            try:
                save_mapping(self.mapping(), name)
            except OSError as exc:
                self.problem_text.setPlainText(f"The mapping was not saved: {exc}")

    # ---- preview and apply --------------------------------------------------------------
    @property
    def year(self) -> int | None:
        data = self.year_box.currentData()
        return int(data) if data is not None else None

    def refresh(self, *_: object) -> None:
        """The comparison for the year and mapping chosen (the table is read once)."""
        if self.table is None or self.year is None:
            self.preview = None
            self.comparison.set_frame(pd.DataFrame())
            self.summary.setText("<b>The file cannot be used.</b>" if self.read_problems
                                 else "Reading the file…")
            self.problem_text.setPlainText("\n".join(str(p) for p in self.read_problems))
            self.apply_button.setEnabled(False)
            return
        model = self.window_.document.model
        self.preview = import_open_data(model, None, self.year, self.mapping(),
                                        table=self.table)
        self.comparison.set_frame(self.preview.comparison_frame()[list(SHOWN_COLUMNS)])
        problems = [*self.read_problems, *self.preview.problems]
        self.problem_text.setPlainText("\n".join(str(p) for p in problems) or "No problems.")
        changed = self._changed_rows()
        self.summary.setText(self._summary_text(changed))
        self.apply_button.setEnabled(self.preview.ok and changed > 0)

    def _changed_rows(self) -> int:
        if self.preview is None or self.preview.seeded is None:
            return 0
        old = self.window_.document.model.establishment
        return sum(1 for a, b in zip(old, self.preview.seeded.establishment, strict=False)
                   if a != b)

    def _summary_text(self, changed: int) -> str:
        assert self.preview is not None
        forces = len({line.unit_id for line in self.preview.lines})
        text = (f"<b>{forces} forces compared for {self.year}.</b> Applying changes in-post "
                f"FTE on {changed} Establishment row{'s' if changed != 1 else ''}.")
        if not self.preview.mapping.links:
            text = ("<b>Map at least one worker type to a role</b> to compare the model with "
                    "the published figures.")
        elif any(p.is_error for p in self.preview.problems):
            text += " The import has errors, so it cannot be applied."
        return text

    def accept(self) -> None:
        preview = self.preview
        if preview is None or not preview.ok or preview.seeded is None:
            return
        document = self.window_.document
        document.apply(ReplaceModel(document.model, preview.seeded,
                                    f"Import open data {self.year} from {self.path.name}"))
        self.window_.show_message(f"In-post FTE seeded from {self.path.name} ({self.year})")
        super().accept()

    def reject(self) -> None:
        self.reader.cancel()
        self.reader.wait(10_000)
        super().reject()
