"""Sweep grids and targets, demand distributions and the Uncertainty sheet (no solver)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pytest

from capacity_planner.analysis.montecarlo import MonteCarloSpec, draw_factors
from capacity_planner.analysis.sweep import SweepError, parse_target, parse_values
from capacity_planner.analysis.uncertainty import StreamUncertainty
from capacity_planner.analysis.uncertainty_sheet import read_uncertainty
from capacity_planner.domain.entities import DemandRow, Period, Stream
from capacity_planner.domain.model import PlanningModel


def test_values_range_includes_stop_and_avoids_float_drift() -> None:
    assert parse_values("-20:40:10") == (-20, -10, 0, 10, 20, 30, 40)
    assert parse_values("0:0.3:0.1") == (0, 0.1, 0.2, 0.3)
    assert parse_values("40:-20:-30") == (40, 10, -20)
    assert parse_values("5, 12.5,0") == (5, 12.5, 0)


@pytest.mark.parametrize("text", ["", "a,b", "1:2", "0:10:0", "0:10:-1", "1:2:3:4", "nan"])
def test_bad_values_are_usage_errors(text: str) -> None:
    with pytest.raises(SweepError):
        parse_values(text)


@pytest.mark.parametrize(("text", "says"), [
    ("0:10:-1", "the step must go from START towards STOP"),
    ("1:2", "a range is START:STOP:STEP"),
    ("0:1e6:1", "too many"),
    ("a,b", "not a list of numbers"),
])
def test_bad_values_say_what_is_wrong(text: str, says: str) -> None:
    """The specific reason reaches the user, not a generic "not a list of numbers"."""
    with pytest.raises(SweepError, match=says):
        parse_values(text)


def test_targets() -> None:
    assert parse_target("stream=FIN, Unit=SURREY") == {"stream_id": "FIN", "unit_id": "SURREY"}
    assert parse_target(None) == {}
    with pytest.raises(SweepError, match="KEY=ID"):
        parse_target("colour=red")


def _model() -> PlanningModel:
    return PlanningModel(
        streams=(Stream("FIN"), Stream("DRUGS"), Stream("IDLE")),
        demand=(DemandRow("A", "FIN", "Y1", 100), DemandRow("A", "DRUGS", "Y1", 100),
                DemandRow("A", "FIN", "Y2", 100)),
        periods=(Period("Y1", 12), Period("Y2", 12)))


def test_draws_are_reproducible_and_independent_of_the_number_of_draws() -> None:
    """Draw i comes from child i of SeedSequence(seed), so the first 5 draws of a 5-draw
    run are the first 5 of a 50-draw run; a stream without demand gets no factors."""
    model = _model()
    short = draw_factors(model, MonteCarloSpec(draws=5, seed=7, cv=0.2))
    long = draw_factors(model, MonteCarloSpec(draws=50, seed=7, cv=0.2))
    assert short.shape == (5, 2, 2)
    assert np.array_equal(short, long[:5])
    assert not np.array_equal(short, draw_factors(model, MonteCarloSpec(draws=5, seed=8)))
    assert np.all(draw_factors(model, MonteCarloSpec(draws=3, seed=1, cv=0)) == 1.0)


def test_distributions_are_centred_on_the_forecast() -> None:
    """Normal and lognormal have mean 1 and the given CV; triangular stays in its limits
    with mean 1 + (low + mode + high) / 300."""
    rng = np.random.default_rng(3)
    n = 200_000
    normal = StreamUncertainty("S", "normal", cv_pct=10).factors(rng, n)
    logn = StreamUncertainty("S", "lognormal", cv_pct=30).factors(rng, n)
    tri = StreamUncertainty("S", "triangular", low_pct=-20, mode_pct=0, high_pct=50
                            ).factors(rng, n)
    assert normal.mean() == pytest.approx(1, abs=0.002)
    assert normal.std() == pytest.approx(0.10, abs=0.002)
    assert logn.mean() == pytest.approx(1, abs=0.004) and logn.min() > 0
    assert logn.std() == pytest.approx(0.30, abs=0.01)
    assert tri.min() >= 0.8 and tri.max() <= 1.5
    assert tri.mean() == pytest.approx(1 + 30 / 300, abs=0.002)


def _workbook(path: Path, rows: list[list[object]], sheet: str = "uncertainty ") -> Path:
    book = openpyxl.Workbook()
    book.active.title = "Units"
    ws = book.create_sheet(sheet)
    ws.append(["Demand uncertainty (title above the table)"])
    ws.append(["Stream ID", "Distribution", "CV (%)", "Low %", "Mode %", "High %"])
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def test_uncertainty_sheet_is_read_with_the_workbook_header_rules(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "m.xlsx", [
        ["fin", "Normal", 12, None, None, None],
        [None, None, None, None, None, None],
        ["DRUGS", "triangular", None, "-20%", None, 35],
    ])
    items, problems = read_uncertainty(path, _model())
    assert problems == []
    assert items == [StreamUncertainty("FIN", "normal", 12.0),
                     StreamUncertainty("DRUGS", "triangular", 0.0, -20.0, 0.0, 35.0)]


def test_uncertainty_sheet_problems_name_row_and_column(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "m.xlsx", [
        ["NOPE", "normal", 10, None, None, None],
        ["FIN", "gaussian", 10, None, None, None],
        ["DRUGS", "triangular", None, -20, 10, None],
        ["IDLE", "lognormal", "lots", None, None, None],
    ])
    items, problems = read_uncertainty(path, _model())
    assert items == []
    found = [(p.where.sheet, p.where.row, p.where.column, p.message) for p in problems]
    assert found == [
        ("uncertainty ", 3, "stream_id", "Unknown stream"),
        ("uncertainty ", 4, "distribution", "Unknown distribution"),
        ("uncertainty ", 5, "high_pct", "A triangular distribution needs low_pct and "
                                        "high_pct"),
        ("uncertainty ", 6, "cv_pct", "Not a number"),
    ]
    assert all(p.is_error and p.where.file == str(path) for p in problems)


def test_fractions_in_a_pct_column_are_read_as_percent_with_a_note(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "m.xlsx", [["FIN", "lognormal", 0.25, None, None, None]])
    items, problems = read_uncertainty(path, _model())
    assert items == [StreamUncertainty("FIN", "lognormal", 25.0)]
    assert [p.severity.value for p in problems] == ["note"]


def test_no_uncertainty_sheet_means_nothing(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "m.xlsx", [["FIN", "normal", 10]], sheet="Notes")
    assert read_uncertainty(path, _model()) == ([], [])
