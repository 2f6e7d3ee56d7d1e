"""The colour dock: an HSV wheel (hue ring around a saturation/value square, as in Krita and Clip
Studio), RGB and HSV fields, the eyedropper and the recent colours. It stays open beside the
canvas — no modal dialog — and follows the current colour both ways.
"""

from __future__ import annotations

import math

import qtawesome as qta
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QConicalGradient,
    QImage,
    QLinearGradient,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from paintassist.core.types import RGB, hex_to_rgb, rgb_to_hex
from paintassist.gui.colors import RecentColours
from paintassist.gui.tool_state import ToolState

#: Width of the hue ring as a fraction of the wheel's radius.
RING = 0.16


class HsvWheel(QWidget):
    """Hue ring + saturation/value square. ``picked(h, s, v)``: h in 0..359, s and v in 0..255,
    emitted while the artist drags."""

    picked = Signal(int, int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(160, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.hsv = (0, 0, 255)
        self._drag: str | None = None
        self._ring: QImage | None = None

    def sizeHint(self) -> QSize:
        return QSize(240, 240)

    def heightForWidth(self, w: int) -> int:
        return w

    def hasHeightForWidth(self) -> bool:
        return True

    # -- geometry ------------------------------------------------------------------------------
    def _centre_radius(self) -> tuple[QPointF, float]:
        r = min(self.width(), self.height()) / 2 - 2
        return QPointF(self.width() / 2, self.height() / 2), max(10.0, r)

    def square(self) -> QRectF:
        """The saturation (x) / value (y, top = bright) square inside the ring."""
        c, r = self._centre_radius()
        half = (r * (1 - RING) - 3) / math.sqrt(2)
        return QRectF(c.x() - half, c.y() - half, 2 * half, 2 * half)

    def set_hsv(self, h: int, s: int, v: int) -> None:
        self.hsv = (h % 360, max(0, min(255, s)), max(0, min(255, v)))
        self.update()

    # -- painting ------------------------------------------------------------------------------
    def resizeEvent(self, event: object) -> None:  # type: ignore[override]
        self._ring = None

    def _ring_image(self) -> QImage:
        """The hue ring, painted once per size."""
        if self._ring is None or self._ring.size() != self.size():
            img = QImage(self.size(), QImage.Format.Format_ARGB32_Premultiplied)
            img.fill(Qt.GlobalColor.transparent)
            p = QPainter(img)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            c, r = self._centre_radius()
            grad = QConicalGradient(c, 0)
            for i in range(7):
                grad.setColorAt(i / 6, QColor.fromHsv((i * 60) % 360, 255, 255))
            p.setPen(QPen(grad, r * RING))
            inner = r * (1 - RING / 2)
            p.drawEllipse(c, inner, inner)
            p.end()
            self._ring = img
        return self._ring

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.drawImage(0, 0, self._ring_image())
        h, s, v = self.hsv
        sq = self.square()
        across = QLinearGradient(sq.topLeft(), sq.topRight())
        across.setColorAt(0, QColor(255, 255, 255))
        across.setColorAt(1, QColor.fromHsv(h, 255, 255))
        p.fillRect(sq, across)
        down = QLinearGradient(sq.topLeft(), sq.bottomLeft())
        down.setColorAt(0, QColor(0, 0, 0, 0))
        down.setColorAt(1, QColor(0, 0, 0, 255))
        p.fillRect(sq, down)
        c, r = self._centre_radius()
        a = math.radians(h)
        mid = r * (1 - RING / 2)
        for pt, radius in (
            (QPointF(c.x() + mid * math.cos(a), c.y() - mid * math.sin(a)), r * RING / 2 + 1),
            (QPointF(sq.left() + sq.width() * s / 255, sq.top() + sq.height() * (1 - v / 255)),
             5.0),
        ):
            p.setPen(QPen(QColor(0, 0, 0), 3))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(pt, radius, radius)
            p.setPen(QPen(QColor(255, 255, 255), 1.5))
            p.drawEllipse(pt, radius, radius)
        p.end()

    # -- mouse ---------------------------------------------------------------------------------
    def pick_at(self, pos: QPointF, part: str | None = None) -> None:
        """Pick at widget position ``pos`` on ``part`` ("ring" or "square"; None: whichever the
        position is on)."""
        c, r = self._centre_radius()
        dx, dy = pos.x() - c.x(), pos.y() - c.y()
        if part is None:
            part = "square" if self.square().contains(pos) else (
                "ring" if math.hypot(dx, dy) >= r * (1 - RING) - 4 else None
            )
        if part is None:
            return
        h, s, v = self.hsv
        if part == "ring":
            h = round(math.degrees(math.atan2(-dy, dx))) % 360
        else:
            sq = self.square()
            s = round(255 * min(1.0, max(0.0, (pos.x() - sq.left()) / sq.width())))
            v = round(255 * (1 - min(1.0, max(0.0, (pos.y() - sq.top()) / sq.height()))))
        self._drag = part
        self.set_hsv(h, s, v)
        self.picked.emit(*self.hsv)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag = None
            self.pick_at(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self.pick_at(event.position(), self._drag)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag = None


class ColorPickerDock(QWidget):
    """Wheel, R G B / H S V fields, eyedropper, recent colours; reads and sets ``state.color``.
    ``eyedropper_requested``: the artist wants to pick from the canvas (the window switches the
    tool)."""

    eyedropper_requested = Signal()

    def __init__(self, state: ToolState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._syncing = False
        self.wheel = HsvWheel(self)
        self.wheel.picked.connect(self._from_wheel)
        grid = QGridLayout()
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        self.rgb_boxes: list[QSpinBox] = []
        self.hsv_boxes: list[QSpinBox] = []
        for col, (name, top) in enumerate((("R", 255), ("G", 255), ("B", 255))):
            self.rgb_boxes.append(self._box(grid, 0, col, name, top, self._from_rgb))
        for col, (name, top) in enumerate((("H", 359), ("S", 255), ("V", 255))):
            self.hsv_boxes.append(self._box(grid, 1, col, name, top, self._from_hsv))
        self.eyedropper = QToolButton(self)
        self.eyedropper.setIcon(qta.icon("mdi6.eyedropper"))
        self.eyedropper.setToolTip("Pick a colour from the preview or the sketch (I)")
        self.eyedropper.clicked.connect(self.eyedropper_requested.emit)
        self.hex_edit = QLineEdit(self)
        self.hex_edit.setFixedWidth(76)
        self.hex_edit.setPlaceholderText("#rrggbb")
        self.hex_edit.setToolTip("Colour as #rrggbb (or rrggbb, #rgb) — type and press Enter")
        self.hex_edit.editingFinished.connect(self._from_hex)
        recent = QHBoxLayout()
        recent.setSpacing(2)
        recent.addWidget(self.eyedropper)
        recent.addWidget(self.hex_edit)
        self.recent = RecentColours(state, self)
        self.recent_buttons = self.recent.buttons
        recent.addWidget(self.recent)
        recent.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.wheel)
        layout.addLayout(grid)
        layout.addLayout(recent)
        state.color_changed.connect(self._show)
        self._show(state.color)

    def _box(self, grid: QGridLayout, row: int, col: int, name: str, top: int,
             changed: object) -> QSpinBox:
        label = QLabel(name, self)
        box = QSpinBox(self)
        box.setRange(0, top)
        box.setToolTip(name)
        box.setWrapping(name == "H")
        box.valueChanged.connect(lambda _v: changed())  # type: ignore[operator]
        grid.addWidget(label, row, 2 * col)
        grid.addWidget(box, row, 2 * col + 1)
        return box

    # -- from the widgets ------------------------------------------------------------------------
    def _set(self, rgb: RGB) -> None:
        if not self._syncing and rgb != self.state.color:
            self.state.set_color(rgb)

    def _from_wheel(self, h: int, s: int, v: int) -> None:
        c = QColor.fromHsv(h, s, v)
        self._set((c.red(), c.green(), c.blue()))

    def _from_rgb(self) -> None:
        if not self._syncing:
            r, g, b = (box.value() for box in self.rgb_boxes)
            self._set((r, g, b))

    def _from_hsv(self) -> None:
        if not self._syncing:
            h, s, v = (box.value() for box in self.hsv_boxes)
            self._from_wheel(h, s, v)

    def _from_hex(self) -> None:
        try:
            rgb = hex_to_rgb(self.hex_edit.text())
        except ValueError:
            self.hex_edit.setText(rgb_to_hex(self.state.color))  # not a colour: keep the old
            return
        self._set(rgb)

    # -- to the widgets --------------------------------------------------------------------------
    def _show(self, rgb: RGB) -> None:
        self._syncing = True
        try:
            for box, value in zip(self.rgb_boxes, rgb, strict=True):
                box.setValue(int(value))
            c = QColor(*rgb)
            h, s, v = c.hsvHue(), c.hsvSaturation(), c.value()
            if h < 0:  # greys have no hue: keep the ring where it was
                h = self.wheel.hsv[0]
            for box, value in zip(self.hsv_boxes, (h, s, v), strict=True):
                box.setValue(value)
            self.wheel.set_hsv(h, s, v)
            self.hex_edit.setText(rgb_to_hex(rgb))
        finally:
            self._syncing = False
