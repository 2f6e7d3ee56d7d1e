"""An HSV colour wheel: a hue ring around a saturation/value square (as in Krita and Clip Studio).

Hue 0° is red at 3 o'clock and runs counter-clockwise (yellow at 60°, green at 120°…); in the
square, saturation grows to the right and value (brightness) upwards. The ring and the square
are rendered once into QImages: the ring per widget size, the square again only when the hue
changes, so dragging the saturation/value marker repaints two cached images and two markers.

Keys (the wheel takes focus with Tab, not with a click, so picking a colour leaves the canvas its
keys): Left/Right saturation, Up/Down value, Page Up/Page Down hue; Shift for bigger steps.
"""

from __future__ import annotations

import colorsys
import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QConicalGradient,
    QFocusEvent,
    QImage,
    QKeyEvent,
    QLinearGradient,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from paintassist.core.types import RGB

HSV = tuple[float, float, float]
"""(hue in degrees 0..360, saturation 0..1, value 0..1)."""


def hsv_to_rgb(h: float, s: float, v: float) -> RGB:
    """HSV (degrees, 0..1, 0..1) → 8-bit RGB, rounded."""
    r, g, b = colorsys.hsv_to_rgb((h % 360.0) / 360.0, _clamp(s), _clamp(v))
    return (round(r * 255), round(g * 255), round(b * 255))


def rgb_to_hsv(rgb: RGB, keep: HSV | None = None) -> HSV:
    """8-bit RGB → HSV (degrees, 0..1, 0..1). A grey has no hue and black no saturation: those
    come from ``keep`` (the colour shown before), so dragging to black and back keeps the hue."""
    h, s, v = colorsys.rgb_to_hsv(rgb[0] / 255.0, rgb[1] / 255.0, rgb[2] / 255.0)
    hue = h * 360.0
    if keep is not None:
        if s == 0.0:
            hue = keep[0]
        if v == 0.0:
            s = keep[1]
    return (hue, s, v)


def _clamp(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return lo if x < lo else hi if x > hi else x


@dataclass(frozen=True, slots=True)
class WheelGeometry:
    """Where the ring and the square are in a widget of ``width`` × ``height`` px."""

    cx: float
    cy: float
    outer: float
    """Outer radius of the hue ring."""
    inner: float
    """Inner radius of the hue ring."""
    square: QRect
    """The saturation/value square (integer pixels, so its image maps 1:1)."""

    @classmethod
    def of(cls, width: int, height: int) -> WheelGeometry:
        side = max(20, min(width, height))
        outer = side / 2 - 2
        ring = max(10.0, outer * 0.16)
        inner = outer - ring
        half = math.floor((inner - 4) / math.sqrt(2))
        cx, cy = width / 2, height / 2
        square = QRect(round(cx - half), round(cy - half), 2 * half, 2 * half)
        return cls(cx, cy, outer, inner, square)

    def in_ring(self, p: QPointF) -> bool:
        """A press outside the ring's inner edge drags the hue (a forgiving target)."""
        return math.hypot(p.x() - self.cx, p.y() - self.cy) >= self.inner - 1

    def hue_at(self, p: QPointF) -> float:
        return math.degrees(math.atan2(-(p.y() - self.cy), p.x() - self.cx)) % 360.0

    def sv_at(self, p: QPointF) -> tuple[float, float]:
        sq = self.square
        s = (p.x() - sq.left()) / sq.width()
        v = 1.0 - (p.y() - sq.top()) / sq.height()
        return (_clamp(s), _clamp(v))

    def hue_point(self, hue: float) -> QPointF:
        r = (self.outer + self.inner) / 2
        a = math.radians(hue)
        return QPointF(self.cx + r * math.cos(a), self.cy - r * math.sin(a))

    def sv_point(self, s: float, v: float) -> QPointF:
        sq = self.square
        return QPointF(sq.left() + s * sq.width(), sq.top() + (1.0 - v) * sq.height())


class ColorWheel(QWidget):
    """hsv_changed(h, s, v) when the artist drags or uses the keys, never for :meth:`set_hsv`."""

    hsv_changed = Signal(float, float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hsv: HSV = (0.0, 0.0, 0.0)
        self._drag: str = ""  # "hue" | "sv" while the left button is down
        self._ring: QImage | None = None
        self._ring_key: tuple[int, int, float] | None = None
        self._square: QImage | None = None
        self._square_key: tuple[float, int, float] | None = None
        #: How often the saturation/value square was rendered (it should follow the hue only).
        self.square_renders = 0
        self.setMinimumSize(160, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip(
            "Drag the ring for the hue, the square for saturation (→) and brightness (↑)"
        )
        self.setAccessibleName("Colour wheel")

    def sizeHint(self) -> QSize:
        return QSize(240, 240)

    def hsv(self) -> HSV:
        return self._hsv

    def set_hsv(self, h: float, s: float, v: float) -> None:
        """Show this colour (no signal)."""
        hsv = (float(h) % 360.0, _clamp(float(s)), _clamp(float(v)))
        if hsv != self._hsv:
            self._hsv = hsv
            self.update()

    def wheel_geometry(self) -> WheelGeometry:
        """The ring and square in widget coordinates."""
        return WheelGeometry.of(self.width(), self.height())

    # -- input --------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self._drag = "hue" if self.wheel_geometry().in_ring(event.position()) else "sv"
        self._drag_to(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag and event.buttons() & Qt.MouseButton.LeftButton:
            self._drag_to(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._drag:
            self._drag_to(event.position())
            self._drag = ""

    def _drag_to(self, pos: QPointF) -> None:
        geo = self.wheel_geometry()
        h, s, v = self._hsv
        if self._drag == "hue":
            h = geo.hue_at(pos)
        else:
            s, v = geo.sv_at(pos)
        self._pick(h, s, v)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        big = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        step = 0.1 if big else 0.01
        h, s, v = self._hsv
        key = event.key()
        if key == Qt.Key.Key_Left:
            s -= step
        elif key == Qt.Key.Key_Right:
            s += step
        elif key == Qt.Key.Key_Down:
            v -= step
        elif key == Qt.Key.Key_Up:
            v += step
        elif key == Qt.Key.Key_PageUp:
            h += 30.0 if big else 5.0
        elif key == Qt.Key.Key_PageDown:
            h -= 30.0 if big else 5.0
        else:
            super().keyPressEvent(event)
            return
        self._pick(h, s, v)

    def _pick(self, h: float, s: float, v: float) -> None:
        before = self._hsv
        self.set_hsv(h, s, v)
        if self._hsv != before:
            self.hsv_changed.emit(*self._hsv)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._ring = self._square = None

    # -- painting -----------------------------------------------------------------------------
    def _ring_image(self, geo: WheelGeometry) -> QImage:
        dpr = self.devicePixelRatioF()
        key = (self.width(), self.height(), dpr)
        if self._ring is None or self._ring_key != key:
            self._ring = _render_ring(self.width(), self.height(), geo, dpr)
            self._ring_key = key
        return self._ring

    def _square_image(self, geo: WheelGeometry) -> QImage:
        dpr = self.devicePixelRatioF()
        key = (self._hsv[0], geo.square.width(), dpr)
        if self._square is None or self._square_key != key:
            self._square = _render_square(self._hsv[0], geo.square.width(), dpr)
            self._square_key = key
            self.square_renders += 1
        return self._square

    def paintEvent(self, event: QPaintEvent) -> None:
        geo = self.wheel_geometry()
        p = QPainter(self)
        p.drawImage(0, 0, self._ring_image(geo))
        p.drawImage(geo.square.topLeft(), self._square_image(geo))
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        h, s, v = self._hsv
        ring_w = geo.outer - geo.inner
        _marker(p, geo.hue_point(h), ring_w * 0.42)
        _marker(p, geo.sv_point(s, v), 5.5)
        if self.hasFocus():
            pen = QPen(self.palette().highlight().color(), 1.5, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(QRectF(geo.square).adjusted(-2, -2, 2, 2))
        p.end()


def _marker(p: QPainter, at: QPointF, radius: float) -> None:
    """A ring marker that reads on any colour: dark outside, light inside."""
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(QColor(0, 0, 0, 200), 3.0))
    p.drawEllipse(at, radius, radius)
    p.setPen(QPen(QColor(255, 255, 255), 1.5))
    p.drawEllipse(at, radius, radius)


def _render_ring(width: int, height: int, geo: WheelGeometry, dpr: float) -> QImage:
    img = QImage(round(width * dpr), round(height * dpr), QImage.Format.Format_ARGB32_Premultiplied)
    img.setDevicePixelRatio(dpr)
    img.fill(Qt.GlobalColor.transparent)
    centre = QPointF(geo.cx, geo.cy)
    # Qt's conical gradient runs counter-clockwise from 3 o'clock, like the hue; between stops
    # 30° apart the RGB blend of two full-saturation hues is exactly the hue in between.
    grad = QConicalGradient(centre, 0.0)
    for deg in range(0, 361, 30):
        grad.setColorAt(deg / 360.0, QColor(*hsv_to_rgb(deg, 1.0, 1.0)))
    path = QPainterPath()
    path.addEllipse(centre, geo.outer, geo.outer)
    path.addEllipse(centre, geo.inner, geo.inner)  # odd-even fill: the hole
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(grad))
    p.drawPath(path)
    p.end()
    return img


def _render_square(hue: float, side: int, dpr: float) -> QImage:
    """White → the pure hue left to right, then black over it bottom-up: in 8-bit RGB that is
    exactly HSV (colour = v · ((1 − s) · white + s · hue))."""
    px = max(1, round(side * dpr))
    img = QImage(px, px, QImage.Format.Format_ARGB32_Premultiplied)
    img.setDevicePixelRatio(dpr)
    p = QPainter(img)
    rect = QRectF(0, 0, side, side)
    across = QLinearGradient(rect.topLeft(), rect.topRight())
    across.setColorAt(0.0, QColor(255, 255, 255))
    across.setColorAt(1.0, QColor(*hsv_to_rgb(hue, 1.0, 1.0)))
    p.fillRect(rect, QBrush(across))
    down = QLinearGradient(rect.topLeft(), rect.bottomLeft())
    down.setColorAt(0.0, QColor(0, 0, 0, 0))
    down.setColorAt(1.0, QColor(0, 0, 0, 255))
    p.fillRect(rect, QBrush(down))
    p.end()
    return img
