"""File > Import open data on the bundled South East sample: a small .ods written here in
the published layout, read off the UI thread, previewed, applied as one undoable edit,
or cancelled with nothing changed."""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pytest
from PySide6.QtCore import Qt

from capacity_planner.domain.ids import id_key
from capacity_planner.ui.main_window import MainWindow
from capacity_planner.ui.opendata_dialog import OpenDataDialog
from capacity_planner.ui.role_picker import INDICATOR_ROOM, RolePicker

# the offscreen platform cannot raise windows or grab the keyboard for a popup menu
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|"
                                       r"raise\(\)|grabbing the keyboard)")
HEADERS = ["As at 31 March", "Geocode", "Force name", "Region", "Sex", "Rank", "Worker type",
           "Total (Headcount)", "Total (FTE)"]
FORCES = {"Hampshire": "E23000030", "Surrey": "E23000031", "Kent": "E23000032"}
LINES = (("Police Officer", ("Constable", "Sergeant")), ("Police Staff", ("Police Staff",)),
         ("Police Community Support Officer", ("PCSO",)))


def published_rows() -> list[tuple]:
    """Every year x force x sex x worker type x rank, each with its own FTE, so a wrong
    grouping cannot give the right sum by accident."""
    rows = []
    counter = itertools.count(1)
    for year, (force, geo), sex in itertools.product((2024, 2025), FORCES.items(),
                                                     ("Female", "Male")):
        for worker_type, ranks in LINES:
            for rank in ranks:
                n = next(counter)
                rows.append((year, geo, force, "South East", sex, rank, worker_type, 100 + n,
                             100 + n + 0.25 * (n % 4)))
    return rows


def write_ods(path: Path, rows: list[tuple]) -> Path:
    with pd.ExcelWriter(path, engine="odf") as writer:
        pd.DataFrame([["Police workforce open data table"]]).to_excel(
            writer, sheet_name="Cover", index=False, header=False)
        pd.DataFrame(rows, columns=HEADERS).to_excel(writer, sheet_name="Data", index=False)
    return path


def published(rows: list[tuple], year: int, force: str, worker_type: str) -> float:
    return sum(r[8] for r in rows if r[0] == year and r[2] == force and r[6] == worker_type)



def opened(qtbot, window: MainWindow, path: Path) -> OpenDataDialog:  # noqa: ANN001
    dialog = window.files.import_opendata(path)
    assert isinstance(dialog, OpenDataDialog)
    qtbot.waitUntil(lambda: not dialog.reader.busy, timeout=60_000)
    return dialog


def in_post(window: MainWindow, unit: str, roles: tuple[str, ...]) -> float:
    return sum(e.in_post_fte for e in window.document.model.establishment
               if id_key(e.unit_id) == id_key(unit) and id_key(e.role_id) in
               {id_key(r) for r in roles})


def test_preview_apply_and_undo(qtbot, window, tmp_path) -> None:
    """Police officers stand for detective constables and neighbourhood officers. For
    Hampshire in 2025 the preview sets the model's DC + NHOOD in post against the sum of
    both ranks and both sexes; applying shares that sum between the two roles, and Undo
    takes it back. Kent is published but not in the model, and is listed."""
    rows = published_rows()
    path = write_ods(tmp_path / "workforce.ods", rows)
    before = window.document.model
    dialog = opened(qtbot, window, path)
    assert [dialog.year_box.itemText(i) for i in range(dialog.year_box.count())] == [
        "2024", "2025"]
    assert dialog.year == 2025  # the latest
    assert dialog.pickers["Police Community Support Officer"].chosen() == ["PCSO"]
    assert dialog.pickers["Police Officer"].chosen() == []  # not guessed: the planner says
    dialog.pickers["Police Officer"].set_chosen(["DC", "NHOOD"])
    dialog.refresh()
    frame = dialog.comparison.frame
    line = frame[(frame["unit"] == "HAMPSHIRE") & (frame["published_as"] == "Police Officer")]
    officers = published(rows, 2025, "Hampshire", "Police Officer")
    model_fte = in_post(window, "HAMPSHIRE", ("DC", "NHOOD"))
    assert float(line["published_fte"].iloc[0]) == pytest.approx(officers)
    assert float(line["model_in_post_fte"].iloc[0]) == pytest.approx(model_fte)
    assert float(line["difference_fte"].iloc[0]) == pytest.approx(model_fte - officers)
    assert "Kent" in dialog.problem_text.toPlainText()
    assert dialog.apply_button.isEnabled()
    dialog.year_box.setCurrentIndex(0)  # 2024: other figures, from the same read
    line = dialog.comparison.frame.query("unit == 'HAMPSHIRE' and published_as == "
                                         "'Police Officer'")
    assert float(line["published_fte"].iloc[0]) == pytest.approx(
        published(rows, 2024, "Hampshire", "Police Officer"))
    dialog.year_box.setCurrentIndex(1)
    assert window.document.model is before  # a preview changes nothing

    dialog.apply_button.click()
    assert not dialog.isVisible()
    assert in_post(window, "HAMPSHIRE", ("DC", "NHOOD")) == pytest.approx(officers)
    assert in_post(window, "HAMPSHIRE", ("PCSO",)) == pytest.approx(
        published(rows, 2025, "Hampshire", "Police Community Support Officer"))
    assert window.document.stack.undo_name == "Import open data 2025 from workforce.ods"
    assert window.document.is_dirty
    window.menu_actions.undo.trigger()
    assert window.document.model is before and not window.document.is_dirty


def test_cancel_and_a_file_that_is_not_open_data_change_nothing(qtbot, window,
                                                                tmp_path) -> None:
    before = window.document.model
    dialog = opened(qtbot, window, write_ods(tmp_path / "workforce.ods", published_rows()))
    dialog.pickers["Police Officer"].set_chosen(["DC"])
    dialog.refresh()
    assert dialog.apply_button.isEnabled()
    dialog.reject()
    assert window.document.model is before and not window.document.stack.can_undo

    wrong = tmp_path / "other.ods"
    pd.DataFrame({"a": [1]}).to_excel(wrong, sheet_name="Table 1", index=False, engine="odf")
    dialog = opened(qtbot, window, wrong)
    assert dialog.table is None and dialog.year_box.count() == 0
    assert not dialog.apply_button.isEnabled()
    assert "no sheet named Data" in dialog.problem_text.toPlainText()
    assert "cannot be used" in dialog.read_bar.status.text()
    dialog.accept()  # Apply is greyed out; even called, it changes nothing
    assert window.document.model is before
    dialog.reject()


def test_role_menu_stays_open_while_roles_are_ticked(qtbot, window, tmp_path) -> None:
    """Police officers stand for DC and NHOOD, ticked in one visit to the menu: clicking
    the button opens it, two clicks on the actions tick both and the menu stays open, the
    preview follows each tick (Hampshire's DC + NHOOD against both ranks, both sexes);
    the arrow keys reach RESPONSE, Space ticks it and Enter unticks it, still open; Esc
    closes it; Space on the button opens it again. Apply and Undo
    behave as with a mapping set any other way."""
    rows = published_rows()
    before = window.document.model
    dialog = opened(qtbot, window, write_ods(tmp_path / "workforce.ods", rows))
    dialog.show()
    picker = dialog.pickers["Police Officer"]
    menu = picker.menu_
    actions = {str(a.data()): a for a in menu.actions()}
    def officers_fte() -> list[float]:
        frame = dialog.comparison.frame
        return frame[(frame["unit"] == "HAMPSHIRE") & (frame["published_as"] ==
                                                       "Police Officer")][
            "model_in_post_fte"].tolist()

    qtbot.mouseClick(picker, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(menu.isVisible)
    for role, chosen, roles in (("DC", ["DC"], ("DC",)),
                                ("NHOOD", ["DC", "NHOOD"], ("DC", "NHOOD"))):
        qtbot.mouseClick(menu, Qt.MouseButton.LeftButton,
                         pos=menu.actionGeometry(actions[role]).center())
        assert menu.isVisible()
        assert picker.chosen() == chosen
        assert officers_fte() == pytest.approx([in_post(window, "HAMPSHIRE", roles)])
    assert menu.width() >= picker.width()
    for _ in range(len(actions)):  # the arrow keys move down to RESPONSE
        if menu.activeAction() is actions["RESPONSE"]:
            break
        qtbot.keyClick(menu, Qt.Key.Key_Down)
    assert menu.activeAction() is actions["RESPONSE"]
    qtbot.keyClick(menu, Qt.Key.Key_Space)
    assert menu.isVisible() and picker.chosen() == ["DC", "NHOOD", "RESPONSE"]
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    assert menu.isVisible() and picker.chosen() == ["DC", "NHOOD"]
    qtbot.keyClick(menu, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not menu.isVisible())
    picker.setFocus()
    qtbot.keyClick(picker, Qt.Key.Key_Space)  # the keyboard opens it too
    qtbot.waitUntil(menu.isVisible)
    qtbot.keyClick(menu, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not menu.isVisible())
    assert picker.chosen() == ["DC", "NHOOD"]
    assert picker.text() in ("Detective constable, Neighbourhood officer", "2 roles")
    assert "DC  (Detective constable); NHOOD  (Neighbourhood officer)" in picker.toolTip()
    assert window.document.model is before  # ticking only previews

    dialog.apply_button.click()
    officers = published(rows, 2025, "Hampshire", "Police Officer")
    assert in_post(window, "HAMPSHIRE", ("DC", "NHOOD")) == pytest.approx(officers)
    window.menu_actions.undo.trigger()
    assert window.document.model is before


def test_role_button_summarises_the_roles_chosen(qtbot) -> None:  # noqa: ANN001
    """The names when they fit, else the IDs, else how many; "(not used)" when none; the
    tooltip always lists every role chosen, and the text follows the button's width."""
    roles = [("ANALYST", "Analyst"), ("FIN_INV", "Financial investigator"), ("DC", "")]
    picker = RolePicker(roles, [], tip="Police Staff")
    qtbot.addWidget(picker)
    assert picker.text() == "(not used)"
    assert picker.toolTip() == "Police Staff\nNo role chosen"
    picker.set_chosen(["analyst", "FIN_INV"])  # IDs match as the model matches them
    names, ids = "Analyst, Financial investigator", "ANALYST, FIN_INV"
    advance = picker.fontMetrics().horizontalAdvance
    assert picker.summary(advance(names)) == names
    assert picker.summary(advance(names) - 1) == ids
    assert picker.summary(advance(ids) - 1) == "2 roles"
    picker.set_chosen(["ANALYST", "FIN_INV", "DC"])
    assert picker.summary(10_000) == "Analyst, Financial investigator, DC"
    assert picker.summary(40) == "3 roles"
    assert picker.toolTip() == ("Police Staff\nChosen: ANALYST  (Analyst); FIN_INV  "
                                "(Financial investigator); DC")
    picker.setMinimumWidth(50)
    picker.show()
    qtbot.waitExposed(picker)
    room = INDICATOR_ROOM  # the arrow and margins
    picker.resize(advance("ANALYST, FIN_INV, DC") + room, picker.height())
    qtbot.waitUntil(lambda: picker.text() == "ANALYST, FIN_INV, DC")  # names do not fit
    picker.resize(advance("Analyst, Financial investigator, DC") + room, picker.height())
    qtbot.waitUntil(lambda: picker.text() == "Analyst, Financial investigator, DC")
    picker.set_chosen(["FIN_INV"])
    short = picker.summary(advance("FIN_INV") - 1)  # one role is elided, never "1 roles"
    assert short.startswith("FIN") and short.endswith("…")
