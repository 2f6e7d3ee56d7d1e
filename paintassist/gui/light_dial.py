"""A direction dial for the light: drag the sun around the circle (0° = from the right,
90° = from the top, counter-clockwise, as in :class:`~paintassist.core.types.LightSettings`)."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget


class LightDial(QWidget):
    """angle_changed(degrees 0..360) while dragging; scrub_started() on press (one undo step)."""

    angle_changed = Signal(float)
    scrub_started = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._angle = 135.0
        self._enabled_look = True
        self.setMinimumSize(84, 84)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setToolTip("Light direction: drag the sun around the dial")
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def sizeHint(self) -> QSize:
        return QSize(84, 84)

    @property
    def angle(self) -> float:
        return self._angle

    def set_angle(self, degrees: float) -> None:
        self._angle = float(degrees) % 360.0
        self.update()

    def set_active(self, active: bool) -> None:
        self._enabled_look = active
        self.update()

    def _angle_at(self, pos: QPointF) -> float:
        c = QPointF(self.width() / 2, self.height() / 2)
        return math.degrees(math.atan2(-(pos.y() - c.y()), pos.x() - c.x())) % 360.0

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.scrub_started.emit()
        self._drag(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._drag(event)

    def _drag(self, event: QMouseEvent) -> None:
        a = round(self._angle_at(event.position()))
        if a != round(self._angle):
            self.set_angle(a)
            self.angle_changed.emit(float(a))

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 6
        rect = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        c = rect.center()
        p.setPen(QPen(self.palette().mid().color(), 1.5))
        p.setBrush(QBrush(self.palette().base().color()))
        p.drawEllipse(rect)
        # a shaded ball shows which side is lit
        ball = rect.adjusted(side * 0.3, side * 0.3, -side * 0.3, -side * 0.3)
        p.setBrush(QBrush(QColor(150, 150, 150)))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(ball)
        a = math.radians(self._angle)
        r_in = ball.width() * 0.22
        lit = QPointF(c.x() + math.cos(a) * r_in, c.y() - math.sin(a) * r_in)
        p.setBrush(QBrush(QColor(245, 245, 245)))
        p.drawEllipse(lit, ball.width() * 0.28, ball.width() * 0.28)
        r = side / 2 - 8
        sun = QPointF(c.x() + math.cos(a) * r, c.y() - math.sin(a) * r)
        color = QColor(255, 196, 40) if self._enabled_look else QColor(160, 160, 160)
        p.setPen(QPen(color.darker(140), 1.5))
        p.setBrush(QBrush(color))
        p.drawEllipse(sun, 6.5, 6.5)
        p.end()
