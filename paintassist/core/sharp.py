"""Sharp tiles: the visible part of a page at full resolution, after the fast preview.

The live preview runs at ``work_long_side`` (768 px): on a 3,000-px page at 100 % zoom it is
upscaled about four times and looks soft. :class:`SharpRenderer` renders any rectangle of the page
at the sketch's own resolution, as the export would: full-resolution regions and line art, the
flats painted at full resolution, RefineNet run on the rectangle (with a margin of context) and
the shading taken from it. The flat colours come from the preview (the region palette of the
full-resolution regions is read off the preview's colours), so that tiles rendered one by one
agree with each other and with the preview around them; the light pass's smooth layers are the
preview's, resampled.

Preparing a request (full-resolution regions, the dots' placement, the palette) is done once and
kept for the request's tiles; each tile then costs one RefineNet pass over about
(``TILE`` + 2 ``MARGIN``)² pixels on the network path, and a gather on the classical one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import cv2
import numpy as np

from paintassist.core import layers, region_edits
from paintassist.core.pipeline import _dot_pixels, _to_u8
from paintassist.core.progress import CancelFn, check_cancel, never_cancel, no_progress
from paintassist.core.shading import page_lit_levels, shading_layer, white_flats
from paintassist.core.types import ColorizeRequest, ColorizeResult, HintSet

if TYPE_CHECKING:
    from paintassist.core.pipeline import Pipeline, _Work
    from paintassist.core.regions import RegionMap

#: Side of a tile (sketch px); tiles lie on a grid of this pitch from the page's top-left corner.
TILE = 512
#: Context around a tile that RefineNet sees (px): its receptive field, so tiles join seamlessly.
MARGIN = 32

Rect = tuple[int, int, int, int]  # x0, y0, x1, y1 in sketch px, exclusive ends


def tile_grid(width: int, height: int, tile: int = TILE) -> list[Rect]:
    """Every tile of a (height, width) page, row by row; edge tiles are cut to the page."""
    return [
        (x, y, min(x + tile, width), min(y + tile, height))
        for y in range(0, height, tile)
        for x in range(0, width, tile)
    ]


def tiles_in_view(view: tuple[float, float, float, float], width: int, height: int,
                  tile: int = TILE) -> list[Rect]:
    """The grid tiles that a view rectangle (x0, y0, x1, y1 in sketch px) touches, nearest its
    centre first (what the artist looks at arrives first)."""
    x0, y0, x1, y1 = view
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    c0, c1 = max(0, int(x0 // tile)), min((width - 1) // tile, int(x1 // tile))
    r0, r1 = max(0, int(y0 // tile)), min((height - 1) // tile, int(y1 // tile))
    rects = [
        (c * tile, r * tile, min((c + 1) * tile, width), min((r + 1) * tile, height))
        for r in range(r0, r1 + 1)
        for c in range(c0, c1 + 1)
    ]
    return sorted(rects, key=lambda t: ((t[0] + t[2]) / 2 - cx) ** 2 + ((t[1] + t[3]) / 2 - cy) ** 2)


@dataclass(slots=True)
class _Prepared:
    """One request at full resolution, shared by its tiles."""

    key: tuple[int, int]  # (request id, preview request id)
    work: _Work
    regmap: RegionMap  # the flats' regions (work.regmap, trimmed, with the open figure's cells)
    palette: np.ndarray  # uint8 (regmap.count, 3)
    draft: np.ndarray | None  # float32 (h, w, 3), networks only
    lit: np.ndarray | None  # float32 (count,) the page's lit level per region, networks only
    dots: HintSet  # the dots RefineNet is given (the links' copies included)
    preview: ColorizeResult
    light: bool
    #: uint8 (h, w, 3) at the preview's size: the page's shading with no hints, which a tile's
    #: shading is never darker than (:meth:`Pipeline._plain_shading`); None without hints
    gate: np.ndarray | None = None


class SharpRenderer:
    """Renders full-resolution tiles of requests with ``pipeline`` (same thread as its runs)."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self._prepared: _Prepared | None = None
        self.prepare_count = 0  # for tests: how often a request was prepared

    def render(
        self,
        request: ColorizeRequest,
        preview: ColorizeResult,
        rect: Rect,
        should_cancel: CancelFn = never_cancel,
    ) -> ColorizeResult:
        """The layers of ``rect`` (x0, y0, x1, y1 sketch px) of ``request`` at full resolution,
        arrays of shape (y1 − y0, x1 − x0, …); ``preview`` is the request's refined preview (its
        colours give the flats). ``stage`` is ``"tile"``. Raises Cancelled."""
        prep = self._prepare(request, preview, should_cancel)
        work = prep.work
        h, w = work.ink.shape
        x0, y0, x1, y1 = max(0, rect[0]), max(0, rect[1]), min(w, rect[2]), min(h, rect[3])
        if x1 <= x0 or y1 <= y0:
            raise ValueError(f"tile {rect} lies outside the {w}×{h} page")
        mx0, my0 = max(0, x0 - MARGIN), max(0, y0 - MARGIN)
        mx1, my1 = min(w, x1 + MARGIN), min(h, y1 + MARGIN)
        inner = (slice(y0 - my0, y1 - my0), slice(x0 - mx0, x1 - mx0))
        labels = prep.regmap.labels[my0:my1, mx0:mx1]
        flats = prep.palette[labels]
        refined: np.ndarray | None = None
        shading = np.full(flats.shape, 255, np.uint8)
        nets = self.pipeline.nets
        if prep.draft is not None and nets is not None:
            check_cancel(should_cancel)
            draft = _sample(prep.draft, (mx0, my0, mx1, my1), (w, h))
            hints = _shifted(prep.dots, mx0, my0)
            ink = np.ascontiguousarray(work.edit_ink[my0:my1, mx0:mx1])
            out = nets.refine(ink, draft, hints, should_cancel)
            refined = _to_u8(out)
            paper = white_flats(prep.palette)
            dots = _dot_pixels(hints, my1 - my0, mx1 - mx0)
            shading = shading_layer(refined, flats, labels, paper, dots, lit=prep.lit, ink=ink)
            if prep.gate is not None:
                shading = np.maximum(shading, _sample(prep.gate, (mx0, my0, mx1, my1), (w, h)))
        check_cancel(should_cancel)
        crop = (slice(y0, y1), slice(x0, x1))
        flats, shading = np.ascontiguousarray(flats[inner]), np.ascontiguousarray(shading[inner])
        line = np.ascontiguousarray(work.line_layer[crop])
        tw, th = x1 - x0, y1 - y0
        if prep.light:
            lighting = _sample(prep.preview.lighting, (x0, y0, x1, y1), (w, h))
            shadow = _sample(prep.preview.shadow, (x0, y0, x1, y1), (w, h))
        else:
            lighting = np.zeros((th, tw, 3), np.uint8)
            shadow = np.full((th, tw, 3), 255, np.uint8)
        tone = None if work.tone_layer is None else np.ascontiguousarray(work.tone_layer[crop])
        stack = {"flats": flats, "lineart": line}
        if refined is not None:
            stack["shading"] = shading
        if tone is not None:
            stack["tone"] = tone
        if prep.light:
            stack["shadow"], stack["lighting"] = shadow, lighting
        return ColorizeResult(
            request_id=request.id,
            lineart=line,
            flats=flats,
            color=flats if refined is None else cv2.multiply(flats, shading, scale=1.0 / 255.0),
            shading=shading,
            shadow=shadow,
            lighting=lighting,
            composite=layers.compose(stack),
            regions=np.ascontiguousarray(prep.regmap.labels[crop]),
            tone=tone if tone is not None else np.full((th, tw, 3), 255, np.uint8),
            sketch=np.ascontiguousarray(work.sketch_image[crop]),
            stage="tile",
        )

    def _prepare(
        self, request: ColorizeRequest, preview: ColorizeResult, should_cancel: CancelFn
    ) -> _Prepared:
        key = (request.id, preview.request_id)
        if self._prepared is not None and self._prepared.key == key:
            return self._prepared
        self._prepared = None  # the old request's full-size arrays can go now
        pipe = self.pipeline
        full = replace(request, options=replace(request.options, work_long_side=None))
        work = pipe._prepare(full, should_cancel, no_progress)
        pipe._regions_stage(work)
        nets = pipe.nets if request.options.use_networks else None
        draft: np.ndarray | None = None
        lit: np.ndarray | None = None
        h, w = work.ink.shape
        color: np.ndarray | None = None
        if nets is not None:
            draft = pipe._draft_stage(work, nets)
            check_cancel(should_cancel)
            own = preview.network if preview.network is not None else preview.color
            color = cv2.resize(own, (w, h), interpolation=cv2.INTER_LINEAR)
            if len(work.hints):
                work.figure = pipe._plain_figure(request, (h, w), should_cancel)
        # the pipeline's own flats stage, so the tiles' regions and colours are the preview's
        # (a page dot's reach trimmed to RefineNet's spread, the open figure's cells)
        colours = pipe._flats_stage(work, color)
        if color is not None:
            lit = page_lit_levels(color, colours.flats, colours.regmap.labels,
                                  _dot_pixels(work.hints, h, w), count=colours.regmap.count)
        light = request.options.light.enabled and request.options.light.intensity > 0
        dots = region_edits.linked_dots(work.shape_regions, work.hints)
        gate = None
        if nets is not None and len(work.hints):
            gate = pipe._plain_shading(request, preview.flats.shape[:2], should_cancel)
        self._prepared = _Prepared(key, work, colours.regmap, colours.palette, draft, lit, dots,
                                   preview, light, gate)
        self.prepare_count += 1
        return self._prepared


def _shifted(hints: HintSet, dx: int, dy: int) -> HintSet:
    """``hints`` moved by (−dx, −dy): into a crop's coordinates."""
    return HintSet(tuple(replace(h, x=h.x - dx, y=h.y - dy) for h in hints))


def _sample(img: np.ndarray, rect: Rect, full: tuple[int, int]) -> np.ndarray:
    """The part of ``img`` (any resolution, covering a page of ``full`` = (W, H) px) under
    ``rect`` of the page, resampled bilinearly to the rect's size: (y1 − y0, x1 − x0, C)."""
    x0, y0, x1, y1 = rect
    ih, iw = img.shape[:2]
    sx, sy = iw / full[0], ih / full[1]
    # Output pixel (u, v) is page pixel (x0 + u, y0 + v): its centre in img's pixel grid.
    m = np.array([[sx, 0.0, (x0 + 0.5) * sx - 0.5], [0.0, sy, (y0 + 0.5) * sy - 0.5]])
    return cv2.warpAffine(
        img, m, (x1 - x0, y1 - y0),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE,
    )
