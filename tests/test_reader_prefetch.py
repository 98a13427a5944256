"""Sheets parsed ahead in background threads (``io.reader_prefetch``): the same cells as
a direct read, started only for model sheets pre-flight has vouched for, and dropped
when pre-flight refuses the file or sends it to the memory-limited child."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from capacity_planner.io import load_model
from capacity_planner.io.reader import check, check_workbook, open_checked
from capacity_planner.io.reader_prefetch import Prefetch
from capacity_planner.io.samples import south_east_model
from capacity_planner.io.writer import save_model
from corpus import far_cell, minimal_sheets, xlsx_book

MODEL_SHEETS = {"Units", "Roles", "Establishment", "Streams", "Demand", "Skills",
                "Sharing", "Periods", "Scenarios", "Notes"}


def _sample_with_scratch(path: Path) -> Path:
    save_model(south_east_model(), path)
    book = load_workbook(path)
    book.create_sheet("Scratch").append(["a planner's own sheet", 1])
    book.save(path)
    return path


def test_model_sheets_start_during_preflight_and_others_do_not(tmp_path: Path) -> None:
    """Pre-flight starts each model sheet it has proved safe; Scratch is not a model
    sheet, so it is read later, in order, by the reader that keeps other sheets."""
    path = _sample_with_scratch(tmp_path / "se.xlsx")
    ahead = Prefetch(path)
    checked = check_workbook(path, None, ahead)
    try:
        assert checked.ok and not checked.isolate
        assert set(ahead.started) == MODEL_SHEETS & set(checked.scans)
        assert "Scratch" in checked.scans and "Scratch" not in ahead.started
    finally:
        ahead.close()


def test_prefetched_grids_equal_a_direct_read(tmp_path: Path) -> None:
    path = _sample_with_scratch(tmp_path / "se.xlsx")
    ahead = Prefetch(path, workers=2)
    checked = check_workbook(path, None, ahead)
    source, problems = open_checked(path, None, check(path, None))
    assert source is not None, problems
    try:
        for name in ahead.started:
            assert ahead.take(name) == source.grid(name), name
        assert ahead.take("Units") is None  # taken once; then the reader reads directly
    finally:
        source.close()
        ahead.close()
    assert checked.ok


def test_a_refused_sheet_is_never_started_and_the_rest_are_dropped(tmp_path: Path) -> None:
    """Units holds a cell at XFD1048576 (calamine would abort the process allocating
    512 GiB): pre-flight refuses the file, so nothing may be parsed."""
    path = far_cell(tmp_path)
    ahead = Prefetch(path)
    checked = check_workbook(path, None, ahead)
    assert not checked.ok
    assert "Units" not in ahead.started  # sheet1, the refused one
    assert ahead.closed and ahead.take("Roles") is None


def test_a_file_for_the_child_drops_what_was_started(tmp_path: Path) -> None:
    """A stray formatted cell at T60000 (1.2 million cells from A1) in the last sheet
    makes pre-flight send the file to the child: sheets started before it are dropped,
    and the read (in the child) still finds the model."""
    sheets = minimal_sheets()
    sheets["Notes"] = [["text"], ["from the prefetch test"]]
    path = xlsx_book(tmp_path / "stray.xlsx", sheets)
    book = load_workbook(path)
    book["Notes"].cell(row=60_000, column=20).number_format = "0.00"
    book.save(path)
    ahead = Prefetch(path)
    checked = check_workbook(path, None, ahead)
    assert checked.ok and checked.isolate
    assert ahead.closed and all(ahead.take(name) is None for name in ahead.started)
    read = load_model(path)
    assert read.model is not None and any(p.code == "isolated" for p in read.problems)
    assert [n.text for n in read.model.notes] == ["from the prefetch test"]


def test_ready_and_wait_any_report_finished_parses(tmp_path: Path) -> None:
    """``wait_any`` returns a sheet whose parse has finished (so ``ready`` holds for it);
    a sheet never started is ready at once, being read directly when taken."""
    path = _sample_with_scratch(tmp_path / "se.xlsx")
    ahead = Prefetch(path, workers=1)
    try:
        ahead.start("Demand")
        ahead.start("Units")
        first = ahead.wait_any(["Units", "Demand"])
        assert first in ("Units", "Demand") and ahead.ready(first)
        assert ahead.ready("Roles") and ahead.wait_any(["Roles", "Demand"]) == "Roles"
        assert ahead.take(first) is not None and ahead.ready(first)
    finally:
        ahead.close()


def test_problems_come_in_table_order_whatever_sheet_is_parsed_first(tmp_path: Path) -> None:
    """Tables are converted in the order their sheets finish parsing, but the reader
    reports their problems in the model's table order: the blank unit_id in Units row 2
    before the funded_fte "lots" in Establishment row 3, in every run."""
    path = _sample_with_scratch(tmp_path / "bad.xlsx")
    book = load_workbook(path)
    book["Units"]["A2"] = None
    book["Establishment"]["C3"] = "lots"
    book.save(path)
    for _ in range(5):
        read = load_model(path)
        found = [(p.where.sheet, p.where.row, p.where.column, p.code)
                 for p in read.problems if p.is_error]
        assert found[:2] == [("Units", 2, "unit_id", "missing_value"),
                             ("Establishment", 3, "funded_fte", "not_a_number")], found
