"""`capacity-planner opendata`: the per-force summary, the comparison with a model, and
the seeded model written only with --out."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from capacity_planner.cli import main
from capacity_planner.io import load_model
from capacity_planner.io.writer import save_model
from test_opendata import FORCES, _model, published_rows, write_ods  # the same .ods layout


@pytest.fixture(scope="module")
def ods(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_ods(tmp_path_factory.mktemp("odcli") / "workforce.ods", published_rows())


def test_summary_per_force(ods: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["opendata", str(ods), "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert "as at 31 March 2024" in out and f"{len(FORCES)} forces" in out
    kent = sum(r[8] for r in published_rows() if r[0] == 2024 and r[2] == "Kent")
    line = next(x for x in out.splitlines() if x.startswith("Kent"))
    assert line.split()[-1] == f"{kent:,.1f}"
    everyone = sum(r[8] for r in published_rows() if r[0] == 2024)
    assert out.splitlines()[-1].split()[-1] == f"{everyone:,.1f}"


def test_latest_year_by_default_and_unknown_year(ods: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["opendata", str(ods)]) == 0
    assert "as at 31 March 2025" in capsys.readouterr().out
    assert main(["opendata", str(ods), "--year", "1999"]) == 1
    assert "no figures for 1999; years: 2024, 2025" in capsys.readouterr().err


def test_compare_then_seed_with_out(ods: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Police Officer (all ranks) -> DC and NHOOD: Hampshire's 30 + 10 in post become the
    published officer FTE, shared 3:1."""
    model = tmp_path / "model.xlsx"
    save_model(_model(), model)
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"Police Officer": ["DC", "NHOOD"]}))
    before = model.read_bytes()
    assert main(["opendata", str(ods), "--year", "2025", "--model", str(model),
                 "--mapping", str(mapping), "--role", "PCSO=PCSO"]) == 0
    out = capsys.readouterr()
    assert "Mapping: Police Officer = DC; Police Officer = NHOOD; PCSO = PCSO" in out.out
    assert "HAMPSHIRE" in out.out and "Nothing written" in out.out
    assert "3 published forces match no unit of the model: Surrey, Thames Valley, Kent" in (
        out.err)
    assert "ESSEX" in out.err
    assert "error" not in out.err
    assert model.read_bytes() == before

    seeded = tmp_path / "seeded.xlsx"
    assert main(["opendata", str(ods), "--year", "2025", "--model", str(model),
                 "--mapping", str(mapping), "--out", str(seeded)]) == 0
    loaded = load_model(seeded)
    assert loaded.model is not None and loaded.ok, loaded.problems
    rows = {(e.unit_id, e.role_id): e.in_post_fte for e in loaded.model.establishment}
    officers = sum(r[8] for r in published_rows()
                   if r[0] == 2025 and r[2] == "Hampshire" and r[6] == "Police Officer")
    assert rows[("HAMPSHIRE", "DC")] == pytest.approx(0.75 * officers)
    assert rows[("HAMPSHIRE", "NHOOD")] == pytest.approx(0.25 * officers)


def test_bad_role_pair_and_mapping_without_model(ods: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    assert main(["opendata", str(ods), "--role", "Police Officer=DC"]) == 2
    model = tmp_path / "model.xlsx"
    save_model(_model(), model)
    capsys.readouterr()
    assert main(["opendata", str(ods), "--model", str(model), "--role", "DC"]) == 1
    assert "is not WORKER TYPE[/RANK]=ROLE_ID" in capsys.readouterr().err


def test_a_model_that_does_not_validate_yet_can_still_be_seeded(
        ods: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A national model started from published figures may have no demand yet: its
    problems are shown but do not stop the import."""
    model = tmp_path / "start.xlsx"
    save_model(replace(_model(), demand=(), skills=()), model)
    seeded = tmp_path / "seeded.xlsx"
    assert main(["opendata", str(ods), "--model", str(model), "--out", str(seeded)]) == 0
    assert "The model has no Demand" in capsys.readouterr().err
    loaded = load_model(seeded)
    assert loaded.model is not None
    pcso = {e.unit_id: e.in_post_fte for e in loaded.model.establishment
            if e.role_id == "PCSO"}
    expected = sum(r[8] for r in published_rows()
                   if r[0] == 2025 and r[2] == "Devon & Cornwall" and r[5] == "PCSO")
    assert pcso["DEVON"] == pytest.approx(expected)
