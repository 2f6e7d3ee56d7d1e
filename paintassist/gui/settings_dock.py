"""Settings panel: gap closing, preview resolution, networks on/off, the line art's colour,
screentone recognition, and the light pass."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from paintassist.app.document import PREVIEW_SIDES, Document, Part
from paintassist.core.types import MAX_GAP_PX, LightSettings, LineColor
from paintassist.gui.colors import ask_color
from paintassist.gui.commands import push_part
from paintassist.gui.light_dial import LightDial
from paintassist.gui.qimages import swatch_icon

#: The "Line colour" combo's entries (value → title), one per
#: :data:`~paintassist.core.types.LINE_COLORS`.
LINE_COLOR_TITLES: dict[LineColor, str] = {
    "auto": "Auto — keep coloured ink",
    "keep": "Keep the ink's colour",
    "black": "Black",
}


class _Scrub:
    """A slider whose drag is one undo step: value → settings via ``apply``."""

    def __init__(
        self,
        slider: QSlider,
        label: QLabel,
        fmt: Callable[[int], str],
        apply: Callable[[int], None],
    ) -> None:
        self.slider, self.label, self.fmt, self.apply = slider, label, fmt, apply
        self.serial = 0
        self.syncing = False
        slider.sliderPressed.connect(self._press)
        slider.valueChanged.connect(self._changed)

    def _press(self) -> None:
        self.serial += 1

    def _changed(self, value: int) -> None:
        self.label.setText(self.fmt(value))
        if not self.syncing:
            self.apply(value)

    def set(self, value: int) -> None:
        self.syncing = True
        try:
            self.slider.setValue(value)
            self.label.setText(self.fmt(value))
        finally:
            self.syncing = False


class SettingsDock(QWidget):
    def __init__(self, doc: Document, stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.stack = stack
        self._syncing = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 4, 6, 4)

        form = QFormLayout()
        self.gap = QSpinBox(self)
        self.gap.setRange(0, MAX_GAP_PX)
        self.gap.setSuffix(" px")
        self.gap.setToolTip("Close gaps in the line art up to this width so colours do not leak")
        self.gap.valueChanged.connect(self._gap_changed)
        form.addRow("Close gaps", self.gap)
        self.resolution = QComboBox(self)
        for side in PREVIEW_SIDES:
            self.resolution.addItem("Full (slow)" if side is None else f"{side} px", side)
        self.resolution.setToolTip("Long side of the live preview; export is always full size")
        self.resolution.currentIndexChanged.connect(self._resolution_changed)
        form.addRow("Preview size", self.resolution)
        self.networks = QCheckBox("Use the colorization networks", self)
        self.networks.setToolTip("Off: classical flat fill only (faster, no shading)")
        self.networks.toggled.connect(
            lambda on: self._push(replace(self.doc.settings, use_networks=on), "Networks on/off")
        )
        form.addRow(self.networks)
        self.line_color = QComboBox(self)
        for value, title in LINE_COLOR_TITLES.items():
            self.line_color.addItem(title, value)
        self.line_color.setToolTip(
            "Colour of the line-art layer: Auto keeps the ink's own colour when the ink is "
            "coloured (black ink stays black); Keep always uses the ink's colour; Black makes "
            "every line black"
        )
        self.line_color.currentIndexChanged.connect(self._line_color_changed)
        form.addRow("Line colour", self.line_color)
        self.screentone = QCheckBox("Screentone is tone", self)
        self.screentone.setToolTip(
            "Recognise manga screentone (halftone dots) as tone: it does not split regions and "
            "goes to its own Tone layer (multiply). Off: every ink pixel is line art"
        )
        self.screentone.toggled.connect(
            lambda on: self._push(replace(self.doc.settings, screentone=on), "Screentone on/off")
        )
        form.addRow(self.screentone)
        outer.addLayout(form)

        self.light_box = QGroupBox("Light", self)
        self.light_box.setCheckable(True)
        self.light_box.setToolTip("Add highlights and shadows from a light direction")
        self.light_box.toggled.connect(lambda on: self._light("Light on/off", None, enabled=on))
        lb = QVBoxLayout(self.light_box)
        top = QHBoxLayout()
        self.dial = LightDial(self.light_box)
        self._dial_serial = 0
        self.dial.scrub_started.connect(self._dial_press)
        self.dial.angle_changed.connect(
            lambda a: self._light("Light direction", ("dial", self._dial_serial), azimuth_deg=a)
        )
        top.addWidget(self.dial)
        self.light_color = QToolButton(self.light_box)
        self.light_color.setIconSize(QSize(22, 22))
        self.light_color.setToolTip("Light colour")
        self.light_color.clicked.connect(self._pick_light_color)
        col = QVBoxLayout()
        col.addWidget(QLabel("Colour"))
        col.addWidget(self.light_color)
        col.addStretch(1)
        top.addLayout(col)
        top.addStretch(1)
        lb.addLayout(top)
        lform = QFormLayout()
        self.scrubs: dict[str, _Scrub] = {}

        def add(
            key: str,
            title: str,
            lo: int,
            hi: int,
            fmt: Callable[[int], str],
            to_value: Callable[[int], float],
        ) -> None:
            slider = QSlider(Qt.Orientation.Horizontal, self.light_box)
            slider.setRange(lo, hi)
            label = QLabel(self.light_box)
            label.setMinimumWidth(40)
            row = QHBoxLayout()
            row.addWidget(slider, 1)
            row.addWidget(label)
            scrub = _Scrub(
                slider,
                label,
                fmt,
                lambda v: self._light(title, (key, self.scrubs[key].serial), **{key: to_value(v)}),
            )
            self.scrubs[key] = scrub
            lform.addRow(title, row)

        add("elevation_deg", "Elevation", 0, 90, lambda v: f"{v}°", float)
        add("intensity", "Intensity", 0, 200, lambda v: f"{v} %", lambda v: v / 100.0)
        add("ambient", "Ambient", 0, 100, lambda v: f"{v} %", lambda v: v / 100.0)
        add(
            "balance",
            "Balance",
            -100,
            100,
            lambda v: "shadows" if v <= -95 else "highlights" if v >= 95 else f"{v:+d}",
            lambda v: v / 100.0,
        )
        lb.addLayout(lform)
        outer.addWidget(self.light_box)
        outer.addStretch(1)
        doc.changed.connect(lambda parts: self._sync() if Part.SETTINGS in parts else None)
        self._sync()

    # -- pushing edits ---------------------------------------------------------------------------
    def _push(self, settings: Any, text: str, key: Any = None) -> None:
        if not self._syncing:
            push_part(self.stack, self.doc, Part.SETTINGS, settings, text, key)

    def _gap_changed(self, value: int) -> None:
        self._push(replace(self.doc.settings, gap_px=value), "Close gaps", ("gap",))

    def _resolution_changed(self, index: int) -> None:
        self._push(
            replace(self.doc.settings, preview_long_side=self.resolution.itemData(index)),
            "Preview size",
        )

    def _line_color_changed(self, index: int) -> None:
        value: LineColor = self.line_color.itemData(index)
        self._push(replace(self.doc.settings, line_color=value), "Line colour")

    def _dial_press(self) -> None:
        self._dial_serial += 1

    def _light(self, text: str, key: Any, **changes: Any) -> None:
        light: LightSettings = replace(self.doc.settings.light, **changes)
        self._push(replace(self.doc.settings, light=light), text, key)

    def _pick_light_color(self) -> None:
        rgb = ask_color(self, self.doc.settings.light.rgb, "Light colour")
        if rgb is not None:
            self._light("Light colour", None, rgb=rgb)

    # -- showing the document --------------------------------------------------------------------
    def _sync(self) -> None:
        self._syncing = True
        try:
            s = self.doc.settings
            self.gap.setValue(int(s.gap_px))
            idx = self.resolution.findData(s.preview_long_side)
            if idx < 0:
                self.resolution.addItem(f"{s.preview_long_side} px", s.preview_long_side)
                idx = self.resolution.count() - 1
            self.resolution.setCurrentIndex(idx)
            self.networks.setChecked(s.use_networks)
            self.line_color.setCurrentIndex(max(0, self.line_color.findData(s.line_color)))
            self.screentone.setChecked(s.screentone)
            light = s.light
            self.light_box.setChecked(light.enabled)
            self.dial.set_angle(light.azimuth_deg)
            self.dial.set_active(light.enabled)
            self.light_color.setIcon(swatch_icon(light.rgb, 22))
            self.scrubs["elevation_deg"].set(round(light.elevation_deg))
            self.scrubs["intensity"].set(round(light.intensity * 100))
            self.scrubs["ambient"].set(round(light.ambient * 100))
            self.scrubs["balance"].set(round(light.balance * 100))
        finally:
            self._syncing = False
