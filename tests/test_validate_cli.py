"""`capacity-planner validate`: every bad workbook of issue 2's "Done when" list exits 1
with a message naming the file (and the sheet and Excel row where there is one); clean
or warnings-only models exit 0; usage errors exit 2; never a traceback."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from capacity_planner.cli import main
from capacity_planner.io.preflight import OLE2
from test_io_fixtures import minimal_sheets, replace_in_part, write_book

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "south_east.xlsx"


def _book(change: Callable[[dict], None]) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        sheets = minimal_sheets()
        change(sheets)
        return write_book(tmp / "model.xlsx", sheets)
    return make


def _set(sheet: str, row: int, col: int, value: object) -> Callable[[dict], None]:
    def change(sheets: dict) -> None:
        sheets[sheet][row - 1][col] = value
    return change


def _truncated(tmp: Path) -> Path:
    path = write_book(tmp / "model.xlsx", minimal_sheets())
    path.write_bytes(path.read_bytes()[:700])
    return path


def _csv_renamed(tmp: Path) -> Path:
    path = tmp / "model.xlsx"
    path.write_text("unit_id,role_id\nSURREY,DC\n")
    return path


def _encrypted(tmp: Path) -> Path:
    path = tmp / "model.xlsx"
    path.write_bytes(OLE2 + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le"))
    return path


def _zip_bomb(tmp: Path) -> Path:
    path = write_book(tmp / "model.xlsx", minimal_sheets())
    return replace_in_part(path, "xl/worksheets/sheet1.xml", b"<sheetData>",
                           b"<sheetData>" + b" " * (30 * 1024 * 1024))


def _far_cell(tmp: Path) -> Path:
    path = write_book(tmp / "model.xlsx", minimal_sheets())
    replace_in_part(path, "xl/worksheets/sheet1.xml", b'<dimension ref="A1:C3"',
                    b'<dimension ref="A1:XFD1048576"')
    return replace_in_part(path, "xl/worksheets/sheet1.xml", b"</sheetData>",
                           b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')


def _drop(sheet: str) -> Callable[[dict], None]:
    return lambda sheets: sheets.pop(sheet)


def _totals(sheets: dict) -> None:
    sheets["Demand"].append(["Totals", None, None, 424000])


def _duplicate(sheets: dict) -> None:
    sheets["Roles"].append(["dc", 50000, 1500, 12])


BAD = {
    # name: (make, text in the output, sheet, Excel row)
    "unknown ID": (_book(_set("Establishment", 2, 0, "SURRY")), "Unknown unit 'SURRY'",
                   "Establishment", 2),
    "duplicate key": (_book(_duplicate), "Duplicate role_id", "Roles", 4),
    "negative hours": (_book(_set("Demand", 3, 3, -400)), "hours cannot be negative",
                       "Demand", 3),
    "totals row": (_book(_totals), "totals row", "Demand", 5),
    "trainees above in post": (_book(_set("Establishment", 2, 4, 4)),
                               "In training (4) plus absent (0) is more than in post (3)",
                               "Establishment", 2),
    "missing sheet": (_book(_drop("Skills")), "Missing sheet Skills", "Skills", None),
    "truncated file": (_truncated, "damaged", None, None),
    "CSV renamed .xlsx": (_csv_renamed, "Not an Excel file", None, None),
    "encrypted file": (_encrypted, "password-protected", None, None),
    "zip bomb": (_zip_bomb, "zip bomb", None, None),
    "cell at XFD1048576": (_far_cell, "XFD1048576", "Units", None),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_workbooks_exit_1_with_a_named_message(case: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    make, text, sheet, row = BAD[case]
    path = make(tmp_path)
    code = main(["validate", str(path)])
    out = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in out.out + out.err
    lines = [line for line in out.out.splitlines() if text in line]
    assert lines, out.out
    assert str(path) in lines[0]
    if sheet:
        assert f"sheet {sheet}" in lines[0]
    if row:
        assert re.search(rf"row {row}\b", lines[0])
    assert "cannot be solved" in out.out.splitlines()[-1]


def test_clean_and_warning_only_models_exit_0(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    clean = write_book(tmp_path / "clean.xlsx", minimal_sheets())
    assert main(["validate", str(clean)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith(": 0 errors, 0 warnings, 0 notes: OK")
    sheets = minimal_sheets()
    sheets["Establishment"][1][3] = 7  # 7 in post of 6 funded: over-establishment
    warned = write_book(tmp_path / "warn.xlsx", sheets)
    assert main(["validate", str(warned)]) == 0
    out = capsys.readouterr().out
    assert "Warnings (1):" in out and "over-establishment" in out


def test_every_problem_printed_errors_first(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    sheets = minimal_sheets()
    sheets["Establishment"][1][0] = "SURRY"
    sheets["Demand"][2][3] = "lots"
    sheets["Units"][0].append("Comments")
    path = write_book(tmp_path / "m.xlsx", sheets)
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.index("Errors (2):") < out.index("Notes (1):")
    assert "Not a number (found 'lots'; expected a number" in out


def test_vacancies_and_mapping_options(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    model = write_book(tmp_path / "m.xlsx", minimal_sheets())
    vac = write_book(tmp_path / "v.xlsx", {"Vacancies": [["unit_id", "role_id", "vacant_fte"],
                                                         ["KENT", "DC", 1]]})
    assert main(["validate", str(model), "--vacancies", str(vac)]) == 1
    assert "Unknown unit 'KENT'" in capsys.readouterr().out
    assert main(["validate", str(model), "--mapping", str(tmp_path / "no.json")]) == 1
    assert "Mapping file not found" in capsys.readouterr().out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 2
    assert main(["validate", "a.xlsx", "--bogus"]) == 2


def test_missing_file_through_the_entry_point(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "capacity_planner", "validate",
                           str(tmp_path / "nowhere.xlsx")], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1
    assert "File not found" in done.stdout and "Traceback" not in done.stderr


def test_the_south_east_sample_validates(capsys: pytest.CaptureFixture[str]) -> None:
    vacancies = SAMPLE.with_name("south_east_vacancies.xlsx")
    assert main(["validate", str(SAMPLE)]) == 0
    assert main(["validate", str(SAMPLE), "--vacancies", str(vacancies)]) == 0
    out = capsys.readouterr().out
    assert "Errors" not in out and "Traceback" not in out
