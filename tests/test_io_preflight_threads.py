"""Pre-flight checks the sheets in worker threads, and its verdict is the one a check of
one sheet after another gives: the first refused sheet in tab order is the one reported
whichever thread finishes first, sheets are vouched for in tab order and only up to the
first refused one, and a refusal after vouches closes the reader's prefetch. Crafted
files, and the South East sample compared with the one-thread check and with a scan of
each sheet made here directly."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from capacity_planner.io import preflight as preflight_module
from capacity_planner.io import reader_xlsx
from capacity_planner.io.preflight import MAX_CELLS, Preflight, preflight
from capacity_planner.io.reader import check_workbook
from capacity_planner.io.reader_prefetch import Prefetch
from capacity_planner.io.samples import south_east_model
from capacity_planner.io.writer import save_model
from test_io_fixtures import minimal_sheets, replace_in_part, write_book

Rows = list[list[object]]


def _part(path: Path, name: str) -> str:
    return next(s.part for s in preflight(path).sheets if s.name == name)


def _big(rows: int) -> Rows:
    return [[f"r{i}", i, i * 2, "text", 0.5] for i in range(1, rows + 1)]


def _refuse_big(path: Path, sheet: str) -> None:
    """A cell of ``sheet`` (20,000 rows, over 256 KB: the vectorised scan) moved to
    Z900000: 23.4 million cells from A1, found only once the whole part is inflated."""
    replace_in_part(path, _part(path, sheet), b'<c r="A4000" ', b'<c r="Z900000" ')


def _refuse_small(path: Path, sheet: str) -> None:
    """The first cell of a small ``sheet`` moved past the last row Excel allows."""
    replace_in_part(path, _part(path, sheet), b'<c r="A1" ', b'<c r="A9000000" ')


def _verdict(checked: Preflight) -> tuple[object, ...]:
    return (checked.kind, [str(p) for p in checked.problems], checked.isolate,
            checked.scans, checked.inflated, checked.sheets)


def _sequential(monkeypatch: pytest.MonkeyPatch, path: Path) -> tuple[Preflight, list[str]]:
    """Pre-flight with one worker: the sheets checked strictly one after another."""
    vouched: list[str] = []
    with monkeypatch.context() as patch:
        patch.setattr(preflight_module, "SHEET_WORKERS", 1)
        return preflight(path, None, vouched.append), vouched


def test_the_first_refused_sheet_in_tab_order_is_reported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Big (about 1 MB of XML) comes before Tiny (one cell) and both would be refused.
    Tiny's thread finishes long before Big's, yet Big's refusal is the one reported, the
    scans are those of the sheets before Big, and the sheets vouched for are exactly the
    tabs before Big, as when one sheet is checked after another. Five runs."""
    sheets = minimal_sheets()
    sheets["Big"] = _big(20_000)
    sheets["Tiny"] = [["x"]]
    path = write_book(tmp_path / "m.xlsx", sheets)
    _refuse_big(path, "Big")
    _refuse_small(path, "Tiny")
    before = list(minimal_sheets())
    expected, expected_vouched = _sequential(monkeypatch, path)
    assert [p.where.sheet for p in expected.problems if p.is_error] == ["Big"]
    assert expected_vouched == before and list(expected.scans) == before
    for _ in range(5):
        vouched: list[str] = []
        checked = preflight(path, None, vouched.append)
        assert not checked.ok
        errors = [p for p in checked.problems if p.is_error]
        assert len(errors) == 1 and errors[0].where.sheet == "Big", errors
        assert errors[0].code == "dimension" and "A1:Z900000" in errors[0].message
        assert vouched == before
        assert _verdict(checked) == _verdict(expected)


def test_a_refused_model_sheet_after_vouches_closes_the_prefetch(tmp_path: Path) -> None:
    """Demand (20,000 rows) and Skills (after it) are both refused; the model sheets before
    Demand were vouched for and their parses started, then the file is refused for
    Demand (not Skills) and the prefetch is closed, its parses dropped."""
    sheets = minimal_sheets()
    sheets["Demand"] = sheets["Demand"][:1] + _big(20_000)
    path = write_book(tmp_path / "m.xlsx", sheets)
    _refuse_big(path, "Demand")
    _refuse_small(path, "Skills")
    ahead = Prefetch(path)
    checked = check_workbook(path, None, ahead)
    assert not checked.ok
    errors = [p for p in checked.problems if p.is_error]
    assert [(p.where.sheet, p.code) for p in errors] == [("Demand", "dimension")]
    assert ahead.started == ["Units", "Roles", "Establishment", "Streams"]
    assert ahead.closed and ahead.take("Units") is None


def test_the_south_east_sample_is_checked_as_one_sheet_after_another(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample saved by the writer: the verdict equals the one-thread check's, every
    sheet is vouched for in tab order, and each scan equals ``scan_sheet`` run here on
    the sheet's part as ``zipfile`` inflates it."""
    path = tmp_path / "south_east.xlsx"
    save_model(south_east_model(), path)
    expected, expected_vouched = _sequential(monkeypatch, path)
    vouched: list[str] = []
    checked = preflight(path, None, vouched.append)
    assert checked.ok and not checked.isolate
    assert _verdict(checked) == _verdict(expected)
    names = [s.name for s in checked.sheets]
    assert vouched == expected_vouched == names and len(names) >= 8
    with zipfile.ZipFile(path) as zf:
        pct = reader_xlsx.percent_styles(zf)
        for sheet in checked.sheets:
            scan = reader_xlsx.scan_sheet(zf.read(sheet.part), pct, MAX_CELLS)
            assert checked.scans[sheet.name] == scan, sheet.name
