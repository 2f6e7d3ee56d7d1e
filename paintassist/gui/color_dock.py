"""Colour dock: a colour picker that stays open — an HSV wheel (hue ring, saturation/value
square), HSV and RGB sliders with spin boxes, a hex field, the eyedropper and the recent colours.

It follows the tool colour both ways: picking here sets :attr:`ToolState.color`, and a colour set
elsewhere (a palette swatch, the eyedropper, a selected hint) is shown here without coming back
as a pick. The dock keeps its own HSV so that a grey or black keeps the hue it was dragged from
(RGB alone forgets it).
"""

from __future__ import annotations

import qtawesome as qta
from PySide6.QtCore import QEvent, QSize, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from paintassist.core.types import RGB, hex_to_rgb, rgb_to_hex
from paintassist.gui.color_fields import ChannelSlider, ChannelSpin, HexEdit
from paintassist.gui.color_wheel import HSV, ColorWheel, hsv_to_rgb, rgb_to_hsv
from paintassist.gui.qimages import swatch_icon
from paintassist.gui.theme import ICON_COLOURS
from paintassist.gui.tool_state import RECENT_MAX, ToolState

#: key, label, maximum, tooltip — HSV first: artists think in hue, saturation and brightness.
CHANNELS: tuple[tuple[str, str, int, str], ...] = (
    ("h", "H", 359, "Hue (degrees): 0 red, 120 green, 240 blue"),
    ("s", "S", 100, "Saturation (%)"),
    ("v", "V", 100, "Value — brightness (%)"),
    ("r", "R", 255, "Red (0–255)"),
    ("g", "G", 255, "Green (0–255)"),
    ("b", "B", 255, "Blue (0–255)"),
)
HEX_TIP = "Colour as #rrggbb (rrggbb and #rgb work too) — Enter applies, Escape reverts"
BAD_HEX_TIP = "Not a colour: type #rrggbb, rrggbb or #rgb"
RECENT_SIZE = 16


class ColorSwatch(QWidget):
    """The current colour, with a two-tone border that shows on light and dark themes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rgb: RGB = (0, 0, 0)
        self.setFixedSize(38, 24)
        self.setToolTip("Current colour")

    def set_rgb(self, rgb: RGB) -> None:
        self._rgb = rgb
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        r = self.rect()
        p.fillRect(r, self.palette().shadow().color())
        p.fillRect(r.adjusted(1, 1, -1, -1), self.palette().light().color())
        p.fillRect(r.adjusted(2, 2, -2, -2), QColor(*self._rgb))
        p.end()


class ColorDock(QWidget):
    """The colour picker dock's contents.

    color_picked(rgb): the artist changed the colour here (wheel, slider, spin box, hex field,
    recent colour); the tool colour is already set. Never emitted for :meth:`set_color` or for
    a colour set on the ToolState elsewhere.
    focus_canvas_requested(): Enter or Escape in the hex field or a spin box: give the canvas
    its keys back.
    eyedropper_requested(): the eyedropper button was clicked (the dock has already made the
    eyedropper the current tool).
    """

    color_picked = Signal(tuple)
    focus_canvas_requested = Signal()
    eyedropper_requested = Signal()

    def __init__(self, state: ToolState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._rgb: RGB = state.color
        self._hsv: HSV = rgb_to_hsv(state.color)
        self._writing = False  # our own ToolState.set_color is echoing back
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)

        self.wheel = ColorWheel(self)
        self.wheel.hsv_changed.connect(self._wheel_moved)
        layout.addWidget(self.wheel, 1)

        row = QHBoxLayout()
        row.setSpacing(4)
        self.swatch = ColorSwatch(self)
        self.hex_edit = HexEdit(self._hex_done, self)
        self.hex_edit.setToolTip(HEX_TIP)
        self.hex_edit.setAccessibleName("Hex colour")
        self.hex_edit.setMaxLength(9)
        self.hex_edit.textEdited.connect(self._hex_typed)
        self.hex_edit.editingFinished.connect(self._hex_left)
        self.eyedropper = QToolButton(self)
        self.eyedropper.setCheckable(True)
        self.eyedropper.setAutoRaise(True)
        self.eyedropper.setIconSize(QSize(20, 20))
        self.eyedropper.setToolTip("Eyedropper: pick a colour from the preview or the sketch")
        self.eyedropper.clicked.connect(self._eyedropper_clicked)
        row.addWidget(self.swatch)
        row.addWidget(self.hex_edit, 1)
        row.addWidget(self.eyedropper)
        layout.addLayout(row)

        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(3)
        self.sliders: dict[str, ChannelSlider] = {}
        self.spins: dict[str, ChannelSpin] = {}
        for i, (key, label, maximum, tip) in enumerate(CHANNELS):
            # a little gap between the HSV and the RGB rows
            grid_row = i + (1 if i >= 3 else 0)
            name = QLabel(label, self)
            name.setToolTip(tip)
            slider = ChannelSlider(maximum, self)
            slider.setToolTip(tip)
            slider.setAccessibleName(tip)
            spin = ChannelSpin(maximum, self._spin_done, self)
            spin.setToolTip(tip)
            spin.setAccessibleName(tip)
            slider.valueChanged.connect(lambda value, k=key: self._channel_moved(k, value))
            spin.valueChanged.connect(lambda value, k=key: self._channel_moved(k, value))
            grid.addWidget(name, grid_row, 0)
            grid.addWidget(slider, grid_row, 1)
            grid.addWidget(spin, grid_row, 2)
            self.sliders[key], self.spins[key] = slider, spin
        grid.setRowMinimumHeight(3, 4)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)

        recent = QHBoxLayout()
        recent.setSpacing(1)
        self.recent_buttons: list[QToolButton] = []
        for _ in range(RECENT_MAX):
            b = QToolButton(self)
            b.setAutoRaise(True)
            b.setIconSize(QSize(RECENT_SIZE, RECENT_SIZE))
            b.setVisible(False)
            b.clicked.connect(lambda _c=False, btn=b: self._recent_clicked(btn))
            self.recent_buttons.append(b)
            recent.addWidget(b)
        self.recent_hint = QLabel("Colours you paint with appear here", self)
        self.recent_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.recent_hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        recent.addWidget(self.recent_hint, 1)
        recent.addStretch(0)
        layout.addLayout(recent)

        self.refresh_icons()
        state.color_changed.connect(self._state_color_changed)
        state.recent_changed.connect(self._show_recent)
        state.tool_changed.connect(self._tool_changed)
        self._show()
        self._show_recent(state.recent)
        self._tool_changed(state.tool)

    # -- API ----------------------------------------------------------------------------------
    def color(self) -> RGB:
        return self._rgb

    def hsv(self) -> HSV:
        """The shown colour as (hue degrees, saturation 0..1, value 0..1)."""
        return self._hsv

    def set_color(self, rgb: RGB) -> None:
        """Show ``rgb`` and make it the tool colour, without emitting :attr:`color_picked`."""
        rgb = (int(rgb[0]), int(rgb[1]), int(rgb[2]))
        if rgb != self._rgb:
            self._set(rgb_to_hsv(rgb, keep=self._hsv), rgb)
        self._write_state()

    def refresh_icons(self) -> None:
        """Make the icon in the icon colour of the theme the palette is (light or dark)."""
        # qtawesome caches icons by their arguments, not by its defaults: after a theme change
        # qta.icon(name) is the old colour, so the colours are passed explicitly.
        light = self.palette().window().color().lightnessF() > 0.5
        color, disabled = ICON_COLOURS["light" if light else "dark"]
        self.eyedropper.setIcon(qta.icon("mdi6.eyedropper", color=color, color_disabled=disabled))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the theme changed
            self.refresh_icons()

    # -- picking ------------------------------------------------------------------------------
    def _set(self, hsv: HSV, rgb: RGB) -> None:
        self._hsv, self._rgb = hsv, rgb
        self._show()

    def _pick_hsv(self, hsv: HSV) -> None:
        self._set(hsv, hsv_to_rgb(*hsv))
        self._picked()

    def _pick_rgb(self, rgb: RGB) -> None:
        if rgb == self._rgb:  # re-deriving HSV from RGB would nudge a dragged hue
            return
        self._set(rgb_to_hsv(rgb, keep=self._hsv), rgb)
        self._picked()

    def _picked(self) -> None:
        changed = self.state.color != self._rgb
        self._write_state()
        if changed:
            self.color_picked.emit(self._rgb)

    def _write_state(self) -> None:
        self._writing = True
        try:
            self.state.set_color(self._rgb)
        finally:
            self._writing = False

    def _state_color_changed(self, rgb: RGB) -> None:
        if self._writing or tuple(rgb) == self._rgb:
            return
        rgb = (int(rgb[0]), int(rgb[1]), int(rgb[2]))
        self._set(rgb_to_hsv(rgb, keep=self._hsv), rgb)

    def _wheel_moved(self, h: float, s: float, v: float) -> None:
        self._pick_hsv((h, s, v))

    def _channel_moved(self, key: str, value: int) -> None:
        if key in "hsv":
            h, s, v = self._hsv
            if key == "h":
                h = float(value)
            elif key == "s":
                s = value / 100.0
            else:
                v = value / 100.0
            self._pick_hsv((h, s, v))
        else:
            r, g, b = self._rgb
            rgb = (value, g, b) if key == "r" else (r, value, b) if key == "g" else (r, g, value)
            self._pick_rgb(rgb)

    def _recent_clicked(self, button: QToolButton) -> None:
        rgb = button.property("rgb")
        if rgb is not None:
            self._pick_rgb((int(rgb[0]), int(rgb[1]), int(rgb[2])))

    def _eyedropper_clicked(self) -> None:
        self.state.set_tool("eyedropper")
        self.eyedropper.setChecked(True)  # a second click keeps the tool armed
        self.eyedropper_requested.emit()

    def _tool_changed(self, tool: str) -> None:
        self.eyedropper.setChecked(tool == "eyedropper")

    # -- the hex field and the spin boxes -----------------------------------------------------
    def _hex_typed(self, text: str) -> None:
        self._mark_hex(_parse_hex(text) is not None or not text.strip())

    def _hex_left(self) -> None:
        """Focus left the field (Enter and Escape come to :meth:`_hex_done`): apply a colour,
        drop anything else."""
        rgb = _parse_hex(self.hex_edit.text())
        if rgb is not None:
            self._pick_rgb(rgb)
        self._show_hex()

    def _hex_done(self, escaped: bool) -> None:
        rgb = None if escaped else _parse_hex(self.hex_edit.text())
        if rgb is not None:
            self._pick_rgb(rgb)
        self._show_hex()
        self.focus_canvas_requested.emit()

    def _spin_done(self, escaped: bool) -> None:
        if escaped:
            self._show()
        self.focus_canvas_requested.emit()

    def _mark_hex(self, valid: bool) -> None:
        self.hex_edit.setProperty("invalid", not valid)
        self.hex_edit.setToolTip(HEX_TIP if valid else BAD_HEX_TIP)
        if valid:
            self.hex_edit.setPalette(QPalette())  # back to the theme's
        else:
            pal = QPalette()
            pal.setColor(QPalette.ColorRole.Text, invalid_text_colour(self.palette()))
            self.hex_edit.setPalette(pal)

    def _show_hex(self) -> None:
        self.hex_edit.setText(rgb_to_hex(self._rgb))
        self._mark_hex(True)

    # -- showing ------------------------------------------------------------------------------
    def _show(self) -> None:
        h, s, v = self._hsv
        r, g, b = self._rgb
        self.wheel.set_hsv(h, s, v)
        values = {
            "h": round(h) % 360,
            "s": round(s * 100),
            "v": round(v * 100),
            "r": r,
            "g": g,
            "b": b,
        }
        for key, value in values.items():
            for w in (self.sliders[key], self.spins[key]):
                w.blockSignals(True)
                w.setValue(value)
                w.blockSignals(False)
        hue = [QColor(*hsv_to_rgb(d, 1.0, 1.0)) for d in range(0, 361, 60)]
        self.sliders["h"].set_ramp(hue)
        self.sliders["s"].set_ramp([QColor(*hsv_to_rgb(h, 0, v)), QColor(*hsv_to_rgb(h, 1, v))])
        self.sliders["v"].set_ramp([QColor(*hsv_to_rgb(h, s, 0)), QColor(*hsv_to_rgb(h, s, 1))])
        self.sliders["r"].set_ramp([QColor(0, g, b), QColor(255, g, b)])
        self.sliders["g"].set_ramp([QColor(r, 0, b), QColor(r, 255, b)])
        self.sliders["b"].set_ramp([QColor(r, g, 0), QColor(r, g, 255)])
        self.swatch.set_rgb(self._rgb)
        self.swatch.setToolTip(f"Current colour {rgb_to_hex(self._rgb)}")
        self._show_hex()

    def _show_recent(self, recent: list[RGB]) -> None:
        for i, b in enumerate(self.recent_buttons):
            if i < len(recent):
                b.setIcon(swatch_icon(recent[i], RECENT_SIZE))
                b.setToolTip(f"Recent: {rgb_to_hex(recent[i])}")
                b.setProperty("rgb", recent[i])
                b.setVisible(True)
            else:
                b.setVisible(False)
        self.recent_hint.setVisible(not recent)


def invalid_text_colour(palette: QPalette) -> QColor:
    """A red that reads on the field's background (light or dark)."""
    dark = palette.base().color().lightnessF() < 0.5
    return QColor(255, 110, 110) if dark else QColor(200, 0, 0)


def _parse_hex(text: str) -> RGB | None:
    try:
        return hex_to_rgb(text)
    except ValueError:
        return None
