"""The colour dock's fields: channel sliders that show their colour ramp, and a spin box and a hex
field that report Enter and Escape so the dock can hand the keys back to the canvas.

Enter applies what was typed, Escape drops it; both then call ``done(escaped)``. The window's
:class:`~paintassist.gui.focus.FocusReturn` does the same for every field, but this dock also
works on its own (tests, a floating dock) and says so with a signal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QKeyEvent,
    QLinearGradient,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QLineEdit, QSizePolicy, QSlider, QSpinBox, QWidget

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
Done = Callable[[bool], None]
"""Called after Enter (``False``) or Escape (``True``) in a field."""


class ChannelSlider(QSlider):
    """A horizontal slider painted as its channel's colour ramp with a marker; a click jumps to
    the value under the pointer (a plain QSlider pages towards it)."""

    _MARGIN = 4  # half the marker: the ramp's ends stay clickable

    def __init__(self, maximum: int, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setRange(0, maximum)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click must not take the canvas's keys
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(16)
        self._stops: list[QColor] = [QColor(0, 0, 0), QColor(255, 255, 255)]

    def sizeHint(self) -> QSize:
        return QSize(150, 16)

    def set_ramp(self, colours: Sequence[QColor]) -> None:
        """The colours along the slider, evenly spaced from its minimum to its maximum."""
        self._stops = list(colours)
        self.update()

    def value_at(self, x: float) -> int:
        span = max(1.0, self.width() - 2.0 * self._MARGIN)
        t = min(1.0, max(0.0, (x - self._MARGIN) / span))
        return round(self.minimum() + t * (self.maximum() - self.minimum()))

    def x_of(self, value: int) -> float:
        span = self.width() - 2.0 * self._MARGIN
        t = (value - self.minimum()) / max(1, self.maximum() - self.minimum())
        return self._MARGIN + t * span

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.setSliderDown(True)
            self.setValue(self.value_at(event.position().x()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.setValue(self.value_at(event.position().x()))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.setSliderDown(False)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        ramp = QRectF(self._MARGIN, 3, self.width() - 2 * self._MARGIN, self.height() - 6)
        grad = QLinearGradient(ramp.topLeft(), ramp.topRight())
        last = max(1, len(self._stops) - 1)
        for i, colour in enumerate(self._stops):
            grad.setColorAt(i / last, colour)
        p.setPen(QPen(self.palette().dark().color(), 1.0))
        p.setBrush(QBrush(grad))
        p.drawRoundedRect(ramp, 2, 2)
        x = self.x_of(self.value())
        handle = QRectF(x - 3, 0.5, 6, self.height() - 1)
        p.setPen(QPen(QColor(0, 0, 0, 210), 1.2))
        p.setBrush(QBrush(QColor(250, 250, 250)))
        p.drawRoundedRect(handle, 2, 2)
        if self.hasFocus():
            p.setPen(QPen(self.palette().highlight().color(), 1.0, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        p.end()


class ChannelSpin(QSpinBox):
    """A spin box that applies a typed value on Enter (not on each keystroke) and reports
    Enter/Escape to ``done``; Escape drops the typed text."""

    def __init__(self, maximum: int, done: Done, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._done = done
        self.setRange(0, maximum)
        self.setKeyboardTracking(False)
        self.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setFixedWidth(42)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.lineEdit().setText(self.textFromValue(self.value()))
            event.accept()
            self._done(True)
            return
        super().keyPressEvent(event)
        if event.key() in _ENTER:
            self._done(False)


class HexEdit(QLineEdit):
    """The ``#rrggbb`` field; Enter and Escape go to ``done`` (the dock applies or reverts)."""

    def __init__(self, done: Done, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._done = done

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self._done(True)
            return
        if event.key() in _ENTER:
            event.accept()
            self._done(False)
            return
        super().keyPressEvent(event)
