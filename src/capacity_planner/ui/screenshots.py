"""Screenshots of the main views for the README: ``python -m capacity_planner.ui.screenshots
OUTDIR [--minimum]`` (``make screenshots`` runs it under Xvfb).

Opens the app on the bundled South East sample with throwaway settings, solves every
scenario, runs a sensitivity sweep, a Monte Carlo run, an open data import and a
calibration, and saves a PNG of each view. The best one is also saved as
``docs/screenshot_main.png`` when a ``docs`` folder is next to OUTDIR. ``--minimum`` also
saves each view at the window's minimum size (``min_*.png``), to check nothing is cut.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from capacity_planner.ui.app import application
from capacity_planner.ui.main_window import MainWindow
from capacity_planner.ui.recovery import RecoveryStore
from capacity_planner.ui.settings import Settings
from capacity_planner.ui.task_control import TaskController

SIZE = (1440, 900)
MAIN = "results.png"
DRAWS = 200


def _settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _save(widget: QWidget, folder: Path, name: str) -> Path:
    _settle()
    path = folder / name
    widget.grab().save(str(path), "PNG")
    return path


def _solve_all(window: MainWindow) -> None:
    loop = QEventLoop()
    window.controller.busy_changed.connect(lambda busy: None if busy else loop.quit())
    window.solve_all()
    if window.controller.busy:
        loop.exec()


def _run(controller: TaskController, start: object) -> None:
    """Start a panel's run (``start()``) and wait for it to end."""
    loop = QEventLoop()
    controller.busy_changed.connect(lambda busy: None if busy else loop.quit())
    start()  # type: ignore[operator]
    if controller.busy:
        loop.exec()


def _model_views(window: MainWindow, folder: Path) -> list[Path]:
    shots = []
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
    return shots


def _analysis_views(window: MainWindow, folder: Path) -> list[Path]:
    shots = []
    window.show_page("Sensitivity")
    sweep = window.sensitivity_view
    sweep.parameter_box.setCurrentIndex(sweep.parameter_box.findData("abstraction_pct"))
    role = sweep.target_boxes["role_id"]
    role.setCurrentIndex(role.findData("NHOOD"))
    _run(sweep.controller, sweep.run)
    shots.append(_save(window, folder, "sensitivity.png"))
    window.show_page("Monte Carlo")
    mc = window.montecarlo_view
    mc.draws_spin.setValue(DRAWS)
    _run(mc.controller, mc.run)
    shots.append(_save(window, folder, "montecarlo.png"))
    return shots


def _open_data(window: MainWindow, folder: Path, scratch: Path) -> list[Path]:
    from capacity_planner.ui.screenshot_data import open_data_rows, write_open_data

    path = write_open_data(scratch / "police-workforce-open-data.ods",
                           open_data_rows(window.document.model))
    dialog = window.files.import_opendata(path)
    _run(dialog.reader, lambda: None)
    dialog.pickers["Police Officer"].set_chosen(["DC", "NHOOD", "RESPONSE"])
    dialog.refresh()
    dialog.resize(1100, 720)
    shot = _save(dialog, folder, "opendata.png")
    dialog.reject()
    return [shot]


def _calibration(window: MainWindow, folder: Path, scratch: Path) -> list[Path]:
    """The sample with Actuals that record less community work in Thames Valley and Surrey
    than the model delivers (as if abstraction were higher than the model says)."""
    from capacity_planner.io.actuals import save_model_with_actuals
    from capacity_planner.ui.screenshot_data import actuals_of

    baseline = window.controller.results["Baseline"]
    actuals = actuals_of(baseline, shortfall={("THAMES_VALLEY", "COMMUNITY"): 0.12,
                                              ("SURREY", "COMMUNITY"): 0.06})
    path = scratch / "south_east_with_actuals.xlsx"
    save_model_with_actuals(window.document.model, actuals, path)
    window.files.open_path(path)
    window.show_page("Calibration")
    view = window.calibration_view
    _run(view.controller, view.run)
    view.view.selectRow(0)  # the largest difference, with its suggestion
    return [_save(window, folder, "calibration.png")]


def _problems(window: MainWindow, folder: Path) -> Path:
    """An edit that breaks a rule: the cell is marked and the Problems panel lists it."""
    demand = window.tables["Demand"]
    demand.table.setData(demand.table.index(3, demand.table.column_of("unit_id")), "SURRY")
    window.document.revalidate()
    window.show_page("Demand")
    window.problems.view.selectRow(0)
    demand.select_cell(3, "stream_id")  # the marked cell beside it stays visible
    return _save(window, folder, "problems.png")


def _minimum(window: MainWindow, folder: Path, pages: tuple[str, ...]) -> list[Path]:
    window.resize(window.minimumSize())
    shots = []
    for page in pages:
        window.show_page(page)
        shots.append(_save(window, folder, f"min_{page.lower().replace(' ', '_')}.png"))
    window.resize(*SIZE)
    return shots


def take(folder: Path, minimum: bool = False) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="capacity-planner-shots-"))
    settings = Settings(QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat))
    settings.last_folder = str(scratch)
    window = MainWindow(settings, RecoveryStore(scratch / "recovery"))
    window.resize(*SIZE)
    window.show()
    window.files.open_sample()
    shots = _model_views(window, folder)
    shots += _analysis_views(window, folder)
    if minimum:
        shots += _minimum(window, folder, ("Establishment", "Scenarios", "Results", "Charts",
                                           "Compare", "Sensitivity", "Monte Carlo"))
    shots += _open_data(window, folder, scratch)
    shots += _calibration(window, folder, scratch)
    if minimum:
        shots += _minimum(window, folder, ("Calibration",))
    shots.append(_problems(window, folder))
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
    minimum = "--minimum" in args
    args = [a for a in args if a != "--minimum"]
    if len(args) != 1:
        sys.stderr.write("usage: python -m capacity_planner.ui.screenshots OUTDIR "
                         "[--minimum]\n")
        return 2
    app = application()
    shots = take(Path(args[0]), minimum)
    for path in shots:
        sys.stdout.write(f"{path}\n")
    QApplication.processEvents()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
