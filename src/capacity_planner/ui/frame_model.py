"""A read-only ``QAbstractTableModel`` over a pandas DataFrame (results tables).

Display text is formatted per column (hours and FTE rounded, percentages, money); the sort
role holds the native value so sorting is numeric.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from capacity_planner.domain.ids import id_key
from capacity_planner.ui.names import Names, display, wrapped
from capacity_planner.ui.table_model import SORT_ROLE, header_text

Index = QModelIndex | QPersistentModelIndex
BREACH_BRUSH = QBrush(QColor("#f8d0cc"))


def _shown(v: float, digits: int) -> float:
    """``v`` as it will be shown, with no ``-0`` (an error of -0.00001 % reads 0.0 %)."""
    return round(v, digits) + 0.0


def format_value(column: str, value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "yes" if value else ""
    if isinstance(value, int | float) or hasattr(value, "dtype"):
        v = float(value)
        if not math.isfinite(v):
            return "∞" if v > 0 else "-∞"
        if column.endswith("_pct"):
            return f"{_shown(v, 1):.1f} %"
        if column.endswith("_gbp") or column.endswith("gbp_million"):
            return f"£{_shown(v, 0):,.0f}" if column.endswith("_gbp") else f"{_shown(v, 2):,.2f}"
        if column.endswith("_fte"):
            return f"{_shown(v, 2):,.2f}"
        if column.endswith("_hours") or column == "hours":
            return f"{_shown(v, 0):,.0f}"
        return f"{v:,.3g}" if abs(v) < 1000 else f"{v:,.0f}"
    return str(value)


class FrameModel(QAbstractTableModel):
    def __init__(self, frame: pd.DataFrame | None = None, parent: Any = None,
                 shade_column: str = "") -> None:
        super().__init__(parent)
        self._frame = frame if frame is not None else pd.DataFrame()
        self._columns: list[str] = [str(c) for c in self._frame.columns]
        self._values: list[list[Any]] = self._frame.to_numpy(dtype=object).tolist()
        self.shade_column = shade_column
        self.names: Names = {}
        self.header_names: dict[str, str] = {}  # id_key(column) -> header (a pivot's IDs)

    def set_names(self, names: Names, header_names: dict[str, str] | None = None) -> None:
        """Show names for IDs (``names``: column -> id_key -> name); the ID stays in the
        tooltip and the frame keeps the IDs."""
        self.beginResetModel()
        self.names = names
        self.header_names = header_names or {}
        self.endResetModel()

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self._frame = frame
        self._columns = [str(c) for c in frame.columns]
        self._values = frame.to_numpy(dtype=object).tolist()
        self.endResetModel()

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._values)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            column = self._columns[section]
            named = self.header_names.get(id_key(column))
            return wrapped(named) if named else header_text(column)
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self._values[index.row()][index.column()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if self.shade_column == "*" and not isinstance(value, str):
                text = format_value("_pct", value)  # a table of percentages (a pivot)
                return text or "–"
            if isinstance(value, str) and column in self.names:
                return display(self.names, column, value)
            return format_value(column, value)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(column, value)
        if role == SORT_ROLE:
            if isinstance(value, str):
                return display(self.names, column, value).casefold()
            try:
                v = float(value)
            except (TypeError, ValueError):
                return str(value)
            return v if math.isfinite(v) else -math.inf
        if role == Qt.ItemDataRole.TextAlignmentRole and not isinstance(value, str):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(index.row(), column, value)
        return None

    def _tooltip(self, column: str, value: Any) -> str | None:
        if isinstance(value, str) and column in self.names:
            shown = display(self.names, column, value)
            return f"{shown} ({value})" if shown != value else value
        if isinstance(value, str) and len(value) > 40:
            return value  # long text (an explanation) is cut in the cell: all of it here
        return None

    def _background(self, row: int, column: str, value: Any) -> Any:
        if "breach" in self._columns and bool(self._values[row][self._columns.index("breach")]):
            return BREACH_BRUSH
        if (self.shade_column == "*" and not isinstance(value, str)) or column == self.shade_column:
            try:
                v = float(value)
            except (TypeError, ValueError):
                return None
            if not math.isfinite(v):
                return None
            # white at 100 % coverage to a strong red at 0 %, readable in greyscale too
            share = max(0.0, min(1.0, v / 100.0))
            return QBrush(QColor(255, int(150 + 105 * share), int(140 + 115 * share)))
        return None
