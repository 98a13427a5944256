"""Column mappings: an HR extract in its own layout reads through a saved mapping, and
``guess_mapping`` proposes one from headers."""

from __future__ import annotations

import json
from pathlib import Path

from capacity_planner.io import load_model
from capacity_planner.io.mapping import (
    ColumnMapping,
    TableMapping,
    guess_mapping,
    load_mapping,
    mapping_for,
    save_mapping,
)
from test_io_fixtures import minimal_sheets, write_book


def test_guess_from_an_hr_extract() -> None:
    headers = ["Org Unit", "Job Code", "Budgeted FTE", "Strength", "Trainees", "Abstraction %",
               "Cost centre manager", "Absence"]
    assert guess_mapping(headers, "Establishment") == {
        "Org Unit": "unit_id", "Job Code": "role_id", "Budgeted FTE": "funded_fte",
        "Strength": "in_post_fte", "Trainees": "in_training_fte",
        "Abstraction %": "abstraction_pct", "Absence": "absent_fte"}
    assert guess_mapping(["Unit", "Role", "Vacancies"], "vacancies") == {
        "Unit": "unit_id", "Role": "role_id", "Vacancies": "vacant_fte"}
    assert guess_mapping(["funded ftee"], "Establishment") == {"funded ftee": "funded_fte"}


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    mapping = mapping_for("establishment", {"Org Unit": "unit_id", "Notes": ""},
                          sheet="Report 1", name="Monthly HR")
    save_mapping(mapping, tmp_path / "hr.json")
    loaded, problems = load_mapping(tmp_path / "hr.json")
    assert problems == [] and loaded == mapping
    assert json.loads((tmp_path / "hr.json").read_text())["version"] == 1


def test_model_read_through_a_mapping(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    est = sheets.pop("Establishment")
    est[0] = ["Org Unit", "Job", "Budget", "Strength", "Trainees", "Absence", "Abstraction",
              "Manager"]
    for row in est[1:]:
        row.append("someone")
    sheets["HR report"] = est
    mapping = ColumnMapping("HR", {"Establishment": TableMapping("HR report", {
        "org unit": "unit_id", "JOB": "role_id", "Budget": "funded_fte",
        "Strength": "in_post_fte", "Trainees": "in_training_fte", "Absence": "absent_fte",
        "Abstraction": "abstraction_pct", "Manager": ""})})
    save_mapping(mapping, tmp_path / "hr.json")
    path = write_book(tmp_path / "m.xlsx", sheets)
    result = load_model(path, mapping=tmp_path / "hr.json")
    assert result.ok, [str(p) for p in result.problems]
    assert result.model.establishment[1].funded_fte == 430
    assert "Establishment" not in result.model.extra_columns  # "Manager" is ignored


def test_bad_mapping_files_are_problems(tmp_path: Path) -> None:
    path = write_book(tmp_path / "m.xlsx", minimal_sheets())
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert [p.code for p in load_model(path, mapping=bad).errors] == ["mapping"]
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"tables": {"Roles": {"columns": {"Pay": "salary"}}, "Payroll": {}}}')
    mapping, problems = load_mapping(wrong)
    assert [p.value for p in problems] == ["salary", "Payroll"]
    assert [p.code for p in load_model(path, mapping=tmp_path / "none.json").errors] == [
        "missing"]
