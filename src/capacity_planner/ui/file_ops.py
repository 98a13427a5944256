"""Files: open, new, save, import, recent files, the unsaved prompt and the autosaved
recovery copy (exporting results: ``results_export``).

Reading never changes the open model until it has succeeded: a failed open or import
reports its problems in a dialog and leaves everything as it was. Workbooks are read off the
UI thread (``file_read``), one at a time: an open asked for while one is read is refused.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox

from capacity_planner.domain.edits import ReplaceModel
from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.problems import Problem
from capacity_planner.ui.file_read import FileReader
from capacity_planner.ui.recovery import RecoveryStore
from capacity_planner.ui.results_export import SAVE_FILTER, ResultsExport

if TYPE_CHECKING:
    from capacity_planner.io import ReadResult
    from capacity_planner.ui.document import Document
    from capacity_planner.ui.main_window import MainWindow
    from capacity_planner.ui.opendata_dialog import OpenDataDialog

OPENABLE = (".xlsx", ".xlsm", ".ods", ".csv")
OPEN_FILTER = "Planning workbooks (*.xlsx *.xlsm *.ods *.csv);;All files (*)"
OPENDATA_FILTER = "Open data tables (*.ods *.xlsx);;All files (*)"
AUTOSAVE_MS = 30_000
SAMPLE_NAME = "South East sample"


def problems_text(problems: list[Problem], limit: int = 40) -> str:
    lines = [str(p) for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"… and {len(problems) - limit} more")
    return "\n".join(lines)


class FileController:
    def __init__(self, window: MainWindow, recovery: RecoveryStore) -> None:
        self.window = window
        self.recovery = recovery
        self.last_dialog: QMessageBox | None = None
        self.autosave_ms = AUTOSAVE_MS
        self._autosave = QTimer(window)
        self._autosave.setSingleShot(True)
        self._autosave.timeout.connect(self.autosave_now)
        self._pool = QThreadPool(window)
        self._pool.setMaxThreadCount(1)
        self.reader = FileReader(window)
        self.exports = ResultsExport(window, self.report)

    @property
    def document(self) -> Document:
        return self.window.document

    # ---- reporting -----------------------------------------------------------------------
    def report(self, title: str, text: str, problems: list[Problem] | None = None) -> None:
        """A non-blocking warning dialog (kept in ``last_dialog``)."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text,
                          QMessageBox.StandardButton.Ok, self.window)
        if problems:
            box.setInformativeText(f"{len(problems)} problem(s); see Show Details.")
            box.setDetailedText(problems_text(problems))
        self.last_dialog = box
        box.open()

    # ---- opening -----------------------------------------------------------------------------
    @property
    def reading(self) -> bool:
        """True while a workbook is being read (the window paints but takes no input)."""
        return self.reader.busy

    def refuse_while_reading(self) -> bool:
        """True, with a word in the status bar, while another workbook is being read."""
        if self.reader.path is None:
            return False
        self.window.show_message(f"Still opening {self.reader.path.name}: wait for it to "
                                 "finish", 5000)
        return True

    def read(self, path: Path) -> ReadResult:
        """``load_model(path)``, read in a worker while the window keeps painting. Every
        caller has refused a second open first (``refuse_while_reading``)."""
        return self.reader.read(path)

    def open_path(self, path: Path, name: str = "", keep_path: bool = True) -> bool:
        """Open a planning workbook; on failure report it and change nothing. Refused
        (False, nothing reported but a status message) while another is being read."""
        path = Path(path)
        if self.refuse_while_reading():
            return False
        result = self.read(path)
        if result.model is None:
            errors = [p for p in result.problems if p.is_error] or result.problems
            backup = next((p for p in result.problems if p.code == "backup_available"), None)
            if backup is not None and keep_path:
                return self.offer_backup(path, Path(str(backup.value)), backup, errors)
            self.report("Could not open the file", f"{path.name} could not be read.", errors)
            return False
        self.document.load(result.model, path if keep_path else None, list(result.problems),
                           name=name)
        self.window.controller.clear()
        self.recovery.clear()
        if keep_path:
            self.window.settings.add_recent(path)
            self.rebuild_recent_menu()
        self.window.show_message(f"Opened {path.name}: {len(result.model.units):,} units, "
                                 f"{len(result.model.roles):,} roles, "
                                 f"{len(result.model.demand):,} demand rows")
        return True

    def offer_backup(self, path: Path, backup: Path, offer: Problem,
                     errors: list[Problem]) -> bool:
        """``path`` cannot be read but the backup kept at its last save can: offer to open
        that instead. The backup opens as unsaved edits to ``path``, so Save puts the
        recovered model back in place of the damaged file."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Could not open the file",
                          f"{path.name} could not be read. {offer.message}.",
                          QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
                          self.window)
        box.setObjectName("backup_offer")
        box.setInformativeText(f"Open {backup.name} instead?")
        box.setDetailedText(problems_text(errors))
        box.setDefaultButton(QMessageBox.StandardButton.Open)
        if box.exec() != QMessageBox.StandardButton.Open:
            return False
        result = self.read(backup)
        if result.model is None:
            self.report("Could not open the backup", f"{backup.name} could not be read either.",
                        [p for p in result.problems if p.is_error] or result.problems)
            return False
        self.document.load(result.model, path, list(result.problems), dirty=True)
        self.window.controller.clear()
        self.recovery.clear()
        self.window.settings.add_recent(path)
        self.rebuild_recent_menu()
        self.window.show_message(f"Opened the backup {backup.name}: save to replace the "
                                 f"damaged {path.name}", 15000)
        return True

    def open_sample(self) -> bool:
        from capacity_planner.io.samples import bundled_sample_path

        return self.open_path(bundled_sample_path(), name=SAMPLE_NAME, keep_path=False)

    def open_interactive(self, path: Path) -> bool:
        return not self.refuse_while_reading() and self.maybe_save() and self.open_path(path)

    def ask_open(self) -> None:
        if self.refuse_while_reading() or not self.maybe_save():
            return
        name, _ = QFileDialog.getOpenFileName(self.window, "Open a planning workbook",
                                              self.window.settings.last_folder, OPEN_FILTER)
        if name:
            self.open_path(Path(name))

    def new_from_template(self) -> None:
        if self.refuse_while_reading() or not self.maybe_save():
            return
        from capacity_planner.io.template import write_template

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "template.xlsx"
            write_template(path)
            result = self.read(path)
        model = result.model if result.model is not None else PlanningModel()
        self.document.load(model, None, name="Untitled")
        self.window.controller.clear()
        self.recovery.clear()
        self.window.show_page("Units")

    def rebuild_recent_menu(self) -> None:
        menu = getattr(self.window, "recent_menu", None)
        if menu is None:
            return
        menu.clear()
        recent = self.window.settings.recent_files()
        for i, path in enumerate(recent):
            action = menu.addAction(f"&{i + 1}  {Path(path).name}")
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda *_, p=path: self._open_recent(p))
        menu.setEnabled(bool(recent))

    def _open_recent(self, path: str) -> None:
        if not Path(path).is_file():
            self.window.settings.remove_recent(path)
            self.rebuild_recent_menu()
            self.report("File not found", f"{path} no longer exists.")
            return
        self.open_interactive(Path(path))

    # ---- importing into the open model ---------------------------------------------------
    def import_vacancies(self, path: Path) -> bool:
        """Update in-post strength from a vacancy workbook, as one undoable edit. The file
        is read and merged in the worker, like an open (``FileReader``)."""
        from capacity_planner.io import ReadResult
        from capacity_planner.io.vacancies import merge_vacancies, read_vacancies

        if self.refuse_while_reading():
            return False
        base, path = self.document.model, Path(path)

        def work() -> ReadResult:
            rows, problems = read_vacancies(path)
            if not rows or any(p.is_error for p in problems):
                return ReadResult(None, problems)
            merged, more = merge_vacancies(base, rows)
            return ReadResult(merged, [*problems, *more])

        result = self.reader.run(path, work, "Importing")
        model, problems = result.model, result.problems
        if model is None or any(p.is_error for p in problems):
            self.report("Vacancies not imported",
                        f"{Path(path).name} was not imported; the model is unchanged.",
                        [p for p in problems if p.is_error] or problems)
            return False
        self.document.apply(ReplaceModel(self.document.model, model,
                                         f"Import vacancies from {Path(path).name}"))
        self.window.show_message(f"Imported vacancies from {Path(path).name}")
        return True

    def ask_import_vacancies(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self.window, "Import vacancies",
                                              self.window.settings.last_folder, OPEN_FILTER)
        if name:
            self.import_vacancies(Path(name))

    def ask_import_mapped(self) -> None:
        from capacity_planner.ui.import_wizard import ImportWizard

        name, _ = QFileDialog.getOpenFileName(self.window, "Import an extract",
                                              self.window.settings.last_folder, OPEN_FILTER)
        if name:
            wizard = ImportWizard(self.window, Path(name))
            wizard.open()

    def ask_import_opendata(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self.window, "Import the police workforce open data table",
            self.window.settings.last_folder, OPENDATA_FILTER)
        if name:
            self.import_opendata(Path(name))

    def import_opendata(self, path: Path) -> OpenDataDialog:
        """The open data dialog on ``path`` (shown; it applies or changes nothing)."""
        from capacity_planner.ui.opendata_dialog import OpenDataDialog

        dialog = OpenDataDialog(self.window, Path(path))
        dialog.open()
        return dialog

    # ---- saving ------------------------------------------------------------------------------
    def save_to(self, path: Path) -> bool:
        from capacity_planner.io.writer import save_model

        path = Path(path)
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        try:
            save_model(self.document.model, path)
        except OSError as exc:
            self.report("Not saved", f"Could not save {path.name}: {exc.strerror or exc}. "
                                     "The file on disk is unchanged.")
            return False
        self.document.mark_saved(path)
        self.window.settings.add_recent(path)
        self.rebuild_recent_menu()
        self.recovery.clear()
        self.window.show_message(f"Saved {path.name}")
        return True

    def save(self) -> bool:
        if self.document.path is None:
            return self.ask_save_as()
        return self.save_to(self.document.path)

    def ask_save_as(self) -> bool:
        start = str(self.document.path or Path(self.window.settings.last_folder) /
                    f"{self.document.title}.xlsx")
        name, _ = QFileDialog.getSaveFileName(self.window, "Save the model as", start,
                                              SAVE_FILTER)
        return bool(name) and self.save_to(Path(name))

    # ---- the unsaved prompt ----------------------------------------------------------------
    def ask_unsaved(self) -> QMessageBox.StandardButton:
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes",
                          f"Save the changes to {self.document.title}?",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self.window)
        box.setObjectName("unsaved_prompt")
        box.setInformativeText("Your changes will be lost if you don't save them.")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        return QMessageBox.StandardButton(box.exec())

    def maybe_save(self) -> bool:
        """True when it is fine to drop the open model (saved, or the user said so)."""
        if not self.document.is_dirty:
            return True
        answer = self.ask_unsaved()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self._autosave.stop()
            self.wait_autosave()
            self.recovery.clear()
            return True
        return False

    # ---- autosave and recovery -------------------------------------------------------------
    def schedule_autosave(self) -> None:
        if self.document.is_dirty and not self._autosave.isActive():
            self._autosave.start(self.autosave_ms)

    def autosave_now(self) -> None:
        if not self.document.is_dirty:
            return
        model, original, recovery = self.document.model, self.document.path, self.recovery
        self._pool.start(lambda: _quiet_write(recovery, model, original))

    def wait_autosave(self) -> None:
        self._pool.waitForDone(10_000)

    def offer_recovery(self) -> bool:
        """At start-up: if unsaved edits were left behind, offer to open them."""
        pending = self.recovery.pending()
        if pending is None:
            return False
        when = time.strftime("%d %b %Y %H:%M", time.localtime(pending.saved_at))
        source = Path(pending.original).name if pending.original else "an untitled model"
        answer = QMessageBox.question(
            self.window, "Recover unsaved changes",
            f"Capacity Planner closed with unsaved changes to {source} (copy taken {when}). "
            "Recover them?")
        if answer != QMessageBox.StandardButton.Yes:
            self.recovery.clear()
            return False
        result = self.read(pending.workbook)
        if result.model is None:
            self.report("Could not recover", "The recovery copy could not be read.",
                        result.problems)
            return False
        original = Path(pending.original) if pending.original else None
        self.document.load(result.model, original, list(result.problems), dirty=True,
                           name="Recovered")
        self.window.show_message("Recovered unsaved changes: save them to keep them")
        return True


def _quiet_write(recovery: RecoveryStore, model: PlanningModel, original: Path | None) -> None:
    try:
        recovery.write(model, original)
    except Exception:  # noqa: BLE001 - a failed recovery copy must never disturb the user
        return
