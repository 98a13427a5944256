"""The formulas of a sheet outside the model (``.xlsx``), so that saving keeps them.

calamine reads each formula cell's last calculated value; openpyxl, in read-only mode
(one sheet, row by row, nothing else of the workbook loaded but its strings and styles),
gives the formula itself, shared formulas translated to each cell. Array formulas are
not kept (they are written back as values, and the reader says so). Only a sheet that
pre-flight has scanned, and that holds a formula, is read here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

Cell = tuple[int, int]  # 0-based row and column


@dataclass
class SheetFormulas:
    formulas: dict[Cell, str] = field(default_factory=dict)  # "=..." by cell
    arrays: int = 0  # array formulas, not kept


class FormulaBook:
    """The formulas of a workbook's sheets, sheet by sheet, through one openpyxl handle
    opened on the first sheet asked for (its strings and styles are read once however
    many sheets hold formulas). ``close`` when done."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = path
        self._book: Any = None

    def sheet(self, name: str) -> SheetFormulas:
        """The formulas of ``name`` by cell (raises on a damaged file: the caller reports)."""
        if self._book is None:
            import openpyxl  # only a workbook with formulas outside the model needs it

            self._book = openpyxl.load_workbook(self.path, read_only=True, data_only=False,
                                                keep_links=False)
        out = SheetFormulas()
        for row in self._book[name].iter_rows():
            for cell in row:
                if getattr(cell, "data_type", None) != "f":
                    continue
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    out.formulas[cell.row - 1, cell.column - 1] = cell.value
                else:
                    out.arrays += 1
        return out

    def close(self) -> None:
        if self._book is not None:
            self._book.close()
            self._book = None
