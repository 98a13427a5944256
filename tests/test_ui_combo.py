"""Scenario pickers refilled as the model's scenarios change keep the planner's choice
(``ui.combo.refill``), without sending a signal for the refill itself."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox


def test_refill_keeps_the_choice_by_id_and_sends_no_signal(qtbot) -> None:
    from capacity_planner.ui.combo import refill

    box = QComboBox()
    qtbot.addWidget(box)
    seen: list[int] = []
    box.currentIndexChanged.connect(seen.append)
    assert refill(box, ["Baseline", "Analyst bid", "Demand +20 %"])
    box.setCurrentText("Analyst bid")
    seen.clear()
    assert not refill(box, ["Baseline", "Analyst bid", "Demand +20 %"])  # same: untouched
    # renamed in case only and moved: still the same scenario to the model
    assert refill(box, ["Baseline", "Demand +20 %", " analyst BID"])
    assert box.currentText() == " analyst BID"
    assert refill(box, ["Baseline", "Demand +20 %"])  # gone: the first is chosen
    assert box.currentText() == "Baseline"
    assert refill(box, [])
    assert box.count() == 0
    assert seen == []
