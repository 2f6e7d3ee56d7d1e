"""The region-map tools in the app (issue 12): the gap closer and the link tool (undoable, saved),
the eraser on strokes, the outline of the area under the cursor and "where to hint next"."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from fakes import make_sketch
from PySide6.QtGui import QUndoStack

from paintassist.app.document import Document, Part
from paintassist.core.regions import segment
from paintassist.core.types import HintSet, Stroke
from paintassist.gui.tool_state import ToolState
from paintassist.gui.tools import ToolController, gap_width, stroke_at
from paintassist.io.hints_file import load_hints, save_hints


@pytest.fixture
def rig(qapp):  # type: ignore[no-untyped-def]
    doc = Document()
    doc.set_sketch(make_sketch())  # two boxes: x 10..75 and 85..150, y 10..110
    stack = QUndoStack()
    state = ToolState()
    return doc, stack, state, ToolController(doc, stack, state)


def test_the_gap_closer_draws_one_stroke_per_drag_as_one_undo_step(rig) -> None:  # type: ignore[no-untyped-def]
    doc, stack, state, tools = rig
    state.set_tool("gap")
    tools.press(20, 60)
    for x in range(22, 60, 2):
        tools.move(x, 60, tolerance=1.0)
    tools.release(60, 60, tolerance=1.0)
    assert len(doc.hints) == 0 and len(doc.hints.gaps) == 1
    stroke = doc.hints.gaps[0]
    assert stroke.points[0] == (20.0, 60.0) and stroke.points[-1] == (60.0, 60.0)
    assert stroke.width == gap_width((120, 160))
    assert stack.count() == 1 and stack.undoText() == "Close gap"
    stack.undo()
    assert doc.hints.strokes == ()
    stack.redo()
    assert len(doc.hints.gaps) == 1


def test_a_click_without_a_drag_draws_nothing(rig) -> None:  # type: ignore[no-untyped-def]
    doc, stack, state, tools = rig
    for tool in ("gap", "link"):
        state.set_tool(tool)
        tools.press(30, 30)
        tools.release(30, 30)
    assert doc.hints.strokes == () and stack.count() == 0


def test_the_link_tool_joins_the_press_and_the_release(rig) -> None:  # type: ignore[no-untyped-def]
    doc, stack, state, tools = rig
    state.set_tool("link")
    tools.press(40, 60)
    tools.move(80, 70)
    tools.move(120, 60)
    tools.release(120, 60)
    assert doc.hints.links == (Stroke("link", ((40.0, 60.0), (120.0, 60.0))),)
    assert stack.count() == 1 and stack.undoText() == "Link areas"


def test_the_eraser_removes_strokes_too(rig) -> None:  # type: ignore[no-untyped-def]
    doc, stack, state, tools = rig
    doc.set_part(Part.HINTS, HintSet((), (Stroke("gap", ((20, 60), (60, 60)), 2.0),
                                          Stroke("link", ((40, 20), (120, 20))))))
    assert stroke_at(doc.hints, 40, 61) == 0
    assert stroke_at(doc.hints, 40, 65) is None
    assert stroke_at(doc.hints, 40, 65, tolerance=5) == 0
    state.set_tool("eraser")
    tools.press(80, 21)
    tools.release(80, 21)
    assert doc.hints.links == () and len(doc.hints.gaps) == 1
    stack.undo()
    assert len(doc.hints.links) == 1


def test_strokes_are_saved_in_the_hints_file_and_the_project(rig, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from paintassist.app.project import load_project, save_project

    doc, _stack, _state, _tools = rig
    hints = HintSet((), (Stroke("gap", ((20, 60), (60, 61)), 2.0),
                         Stroke("link", ((40, 20), (120, 20)))))
    doc.set_part(Part.HINTS, hints)
    assert load_hints(save_hints(tmp_path / "h.json", doc.hints)).hints == hints
    path = save_project(doc, tmp_path / "page.paintassist")
    assert load_project(path).hints == hints


# -- the canvas ----------------------------------------------------------------------------------------
def test_the_area_under_the_cursor_is_outlined_before_the_click(qtbot) -> None:  # type: ignore[no-untyped-def]
    from paintassist.gui.canvas import CanvasView

    doc = Document()
    sketch = make_sketch()
    doc.set_sketch(sketch)
    state = ToolState()
    tools = ToolController(doc, QUndoStack(), state)
    view = CanvasView(tools)
    qtbot.addWidget(view)
    view.resize(500, 400)
    view.show()
    view.set_sketch(sketch.ink)
    view.set_region_map(segment(sketch.ink, gap_px=4))
    state.set_tool("accurate")
    qtbot.mouseMove(view.viewport(), view.view_point(40, 60).toPoint())
    qtbot.waitUntil(lambda: bool(view.overlay.area))
    box = max((p.boundingRect() for p in view.overlay.area), key=lambda r: r.width())
    assert 8 <= box.left() <= 14 and 71 <= box.right() <= 78  # the left box, not the right one
    # over the right box the outline follows
    qtbot.mouseMove(view.viewport(), view.view_point(120, 60).toPoint())
    qtbot.waitUntil(lambda: max(p.boundingRect().left() for p in view.overlay.area) > 80)
    # another tool, or no regions yet: no outline
    state.set_tool("eraser")
    qtbot.mouseMove(view.viewport(), view.view_point(40, 60).toPoint())
    qtbot.waitUntil(lambda: not view.overlay.area)
    state.set_tool("accurate")
    view.set_region_map(None)
    qtbot.mouseMove(view.viewport(), view.view_point(41, 61).toPoint())
    assert not view.overlay.area


def test_the_outline_maps_a_preview_size_region_map_onto_the_sketch(qtbot) -> None:  # type: ignore[no-untyped-def]
    import cv2

    from paintassist.gui.canvas import CanvasView

    doc = Document()
    sketch = make_sketch()
    doc.set_sketch(sketch)
    state = ToolState()
    state.set_tool("accurate")
    view = CanvasView(ToolController(doc, QUndoStack(), state))
    qtbot.addWidget(view)
    view.set_sketch(sketch.ink)
    half = cv2.resize(sketch.ink, (80, 60), interpolation=cv2.INTER_AREA)
    view.set_region_map(segment(half, gap_px=2))
    view.overlay.set_brush((40.0, 60.0, "accurate", 3.0))
    view._update_area()
    box = max((p.boundingRect() for p in view.overlay.area), key=lambda r: r.width())
    assert 6 <= box.left() <= 16 and 68 <= box.right() <= 80
    assert 6 <= box.top() <= 16 and 102 <= box.bottom() <= 114


def test_where_to_hint_next_numbers_three_areas_and_follows_the_hints(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import cv2
    from PySide6.QtWidgets import QMessageBox

    from paintassist.core.pipeline import Pipeline
    from paintassist.core.types import Hint, Sketch
    from paintassist.gui import file_actions
    from paintassist.gui.main_window import MainWindow

    monkeypatch.setattr(file_actions, "ask_unsaved", lambda *_a: QMessageBox.StandardButton.Discard)
    ink = np.zeros((300, 400), np.float32)
    cv2.rectangle(ink, (20, 20), (200, 280), 1.0, 3)  # largest
    cv2.circle(ink, (300, 90), 70, 1.0, 3)
    cv2.rectangle(ink, (240, 190), (330, 270), 1.0, 3)
    cv2.circle(ink, (370, 240), 20, 1.0, 3)
    pipeline = Pipeline()
    win = MainWindow(pipeline_factory=lambda: pipeline, recovery=False, debounce_ms=10)
    qtbot.addWidget(win)
    win.resize(1000, 700)
    win.show()
    win.doc.set_sketch(Sketch(ink))
    qtbot.waitUntil(lambda: win.canvas.region_map is not None, timeout=20000)
    assert win.canvas.overlay.suggestions == []  # off until asked for
    win.acts["suggest"].trigger()
    marks = win.canvas.overlay.suggestions
    assert len(marks) == 3
    assert 20 < marks[0][0] < 200 and 20 < marks[0][1] < 280  # the big box first
    win.doc.set_part(Part.HINTS, HintSet((Hint("accurate", marks[0][0], marks[0][1], (200, 90, 90), 3.0),)))
    qtbot.waitUntil(lambda: not (20 < win.canvas.overlay.suggestions[0][0] < 200), timeout=20000)
    win.acts["suggest"].trigger()
    assert win.canvas.overlay.suggestions == []
    win.doc.mark_saved()
    win.close()
