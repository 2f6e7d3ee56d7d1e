from __future__ import annotations

import pytest
from fakes import make_sketch
from PySide6.QtGui import QUndoStack

from paintassist.app.document import Document
from paintassist.core.types import Hint, HintSet
from paintassist.gui.tool_state import ToolState
from paintassist.gui.tools import ToolController, default_sizes, hint_at


@pytest.fixture
def rig(qapp):  # type: ignore[no-untyped-def]
    doc = Document()
    doc.set_sketch(make_sketch())
    stack = QUndoStack()
    state = ToolState()
    tools = ToolController(doc, stack, state)
    return doc, stack, state, tools


def test_hint_at_picks_topmost_and_respects_shape() -> None:
    hints = HintSet((Hint("draft", 10, 10, (1, 1, 1), 20), Hint("accurate", 12, 12, (2, 2, 2), 3)))
    assert hint_at(hints, 12, 12) == 1  # the dot is drawn last
    assert hint_at(hints, 19, 19) == 0  # square corner (half side 10)
    assert hint_at(hints, 21, 10) is None
    assert hint_at(hints, 21, 10, tolerance=2) == 0


def test_default_sizes_scale_with_the_page() -> None:
    small, big = default_sizes((469, 500)), default_sizes((3508, 2480))
    assert big[0] > small[0] and big[1] > small[1]


def test_draft_and_dot_tools_add_hints_in_sketch_coordinates(rig) -> None:  # type: ignore[no-untyped-def]
    doc, stack, state, tools = rig
    state.set_color((10, 20, 30))
    state.set_sizes(draft=16, dot=3)
    tools.press(40.5, 50.25)
    tools.release(40.5, 50.25)
    state.set_tool("accurate")
    tools.press(100, 60)
    tools.release(100, 60)
    assert [(h.kind, h.x, h.y, h.size, h.rgb) for h in doc.hints] == [
        ("draft", 40.5, 50.25, 16.0, (10, 20, 30)),
        ("accurate", 100.0, 60.0, 3.0, (10, 20, 30)),
    ]
    assert state.recent[0] == (10, 20, 30)
    assert stack.count() == 2


def test_click_outside_the_sketch_adds_nothing(rig) -> None:  # type: ignore[no-untyped-def]
    doc, _stack, _state, tools = rig
    tools.press(-5, 10)
    tools.release(-5, 10)
    tools.press(500, 10)
    assert len(doc.hints) == 0


def test_add_then_drag_is_one_undo_step(rig) -> None:  # type: ignore[no-untyped-def]
    doc, stack, _state, tools = rig
    tools.press(20, 20)
    for x in range(21, 40):
        tools.move(x, 25)
    tools.release(40, 25)
    assert (doc.hints[0].x, doc.hints[0].y) == (40, 25)
    assert stack.count() == 1
    stack.undo()
    assert len(doc.hints) == 0


def test_select_move_recolour_resize_delete(rig) -> None:  # type: ignore[no-untyped-def]
    doc, stack, state, tools = rig
    state.set_tool("accurate")
    state.set_color((200, 0, 0))
    tools.press(50, 50)
    tools.release(50, 50)
    state.set_color((0, 0, 200))
    state.set_tool("select")
    tools.press(51, 50)  # grab slightly off-centre: the hint keeps its offset
    assert tools.selected == 0 and state.color == (200, 0, 0)  # selection shows its colour
    tools.move(61, 55)
    tools.release(61, 55)
    assert (doc.hints[0].x, doc.hints[0].y) == (60, 55)
    state.set_color((0, 255, 0))
    assert doc.hints[0].rgb == (0, 255, 0)
    state.set_sizes(dot=9)
    assert doc.hints[0].size == 9
    steps = stack.count()
    assert tools.delete_selected()
    assert len(doc.hints) == 0 and stack.count() == steps + 1
    stack.undo()
    assert doc.hints[0].rgb == (0, 255, 0)


def test_eraser_drag_removes_many_in_one_step(rig) -> None:  # type: ignore[no-untyped-def]
    doc, stack, state, tools = rig
    state.set_tool("accurate")
    for x in (20, 40, 60):
        tools.press(x, 30)
        tools.release(x, 30)
    state.set_tool("eraser")
    tools.press(20, 30)
    for x in range(20, 61, 2):
        tools.move(x, 30)
    tools.release(60, 30)
    assert len(doc.hints) == 0
    stack.undo()
    assert len(doc.hints) == 3


def test_eyedropper_and_alt_click_pick_colours(rig) -> None:  # type: ignore[no-untyped-def]
    _doc, _stack, state, tools = rig

    def pick(x: float, y: float, pane: str) -> tuple[int, int, int]:
        return (int(x), int(y), 7)

    state.set_tool("eyedropper")
    tools.press(3, 4, pick=pick)
    tools.release(3, 4, pick=pick)
    assert state.color == (3, 4, 7)
    state.set_tool("draft")
    tools.press(9, 8, alt=True, pick=pick)
    tools.release(9, 8, pick=pick)
    assert state.color == (9, 8, 7)
    assert len(_doc.hints) == 0


def test_clear_hints_is_undoable(rig) -> None:  # type: ignore[no-untyped-def]
    doc, stack, _state, tools = rig
    tools.press(20, 20)
    tools.release(20, 20)
    tools.clear_hints()
    assert len(doc.hints) == 0
    stack.undo()
    assert len(doc.hints) == 1
