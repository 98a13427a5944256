"""File > Import open data on the bundled South East sample: a small .ods written here in
the published layout, read off the UI thread, previewed, applied as one undoable edit,
or cancelled with nothing changed."""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pytest
from PySide6.QtCore import QSettings

from capacity_planner.domain.ids import id_key
from capacity_planner.ui.app import start
from capacity_planner.ui.main_window import MainWindow
from capacity_planner.ui.opendata_dialog import OpenDataDialog
from capacity_planner.ui.recovery import RecoveryStore
from capacity_planner.ui.settings import Settings

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")
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


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    w = MainWindow(settings, RecoveryStore(tmp_path / "recovery"))
    qtbot.addWidget(w, before_close_func=lambda w: w.document.stack.mark_clean())
    start(w, None)
    return w


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
