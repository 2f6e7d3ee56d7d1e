"""The main window's status bar: messages, colorizing progress, cursor, zoom, colorizer."""

from __future__ import annotations

import math

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from paintassist.core.types import Hint


class StatusBar(QStatusBar):
    """Messages on the left; busy label + bar, cursor (sketch px), zoom and colorizer on the
    right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tool_label = QLabel("")
        self.tool_label.setObjectName("tool-status")
        # Permanent: a temporary message ("Opened …") would hide a normal status-bar widget.
        self.addPermanentWidget(self.tool_label, 1)
        self.busy_label = QLabel("")
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 100)
        self.busy_bar.setFixedWidth(110)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setVisible(False)
        self.nets_label = QLabel("starting colorizer…")
        self.cursor_label = QLabel("")
        self.cursor_label.setMinimumWidth(110)
        self.zoom_label = QLabel("")
        self.zoom_label.setMinimumWidth(50)
        for w in (
            self.busy_label,
            self.busy_bar,
            self.cursor_label,
            self.zoom_label,
            self.nets_label,
        ):
            self.addPermanentWidget(w)
        self.showMessage("Open a sketch (Ctrl+O) or drop one here.")
        self._shown_warnings: set[str] = set()

    def set_tool(self, name: str, what: str) -> None:
        """The current tool's name and what a click does, always shown at the left."""
        self.tool_label.setText(f"<b>{name}</b> — {what}")
        self.tool_label.setToolTip(what)

    def show_error(self, message: str) -> None:
        self.showMessage(f"⚠ {message}", 15000)

    def set_busy(self, busy: bool) -> None:
        self.busy_bar.setVisible(busy)
        self.busy_label.setText("Colorizing…" if busy else "")
        if not busy:
            self.busy_bar.setValue(0)

    def set_progress(self, stage: str, fraction: float) -> None:
        self.busy_bar.setValue(round(fraction * 100))
        self.busy_label.setText(f"Colorizing: {stage}")

    def set_nets_status(self, text: str) -> None:
        """``text``: the pipeline's status line (``nets_status``), shown as the tooltip."""
        self.nets_label.setText(
            "networks" if text.startswith("networks") else "classical colorizer"
        )
        self.nets_label.setToolTip(text)

    def set_notes(self, notes: list[str]) -> None:
        """A result's notes: all in the networks label's tooltip; a warning about a dot (moved
        off a line, colouring nothing) shown as the message too, once, when it first appears."""
        if notes:
            self.nets_label.setToolTip("\n".join(notes))
        warnings = [n for n in notes if n.startswith("dot ")]
        fresh = [n for n in warnings if n not in self._shown_warnings]
        self._shown_warnings = set(warnings)
        if fresh:
            more = f" (+{len(fresh) - 1} more: see the tooltip at the right)" if len(fresh) > 1 else ""
            self.showMessage(f"⚠ {fresh[-1]}{more}", 10000)

    def set_cursor(self, x: float, y: float) -> None:
        """Sketch px; NaN: outside the sketch."""
        self.cursor_label.setText("" if math.isnan(x) else f"x {x:.0f}  y {y:.0f}")

    def set_zoom(self, zoom: float) -> None:
        self.zoom_label.setText(f"{zoom * 100:.0f} %")

    def show_hint(self, hint: Hint | None) -> None:
        """Describe the selected hint (None: clear the message)."""
        if hint is None:
            self.clearMessage()
            return
        what = (
            f"Draft square {hint.hex}, {hint.size:.0f} px"
            if hint.kind == "draft"
            else f"Accurate dot {hint.hex}, radius {hint.size:g} px"
        )
        self.showMessage(
            f"{what} at ({hint.x:.0f}, {hint.y:.0f}) — drag to move, pick a colour to recolour, "
            "[ ] to resize, Delete to remove"
        )
