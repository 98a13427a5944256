"""Screenshots of the main views for the README: ``python -m capacity_planner.ui.screenshots
OUTDIR`` (``make screenshots`` runs it under Xvfb).

Opens the app on the bundled South East sample with throwaway settings, solves every
scenario, and saves a PNG of each main view. The best one is also saved as
``docs/screenshot_main.png`` when a ``docs`` folder is next to OUTDIR.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from capacity_planner.ui.app import application
from capacity_planner.ui.main_window import MainWindow
from capacity_planner.ui.recovery import RecoveryStore
from capacity_planner.ui.settings import Settings

SIZE = (1440, 900)
MAIN = "results.png"


def _settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _save(window: MainWindow, folder: Path, name: str) -> Path:
    _settle()
    path = folder / name
    window.grab().save(str(path), "PNG")
    return path


def _solve_all(window: MainWindow) -> None:
    loop = QEventLoop()
    window.controller.busy_changed.connect(lambda busy: None if busy else loop.quit())
    window.solve_all()
    if window.controller.busy:
        loop.exec()


def take(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="capacity-planner-shots-"))
    settings = Settings(QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings, RecoveryStore(scratch / "recovery"))
    window.resize(*SIZE)
    window.show()
    window.files.open_sample()
    shots: list[Path] = []

    window.show_page("Establishment")
    shots.append(_save(window, folder, "tables.png"))
    window.show_page("Scenarios")
    names = window.document.model.scenario_names
    window.scenario_editor.select(names[-1])
    shots.append(_save(window, folder, "scenarios.png"))

    _solve_all(window)
    window.show_page("Results")
    window.results_view.show_scenario(names[-1])
    window.scenario_box.setCurrentText(names[-1])
    shots.append(_save(window, folder, MAIN))
    window.results_view.tabs.setCurrentIndex(5)
    shots.append(_save(window, folder, "next_post.png"))
    window.results_view.tabs.setCurrentIndex(0)
    window.show_page("Charts")
    window.charts_view.show_chart("demand_delivered", names[-1])
    shots.append(_save(window, folder, "charts.png"))
    window.show_page("Compare")
    shots.append(_save(window, folder, "compare.png"))

    # An edit that breaks a rule: the cell is marked, the Problems panel lists it, the
    # results say they are stale.
    demand = window.tables["Demand"]
    demand.table.setData(demand.table.index(3, demand.table.column_of("unit_id")), "SURRY")
    window.document.revalidate()
    window.show_page("Demand")
    window.problems.view.selectRow(0)
    demand.select_cell(3, "stream_id")  # the marked cell beside it stays visible
    shots.append(_save(window, folder, "problems.png"))

    window.document.stack.mark_clean()  # nothing to save: close without asking
    window.close()
    docs = folder.parent if folder.parent.name == "docs" else folder.parent / "docs"
    if docs.is_dir():
        main = docs / "screenshot_main.png"
        main.write_bytes((folder / MAIN).read_bytes())
        shots.append(main)
    return shots


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.stderr.write("usage: python -m capacity_planner.ui.screenshots OUTDIR\n")
        return 2
    app = application()
    shots = take(Path(args[0]))
    for path in shots:
        sys.stdout.write(f"{path}\n")
    QApplication.processEvents()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
