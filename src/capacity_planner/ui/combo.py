"""A scenario picker (any combo box of names) refilled without losing the planner's
choice: the model's scenarios change under every view that offers them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox

from capacity_planner.domain.ids import id_key


def refill(box: QComboBox, names: Sequence[str]) -> bool:
    """Make ``names`` the items of ``box`` (nothing happens when they already are),
    keeping the current choice where it is still there (names compared as the model
    compares IDs: case and spaces forgiven), else the first. No signal is sent; returns
    True when the items changed."""
    if list(names) == [box.itemText(i) for i in range(box.count())]:
        return False
    current = box.currentText()
    box.blockSignals(True)
    try:
        box.clear()
        box.addItems(list(names))
        keep = [n for n in names if id_key(n) == id_key(current)]
        if keep or names:
            box.setCurrentText(keep[0] if keep else names[0])
    finally:
        box.blockSignals(False)
    return True
