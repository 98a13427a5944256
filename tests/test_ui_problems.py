"""The Problems panel: one line when there are none, the list when there are, and problems
of scenario rows made in the app (which have no place in a file) jump to their cell."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from capacity_planner.domain.ids import id_key
from capacity_planner.ui.app import start
from capacity_planner.ui.document import locate
from capacity_planner.ui.main_window import MainWindow
from ui_window import make_window

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    w = make_window(qtbot, tmp_path)
    start(w, None)
    w.show()
    return w


def rows_mentioning(window: MainWindow, text: str) -> list[int]:
    proxy = window.problems.proxy
    return [r for r in range(proxy.rowCount()) if text in proxy.index(r, 3).data()]


def click_problem(qtbot, window: MainWindow, row: int) -> None:  # noqa: ANN001
    view = window.problems.view
    index = window.problems.proxy.index(row, 2)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(index).center())


def test_no_problems_is_one_line_and_problems_open_the_list(qtbot, window) -> None:
    panel = window.problems
    assert not window.document.problems
    assert not panel.view.isVisible() and "No problems" in panel.summary.text()
    assert window.problems_dock.windowTitle() == "Problems"
    assert window.problems_dock.height() < 80
    demand = window.tables["Demand"].table
    assert demand.setData(demand.index(0, demand.column_of("unit_id")), "NOWHERE")
    window.document.revalidate()
    qtbot.waitUntil(lambda: window.problems_dock.height() > 120)
    assert panel.view.isVisible() and "1 error" in window.problems_dock.windowTitle()
    window.document.undo()
    window.document.revalidate()
    qtbot.waitUntil(lambda: window.problems_dock.height() < 80)
    assert not panel.view.isVisible()


def test_a_scenario_row_added_in_the_app_jumps_to_its_cell(qtbot, window) -> None:
    """A new scenario (made in the app: no file row) with abstraction 150 %: the error is
    listed at its record, and clicking it shows the scenario with the value cell chosen."""
    editor = window.scenario_editor
    assert editor.add_scenario("Heavy abstraction")
    model = window.document.model
    index = len(model.scenarios) - 1
    table = editor.page.table
    assert table.setData(table.index(index, table.column_of("parameter")), "abstraction_pct")
    assert table.setData(table.index(index, table.column_of("value")), "150")
    window.document.revalidate()
    [row] = rows_mentioning(window, "150")
    problem = window.problems.model.problem(window.problems.proxy.mapToSource(
        window.problems.proxy.index(row, 0)).row())
    assert locate(problem, window.document.model) == ("Scenarios", index, "value")
    assert f"record {index + 1}" in window.problems.proxy.index(row, 1).data()
    window.show_page("Units")
    click_problem(qtbot, window, row)
    assert window.pages.currentWidget() is editor and editor.current == "Heavy abstraction"
    current = editor.proxy.mapToSource(editor.page.view.currentIndex())
    assert (current.row(), current.column()) == (index, table.column_of("value"))


def test_a_duplicated_scenarios_problem_jumps_to_the_copy(qtbot, window) -> None:
    """The copies of a scenario read from the file share its rows' file places; a problem
    in a copy must jump to the copy's row, not the original's."""
    editor = window.scenario_editor
    model = window.document.model
    source = model.scenario_names[1]
    first = next(i for i, r in enumerate(model.scenarios)
                 if id_key(r.scenario) == id_key(source))
    assert model.scenarios[first].origin.row is not None  # read from the workbook
    editor.select(source)
    assert editor.duplicate_scenario("Copy")
    copy = next(i for i, r in enumerate(window.document.model.scenarios)
                if r.scenario == "Copy")
    table = editor.page.table
    assert table.setData(table.index(copy, table.column_of("parameter")), "abstraction_pct")
    assert table.setData(table.index(copy, table.column_of("value")), "250")
    window.document.revalidate()
    [row] = rows_mentioning(window, "250")
    click_problem(qtbot, window, row)
    assert editor.current == "Copy"
    current = editor.proxy.mapToSource(editor.page.view.currentIndex())
    assert current.row() == copy != first
    cell = table.index(copy, table.column_of("value"))
    assert "250" in cell.data(Qt.ItemDataRole.ToolTipRole)


def test_problems_sort_by_severity_then_by_place_with_row_numbers_in_order(qtbot,
                                                                          window) -> None:
    """Three problems on the sample: an error in Demand row 10, warnings in Demand row 9
    and Establishment row 2. By severity (the default) the error comes first; by place,
    Demand row 9 comes before row 10 (numbers, not text: "row 10" < "row 9" as text) and
    Establishment after both; descending reverses it. Filtering still works."""
    from capacity_planner.domain.problems import Location, error, warning

    problems = [warning("w9", Location("f.xlsx", "Demand", 9, "hours")),
                error("e10", Location("f.xlsx", "Demand", 10, "hours")),
                warning("w2", Location("f.xlsx", "Establishment", 2, "funded_fte"))]
    window.document.set_problems(problems)
    panel = window.problems

    def messages() -> list[str]:
        return [panel.proxy.index(r, 2).data() for r in range(panel.proxy.rowCount())]

    assert messages()[0] == "e10"
    panel.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert messages() == ["w9", "e10", "w2"]
    panel.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert messages() == ["w2", "e10", "w9"]
    panel.show_box.setCurrentText("Warnings")
    assert messages() == ["w2", "w9"]


def test_where_gives_the_record_number_the_table_shows(window) -> None:
    """The window numbers a table's records from 1 while the file's rows start under the
    header: Demand's file row 5 is the sample's fourth record, shown as record 4 with the
    file row in brackets. A sheet the window has no table for (Actuals) keeps its row."""
    from capacity_planner.domain.problems import Location, error

    window.document.set_problems([
        error("bad unit", Location("f.xlsx", "Demand", 5, "unit_id")),
        error("bad actual", Location("f.xlsx", "Actuals", 3, "hours"))])
    proxy = window.problems.proxy
    shown = {proxy.index(r, 2).data(): proxy.index(r, 1).data() for r in range(proxy.rowCount())}
    assert shown == {"bad unit": "Demand, record 4 (file row 5), unit_id",
                     "bad actual": "Actuals, row 3, hours"}
    assert window.document.model.demand[3].origin.row == 5


def test_record_numbers_follow_an_insert_above(window) -> None:
    """A problem at Establishment's file row 5 is record 4; after a row is inserted at the
    top of the table it is record 5 (the table's index of file rows is made again for the
    changed table, and kept for the others: Demand's file row 5 is still record 4)."""
    from capacity_planner.domain.edits import ReplaceModel
    from capacity_planner.domain.entities import EstablishmentRow
    from capacity_planner.domain.problems import Location, error

    problems = [error("e", Location("f.xlsx", "Establishment", 5, "funded_fte")),
                error("d", Location("f.xlsx", "Demand", 5, "hours"))]
    document = window.document
    document.set_problems(problems)
    proxy = window.problems.proxy

    def shown() -> dict[str, str]:
        return {proxy.index(r, 2).data(): proxy.index(r, 1).data()
                for r in range(proxy.rowCount())}

    assert shown() == {"e": "Establishment, record 4 (file row 5), funded_fte",
                       "d": "Demand, record 4 (file row 5), hours"}
    model = document.model
    first = model.establishment[0]
    document.apply(ReplaceModel(model, model.with_table("establishment", (
        EstablishmentRow(first.unit_id, "NEW_ROLE", 1, 1), *model.establishment)), "insert"))
    document.set_problems(problems)
    assert shown() == {"e": "Establishment, record 5 (file row 5), funded_fte",
                       "d": "Demand, record 4 (file row 5), hours"}
