"""Table models over the domain tables: model checks, type-checked edits with undo and redo,
paste from Excel, copy out, add and delete rows, sorting and filtering."""

from __future__ import annotations

import pandas as pd
import pytest
from PySide6.QtCore import QModelIndex, Qt

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
from capacity_planner.domain.problems import Location, warning
from capacity_planner.domain.schema import BY_SHEET, ESTABLISHMENT, TABLES
from capacity_planner.ui.document import Document
from capacity_planner.ui.frame_model import FrameModel
from capacity_planner.ui.problems_panel import ProblemsModel
from capacity_planner.ui.table_model import SORT_ROLE, RecordTableModel
from capacity_planner.ui.table_view import TablePage


def hand_model() -> PlanningModel:
    return PlanningModel(
        units=(Unit("SURREY", "Surrey"), Unit("SUSSEX", "Sussex"), Unit("ROCU", "SE ROCU", "rocu")),
        roles=(Role("DC", 60_000, 1_500, "Detective constable"),
               Role("ANALYST", 42_000, 1_600, "Intelligence analyst", "staff")),
        establishment=(EstablishmentRow("SURREY", "DC", 6, 3),
                       EstablishmentRow("SUSSEX", "DC", 18, 13, 2),
                       EstablishmentRow("SUSSEX", "ANALYST", 4, 4)),
        streams=(Stream("DRUGS", "Drug supply", "pursue", 2.0, 50.0),),
        demand=(DemandRow("SURREY", "DRUGS", "2025/26", 12_000),),
        skills=(Skill("DC", "DRUGS"), Skill("ANALYST", "DRUGS", 0.8)),
        scenarios=(ScenarioRow("Growth", "demand_change_pct", 20.0),),
    )


@pytest.fixture
def document(qtbot) -> Document:  # noqa: ANN001 - pytest-qt fixture
    doc = Document()
    doc.load(hand_model(), None, problems=[], name="Hand model")
    return doc


@pytest.mark.parametrize("spec", TABLES, ids=lambda s: s.sheet)
def test_every_table_model_passes_the_model_tester(qtmodeltester, document, spec) -> None:
    model = RecordTableModel(document, spec)
    qtmodeltester.check(model)
    assert model.columnCount() == len(spec.fields)


def test_frame_and_problem_models_pass_the_model_tester(qtmodeltester, document) -> None:
    frame = pd.DataFrame({"unit": ["SURREY", "SUSSEX"], "coverage_pct": [72.0, float("nan")],
                          "breach": [True, False]})
    qtmodeltester.check(FrameModel(frame))
    qtmodeltester.check(FrameModel())
    document.set_problems([warning("In post exceeds funded", Location(
        sheet="Establishment", index=0, column="in_post_fte"))])
    qtmodeltester.check(ProblemsModel(document))


def test_edit_is_type_checked_and_undoable(qtbot, document) -> None:
    model = RecordTableModel(document, ESTABLISHMENT)
    rejected: list[str] = []
    model.edit_rejected.connect(rejected.append)
    in_post = model.index(1, model.column_of("in_post_fte"))
    with qtbot.waitSignal(model.dataChanged):
        assert model.setData(in_post, "15")
    assert document.model.establishment[1].in_post_fte == 15.0
    assert in_post.data() == "15"
    assert document.is_dirty and document.stack.undo_name == "Edit in_post_fte"

    assert not model.setData(in_post, "fifteen")
    assert not model.setData(in_post, "-3")
    assert not model.setData(model.index(0, model.column_of("abstraction_pct")), "120")
    assert len(rejected) == 3 and "must be a number" in rejected[0]
    assert document.model.establishment[1].in_post_fte == 15.0

    assert model.setData(model.index(0, model.column_of("abstraction_pct")), "12.5%")
    assert document.model.establishment[0].abstraction_pct == 12.5
    document.undo()
    document.undo()
    assert document.model == hand_model() and not document.is_dirty
    assert in_post.data() == "13"
    document.redo()
    assert document.model.establishment[1].in_post_fte == 15.0
    assert document.stack.redo_name == "Edit abstraction_pct"


def test_sort_role_holds_native_numbers(document) -> None:
    model = RecordTableModel(document, ESTABLISHMENT)
    column = model.column_of("funded_fte")
    assert [model.index(r, column).data(SORT_ROLE) for r in range(3)] == [6.0, 18.0, 4.0]
    page = TablePage(document, ESTABLISHMENT)
    page.view.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    shown = [page.proxy.index(r, column).data() for r in range(3)]
    assert shown == ["4", "6", "18"]  # numeric, not text order ("18" < "4")


def test_filter_and_row_count(qtbot, document) -> None:
    page = TablePage(document, ESTABLISHMENT)
    qtbot.addWidget(page)
    page.filter.setText("sussex")
    assert page.proxy.rowCount() == 2 and page.count.text() == "2 of 3 rows"
    page.filter.clear()
    assert page.count.text() == "3 rows"


def test_paste_a_tab_separated_block_from_excel(qtbot, document) -> None:
    page = TablePage(document, ESTABLISHMENT)
    qtbot.addWidget(page)
    funded = page.table.column_of("funded_fte")
    page.view.setCurrentIndex(page.proxy.index(1, funded))
    # two rows over existing records, one more row appended; "1,650" as Excel copies it
    block = "20\t15\r\n5\t4\r\n1,650\t1,200\r\n"
    rejected = page.paste_text(block)
    assert rejected == []
    est = document.model.establishment
    assert (est[1].funded_fte, est[1].in_post_fte) == (20.0, 15.0)
    assert (est[2].funded_fte, est[2].in_post_fte) == (5.0, 4.0)
    assert len(est) == 4 and (est[3].funded_fte, est[3].in_post_fte) == (1650.0, 1200.0)
    assert est[3].unit_id == "" and est[3].in_training_fte == 0.0
    assert document.stack.undo_name == "Paste into Establishment"
    document.undo()  # one paste is one undo step
    assert document.model.establishment == hand_model().establishment


def test_paste_rejects_bad_cells_and_keeps_the_good(qtbot, document) -> None:
    page = TablePage(document, ESTABLISHMENT)
    qtbot.addWidget(page)
    page.view.setCurrentIndex(page.proxy.index(0, page.table.column_of("funded_fte")))
    rejected = page.paste_text("7\tlots\n")
    assert len(rejected) == 1 and "in_post_fte must be a number" in rejected[0]
    assert document.model.establishment[0].funded_fte == 7.0
    assert document.model.establishment[0].in_post_fte == 3.0


def test_copy_selection_as_tab_separated_text(qtbot, document) -> None:
    page = TablePage(document, ESTABLISHMENT)
    qtbot.addWidget(page)
    unit = page.table.column_of("unit_id")
    start = page.proxy.index(0, unit)
    end = page.proxy.index(1, page.table.column_of("funded_fte"))
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    page.view.selectionModel().select(QItemSelection(start, end),
                                      QItemSelectionModel.SelectionFlag.Select)
    assert page.selection_text() == "SURREY\tDC\t6\nSUSSEX\tDC\t18"
    page.copy_selection()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == "SURREY\tDC\t6\nSUSSEX\tDC\t18"


def test_add_and_delete_rows_with_undo(qtbot, document) -> None:
    page = TablePage(document, BY_SHEET["Units"])
    qtbot.addWidget(page)
    page.view.setCurrentIndex(page.proxy.index(0, 0))
    page.add_row()
    assert [u.unit_id for u in document.model.units] == ["SURREY", "", "SUSSEX", "ROCU"]
    assert document.model.units[1].kind == "force"
    page.view.selectRow(page.proxy.mapFromSource(page.table.index(2, 0)).row())
    page.delete_rows()
    assert [u.unit_id for u in document.model.units] == ["SURREY", "", "ROCU"]
    assert document.stack.undo_name == "Delete row"
    document.undo()
    document.undo()
    assert document.model.units == hand_model().units
    assert page.table.rowCount() == 3


def test_invalid_cells_are_marked_with_the_problem(document) -> None:
    model = RecordTableModel(document, ESTABLISHMENT)
    problem = warning("More people in post than funded posts (over-establishment)",
                      Location(sheet="Establishment", index=2, column="in_post_fte"), 5, "<= 4")
    document.set_problems([problem])
    cell = model.index(2, model.column_of("in_post_fte"))
    assert "over-establishment" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert cell.data(Qt.ItemDataRole.BackgroundRole) is not None
    other = model.index(1, model.column_of("in_post_fte"))
    assert other.data(Qt.ItemDataRole.BackgroundRole) is None
    assert not model.index(0, 0).parent().isValid() and model.rowCount(QModelIndex()) == 3
