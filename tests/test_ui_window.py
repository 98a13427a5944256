"""The main window on the bundled South East sample: opening, the Problems panel jump,
scenario edits, save and reopen, the unsaved prompt, imports that fail or succeed, and
the recovery copy."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from capacity_planner.domain.ids import id_key
from capacity_planner.io import load_model
from capacity_planner.io.samples import south_east_vacancies_frame, write_vacancies_workbook
from capacity_planner.ui.app import start
from ui_window import make_window

Button = QMessageBox.StandardButton
# The offscreen platform plugin (not our code) says this whenever a window is shown.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")


def answer_next_box(button: Button) -> None:
    """Click ``button`` on the next modal message box, once it is shown."""
    def click() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            box.button(button).click()
        else:
            QTimer.singleShot(10, click)
    QTimer.singleShot(0, click)


def test_first_run_opens_the_bundled_sample_then_the_last_file(qtbot, window, tmp_path) -> None:
    doc = window.document
    assert doc.title == "South East sample" and doc.path is None and not doc.is_dirty
    assert window.tables["Units"].table.rowCount() == len(doc.model.units) == 5
    assert window.scenario_box.count() == len(doc.model.scenario_names) > 1
    assert not doc.has_errors
    saved = tmp_path / "my plan.xlsx"
    assert window.files.save_to(saved)
    window.close()
    again = make_window(qtbot, tmp_path)
    start(again, None)
    assert again.document.path == saved and again.document.title == "my plan.xlsx"


def test_problems_panel_jumps_to_the_cell(qtbot, window) -> None:
    demand = window.tables["Demand"]
    column = demand.table.column_of("unit_id")
    assert demand.table.setData(demand.table.index(5, column), "NOWHERE")
    window.document.revalidate()
    problems = window.problems
    rows = [r for r in range(problems.proxy.rowCount())
            if "NOWHERE" in problems.proxy.index(r, 3).data()]
    assert rows, "an unknown unit is reported"
    assert window.document.has_errors and "error" in window.problems_dock.windowTitle()
    cell = demand.table.index(5, column)
    assert "NOWHERE" in cell.data(Qt.ItemDataRole.ToolTipRole)
    window.show_page("Units")
    index = problems.proxy.index(rows[0], 2)
    problems.view.scrollTo(index)
    qtbot.mouseClick(problems.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=problems.view.visualRect(index).center())
    assert window.pages.currentWidget() is demand
    current = demand.proxy.mapToSource(demand.view.currentIndex())
    assert (current.row(), current.column()) == (5, column)


def test_edit_undo_redo_from_the_edit_menu(window) -> None:
    roles = window.tables["Roles"].table
    cost = roles.index(0, roles.column_of("annual_cost_gbp"))
    before = window.document.model
    assert roles.setData(cost, "99000")
    assert window.menu_actions.undo.isEnabled()
    assert window.menu_actions.undo.text() == "&Undo Edit annual_cost_gbp"
    assert window.isWindowModified() and window.dirty_label.text() == "Unsaved changes"
    window.menu_actions.undo.trigger()
    assert window.document.model == before and not window.document.is_dirty
    assert window.menu_actions.redo.text() == "&Redo Edit annual_cost_gbp"
    window.menu_actions.redo.trigger()
    assert window.document.model.roles[0].annual_cost_gbp == 99000.0


def test_scenario_edit(window) -> None:
    editor = window.scenario_editor
    window.show_page("Scenarios")
    assert not editor.page.isEnabled()  # the Baseline is selected and cannot be edited
    original = window.document.model
    source = original.scenario_names[1]
    editor.select(source)
    assert editor.page.isEnabled()
    assert editor.duplicate_scenario("Lean year")
    assert editor.current == "Lean year" and editor.page.isEnabled()
    assert "Lean year" in [window.scenario_box.itemText(i)
                           for i in range(window.scenario_box.count())]
    rows = editor.proxy.rowCount()
    assert rows == sum(1 for r in window.document.model.scenarios
                       if id_key(r.scenario) == id_key(source))
    table = editor.page.table
    first = editor.proxy.mapToSource(editor.proxy.index(0, 0)).row()
    assert table.setData(table.index(first, table.column_of("parameter")), "demand_change_pct")
    assert table.setData(table.index(first, table.column_of("value")), "35")
    record = window.document.model.scenarios[first]
    assert (record.scenario, record.parameter, record.value) == ("Lean year",
                                                                 "demand_change_pct", 35.0)
    # a target the parameter does not use is not editable (role for demand_change_pct)
    role = table.index(first, table.column_of("role_id"))
    assert not table.flags(role) & Qt.ItemFlag.ItemIsEditable
    assert editor.rename_scenario("Lean") and editor.current == "Lean"
    assert not editor.add_scenario("lean")  # names are IDs: no case-only clash
    assert editor.delete_scenario()
    assert "Lean" not in window.document.model.scenario_names
    while window.document.stack.can_undo:
        window.document.undo()
    assert window.document.model == original


def test_save_and_reopen(window, tmp_path) -> None:
    est = window.tables["Establishment"].table
    assert est.setData(est.index(2, est.column_of("in_post_fte")), "7.5")
    path = tmp_path / "edited.xlsx"
    assert window.files.save_to(path)
    assert not window.document.is_dirty and window.document.path == path
    reread = load_model(path)
    assert reread.ok
    assert reread.model.establishment[2].in_post_fte == 7.5
    assert reread.model.units == window.document.model.units
    assert reread.model.scenarios == window.document.model.scenarios
    assert window.settings.recent_files()[0] == str(path.resolve())


def test_unsaved_prompt_cancel_keeps_the_window_and_discard_closes(qtbot, window) -> None:
    units = window.tables["Units"].table
    assert units.setData(units.index(0, units.column_of("name")), "Renamed")
    window.show()
    answer_next_box(Button.Cancel)
    assert not window.close()
    assert window.isVisible() and window.document.is_dirty
    answer_next_box(Button.Discard)
    assert window.close()


def test_unsaved_prompt_save_writes_the_file(qtbot, window, tmp_path) -> None:
    path = tmp_path / "plan.xlsx"
    assert window.files.save_to(path)
    units = window.tables["Units"].table
    assert units.setData(units.index(0, units.column_of("name")), "Renamed")
    answer_next_box(Button.Save)
    assert window.close()
    assert load_model(path).model.units[0].name == "Renamed"


def test_failed_open_and_failed_import_change_nothing(window, tmp_path) -> None:
    before = window.document.model
    fake = tmp_path / "extract.xlsx"
    fake.write_text("<html><body>not a workbook</body></html>", encoding="utf-8")
    assert not window.files.open_path(fake)
    assert window.document.model is before and window.document.title == "South East sample"
    assert window.files.last_dialog is not None and "could not be read" in (
        window.files.last_dialog.text())
    window.files.last_dialog.close()
    bad = tmp_path / "vacancies.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Vacancies"
    book.active.append(["unit_id", "role_id", "vacant_fte"])
    book.active.append(["HAMPSHIRE", "ANALYST", 2])
    book.active.append(["ATLANTIS", "ANALYST", 1])  # unknown unit: the whole import fails
    book.save(bad)
    assert not window.files.import_vacancies(bad)
    assert window.document.model is before and not window.document.is_dirty
    assert "ATLANTIS" in window.files.last_dialog.detailedText()


def test_import_vacancies_is_one_undoable_edit(window, tmp_path) -> None:
    path = tmp_path / "vacancies.xlsx"
    frame = south_east_vacancies_frame()
    write_vacancies_workbook(frame, path)
    before = window.document.model
    merged: list[object] = []  # the vacancy file is read and merged in the reader's worker
    window.files.reader.controller.finished.connect(merged.append)
    assert window.files.import_vacancies(path)
    assert len(merged) == 1 and not window.files.reading
    assert window.statusBar().currentMessage() == "Imported vacancies from vacancies.xlsx"
    model = window.document.model
    assert model is merged[0].model  # type: ignore[attr-defined]
    row = frame.iloc[0]
    est = next(e for e in model.establishment
               if (e.unit_id, e.role_id) == (row["unit_id"], row["role_id"]))
    assert est.in_post_fte == pytest.approx(est.funded_fte - row["vacant_fte"])
    assert window.document.stack.undo_name == "Import vacancies from vacancies.xlsx"
    window.document.undo()
    assert window.document.model is before


def test_recovery_copy_is_offered_at_next_start(qtbot, window, tmp_path) -> None:
    units = window.tables["Units"].table
    assert units.setData(units.index(1, units.column_of("name")), "Recovered name")
    window.files.autosave_now()
    window.files.wait_autosave()
    assert window.files.recovery.pending() is not None
    window.document.stack.mark_clean()  # simulate a crash: no prompt, copy left behind
    window.close()
    again = make_window(qtbot, tmp_path)
    answer_next_box(Button.Yes)
    start(again, None)
    assert again.document.model.units[1].name == "Recovered name"
    assert again.document.is_dirty and again.document.title == "Recovered"


def test_drop_a_workbook_onto_the_window_opens_it(window, tmp_path) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    path = tmp_path / "dropped.xlsx"
    assert window.files.save_to(path)
    window.files.open_sample()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert window.document.path == path


def test_new_from_template_is_an_untitled_model(window) -> None:
    window.files.new_from_template()
    doc = window.document
    assert doc.title == "Untitled" and doc.path is None and not doc.is_dirty
    assert window.controller.results == {}
    assert window.pages.currentWidget() is window.tables["Units"]


def test_settings_keep_solver_time_limit_and_window_layout(qtbot, window, tmp_path) -> None:
    window.settings.solver = "cbc"
    window.settings.time_limit = 30
    window.show()
    window.problems_dock.hide()  # a layout choice the next session must keep
    window.close()
    geometry, state = window.settings.window_state()
    assert geometry is not None and state is not None
    again = make_window(qtbot, tmp_path)
    assert again.controller.solver == "cbc" and again.controller.time_limit == 30.0
    again.show()
    assert not again.problems_dock.isVisible()
    again.settings.time_limit = None
    assert again.settings.time_limit is None


def test_a_damaged_file_offers_its_backup(qtbot, window, tmp_path) -> None:
    """Saved twice, the file has a .bak of the first save; then the file is damaged.
    Opening it offers the backup: Cancel changes nothing; Open loads the backup as
    unsaved edits to the damaged file, so Save puts the recovered model back in place."""
    path = tmp_path / "plan.xlsx"
    assert window.files.save_to(path)
    units = window.tables["Units"].table
    assert units.setData(units.index(0, units.column_of("name")), "Saved second")
    assert window.files.save_to(path)
    assert (tmp_path / "plan.xlsx.bak").is_file()
    path.write_bytes(b"PK\x03\x04 damaged by a crash")
    window.files.open_sample()
    before = window.document.model
    answer_next_box(Button.Cancel)
    assert not window.files.open_path(path)
    assert window.document.model is before and window.document.path is None
    answer_next_box(Button.Open)
    assert window.files.open_path(path)
    doc = window.document
    assert doc.path == path and doc.is_dirty and doc.model.units[0].name != "Saved second"
    assert doc.model.units == before.units  # the first save: the sample as it was
    assert "backup" in window.statusBar().currentMessage()
    assert window.files.save()
    again = load_model(path)
    assert again.ok and again.model.units == before.units
