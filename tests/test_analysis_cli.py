"""The compare, sweep and montecarlo commands on real workbooks: outputs, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from capacity_planner.cli import main
from capacity_planner.domain.entities import ScenarioRow
from capacity_planner.io.writer import save_model
from test_analysis_runs import SCENARIOS, model

# Strict: minimum cost with no new posts, so a minimum the 12,000 hours cannot reach is
# infeasible (14,000 hours of demand at 100 % minimum service).
STRICT = (ScenarioRow("Strict", "objective", "min_cost"),
          ScenarioRow("Strict", "max_new_fte", 0))


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / "model.xlsx"
    save_model(model(8_000, 6_000, *SCENARIOS, *STRICT), path)
    return path


def _no_formulas(path: Path) -> bool:
    book = openpyxl.load_workbook(path)
    return all(c.data_type != "f" for ws in book for row in ws.iter_rows() for c in row)


def test_compare_json_and_workbook(workbook: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Unmet hours as worked out in test_analysis_runs: 4,000, 6,800 and 7,000."""
    out = tmp_path / "cmp.xlsx"
    code = main(["compare", str(workbook), "--scenarios", "Up,thin", "--json",
                 "--workers", "1", "--out", str(out)])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert [(s["scenario"], s["unmet_hours"]) for s in data["scenarios"]] == [
        ("Baseline", 4_000), ("Up", 6_800), ("Thin", 7_000)]
    assert data["differences"][1]["unmet_hours_vs_baseline"] == pytest.approx(2_800)
    assert openpyxl.load_workbook(out).sheetnames == ["Totals", "Differences", "Streams",
                                                      "About"]
    assert _no_formulas(out)


def test_compare_table_and_usage_errors(workbook: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(workbook), "--scenarios", "Up", "--workers", "1",
                 "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "Unmet (hours)" in text and "6,800 (+2,800)" in text
    assert main(["compare", str(workbook), "--scenarios", "Nope"]) == 2
    assert "No scenario named 'Nope'" in capsys.readouterr().err
    assert main(["compare", str(workbook), "--out", "x.txt"]) == 2


def test_sweep_writes_table_and_chart(workbook: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    out, chart = tmp_path / "sweep.csv", tmp_path / "sweep.png"
    code = main(["sweep", str(workbook), "--param", "demand_change_pct", "--values",
                 "-25:25:25", "--target", "stream=FIN", "--workers", "1", "--quiet",
                 "--out", str(out), "--chart", str(chart)])
    assert code == 0
    lines = out.read_text("utf-8-sig").splitlines()
    assert lines[0].startswith("demand_change_pct,scenario,status,")
    assert len(lines) == 4
    assert chart.read_bytes()[:4] == b"\x89PNG"
    assert "sweep demand_change_pct=25" in lines[3]
    capsys.readouterr()
    assert main(["sweep", str(workbook), "--param", "demand_change_pct", "--values",
                 "1:2"]) == 2
    assert main(["sweep", str(workbook), "--param", "objective", "--values", "1"]) == 2
    assert main(["sweep", str(workbook), "--param", "attrition_pct", "--values", "5",
                 "--target", "unit=A"]) == 2
    assert main(["sweep", str(workbook), "--param", "abstraction_pct", "--values", "50,120",
                 "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert "attrition_pct does not take a unit target" in err
    assert "Percent out of range (found 120.0; expected 0 to 100)" in err


def test_sweep_with_an_infeasible_point_exits_3(workbook: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Strict with every minimum at 80 %: 6,400 + 4,800 = 11,200 <= 12,000 hours, a plan;
    at 100 %: 14,000 > 12,000 and no new posts, infeasible."""
    code = main(["sweep", str(workbook), "--param", "min_service_pct", "--values", "80,100",
                 "--scenario", "strict", "--workers", "1", "--json"])
    assert code == 3
    table = json.loads(capsys.readouterr().out)["table"]
    assert [r["status"] for r in table] == ["optimal", "infeasible"]
    assert table[1]["unmet_hours"] is None


def _with_uncertainty(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.load_workbook(path)
    ws = book.create_sheet("Uncertainty")
    ws.append(["stream_id", "distribution", "cv_pct", "low_pct", "high_pct"])
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def test_montecarlo_is_reproducible_and_reads_the_uncertainty_sheet(
        workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _with_uncertainty(workbook, [["FIN", "triangular", None, -10, 30]])
    out, chart = tmp_path / "mc.xlsx", tmp_path / "fan.svg"
    args = ["montecarlo", str(workbook), "--draws", "5", "--seed", "3", "--cv", "0.1",
            "--workers", "1", "--json"]
    assert main([*args, "--out", str(out), "--chart", str(chart)]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out) == first
    assert first["distributions"] == {"FIN": "triangular -10 % / +0 % / +30 %",
                                      "DRUGS": "normal, CV 10 %"}
    assert first["solved"] == 5
    assert {(s["unit"], s["stream"]) for s in first["service"]} == {
        ("A", "FIN"), ("All", "FIN"), ("All", "All")}
    assert openpyxl.load_workbook(out).sheetnames == ["Bands", "Service", "Draws", "About"]
    assert _no_formulas(out)
    assert chart.read_text("utf-8").lstrip().startswith("<?xml")


def test_montecarlo_text_summary(workbook: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["montecarlo", str(workbook), "--draws", "3", "--workers", "1",
                 "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "Monte Carlo of scenario Baseline: 3 draws, seed 0, chains of 20, on 1 process" in text
    assert "Probability of meeting the minimum service level" in text
    assert "Unmet (hours)" in text


def test_montecarlo_bad_input(workbook: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["montecarlo", str(workbook), "--draws", "0"]) == 2
    assert main(["montecarlo", str(workbook), "--cv", "-1"]) == 2
    assert main(["montecarlo", str(workbook), "--chain", "0"]) == 2
    assert main(["montecarlo", str(workbook), "--scenario", "nope"]) == 2
    _with_uncertainty(workbook, [["GHOST", "normal", 10, None, None]])
    assert main(["montecarlo", str(workbook), "--draws", "2", "--workers", "1"]) == 1
    err = capsys.readouterr().err
    assert "sheet Uncertainty, row 2, column stream_id: Unknown stream" in err


def test_invalid_model_exits_1(workbook: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = openpyxl.load_workbook(workbook)
    book["Establishment"]["D2"] = "lots"
    book.save(workbook)
    assert main(["compare", str(workbook), "--workers", "1"]) == 1
    assert "nothing was solved" in capsys.readouterr().err
