"""The sharp preview in the window: zoomed in past the preview's resolution, the visible tiles
arrive at full resolution; an edit drops them; panning asks only for new tiles."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PySide6.QtWidgets import QMessageBox

from paintassist.app.document import Part
from paintassist.core.pipeline import Pipeline
from paintassist.core.sharp import tiles_in_view
from paintassist.core.types import Hint, HintSet, Sketch


@pytest.fixture
def sharp_window(qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    from paintassist.gui import file_actions
    from paintassist.gui.main_window import MainWindow

    monkeypatch.setattr(file_actions, "ask_unsaved", lambda *_a: QMessageBox.StandardButton.Discard)
    win = MainWindow(pipeline_factory=Pipeline, recovery=False, debounce_ms=10)
    win.sharp._timer.setInterval(10)
    win.resize(900, 700)
    win.show()
    yield win
    win.doc.mark_saved()
    win.close()
    win.deleteLater()


def _big_sketch() -> Sketch:
    ink = np.zeros((1800, 2400), np.float32)
    for i in range(6):
        cv2.rectangle(ink, (40 + 390 * i, 40), (400 + 390 * i, 1700), 1.0, 3)
    return Sketch(ink)


def _refined(qtbot, win) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(
        lambda: win.last_result is not None
        and win.last_result.request_id == win.preview.latest_id
        and win.last_result.stage == "refined",
        timeout=15000,
    )


def test_zoomed_in_the_visible_tiles_arrive_at_full_resolution(qtbot, sharp_window) -> None:  # type: ignore[no-untyped-def]
    win = sharp_window
    win.set_sketch(_big_sketch())
    hints = HintSet((Hint("accurate", 200, 600, (200, 40, 40), 4.0),))
    win.doc.set_part(Part.HINTS, hints)
    _refined(qtbot, win)
    assert win.canvas.tiles == {}  # fitted to the window: the preview is sharp enough
    win.canvas.zoom_100()
    win.canvas.centerOn(200, 600)
    w, h = win.canvas.sketch_size

    def view_is_sharp() -> bool:
        return set(tiles_in_view(win.canvas.visible_rect(), w, h)) <= set(win.canvas.tiles)

    qtbot.waitUntil(view_is_sharp, timeout=15000)
    for (x0, _y0, x1, _y1), item in win.canvas.tiles.items():
        assert item.pixmap().width() == x1 - x0  # one screen pixel per sketch pixel
    # The tile shows the dot's colour in its area and the full-resolution line
    tile = next(r for r in win.sharp.results.values())
    assert tile.composite.shape[2] == 3 and tile.stage == "tile"
    asked = set(win.sharp.asked)
    done = win.worker.tile_count
    win.canvas.centerOn(1400, 600)  # pan: only the new tiles are rendered
    qtbot.waitUntil(view_is_sharp, timeout=15000)
    new = set(tiles_in_view(win.canvas.visible_rect(), w, h)) - asked
    assert win.worker.tile_count - done <= len(new) + 2


def test_an_edit_drops_the_tiles_and_the_layers_panel_recomposes_them(qtbot, sharp_window) -> None:  # type: ignore[no-untyped-def]
    win = sharp_window
    win.set_sketch(_big_sketch())
    win.doc.set_part(Part.HINTS, HintSet((Hint("accurate", 200, 600, (200, 40, 40), 4.0),)))
    _refined(qtbot, win)
    win.canvas.zoom_100()
    win.canvas.centerOn(200, 600)
    qtbot.waitUntil(lambda: len(win.canvas.tiles) > 0, timeout=15000)
    rect, item = next(iter(win.canvas.tiles.items()))
    before = item.pixmap().toImage()
    win.layers_dock.checks["flats"].setChecked(False)  # recomposed, not re-rendered
    after = win.canvas.tiles[rect].pixmap().toImage()
    assert before != after
    win.doc.set_part(
        Part.HINTS, win.doc.hints.with_added(Hint("accurate", 600, 600, (40, 40, 200), 4.0))
    )
    qtbot.waitUntil(lambda: win.canvas.tiles == {} or win.sharp.base is None, timeout=5000)
