"""The committed sample workbooks are what the generator produces now, the bundled copy is
the same model, the vacancy extract has its messy-but-valid layout, and the `sample` and
`template` commands write them. Files are compared by records read back with openpyxl (a
reader independent of ours), not by bytes."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from capacity_planner.cli import main
from capacity_planner.domain.schema import ATTRIBUTE, TABLES, TableSpec
from capacity_planner.io.samples import (
    bundled_sample_path,
    model_of_size,
    south_east_model,
    south_east_vacancies_frame,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "south_east.xlsx"
VACANCIES = ROOT / "sample_data" / "south_east_vacancies.xlsx"


def _records(path: Path, spec: TableSpec) -> list[object]:
    """The sheet's rows as records, by header name; blanks take the schema default."""
    sheet = openpyxl.load_workbook(path)[spec.sheet]
    rows = sheet.iter_rows()
    headers = [c.value for c in next(rows)]
    out = []
    for row in rows:
        values = {}
        for header, cell in zip(headers, row, strict=False):
            if header not in spec.names:
                continue
            value = cell.value
            if isinstance(value, int | float) and "%" in cell.number_format:
                value *= 100
            if isinstance(value, int):
                value = float(value)
            values[header] = spec.field(header).default if value is None else value
        out.append(spec.record(**values))
    return out


def _same_model(path: Path, model) -> None:
    for spec in TABLES:
        assert _records(path, spec) == list(getattr(model, ATTRIBUTE[spec.sheet])), spec.sheet


def test_committed_sample_matches_the_generator() -> None:
    _same_model(SAMPLE, south_east_model())


def test_bundled_sample_is_the_same_model() -> None:
    path = bundled_sample_path()
    assert path.is_file() and path.parent.name == "resources"
    _same_model(path, south_east_model())


def test_committed_vacancies_match_the_generator_and_have_a_title_above_the_table() -> None:
    sheet = openpyxl.load_workbook(VACANCIES)["Vacancies"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert "vacant posts" in rows[0][0] and rows[2] == [None] * 5
    assert rows[3] == ["Unit ID", "Role ID", "Role", "Vacant FTE", "Comment"]
    found = [(r[0], r[1], float(r[3])) for r in rows[4:]]
    expected = list(south_east_vacancies_frame().itertuples(index=False, name=None))
    assert found == expected


def test_sample_command_writes_model_and_vacancies(tmp_path: Path, capsys) -> None:
    out, vac = tmp_path / "se.xlsx", tmp_path / "vac.xlsx"
    assert main(["sample", str(out), "--vacancies", str(vac)]) == 0
    _same_model(out, south_east_model())
    assert openpyxl.load_workbook(vac).sheetnames == ["Vacancies"]
    assert "Wrote region sample" in capsys.readouterr().out
    # a second run replaces atomically and keeps the previous file
    assert main(["sample", str(out)]) == 0
    assert (tmp_path / "se.xlsx.bak").is_file()


@pytest.mark.parametrize(("args", "units"), [(["--national"], 52), (["--size", "force"], 1),
                                             (["--size", "national", "--seed", "3"], 52)])
def test_sample_sizes(tmp_path: Path, args: list[str], units: int) -> None:
    out = tmp_path / "m.xlsx"
    assert main(["sample", str(out), *args]) == 0
    book = openpyxl.load_workbook(out, read_only=True)
    assert book["Units"].max_row == units + 1


def test_national_file_matches_the_generator(tmp_path: Path) -> None:
    out = tmp_path / "national.xlsx"
    assert main(["sample", str(out), "--national"]) == 0
    _same_model(out, model_of_size("national"))


@pytest.mark.parametrize("argv", [["sample", "x.csv"], ["template", "x.ods"],
                                  ["sample", "a.xlsx", "--national", "--vacancies", "v.xlsx"],
                                  ["sample", "a.xlsx", "--national", "--size", "force"]])
def test_usage_errors(tmp_path: Path, argv: list[str], capsys) -> None:
    argv = [a if not a.endswith((".xlsx", ".csv", ".ods")) else str(tmp_path / a)
            for a in argv]
    assert main(argv) == 2
    assert list(tmp_path.iterdir()) == []
    assert "error" in capsys.readouterr().err


def test_unwritable_folder_is_a_message_not_a_traceback(tmp_path: Path, capsys) -> None:
    assert main(["sample", str(tmp_path / "missing" / "se.xlsx")]) == 2
    assert main(["template", str(tmp_path / "missing" / "t.xlsx")]) == 2
    err = capsys.readouterr().err
    assert err.count("error: could not write") == 2 and "Traceback" not in err
