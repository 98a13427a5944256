"""One ``QAbstractTableModel`` for every table of the planning model, driven by its
``TableSpec``: columns, type checks, dropdown choices and defaults all come from the schema.

The model is a view of ``document.model``; edits become commands on the document (so they
undo), and the model follows the document's changes with a targeted ``dataChanged`` when
the rows are the same and a reset when rows come or go.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from capacity_planner.domain import edits
from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.schema import ATTRIBUTE, FieldSpec, TableSpec
from capacity_planner.ui import cells
from capacity_planner.ui.document import Document

SORT_ROLE = Qt.ItemDataRole.UserRole
ERROR_BRUSH = QBrush(QColor("#f8d0cc"))
WARNING_BRUSH = QBrush(QColor("#fbeebb"))
DISABLED_BRUSH = QBrush(QColor("#ececec"))
Index = QModelIndex | QPersistentModelIndex

# Cell switch: (record, field name) -> may this cell be edited (scenario targets, Baseline).
CellFilter = Callable[[object, str], bool]


def header_text(name: str) -> str:
    text = name.replace("_per_gbp_million", " per £m").replace("_pct", " %")
    text = text.replace("_gbp", " (£)").replace("_fte", " FTE")
    text = text.replace("_id", "").replace("_", " ")
    return text[:1].upper() + text[1:]


class RecordTableModel(QAbstractTableModel):
    edit_rejected = Signal(str)  # a type check failed: the message says why

    def __init__(self, document: Document, spec: TableSpec,
                 editable: CellFilter | None = None) -> None:
        super().__init__(document)
        self.document = document
        self.spec = spec
        self.attribute = ATTRIBUTE[spec.sheet]
        self.fields: tuple[FieldSpec, ...] = spec.fields
        self._editable = editable
        self._records: tuple = getattr(document.model, self.attribute)
        document.model_changed.connect(self._follow)
        document.problems_changed.connect(self._problems_changed)

    # ---- following the document ----------------------------------------------------------
    def _follow(self, model: PlanningModel) -> None:
        new = getattr(model, self.attribute)
        old = self._records
        if new is old:
            return
        if len(new) != len(old):
            self.beginResetModel()
            self._records = new
            self.endResetModel()
            return
        self._records = new
        changed = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a is not b]
        if changed:
            self.dataChanged.emit(self.index(changed[0], 0),
                                  self.index(changed[-1], self.columnCount() - 1))

    def _problems_changed(self) -> None:
        if self._records:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self.rowCount() - 1, self.columnCount() - 1),
                                  [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole])

    # ---- Qt model ------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.fields)

    def record(self, row: int) -> Any:
        return self._records[row]

    def column_of(self, field: str) -> int:
        return self.spec.names.index(field)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        if not 0 <= section < len(self.fields):
            return None
        spec = self.fields[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return header_text(spec.name) + (" *" if spec.required else "")
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{spec.name}: {spec.help or spec.kind.value}"
            return tip + (" (required)" if spec.required else "")
        return None

    def _cell_enabled(self, record: object, field: str) -> bool:
        return self._editable is None or self._editable(record, field)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._cell_enabled(self._records[index.row()], self.fields[index.column()].name):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self._records[index.row()]
        spec = self.fields[index.column()]
        value = getattr(record, spec.name)
        if role == Qt.ItemDataRole.DisplayRole:
            return cells.display(value)
        if role == Qt.ItemDataRole.EditRole:
            return cells.edit_text(value)
        if role == SORT_ROLE:
            return cells.sort_key(spec, value)
        if role == Qt.ItemDataRole.TextAlignmentRole and cells.is_number_field(spec):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole):
            return self._problem_data(index.row(), spec, role, record)
        return None

    def _problem_data(self, row: int, spec: FieldSpec, role: int, record: object) -> Any:
        problems = self.document.cell_problems(self.spec.sheet, row, spec.name)
        if role == Qt.ItemDataRole.ToolTipRole:
            if problems:
                return "\n".join(str(p) for p in problems)
            return spec.help or None
        if any(p.is_error for p in problems):
            return ERROR_BRUSH
        if problems:
            return WARNING_BRUSH
        if not self._cell_enabled(record, spec.name):
            return DISABLED_BRUSH
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        if not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        spec = self.fields[index.column()]
        try:
            parsed = cells.parse(spec, value)
        except cells.CellError as exc:
            self.edit_rejected.emit(str(exc))
            return False
        if parsed == getattr(self._records[index.row()], spec.name):
            return True
        self.document.apply(edits.set_cell(self.document.model, self.attribute, index.row(),
                                           spec.name, parsed))
        return True

    # ---- rows and blocks -----------------------------------------------------------------
    def insert_blank(self, row: int, **values: object) -> None:
        row = max(0, min(row, len(self._records)))
        record = cells.blank_record(self.spec, **values)
        self.document.apply(edits.insert_rows(self.document.model, self.attribute, row, [record]))

    def delete(self, rows: Sequence[int]) -> None:
        if rows:
            self.document.apply(edits.delete_rows(self.document.model, self.attribute, rows))

    def paste(self, rows: Sequence[int], first_column: int, block: list[list[str]],
              extra_rows: int = 0, defaults: dict[str, object] | None = None) -> list[str]:
        """Write a block of text cells. ``rows`` are the record indices the block's rows go to;
        ``extra_rows`` more rows are appended as new records. Returns the rejected cells."""
        model = self.document.model
        records = list(getattr(model, self.attribute))
        rejected: list[str] = []
        new_records: list = []
        targets = list(rows) + [len(records) + i for i in range(extra_rows)]
        for r, (target, line) in enumerate(zip(targets, block, strict=False)):
            record = (records[target] if target < len(records)
                      else cells.blank_record(self.spec, **(defaults or {})))
            changes: dict[str, object] = {}
            for c, text in enumerate(line):
                column = first_column + c
                if column >= len(self.fields):
                    break
                spec = self.fields[column]
                if not self._cell_enabled(record, spec.name):
                    continue
                try:
                    changes[spec.name] = cells.parse(spec, text)
                except cells.CellError as exc:
                    rejected.append(f"row {r + 1}, column {c + 1}: {exc}")
            updated = _replace(record, changes)
            if target < len(records):
                records[target] = updated
            else:
                new_records.append(updated)
        new = tuple(records + new_records)
        if new != getattr(model, self.attribute) or new_records:
            self.document.apply(edits.replace_table(model, self.attribute, new,
                                                    f"Paste into {self.spec.sheet}"))
        return rejected


def _replace(record: Any, changes: dict[str, object]) -> Any:
    return replace(record, **changes) if changes else record
