"""The Sensitivity and Monte Carlo pages on the bundled South East sample: real sweeps and
draws off the UI thread through the analysis API, results shown, a cancelled run, and the
table models checked by the model tester."""

from __future__ import annotations

import pandas as pd
import pytest
from PySide6.QtCore import Qt

from capacity_planner.analysis.executor import ExecutorSettings
from capacity_planner.analysis.montecarlo import MonteCarloSpec, run_montecarlo
from capacity_planner.optimise import solve_scenario
from capacity_planner.ui.frame_model import FrameModel
from capacity_planner.ui.montecarlo_view import service_grid
from capacity_planner.ui.names import column_names

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")
RUN_TIMEOUT_MS = 240_000



def test_sweep_shows_its_table_and_chart(qtbot, window) -> None:
    """Demand +0, +10 and +20 % on the Baseline: three solves, one row each, in order; the
    +0 % point is the Baseline itself, so its coverage equals a direct solve's."""
    view = window.sensitivity_view
    window.show_page("Sensitivity")
    view.parameter_box.setCurrentIndex(view.parameter_box.findData("demand_change_pct"))
    assert not view.target_boxes["role_id"].isEnabled()  # demand has no role target
    assert view.target_boxes["stream_id"].isEnabled()
    view.start_spin.setValue(0)
    view.stop_spin.setValue(20)
    view.step_spin.setValue(10)
    assert view.points.text() == "3 values to solve"
    with qtbot.waitSignal(view.controller.finished, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(view.run_bar.run_button, Qt.MouseButton.LeftButton)
        assert view.controller.busy and not view.run_bar.run_button.isEnabled()
    frame = view.table.frame
    assert list(frame["demand_change_pct"]) == [0.0, 10.0, 20.0]
    assert list(frame["status"]) == ["optimal"] * 3
    direct = solve_scenario(window.document.model, "Baseline")
    assert frame.loc[0, "coverage_pct"] == pytest.approx(direct.totals.coverage_pct)
    assert frame.loc[0, "unmet_hours"] == pytest.approx(direct.totals.unmet_hours, rel=1e-6)
    assert view.table.rowCount() == 3 and not view.run_bar.cancel_button.isVisibleTo(view)
    assert view.chart.figure is not None and "Done in" in view.run_bar.status.text()
    header = view.table.headerData(0, Qt.Orientation.Horizontal)
    assert header.replace("\n", " ") == "Change in demand (%)"
    assert not view.banner.isVisibleTo(view)
    units = window.tables["Units"].table
    assert units.setData(units.index(0, units.column_of("name")), "Renamed")
    assert view.banner.isVisibleTo(view)  # the figures are of the model before the edit


def test_sweep_with_a_target_and_a_bad_range(qtbot, window) -> None:
    """Abstraction of neighbourhood officers only, 10 % and 20 %: the target comes from
    the dropdown of real role IDs. A step that goes the wrong way is refused before any
    solve, with the reason in the run bar."""
    view = window.sensitivity_view
    view.parameter_box.setCurrentIndex(view.parameter_box.findData("abstraction_pct"))
    role = view.target_boxes["role_id"]
    assert role.isEnabled() and role.itemData(0) == ""
    role.setCurrentIndex(role.findData("NHOOD"))
    view.start_spin.setValue(20)
    view.stop_spin.setValue(10)
    view.step_spin.setValue(10)
    assert "step must go" in view.points.text()
    view.run()
    assert not view.controller.busy and "step must go" in view.run_bar.status.text()
    view.step_spin.setValue(-10)
    assert view.spec().axes[0].target == {"role_id": "NHOOD"}
    with qtbot.waitSignal(view.controller.finished, timeout=RUN_TIMEOUT_MS) as done:
        view.run()
    assert list(done.args[0].table["abstraction_pct"]) == [20.0, 10.0]
    assert view.table.rowCount() == 2


def test_montecarlo_shows_bands_and_probabilities(qtbot, window) -> None:
    """20 draws with seed 7 on all local cores: the bands and probabilities equal a run
    of the same spec in one process (a run is reproducible from its seed)."""
    view = window.montecarlo_view
    window.show_page("Monte Carlo")
    view.draws_spin.setValue(20)
    view.seed_spin.setValue(7)
    view.cv_spin.setValue(15)
    with qtbot.waitSignal(view.controller.finished, timeout=RUN_TIMEOUT_MS):
        view.run_bar.run_button.click()
    result = view.result
    periods = len(window.document.model.plan_periods)
    assert view.bands.rowCount() == len(result.bands) == 2 * (periods + 1)
    bands = result.bands.dropna()
    assert (bands["p10"] <= bands["p50"]).all() and (bands["p50"] <= bands["p90"]).all()
    same = run_montecarlo(window.document.model, MonteCarloSpec(draws=20, seed=7, cv=0.15),
                          settings=ExecutorSettings(workers=1))
    pd.testing.assert_frame_equal(result.bands, same.bands)
    pd.testing.assert_frame_equal(result.service, same.service)
    grid = view.grid.frame
    assert list(grid["stream"]) == list(dict.fromkeys(result.service["stream"].replace(
        {"All": "All streams"})))
    assert grid.columns[-1] == "All units"
    every = result.service[(result.service["unit"] == "All")
                           & (result.service["stream"] == "All")]
    assert f"met in <b>{float(every['probability_pct'].iloc[0]):.0f} %</b>" in (
        view.summary.text())
    assert "20 draws" in view.summary.text()
    assert view.chart.figure is not None
    first_unit = window.document.model.units[0]
    assert view.grid.headerData(1, Qt.Orientation.Horizontal).replace("\n", " ") == (
        first_unit.name)


def test_montecarlo_can_be_cancelled(qtbot, window) -> None:
    """Cancel once the first draw is solved: the run stops, nothing is shown or kept, and
    the page is ready to run again."""
    view = window.montecarlo_view
    view.draws_spin.setValue(500)
    cancelled: list[bool] = []
    view.controller.cancelled.connect(lambda: cancelled.append(True))

    def cancel_after_first(fraction: float, message: str) -> None:
        if fraction > 0 and view.controller.busy:
            view.run_bar.cancel_button.click()

    view.controller.progress.connect(cancel_after_first)
    with qtbot.waitSignal(view.controller.busy_changed, timeout=RUN_TIMEOUT_MS,
                          check_params_cb=lambda busy: not busy):
        view.run()
    assert cancelled == [True] and view.result is None
    assert view.chart.figure is None and view.bands.rowCount() == 0
    assert "Cancelled" in view.run_bar.status.text()
    assert view.run_bar.run_button.isEnabled()


def test_new_table_models_pass_the_model_tester(qtmodeltester, window) -> None:
    model = window.document.model
    service = pd.DataFrame({
        "unit": ["SURREY", "SUSSEX", "All"], "stream": ["INTEL_ANALYSIS"] * 3,
        "min_service_pct": [60.0, 60.0, float("nan")], "draws": [10, 10, 10],
        "met": [7, 10, 7], "probability_pct": [70.0, 100.0, 70.0]})
    grid = FrameModel(service_grid(service), shade_column="*")
    grid.set_names(column_names(model), {"surrey": "Surrey Police"})
    qtmodeltester.check(grid)
    assert grid.index(0, 0).data() == "Intelligence analysis"
    assert grid.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == (
        "Intelligence analysis (INTEL_ANALYSIS)")
    assert grid.headerData(1, Qt.Orientation.Horizontal) == "Surrey\nPolice"  # wrapped
    named = FrameModel(service)
    named.set_names(column_names(model))
    qtmodeltester.check(named)
    assert named.index(2, 0).data() == "All"  # not an ID: shown as it is


def test_a_model_with_errors_is_not_run(window) -> None:
    demand = window.tables["Demand"].table
    assert demand.setData(demand.index(0, demand.column_of("unit_id")), "NOWHERE")
    view = window.sensitivity_view
    view.run()
    assert not view.controller.busy and "has errors" in view.run_bar.status.text()
