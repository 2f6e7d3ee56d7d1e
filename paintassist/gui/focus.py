"""Keys go back to the canvas: Enter or Escape in any text field of the window hands the keyboard
focus to the canvas, so that the next D or A is a tool key, not a letter typed into the field.

Qt gives a focused line edit or spin box every printable key first (ShortcutOverride), which is
right while typing and wrong after it: an artist types a hex colour, presses Enter and expects
D to pick the draft tool. Escape in a line edit also reverts what was typed since it got focus
(the field's own ``editingFinished`` has not run, so nothing was applied).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit, QWidget

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class FocusReturn(QObject):
    """Event filter for the application: hands focus to ``canvas`` after Enter/Escape in a text
    field inside ``window`` (fields in other windows, e.g. dialogs, keep theirs)."""

    def __init__(self, window: QWidget, canvas: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._canvas = canvas
        self._typed_from: dict[int, str] = {}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.FocusIn and isinstance(watched, QLineEdit):
            self._typed_from[id(watched)] = watched.text()
        if kind != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        field = _text_field(watched)
        if field is None or field.window() is not self._window:
            return False
        key = event.key()
        if key == Qt.Key.Key_Escape:
            if isinstance(watched, QLineEdit) and id(watched) in self._typed_from:
                watched.setText(self._typed_from[id(watched)])
            self._canvas.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        if key in _ENTER:
            # After the field has handled Enter (returnPressed, editingFinished: the value is
            # applied), not before.
            QTimer.singleShot(0, lambda: self._canvas.setFocus(Qt.FocusReason.ShortcutFocusReason))
        return False


def _text_field(obj: QObject) -> QWidget | None:
    """The text field ``obj`` is (or is inside: a spin box's or combo box's line edit)."""
    if isinstance(obj, QLineEdit):
        parent = obj.parentWidget()
        if isinstance(parent, (QAbstractSpinBox, QComboBox)):
            return parent
        return obj
    if isinstance(obj, (QAbstractSpinBox, QComboBox)) and (
        not isinstance(obj, QComboBox) or obj.isEditable()
    ):
        return obj
    return None
