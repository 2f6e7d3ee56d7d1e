"""The canvas: sketch, preview and hints in one QGraphicsScene whose units are sketch pixels.

Scene coordinates equal sketch pixel coordinates on the sketch pane, so hints are stored and
drawn in sketch coordinates at any zoom. In side-by-side mode the preview pane sits to the right
(offset ``preview_offset``); tools work on both panes. Zoom: wheel / pinch / fit / 100 %; pan:
middle button, space + drag, or a trackpad's two-finger scroll.
"""

from __future__ import annotations

import time
from typing import Literal

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QCursor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGestureEvent,
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QPinchGesture,
    QStyleOptionGraphicsItem,
    QWidget,
)

from paintassist.app.document import Part, Parts
from paintassist.core import flatten, region_edits
from paintassist.core.lru import LRU
from paintassist.core.regions import RegionMap
from paintassist.core.types import RGB, Hint, HintSet
from paintassist.gui.qimages import ink_to_qimage
from paintassist.gui.tools import ToolController

ViewMode = Literal["preview", "sketch", "side"]
VIEW_MODES: tuple[ViewMode, ...] = ("preview", "sketch", "side")
MIN_ZOOM, MAX_ZOOM = 0.02, 32.0
#: Hints never draw smaller than this on screen (px), so tiny dots stay visible zoomed out.
MIN_SCREEN_RADIUS = 5.0
BACKGROUND = QColor(0x3A, 0x3D, 0x42)


#: Gap strokes draw in this colour, dashed; links in LINK_COLOUR; the area under the cursor and
#: the suggestions in AREA_COLOUR.
GAP_COLOUR = QColor(255, 70, 200)
LINK_COLOUR = QColor(0, 200, 255)
AREA_COLOUR = QColor(255, 214, 0)
#: Radius (screen px) of a "where to hint next" marker.
SUGGESTION_RADIUS = 13.0


class HintOverlay(QGraphicsItem):
    """Draws every hint, gap stroke and link, the brush under the cursor with the outline of the
    area it would fill, and the "where to hint next" markers, in sketch coordinates."""

    def __init__(self) -> None:
        super().__init__()
        self.hints = HintSet()
        self.selected: int | None = None
        self.bounds = QRectF()
        self.brush: tuple[float, float, str, float] | None = None  # x, y, kind, size
        self.area: list[QPolygonF] = []  # outline of the area the brush would fill
        self.suggestions: list[tuple[float, float]] = []  # best first
        self._pad = 8.0  # largest hint half-extent + outline, cached: boundingRect is hot
        self.setZValue(10)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_bounds(self, rect: QRectF) -> None:
        self.prepareGeometryChange()
        self.bounds = QRectF(rect)

    def boundingRect(self) -> QRectF:
        pad = self._pad
        if self.brush is not None:
            pad = max(pad, self.brush[3] + 8.0)
        return self.bounds.adjusted(-pad, -pad, pad, pad)

    def set_hints(self, hints: HintSet, selected: int | None) -> None:
        self.prepareGeometryChange()
        self._pad = max([8.0, *(h.half_extent + 8.0 for h in hints)])
        self.hints = hints
        self.selected = selected
        self.update()

    def set_brush(self, brush: tuple[float, float, str, float] | None) -> None:
        if brush != self.brush:
            self.prepareGeometryChange()
            self.brush = brush
            self.update()

    def set_area(self, polygons: list[QPolygonF]) -> None:
        """The outline of the area under the brush ([] hides it)."""
        if polygons is not self.area:
            self.area = polygons
            self.update()

    def set_suggestions(self, points: list[tuple[float, float]]) -> None:
        if points != self.suggestions:
            self.suggestions = list(points)
            self.update()

    def _paint_strokes(self, painter: QPainter, scale: float) -> None:
        for stroke in self.hints.strokes:
            pts = [QPointF(x, y) for x, y in stroke.points]
            colour = GAP_COLOUR if stroke.kind == "gap" else LINK_COLOUR
            under = QPen(QColor(20, 20, 20), max(stroke.width, 4.0 / scale) + 2.0 / scale)
            under.setCapStyle(Qt.PenCapStyle.RoundCap)
            over = QPen(colour, max(stroke.width, 2.0 / scale), Qt.PenStyle.DashLine)
            over.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for pen in (under, over):
                painter.setPen(pen)
                painter.drawPolyline(QPolygonF(pts))
            if stroke.kind == "link":
                r = 6.0 / scale
                painter.setPen(QPen(colour, 2.0 / scale))
                painter.setBrush(QColor(20, 20, 20, 160))
                for p in pts:
                    painter.drawEllipse(p, r, r)

    def _paint_area(self, painter: QPainter) -> None:
        dark = QPen(QColor(20, 20, 20, 200), 3.0)
        dark.setCosmetic(True)
        bright = QPen(AREA_COLOUR, 1.5, Qt.PenStyle.DashLine)
        bright.setCosmetic(True)
        painter.setBrush(QColor(AREA_COLOUR.red(), AREA_COLOUR.green(), AREA_COLOUR.blue(), 28))
        for pen in (dark, bright):
            painter.setPen(pen)
            for poly in self.area:
                painter.drawPolygon(poly)
            painter.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_suggestions(self, painter: QPainter, scale: float) -> None:
        r = SUGGESTION_RADIUS / scale
        font = painter.font()
        font.setBold(True)
        font.setPixelSize(15)
        for n, (x, y) in enumerate(self.suggestions, start=1):
            painter.setPen(QPen(QColor(20, 20, 20), 2.0 / scale))
            painter.setBrush(AREA_COLOUR)
            painter.drawEllipse(QPointF(x, y), r, r)
            painter.save()
            painter.translate(x, y)
            painter.scale(1.0 / scale, 1.0 / scale)  # the number in screen pixels
            painter.setFont(font)
            painter.setPen(QColor(20, 20, 20))
            box = QRectF(-SUGGESTION_RADIUS, -SUGGESTION_RADIUS, 2 * SUGGESTION_RADIUS,
                         2 * SUGGESTION_RADIUS)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), str(n))
            painter.restore()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        scale = max(1e-6, painter.worldTransform().m11())
        min_r = MIN_SCREEN_RADIUS / scale
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        dark = QPen(QColor(20, 20, 20), 3.0)
        dark.setCosmetic(True)
        light = QPen(QColor(255, 255, 255), 1.2)
        light.setCosmetic(True)
        exposed = option.exposedRect
        if self.area:
            self._paint_area(painter)
        if self.hints.strokes:
            self._paint_strokes(painter, scale)
        for i, h in enumerate(self.hints):
            r = max(h.half_extent, min_r)
            rect = QRectF(h.x - r, h.y - r, 2 * r, 2 * r)
            if not exposed.intersects(rect.adjusted(-8 / scale, -8 / scale, 8 / scale, 8 / scale)):
                continue
            painter.setBrush(QBrush(QColor(*h.rgb)))
            for pen in (dark, light):
                painter.setPen(pen)
                if h.kind == "draft":
                    painter.drawRect(rect)
                else:
                    painter.drawEllipse(rect)
                painter.setBrush(Qt.BrushStyle.NoBrush)
            if i == self.selected:
                ring = rect.adjusted(-6 / scale, -6 / scale, 6 / scale, 6 / scale)
                sel = QPen(QColor(0, 170, 255), 2.0, Qt.PenStyle.DashLine)
                sel.setCosmetic(True)
                painter.setPen(sel)
                if h.kind == "draft":
                    painter.drawRect(ring)
                else:
                    painter.drawEllipse(ring)
        if self.brush is not None:
            x, y, kind, size = self.brush
            r = max(size / 2.0 if kind == "draft" else size, min_r)
            rect = QRectF(x - r, y - r, 2 * r, 2 * r)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for pen in (dark, light):
                painter.setPen(pen)
                if kind == "draft":
                    painter.drawRect(rect)
                else:
                    painter.drawEllipse(rect)
        if self.suggestions:
            self._paint_suggestions(painter, scale)


class CanvasView(QGraphicsView):
    """zoom_changed(factor): 1.0 = 100 %. preview_shown(request_id, stage, t): the first paint
    after a new preview image (``time.perf_counter()``), for the latency benchmark."""

    zoom_changed = Signal(float)
    preview_shown = Signal(int, str, float)
    cursor_moved = Signal(float, float)  # sketch px, NaN when outside
    #: The visible part of the page changed (scroll, zoom, resize, view mode).
    view_changed = Signal()

    def __init__(self, tools: ToolController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tools = tools
        self._scene = QGraphicsScene(self)
        self.setScene(self._scene)
        self.setBackgroundBrush(BACKGROUND)
        self.setRenderHints(
            QPainter.RenderHint.SmoothPixmapTransform | QPainter.RenderHint.Antialiasing
        )
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setMouseTracking(True)
        self.setAcceptDrops(False)  # drops go to the main window (open / add reference)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().grabGesture(Qt.GestureType.PinchGesture)
        self.page_shadows = [
            self._scene.addRect(QRectF(), QPen(Qt.PenStyle.NoPen), QBrush(QColor(0, 0, 0, 90)))
            for _ in range(2)
        ]
        self.sketch_item = QGraphicsPixmapItem()
        self.sketch_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.preview_item = QGraphicsPixmapItem()
        self.preview_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.preview_item.setZValue(1)
        self.placeholder = self._scene.addRect(
            QRectF(), QPen(QColor(120, 120, 120)), QBrush(QColor(0x4A, 0x4D, 0x52))
        )
        self.overlay = HintOverlay()
        self.overlay.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        for item in (self.sketch_item, self.preview_item, self.overlay):
            self._scene.addItem(item)
        self.sketch_size = (0, 0)  # (w, h)
        self.sketch_image: QImage | None = None
        self.preview_image: QImage | None = None
        self.preview_rgb: np.ndarray | None = None
        self.view_mode: ViewMode = "preview"
        self.preview_opacity = 1.0
        self._pan_from: QPointF | None = None
        self._space = False
        self._pending_preview: tuple[int, str] | None = None
        self._fit_on_resize = True
        self.guide_text = ""
        #: Full-resolution tiles over the preview, by (x0, y0, x1, y1) in sketch px.
        self.tiles: dict[tuple[int, int, int, int], QGraphicsPixmapItem] = {}
        #: The preview's segmentation (what a new hint's area is read from) and its px per
        #: sketch px; the last outlined area, by brush key and by its regions.
        self.region_map: RegionMap | None = None
        self._area_cells = LRU(8)  # the page's parts for the outline under the brush
        self._map_scale = 1.0
        self._area_key: tuple[object, ...] | None = None
        self._area_member: np.ndarray | None = None
        for bar in (self.horizontalScrollBar(), self.verticalScrollBar()):
            bar.valueChanged.connect(lambda _v: self.view_changed.emit())
        self.zoom_changed.connect(lambda _z: self.view_changed.emit())
        tools.doc.changed.connect(self._on_doc_changed)
        tools.selection_changed.connect(lambda _i: self._refresh_hints())
        tools.state.tool_changed.connect(lambda _t: self._update_cursor())
        self._update_cursor()

    # -- content ---------------------------------------------------------------------------------
    def set_sketch(self, ink: np.ndarray | None) -> None:
        """Show a new sketch (float32 (H, W) ink), drop the old preview, fit to the window."""
        self.preview_image = None
        self.preview_rgb = None
        self.preview_item.setPixmap(QPixmap())
        self.clear_tiles()
        self.set_region_map(None)
        self.overlay.set_suggestions([])
        if ink is None:
            self.sketch_image = None
            self.sketch_item.setPixmap(QPixmap())
            self.sketch_size = (0, 0)
        else:
            self.sketch_image = ink_to_qimage(ink)
            self.sketch_item.setPixmap(QPixmap.fromImage(self.sketch_image))
            self.sketch_size = (int(ink.shape[1]), int(ink.shape[0]))
        self._layout()
        self._refresh_hints()
        self.fit()
        self._fit_on_resize = True

    def set_region_map(self, regmap: RegionMap | None) -> None:
        """The segmentation of the shown preview (any resolution: it covers the sketch), from
        which the outline of the area under the brush is read; None forgets it."""
        self.region_map = regmap
        self._area_cells = LRU(8)
        w = self.sketch_size[0]
        self._map_scale = regmap.shape[1] / w if regmap is not None and w else 1.0
        self._area_key = self._area_member = None
        self._update_area()

    def set_suggestions(self, points: list[tuple[float, float]]) -> None:
        """Where to hint next: sketch points, best first ([] hides the markers)."""
        self.overlay.set_suggestions(points)

    def _update_area(self) -> None:
        """Outline the area the brush would fill (:func:`paintassist.core.flatten.lone_mask`)."""
        brush, regmap = self.overlay.brush, self.region_map
        if brush is None or regmap is None:
            self._area_key = self._area_member = None
            self.overlay.set_area([])
            return
        x, y, kind, size = brush
        s = self._map_scale
        key = (kind, round(x * s), round(y * s), round(size * s, 1))
        if key == self._area_key:
            return
        self._area_key = key
        hint = Hint(kind, x * s, y * s, (0, 0, 0), max(size * s, 0.5))  # type: ignore[arg-type]
        member = flatten.lone_mask(regmap, hint, cache=self._area_cells, cache_key=id(regmap))
        if self._area_member is not None and np.array_equal(member, self._area_member):
            return
        self._area_member = member
        polygons = region_edits.area_outline(member.view(np.uint8), np.array([False, True]))
        self.overlay.set_area(
            [QPolygonF([QPointF(px / s, py / s) for px, py in poly.tolist()]) for poly in polygons]
        )

    def set_preview(self, rgb: np.ndarray, request_id: int = 0, stage: str = "refined") -> None:
        """Show a preview (uint8 (h, w, 3), any resolution: it is scaled onto the sketch)."""
        from paintassist.gui.qimages import rgb_to_qimage

        self.preview_rgb = rgb
        self.preview_image = rgb_to_qimage(rgb)
        self.preview_item.setPixmap(QPixmap.fromImage(self.preview_image))
        w = self.sketch_size[0]
        if w and rgb.shape[1]:
            self.preview_item.setScale(w / rgb.shape[1])
        self._pending_preview = (request_id, stage)
        self._layout()

    def add_tile(self, rect: tuple[int, int, int, int], rgb: np.ndarray) -> None:
        """Show a full-resolution tile (uint8 (y1 − y0, x1 − x0, 3)) over the preview at
        ``rect`` = (x0, y0, x1, y1) sketch px, replacing one already there."""
        from paintassist.gui.qimages import rgb_to_qimage

        item = self.tiles.get(rect)
        if item is None:
            item = QGraphicsPixmapItem()
            item.setZValue(1.5)
            self._scene.addItem(item)
            self.tiles[rect] = item
        item.setPixmap(QPixmap.fromImage(rgb_to_qimage(rgb)))
        self._place_tile(rect, item)

    def remove_tile(self, rect: tuple[int, int, int, int]) -> None:
        item = self.tiles.pop(rect, None)
        if item is not None:
            self._scene.removeItem(item)

    def clear_tiles(self) -> None:
        for rect in list(self.tiles):
            self.remove_tile(rect)

    def _place_tile(self, rect: tuple[int, int, int, int], item: QGraphicsPixmapItem) -> None:
        item.setPos(self.preview_offset + rect[0], rect[1])
        item.setVisible(self.preview_item.isVisible())
        item.setOpacity(self.preview_item.opacity())

    def visible_rect(self) -> tuple[float, float, float, float] | None:
        """The part of the page shown on the preview pane, (x0, y0, x1, y1) sketch px, clipped
        to the page; None when nothing of the preview is visible."""
        w, h = self.sketch_size
        if not w or self.view_mode == "sketch":
            return None
        area = self.mapToScene(self.viewport().rect()).boundingRect()
        off = self.preview_offset
        x0, y0 = max(0.0, area.left() - off), max(0.0, area.top())
        x1, y1 = min(float(w), area.right() - off), min(float(h), area.bottom())
        return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None

    def set_view_mode(self, mode: str) -> None:
        if mode not in VIEW_MODES:
            raise ValueError(f"unknown view mode {mode!r}")
        self.view_mode = mode  # type: ignore[assignment]
        self._layout()
        self.fit()

    def set_preview_opacity(self, opacity: float) -> None:
        self.preview_opacity = float(min(1.0, max(0.0, opacity)))
        self._layout()

    @property
    def preview_offset(self) -> float:
        """x offset (scene px) of the preview pane in side-by-side mode, else 0."""
        w, _h = self.sketch_size
        return w + max(24.0, w * 0.04) if self.view_mode == "side" else 0.0

    def _layout(self) -> None:
        w, h = self.sketch_size
        side = self.view_mode == "side"
        off = self.preview_offset
        self.preview_item.setPos(off, 0)
        has_preview = self.preview_image is not None
        self.preview_item.setVisible(has_preview and self.view_mode != "sketch")
        self.preview_item.setOpacity(1.0 if side else self.preview_opacity)
        # An opaque preview hides the sketch under it: do not pay for drawing it.
        covered = has_preview and self.view_mode == "preview" and self.preview_opacity >= 1.0
        self.sketch_item.setVisible(not covered)
        self.placeholder.setVisible(side and not has_preview and w > 0)
        self.placeholder.setRect(QRectF(off, 0, w, h))
        self.overlay.set_bounds(QRectF(0, 0, w, h))
        width = off + w if side else w
        shadow = max(4.0, max(w, h) * 0.006)
        for i, item in enumerate(self.page_shadows):
            show = bool(w) and (i == 0 or side)
            item.setRect(QRectF(shadow + i * off, shadow, w, h) if show else QRectF())
        margin = max(w, h) * 0.5 if w else 0.0
        self._scene.setSceneRect(QRectF(-margin, -margin, width + 2 * margin, h + 2 * margin))
        for rect, tile in self.tiles.items():
            self._place_tile(rect, tile)
        self.viewport().update()
        self.view_changed.emit()

    def _on_doc_changed(self, parts: Parts) -> None:
        if Part.HINTS in parts:
            self._refresh_hints()

    def _refresh_hints(self) -> None:
        self.overlay.set_hints(self.tools.doc.hints, self.tools.selected)

    # -- coordinates -----------------------------------------------------------------------------
    def sketch_point(self, view_pos: QPointF) -> tuple[float, float, str]:
        """Widget position → (x, y, pane) in sketch px; pane is ``"sketch"`` or ``"preview"``."""
        p = self.mapToScene(view_pos.toPoint())
        x, y = p.x(), p.y()
        if self.view_mode == "side" and x >= self.sketch_size[0]:
            return x - self.preview_offset, y, "preview"
        return x, y, "sketch"

    def view_point(self, x: float, y: float, pane: str = "sketch") -> QPointF:
        """Sketch px → widget position (inverse of :meth:`sketch_point`)."""
        dx = self.preview_offset if pane == "preview" else 0.0
        return QPointF(self.mapFromScene(QPointF(x + dx, y)))

    def pick_color(self, x: float, y: float, pane: str) -> RGB | None:
        """The colour shown at sketch point (x, y): preview where visible, else the sketch."""
        w, h = self.sketch_size
        if not (0 <= x < w and 0 <= y < h):
            return None
        show_preview = self.preview_rgb is not None and (
            pane == "preview" or (self.view_mode == "preview" and self.preview_opacity > 0.5)
        )
        if show_preview and self.preview_rgb is not None:
            ph, pw = self.preview_rgb.shape[:2]
            px = min(pw - 1, int(x * pw / w))
            py = min(ph - 1, int(y * ph / h))
            r, g, b = (int(c) for c in self.preview_rgb[py, px, :3])
            return (r, g, b)
        if self.sketch_image is not None:
            v = self.sketch_image.pixelColor(int(x), int(y)).red()
            return (v, v, v)
        return None

    # -- zoom ------------------------------------------------------------------------------------
    @property
    def zoom(self) -> float:
        return float(self.transform().m11())

    @property
    def hit_tolerance(self) -> float:
        """Sketch px that hints are widened by for clicks: 4 screen pixels at this zoom."""
        return 4.0 / max(self.zoom, 1e-6)

    def set_zoom(self, factor: float, anchor: QPointF | None = None) -> None:
        factor = min(MAX_ZOOM, max(MIN_ZOOM, factor))
        old = self.zoom
        if old <= 0 or abs(factor - old) < 1e-9:
            return
        if anchor is not None:
            before = self.mapToScene(anchor.toPoint())
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.scale(factor / old, factor / old)
        if anchor is not None:
            after = self.mapToScene(anchor.toPoint())
            delta = after - before
            self.translate(delta.x(), delta.y())
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self._fit_on_resize = False
        self.zoom_changed.emit(self.zoom)

    def zoom_by(self, step: float, anchor: QPointF | None = None) -> None:
        self.set_zoom(self.zoom * step, anchor)

    def fit(self) -> None:
        """Fit the page (both panes in side-by-side) into the window."""
        w, h = self.sketch_size
        if not w:
            return
        width = self.preview_offset + w if self.view_mode == "side" else w
        rect = QRectF(0, 0, width, h)
        vp = self.viewport().rect()
        pad = 24
        sx = max(1, vp.width() - 2 * pad) / rect.width()
        sy = max(1, vp.height() - 2 * pad) / rect.height()
        self.resetTransform()
        self.set_zoom(min(sx, sy))
        self.centerOn(rect.center())
        self._fit_on_resize = True

    def zoom_100(self) -> None:
        center = self.mapToScene(self.viewport().rect().center())
        self.set_zoom(1.0)
        self.centerOn(center)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit_on_resize:
            self.fit()
        self.view_changed.emit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        pixel = event.pixelDelta()
        if not ctrl and not pixel.isNull() and event.phase() != Qt.ScrollPhase.NoScrollPhase:
            # two-finger trackpad scroll pans, as in every drawing app
            self._scroll_by(-pixel.x(), -pixel.y())
            return
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(1.2**steps, event.position())
        event.accept()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.NativeGesture:
            ng: QNativeGestureEvent = event  # type: ignore[assignment]
            if ng.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:
                self.zoom_by(1.0 + ng.value(), ng.position())
                return True
        if event.type() == QEvent.Type.Gesture:
            pinch = event.gesture(Qt.GestureType.PinchGesture)  # type: ignore[attr-defined]
            if isinstance(pinch, QPinchGesture):
                self.zoom_by(
                    pinch.scaleFactor(), QPointF(self.mapFromGlobal(pinch.centerPoint().toPoint()))
                )
                ge: QGestureEvent = event  # type: ignore[assignment]
                ge.accept()
                return True
        return super().viewportEvent(event)

    def _scroll_by(self, dx: float, dy: float) -> None:
        h = self.horizontalScrollBar()
        v = self.verticalScrollBar()
        h.setValue(int(h.value() + dx))
        v.setValue(int(v.value() + dy))
        self._fit_on_resize = False

    # -- mouse / keys ----------------------------------------------------------------------------
    def _update_cursor(self) -> None:
        if self._space or self._pan_from is not None:
            shape = (
                Qt.CursorShape.ClosedHandCursor
                if self._pan_from is not None
                else Qt.CursorShape.OpenHandCursor
            )
        elif self.tools.state.tool in ("draft", "accurate", "gap", "link", "eraser"):
            shape = Qt.CursorShape.CrossCursor
        elif self.tools.state.tool == "eyedropper":
            shape = Qt.CursorShape.PointingHandCursor
        else:
            shape = Qt.CursorShape.ArrowCursor
        self.viewport().setCursor(QCursor(shape))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if event.button() == Qt.MouseButton.MiddleButton or (
            event.button() == Qt.MouseButton.LeftButton and self._space
        ):
            self._pan_from = pos
            self._update_cursor()
            event.accept()
            return
        if event.button() == Qt.MouseButton.LeftButton:
            x, y, pane = self.sketch_point(pos)
            alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
            self.tools.press(
                x, y, pane, alt=alt, tolerance=self.hit_tolerance, pick=self.pick_color
            )
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._pan_from is not None:
            d = pos - self._pan_from
            self._pan_from = pos
            self._scroll_by(-d.x(), -d.y())
            return
        x, y, pane = self.sketch_point(pos)
        inside = self.tools.inside(x, y)
        self.cursor_moved.emit(x if inside else float("nan"), y if inside else float("nan"))
        tool = self.tools.state.tool
        if tool in ("draft", "accurate") and inside and pane == "sketch":
            size = self.tools.state.draft_size if tool == "draft" else self.tools.state.dot_size
            self.overlay.set_brush((x, y, tool, size))
        else:
            self.overlay.set_brush(None)
        self._update_area()
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.tools.move(x, y, pane, tolerance=self.hit_tolerance, pick=self.pick_color)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None and event.button() in (
            Qt.MouseButton.MiddleButton,
            Qt.MouseButton.LeftButton,
        ):
            self._pan_from = None
            self._update_cursor()
            return
        if event.button() == Qt.MouseButton.LeftButton:
            x, y, pane = self.sketch_point(event.position())
            self.tools.release(x, y, pane, tolerance=self.hit_tolerance, pick=self.pick_color)
            return
        super().mouseReleaseEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self.overlay.set_brush(None)
        self._update_area()
        super().leaveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self._update_cursor()
            return
        if (
            event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and self.tools.delete_selected()
        ):
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self._update_cursor()
            return
        super().keyReleaseEvent(event)

    # -- paint hook for the latency benchmark ----------------------------------------------------
    def set_guide(self, text: str) -> None:
        """The empty-state guide drawn over the canvas centre ("" hides it)."""
        if text != self.guide_text:
            self.guide_text = text
            self.viewport().update()

    def _draw_guide(self, painter: QPainter) -> None:
        painter.save()
        painter.resetTransform()  # viewport pixels, whatever the zoom
        font = painter.font()
        font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.15)
        painter.setFont(font)
        area = QRectF(self.viewport().rect()).adjusted(40, 40, -40, -40)
        flags = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)
        box = painter.boundingRect(area, flags, self.guide_text).adjusted(-22, -16, 22, 16)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(20, 22, 26, 200))
        painter.drawRoundedRect(box, 10, 10)
        painter.setPen(QColor(235, 235, 235))
        painter.drawText(box, flags, self.guide_text)
        painter.restore()

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        super().drawForeground(painter, rect)
        if self.guide_text:
            self._draw_guide(painter)
        if self._pending_preview is not None:
            rid, stage = self._pending_preview
            self._pending_preview = None
            self.preview_shown.emit(rid, stage, time.perf_counter())
