"""A button whose menu ticks several of the model's roles without closing after each tick.

A plain ``QMenu`` closes as soon as an action is triggered, so mapping one published worker
type to four roles meant opening the menu four times. ``CheckMenu`` toggles a checkable
action on mouse release, Space or Enter and stays open; Esc, a click outside or a
non-checkable action close it as usual.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from capacity_planner.domain.ids import id_key

NOT_MAPPED = "(not used)"
TOGGLE_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)
PREFERRED_WIDTH = 380
INDICATOR_ROOM = 36  # pixels the button's arrow and margins take from its text


class CheckMenu(QMenu):
    """A menu that stays open while its checkable actions are ticked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pressed: QAction | None = None

    def _toggle(self, action: QAction | None) -> bool:
        """Tick or untick ``action`` in place; False if the menu should handle it."""
        if action is None or not action.isCheckable() or not action.isEnabled():
            return False
        action.trigger()  # toggles, and the menu emits triggered(action)
        return True

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._pressed = self.actionAt(event.position().toPoint())
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        # Only a press that began on the same action toggles it (as QMenu itself requires),
        # so the release of the click that opened the menu does not tick anything.
        action = self.actionAt(event.position().toPoint())
        pressed, self._pressed = self._pressed, None
        if (event.button() == Qt.MouseButton.LeftButton and action is pressed
                and self._toggle(action)):
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in TOGGLE_KEYS and self._toggle(self.activeAction()):
            event.accept()
            return
        super().keyPressEvent(event)


class RolePicker(QToolButton):
    """The model's roles as a checkable menu: which roles one worker type stands for.

    ``roles`` are (role_id, name) pairs. The button reads as the chosen roles' names, or
    "3 roles" when the names do not fit, or "(not used)"; its tooltip lists them all.
    """

    chosen_changed = Signal()

    def __init__(self, roles: list[tuple[str, str]], chosen: list[str], tip: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tip = tip
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setMinimumWidth(260)
        self.names = {id_key(role_id): name or role_id for role_id, name in roles}
        self.menu_ = CheckMenu(self)
        keys = {id_key(c) for c in chosen}
        for role_id, name in roles:
            action = self.menu_.addAction(f"{role_id}  ({name})" if name else role_id)
            action.setCheckable(True)
            action.setData(role_id)
            action.setChecked(id_key(role_id) in keys)
            action.toggled.connect(self._label)
        self.menu_.triggered.connect(lambda _action: self.chosen_changed.emit())
        # as wide as the button, as a combo box's list is
        self.menu_.aboutToShow.connect(lambda: self.menu_.setMinimumWidth(self.width()))
        self.setMenu(self.menu_)
        self._label()

    def chosen(self) -> list[str]:
        return [str(a.data()) for a in self.menu_.actions() if a.isChecked()]

    def set_chosen(self, roles: list[str]) -> None:
        """Tick exactly these roles (no chosen_changed: the caller refreshes once)."""
        keys = {id_key(r) for r in roles}
        for action in self.menu_.actions():
            action.setChecked(id_key(str(action.data())) in keys)

    def summary(self, width: int) -> str:
        """The chosen roles' names if they fit in ``width`` pixels, else their IDs, else
        how many ("3 roles"); "(not used)" when none."""
        chosen = self.chosen()
        if not chosen:
            return NOT_MAPPED
        metrics = self.fontMetrics()
        for text in (", ".join(self.names[id_key(r)] for r in chosen), ", ".join(chosen)):
            if metrics.horizontalAdvance(text) <= width:
                return text
        if len(chosen) == 1:
            return metrics.elidedText(chosen[0], Qt.TextElideMode.ElideRight, width)
        return f"{len(chosen)} roles"

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        # A steady width, not the text's: the grid would jump at every tick.
        return QSize(PREFERRED_WIDTH, super().sizeHint().height())

    def _label(self, *_: object) -> None:
        self.setText(self.summary(max(self.width(), self.minimumWidth()) - INDICATOR_ROOM))
        chosen = [a.text() for a in self.menu_.actions() if a.isChecked()]
        listed = "Chosen: " + "; ".join(chosen) if chosen else "No role chosen"
        self.setToolTip(f"{self.tip}\n{listed}" if self.tip else listed)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._label()
