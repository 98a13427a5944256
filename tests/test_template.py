"""The template: an Instructions sheet, every sheet with frozen canonical headers, example
rows, widths, and drop-downs for IDs and enumerations."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from capacity_planner.domain.scenario import PARAMETERS
from capacity_planner.domain.schema import ATTRIBUTE, TABLES
from capacity_planner.io.template import EXAMPLE, write_template


def _validations(sheet) -> dict[str, tuple[str, str]]:
    """First cell of each validated range -> (type, formula1)."""
    out = {}
    for dv in sheet.data_validations.dataValidation:
        first = str(dv.sqref).split()[0].split(":")[0]
        out[first] = (dv.type, dv.formula1)
    return out


def test_sheets_headers_and_examples(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Instructions", *(t.sheet for t in TABLES)]
    for spec in TABLES:
        sheet = book[spec.sheet]
        assert [c.value for c in sheet[1]] == list(spec.names)
        assert sheet.freeze_panes == "A2"
        examples = getattr(EXAMPLE, ATTRIBUTE[spec.sheet])
        assert examples and sheet.max_row == len(examples) + 1, spec.sheet
        assert all(sheet.column_dimensions[c].width >= 9 for c in "AB" if c in
                   sheet.column_dimensions)
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    text = " ".join(str(c.value) for row in book["Instructions"].iter_rows() for c in row
                    if c.value)
    for spec in TABLES:
        assert spec.sheet in text
    assert "annual_cost_gbp" in text and "required" in text and "Percent" in text


def test_dropdowns_for_ids_and_enumerations(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path)
    book = openpyxl.load_workbook(path)
    est = _validations(book["Establishment"])
    assert est["A2"] == ("list", "'Units'!$A$2:$A$5001")
    assert est["B2"] == ("list", "'Roles'!$A$2:$A$5001")
    assert est["G2"][0] == "decimal"  # abstraction_pct 0..100
    units = _validations(book["Units"])
    assert units["C2"] == ("list", '"force,rocu,lpa,team"')
    assert units["E2"] == ("list", "'Units'!$A$2:$A$5001")  # parent_id
    assert _validations(book["Roles"])["C2"] == ("list", '"officer,staff"')
    assert _validations(book["Streams"])["C2"][1] == '"pursue,prevent,protect,prepare,other"'
    params = _validations(book["Scenarios"])["B2"][1].strip('"').split(",")
    assert params == list(PARAMETERS)
    assert _validations(book["Demand"])["C2"] == ("list", "'Periods'!$A$2:$A$5001")


def test_template_command(tmp_path: Path, capsys) -> None:
    from capacity_planner.cli import main

    out = tmp_path / "new.xlsx"
    assert main(["template", str(out)]) == 0
    assert openpyxl.load_workbook(out).sheetnames[0] == "Instructions"
    assert "Wrote template" in capsys.readouterr().out
