"""The Problems panel: every validation problem; clicking one jumps to its cell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from capacity_planner.domain.problems import Location, Problem, Severity
from capacity_planner.ui.document import Document, locate

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Severity", "Where", "Problem", "Found", "Expected")
EMPTY_TEXT = "✓  No problems: every table passes its checks."
SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}
SEVERITY_COLOURS = {Severity.ERROR: QColor("#b3261e"), Severity.WARNING: QColor("#8a5a00"),
                    Severity.NOTE: QColor("#44546a")}


def short_where(where: Location, record: int | None = None) -> str:
    """Sheet, row and column (the file only when there is no sheet): the panel is narrow.
    ``record`` is the problem's position in the model table shown in the window, if it is
    in one: the window numbers records from 1, so the file's row (one more, or more, for
    the header) follows in brackets, and the number a planner sees is the table's."""
    parts = []
    if where.sheet:
        parts.append(where.sheet)
    elif where.file:
        parts.append(Path(where.file).name)
    if record is not None:
        parts.append(f"record {record + 1}" + (f" (file row {where.row})"
                                               if where.row is not None else ""))
    elif where.row is not None:
        parts.append(f"row {where.row}")
    elif where.index is not None:
        parts.append(f"record {where.index + 1}")
    if where.column:
        parts.append(where.column)
    return ", ".join(parts)


def summary(problems: list[Problem]) -> str:
    counts = {s: sum(1 for p in problems if p.severity is s) for s in Severity}
    if not problems:
        return "No problems"
    parts = []
    for severity, word in ((Severity.ERROR, "error"), (Severity.WARNING, "warning"),
                           (Severity.NOTE, "note")):
        n = counts[severity]
        if n:
            parts.append(f"{n} {word}{'s' if n != 1 else ''}")
    return ", ".join(parts)


class ProblemsModel(QAbstractTableModel):
    """The document's problems, shown and sorted from texts and keys made once per
    refresh. It sorts itself (``sort``), in Python, rather than leaving it to a proxy:
    a proxy asks ``data`` for both sides of every comparison, which for the thousands of
    warnings of a large workbook took most of a second on every re-validation."""

    def __init__(self, document: Document) -> None:
        super().__init__(document)
        self.document = document
        self._problems: list[Problem] = []
        self._shown: list[tuple[str, ...]] = []
        self._sort = (0, Qt.SortOrder.AscendingOrder)
        self._fill()
        document.problems_changed.connect(self._refresh)

    def _fill(self) -> None:
        problems = list(self.document.problems)
        records = [place[1] if place else None for place in self.document.places]
        shown = [(p.severity.value.capitalize(), short_where(p.where, record), p.message,
                  "" if p.value is None else str(p.value), p.expected)
                 for p, record in zip(problems, records, strict=True)]
        column, order = self._sort
        keys = [_sort_key(p, row, column) for p, row in zip(problems, shown, strict=True)]
        ranked = sorted(range(len(problems)), key=keys.__getitem__,
                        reverse=order == Qt.SortOrder.DescendingOrder)
        self._problems = [problems[i] for i in ranked]
        self._shown = [shown[i] for i in ranked]

    def _refresh(self) -> None:
        self.beginResetModel()
        self._fill()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = list(self._problems)
        self._fill()
        position = {id(p): i for i, p in enumerate(self._problems)}
        old = self.persistentIndexList()
        self.changePersistentIndexList(old, [
            self.index(position[id(before[i.row()])], i.column()) for i in old])
        self.layoutChanged.emit()

    def problem(self, row: int) -> Problem:
        return self._problems[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._problems)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._shown[row][column]
        p = self._problems[row]
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return QBrush(SEVERITY_COLOURS[p.severity])
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(p)
        return None


def _sort_key(p: Problem, shown: tuple[str, ...], column: int) -> tuple[object, ...]:
    """Severity by rank, places by sheet then row number (row 10 after row 9), texts
    without case; ties keep the order validation found them in."""
    if column == 0:
        return (SEVERITY_ORDER[p.severity],)
    if column == 1:
        return (p.where.sheet.casefold(), p.where.row if p.where.row is not None else -1,
                p.where.index if p.where.index is not None else -1, p.where.column.casefold())
    return (shown[column].casefold(),)


class ProblemsProxy(QSortFilterProxyModel):
    """Filters by severity; sorting is passed to the source model (see ProblemsModel)."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)


class ProblemsPanel(QWidget):
    jump_requested = Signal(str, int, str)  # sheet, record index (-1: none), field

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.model = ProblemsModel(document)
        self.proxy = ProblemsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(0)
        self.show_box = QComboBox()
        self.show_box.addItems(["All", "Errors", "Warnings", "Notes"])
        self.show_box.setToolTip("Which problems to list")
        self.show_box.currentTextChanged.connect(self._filter)
        self.summary = QLabel()
        self.show_label = QLabel("Show:")
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.show_label)
        bar.addWidget(self.show_box)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        # columns sized from the first rows: a large workbook can have thousands of problems
        self.view.horizontalHeader().setResizeContentsPrecision(60)
        self.view.clicked.connect(self._clicked)
        self.view.activated.connect(self._clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        document.problems_changed.connect(self._update_summary)
        self._update_summary()

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString("" if text == "All" else text.rstrip("s"))

    @property
    def is_empty(self) -> bool:
        return not self.document.problems

    def _update_summary(self) -> None:
        """With no problems the panel is one line (the dock shrinks to it)."""
        empty = self.is_empty
        self.summary.setText(EMPTY_TEXT if empty else summary(self.document.problems))
        self.summary.setStyleSheet("color: #2e6b30;" if empty else "")
        for widget in (self.view, self.show_box, self.show_label):
            widget.setVisible(not empty)
        self.view.resizeColumnsToContents()
        self.view.setColumnWidth(1, min(self.view.columnWidth(1), 320))
        self.view.setColumnWidth(2, min(self.view.columnWidth(2), 520))

    def _clicked(self, index: QModelIndex) -> None:
        problem = self.model.problem(self.proxy.mapToSource(index).row())
        place = locate(problem, self.document.model)
        if place is not None:
            sheet, row, field = place
            self.jump_requested.emit(sheet, -1 if row is None else row, field)
