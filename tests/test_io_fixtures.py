"""Workbooks for the reader tests, written with openpyxl (an independent writer), plus a
check that the minimal workbook is itself valid."""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

import openpyxl

from capacity_planner.io import load_model

Rows = list[list[object]]


def minimal_sheets() -> dict[str, Rows]:
    """A small valid model: two units, two roles, two streams, two periods."""
    return copy.deepcopy({
        "Units": [["unit_id", "name", "kind"], ["SURREY", "Surrey Police", "force"],
                  ["SUSSEX", "Sussex Police", "force"]],
        "Roles": [["role_id", "annual_cost_gbp", "hours_per_fte", "training_months"],
                  ["DC", 60000, 1500, 12], ["ANALYST", 45000, 1600, 6]],
        "Establishment": [["unit_id", "role_id", "funded_fte", "in_post_fte",
                           "in_training_fte", "absent_fte", "abstraction_pct"],
                          ["SURREY", "DC", 6, 3, 1, 0, 10], ["SUSSEX", "DC", 430, 373, 99, 5, 10],
                          ["SUSSEX", "ANALYST", 12, 10, 0, 1, 0]],
        "Streams": [["stream_id", "name", "strand", "weight", "min_service_pct"],
                    ["SOC_INV", "SOC investigation", "pursue", 2, 50],
                    ["INTEL", "Intelligence analysis", "pursue", 1, 0]],
        "Demand": [["unit_id", "stream_id", "period", "hours"],
                   ["SURREY", "SOC_INV", "2025/26", 9000], ["SUSSEX", "SOC_INV", "2025/26", 400000],
                   ["SUSSEX", "INTEL", "2026/27", 15000]],
        "Skills": [["role_id", "stream_id", "efficiency"], ["DC", "SOC_INV", 1],
                   ["ANALYST", "INTEL", 1], ["DC", "INTEL", 0.5]],
        "Periods": [["period", "months"], ["2025/26", 12], ["2026/27", 12]],
        "Scenarios": [["scenario", "parameter", "unit_id", "role_id", "stream_id", "period",
                       "value"], ["Demand up", "demand_change_pct", None, None, None, None, 20]],
    })


def write_book(path: Path, sheets: dict[str, Rows], *, hidden: tuple[str, ...] = (),
               formats: dict[tuple[str, str], str] | None = None) -> Path:
    """An .xlsx with the given sheets in order; ``formats`` maps (sheet, cell) to a number
    format such as ``0%``."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
    for (name, cell), fmt in (formats or {}).items():
        book[name][cell].number_format = fmt
    book.save(path)
    return path


def replace_in_part(path: Path, part: str, old: bytes, new: bytes) -> Path:
    """Rewrite one part of a zip (to craft damaged or hostile workbooks)."""
    with zipfile.ZipFile(path) as zf:
        items = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in items:
            if info.filename == part:
                assert old in data, f"{old!r} not in {part}"
                data = data.replace(old, new)
            zf.writestr(info.filename, data)
    return path


def test_minimal_workbook_is_valid(tmp_path: Path) -> None:
    result = load_model(write_book(tmp_path / "m.xlsx", minimal_sheets()))
    assert result.ok, [str(p) for p in result.problems]
    model = result.model
    assert model is not None
    assert [u.unit_id for u in model.units] == ["SURREY", "SUSSEX"]
    assert model.establishment[1].in_training_fte == 99
    assert model.establishment[1].origin.row == 3
    assert model.scenarios[0].value == 20
