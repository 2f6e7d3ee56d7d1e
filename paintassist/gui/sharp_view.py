"""The sharp preview (GUI thread): after the fast preview, the visible part of the page at full
resolution, in tiles rendered on the worker (:mod:`paintassist.core.sharp`).

Tiles are asked for only when the preview is shown larger than its own resolution (zoomed in
past it), only for the grid tiles in view that are not already there, nearest the view's centre
first, a moment after the view stops moving. Any new preview drops the tiles (they show the old
state); the next refined preview asks again. Layer panel changes recompose the kept tiles.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
from PySide6.QtCore import QObject, QTimer

from paintassist.app.compose_view import preview_image
from paintassist.app.document import Document, Part, Parts
from paintassist.core.sharp import TILE, Rect, tiles_in_view
from paintassist.core.types import ColorizeResult
from paintassist.gui.canvas import CanvasView
from paintassist.gui.preview import PreviewController
from paintassist.gui.worker import PreviewWorker

#: The preview is sharpened once the screen shows more than this many of its pixels per pixel.
UPSCALE_THRESHOLD = 1.15
#: Tiles kept (their layers, for recomposing); the ones farthest from the view go first.
MAX_TILES = 40
#: Quiet time after the last scroll/zoom before tiles are asked for (ms).
SETTLE_MS = 120


class SharpPreview(QObject):
    """Asks ``worker`` for the tiles in ``canvas``'s view and shows them as they arrive."""

    def __init__(
        self,
        doc: Document,
        canvas: CanvasView,
        preview: PreviewController,
        worker: PreviewWorker,
        parent: QObject | None = None,
        settle_ms: int = SETTLE_MS,
    ) -> None:
        super().__init__(parent)
        self.doc, self.canvas, self.preview, self.worker = doc, canvas, preview, worker
        self.enabled = True
        self.base: ColorizeResult | None = None  # the refined preview the tiles sharpen
        self.results: OrderedDict[Rect, ColorizeResult] = OrderedDict()
        self.asked: set[Rect] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(settle_ms)
        self._timer.timeout.connect(self.update_tiles)
        preview.preview_ready.connect(self._on_preview)
        canvas.view_changed.connect(self._timer.start)
        worker.tile_ready.connect(self._on_tile)
        doc.changed.connect(self._on_doc_changed)

    # -- state -------------------------------------------------------------------------------------
    def _on_preview(self, result: ColorizeResult) -> None:
        if self.base is not None and result.request_id == self.base.request_id:
            return
        self._drop()
        if result.stage == "refined":
            self.base = result
            self._timer.start()

    def _drop(self) -> None:
        self.base = None
        self.results.clear()
        self.asked.clear()
        self.canvas.clear_tiles()

    def _on_doc_changed(self, parts: Parts) -> None:
        if Part.SKETCH in parts:
            self._drop()
        elif Part.SETTINGS in parts and self.results:
            for rect, res in self.results.items():
                self.canvas.add_tile(rect, self._compose(res))

    def _compose(self, tile: ColorizeResult) -> np.ndarray:
        s = self.doc.settings
        return preview_image(tile, s.layer_visible, s.layer_opacity)

    # -- asking ----------------------------------------------------------------------------------
    def wanted(self) -> list[Rect]:
        """The tiles in view that the preview needs and that are neither shown nor asked for."""
        base, request = self.base, self.preview.latest_request
        view = self.canvas.visible_rect()
        if not self.enabled or base is None or request is None or view is None:
            return []
        if request.id != base.request_id:
            return []
        w, h = self.canvas.sketch_size
        preview_scale = base.composite.shape[1] / max(1, w)  # preview px per sketch px
        if self.canvas.zoom <= preview_scale * UPSCALE_THRESHOLD:
            return []  # the preview already has every pixel the screen shows
        return [r for r in tiles_in_view(view, w, h, TILE) if r not in self.results
                and r not in self.asked]

    def update_tiles(self) -> None:
        rects = self.wanted()
        request = self.preview.latest_request
        if not rects or request is None or self.base is None:
            return
        # Tiles asked for before but now out of view are dropped from the worker's queue.
        view_rects = set(rects)
        self.asked = {r for r in self.asked if r in self.results} | view_rects
        if not self.worker.submit_tiles(request, self.base, rects):
            self.asked -= view_rects

    def _on_tile(self, request_id: int, rect: Rect, tile: ColorizeResult) -> None:
        if self.base is None or request_id != self.base.request_id:
            return
        self.results[rect] = tile
        self.results.move_to_end(rect)
        self.canvas.add_tile(rect, self._compose(tile))
        self._evict()

    def _evict(self) -> None:
        if len(self.results) <= MAX_TILES:
            return
        view = self.canvas.visible_rect() or (0.0, 0.0, 0.0, 0.0)
        cx, cy = (view[0] + view[2]) / 2, (view[1] + view[3]) / 2
        far = sorted(self.results, key=lambda r: -((r[0] + r[2]) / 2 - cx) ** 2
                     - ((r[1] + r[3]) / 2 - cy) ** 2)
        for rect in far[: len(self.results) - MAX_TILES]:
            del self.results[rect]
            self.asked.discard(rect)
            self.canvas.remove_tile(rect)
