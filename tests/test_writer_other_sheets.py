"""Saving a model loses no sheet (DESIGN section 8): the sheets outside the model (the
companion Actuals and Uncertainty sheets, a planner's Scratch or Chart data) are read as
values and written back after the model's sheets, text as text, never as formulas."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import xlsxwriter

from capacity_planner.analysis.uncertainty_sheet import read_uncertainty
from capacity_planner.domain.edits import CommandStack, set_cell
from capacity_planner.domain.model import Formula
from capacity_planner.io import load_model
from capacity_planner.io.actuals import read_actuals, save_model_with_actuals
from capacity_planner.io.reader_other import MAX_KEPT_CELLS
from capacity_planner.io.writer import save_model
from test_io_fixtures import minimal_sheets, replace_in_part, write_book

MODEL_SHEETS = ["Units", "Roles", "Establishment", "Streams", "Demand", "Skills", "Sharing",
                "Periods", "Scenarios", "Notes"]
SCRATCH = [
    ["Scratch workings", None, None],
    [],
    ["id", "hours", "as at", "checked", "time", "note"],
    ["00123", 1650.5, dt.date(2025, 3, 31), True, dt.time(9, 30), "  spaced  "],
    ["0042", -3, dt.datetime(2025, 4, 1, 14, 5), False, None, None, "far right"],
]
ACTUALS = [["unit_id", "stream_id", "period", "delivered_hours"],
           ["SURREY", "SOC_INV", "2025/26", 7000], ["SUSSEX", "INTEL", "2026/27", "1,200"]]
UNCERTAINTY = [["Stream ID", "Distribution", "CV %", "Low %", "Mode %", "High %"],
               ["SOC_INV", "normal", 15, None, None, None],
               ["INTEL", "triangular", None, -20, 0, 30]]


def _book(tmp_path: Path, **extra: list[list[object]]) -> Path:
    return write_book(tmp_path / "model.xlsx", {**minimal_sheets(), **extra},
                      hidden=("Chart data",))


def _model_book(path: Path) -> xlsxwriter.Workbook:
    """An open xlsxwriter workbook holding the minimal model's sheets; the caller adds
    its own sheets and closes it."""
    book = xlsxwriter.Workbook(str(path))
    for name, rows in minimal_sheets().items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
    return book


def _load(path: Path):
    result = load_model(path)
    assert result.ok, [str(p) for p in result.problems]
    return result


def _sheet_parts(path: Path) -> dict[str, bytes]:
    """Each sheet's XML by sheet name, through openpyxl's naming of parts."""
    book = openpyxl.load_workbook(path, read_only=True)
    names = book.sheetnames
    book.close()
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(f"xl/worksheets/sheet{i}.xml") for i, name in enumerate(names, 1)}


def test_round_trip_keeps_every_other_sheet(tmp_path: Path) -> None:
    """Scratch (text IDs, numbers, dates, booleans, a title and a blank row), a hidden Chart
    data sheet and the Actuals companion all come back, in order, after the model sheets;
    the model is unchanged and a second save changes nothing more."""
    path = _book(tmp_path, Scratch=SCRATCH, Actuals=ACTUALS,
                 **{"Chart data": [["year", "coverage"], ["2025/26", 0.72]]})
    first = _load(path).model
    assert list(first.other_sheets) == ["Scratch", "Actuals", "Chart data"]
    assert first.hidden_sheets == {"Chart data"}
    scratch = first.other_sheets["Scratch"]
    assert scratch[0] == ("Scratch workings",) and scratch[1] == ()
    assert scratch[3] == ("00123", 1650.5, dt.date(2025, 3, 31), True, dt.time(9, 30),
                          "  spaced  ")
    assert scratch[4] == ("0042", -3, dt.datetime(2025, 4, 1, 14, 5), False, None, None,
                          "far right")

    saved = tmp_path / "saved.xlsx"
    save_model(first, saved)
    again = _load(saved).model
    assert again == first
    assert again.other_sheets == first.other_sheets
    assert again.hidden_sheets == first.hidden_sheets
    book = openpyxl.load_workbook(saved)  # a second reader sees the same workbook
    assert book.sheetnames == [*MODEL_SHEETS, "Scratch", "Actuals", "Chart data"]
    assert book["Chart data"].sheet_state == "hidden"
    assert book["Scratch"]["A4"].value == "00123" and book["Scratch"]["A4"].data_type == "s"
    assert book["Scratch"]["C4"].value == dt.datetime(2025, 3, 31)  # a date cell, not a number
    assert book["Scratch"]["C4"].is_date

    twice = tmp_path / "twice.xlsx"
    save_model(again, twice)
    assert _load(twice).model.other_sheets == first.other_sheets


def test_other_sheets_are_noted_as_kept_and_companions_are_not(tmp_path: Path) -> None:
    path = _book(tmp_path, Scratch=SCRATCH, Actuals=ACTUALS, Uncertainty=UNCERTAINTY)
    result = _load(path)
    kept = [p for p in result.notes if p.code == "unknown_sheet"]
    assert [p.where.sheet for p in kept] == ["Scratch"]
    assert "kept and saved with the model" in kept[0].message


def test_formula_like_text_stays_text(tmp_path: Path) -> None:
    """Text that looks like a formula, written as text by the user, is saved as text: the
    saved sheet holds no formula cell and each value reads back as the same string."""
    path = tmp_path / "model.xlsx"
    write_book(path, minimal_sheets())
    book = openpyxl.load_workbook(path)
    sheet = book.create_sheet("Scratch")
    texts = ["=1+2", "=HYPERLINK(\"http://x\")", "+44 20", "-1 team", "@SUM(A1)", "\tTab"]
    for row, text in enumerate(texts, start=1):
        cell = sheet.cell(row=row, column=1, value=text)
        cell.data_type = "s"  # the text itself, as a planner typing '=1+2 would store it
    book.save(path)
    model = _load(path).model
    assert [r[0] for r in model.other_sheets["Scratch"]] == texts

    saved = tmp_path / "saved.xlsx"
    save_model(model, saved)
    assert b"<f" not in _sheet_parts(saved)["Scratch"]
    reread = openpyxl.load_workbook(saved)["Scratch"]
    assert [(c.value, c.data_type) for (c,) in reread.iter_rows()] == [(t, "s") for t in texts]
    assert _load(saved).model.other_sheets["Scratch"] == model.other_sheets["Scratch"]


def _with_chart_formulas(path: Path) -> Path:
    """The minimal model and a Chart data sheet with formulas, their values saved (as
    Excel writes them): C2 =B2*2 (18000), C3 ="total "&B2 ("total 9000"), C4 =A1=A1
    (TRUE), D2 =DATE(2025,3,31) shown as a date, and C5 =B2/4 never calculated."""
    book = _model_book(path)
    chart = book.add_worksheet("Chart data")
    chart.write_row(0, 0, ["stream", "hours", "double"])
    chart.write_row(1, 0, ["SOC_INV", 9000])
    chart.write_formula(1, 2, "=B2*2", None, 18000)
    chart.write_formula(2, 2, '="total "&B2', None, "total 9000")
    chart.write_formula(3, 2, "=A1=A1", None, True)
    chart.write_formula(1, 3, "=DATE(2025,3,31)", book.add_format({"num_format": "yyyy-mm-dd"}),
                        45747)
    chart.write_formula(4, 2, "=B2/4", None, "")
    chart.write_string(5, 0, "=not a formula")
    book.close()
    return path


def test_formulas_outside_the_model_are_saved_as_formulas(tmp_path: Path) -> None:
    """Each formula of Chart data comes back a ``Formula`` with the value it last had (the
    date as a date, the never-calculated one as None); text that looks like a formula
    stays text; no note says formulas will be lost. Saved, the sheet holds the same
    formulas (openpyxl reads them) and reads back equal; LibreOffice, recalculating the
    saved file, computes C5 = 9000 / 4 = 2250 and keeps the others' values."""
    result = _load(_with_chart_formulas(tmp_path / "model.xlsx"))
    assert not [p for p in result.notes if p.code == "formulas_as_values"]
    rows = result.model.other_sheets["Chart data"]
    assert rows[1] == ("SOC_INV", 9000, Formula("=B2*2", 18000),
                       Formula("=DATE(2025,3,31)", dt.date(2025, 3, 31)))
    assert rows[2] == (None, None, Formula('="total "&B2', "total 9000"))
    assert rows[3] == (None, None, Formula("=A1=A1", True))
    assert rows[4] == (None, None, Formula("=B2/4", None))
    assert rows[5] == ("=not a formula",)

    saved = tmp_path / "saved.xlsx"
    save_model(result.model, saved)
    sheet = openpyxl.load_workbook(saved)["Chart data"]
    assert [sheet[c].value for c in ("C2", "C3", "C4", "D2", "C5")] == [
        "=B2*2", '="total "&B2', "=A1=A1", "=DATE(2025,3,31)", "=B2/4"]
    assert sheet["A6"].data_type == "s" and sheet["A6"].value == "=not a formula"
    again = _load(saved)
    assert again.model.other_sheets["Chart data"] == rows

    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir",
                    str(tmp_path / "lo"), str(saved)], check=True, capture_output=True,
                   timeout=180)
    values = openpyxl.load_workbook(tmp_path / "lo" / "saved.xlsx", data_only=True)["Chart data"]
    assert [values[c].value for c in ("C2", "C3", "C4", "C5")] == [18000, "total 9000", True,
                                                                  2250]
    assert values["D2"].value == dt.datetime(2025, 3, 31)


def test_calibrate_and_montecarlo_read_the_saved_companions_alike(tmp_path: Path) -> None:
    """read_actuals (calibrate) and read_uncertainty (montecarlo) give the same rows from the
    saved workbook as from the planner's own."""
    path = _book(tmp_path, Actuals=ACTUALS, Uncertainty=UNCERTAINTY)
    model = _load(path).model
    saved = tmp_path / "saved.xlsx"
    save_model(model, saved)

    before, problems = read_actuals(path, model)
    after, saved_problems = read_actuals(saved, model)
    assert not problems and not saved_problems, [str(p) for p in saved_problems]
    assert after == before and [a.delivered_hours for a in after] == [7000, 1200]
    assert [a.origin.row for a in after] == [a.origin.row for a in before]

    spread, problems = read_uncertainty(path, model)
    saved_spread, saved_problems = read_uncertainty(saved, model)
    assert not [p for p in [*problems, *saved_problems] if p.is_error]
    assert saved_spread == spread and len(spread) == 2


def test_save_with_actuals_replaces_the_sheet_in_place(tmp_path: Path) -> None:
    """A calibrated model saved with new actuals keeps every other sheet and the order."""
    path = _book(tmp_path, Scratch=SCRATCH, Actuals=ACTUALS, Uncertainty=UNCERTAINTY)
    model = _load(path).model
    recorded, _ = read_actuals(path, model)
    changed = [dataclasses.replace(recorded[0], delivered_hours=6500.0), recorded[1]]
    saved = tmp_path / "calibrated.xlsx"
    save_model_with_actuals(model, changed, saved)
    again = _load(saved).model
    assert list(again.other_sheets) == ["Scratch", "Actuals", "Uncertainty"]
    assert again.other_sheets["Scratch"] == model.other_sheets["Scratch"]
    rows, problems = read_actuals(saved, again)
    assert not problems and [r.delivered_hours for r in rows] == [6500, 1200]

    no_sheet = _load(write_book(tmp_path / "bare.xlsx", minimal_sheets())).model
    save_model_with_actuals(no_sheet, changed, tmp_path / "bare_out.xlsx")
    assert list(_load(tmp_path / "bare_out.xlsx").model.other_sheets) == ["Actuals"]


def test_edits_keep_other_sheets(tmp_path: Path) -> None:
    """An edit makes a new model with dataclasses.replace: the kept sheets go with it."""
    model = _load(_book(tmp_path, Scratch=SCRATCH)).model
    stack = CommandStack(model)
    edited = stack.do(set_cell(model, "units", 0, "name", "Surrey and Sussex"))
    assert edited.units[0].name == "Surrey and Sussex"
    assert edited.other_sheets is model.other_sheets
    saved = tmp_path / "edited.xlsx"
    save_model(edited, saved)
    again = _load(saved).model
    assert again.units[0].name == "Surrey and Sussex"
    assert again.other_sheets == model.other_sheets


def test_names_that_would_read_as_model_tables_are_renamed(tmp_path: Path) -> None:
    """A kept sheet whose name would read back as a model table, or that Excel refuses, is
    saved under a safe name, so the saved model reads back unchanged."""
    model = _load(_book(tmp_path)).model
    odd = {"unit": (("not the units",),), "a/b:c": (("slash",),), "x" * 40: (("long",),),
           "X" * 40: (("upper",),)}
    saved = tmp_path / "saved.xlsx"
    save_model(dataclasses.replace(model, other_sheets=odd), saved)
    again = _load(saved).model
    assert again == model
    assert list(again.other_sheets) == ["unit (kept)", "a_b_c", "x" * 31,
                                        "X" * 27 + " (2)"]
    assert [rows[0][0] for rows in again.other_sheets.values()] == ["not the units", "slash",
                                                                     "long", "upper"]


def test_ods_model_keeps_its_other_sheets(tmp_path: Path) -> None:
    """An .ods workbook (converted by LibreOffice from one with formulas and a hidden sheet)
    keeps its other sheets, their visibility, and notes its formulas."""
    source = tmp_path / "model.xlsx"
    book = _model_book(source)
    scratch = book.add_worksheet("Scratch")
    scratch.write_string(0, 0, "00123")
    scratch.write_number(0, 1, 2.5)
    scratch.write_formula(0, 2, "=B1*2", None, 5)
    scratch.write_string(1, 0, "=not a formula")
    book.add_worksheet("Chart data").write_row(0, 0, ["year", 2025])
    book.worksheets()[-1].hide()
    book.close()
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", "ods", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    result = _load(tmp_path / "model.ods")
    model = result.model
    assert model.other_sheets == {"Scratch": (("00123", 2.5, 5), ("=not a formula",)),
                                  "Chart data": (("year", 2025),)}
    assert model.hidden_sheets == {"Chart data"}
    assert [p.where.sheet for p in result.notes if p.code == "formulas_as_values"] == ["Scratch"]
    saved = tmp_path / "saved.xlsx"
    save_model(model, saved)
    again = _load(saved).model
    assert again == model and again.other_sheets == model.other_sheets
    assert again.hidden_sheets == model.hidden_sheets


def test_csv_model_still_saves(tmp_path: Path) -> None:
    """A CSV holds one table and no other sheets: it reads (with its one-table error) and
    saves as before."""
    csv = tmp_path / "Units.csv"
    csv.write_text("unit_id,name\n00123,Surrey\nSUSSEX,Sussex\n", encoding="utf-8")
    result = load_model(csv)
    assert result.model is not None and result.model.other_sheets == {}
    assert [u.unit_id for u in result.model.units] == ["00123", "SUSSEX"]
    saved = tmp_path / "units.xlsx"
    save_model(result.model, saved)
    again = load_model(saved).model
    assert again is not None and [u.unit_id for u in again.units] == ["00123", "SUSSEX"]
    assert again.other_sheets == {}


def test_crafted_extra_sheet_is_skipped_not_parsed(tmp_path: Path) -> None:
    """An extra sheet claiming A1:XFD1048576 (17 billion cells) is never parsed: the model
    still loads, the sheet is skipped with a warning that saving will not include it, and
    the sheets after it are still kept."""
    path = _book(tmp_path, Huge=[["x", "y"]], Scratch=SCRATCH)
    part = f"xl/worksheets/sheet{len(minimal_sheets()) + 1}.xml"
    replace_in_part(path, part, b'<dimension ref="A1:B1" />',
                    b'<dimension ref="A1:XFD1048576" />')
    replace_in_part(path, part, b"</sheetData>",
                    b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    result = _load(path)
    assert list(result.model.other_sheets) == ["Scratch"]
    skipped = [p for p in result.warnings if p.code == "sheet_not_kept"]
    assert [p.where.sheet for p in skipped] == ["Huge"]
    assert "XFD1048576" in skipped[0].message and "not include it" in skipped[0].message


def test_extra_sheet_past_the_kept_cells_is_not_kept(tmp_path: Path) -> None:
    """A sheet that pre-flight allows but that spans more cells than are kept outside the
    model (a 'Scratch' with a cell at Z50000: 1.3 million cells from A1) is read in the
    memory-limited child (pre-flight's limit still applies) and not kept, with a warning;
    the small sheet beside it is kept."""
    path = tmp_path / "model.xlsx"
    write_book(path, {**minimal_sheets(), "Scratch": [["a"]], "Chart data": [["y", 1]]})
    book = openpyxl.load_workbook(path)
    book["Scratch"]["Z50000"] = "far"
    book.save(path)
    assert MAX_KEPT_CELLS < 26 * 50_000
    result = _load(path)
    assert "isolated" in [p.code for p in result.notes]
    assert list(result.model.other_sheets) == ["Chart data"]
    skipped = [p for p in result.warnings if p.code == "sheet_not_kept"]
    assert [p.where.sheet for p in skipped] == ["Scratch"]


def test_error_cells_in_other_sheets_are_kept_as_text(tmp_path: Path) -> None:
    path = _book(tmp_path, Scratch=[["a", "b"], [1, 2]])
    part = f"xl/worksheets/sheet{len(minimal_sheets()) + 1}.xml"
    replace_in_part(path, part, b'<c r="B2" t="n"><v>2</v></c>',
                    b'<c r="B2" t="e"><v>#REF!</v></c>')
    result = _load(path)
    assert result.model.other_sheets["Scratch"] == (("a", "b"), (1, "#REF!"))
    assert [p.where.row for p in result.notes if p.code == "errors_as_text"] == [2]


def test_a_very_hidden_sheet_stays_very_hidden(tmp_path: Path) -> None:
    """A template's lookup list kept very hidden (no Excel menu lists it) comes back very
    hidden after a save, not merely hidden; a hidden sheet stays hidden; both are kept."""
    path = _book(tmp_path, Lookups=[["force", "code"], ["Surrey", "SY"]],
                 **{"Chart data": [["year", "coverage"], ["2025/26", 0.72]]})
    book = openpyxl.load_workbook(path)
    book["Lookups"].sheet_state = "veryHidden"
    book.save(path)
    model = _load(path).model
    assert model.hidden_sheets == {"Chart data", "Lookups"}
    assert model.very_hidden_sheets == {"Lookups"}
    saved = tmp_path / "saved.xlsx"
    save_model(model, saved)
    book = openpyxl.load_workbook(saved)
    assert book["Lookups"].sheet_state == "veryHidden"
    assert book["Chart data"].sheet_state == "hidden"
    assert book["Lookups"]["B2"].value == "SY"
    again = _load(saved).model
    assert again.very_hidden_sheets == {"Lookups"} and again.other_sheets == model.other_sheets


def test_formulas_that_cannot_be_read_keep_their_values(tmp_path: Path) -> None:
    """A styles part openpyxl refuses (a font size "eleven") but calamine reads: the
    model still opens, Chart data keeps its values (no Formula), and two notes say the
    formulas could not be read and that saving keeps values, not formulas."""
    path = _with_chart_formulas(tmp_path / "model.xlsx")
    replace_in_part(path, "xl/styles.xml", b'<sz val="11"/>', b'<sz val="eleven"/>')
    result = _load(path)
    codes = [p.code for p in result.notes if p.where.sheet == "Chart data"]
    assert "formulas_unread" in codes and "formulas_as_values" in codes
    rows = result.model.other_sheets["Chart data"]
    assert rows[1] == ("SOC_INV", 9000, 18000, dt.date(2025, 3, 31))
    assert not any(isinstance(v, Formula) for row in rows for v in row)


def test_shared_formulas_are_kept_cell_by_cell(tmp_path: Path) -> None:
    """Excel writes a formula filled down as one shared formula (C2's B2*2, shared over
    C2:C4): each cell reads back as its own formula, =B3*2 and =B4*2 below, with its
    value, and is saved as an ordinary formula."""
    path = tmp_path / "model.xlsx"
    book = _model_book(path)
    chart = book.add_worksheet("Chart data")
    chart.write_column(1, 1, [10, 20, 30])
    for r in (1, 2, 3):
        chart.write_formula(r, 2, f"=B{r + 1}*2", None, 20 * r)
    book.close()
    sheet_xml = f"xl/worksheets/sheet{list(_sheet_parts(path)).index('Chart data') + 1}.xml"
    replace_in_part(path, sheet_xml, b"<f>B2*2</f>", b'<f t="shared" ref="C2:C4" si="0">B2*2</f>')
    replace_in_part(path, sheet_xml, b"<f>B3*2</f>", b'<f t="shared" si="0"/>')
    replace_in_part(path, sheet_xml, b"<f>B4*2</f>", b'<f t="shared" si="0"/>')
    rows = _load(path).model.other_sheets["Chart data"]
    assert [row[2] for row in rows[1:]] == [Formula("=B2*2", 20), Formula("=B3*2", 40),
                                            Formula("=B4*2", 60)]
    saved = tmp_path / "saved.xlsx"
    save_model(_load(path).model, saved)
    assert b"shared" not in _sheet_parts(saved)["Chart data"]
    assert _load(saved).model.other_sheets["Chart data"] == rows


def test_formulas_of_several_sheets_are_all_kept(tmp_path: Path) -> None:
    """Two sheets with formulas (read through one openpyxl handle): each keeps its own,
    Scratch's =A1+1 (value 2) and Chart data's =B2*2 (value 18000)."""
    path = tmp_path / "model.xlsx"
    book = _model_book(path)
    scratch = book.add_worksheet("Scratch")
    scratch.write_number(0, 0, 1)
    scratch.write_formula(0, 1, "=A1+1", None, 2)
    chart = book.add_worksheet("Chart data")
    chart.write_row(1, 0, ["SOC_INV", 9000])
    chart.write_formula(1, 2, "=B2*2", None, 18000)
    book.close()
    sheets = _load(path).model.other_sheets
    assert sheets["Scratch"] == ((1, Formula("=A1+1", 2)),)
    assert sheets["Chart data"][1] == ("SOC_INV", 9000, Formula("=B2*2", 18000))
