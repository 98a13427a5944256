"""Validation problems as values: each knows where it is (file, sheet, row, column).

Problems travel up to the edge of the program; the CLI prints them and the ui lists them
and jumps to the cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from capacity_planner.domain.bulk import bulk


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a value came from. ``row`` is the Excel row number (1-based, header counted);
    ``index`` is the 0-based position of the record in its table (for the ui)."""

    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    index: int | None = None

    def describe(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Problem:
    severity: Severity
    message: str
    where: Location = Location()
    value: object = None
    expected: str = ""
    code: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def at(self, **changes: object) -> Problem:
        """The same problem at another place (for example with the file name filled in)."""
        return replace(self, where=replace(self.where, **changes))  # type: ignore[arg-type]

    def __str__(self) -> str:
        text = f"{self.severity.value}: "
        where = self.where.describe()
        if where:
            text += f"{where}: "
        text += self.message
        if self.value is not None and self.value != "":
            text += f" (found {self.value!r}"
            text += f"; expected {self.expected})" if self.expected else ")"
        elif self.expected:
            text += f" (expected {self.expected})"
        return text


def error(message: str, where: Location = Location(), value: object = None,
          expected: str = "", code: str = "") -> Problem:
    return _problem(Severity.ERROR, message, where, value, expected, code)  # type: ignore[no-any-return]


def warning(message: str, where: Location = Location(), value: object = None,
            expected: str = "", code: str = "") -> Problem:
    return _problem(Severity.WARNING, message, where, value, expected, code)  # type: ignore[no-any-return]


def note(message: str, where: Location = Location(), value: object = None,
         expected: str = "", code: str = "") -> Problem:
    return _problem(Severity.NOTE, message, where, value, expected, code)  # type: ignore[no-any-return]


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.is_error for p in problems)


_problem = bulk(Problem)  # a large model can have thousands of problems: made as records are
