"""The scenario editor: the list of scenarios and the parameters of the chosen one.

A scenario exists through its rows in the Scenarios table; the Baseline is implicit, always
first, and cannot be edited. Targets come from dropdowns of the model's real IDs, and a
target column the parameter does not use is greyed out.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from capacity_planner.domain import edits
from capacity_planner.domain.ids import id_key
from capacity_planner.domain.model import BASELINE, PlanningModel
from capacity_planner.domain.scenario import PARAMETERS, TARGETS
from capacity_planner.domain.schema import SCENARIOS
from capacity_planner.ui.document import Document
from capacity_planner.ui.table_view import TablePage

HELP = {
    "objective": "coverage (least weighted unmet demand) or min_cost (cheapest plan that meets "
                 "every minimum service level)",
    "whole_posts": "1: recruit and create whole posts only",
    "demand_change_pct": "Change demand hours by this percentage (+20 = 20 % more)",
    "in_post_change_fte": "Add (or, negative, remove) FTE in post",
    "abstraction_pct": "Set abstraction to this percentage",
    "attrition_pct": "Set yearly attrition to this percentage",
    "overtime_cap_pct": "Set the overtime cap, % of available hours",
    "budget_gbp": "Extra money per year for new posts, recruitment and overtime (£)",
    "max_new_fte": "Cap on new posts (FTE) over the plan",
    "recruit_fte_max": "FTE that may be recruited into vacancies per period",
    "max_share_pct": "Cap on the share of a role's hours spent on a stream",
    "weight": "Set the weight of unmet demand",
    "min_service_pct": "Set the minimum service level, % of demand",
}


def _scenario_cell_editable(record: object, field: str) -> bool:
    if field == "scenario":
        return False
    if field in TARGETS:
        return field in PARAMETERS.get(id_key(getattr(record, "parameter", "")), ())
    return True


class ScenarioProxy(QSortFilterProxyModel):
    """Rows of one scenario, plus the text filter of the table page."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.scenario_key = ""

    def set_scenario(self, name: str) -> None:
        self.beginFilterChange()
        self.scenario_key = id_key(name)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        source = self.sourceModel()
        record = source.record(row)  # type: ignore[attr-defined]
        if id_key(record.scenario) != self.scenario_key:
            return False
        return super().filterAcceptsRow(row, parent)


class ScenarioEditor(QWidget):
    message = Signal(str)
    scenario_selected = Signal(str)

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.names = QListWidget()
        self.names.setToolTip("Scenarios: the Baseline is the model as it is")
        self.names.currentTextChanged.connect(self._show)
        buttons = QHBoxLayout()
        self.add_button = self._button("Add…", "Add a new scenario", self._ask_add)
        self.duplicate_button = self._button("Duplicate…", "Copy the selected scenario",
                                             self._ask_duplicate)
        self.rename_button = self._button("Rename…", "Rename the selected scenario",
                                          self._ask_rename)
        self.delete_button = self._button("Delete", "Delete the selected scenario",
                                          self._ask_delete)
        for b in (self.add_button, self.duplicate_button, self.rename_button, self.delete_button):
            buttons.addWidget(b)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("<b>Scenarios</b>"))
        left_layout.addWidget(self.names, 1)
        left_layout.addLayout(buttons)

        self.proxy = ScenarioProxy(self)
        self.page = TablePage(document, SCENARIOS, _scenario_cell_editable, proxy=self.proxy,
                              new_row=lambda: {"scenario": self.current})
        self.page.view.hideColumn(0)
        self.page.count.hide()  # it would count every scenario's rows
        self.page.message.connect(self.message)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.help = QLabel()
        self.help.setWordWrap(True)
        self.help.setStyleSheet("color: #44546a")
        self.page.view.selectionModel().currentChanged.connect(self._show_help)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.page, 1)
        right_layout.addWidget(self.help)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([260, 800])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        document.model_changed.connect(self._refresh)
        self._refresh(document.model)

    def _button(self, text: str, tip: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    def _show_help(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        if not source.isValid():
            self.help.clear()
            return
        parameter = id_key(self.page.table.record(source.row()).parameter)
        targets = ", ".join(t.removesuffix("_id") for t in PARAMETERS.get(parameter, ())) or "none"
        self.help.setText(f"<b>{parameter}</b>: {HELP.get(parameter, 'unknown parameter')}. "
                          f"Targets: {targets}.")

    @property
    def current(self) -> str:
        item = self.names.currentItem()
        return item.text() if item else BASELINE

    # ---- list ------------------------------------------------------------------------------
    def _refresh(self, model: PlanningModel) -> None:
        names = model.scenario_names
        if names == [self.names.item(i).text() for i in range(self.names.count())]:
            return
        keep = self.current
        self.names.blockSignals(True)
        self.names.clear()
        self.names.addItems(names)
        matches = [i for i, n in enumerate(names) if id_key(n) == id_key(keep)]
        self.names.setCurrentRow(matches[0] if matches else 0)
        self.names.blockSignals(False)
        self._show(self.current)

    def select(self, name: str) -> None:
        for i in range(self.names.count()):
            if id_key(self.names.item(i).text()) == id_key(name):
                self.names.setCurrentRow(i)
                return

    def _show(self, name: str) -> None:
        baseline = id_key(name) == id_key(BASELINE)
        self.proxy.set_scenario("" if baseline else name)
        self.page.setEnabled(not baseline)
        self.rename_button.setEnabled(not baseline)
        self.delete_button.setEnabled(not baseline)
        if baseline:
            self.heading.setText("<b>Baseline</b>: the model as it is, with no changes and no "
                                 "hiring. It cannot be edited; duplicate it to make a scenario.")
        else:
            self.heading.setText(f"<b>{_escape(name)}</b>: each row changes one parameter; a "
                                 "blank target means all. Greyed targets are not used by the "
                                 "row's parameter.")
        self.page.view.resizeColumnsToContents()
        self.scenario_selected.emit(name)

    # ---- commands (the buttons ask for names, then call these) -----------------------------
    def _apply(self, make: object, *args: str) -> bool:
        try:
            command = make(self.document.model, *args)  # type: ignore[operator]
        except edits.ScenarioError as exc:
            self.message.emit(str(exc))
            return False
        self.document.apply(command)
        return True

    def add_scenario(self, name: str) -> bool:
        if self._apply(edits.add_scenario, name):
            self.select(name.strip())
            return True
        return False

    def duplicate_scenario(self, name: str) -> bool:
        if self._apply(edits.duplicate_scenario, self.current, name):
            self.select(name.strip())
            return True
        return False

    def rename_scenario(self, name: str) -> bool:
        if self._apply(edits.rename_scenario, self.current, name):
            self.select(name.strip())
            return True
        return False

    def delete_scenario(self) -> bool:
        return self._apply(edits.delete_scenario, self.current)

    def _ask(self, title: str, default: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, "Scenario name:", text=default)
        return text if ok and text.strip() else None

    def _ask_add(self) -> None:
        if (name := self._ask("Add scenario", "New scenario")) is not None:
            self.add_scenario(name)

    def _ask_duplicate(self) -> None:
        if (name := self._ask("Duplicate scenario", f"{self.current} copy")) is not None:
            self.duplicate_scenario(name)

    def _ask_rename(self) -> None:
        if (name := self._ask("Rename scenario", self.current)) is not None:
            self.rename_scenario(name)

    def _ask_delete(self) -> None:
        answer = QMessageBox.question(self, "Delete scenario",
                                      f"Delete the scenario “{self.current}” and its rows?")
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_scenario()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
