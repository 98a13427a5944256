"""Menus, toolbar and keyboard shortcuts of the main window."""

from __future__ import annotations

import platform
from collections.abc import Callable
from types import SimpleNamespace
from typing import TYPE_CHECKING

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QInputDialog, QLabel, QMessageBox, QStyle, QToolBar

from capacity_planner import __version__
from capacity_planner.ui.settings import SOLVERS

if TYPE_CHECKING:
    from capacity_planner.ui.main_window import MainWindow

Key = QKeySequence.StandardKey


def _action(window: MainWindow, text: str, slot: Callable[[], object],
            shortcut: QKeySequence.StandardKey | str | None = None, tip: str = "",
            icon: QStyle.StandardPixmap | None = None) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    if icon is not None:
        action.setIcon(window.style().standardIcon(icon))
    action.triggered.connect(lambda *_: slot())
    return action


def build(window: MainWindow) -> SimpleNamespace:
    f = window.files
    P = QStyle.StandardPixmap
    a = SimpleNamespace()
    a.new = _action(window, "&New from template", f.new_from_template, Key.New,
                    "Start a new model from the blank planning template", P.SP_FileIcon)
    a.open = _action(window, "&Open…", f.ask_open, Key.Open,
                     "Open a planning workbook (.xlsx, .xlsm, .ods, .csv)", P.SP_DialogOpenButton)
    a.import_vacancies = _action(window, "Import &vacancies…", f.ask_import_vacancies,
                                 "Ctrl+I", "Update in-post strength from a vacancy workbook")
    a.import_mapped = _action(window, "Import with column &mapping…", f.ask_import_mapped,
                              "Ctrl+Shift+I", "Import any HR or finance extract by mapping "
                              "its columns to the planning fields")
    a.import_opendata = _action(window, "Import &open data…", f.ask_import_opendata,
                                tip="Seed in-post strength from the Home Office police "
                                    "workforce open data table (.ods)")
    a.save = _action(window, "&Save", f.save, Key.Save, "Save the model", P.SP_DialogSaveButton)
    a.save_as = _action(window, "Save &As…", f.ask_save_as, Key.SaveAs,
                        "Save the model under a new name")
    a.export_results = _action(window, "&Export results…", f.exports.ask, "Ctrl+E",
                               "Write the solved scenarios to a results workbook")
    a.export_chart = _action(window, "Export &chart…", window.charts_view.ask_export,
                             "Ctrl+Shift+E", "Save the chart shown as PNG, SVG or PDF")
    a.quit = _action(window, "&Quit", window.close, Key.Quit, "Close the app")
    file_menu = window.menuBar().addMenu("&File")
    for action in (a.new, a.open):
        file_menu.addAction(action)
    window.recent_menu = file_menu.addMenu("Open &recent")
    file_menu.addSeparator()
    for action in (a.import_vacancies, a.import_mapped, a.import_opendata):
        file_menu.addAction(action)
    file_menu.addSeparator()
    for action in (a.save, a.save_as):
        file_menu.addAction(action)
    file_menu.addSeparator()
    for action in (a.export_results, a.export_chart):
        file_menu.addAction(action)
    file_menu.addSeparator()
    file_menu.addAction(a.quit)

    a.undo = _action(window, "&Undo", window.document.undo, Key.Undo, icon=P.SP_ArrowBack)
    a.redo = _action(window, "&Redo", window.document.redo, Key.Redo, icon=P.SP_ArrowForward)
    edit_menu = window.menuBar().addMenu("&Edit")
    edit_menu.addAction(a.undo)
    edit_menu.addAction(a.redo)
    edit_menu.addSeparator()
    edit_menu.addAction(_action(window, "Re&validate", window.document.revalidate, "Ctrl+R",
                                "Check the whole model again"))

    view_menu = window.menuBar().addMenu("&View")
    for i, name in enumerate(window_pages()):
        key = f"Ctrl+{i + 1}" if i < 9 else ("Ctrl+0" if i == 9 else None)
        view_menu.addAction(_action(window, name, _page_opener(window, name), key,
                                    f"Show {name}"))
    view_menu.addSeparator()
    problems_toggle = window.problems_dock.toggleViewAction()
    problems_toggle.setShortcut(QKeySequence("Ctrl+Shift+P"))
    view_menu.addAction(problems_toggle)

    a.solve = _action(window, "&Solve", window.solve, "F5",
                      "Solve the scenario chosen in the toolbar (F5)", P.SP_MediaPlay)
    a.solve_all = _action(window, "Solve &all scenarios", window.solve_all, "Shift+F5",
                          "Solve every scenario, then compare them (Shift+F5)",
                          P.SP_MediaSeekForward)
    a.cancel = _action(window, "&Cancel solve", window.controller.cancel, "Esc",
                       "Stop the solver", P.SP_MediaStop)
    solve_menu = window.menuBar().addMenu("&Solve")
    for action in (a.solve, a.solve_all, a.cancel):
        solve_menu.addAction(action)
    solve_menu.addSeparator()
    solver_menu = solve_menu.addMenu("Sol&ver")
    group = QActionGroup(window)
    for name in SOLVERS:
        choice = _action(window, {"highs": "HiGHS (default)", "cbc": "CBC"}[name],
                         _solver_setter(window, name),
                         tip=f"Solve with {name.upper()}")
        choice.setCheckable(True)
        choice.setChecked(window.settings.solver == name)
        group.addAction(choice)
        solver_menu.addAction(choice)
    solve_menu.addAction(_action(window, "&Time limit…", lambda: _ask_time_limit(window),
                                 tip="Stop the solver after this many seconds"))

    help_menu = window.menuBar().addMenu("&Help")
    help_menu.addAction(_action(window, "&About Capacity Planner", lambda: about(window)))

    toolbar = QToolBar("Main")
    toolbar.setObjectName("main_toolbar")
    toolbar.setMovable(False)
    for action in (a.open, a.save):
        toolbar.addAction(action)
    toolbar.addSeparator()
    toolbar.addAction(a.undo)
    toolbar.addAction(a.redo)
    toolbar.addSeparator()
    toolbar.addWidget(QLabel(" Scenario: "))
    toolbar.addWidget(window.scenario_box)
    for action in (a.solve, a.solve_all, a.cancel):
        toolbar.addAction(action)
    window.addToolBar(toolbar)
    return a


def _page_opener(window: MainWindow, name: str) -> Callable[[], None]:
    return lambda: window.show_page(name)


def _solver_setter(window: MainWindow, name: str) -> Callable[[], None]:
    return lambda: _set_solver(window, name)


def window_pages() -> tuple[str, ...]:
    from capacity_planner.ui.main_window import PAGES

    return PAGES


def update_undo(window: MainWindow) -> None:
    a = getattr(window, "menu_actions", None)
    if a is None:
        return
    stack = window.document.stack
    a.undo.setEnabled(stack.can_undo)
    a.redo.setEnabled(stack.can_redo)
    a.undo.setText(f"&Undo {stack.undo_name}" if stack.can_undo else "&Undo")
    a.redo.setText(f"&Redo {stack.redo_name}" if stack.can_redo else "&Redo")


def update_busy(window: MainWindow, busy: bool) -> None:
    a = getattr(window, "menu_actions", None)
    if a is None:
        return
    a.solve.setEnabled(not busy)
    a.solve_all.setEnabled(not busy)
    a.cancel.setEnabled(busy)


def _set_solver(window: MainWindow, name: str) -> None:
    window.settings.solver = name
    window.controller.solver = name
    window.show_message(f"Solver: {name.upper()}")


def _ask_time_limit(window: MainWindow) -> None:
    current = window.settings.time_limit or 0.0
    seconds, ok = QInputDialog.getDouble(window, "Time limit",
                                         "Stop the solver after (seconds, 0 for no limit):",
                                         current, 0.0, 86_400.0, 0)
    if ok:
        window.settings.time_limit = seconds or None
        window.controller.time_limit = seconds or None


def about(window: MainWindow) -> None:
    QMessageBox.about(
        window, "About Capacity Planner",
        f"<h3>Capacity Planner {__version__}</h3>"
        "<p>Plans specialist police workforce against serious and organised crime demand: "
        "what the people you have can cover, the cheapest plan that meets minimum service "
        "levels, and which posts buy the most.</p>"
        f"<p>Python {platform.python_version()} · Qt {qVersion()} · PySide6 {pyside_version}"
        " · PuLP with HiGHS</p>")
