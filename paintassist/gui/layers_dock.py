"""Layers panel: visibility and opacity of each exported layer, with a thumbnail of the latest
preview's layer; the preview is composed with :func:`paintassist.core.layers.compose` from the
same values, so it equals the export. The light pass's two layers are shown only while the light
is on (they are blank otherwise), the tone layer only while the shown result has screentone."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QSlider, QWidget

from paintassist.app.document import Document, Part
from paintassist.core.layers import LAYER_STACK, stack_of
from paintassist.core.regions import regions_layer_from_labels
from paintassist.core.types import ColorizeResult
from paintassist.gui.commands import push_part
from paintassist.gui.qimages import thumbnail

#: Thumbnail size (px, long side).
THUMB = 40
#: Layers that only the light pass fills.
LIGHT_LAYERS = ("shadow", "lighting")


def has_tone(result: ColorizeResult) -> bool:
    """Whether ``result`` has screentone: its ``tone`` layer is not the all-white stand-in (a
    read-only broadcast view) a page without screentone gets."""
    tone = result.tone
    return tone is not None and tone.strides[0] != 0 and bool((tone < 255).any())


def layer_thumbnails(result: ColorizeResult, size: int = THUMB) -> dict[str, np.ndarray]:
    """Small uint8 (h, w, 3) pictures of each layer of ``result`` (long side about ``size``):
    strided, not resampled — cheap enough for every preview. Line art is drawn on white."""
    h, w = result.regions.shape
    step = max(1, -(-max(h, w) // (2 * size)))  # ceil: at most 2·size px
    cut = (slice(None, None, step), slice(None, None, step))
    out: dict[str, np.ndarray] = {}
    for name, img in stack_of(result, with_regions=False).items():
        small = img[cut]
        if small.shape[-1] == 4:
            a = small[..., 3:4].astype(np.float32) / 255.0
            small = (small[..., :3] * a + 255.0 * (1.0 - a)).astype(np.uint8)
        out[name] = np.ascontiguousarray(small)
    out["regions"] = regions_layer_from_labels(np.ascontiguousarray(result.regions[cut]))
    return out


_TITLES = {
    "regions": "Regions",
    "flats": "Flats",
    "color": "Colour",
    "shading": "Shading",
    "tone": "Tone",
    "shadow": "Shadow",
    "lighting": "Lighting",
    "lineart": "Line art",
    "sketch": "Sketch",
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
        self.thumbs: dict[str, QLabel] = {}
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
            thumb = QLabel(self)
            thumb.setFixedSize(THUMB + 2, THUMB + 2)
            thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
            thumb.setStyleSheet("QLabel { border: 1px solid palette(mid); }")
            grid.addWidget(thumb, row, 0)
            grid.addWidget(check, row, 1)
            grid.addWidget(slider, row, 2)
            grid.addWidget(label, row, 3)
            self.thumbs[spec.name] = thumb
            self.checks[spec.name] = check
            self.sliders[spec.name] = slider
            self.labels[spec.name] = label
        grid.setColumnStretch(2, 1)
        self.light_rows_shown = True
        self.tone_row_shown = False
        self._show_row("tone", False)  # until a result with screentone is shown
        doc.changed.connect(lambda parts: self._sync() if Part.SETTINGS in parts else None)
        self._sync()

    def set_result(self, result: ColorizeResult) -> None:
        """Show ``result``'s layers as the rows' thumbnails; the tone row only if it has tone."""
        self.tone_row_shown = has_tone(result)
        self._show_row("tone", self.tone_row_shown)
        for name, img in layer_thumbnails(result).items():
            if name in self.thumbs:
                self.thumbs[name].setPixmap(thumbnail(img, THUMB))

    def _show_light_rows(self, shown: bool) -> None:
        self.light_rows_shown = shown
        for name in LIGHT_LAYERS:
            self._show_row(name, shown)

    def _show_row(self, name: str, shown: bool) -> None:
        """Show or hide layer ``name``'s whole row (thumbnail, check box, slider, label)."""
        for w in (self.thumbs[name], self.checks[name], self.sliders[name], self.labels[name]):
            w.setVisible(shown)

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
            self._show_light_rows(bool(s.light.enabled))
        finally:
            self._syncing = False
