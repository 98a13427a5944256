"""The vacancy workbook updates Establishment (in_post = funded - vacant), and a merge with
any error changes nothing."""

from __future__ import annotations

from pathlib import Path

from capacity_planner.io import load_model
from capacity_planner.io.mapping import load_mapping
from test_io_fixtures import minimal_sheets, write_book


def _model(tmp_path: Path) -> Path:
    return write_book(tmp_path / "m.xlsx", minimal_sheets())


def test_vacant_fte_sets_in_post(tmp_path: Path) -> None:
    """Surrey DC: funded 6, 3 vacant -> 3 in post (already 3); Sussex DC: funded 430,
    57 vacant -> 373 in post, trainees updated to 90."""
    vac = write_book(tmp_path / "v.xlsx", {"Extract": [
        ["Vacancy extract, March 2025"],
        ["Unit ID", "Role ID", "Vacant FTE", "In training FTE"],
        ["SURREY", "DC", 3, None], ["sussex", "dc", 57, 90]]})
    result = load_model(_model(tmp_path), vacancies=vac)
    assert result.ok, [str(p) for p in result.problems]
    est = result.model.establishment
    assert (est[0].in_post_fte, est[1].in_post_fte, est[1].in_training_fte) == (3, 373, 90)
    assert est[2].in_post_fte == 10  # untouched
    assert any(p.code == "vacancies_merged" for p in result.notes)


def test_in_post_fte_given_directly_from_csv(tmp_path: Path) -> None:
    vac = tmp_path / "v.csv"
    vac.write_text("unit_id,role_id,in_post_fte\nSUSSEX,ANALYST,6\n", encoding="utf-8")
    result = load_model(_model(tmp_path), vacancies=vac)
    assert result.ok
    assert result.model.establishment[2].in_post_fte == 6


def test_unknown_unit_or_role_changes_nothing(tmp_path: Path) -> None:
    vac = write_book(tmp_path / "v.xlsx", {"Vacancies": [
        ["unit_id", "role_id", "vacant_fte"], ["SURREY", "DC", 1], ["KENT", "DC", 1],
        ["SUSSEX", "PCSO", 2]]})
    plain = load_model(_model(tmp_path)).model
    result = load_model(_model(tmp_path), vacancies=vac)
    assert not result.ok
    assert result.model == plain
    bad = [(p.where.row, p.where.column, p.value) for p in result.errors]
    assert bad == [(3, "unit_id", "KENT"), (4, "role_id", "PCSO")]
    assert all(p.where.file == str(vac) for p in result.errors)


def test_more_vacancies_than_posts_and_missing_columns(tmp_path: Path) -> None:
    vac = write_book(tmp_path / "v.xlsx", {"Vacancies": [
        ["unit_id", "role_id", "vacant_fte"], ["SURREY", "DC", 7]]})
    result = load_model(_model(tmp_path), vacancies=vac)
    assert [p.code for p in result.errors] == ["bad_number"]
    nothing = write_book(tmp_path / "n.xlsx", {"Vacancies": [["unit_id", "role_id"],
                                                             ["SURREY", "DC"]]})
    result = load_model(_model(tmp_path), vacancies=nothing)
    assert [p.code for p in result.errors] == ["missing_column"]


def test_vacancies_through_a_mapping(tmp_path: Path) -> None:
    mapping = tmp_path / "hr.json"
    mapping.write_text('{"name": "HR", "tables": {"Vacancies": {"sheet": "Report", "columns":'
                       ' {"Org Unit": "unit_id", "Job": "role_id", "Vacant": "vacant_fte"}}}}')
    vac = write_book(tmp_path / "v.xlsx", {
        "Summary": [["unit_id", "role_id", "vacant_fte"], ["SURREY", "DC", 6]],
        "Report": [["Org Unit", "Job", "Vacant"], ["SURREY", "DC", 2]]})
    result = load_model(_model(tmp_path), vacancies=vac, mapping=mapping)
    assert result.ok, [str(p) for p in result.problems]
    assert result.model.establishment[0].in_post_fte == 4
    assert load_mapping(mapping)[0].for_table("vacancies").sheet == "Report"


def test_missing_vacancy_file(tmp_path: Path) -> None:
    result = load_model(_model(tmp_path), vacancies=tmp_path / "none.xlsx")
    assert [p.code for p in result.errors] == ["missing"]
    assert result.model == load_model(_model(tmp_path)).model
