"""`capacity-planner calibrate`: real workbooks with an Actuals sheet, read, solved and
reported; nothing written unless --out; bad actuals named by file, sheet, row, column."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from capacity_planner.cli import main
from capacity_planner.domain.actuals import ActualRow
from capacity_planner.io import load_model
from capacity_planner.io.actuals import read_actuals, save_model_with_actuals
from capacity_planner.io.writer import save_model
from test_calibrate import tiny  # the same hand-worked tiny model

RECORDED = [ActualRow("TV", "RESP", "2025/26", 10_500.0)]  # the tiny model at 30 %


@pytest.fixture()
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / "model.xlsx"
    save_model_with_actuals(tiny(abstraction=20), RECORDED, path)
    return path


def test_report_suggests_and_changes_nothing(workbook: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Model at 20 % delivers 12,000; 10,500 recorded: 14 % more, abstraction 30 % fits."""
    before = workbook.read_bytes()
    assert main(["calibrate", str(workbook)]) == 0
    out = capsys.readouterr()
    assert "Thames Valley response support: model delivers 14 % more than recorded" in out.out
    assert ("Suggested: Set abstraction of neighbourhood officers at Thames Valley from "
            "20.0 % to 30.0 %") in out.out
    assert "Nothing was changed" in out.out
    assert "not part of the planning model" not in out.err  # Actuals is ours, not unknown
    assert workbook.read_bytes() == before


def test_out_writes_the_adjusted_model_with_its_actuals(
        workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "adjusted.xlsx"
    assert main(["calibrate", str(workbook), "--out", str(out)]) == 0
    loaded = load_model(out)
    assert loaded.ok, loaded.problems
    assert loaded.model is not None
    assert loaded.model.establishment[0].abstraction_pct == pytest.approx(30)
    rows, problems = read_actuals(out, loaded.model)
    assert problems == [] and rows == RECORDED
    capsys.readouterr()
    assert main(["calibrate", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (line,) = data["lines"]
    assert line["within_tolerance"] is True
    assert line["error_hours"] == pytest.approx(0, abs=0.5)


def test_actuals_from_a_separate_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = tmp_path / "model.xlsx"
    save_model(tiny(abstraction=20), model)
    csv = tmp_path / "actuals.csv"
    csv.write_text("Unit ID,Stream ID,Period,Delivered hours\nTV,RESP,2025/26,\"10,500\"\n")
    assert main(["calibrate", str(model), "--actuals", str(csv), "--no-suggest"]) == 0
    out = capsys.readouterr().out
    assert "14 % more than recorded" in out and "Suggested" not in out


def test_bad_actuals_are_named_by_row_and_column(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.xlsx"
    save_model(tiny(), path)
    book = openpyxl.load_workbook(path)
    sheet = book.create_sheet("Actuals")
    sheet.append(["unit_id", "stream_id", "period", "delivered_hours"])
    sheet.append(["TV", "RESP", "2025/26", 10_500])
    sheet.append(["NOWHERE", "RESP", "2025/26", 100])
    sheet.append(["TV", "RESP", "2025/26", "lots"])
    book.save(path)
    assert main(["calibrate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "bad.xlsx, sheet Actuals, row 3, column unit_id: Unknown unit_id" in err
    assert "row 4, column delivered_hours" in err
    assert "Traceback" not in err


def test_missing_actuals_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plain.xlsx"
    save_model(tiny(), path)
    assert main(["calibrate", str(path)]) == 1
    assert "No Actuals sheet" in capsys.readouterr().err


def test_chart_of_errors(workbook: Path, tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    """The one line is 14.3 % over: one dark bar of width 100 * 1,500 / 10,500, labelled
    with the unit's and stream's names."""
    chart = tmp_path / "calibration.png"
    assert main(["calibrate", str(workbook), "--no-suggest", "--chart", str(chart)]) == 0
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Chart saved" in capsys.readouterr().out


def test_chart_draws_user_text_literally() -> None:
    from capacity_planner.reporting.calibration_chart import calibration_figure
    from capacity_planner.reporting.style import Source

    table = pd.DataFrame({"unit": ["U"], "stream": ["S"], "modelled_hours": [12_000.0],
                          "actual_hours": [10_500.0], "error_pct": [100 * 1_500 / 10_500],
                          "within_tolerance": [False]})
    fig = calibration_figure(table, 2.0, Source("m.xlsx"), {"U": "Unit $x$", "S": "Stream"})
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [r"Unit \$x\$ · Stream"]
    bars = [p for p in ax.patches if p.get_height() > 0 and p.get_width() != 0
            and p.get_hatch()]
    assert [b.get_width() for b in bars] == [pytest.approx(14.2857, abs=1e-3)]
    empty = calibration_figure(table.iloc[0:0], 2.0, Source("m.xlsx"))
    assert "No recorded delivery" in " ".join(t.get_text() for t in empty.axes[0].texts)
