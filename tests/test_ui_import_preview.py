"""The import wizard shows what is in each column beside its field, and its preview shows
what the import changes: the Establishment rows a vacancy extract changes (before, after,
difference, from the engine's merge), or the rows that replace a table and the row counts."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

from capacity_planner.ui.import_wizard import ImportWizard
from capacity_planner.ui.main_window import MainWindow
from test_ui_import import hr_extract, run

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")



def wizard_for(qtbot, window: MainWindow, path: Path, tmp_path: Path) -> ImportWizard:  # noqa: ANN001
    wizard = ImportWizard(window, path, mappings_folder=tmp_path / "mappings")
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def shown(wizard: ImportWizard, row: int, column: str) -> str:
    model = wizard.preview
    at = list(model.frame.columns).index(column)
    return str(model.data(model.index(row, at), Qt.ItemDataRole.DisplayRole))


def test_mapping_page_shows_what_each_column_holds_and_follows_the_header_row(
        qtbot, window, tmp_path) -> None:
    """The extract's header is row 3 (a title, a blank row above it). Under "Org Unit" the
    rows hold SURREY, SURREY, SUSSEX: the examples are the different values in the order
    they come, "e.g. SURREY, SUSSEX"; the gaps 2.0, 0.5, 1.0 read 2, 0.5, 1. With row 1 as
    the header the only heading is the title, and what is under it starts with the row-3
    heading "Org Unit" (the blank row gives nothing)."""
    path = hr_extract(tmp_path / "extract.xlsx", [("SURREY", "DC", 2.0), ("SURREY", "FIN_INV", 0.5),
                                                  ("SUSSEX", "DC", 1.0)])
    wizard = wizard_for(qtbot, window, path, tmp_path)
    wizard.table_box.setCurrentText("Vacancies")
    wizard.sheet_box.setCurrentIndex(wizard.sheet_box.findData("Report 1"))
    wizard.next()
    assert wizard.header_spin.value() == 3
    examples = wizard.map_examples
    assert list(examples) == list(wizard.map_boxes) == ["Org Unit", "Job", "Gaps (FTE)",
                                                        "Comment"]
    assert examples["Org Unit"].text() == "e.g. SURREY, SUSSEX"
    assert examples["Job"].text() == "e.g. DC, FIN_INV"
    assert examples["Gaps (FTE)"].text() == "e.g. 2, 0.5, 1"
    assert examples["Gaps (FTE)"].toolTip().splitlines()[1:] == ["2", "0.5", "1"]
    examples["Job"].resize(60, examples["Job"].height())
    cut = examples["Job"].shown_text()
    assert cut.endswith("…") and len(cut) < len(examples["Job"].text())

    wizard.header_spin.setValue(1)
    assert list(wizard.map_examples) == ["Vacancy report, March"]
    assert wizard.map_examples["Vacancy report, March"].text().startswith(
        "e.g. Org Unit, SURREY, SUSSEX")
    wizard.header_spin.setValue(3)
    assert wizard.map_examples["Org Unit"].text() == "e.g. SURREY, SUSSEX"


def test_vacancy_preview_lists_only_the_rows_that_change_with_the_merge_figures(
        qtbot, window, tmp_path) -> None:
    """Four Establishment rows are in the extract. Row A's gap leaves one more post filled
    than now (in post +1), row B's one fewer (-1), row C's and row D's gaps are exactly
    funded - in post, so their figures stay as they are. The preview lists A and B only,
    each with in post before (the open model), after (the merged model) and after - before;
    C and D are counted as matched but unchanged, and the engine's note agrees (4 matched,
    2 with new figures)."""
    before = window.document.model
    a, b, c, d = before.establishment[:4]
    path = hr_extract(tmp_path / "extract.xlsx", [
        (a.unit_id, a.role_id, a.funded_fte - a.in_post_fte - 1),
        (b.unit_id, b.role_id, b.funded_fte - b.in_post_fte + 1),
        (c.unit_id, c.role_id, c.funded_fte - c.in_post_fte),
        (d.unit_id, d.role_id, d.funded_fte - d.in_post_fte)])
    wizard = wizard_for(qtbot, window, path, tmp_path)
    run(wizard, "Vacancies", "Report 1", {"Gaps (FTE)": "vacant_fte"})
    after = wizard.result_model
    assert after is not None and wizard.changes is not None
    frame = wizard.changes.frame
    assert list(zip(frame.unit_id, frame.role_id, strict=True)) == [
        (a.unit_id, a.role_id), (b.unit_id, b.role_id)]
    for i, (old, new) in enumerate(zip(before.establishment[:2], after.establishment[:2],
                                       strict=True)):
        assert frame.before_in_post_fte[i] == old.in_post_fte
        assert frame.after_in_post_fte[i] == new.in_post_fte
        assert frame.change_in_post_fte[i] == new.in_post_fte - old.in_post_fte
    assert list(frame.change_in_post_fte) == [1.0, -1.0]
    assert "before_in_training_fte" not in frame  # the extract gives no trainees
    assert (wizard.changes.matched, wizard.changes.unchanged) == (4, 2)
    assert wizard.changes_line.text() == (
        "2 rows of the Establishment change; 2 rows matched by the extract already hold "
        "these figures and are not listed.")
    assert "4 Establishment row(s) matched by the vacancy file, 2 with new figures" in (
        wizard.problem_text.toPlainText())
    assert "from 4 vacancy rows" in wizard.summary.text()
    units = {u.unit_id: u.name for u in before.units}
    assert wizard.preview.rowCount() == 2
    assert shown(wizard, 0, "unit") == units[a.unit_id] and shown(wizard, 0, "unit_id") == a.unit_id
    assert shown(wizard, 0, "change_in_post_fte") == "+1.00"
    assert shown(wizard, 1, "change_in_post_fte") == "-1.00"


def test_vacancy_preview_shows_training_and_absence_when_the_extract_gives_them(
        qtbot, window, tmp_path) -> None:
    """An extract of in post, trainees and absent for one row: in post as before, two
    more in training, absence as before. The row changes (training), so it is listed
    with all three figures; only training differs (+2)."""
    est = window.document.model.establishment[0]
    path = tmp_path / "people.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "People"
    book.active.append(["Unit", "Role", "Strength", "Trainees", "Off sick"])
    book.active.append([est.unit_id, est.role_id, est.in_post_fte, est.in_training_fte + 2,
                        est.absent_fte])
    book.save(path)
    wizard = wizard_for(qtbot, window, path, tmp_path)
    run(wizard, "Vacancies", "People", {"Unit": "unit_id", "Role": "role_id",
                                        "Strength": "in_post_fte",
                                        "Trainees": "in_training_fte", "Off sick": "absent_fte"})
    after = wizard.result_model
    assert after is not None and wizard.changes is not None
    frame = wizard.changes.frame
    assert len(frame) == 1
    new = after.establishment[0]
    assert frame.after_in_training_fte[0] == new.in_training_fte == est.in_training_fte + 2
    assert frame.before_in_training_fte[0] == est.in_training_fte
    assert list(frame[["change_in_post_fte", "change_in_training_fte", "change_absent_fte"]]
                .iloc[0]) == [0.0, 2.0, 0.0]
    assert wizard.changes.unchanged == 0
    assert wizard.changes_line.text() == "1 row of the Establishment change."


def test_a_table_replacing_import_shows_the_rows_and_the_row_counts(qtbot, window,
                                                                    tmp_path) -> None:
    """The Units sheet holds the model's units and one more: the preview lists them all
    and says the table has N rows now and N + 1 after."""
    units = window.document.model.units
    path = tmp_path / "units.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Org"
    book.active.append(["Unit code", "Description", "Kind"])
    for unit in units:
        book.active.append([unit.unit_id, unit.name, unit.kind])
    book.active.append(["KENT", "Kent Police", "force"])
    book.save(path)
    wizard = wizard_for(qtbot, window, path, tmp_path)
    run(wizard, "Units", "Org", {"Unit code": "unit_id", "Description": "name"})
    n = len(units)
    assert wizard.changes_line.text().startswith(
        f"The Units table has {n} rows now and will have {n + 1} rows after the import")
    assert wizard.preview.rowCount() == n + 1
    assert list(wizard.preview.frame.unit_id) == [*(u.unit_id for u in units), "KENT"]
    assert window.document.model.units == units  # nothing changes before Finish


def test_a_table_import_that_would_break_the_model_is_refused(qtbot, window,
                                                              tmp_path) -> None:
    """A Units extract that lists SURREY twice and leaves out THAMES_VALLEY reads cleanly
    as rows, but the model it makes is not valid: a duplicate unit (an error at the
    extract's row 3) and Demand, Establishment and Sharing rows naming a unit that no
    longer exists. The wizard shows those problems, offers nothing to import, and the open
    model is unchanged."""
    before = window.document.model
    path = tmp_path / "units.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Org"
    book.active.append(["Unit code", "Description", "Kind"])
    for unit in before.units:
        if unit.unit_id != "THAMES_VALLEY":
            book.active.append([unit.unit_id, unit.name, unit.kind])
    book.active.append(["SURREY", "Surrey Police again", "force"])
    book.save(path)
    wizard = wizard_for(qtbot, window, path, tmp_path)
    run(wizard, "Units", "Org", {"Unit code": "unit_id", "Description": "name"})
    assert wizard.result_model is None
    codes = {(p.code, p.where.sheet) for p in wizard.problems if p.is_error}
    assert ("duplicate_key", "Org") in codes
    assert ("unknown_id", "Demand") in codes and ("unknown_id", "Establishment") in codes
    duplicate = next(p for p in wizard.problems if p.code == "duplicate_key")
    assert duplicate.where.file == str(path) and duplicate.where.row == len(before.units) + 1
    assert window.document.model is before


def test_the_preview_is_read_in_the_worker_under_a_reading_dialog(qtbot, window,
                                                                  tmp_path) -> None:
    """The preview's read runs in the reader's worker (its finished signal fires once),
    and with no delay the reading dialog shows over the wizard (the dialog that asked),
    then closes; the preview lists the file's units."""
    units = window.document.model.units
    path = tmp_path / "units.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Org"
    book.active.append(["Unit code", "Description"])
    for unit in units:
        book.active.append([unit.unit_id, unit.name])
    book.save(path)
    wizard = wizard_for(qtbot, window, path, tmp_path)
    reader = window.files.reader
    reader.dialog_delay_ms = 0
    finished: list[object] = []
    parents: list[object] = []
    reader.controller.finished.connect(finished.append)
    reader.controller.finished.connect(
        lambda _: parents.append(reader.dialog.parent() if reader.dialog else None))
    run(wizard, "Units", "Org", {"Unit code": "unit_id", "Description": "name"})
    assert len(finished) == 1 and reader.dialog is None and not reader.busy
    assert parents == [wizard]  # a 0 ms delay shows the dialog before any read can end
    assert list(wizard.preview.frame.unit_id) == [u.unit_id for u in units]
