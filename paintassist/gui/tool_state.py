"""The artist's current tool, colour, recent colours and hint sizes.

Its own small module so the colour and palette widgets depend on this state only, not on the
tool controller (:mod:`paintassist.gui.tools`) that applies the tools to the document.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import QObject, Signal

from paintassist.core.types import DEFAULT_HINT_SIZE, RGB

ToolName = Literal["draft", "accurate", "gap", "link", "eraser", "eyedropper", "select"]
TOOLS: tuple[ToolName, ...] = ("draft", "accurate", "gap", "link", "eraser", "eyedropper", "select")
#: How many recently used colours the colour bar shows.
RECENT_MAX = 12


class ToolState(QObject):
    """The current tool, colour, recent colours and hint sizes (sketch px)."""

    tool_changed = Signal(str)
    color_changed = Signal(tuple)
    recent_changed = Signal(list)
    sizes_changed = Signal(float, float)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tool: ToolName = "draft"
        self.color: RGB = (232, 160, 130)
        self.recent: list[RGB] = []
        self.draft_size = DEFAULT_HINT_SIZE["draft"]
        self.dot_size = DEFAULT_HINT_SIZE["accurate"]

    def set_tool(self, tool: str) -> None:
        if tool not in TOOLS:
            raise ValueError(f"unknown tool {tool!r}")
        if tool != self.tool:
            self.tool = tool  # type: ignore[assignment]
            self.tool_changed.emit(tool)

    def set_color(self, rgb: RGB) -> None:
        rgb = (int(rgb[0]), int(rgb[1]), int(rgb[2]))
        if rgb != self.color:
            self.color = rgb
            self.color_changed.emit(rgb)

    def remember(self, rgb: RGB) -> None:
        """Put ``rgb`` at the front of the recent colours (called when a colour is used)."""
        rgb = (int(rgb[0]), int(rgb[1]), int(rgb[2]))
        recent = [c for c in self.recent if c != rgb]
        recent.insert(0, rgb)
        if recent != self.recent:
            self.recent = recent[:RECENT_MAX]
            self.recent_changed.emit(list(self.recent))

    def set_recent(self, colours: list[RGB]) -> None:
        """Replace the recent colours (restoring them at start-up), newest first."""
        recent = list(dict.fromkeys((int(c[0]), int(c[1]), int(c[2])) for c in colours))
        if recent[:RECENT_MAX] != self.recent:
            self.recent = recent[:RECENT_MAX]
            self.recent_changed.emit(list(self.recent))

    def set_sizes(self, draft: float | None = None, dot: float | None = None) -> None:
        if draft is not None:
            self.draft_size = float(max(1.0, draft))
        if dot is not None:
            self.dot_size = float(max(0.5, dot))
        self.sizes_changed.emit(self.draft_size, self.dot_size)
