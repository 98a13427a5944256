"""The pure undo/redo stack over the immutable planning model."""

from __future__ import annotations

import pytest

from capacity_planner.domain import edits
from capacity_planner.domain.entities import EstablishmentRow, Role, ScenarioRow, Unit
from capacity_planner.domain.model import PlanningModel


def small_model() -> PlanningModel:
    return PlanningModel(
        units=(Unit("SURREY"), Unit("SUSSEX")),
        roles=(Role("DC", 60_000, 1_500),),
        establishment=(EstablishmentRow("SURREY", "DC", 10, 8),
                       EstablishmentRow("SUSSEX", "DC", 18, 13)),
        scenarios=(ScenarioRow("Growth", "demand_change_pct", 20.0),
                   ScenarioRow("Growth", "budget_gbp", 1e6)),
    )


def test_set_cell_undo_redo_names_and_clean_state() -> None:
    m0 = small_model()
    stack = edits.CommandStack(m0)
    assert stack.is_clean and not stack.can_undo and stack.undo_name == ""
    m1 = stack.do(edits.set_cell(m0, "establishment", 1, "in_post_fte", 15.0))
    assert m1.establishment[1].in_post_fte == 15.0
    assert m0.establishment[1].in_post_fte == 13  # the old model is untouched
    assert stack.undo_name == "Edit in_post_fte" and not stack.is_clean
    assert stack.undo() == m0 and stack.is_clean
    assert stack.redo_name == "Edit in_post_fte"
    assert stack.redo() == m1 and stack.undo_name == "Edit in_post_fte"


def test_insert_and_delete_rows_round_trip() -> None:
    m0 = small_model()
    stack = edits.CommandStack(m0)
    new = Unit("TVP", "Thames Valley")
    m1 = stack.do(edits.insert_rows(m0, "units", 1, [new]))
    assert [u.unit_id for u in m1.units] == ["SURREY", "TVP", "SUSSEX"]
    m2 = stack.do(edits.delete_rows(m1, "units", [0, 2]))
    assert [u.unit_id for u in m2.units] == ["TVP"]
    assert stack.undo_name == "Delete 2 rows"
    assert stack.undo() == m1
    assert stack.undo() == m0
    assert stack.redo() == m1 and stack.redo() == m2


def test_set_cells_many_changes_undo_in_reverse() -> None:
    m0 = small_model()
    cmd = edits.set_cells(m0, "establishment", [(0, "funded_fte", 11.0), (0, "funded_fte", 12.0),
                                                (1, "absent_fte", 1.0)])
    m1 = cmd.do(m0)
    assert m1.establishment[0].funded_fte == 12.0 and m1.establishment[1].absent_fte == 1.0
    assert cmd.undo(m1) == m0


def test_new_edit_after_undo_drops_redo_and_saved_state() -> None:
    m0 = small_model()
    stack = edits.CommandStack(m0)
    stack.do(edits.set_cell(m0, "units", 0, "name", "Surrey Police"))
    stack.mark_clean()
    stack.undo()
    stack.do(edits.set_cell(stack.model, "units", 0, "name", "Surrey"))
    assert not stack.can_redo
    assert not stack.is_clean  # the saved state is not reachable any more
    stack.undo()
    assert not stack.is_clean


def test_stack_limit_keeps_latest_edits() -> None:
    m0 = small_model()
    stack = edits.CommandStack(m0, limit=3)
    for i in range(5):
        stack.do(edits.set_cell(stack.model, "units", 0, "name", f"n{i}"))
    for _ in range(5):
        stack.undo()
    assert stack.model.units[0].name == "n1"  # three edits undone, two fell off the stack


def test_scenario_commands() -> None:
    m0 = small_model()
    m1 = edits.duplicate_scenario(m0, "Growth", "Growth 2").do(m0)
    assert m1.scenario_names == ["Baseline", "Growth", "Growth 2"]
    assert len(m1.scenarios) == 4
    m2 = edits.rename_scenario(m1, "growth 2", "Cap").do(m1)
    assert m2.scenario_names == ["Baseline", "Growth", "Cap"]
    m3 = edits.delete_scenario(m2, "Growth").do(m2)
    assert m3.scenario_names == ["Baseline", "Cap"]
    m4 = edits.add_scenario(m3, "Lean", "abstraction_pct", 10.0).do(m3)
    assert m4.scenarios[-1] == ScenarioRow("Lean", "abstraction_pct", 10.0)
    with pytest.raises(edits.ScenarioError):
        edits.rename_scenario(m4, "Baseline", "X")
    with pytest.raises(edits.ScenarioError):
        edits.delete_scenario(m4, "baseline")
    with pytest.raises(edits.ScenarioError):
        edits.add_scenario(m4, " cap ")
    with pytest.raises(edits.ScenarioError):
        edits.add_scenario(m4, "  ")


def test_replace_model_for_imports() -> None:
    m0 = small_model()
    m1 = edits.set_cell(m0, "units", 0, "region", "South East").do(m0)
    cmd = edits.ReplaceModel(m0, m1, "Import vacancies")
    stack = edits.CommandStack(m0)
    assert stack.do(cmd) is m1
    assert stack.undo() is m0
