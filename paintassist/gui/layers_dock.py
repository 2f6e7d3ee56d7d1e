"""Layers panel: visibility and opacity of each exported layer; the preview is composed with
:func:`paintassist.core.layers.compose` from the same values, so it equals the export."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QSlider, QWidget

from paintassist.app.document import Document, Part
from paintassist.core.layers import LAYER_STACK
from paintassist.gui.commands import push_part

_TITLES = {
    "regions": "Regions",
    "flats": "Flats",
    "color": "Colour",
    "shading": "Shading",
    "shadow": "Shadow",
    "lighting": "Lighting",
    "lineart": "Line art",
}


class LayersDock(QWidget):
    """One row per layer, top of the stack first (as in Krita): [✓ name] [opacity slider] [%]."""

    def __init__(self, doc: Document, stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.stack = stack
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setVerticalSpacing(2)
        self.checks: dict[str, QCheckBox] = {}
        self.sliders: dict[str, QSlider] = {}
        self.labels: dict[str, QLabel] = {}
        self._scrub = 0
        self._syncing = False
        for row, spec in enumerate(reversed(LAYER_STACK)):
            check = QCheckBox(_TITLES.get(spec.name, spec.name), self)
            check.setToolTip(f"{spec.description} ({spec.blend})")
            check.toggled.connect(lambda on, n=spec.name: self._toggle(n, on))
            slider = QSlider(Qt.Orientation.Horizontal, self)
            slider.setRange(0, 100)
            slider.setToolTip(f"Opacity of {spec.name}")
            slider.sliderPressed.connect(self._new_scrub)
            slider.valueChanged.connect(lambda v, n=spec.name: self._opacity(n, v))
            label = QLabel(self)
            label.setMinimumWidth(36)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(check, row, 0)
            grid.addWidget(slider, row, 1)
            grid.addWidget(label, row, 2)
            self.checks[spec.name] = check
            self.sliders[spec.name] = slider
            self.labels[spec.name] = label
        grid.setColumnStretch(1, 1)
        doc.changed.connect(lambda parts: self._sync() if Part.SETTINGS in parts else None)
        self._sync()

    def _new_scrub(self) -> None:
        self._scrub += 1

    def _toggle(self, name: str, on: bool) -> None:
        if self._syncing:
            return
        push_part(
            self.stack,
            self.doc,
            Part.SETTINGS,
            self.doc.settings.with_layer(name, visible=on),
            f"{'Show' if on else 'Hide'} {name}",
        )

    def _opacity(self, name: str, value: int) -> None:
        self.labels[name].setText(f"{value} %")
        if self._syncing:
            return
        push_part(
            self.stack,
            self.doc,
            Part.SETTINGS,
            self.doc.settings.with_layer(name, opacity=value / 100.0),
            f"{name} opacity",
            ("layer-opacity", name, self._scrub),
        )

    def _sync(self) -> None:
        self._syncing = True
        try:
            s = self.doc.settings
            for spec in LAYER_STACK:
                visible = bool(s.layer_visible.get(spec.name, spec.visible))
                self.checks[spec.name].setChecked(visible)
                value = round(100 * float(s.layer_opacity.get(spec.name, spec.opacity)))
                self.sliders[spec.name].setValue(value)
                self.labels[spec.name].setText(f"{value} %")
        finally:
            self._syncing = False
