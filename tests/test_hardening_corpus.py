"""The generated corpus (tests/corpus.py) through the import entry point: every hostile
file refused with one problem that names the file and says what it is, nothing written
next to or into it; every messy but valid file read correctly, or refused with the row and
column named; CSV as different programs save it."""

from __future__ import annotations

from pathlib import Path

import pytest

from capacity_planner.io import load_model
from corpus import (
    CSV_VARIANTS,
    HOSTILE,
    colliding_keys,
    csv_variant,
    messy_book,
    ods_book,
    xlsm_with_macros,
)


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_file_is_refused_and_left_alone(case: str, tmp_path: Path) -> None:
    build, code, phrase = HOSTILE[case]
    path = build(tmp_path)
    before = _snapshot(tmp_path)
    result = load_model(path)
    assert result.model is None and not result.ok
    errors = result.errors
    assert len(errors) == 1, [str(p) for p in result.problems]
    assert errors[0].code == code, str(errors[0])
    assert errors[0].where.file == str(path)
    assert phrase in errors[0].message, str(errors[0])
    assert _snapshot(tmp_path) == before  # nothing written, nothing touched


def test_macro_workbook_is_read_and_its_macros_noted(tmp_path: Path) -> None:
    result = load_model(xlsm_with_macros(tmp_path))
    assert result.ok, [str(p) for p in result.problems]
    assert [u.unit_id for u in result.model.units] == ["SURREY", "SUSSEX"]
    assert any(p.code == "macros" for p in result.notes)


def test_ods_written_by_odfpy(tmp_path: Path) -> None:
    result = load_model(ods_book(tmp_path))
    assert result.ok, [str(p) for p in result.problems]
    assert result.model.establishment[1].in_post_fte == 373
    assert result.model.scenarios[0].value == 20


def test_messy_but_valid_workbook(tmp_path: Path) -> None:
    """Title merged over A1:I1, the table at C4, decimal commas (6,0), continental
    thousands (400.000,0), 25% as text, a period typed as a date, a leading-zero ID."""
    result = load_model(messy_book(tmp_path))
    assert result.ok, [str(p) for p in result.errors]
    m = result.model
    surrey = m.establishment[0]
    assert (surrey.funded_fte, surrey.in_post_fte, surrey.origin.row) == (6, 3, 5)
    assert m.establishment[2].abstraction_pct == 25
    assert m.demand[1].hours == 400_000
    assert m.demand[2].period == m.periods[1].period == "2026-04-01"
    assert "00123" in [u.unit_id for u in m.units]


def test_key_collisions_are_reported(tmp_path: Path) -> None:
    """A trailing non-breaking space (row 4) is an exact duplicate once trimmed, and so is
    a composed accent after a decomposed one (row 6: the same text in Unicode): errors.
    Full-width letters (KENT on row 8 after ＫＥＮＴ) only look the same: a warning."""
    result = load_model(colliding_keys(tmp_path))
    dup = [p for p in result.errors if p.code == "duplicate_key"]
    assert [(p.where.sheet, p.where.row) for p in dup] == [("Units", 4), ("Units", 6)]
    near = [p for p in result.warnings if p.code == "near_duplicate_key"]
    assert [(p.where.row, p.where.column) for p in near] == [(8, "unit_id")]


@pytest.mark.parametrize("variant", CSV_VARIANTS)
def test_csv_variants(variant: str, tmp_path: Path) -> None:
    result = load_model(csv_variant(variant)(tmp_path))
    assert result.model is not None
    row = result.model.demand[0]
    assert (row.unit_id, row.stream_id, row.period) == ("SURREY", "SOC_INV", "2025/26")
    assert row.hours == 1650.5 and row.min_service_pct == 25
    if variant == "cp1252":
        assert result.model.extra_columns["Demand"]["note"] == ["£ café"]
    bad = [p for p in result.errors if p.code not in ("csv_one_table", "empty_table", "unknown_id")]
    assert not bad, [str(p) for p in bad]
