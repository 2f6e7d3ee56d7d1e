"""Colour widgets: the current-colour swatch with hex input, and the recent-colours strip."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QHBoxLayout,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from paintassist.core.types import RGB, hex_to_rgb, rgb_to_hex
from paintassist.gui.qimages import swatch_icon
from paintassist.gui.tool_state import RECENT_MAX, ToolState


def ask_color(parent: QWidget | None, initial: RGB, title: str = "Choose colour") -> RGB | None:
    """QColorDialog (its "HTML" field takes #rrggbb); None when cancelled.

    Tests monkeypatch this function.
    """
    color = QColorDialog.getColor(QColor(*initial), parent, title)
    if not color.isValid():
        return None
    return (color.red(), color.green(), color.blue())


class ColorBar(QWidget):
    """[current swatch] [#hex] [recent colours…] — lives in the tool options bar."""

    def __init__(self, state: ToolState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(3)
        self.swatch = QToolButton(self)
        self.swatch.setIconSize(QSize(26, 26))
        self.swatch.setToolTip("Current colour — click to open the colour dialog")
        self.swatch.clicked.connect(self.open_dialog)
        self.hex_edit = QLineEdit(self)
        self.hex_edit.setFixedWidth(76)
        self.hex_edit.setToolTip("Current colour as #rrggbb — type and press Enter")
        self.hex_edit.editingFinished.connect(self._hex_entered)
        layout.addWidget(self.swatch)
        layout.addWidget(self.hex_edit)
        self.recent = RecentColours(state, self)
        self.recent_buttons = self.recent.buttons
        layout.addWidget(self.recent)
        state.color_changed.connect(self._show_color)
        self._show_color(state.color)

    def open_dialog(self) -> None:
        rgb = ask_color(self, self.state.color)
        if rgb is not None:
            self.state.set_color(rgb)
            self.state.remember(rgb)

    def _hex_entered(self) -> None:
        try:
            rgb = hex_to_rgb(self.hex_edit.text())
        except ValueError:
            self.hex_edit.setText(rgb_to_hex(self.state.color))
            return
        self.state.set_color(rgb)

    def _show_color(self, rgb: RGB) -> None:
        self.swatch.setIcon(swatch_icon(rgb, 26))
        self.hex_edit.setText(rgb_to_hex(rgb))


class RecentColours(QWidget):
    """A strip of buttons for ``state``'s recent colours (up to RECENT_MAX); clicking one makes
    it the current colour. Shared by the options bar and the colour dock."""

    def __init__(self, state: ToolState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.buttons: list[QToolButton] = []
        for _ in range(RECENT_MAX):
            b = QToolButton(self)
            b.setAutoRaise(True)
            b.setIconSize(QSize(16, 16))
            b.setVisible(False)
            b.clicked.connect(lambda _c=False, btn=b: self._clicked(btn))
            self.buttons.append(b)
            layout.addWidget(b)
        state.recent_changed.connect(self._show)
        self._show(state.recent)

    def _show(self, recent: list[RGB]) -> None:
        for i, b in enumerate(self.buttons):
            if i < len(recent):
                b.setIcon(swatch_icon(recent[i], 16))
                b.setToolTip(f"Recent: {rgb_to_hex(recent[i])}")
                b.setProperty("rgb", recent[i])
                b.setVisible(True)
            else:
                b.setVisible(False)

    def _clicked(self, button: QToolButton) -> None:
        rgb = button.property("rgb")
        if rgb is not None:
            self.state.set_color(tuple(rgb))  # type: ignore[arg-type]


__all__ = ["ColorBar", "Qt", "RecentColours", "ask_color"]
