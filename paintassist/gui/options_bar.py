"""The tool options toolbar: current colour, sizes of new hints, preview opacity."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QSlider, QToolBar, QWidget

from paintassist.gui.canvas import CanvasView
from paintassist.gui.colors import ColorBar
from paintassist.gui.tool_state import ToolState


class ToolOptionsBar(QToolBar):
    """[colour] | square side, dot radius (sketch px, follow ``state``) | preview opacity."""

    def __init__(self, state: ToolState, canvas: CanvasView, parent: QWidget | None = None) -> None:
        super().__init__("Tool options", parent)
        self.setObjectName("options-toolbar")
        self.state = state
        self.addWidget(QLabel(" Colour "))
        self.color_bar = ColorBar(state, self)
        self.addWidget(self.color_bar)
        self.addSeparator()
        self.addWidget(QLabel(" Square "))
        self.draft_size = self._spin(
            1, 4000, 0, "Side of new draft squares, in sketch pixels ( [ and ] )"
        )
        self.draft_size.valueChanged.connect(lambda v: state.set_sizes(draft=v))
        self.addWidget(QLabel("  Dot "))
        self.dot_size = self._spin(
            0.5, 400, 1, "Radius of new accurate dots, in sketch pixels ( [ and ] )"
        )
        self.dot_size.valueChanged.connect(lambda v: state.set_sizes(dot=v))
        self.addSeparator()
        self.addWidget(QLabel(" Preview opacity "))
        self.opacity = QSlider(Qt.Orientation.Horizontal, self)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(100)
        self.opacity.setFixedWidth(120)
        self.opacity.setToolTip("See the sketch through the preview")
        self.opacity.valueChanged.connect(lambda v: canvas.set_preview_opacity(v / 100))
        self.addWidget(self.opacity)
        state.sizes_changed.connect(self._show_sizes)
        self._show_sizes(state.draft_size, state.dot_size)

    def _spin(self, lo: float, hi: float, decimals: int, tip: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox(self)
        spin.setRange(lo, hi)
        spin.setDecimals(decimals)
        spin.setSuffix(" px")
        spin.setToolTip(tip)
        self.addWidget(spin)
        return spin

    def _show_sizes(self, draft: float, dot: float) -> None:
        for spin, value in ((self.draft_size, draft), (self.dot_size, dot)):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)
