"""Tools through real mouse events on the canvas, at several zoom levels and in both panes."""

from __future__ import annotations

import numpy as np
import pytest
from fakes import make_sketch
from PySide6.QtCore import QPoint, QPointF, Qt

from paintassist.app.document import Part
from paintassist.core.types import Hint, HintSet


def _click(
    qtbot,
    canvas,
    x: float,
    y: float,
    pane: str = "sketch",  # type: ignore[no-untyped-def]
    modifier=Qt.KeyboardModifier.NoModifier,
) -> None:
    pos = canvas.view_point(x, y, pane).toPoint()
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, modifier, pos)


@pytest.mark.parametrize("zoom", [0.37, 1.0, 4.0])
def test_dot_lands_at_the_sketch_pixel_under_the_cursor(qtbot, window, zoom) -> None:  # type: ignore[no-untyped-def]
    window.set_sketch(make_sketch(300, 400))
    canvas = window.canvas
    canvas.set_zoom(zoom)
    canvas.centerOn(QPointF(200, 150))
    window.state.set_tool("accurate")
    _click(qtbot, canvas, 200, 150)
    hint = window.doc.hints[0]
    tol = 1.0 / zoom + 0.5  # one screen pixel, in sketch pixels
    assert hint.kind == "accurate"
    assert abs(hint.x - 200) <= tol and abs(hint.y - 150) <= tol


def test_drag_with_select_tool_moves_hint_at_high_zoom(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.set_sketch(make_sketch(300, 400))
    canvas = window.canvas
    canvas.set_zoom(3.0)
    canvas.centerOn(QPointF(100, 100))
    window.state.set_tool("draft")
    _click(qtbot, canvas, 100, 100)
    window.state.set_tool("select")
    vp = canvas.viewport()
    start = canvas.view_point(100, 100).toPoint()
    end = canvas.view_point(110, 95).toPoint()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(vp, end)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=end)
    h = window.doc.hints[0]
    assert abs(h.x - 110) < 0.5 and abs(h.y - 95) < 0.5
    assert window.stack.count() == 2  # add + one move step


def test_side_by_side_clicks_on_preview_pane_map_to_the_same_sketch_point(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.set_sketch(make_sketch(120, 160))
    canvas = window.canvas
    window.set_view_mode("side")
    window.state.set_tool("accurate")
    _click(qtbot, canvas, 40, 60, pane="preview")
    h = window.doc.hints[0]
    tol = 1.0 / canvas.zoom + 0.5
    assert abs(h.x - 40) <= tol and abs(h.y - 60) <= tol
    x, _y, pane = canvas.sketch_point(QPointF(canvas.view_point(40, 60, "preview")))
    assert pane == "preview" and abs(x - 40) <= tol


def test_eraser_click_deletes_the_hint(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.set_sketch(make_sketch())
    window.state.set_tool("accurate")
    _click(qtbot, window.canvas, 30, 30)
    window.state.set_tool("eraser")
    _click(qtbot, window.canvas, 30, 30)
    assert len(window.doc.hints) == 0


def test_zoomed_out_click_near_a_tiny_dot_selects_it(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.set_sketch(make_sketch(1200, 1600))
    canvas = window.canvas
    canvas.set_zoom(0.37)  # 4 screen px ≈ 10.8 sketch px of hit tolerance
    canvas.centerOn(QPointF(400, 300))
    window.doc.set_part(Part.HINTS, HintSet((Hint("accurate", 400, 300, (1, 2, 3), 1.0),)))
    window.state.set_tool("select")
    _click(qtbot, canvas, 407, 300)
    assert window.tools.selected == 0


def test_eyedropper_picks_from_preview_then_sketch(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.set_sketch(make_sketch(120, 160))
    canvas = window.canvas
    preview = np.zeros((60, 80, 3), np.uint8)
    preview[:] = (10, 200, 30)
    canvas.set_preview(preview)
    window.state.set_tool("eyedropper")
    _click(qtbot, canvas, 50, 50)
    assert window.state.color == (10, 200, 30)
    window.set_view_mode("sketch")
    _click(qtbot, canvas, 10, 50)  # on the box's ink line
    assert window.state.color[0] < 40


def test_zoom_fit_and_100(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.set_sketch(make_sketch(2000, 1500))
    canvas = window.canvas
    canvas.fit()
    vp = canvas.viewport().rect()
    assert canvas.zoom * 2000 <= vp.height() and canvas.zoom * 2000 > vp.height() * 0.8
    canvas.zoom_100()
    assert canvas.zoom == pytest.approx(1.0)
    before = canvas.zoom
    anchor = QPointF(vp.center())
    fixed = canvas.mapToScene(anchor.toPoint())
    canvas.zoom_by(2.0, anchor)
    assert canvas.zoom == pytest.approx(2 * before)
    after = canvas.mapToScene(anchor.toPoint())
    assert abs(after.x() - fixed.x()) < 2 and abs(after.y() - fixed.y()) < 2  # zoom about cursor


def test_middle_button_pans(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.set_sketch(make_sketch(2000, 1500))
    canvas = window.canvas
    canvas.set_zoom(1.0)
    vp = canvas.viewport()
    before = canvas.mapToScene(vp.rect().center())
    qtbot.mousePress(vp, Qt.MouseButton.MiddleButton, pos=QPoint(300, 300))
    qtbot.mouseMove(vp, QPoint(250, 220))
    qtbot.mouseRelease(vp, Qt.MouseButton.MiddleButton, pos=QPoint(250, 220))
    after = canvas.mapToScene(vp.rect().center())
    assert after.x() - before.x() == pytest.approx(50, abs=2)
    assert after.y() - before.y() == pytest.approx(80, abs=2)
    assert len(window.doc.hints) == 0


def test_space_drag_pans_and_adds_no_hint(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.set_sketch(make_sketch(2000, 1500))
    canvas = window.canvas
    canvas.set_zoom(1.0)
    canvas.setFocus()
    vp = canvas.viewport()
    before = canvas.mapToScene(vp.rect().center())
    qtbot.keyPress(canvas, Qt.Key.Key_Space)
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=QPoint(300, 300))
    qtbot.mouseMove(vp, QPoint(340, 310))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=QPoint(340, 310))
    qtbot.keyRelease(canvas, Qt.Key.Key_Space)
    after = canvas.mapToScene(vp.rect().center())
    assert after.x() - before.x() == pytest.approx(-40, abs=2)
    assert len(window.doc.hints) == 0
