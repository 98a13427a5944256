"""The planning workbook writer: canonical sheets and headers, frozen headers, widths, text
never written as a formula, unknown columns and notes kept, refusal of other formats."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from capacity_planner.domain.entities import (
    DemandRow,
    EstablishmentRow,
    NoteRow,
    Period,
    Role,
    ScenarioRow,
    Stream,
    Unit,
)
from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.schema import TABLES
from capacity_planner.io.atomic import backup_path
from capacity_planner.io.writer import save_model

NASTY = ["=1+1", "+44 20 7946 0000", "-1 team", "@SUM(A1)", "\tindented", "\rreturn",
         "\nnewline", "=HYPERLINK(\"http://x\")", "00123"]


def _model() -> PlanningModel:
    return PlanningModel(
        units=(*(Unit(f"U{i}", name) for i, name in enumerate(NASTY)), Unit("00123", "Zero")),
        roles=(Role("DC", 60_000, 1_238, "Detective constable", attrition_pct=6.2),),
        establishment=(EstablishmentRow("U0", "DC", 10, 9, 1, 0, 25, None),),
        streams=(Stream("SOC", "=cmd|' /C calc'!A0", "pursue", 3, 70),),
        demand=(DemandRow("U0", "SOC", "2026/27 Q1", 1_500.5),
                DemandRow("U0", "SOC", "2026/27 Q2", 1_600, weight=2, min_service_pct=50)),
        periods=(Period("2026/27 Q1", 3), Period("2026/27 Q2", 3)),
        scenarios=(ScenarioRow("Bid", "objective", "min_cost"),
                   ScenarioRow("Bid", "budget_gbp", 250_000)),
        notes=(NoteRow("=not a formula"), NoteRow("Source: HMICFRS")),
        extra_columns={"Units": {"Comment": ["a", None, 3] + [None] * 7},
                       "Demand": {"Owner": ["DI Smith", "=A1"]}},
    )


def test_every_sheet_with_canonical_headers_in_schema_order(tmp_path: Path) -> None:
    path = tmp_path / "model.xlsx"
    save_model(_model(), path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [t.sheet for t in TABLES]  # Sharing empty but present
    for spec in TABLES:
        sheet = book[spec.sheet]
        headers = [c.value for c in sheet[1]]
        assert headers[: len(spec.names)] == list(spec.names)
        assert sheet.freeze_panes == "A2"
    assert [c.value for c in book["Units"][1]][-1] == "Comment"
    assert [c.value for c in book["Demand"][1]][-1] == "Owner"
    widths = book["Units"].column_dimensions
    assert widths["B"].width > widths["A"].width >= 9  # names are wider than IDs


def test_empty_periods_sheet_is_left_out(tmp_path: Path) -> None:
    path = tmp_path / "model.xlsx"
    model = PlanningModel(units=(Unit("A"),), roles=(Role("DC", 1, 1),))
    save_model(model, path)
    assert "Periods" not in openpyxl.load_workbook(path).sheetnames


def test_text_is_never_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "model.xlsx"
    save_model(_model(), path)
    # calamine (the reader's engine) decodes the _x000D_ escape a CR needs in XML;
    # openpyxl leaves it encoded, so the strings are compared through calamine.
    units = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Units").to_python()
    assert [row[1] for row in units[1:]][: len(NASTY)] == NASTY
    book = openpyxl.load_workbook(path)
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    assert book["Streams"]["B2"].value == "=cmd|' /C calc'!A0"
    assert book["Notes"]["A2"].value == "=not a formula"
    assert book["Demand"]["G3"].value == "=A1" and book["Demand"]["G3"].data_type == "s"
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(re.search(rb"<f[ >]", z.read(n)) for n in sheets)


def test_values_and_blanks(tmp_path: Path) -> None:
    path = tmp_path / "model.xlsx"
    save_model(_model(), path)
    book = openpyxl.load_workbook(path)
    est = [c.value for c in book["Establishment"][2]]
    assert est == ["U0", "DC", 10, 9, 1, 0, 25, None]  # training_months_left None: blank
    demand = [[c.value for c in row] for row in book["Demand"].iter_rows(min_row=2)]
    assert demand == [["U0", "SOC", "2026/27 Q1", 1500.5, None, None, "DI Smith"],
                      ["U0", "SOC", "2026/27 Q2", 1600, 2, 50, "=A1"]]
    assert book["Units"]["A11"].value == "00123" and book["Units"]["A11"].data_type == "s"
    scenarios = [[c.value for c in row] for row in book["Scenarios"].iter_rows(min_row=2)]
    assert scenarios == [["Bid", "objective", None, None, None, None, "min_cost"],
                         ["Bid", "budget_gbp", None, None, None, None, 250000]]
    assert [r[0].value for r in book["Notes"].iter_rows()] == [
        "text", "=not a formula", "Source: HMICFRS"]


def test_percent_column_of_small_values_is_written_as_percent_format(tmp_path: Path) -> None:
    """0.5 % written as the plain number 0.5 would be read back as 50 % (a _pct column
    whose values all lie in [0, 1] is read as fractions), so it is written as 0.005 in a
    percentage format, which reads as 0.5 % either way."""
    path = tmp_path / "model.xlsx"
    model = PlanningModel(roles=(Role("A", 1, 1, attrition_pct=0.5),
                                 Role("B", 1, 1, attrition_pct=0)))
    save_model(model, path)
    cell = openpyxl.load_workbook(path)["Roles"]["I2"]
    assert cell.value == pytest.approx(0.005) and "%" in cell.number_format


def test_save_is_atomic_and_keeps_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "model.xlsx"
    save_model(_model(), path)
    first = path.read_bytes()
    save_model(PlanningModel(units=(Unit("ONLY"),)), path)
    assert backup_path(path).read_bytes() == first
    assert openpyxl.load_workbook(path)["Units"]["A2"].value == "ONLY"


def test_refuses_formats_it_cannot_write(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.xlsx"):
        save_model(_model(), tmp_path / "model.csv")
    assert list(tmp_path.iterdir()) == []
