"""Hint tools: what a press/drag/release in *sketch coordinates* does to the document.

The canvas maps mouse positions to sketch pixels (at any zoom, in either pane) and calls
:class:`ToolController`; this module never sees widget coordinates. Every change goes through
the undo stack; one press-drag-release is one undo step (merge keys carry a per-gesture serial).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from paintassist.app.document import Document, Part, Parts
from paintassist.core.types import RGB, Hint, HintSet, Stroke
from paintassist.gui.commands import push_part
from paintassist.gui.tool_state import ToolState

#: The colour shown at sketch point (x, y) in pane ``"sketch"`` / ``"preview"``, None outside.
PickFn = Callable[[float, float, str], RGB | None]

_gesture_serial = itertools.count(1)


def hint_at(hints: HintSet, x: float, y: float, tolerance: float = 0.0) -> int | None:
    """Index of the topmost (last drawn) hint covering sketch point (x, y), or None.

    tolerance (sketch px) widens every hint, so tiny dots stay clickable when zoomed out.
    """
    for i in range(len(hints) - 1, -1, -1):
        h = hints[i]
        r = h.half_extent + tolerance
        if h.kind == "draft":
            if abs(x - h.x) <= r and abs(y - h.y) <= r:
                return i
        elif math.hypot(x - h.x, y - h.y) <= r:
            return i
    return None


def stroke_at(hints: HintSet, x: float, y: float, tolerance: float = 0.0) -> int | None:
    """Index into ``hints.strokes`` of the topmost stroke passing within its half width plus
    ``tolerance`` (sketch px) of point (x, y), or None."""
    for i in range(len(hints.strokes) - 1, -1, -1):
        stroke = hints.strokes[i]
        reach = stroke.width / 2.0 + tolerance
        pts = stroke.points
        for (x0, y0), (x1, y1) in itertools.pairwise(pts):
            dx, dy = x1 - x0, y1 - y0
            t = ((x - x0) * dx + (y - y0) * dy) / max(dx * dx + dy * dy, 1e-12)
            t = min(1.0, max(0.0, t))
            if math.hypot(x - (x0 + t * dx), y - (y0 + t * dy)) <= reach:
                return i
    return None


def gap_width(shape: tuple[int, int]) -> float:
    """Width (sketch px) of a gap stroke on a sketch of ``shape``: about a pencil line's."""
    return float(max(2, round(max(shape) / 600)))


def default_sizes(shape: tuple[int, int]) -> tuple[float, float]:
    """(draft square side, accurate dot radius) in sketch px that suit a sketch of ``shape``."""
    long_side = max(shape)
    return float(max(8, round(long_side / 24))), float(max(2, round(long_side / 220)))


class ToolController(QObject):
    """Applies the current tool to the document.

    selection_changed(index or -1). The canvas passes each gesture event what only it knows:
    ``tolerance`` (sketch px a hint is widened by, so tiny dots stay clickable zoomed out) and
    ``pick`` (the colour shown at a sketch point: preview when visible there, else the sketch).
    """

    selection_changed = Signal(int)

    def __init__(
        self, doc: Document, stack: QUndoStack, state: ToolState, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.stack = stack
        self.state = state
        self.selected: int | None = None
        self._gesture: int | None = None
        self._drag_index: int | None = None
        self._drag_offset = (0.0, 0.0)
        self._mode: str = ""
        self._stroke: list[tuple[float, float]] = []  # the gap stroke or link being drawn
        self._stroke_index: int | None = None  # its index in doc.hints.strokes once pushed
        self._selection_serial = 0
        self._applying_selection_color = False
        doc.changed.connect(self._on_doc_changed)
        state.color_changed.connect(self._on_color_changed)
        state.sizes_changed.connect(self._on_sizes_changed)
        state.tool_changed.connect(self._on_tool_changed)

    # -- selection -------------------------------------------------------------------------------
    def select(self, index: int | None) -> None:
        if index is not None and not 0 <= index < len(self.doc.hints):
            index = None
        if index == self.selected:
            return
        self.selected = index
        self._selection_serial = next(_gesture_serial)
        if index is not None:
            hint = self.doc.hints[index]
            self._applying_selection_color = True
            try:
                self.state.set_color(hint.rgb)
            finally:
                self._applying_selection_color = False
        self.selection_changed.emit(-1 if index is None else index)

    def _on_tool_changed(self, tool: str) -> None:
        if tool != "select":  # otherwise picking a colour for new hints would recolour it
            self.select(None)

    def _on_doc_changed(self, parts: Parts) -> None:
        if (
            Part.HINTS in parts
            and self.selected is not None
            and self.selected >= len(self.doc.hints)
        ):
            self.select(None)

    def delete_selected(self) -> bool:
        if self.selected is None:
            return False
        index = self.selected
        self.select(None)
        push_part(self.stack, self.doc, Part.HINTS, self.doc.hints.without(index), "Delete hint")
        return True

    def _on_color_changed(self, rgb: tuple[int, int, int]) -> None:
        if self._applying_selection_color or self.selected is None:
            return
        hint = self.doc.hints[self.selected]
        push_part(
            self.stack,
            self.doc,
            Part.HINTS,
            self.doc.hints.replaced(self.selected, hint.recoloured(rgb)),
            "Recolour hint",
            ("recolour", self._selection_serial),
        )

    def _on_sizes_changed(self, draft: float, dot: float) -> None:
        if self.selected is None:
            return
        hint = self.doc.hints[self.selected]
        size = draft if hint.kind == "draft" else dot
        push_part(
            self.stack,
            self.doc,
            Part.HINTS,
            self.doc.hints.replaced(self.selected, hint.resized(size)),
            "Resize hint",
            ("resize", self._selection_serial),
        )

    # -- gestures --------------------------------------------------------------------------------
    def inside(self, x: float, y: float) -> bool:
        if self.doc.sketch is None:
            return False
        h, w = self.doc.sketch.shape
        return 0 <= x < w and 0 <= y < h

    def press(
        self,
        x: float,
        y: float,
        pane: str = "sketch",
        alt: bool = False,
        *,
        tolerance: float = 0.0,
        pick: PickFn | None = None,
    ) -> None:
        """Start a gesture at sketch point (x, y). ``pane`` is where it happened (for picking)."""
        if self.doc.sketch is None:
            return
        self._gesture = next(_gesture_serial)
        tool = "eyedropper" if alt else self.state.tool
        self._mode = tool
        if tool in ("draft", "accurate"):
            if not self.inside(x, y):
                self._mode = ""
                return
            size = self.state.draft_size if tool == "draft" else self.state.dot_size
            hint = Hint(tool, float(x), float(y), self.state.color, size)  # type: ignore[arg-type]
            push_part(
                self.stack,
                self.doc,
                Part.HINTS,
                self.doc.hints.with_added(hint),
                "Add draft square" if tool == "draft" else "Add accurate dot",
                ("add", self._gesture),
            )
            self._drag_index = len(self.doc.hints) - 1
            self._drag_offset = (0.0, 0.0)
            self.state.remember(self.state.color)
        elif tool in ("gap", "link"):
            self._stroke_index = None
            self._stroke = [(float(x), float(y))] if self.inside(x, y) else []
            if not self._stroke:
                self._mode = ""
        elif tool == "eraser":
            self._erase(x, y, tolerance)
        elif tool == "eyedropper":
            self._pick(x, y, pane, pick)
        elif tool == "select":
            index = hint_at(self.doc.hints, x, y, tolerance)
            self.select(index)
            if index is not None:
                h = self.doc.hints[index]
                self._drag_index = index
                self._drag_offset = (h.x - x, h.y - y)
            else:
                self._drag_index = None

    def move(
        self,
        x: float,
        y: float,
        pane: str = "sketch",
        *,
        tolerance: float = 0.0,
        pick: PickFn | None = None,
    ) -> None:
        if self._gesture is None:
            return
        if self._mode in ("draft", "accurate", "select") and self._drag_index is not None:
            if self._drag_index >= len(self.doc.hints):
                return
            h, w = self.doc.sketch.shape if self.doc.sketch is not None else (1, 1)
            nx = min(max(x + self._drag_offset[0], 0.0), w - 1.0)
            ny = min(max(y + self._drag_offset[1], 0.0), h - 1.0)
            hint = self.doc.hints[self._drag_index]
            key = ("add", self._gesture) if self._mode != "select" else ("move", self._gesture)
            push_part(
                self.stack,
                self.doc,
                Part.HINTS,
                self.doc.hints.replaced(self._drag_index, hint.moved(nx, ny)),
                self.stack.undoText() if self._mode != "select" else "Move hint",
                key,
            )
        elif self._mode in ("gap", "link"):
            self._draw_stroke(x, y, tolerance)
        elif self._mode == "eraser":
            self._erase(x, y, tolerance)
        elif self._mode == "eyedropper":
            self._pick(x, y, pane, pick)

    def _draw_stroke(self, x: float, y: float, tolerance: float) -> None:
        """Extend the gap stroke (a point every ``tolerance`` px or more) or move the link's far
        end to (x, y); the stroke enters the document once it has two points apart."""
        if self.doc.sketch is None or not self._stroke:
            return
        h, w = self.doc.sketch.shape
        p = (min(max(float(x), 0.0), w - 1.0), min(max(float(y), 0.0), h - 1.0))
        last = self._stroke[-1] if self._mode == "gap" else self._stroke[0]
        if math.hypot(p[0] - last[0], p[1] - last[1]) < max(1.0, tolerance / 2):
            return
        if self._mode == "gap":
            self._stroke.append(p)
            stroke = Stroke("gap", tuple(self._stroke), gap_width((h, w)))
            text = "Close gap"
        else:
            self._stroke[1:] = [p]
            stroke = Stroke("link", (self._stroke[0], p))
            text = "Link areas"
        hints = self.doc.hints
        if self._stroke_index is None or self._stroke_index >= len(hints.strokes):
            after = hints.with_stroke(stroke)
            self._stroke_index = len(after.strokes) - 1
        else:
            after = hints.replaced_stroke(self._stroke_index, stroke)
        push_part(self.stack, self.doc, Part.HINTS, after, text, (self._mode, self._gesture))

    def release(
        self,
        x: float,
        y: float,
        pane: str = "sketch",
        *,
        tolerance: float = 0.0,
        pick: PickFn | None = None,
    ) -> None:
        self.move(x, y, pane, tolerance=tolerance, pick=pick)
        if self._mode == "eyedropper" and self.state.tool == "eyedropper":
            self.state.remember(self.state.color)
        self._gesture = None
        self._drag_index = None
        self._stroke, self._stroke_index = [], None
        self._mode = ""

    def _erase(self, x: float, y: float, tolerance: float) -> None:
        index = hint_at(self.doc.hints, x, y, tolerance)
        if index is None:
            stroke = stroke_at(self.doc.hints, x, y, tolerance)
            if stroke is not None:
                push_part(self.stack, self.doc, Part.HINTS, self.doc.hints.without_stroke(stroke),
                          "Erase hints", ("erase", self._gesture))
            return
        if self.selected == index:
            self.select(None)
        push_part(
            self.stack,
            self.doc,
            Part.HINTS,
            self.doc.hints.without(index),
            "Erase hints",
            ("erase", self._gesture),
        )

    def _pick(self, x: float, y: float, pane: str, pick: PickFn | None) -> None:
        rgb = pick(x, y, pane) if pick is not None else None
        if rgb is not None:
            self.state.set_color(rgb)

    def clear_hints(self) -> None:
        self.select(None)
        push_part(self.stack, self.doc, Part.HINTS, HintSet(), "Clear hints")
