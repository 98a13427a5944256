"""The import wizard: pick the sheet, map its columns to fields (guesses pre-filled),
preview the result, save the mapping by name. The import is one undoable edit, and an
import with errors changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from capacity_planner.domain.edits import ReplaceModel
from capacity_planner.domain.ids import id_key
from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.problems import Problem
from capacity_planner.ui import import_plan as plan
from capacity_planner.ui.elided_label import ElidedLabel
from capacity_planner.ui.frame_model import FrameModel, format_value
from capacity_planner.ui.import_changes import CHANGE, Changes
from capacity_planner.ui.names import tables_of
from capacity_planner.ui.results_view import frame_table

if TYPE_CHECKING:
    from capacity_planner.ui.main_window import MainWindow

IGNORE = "(ignore)"
TOOLTIP_VALUES = 12  # example values listed in a column's tooltip
NAME_WIDTH = 160  # pixels: a preview column no wider (a long force name is cut, in full in
# its tooltip), so the figures after the unit and role fit in the wizard's width


def grid_frame(rows: list[list[object]]) -> pd.DataFrame:
    width = max((len(r) for r in rows), default=0)
    data = [[("" if c is None else str(c)) for c in r] + [""] * (width - len(r)) for r in rows]
    return pd.DataFrame(data, columns=[f"col_{i + 1}" for i in range(width)])


class ChangesModel(FrameModel):
    """The preview table: a difference shows its sign (+2.00, -1.00)."""

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.isValid():
            column = str(self.frame.columns[index.column()])
            value = self.frame.iat[index.row(), index.column()]
            if column.startswith(CHANGE) and isinstance(value, float) and value:
                return ("+" if value > 0 else "") + format_value(column, value)
        return super().data(index, role)


class ImportWizard(QWizard):
    def __init__(self, window: MainWindow, path: Path,
                 mappings_folder: Path | None = None) -> None:
        super().__init__(window)
        self.window_ = window
        self.mappings_folder = mappings_folder
        self.path = Path(path)
        self.view = plan.look(self.path)
        self.columns: dict[str, str] = {}
        self.result_model: PlanningModel | None = None
        self.problems: list[Problem] = []
        self.changes: Changes | None = None
        self.setWindowTitle(f"Import {self.path.name}")
        self.setMinimumSize(820, 600)
        self.resize(1000, 660)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.sheet_page = self._sheet_page()
        self.map_page = self._map_page()
        self.preview_page = self._preview_page()
        for page in (self.sheet_page, self.map_page, self.preview_page):
            self.addPage(page)
        self.currentIdChanged.connect(self._entered)

    # ---- page 1: what and where ------------------------------------------------------------
    def _sheet_page(self) -> QWizardPage:
        page = QWizardPage()
        page.setTitle("Pick the sheet")
        page.setSubTitle("Which table does this extract update, and which sheet holds it?")
        self.table_box = QComboBox()
        self.table_box.addItems(plan.TARGETS)
        self.table_box.setToolTip("Vacancies update in-post strength; any other table is "
                                  "replaced by the imported rows")
        self.sheet_box = QComboBox()
        for name in self.view.names:
            self.sheet_box.addItem(name + ("  (hidden)" if self.view.hidden.get(name) else ""),
                                   name)
        self.sheet_preview = FrameModel(parent=self)
        self.sheet_box.currentIndexChanged.connect(self._show_sheet)
        self.saved_box = QComboBox()
        self.saved_box.addItem("(none: guess from the headers)", "")
        for name, path in sorted(self.window_.settings.mappings.items()):
            self.saved_box.addItem(name, path)
        self.saved_box.setToolTip("A mapping saved from an earlier import of the same extract")
        self.saved_box.currentIndexChanged.connect(self._use_saved)
        self.saved_columns: dict[str, str] | None = None
        form = QFormLayout()
        form.addRow("Saved mapping:", self.saved_box)
        form.addRow("Import into:", self.table_box)
        form.addRow("Sheet:", self.sheet_box)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        if self.view.problems and not self.view.names:
            failed = QLabel("This file cannot be read:\n"
                            + "\n".join(str(p) for p in self.view.problems[:5]))
            failed.setWordWrap(True)
            layout.addWidget(failed)
        layout.addWidget(QLabel("First rows of the sheet:"))
        layout.addWidget(frame_table(self.sheet_preview, page), 1)
        self._show_sheet()
        return page

    def _use_saved(self, *_: object) -> None:
        """Take the table, sheet and columns from a saved mapping."""
        path = str(self.saved_box.currentData() or "")
        self.saved_columns = None
        if not path:
            return
        from capacity_planner.io.mapping import load_mapping

        mapping, problems = load_mapping(path)
        if mapping is None or not mapping.tables:
            self.window_.show_message(f"The saved mapping cannot be used: "
                                      f"{problems[0] if problems else 'it is empty'}")
            return
        table, body = next(iter(mapping.tables.items()))
        self.table_box.setCurrentText(table)
        index = self.sheet_box.findData(body.sheet)
        if index >= 0:
            self.sheet_box.setCurrentIndex(index)
        self.saved_columns = dict(body.columns)
        self.mapping_name.setText(mapping.name or self.saved_box.currentText())

    @property
    def table(self) -> str:
        return self.table_box.currentText()

    @property
    def sheet(self) -> str:
        return str(self.sheet_box.currentData() or "")

    def _rows(self) -> list[list[object]]:
        return self.view.rows.get(self.sheet, [])

    def _show_sheet(self, *_: object) -> None:
        self.sheet_preview.set_frame(grid_frame(self._rows()[:15]))

    # ---- page 2: map columns ---------------------------------------------------------------
    def _map_page(self) -> QWizardPage:
        page = QWizardPage()
        page.setTitle("Map the columns")
        page.setSubTitle("Each column of the sheet goes to a field, or is ignored. Guesses are "
                         "filled in; check them.")
        self.header_spin = QSpinBox()
        self.header_spin.setRange(1, 20)
        self.header_spin.setToolTip("The row that holds the column headings")
        self.header_spin.valueChanged.connect(self._build_map_rows)
        self.map_holder = QWidget()
        self.map_form = QFormLayout(self.map_holder)
        self.map_boxes: dict[str, QComboBox] = {}
        self.map_examples: dict[str, ElidedLabel] = {}
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(self.map_holder)
        top = QFormLayout()
        top.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        top.addRow("Header row:", self.header_spin)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(area, 1)
        return page

    def _build_map_rows(self, *_: object) -> None:
        while self.map_form.rowCount():
            self.map_form.removeRow(0)
        self.map_boxes, self.map_examples = {}, {}
        rows = self._rows()
        heads = plan.headers(rows, self.header_spin.value() - 1)
        examples = plan.examples(rows, self.header_spin.value() - 1)
        guesses = plan.guess(heads, self.table)
        if self.saved_columns:
            guesses = {h: self.saved_columns.get(h, guesses.get(h, "")) for h in heads}
        fields = plan.spec_of(self.table).names
        for head in heads:
            box = QComboBox()
            box.addItems([IGNORE, *fields])
            box.setCurrentText(guesses.get(head) or IGNORE)
            box.setToolTip(f"The field that column “{head}” holds")
            self.map_boxes[head] = box
            self.map_examples[head] = example = self._example(head, examples.get(head, []))
            line = QWidget()
            row = QHBoxLayout(line)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(box)
            row.addWidget(example, 1)
            self.map_form.addRow(f"{head}:", line)

    @staticmethod
    def _example(head: str, values: list[str]) -> ElidedLabel:
        """The values under a column in the first rows, beside its field."""
        if not values:
            label = ElidedLabel("(empty in the first rows)")
            label.setToolTip(f"“{head}” has no values in the first rows of the sheet")
            return label
        label = ElidedLabel("e.g. " + ", ".join(values))
        shown = values[:TOOLTIP_VALUES]
        label.setToolTip(f"Values under “{head}” in the first rows:\n" + "\n".join(shown)
                         + ("\n…" if len(values) > len(shown) else ""))
        return label

    def mapped_columns(self) -> dict[str, str]:
        return {head: ("" if box.currentText() == IGNORE else box.currentText())
                for head, box in self.map_boxes.items()}

    # ---- page 3: preview and save ------------------------------------------------------------
    def _preview_page(self) -> QWizardPage:
        page = QWizardPage()
        page.setTitle("Preview")
        page.setSubTitle("What the import will change. Press Finish to apply it (Undo takes "
                         "it back).")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.problem_text = QPlainTextEdit()
        self.problem_text.setReadOnly(True)
        self.problem_text.setMaximumHeight(110)
        self.changes_line = QLabel()
        self.changes_line.setWordWrap(True)
        self.preview = ChangesModel(parent=self)
        self.save_check = QCheckBox("Save this mapping as:")
        self.save_check.setToolTip("Next month's extract then imports in one step")
        self.mapping_name = QLineEdit(f"{self.path.stem} mapping")
        save_row = QFormLayout()
        save_row.addRow(self.save_check, self.mapping_name)
        layout = QVBoxLayout(page)
        layout.addWidget(self.summary)
        layout.addWidget(self.problem_text)
        layout.addWidget(self.changes_line)
        self.preview_table = frame_table(self.preview, page, most=NAME_WIDTH)
        layout.addWidget(self.preview_table, 1)
        layout.addLayout(save_row)
        return page

    def _entered(self, page_id: int) -> None:
        page = self.page(page_id)
        if page is self.map_page:
            self.header_spin.setValue(plan.header_row(self._rows()) + 1)
            self._build_map_rows()
        elif page is self.preview_page:
            self.run_preview()

    def run_preview(self) -> None:
        self.columns = self.mapped_columns()
        before = self.window_.document.model
        table, sheet, columns = self.table, self.sheet, dict(self.columns)
        found = self.window_.files.reader.run(  # read in the worker; the wizard stays painted
            self.path, lambda: plan.read_into(before, self.path, table, sheet, columns),
            "Reading", over=self)
        imported = found if isinstance(found, plan.Imported) else plan.Imported(
            None, found.problems, "Nothing imported")
        model, problems, text = imported.model, imported.problems, imported.text
        self.result_model, self.problems, self.changes = model, problems, imported.changes
        errors = [p for p in problems if p.is_error]
        self.summary.setText(f"<b>{text}.</b>" + (" The import has errors, so Finish will not "
                                                  "change the model." if errors else ""))
        self.problem_text.setPlainText("\n".join(str(p) for p in problems) or "No problems.")
        self._show_changes(imported.changes, before)

    def _show_changes(self, changes: Changes | None, before: PlanningModel) -> None:
        if changes is None:
            self.changes_line.setText("Nothing will change.")
            self.preview.set_frame(pd.DataFrame())
            return
        self.changes_line.setText(changes.line)
        tables = tables_of(before)
        self.preview.set_frame(changes.frame)
        self.preview.set_names({c: tables[t] for c, t in changes.named.items()},
                               {id_key(c): h for c, h in changes.headers.items()})

    def accept(self) -> None:
        if self.currentPage() is not self.preview_page or not self.columns:
            self.run_preview()
        if self.save_check.isChecked() and self.mapping_name.text().strip():
            name = self.mapping_name.text().strip()
            saved = plan.save_named(self.table, self.sheet, self.columns, name,
                                    self.mappings_folder)
            self.window_.settings.add_mapping(name, saved)
        if self.result_model is not None:
            document = self.window_.document
            document.apply(ReplaceModel(document.model, self.result_model,
                                        f"Import {self.table} from {self.path.name}"))
            self.window_.show_message(self.summary.text().replace("<b>", "").replace("</b>", ""))
        else:
            self.window_.show_message("Nothing imported: the model is unchanged")
        super().accept()
