"""The open data and Actuals readers honour pre-flight's ``isolate``: a file pre-flight
cannot vouch for in this process (here a sheet whose extent spans more cells than
``IN_PROCESS_CELLS``, from one stray formatted cell far away) is parsed in the
memory-limited child process, and the read still succeeds there, or is refused with a
reason that names the file."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from capacity_planner.domain.actuals import ACTUALS
from capacity_planner.io.actuals import is_actuals_sheet, read_actuals
from capacity_planner.io.opendata import COLUMNS, is_data_sheet, read_open_data
from capacity_planner.io.preflight import IN_PROCESS_CELLS, MAX_CELLS, preflight
from capacity_planner.io.samples import south_east_model

FAR_ROW, FAR_COLUMN = 60_000, 20  # 1,200,000 cells from A1: isolated, not refused


def _book(path: Path, sheet: str, rows: list[list[object]]) -> Path:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(row)
    ws.cell(row=FAR_ROW, column=FAR_COLUMN, value="")  # a stray formatted cell far away
    ws.cell(row=FAR_ROW, column=FAR_COLUMN).number_format = "0.00"
    book.save(path)
    return path


def test_the_stray_cell_makes_preflight_isolate_not_refuse() -> None:
    assert IN_PROCESS_CELLS < FAR_ROW * FAR_COLUMN <= MAX_CELLS


def test_open_data_marked_isolate_is_read_in_the_child(tmp_path: Path) -> None:
    """Two Hampshire officer lines (3.5 and 1.25 FTE, Female and Male) sum to 4.75."""
    rows: list[list[object]] = [list(COLUMNS.values()),
                                [2025, "E23000030", "Hampshire", "South East", "Female",
                                 "Constable", "Police Officer", 4, 3.5],
                                [2025, "E23000030", "Hampshire", "South East", "Male",
                                 "Constable", "Police Officer", 2, 1.25]]
    path = _book(tmp_path / "open data.xlsx", "Data", rows)
    assert preflight(path, is_data_sheet).isolate
    read = read_open_data(path)
    assert read.ok, read.problems
    assert "isolated" in {p.code for p in read.problems}
    assert read.table is not None and read.table.years == [2025]
    assert read.table.fte_by_force(2025).loc["Hampshire", "Total"] == 4.75
    assert list(read.table.frame["row"]) == [2, 3]


def test_open_data_refused_in_the_child_names_the_file_and_the_reason(tmp_path: Path
                                                                      ) -> None:
    path = _book(tmp_path / "not open data.xlsx", "Data", [["Name", "Value"], ["a", 1]])
    read = read_open_data(path)
    assert read.table is None and not read.ok
    assert "isolated" in {p.code for p in read.problems}
    refused = [p for p in read.problems if p.is_error]
    assert [p.message for p in refused] == [
        "No header row with the open data columns in the first 20 rows"]
    assert refused[0].where.file == path.name and refused[0].where.sheet == "Data"


def test_actuals_marked_isolate_are_read_in_the_child_and_checked(tmp_path: Path) -> None:
    """Three rows: two valid, one naming a unit the model lacks (an error at row 4)."""
    model = south_east_model()
    unit, stream = model.units[0].unit_id, model.streams[0].stream_id
    period = next(iter(model.period_index))
    rows: list[list[object]] = [list(ACTUALS.names), [unit, stream, period, 120.0],
                                [unit, model.streams[1].stream_id, period, 80.5],
                                ["NOWHERE", stream, period, 5.0]]
    path = _book(tmp_path / "actuals.xlsx", "Actuals", rows)
    assert preflight(path, is_actuals_sheet).isolate
    actuals, problems = read_actuals(path, model)
    assert "isolated" in {p.code for p in problems}
    assert [a.delivered_hours for a in actuals] == [120.0, 80.5, 5.0]
    errors = [p for p in problems if p.is_error]
    assert [(p.where.file, p.where.sheet, p.where.row) for p in errors] == [
        (str(path), "Actuals", 4)]


def test_actuals_refused_in_the_child_names_the_file_and_sheet(tmp_path: Path) -> None:
    path = _book(tmp_path / "plan.xlsx", "Actuals", [list(ACTUALS.names)])
    assert preflight(path, is_actuals_sheet).isolate
    actuals, problems = read_actuals(path, south_east_model())
    assert actuals == []
    assert "isolated" in {p.code for p in problems}
    assert [(p.message, p.where.file, p.where.sheet) for p in problems if p.is_error] == [
        ("The Actuals sheet has no rows", str(path), "Actuals")]
