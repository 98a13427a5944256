"""The import wizard: pick the sheet, map columns (guesses, or a saved mapping), preview,
save the mapping by name; the import is one undoable edit and a failed one changes
nothing."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from capacity_planner.ui.import_wizard import IGNORE, ImportWizard

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")



def hr_extract(path: Path, rows: list[tuple[str, str, float]]) -> Path:
    """An HR extract as they come: a title, a blank row, people's headers, a hidden sheet."""
    book = openpyxl.Workbook()
    hidden = book.active
    hidden.title = "Lookup"
    hidden.sheet_state = "hidden"
    sheet = book.create_sheet("Report 1")
    sheet.append(["Vacancy report, March"])
    sheet.append([])
    sheet.append(["Org Unit", "Job", "Gaps (FTE)", "Comment"])
    for row in rows:
        sheet.append([*row, "checked"])
    book.save(path)
    return path


def run(wizard: ImportWizard, table: str, sheet: str,
        manual: dict[str, str] | None = None) -> None:
    wizard.table_box.setCurrentText(table)
    wizard.sheet_box.setCurrentIndex(wizard.sheet_box.findData(sheet))
    wizard.next()
    for head, field in (manual or {}).items():
        wizard.map_boxes[head].setCurrentText(field)
    wizard.next()


def test_wizard_maps_guesses_saves_the_mapping_and_imports_undoably(qtbot, window,
                                                                    tmp_path) -> None:
    est = window.document.model.establishment[0]
    path = hr_extract(tmp_path / "extract.xlsx", [(est.unit_id, est.role_id, 2.0)])
    wizard = ImportWizard(window, path, mappings_folder=tmp_path / "mappings")
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.sheet_box.itemText(0) == "Lookup  (hidden)"
    run(wizard, "Vacancies", "Report 1")
    assert wizard.header_spin.value() == 3  # the header row under the title
    chosen = {h: b.currentText() for h, b in wizard.map_boxes.items()}
    assert chosen["Org Unit"] == "unit_id" and chosen["Job"] == "role_id"
    assert chosen["Gaps (FTE)"] == IGNORE  # no good guess: the planner maps it
    assert wizard.result_model is None  # without a vacancy column nothing would import
    wizard.back()
    wizard.map_boxes["Gaps (FTE)"].setCurrentText("vacant_fte")
    wizard.next()
    assert wizard.result_model is not None and "from 1 vacancy row" in wizard.summary.text()
    wizard.save_check.setChecked(True)
    wizard.mapping_name.setText("March HR")
    before = window.document.model
    wizard.accept()
    after = window.document.model.establishment[0]
    assert after.in_post_fte == est.funded_fte - 2.0
    assert (tmp_path / "mappings" / "March HR.json").is_file()
    assert "March HR" in window.settings.mappings
    window.document.undo()
    assert window.document.model is before

    # next month: the saved mapping fills in what the guess could not
    again = ImportWizard(window, path, mappings_folder=tmp_path / "mappings")
    qtbot.addWidget(again)
    again.show()
    again.saved_box.setCurrentText("March HR")
    assert again.table == "Vacancies" and again.sheet == "Report 1"
    again.next()
    assert again.map_boxes["Gaps (FTE)"].currentText() == "vacant_fte"
    again.next()
    assert again.result_model is not None


def test_wizard_import_with_errors_changes_nothing(qtbot, window, tmp_path) -> None:
    path = hr_extract(tmp_path / "bad.xlsx", [("ATLANTIS", "DC", 1.0)])
    wizard = ImportWizard(window, path, mappings_folder=tmp_path / "mappings")
    qtbot.addWidget(wizard)
    wizard.show()
    run(wizard, "Vacancies", "Report 1", {"Gaps (FTE)": "vacant_fte"})
    assert wizard.result_model is None
    assert "ATLANTIS" in wizard.problem_text.toPlainText()
    before = window.document.model
    wizard.accept()
    assert window.document.model is before and not window.document.is_dirty


def test_wizard_replaces_a_table(qtbot, window, tmp_path) -> None:
    path = tmp_path / "units.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Org"
    book.active.append(["Unit code", "Description", "Kind"])
    for unit in window.document.model.units:
        book.active.append([unit.unit_id, f"{unit.name} (renamed)", unit.kind])
    book.save(path)
    wizard = ImportWizard(window, path, mappings_folder=tmp_path / "mappings")
    qtbot.addWidget(wizard)
    wizard.show()
    run(wizard, "Units", "Org", {"Unit code": "unit_id", "Description": "name"})
    wizard.accept()
    assert all(u.name.endswith("(renamed)") for u in window.document.model.units)
    assert window.document.stack.undo_name == "Import Units from units.xlsx"


def test_a_file_preflight_cannot_vouch_for_is_read_in_a_child_process(qtbot, window,
                                                                       tmp_path) -> None:
    """A sheet whose used range spans 60,000 rows x 20 columns (1.2 million cells, past
    what pre-flight lets this process parse) is listed and imported by the wizard through
    the memory-limited child process, as load_model reads such files; the result is the
    same import as from an ordinary file."""
    path = tmp_path / "wide.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Org"
    sheet.append(["Unit code", "Description", "Kind"])
    for unit in window.document.model.units:
        sheet.append([unit.unit_id, f"{unit.name} (isolated)", unit.kind])
    sheet.cell(row=60_000, column=20, value="")  # a stray formatted cell far away
    sheet.cell(row=60_000, column=20).number_format = "0.00"
    book.save(path)
    wizard = ImportWizard(window, path, mappings_folder=tmp_path / "mappings")
    qtbot.addWidget(wizard)
    assert "isolated" in {p.code for p in wizard.view.problems}
    assert wizard.view.names == ["Org"] and wizard.view.rows["Org"][0][0] == "Unit code"
    wizard.show()
    run(wizard, "Units", "Org", {"Unit code": "unit_id", "Description": "name"})
    assert "isolated" in {p.code for p in wizard.problems}
    assert wizard.result_model is not None
    wizard.accept()
    assert all(u.name.endswith("(isolated)") for u in window.document.model.units)
