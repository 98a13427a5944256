"""The optional ``Actuals`` sheet in (and out again with an adjusted model, as one of the
model's ``other_sheets``).

Read with the planning workbook's own reader (pre-flight, sheets by name, lenient
headers, numbers as text, error cells and totals rows as problems), so actuals obey the
same rules as every other table. Every problem names file, sheet, Excel row and column.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace

from capacity_planner.domain.actuals import ACTUALS, ActualRow, check_actuals
from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.problems import Location, Problem, error
from capacity_planner.io.preflight import Preflight
from capacity_planner.io.reader import check, damaged, in_child, open_checked
from capacity_planner.io.reader_headers import sheet_key
from capacity_planner.io.reader_sheets import read_table
from capacity_planner.io.writer import save_model


def is_actuals_sheet(name: str) -> bool:
    return sheet_key(name) == sheet_key(ACTUALS.sheet)


def read_actuals(path: str | os.PathLike[str], model: PlanningModel | None = None
                 ) -> tuple[list[ActualRow], list[Problem]]:
    """The Actuals sheet of ``path`` (a planning workbook or a file of its own). With a
    model, rows are also checked against it (unknown unit, stream or period, duplicates).
    Never raises for a bad file; a missing sheet is an error (calibration needs it). A
    file that pre-flight marks ``isolate`` is read in a memory-limited child process, as
    ``load_model`` reads (``reader.in_child``)."""
    checked = check(path, is_actuals_sheet)
    if checked.ok and checked.isolate:
        found, problems = in_child(read_actuals_here, path, reason=checked.isolate)
        rows: list[ActualRow] = list(found) if isinstance(found, list) else []
    else:
        rows, problems = read_actuals_here(path, checked)
    if model is not None and rows:
        problems.extend(check_actuals(model, rows))
    return rows, problems


def read_actuals_here(path: str | os.PathLike[str], checked: Preflight | None = None
                      ) -> tuple[list[ActualRow], list[Problem]]:
    """``read_actuals`` without a model, in this process whatever pre-flight says about
    isolation (what the child process runs)."""
    file = str(path)
    source, problems = open_checked(path, is_actuals_sheet, checked)
    if source is None:
        return [], problems
    try:
        names = [n for n in source.names if is_actuals_sheet(n)]
        if source.kind == "csv":
            names = source.names
        if not names:
            return [], [*problems, error(
                "No Actuals sheet: calibration needs what was delivered, by unit, stream "
                "and period", Location(file=file),
                expected="a sheet Actuals with unit_id, stream_id, period, delivered_hours",
                code="missing_sheet")]
        sheet = names[0]
        read = read_table(source.grid(sheet), ACTUALS, file=file, sheet=sheet,
                          marks=source.marks(sheet))
    except Exception as exc:  # noqa: BLE001 - any reader failure is one problem
        return [], [*problems, damaged(path, exc)]
    finally:
        source.close()
    problems.extend(p for p in read.problems if p.code != "unknown_column")
    rows: list[ActualRow] = list(read.records)  # type: ignore[arg-type]
    if not rows and not any(p.is_error for p in problems):
        problems.append(error("The Actuals sheet has no rows", Location(file=file,
                                                                         sheet=sheet)))
    return rows, problems


def with_actuals(model: PlanningModel, actuals: Sequence[ActualRow]) -> PlanningModel:
    """``model`` whose Actuals sheet (one of ``other_sheets``) holds ``actuals``: in the
    place of the workbook's own Actuals sheet, or after the other sheets."""
    grid = (ACTUALS.names, *((a.unit_id, a.stream_id, a.period, a.delivered_hours)
                             for a in actuals))
    others: dict[str, tuple[tuple[object, ...], ...]] = {}
    for name, rows in model.other_sheets.items():
        if not is_actuals_sheet(name):
            others[name] = rows
        elif ACTUALS.sheet not in others:
            others[ACTUALS.sheet] = grid
    others.setdefault(ACTUALS.sheet, grid)
    return replace(model, other_sheets=others,
                   hidden_sheets=model.hidden_sheets - {ACTUALS.sheet},
                   very_hidden_sheets=model.very_hidden_sheets - {ACTUALS.sheet})


def save_model_with_actuals(model: PlanningModel, actuals: Sequence[ActualRow],
                            path: str | os.PathLike[str]) -> None:
    """The planning workbook with ``actuals`` as its Actuals sheet (``writer.save_model``,
    atomic), so a calibrated model keeps the evidence it was calibrated against."""
    save_model(with_actuals(model, actuals), path)
