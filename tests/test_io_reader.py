"""The planning workbook reader accepts what planners really write (DESIGN section 3) and
reports, never hides, what it cannot read (DESIGN section 8)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from capacity_planner.io import load_model
from capacity_planner.io.reader_headers import normalise
from capacity_planner.io.samples import south_east_model
from capacity_planner.io.writer import save_model
from test_io_fixtures import minimal_sheets, replace_in_part, write_book


def _codes(result) -> list[str]:
    return [p.code for p in result.problems]


def test_normalise_headers() -> None:
    assert normalise("Funded FTE") == normalise(" funded_fte ") == "funded_fte"
    assert normalise("Abstraction %") == "abstraction_pct"
    assert normalise("Annual cost (GBP)") == "annual_cost_gbp"
    assert normalise("In-post  FTE") == "in_post_fte"


def test_headers_sheet_names_and_title_rows(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    est = sheets.pop("Establishment")
    est[0] = ["Unit ID", "ROLE_ID", " Funded FTE ", "In post FTE", "In training FTE",
              "Absent FTE", "Abstraction %"]
    sheets[" establishment "] = [["Establishment at 31 March 2025"], [], ["Source: HR"], *est]
    roles = sheets.pop("Roles")
    roles[0] = ["Role ID", "Annual cost (GBP)", "Hours per FTE", "Training months"]
    sheets["ROLES"] = roles
    result = load_model(write_book(tmp_path / "m.xlsx", sheets))
    assert result.ok, [str(p) for p in result.problems]
    row = result.model.establishment[0]
    assert (row.unit_id, row.funded_fte, row.abstraction_pct) == ("SURREY", 6, 10)
    assert row.origin.row == 5  # three title rows above the header on row 4
    assert result.model.roles[0].annual_cost_gbp == 60000


def test_unknown_columns_kept_and_noted(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["Units"][0].append("Comments")
    sheets["Units"][1].append("Lends surveillance")
    result = load_model(write_book(tmp_path / "m.xlsx", sheets))
    assert result.ok
    assert result.model.extra_columns["Units"] == {"Comments": ["Lends surveillance", None]}
    notes = [p for p in result.notes if p.code == "unknown_column"]
    assert len(notes) == 1 and notes[0].where.column == "Comments" and notes[0].where.row == 1


def test_blank_rows_skipped_and_numbers_as_text(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["Demand"] = [sheets["Demand"][0], [], ["SURREY", "SOC_INV", "2025/26", "1,650"],
                        [None, None, None, None], ["SUSSEX", "SOC_INV", "2025/26", " 12 "],
                        ["SUSSEX", "INTEL", "2026/27", "1,650.5"]]
    sheets["Roles"][1][1] = "£60,000"
    result = load_model(write_book(tmp_path / "m.xlsx", sheets))
    assert result.ok, [str(p) for p in result.problems]
    assert [d.hours for d in result.model.demand] == [1650, 12, 1650.5]
    assert [d.origin.row for d in result.model.demand] == [3, 5, 6]
    assert result.model.roles[0].annual_cost_gbp == 60000


def test_percent_forms(tmp_path: Path) -> None:
    """25, "25%" and a percentage-formatted 0.25 all mean 25 % in one column."""
    sheets = minimal_sheets()
    est = sheets["Establishment"]
    est[1][6], est[2][6], est[3][6] = 25, "25%", 0.25
    path = write_book(tmp_path / "m.xlsx", sheets, formats={("Establishment", "G4"): "0%"})
    result = load_model(path)
    assert result.ok, [str(p) for p in result.problems]
    assert [e.abstraction_pct for e in result.model.establishment] == [25, 25, 25]
    assert "pct_fractions" not in _codes(result)


def test_percent_column_of_fractions(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    for row, value in zip(sheets["Establishment"][1:], (0.1, 0.25, 0), strict=True):
        row[6] = value
    result = load_model(write_book(tmp_path / "m.xlsx", sheets))
    assert result.ok
    assert [e.abstraction_pct for e in result.model.establishment] == [10, 25, 0]
    notes = [p for p in result.notes if p.code == "pct_fractions"]
    assert len(notes) == 1 and notes[0].where.column == "abstraction_pct"


def test_ids_stay_text(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["Units"].append(["00123", "Team with a numeric code", "team"])
    sheets["Units"].append([456, "Team typed as a number", "team"])
    sheets["Units"].append(["  SPACED\u00a0", "Team with stray spaces", "Team"])
    result = load_model(write_book(tmp_path / "m.xlsx", sheets))
    assert result.ok, [str(p) for p in result.problems]
    ids = [u.unit_id for u in result.model.units]
    assert ids[2:] == ["00123", "456", "SPACED"]
    assert result.model.units[4].kind == "team"
    assert "trimmed_id" in _codes(result)


def test_error_cells_and_formulas_without_value(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["Demand"][2][3] = "=1/0"  # openpyxl saves formulas without a value
    path = write_book(tmp_path / "m.xlsx", sheets)
    replace_in_part(path, "xl/worksheets/sheet5.xml", b'<c r="D2" t="n"><v>9000</v></c>',
                    b'<c r="D2" t="e"><v>#REF!</v></c>')
    result = load_model(path)
    assert not result.ok
    by_row = {p.where.row: p for p in result.errors if p.where.sheet == "Demand"}
    assert by_row[2].code == "error_cell" and by_row[2].value == "#REF!"
    assert by_row[2].where.column == "hours"
    assert by_row[3].code == "formula_no_value"
    assert len(result.errors) == 2, [str(p) for p in result.errors]  # not again as NaN


def test_hidden_first_sheet_not_read(tmp_path: Path) -> None:
    sheets = {"Old units": [["unit_id"], ["GHOST"]], **minimal_sheets()}
    result = load_model(write_book(tmp_path / "m.xlsx", sheets, hidden=("Old units",)))
    assert result.ok
    assert "GHOST" not in [u.unit_id for u in result.model.units]
    assert any(p.code == "unknown_sheet" and "hidden" in p.message for p in result.notes)


def test_companion_sheets_are_not_reported_as_unknown(tmp_path: Path) -> None:
    """Actuals (calibrate) and Uncertainty (montecarlo) belong to the workbook; a stray
    sheet does not and is noted."""
    sheets = {**minimal_sheets(), "Actuals": [["unit_id"], ["A"]],
              "Uncertainty": [["stream_id"], ["S"]], "Scratch": [["x"], [1]]}
    result = load_model(write_book(tmp_path / "m.xlsx", sheets))
    unknown = [p.where.sheet for p in result.notes if p.code == "unknown_sheet"]
    assert unknown == ["Scratch"]


def test_duplicate_headers_and_totals_row(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["Demand"][0].append("Hours")
    sheets["Demand"].append(["Total", None, None, 424000])
    result = load_model(write_book(tmp_path / "m.xlsx", sheets))
    codes = {p.code: p for p in result.errors}
    assert codes["duplicate_column"].where.column == "hours"
    assert codes["totals_row"].where.row == 5 and codes["totals_row"].value == "Total"
    assert len(result.model.demand) == 3


def test_missing_sheet_and_column(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    del sheets["Skills"]
    sheets["Roles"] = [["role_id", "annual_cost_gbp"], ["DC", 60000]]
    result = load_model(write_book(tmp_path / "m.xlsx", sheets))
    messages = [str(p) for p in result.errors]
    assert any("Missing sheet Skills" in m for m in messages)
    assert any("hours_per_fte" in m and "sheet Roles" in m for m in messages)


def test_round_trip_with_the_writer(tmp_path: Path) -> None:
    model = south_east_model()
    save_model(model, tmp_path / "se.xlsx")
    result = load_model(tmp_path / "se.xlsx")
    assert result.ok, [str(p) for p in result.errors]
    assert result.model == model


def test_csv_holds_one_table(tmp_path: Path) -> None:
    path = tmp_path / "demand.csv"
    path.write_text("Unit ID;Stream ID;Period;Hours\nSURREY;SOC_INV;2025/26;\"1,650\"\n"
                    "00123;INTEL;2025/26;12\n", encoding="utf-8-sig")
    result = load_model(path)
    demand = result.model.demand
    assert [(d.unit_id, d.hours) for d in demand] == [("SURREY", 1650), ("00123", 12)]
    assert "csv_one_table" in _codes(result)


@pytest.mark.libreoffice
def test_ods_from_libreoffice(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["Establishment"][2][6] = 0.25
    path = write_book(tmp_path / "m.xlsx", sheets, formats={("Establishment", "G3"): "0%"})
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--headless", "--convert-to", "ods", "--outdir", str(tmp_path / "o"),
                    str(path)], check=True, capture_output=True, timeout=120)
    result = load_model(tmp_path / "o" / "m.ods")
    assert result.ok, [str(p) for p in result.problems]
    assert [e.abstraction_pct for e in result.model.establishment] == [10, 25, 0]
    assert result.model.units == load_model(path).model.units


def test_xlsm_is_read(tmp_path: Path) -> None:
    path = write_book(tmp_path / "m.xlsx", minimal_sheets())
    xlsm = path.rename(tmp_path / "m.xlsm")
    result = load_model(xlsm)
    assert result.ok and len(result.model.units) == 2
