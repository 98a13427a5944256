"""A table page: filter box, sortable view, add/delete rows, copy to and paste from Excel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from capacity_planner.domain.ids import id_key
from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.scenario import OBJECTIVES
from capacity_planner.domain.schema import Kind, TableSpec
from capacity_planner.ui import cells
from capacity_planner.ui.document import Document
from capacity_planner.ui.table_model import SORT_ROLE, CellFilter, RecordTableModel

Index = QModelIndex | QPersistentModelIndex


def known_ids(model: PlanningModel, table: str) -> list[str]:
    """The IDs a reference column may hold, in table order."""
    if table == "Units":
        return [u.unit_id for u in model.units]
    if table == "Roles":
        return [r.role_id for r in model.roles]
    if table == "Streams":
        return [s.stream_id for s in model.streams]
    if table == "Periods":
        return [p.period for p in model.plan_periods]
    return []


class CellDelegate(QStyledItemDelegate):
    """Dropdowns for choice columns and for references to other tables' IDs."""

    def __init__(self, table: RecordTableModel, proxy: QSortFilterProxyModel) -> None:
        super().__init__(table)
        self.table = table
        self.proxy = proxy

    def _options(self, index: Index) -> tuple[list[str], bool] | None:
        source = self.proxy.mapToSource(self.proxy.index(index.row(), index.column()))
        spec = self.table.fields[source.column()]
        if spec.name == "value" and self.table.spec.sheet == "Scenarios":
            parameter = id_key(self.table.record(source.row()).parameter)
            if parameter == "objective":
                return list(OBJECTIVES), False
            if parameter == "whole_posts":
                return ["0", "1"], False
            return None
        if spec.kind is Kind.ENUM:
            return list(cells.choices(spec)), False
        if spec.refers_to:
            ids = known_ids(self.table.document.model, spec.refers_to)
            return ([""] if not spec.required else []) + ids, True
        return None

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        options = self._options(index)
        if options is None:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setEditable(options[1])
        combo.addItems(options[0])
        if options[1] and "" in options[0]:
            combo.setItemText(0, "")
            combo.setToolTip("Blank means all")
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            text = str(index.data(Qt.ItemDataRole.EditRole) or "")
            position = editor.findText(text, Qt.MatchFlag.MatchFixedString)
            if position >= 0:
                editor.setCurrentIndex(position)
            elif editor.isEditable():
                editor.setEditText(text)
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


class TablePage(QWidget):
    message = Signal(str)  # for the status bar

    def __init__(self, document: Document, spec: TableSpec, editable: CellFilter | None = None,
                 proxy: QSortFilterProxyModel | None = None,
                 new_row: Callable[[], dict[str, object]] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.spec = spec
        self.new_row = new_row
        self.table = RecordTableModel(document, spec, editable)
        self.table.edit_rejected.connect(self.message)
        self.proxy = proxy or QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.table)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)

        self.filter = QLineEdit(placeholderText=f"Filter {spec.sheet.lower()}…")
        self.filter.setClearButtonEnabled(True)
        self.filter.setToolTip("Show only rows containing this text (any column)")
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.add_button = QPushButton("Add row")
        self.add_button.setToolTip("Insert a new row below the current one (Ctrl+Shift+=)")
        self.add_button.clicked.connect(self.add_row)
        self.delete_button = QPushButton("Delete rows")
        self.delete_button.setToolTip("Delete the selected rows (Ctrl+Shift+-)")
        self.delete_button.clicked.connect(self.delete_rows)
        self.count = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.count)
        bar.addWidget(self.add_button)
        bar.addWidget(self.delete_button)

        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(CellDelegate(self.table, self.proxy))
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.horizontalHeader().setStretchLastSection(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.horizontalHeader().setResizeContentsPrecision(60)
        self.view.verticalHeader().setResizeContentsPrecision(60)
        self._add_actions()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.proxy.modelReset.connect(self._update_count)
        self.table.modelReset.connect(self.view.resizeColumnsToContents)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self._update_count()
        self.view.resizeColumnsToContents()

    def _add_actions(self) -> None:
        for text, keys, slot in (
                ("Copy", QKeySequence.StandardKey.Copy, self.copy_selection),
                ("Paste", QKeySequence.StandardKey.Paste, self.paste_clipboard),
                ("Add row", QKeySequence("Ctrl+Shift+="), self.add_row),
                ("Delete rows", QKeySequence("Ctrl+Shift+-"), self.delete_rows)):
            action = QAction(text, self.view)
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.view.addAction(action)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def _update_count(self, *_: object) -> None:
        shown, total = self.proxy.rowCount(), self.table.rowCount()
        self.count.setText(f"{total} rows" if shown == total else f"{shown} of {total} rows")

    # ---- rows -------------------------------------------------------------------------------
    def _selected_source_rows(self) -> list[int]:
        rows = {self.proxy.mapToSource(i).row() for i in self.view.selectionModel().selectedIndexes()}
        return sorted(rows)

    def add_row(self) -> None:
        current = self.proxy.mapToSource(self.view.currentIndex())
        row = current.row() + 1 if current.isValid() else self.table.rowCount()
        values = self.new_row() if self.new_row else {}
        self.table.insert_blank(row, **values)
        self.select_cell(row, self.spec.fields[0].name)

    def delete_rows(self) -> None:
        rows = self._selected_source_rows()
        if rows:
            self.table.delete(rows)
            self.message.emit(f"Deleted {len(rows)} row{'s' if len(rows) != 1 else ''}")

    def select_cell(self, row: int, field: str = "") -> None:
        """Show and select a cell by record index and field (a Problems panel jump)."""
        column = self.table.column_of(field) if field in self.spec.names else 0
        source = self.table.index(row, column)
        target = self.proxy.mapFromSource(source)
        if not target.isValid() and self.filter.text():
            self.filter.clear()
            target = self.proxy.mapFromSource(source)
        if target.isValid():
            self.view.setCurrentIndex(target)
            self.view.scrollTo(target, QAbstractItemView.ScrollHint.PositionAtCenter)
            self.view.setFocus()

    # ---- clipboard -------------------------------------------------------------------------
    def selection_text(self) -> str:
        """The selected cells as tab-separated lines, as Excel copies them."""
        indexes = self.view.selectionModel().selectedIndexes()
        if not indexes:
            return ""
        rows = sorted({i.row() for i in indexes})
        columns = sorted({i.column() for i in indexes})
        chosen = {(i.row(), i.column()) for i in indexes}
        lines = []
        for r in rows:
            lines.append("\t".join(str(self.proxy.index(r, c).data() or "")
                                   if (r, c) in chosen else "" for c in columns))
        return "\n".join(lines)

    def copy_selection(self) -> None:
        text = self.selection_text()
        if text:
            QGuiApplication.clipboard().setText(text)

    def paste_clipboard(self) -> None:
        self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> list[str]:
        """Paste a tab-separated block at the current cell; rows past the end are added."""
        block = [line.split("\t") for line in text.replace("\r\n", "\n").rstrip("\n").split("\n")]
        if not text.strip():
            return []
        current = self.view.currentIndex()
        top = current.row() if current.isValid() else self.proxy.rowCount()
        source_column = self.proxy.mapToSource(current).column() if current.isValid() else 0
        shown = self.proxy.rowCount()
        rows = [self.proxy.mapToSource(self.proxy.index(r, 0)).row()
                for r in range(top, min(shown, top + len(block)))]
        extra = len(block) - len(rows)
        rejected = self.table.paste(rows, source_column, block, extra,
                                    self.new_row() if self.new_row else None)
        pasted = len(block) * max(len(line) for line in block) - len(rejected)
        text_out = f"Pasted {pasted} cell{'s' if pasted != 1 else ''}"
        if rejected:
            text_out += f"; {len(rejected)} rejected: " + "; ".join(rejected[:3])
        self.message.emit(text_out)
        return rejected
