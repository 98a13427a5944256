"""`capacity-planner solve`: every option and exit code of DESIGN section 5, on real
workbooks written to disk."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from capacity_planner.cli import main
from capacity_planner.domain.entities import (
    DemandRow,
    EstablishmentRow,
    Role,
    ScenarioRow,
    Skill,
    Stream,
    Unit,
)
from capacity_planner.domain.model import PlanningModel
from capacity_planner.io.samples import south_east_model
from capacity_planner.io.samples.vacancies import write_vacancies_workbook
from capacity_planner.io.writer import save_model

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "south_east.xlsx"


def tiny(**more: object) -> PlanningModel:
    return PlanningModel(
        units=(Unit("U", "Unit"),), roles=(Role("DC", 60_000, 1_500, training_months=12),),
        establishment=(EstablishmentRow("U", "DC", 10, 10, in_training_fte=2,
                                        abstraction_pct=20),),
        streams=(Stream("SOC", "serious and organised crime"),),
        skills=(Skill("DC", "SOC"),), demand=(DemandRow("U", "SOC", "Y1", 15_000),), **more)


@pytest.fixture
def tiny_book(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.xlsx"
    save_model(tiny(scenarios=(ScenarioRow("Bid", "objective", "min_cost"),
                               ScenarioRow("Bid", "min_service_pct", 100))), path)
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["solve", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_summary_for_a_planner(tiny_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --json: status, the DESIGN tiny case's coverage and unmet hours, the next
    post to fund; exit 0."""
    code, out, _ = run(capsys, str(tiny_book))
    assert code == 0
    assert out.startswith("Baseline: optimal (coverage)")
    assert "Coverage 72.0 %; unmet 4,200 hours (weighted 4,200); cost £0" in out
    assert "Next post to fund: one more DC at Unit in Y1" in out


def test_json_of_one_scenario(tiny_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--json prints one object with every key of DESIGN section 5."""
    code, out, _ = run(capsys, str(tiny_book), "--json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["scenario", "status", "objective", "totals", "coverage",
                          "workforce", "allocation", "explanation", "solver"]
    assert data["status"] == "optimal"
    assert data["totals"]["unmet_hours"] == 4_200 and data["totals"]["coverage_pct"] == 72
    assert data["workforce"][0]["available_hours"] == 10_800
    assert set(data["solver"]) == {"name", "build_s", "solve_s"}


def test_infeasible_exits_3_with_the_explanation(tiny_book: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """The Bid scenario asks for 100 % of 15,000 hours. With no lead time it can hire:
    joiners train for all 12 months at 0.5, so each gives 0.5 * 1,500 * 0.8 = 600 hours
    and the 4,200 missing hours take 7 new posts (exit 0). With a 12-month lead time
    no one new starts within the plan: infeasible, exit 3, the shortfall explained."""
    code, out, _ = run(capsys, str(tiny_book), "--scenario", "bid", "--json")
    assert code == 0
    assert json.loads(out)["totals"]["new_fte"] == pytest.approx(7)
    late = tiny_book.with_name("late.xlsx")
    m = tiny(scenarios=(ScenarioRow("Bid", "objective", "min_cost"),
                        ScenarioRow("Bid", "min_service_pct", 100)))
    save_model(replace(m, roles=(replace(m.roles[0], recruitment_months=12),)), late)
    code, out, _ = run(capsys, str(late), "--scenario", "Bid")
    assert code == 3
    assert "Bid: infeasible (min_cost)" in out
    assert ("serious and organised crime at Unit in Y1: 4,200 hours short; new posts cannot "
            "start in time") in out


def test_vacancy_workbook_merge(tmp_path: Path, tiny_book: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    """4 of the 10 posts vacant: in post 6, of whom 2 trainees: (4 + 2 * 0.5) * 1,500 *
    0.8 = 6,000 hours, 9,000 unmet, 40 % coverage."""
    vac = tmp_path / "vacancies.xlsx"
    write_vacancies_workbook(pd.DataFrame({"unit_id": ["U"], "role_id": ["DC"],
                                           "vacant_fte": [4.0]}), vac)
    code, out, _ = run(capsys, str(tiny_book), "--vacancies", str(vac), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["workforce"][0]["in_post_fte"] == 6
    assert data["totals"]["unmet_hours"] == 9_000 and data["totals"]["coverage_pct"] == 40


def test_cbc_and_charts(tmp_path: Path, tiny_book: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    charts = tmp_path / "charts"
    code, out, _ = run(capsys, str(tiny_book), "--solver", "cbc", "--json", "--charts",
                       str(charts))
    assert code == 0
    data = json.loads(out)
    assert data["solver"]["name"] == "cbc" and data["totals"]["unmet_hours"] == 4_200
    pngs = sorted(p.name for p in charts.glob("*.png"))
    assert "coverage_heatmap-Baseline.png" in pngs
    assert all((charts / p).stat().st_size > 1_000 for p in pngs)


def test_invalid_input_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Trainees plus absent beyond in post is an error: printed, nothing solved."""
    bad = tmp_path / "bad.xlsx"
    m = tiny()
    save_model(replace(m, establishment=(replace(m.establishment[0], absent_fte=9),)), bad)
    code, out, err = run(capsys, str(bad))
    assert code == 1 and out == ""
    assert "error:" in err and "nothing was solved" in err


@pytest.mark.parametrize("args, message", [
    (["--out", "r.csv"], "the results workbook is an .xlsx file"),
    (["--scenario", "Nope"], "No scenario named 'Nope'"),
    (["--time-limit", "0"], "--time-limit must be a positive number"),
])
def test_usage_errors_exit_2(tiny_book: Path, capsys: pytest.CaptureFixture[str],
                             args: list[str], message: str) -> None:
    code, _, err = run(capsys, str(tiny_book), *args)
    assert code == 2 and message in err


def test_usage_errors_from_argparse(tiny_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, str(tiny_book), "--scenario", "Bid", "--all-scenarios")[0] == 2
    assert run(capsys, str(tiny_book), "--solver", "glpk")[0] == 2
    assert run(capsys, "missing.xlsx")[0] == 2


def test_time_limit_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The South East in whole posts under a budget does not finish in 3 seconds: the
    best plan is printed as time_limit, not proven optimal, and the exit code is 3."""
    m = south_east_model()
    m = replace(m, scenarios=(ScenarioRow("Whole", "whole_posts", 1),
                              ScenarioRow("Whole", "budget_gbp", 3_000_000)))
    book = tmp_path / "whole.xlsx"
    save_model(m, book)
    code, out, _ = run(capsys, str(book), "--scenario", "Whole", "--time-limit", "3")
    assert code == 3
    assert out.startswith("Whole: time_limit (coverage, not proven optimal)")
    assert "Time limit (3 s): best plan found, not proven optimal" in out


# ---- the sample, every scenario, JSON and the results workbook -----------------------------

@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, list[dict], Path]:
    folder = tmp_path_factory.mktemp("sample")
    out = folder / "r.xlsx"
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "capacity-planner"), "solve", str(SAMPLE),
         "--all-scenarios", "--json", "--out", str(out)],
        capture_output=True, text=True, timeout=900, check=False)
    return done.returncode, json.loads(done.stdout), out


def _table(ws: openpyxl.worksheet.worksheet.Worksheet) -> pd.DataFrame:
    rows = list(ws.iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r and r[0] == "Scenario")
    header = rows[top]
    body = []
    for r in rows[top + 1:]:
        if not r or r[0] in (None, ""):
            break
        body.append(r)
    return pd.DataFrame(body, columns=header)


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-9)  # type: ignore[arg-type]
    return a == b


def _check_workbook_equals_json(path: Path, data: list[dict]) -> None:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    summary = _table(book["Summary"]).set_index("Scenario")
    keys = {"Demand hours": "demand_hours", "Delivered hours": "delivered_hours",
            "Unmet hours": "unmet_hours", "Coverage %": "coverage_pct",
            "Weighted unmet": "weighted_unmet", "Recruited FTE": "recruited_fte",
            "New posts FTE": "new_fte", "Overtime hours": "overtime_hours",
            "Cost £": "cost_gbp"}
    for r in data:
        row = summary.loc[r["scenario"]]
        assert row["Status"] == r["status"] and row["Objective"] == r["objective"]
        for column, key in keys.items():
            assert _same(row[column], r["totals"][key]), (r["scenario"], column)
    demand = _table(book["Demand"])
    assert len(demand) == sum(len(r["coverage"]) for r in data)
    flat = [(r["scenario"], c) for r in data for c in r["coverage"]]
    for (scenario, c), row in zip(flat, demand.itertuples(index=False), strict=True):
        assert (row[0], row[1], row[3], row[5]) == (scenario, c["unit"], c["stream"],
                                                    c["period"])
        assert _same(row[6], c["demand_hours"]) and _same(row[8], c["delivered_hours"])
        assert _same(row[9], c["coverage_pct"])
    plan = _table(book["Plan"])
    flat_w = [(r["scenario"], w) for r in data for w in r["workforce"]]
    assert len(plan) == len(flat_w)
    for (scenario, w), row in zip(flat_w, plan.itertuples(index=False), strict=True):
        assert (row[0], row[1], row[3], row[5]) == (scenario, w["unit"], w["role"],
                                                    w["period"])
        assert _same(row[6], w["recruited_fte"]) and _same(row[7], w["new_fte"])
        assert _same(row[9], w["marginal_value_per_fte"])


def test_every_sample_scenario_json_and_workbook(sample_run: tuple[int, list[dict],
                                                                   Path]) -> None:
    """The bundled South East sample: every scenario solves to optimality, and the
    results workbook reads back equal to the JSON (totals, coverage, plan)."""
    code, data, out = sample_run
    assert code == 0
    assert [r["scenario"] for r in data] == south_east_model().scenario_names
    assert all(r["status"] == "optimal" for r in data)
    _check_workbook_equals_json(out, data)


@pytest.mark.libreoffice
def test_workbook_opens_in_libreoffice(tmp_path: Path,
                                       sample_run: tuple[int, list[dict], Path]) -> None:
    """LibreOffice opens the results workbook and saves it again; the copy still reads
    back equal to the JSON."""
    _, data, out = sample_run
    soffice = shutil.which("soffice")
    assert soffice is not None
    profile = tmp_path / "profile"
    converted = tmp_path / "converted"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(converted), str(out)],
                   capture_output=True, timeout=600, check=True)
    _check_workbook_equals_json(converted / "r.xlsx", data)
