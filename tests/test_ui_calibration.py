"""The Calibration page on the South East sample: Actuals read from the model's own file or
another workbook, calibration off the UI thread with real solves, the comparison, words
and chart shown, and a suggestion applied as one undoable edit."""

from __future__ import annotations

import pytest

from capacity_planner.domain.actuals import ActualRow
from capacity_planner.domain.ids import id_key
from capacity_planner.io.actuals import save_model_with_actuals
from capacity_planner.optimise import solve_scenario
from capacity_planner.optimise.result import Result

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")
RUN_TIMEOUT_MS = 240_000



def delivered(result: Result, periods: int, less: dict[tuple[str, str], float] | None = None
              ) -> list[ActualRow]:
    """The Baseline's own delivery over its first ``periods`` periods as Actuals, with
    ``less`` (unit, stream) -> the share recorded below what the model delivers."""
    less = less or {}
    first = list(dict.fromkeys(result.coverage["period"]))[:periods]
    return [ActualRow(r.unit, r.stream, r.period,
                      r.delivered_hours * (1 - less.get((r.unit, r.stream), 0.0)))
            for r in result.coverage.itertuples() if r.period in first]


def test_actuals_that_are_the_models_own_output_show_zero_error(qtbot, window,
                                                               tmp_path) -> None:
    """Actuals = the Baseline's delivery, saved in the model file's Actuals sheet: every
    unit and stream line matches to the hour and there is nothing to suggest."""
    model = window.document.model
    baseline = solve_scenario(model)
    path = tmp_path / "with actuals.xlsx"
    save_model_with_actuals(model, delivered(baseline, periods=4), path)
    assert window.files.open_path(path)
    view = window.calibration_view
    window.show_page("Calibration")
    assert "with actuals.xlsx" in view.source_label.text()
    with qtbot.waitSignal(view.controller.finished, timeout=RUN_TIMEOUT_MS):
        view.run_bar.run_button.click()
    frame = view.table.frame
    pairs = {(id_key(u), id_key(s)) for u, s in zip(baseline.coverage["unit"],
                                                     baseline.coverage["stream"], strict=True)}
    assert len(frame) == len(pairs) > 0
    assert frame["error_hours"].abs().max() == pytest.approx(0, abs=1e-4)
    assert frame["within_tolerance"].all()
    assert f"{len(frame)} of {len(frame)}" in view.words.toPlainText()
    assert view.chart.figure is not None
    assert not view.apply_all.isEnabled() and not view.apply_one.isEnabled()
    view.view.selectRow(0)
    assert not view.apply_one.isEnabled()  # no line has a suggestion


def test_a_suggestion_applies_as_one_undoable_edit(qtbot, window, tmp_path) -> None:
    """Surrey recorded 10 % less community intelligence work than the model delivers (as
    if more of the officers who do it were abstracted). Loaded from another workbook (the
    sample has no file of its own). The line is listed first, explained, and its
    suggestion raises an abstraction at Surrey; applying it is one edit that Undo takes
    back."""
    model = window.document.model
    view = window.calibration_view
    assert view.actuals_path is None and "no file of its own" in view.source_label.text()
    target = ("SURREY", "COMMUNITY")
    actuals = tmp_path / "actuals.xlsx"
    save_model_with_actuals(model, delivered(solve_scenario(model), 4, {target: 0.10}),
                            actuals)
    view.use_actuals(actuals)
    assert "actuals.xlsx" in view.source_label.text()
    with qtbot.waitSignal(view.controller.finished, timeout=RUN_TIMEOUT_MS):
        view.run()
    frame = view.table.frame
    assert (frame.loc[0, "unit"], frame.loc[0, "stream"]) == target
    assert frame.loc[0, "error_pct"] == pytest.approx(100 / 9, rel=1e-3)  # 1 / 0.9 - 1
    assert not frame.loc[0, "within_tolerance"]
    assert "Suggestion" in view.words.toPlainText()
    assert view.table.index(0, 0).data() == model.unit_by_key["surrey"].name
    view.view.selectRow(0)
    assert view.apply_one.isEnabled()
    line = view.calibration.lines[view.line_of_row[0]]
    change = line.adjustment.changes[0]
    assert view.apply_selected()
    after = window.document.model
    assert after != model and window.document.stack.undo_name == "Calibrate SURREY COMMUNITY"
    assert change.parameter == "abstraction_pct" and id_key(change.unit_id) == "surrey"
    row = next(e for e in after.establishment
               if (id_key(e.unit_id), id_key(e.role_id)) ==
               (id_key(change.unit_id), id_key(change.role_id)))
    assert row.abstraction_pct == pytest.approx(change.new, abs=0.01)
    assert change.new > change.old
    assert view.banner.isVisibleTo(view) and not view.apply_one.isEnabled()
    window.document.undo()
    assert window.document.model is model
    # back to the model calibrated: the figures are current again
    assert not view.banner.isVisibleTo(view) and view.apply_all.isEnabled()
    assert view.apply_suggestions()
    assert window.document.stack.undo_name == "Apply calibration suggestions"
    assert "Calibration changed" in view.run_bar.status.text()
    window.document.undo()
    assert window.document.model is model


def test_the_pages_default_tolerance_is_the_engines() -> None:
    from capacity_planner.analysis import calibrate
    from capacity_planner.ui import calibration_view

    assert calibration_view.TOLERANCE_PCT == calibrate.TOLERANCE_PCT
