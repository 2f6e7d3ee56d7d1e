"""Sharp tiles: full-resolution rectangles of a page that agree with a full-resolution run."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from paintassist.core.errors import Cancelled
from paintassist.core.pipeline import Pipeline
from paintassist.core.sharp import TILE, SharpRenderer, tile_grid, tiles_in_view
from paintassist.core.types import ColorizeOptions, ColorizeRequest, Hint, HintSet, Sketch


def _page(h: int = 900, w: int = 1300) -> Sketch:
    """Two big closed shapes that cross tile borders, and a small one."""
    ink = np.zeros((h, w), np.float32)
    cv2.rectangle(ink, (60, 60), (700, 800), 1.0, 4)
    cv2.circle(ink, (1000, 450), 260, 1.0, 4)
    cv2.rectangle(ink, (300, 300), (420, 380), 1.0, 3)
    return Sketch(ink)


_HINTS = HintSet(
    (
        Hint("accurate", 200.0, 600.0, (220, 60, 60), 6.0),
        Hint("accurate", 1000.0, 450.0, (40, 90, 200), 6.0),
        Hint("accurate", 360.0, 340.0, (250, 220, 40), 3.0),
    )
)


class _Nets:
    """Deterministic local "networks": a flat draft; refine darkens near ink (a point-wise
    function of a small neighbourhood), so any tile seam would be the renderer's fault."""

    def draft(self, ink, hints, references, strength):  # type: ignore[no-untyped-def]
        return np.full((64, 92, 3), 0.8, np.float32)

    def refine(self, ink, draft, hints, should_cancel):  # type: ignore[no-untyped-def]
        h, w = ink.shape
        base = cv2.resize(draft, (w, h), interpolation=cv2.INTER_LINEAR)
        near = cv2.GaussianBlur(ink, (0, 0), 3.0)[..., None]
        return np.clip(base * (1.0 - 0.5 * near), 0.0, 1.0).astype(np.float32)


def _stitch(renderer: SharpRenderer, req: ColorizeRequest, preview, layer: str) -> np.ndarray:  # type: ignore[no-untyped-def]
    h, w = req.sketch.shape
    out = np.zeros((h, w, 3), np.uint8)
    for x0, y0, x1, y1 in tile_grid(w, h):
        tile = renderer.render(req, preview, (x0, y0, x1, y1))
        assert tile.stage == "tile" and tile.composite.shape == (y1 - y0, x1 - x0, 3)
        out[y0:y1, x0:x1] = getattr(tile, layer)
    return out


def test_classical_tiles_equal_a_full_resolution_run() -> None:
    pipe = Pipeline()
    sketch = _page()
    req = ColorizeRequest(sketch=sketch, hints=_HINTS, options=ColorizeOptions(work_long_side=400))
    preview = pipe.run(req)
    assert preview.composite.shape[1] == 400  # the preview is small
    renderer = SharpRenderer(pipe)
    stitched = _stitch(renderer, req, preview, "composite")
    full = pipe.run(ColorizeRequest(sketch=sketch, hints=_HINTS))
    assert np.array_equal(stitched, full.composite)
    assert renderer.prepare_count == 1  # the full-resolution regions are made once per request


def test_network_tiles_join_without_seams_and_keep_the_dots() -> None:
    pipe = Pipeline(nets=_Nets(), nets_status="networks (fake)")  # type: ignore[arg-type]
    sketch = _page()
    req = ColorizeRequest(sketch=sketch, hints=_HINTS, options=ColorizeOptions(work_long_side=400))
    preview = pipe.run(req)
    renderer = SharpRenderer(pipe)
    stitched = _stitch(renderer, req, preview, "composite")
    full = pipe.run(ColorizeRequest(sketch=sketch, hints=_HINTS)).composite
    # Across every tile border inside the big shapes, the stitched page steps no more than the
    # full-resolution run does there (a seam would be a jump of its own).
    for x in range(TILE, sketch.shape[1], TILE):
        jump = np.abs(stitched[:, x].astype(int) - stitched[:, x - 1].astype(int)).max(1)
        ref = np.abs(full[:, x].astype(int) - full[:, x - 1].astype(int)).max(1)
        assert np.percentile(jump - ref, 99) <= 6
    # An accurate dot keeps its exact colour where it was put, in the tiles as in the export.
    for d in _HINTS:
        got = stitched[round(d.y), round(d.x) + 2].astype(int)
        assert np.abs(got - np.array(d.rgb)).max() <= 6


def test_tiles_in_view_cover_the_view_nearest_first() -> None:
    rects = tiles_in_view((600.0, 100.0, 1200.0, 700.0), 1300, 900)
    covered = {(x0, y0) for x0, y0, _x1, _y1 in rects}
    assert covered == {(512, 0), (1024, 0), (512, 512), (1024, 512)}
    assert rects[0][:2] == (512, 0) or rects[0][:2] == (512, 512)  # nearest the centre (900, 400)
    assert all(x1 <= 1300 and y1 <= 900 for _x0, _y0, x1, y1 in rects)


def test_a_tile_can_be_cancelled() -> None:
    pipe = Pipeline()
    req = ColorizeRequest(sketch=_page(), hints=_HINTS, options=ColorizeOptions(work_long_side=400))
    preview = pipe.run(req)
    with pytest.raises(Cancelled):
        SharpRenderer(pipe).render(req, preview, (0, 0, 512, 512), should_cancel=lambda: True)


class _BlobNets(_Nets):
    """As :class:`_Nets`, plus a deep dark blob inside the big rectangle whenever dots are given
    (RefineNet's blobs round a dot that decides a large area)."""

    def refine(self, ink, draft, hints, should_cancel):  # type: ignore[no-untyped-def]
        out = super().refine(ink, draft, hints, should_cancel)
        if len(hints.accurate):
            yy, xx = np.mgrid[: ink.shape[0], : ink.shape[1]]
            blob = np.exp(-((yy - 0.5 * ink.shape[0]) ** 2 + (xx - 0.3 * ink.shape[1]) ** 2)
                          / (2 * (0.05 * ink.shape[1]) ** 2))
            out = out * (1.0 - 0.8 * blob[..., None]).astype(np.float32)
        return out


def test_tiles_keep_the_shading_gate_of_the_preview() -> None:
    """A tile's shading is never darker than the page's with no hints, as in the preview."""
    pipe = Pipeline(nets=_BlobNets(), nets_status="networks (fake)")  # type: ignore[arg-type]
    sketch = _page()
    opts = ColorizeOptions(work_long_side=400)
    plain = pipe.run(ColorizeRequest(sketch=sketch, options=opts))
    grey = HintSet((Hint("accurate", 200.0, 600.0, (204, 204, 204), 6.0),))  # the net's colour
    req = ColorizeRequest(sketch=sketch, hints=grey, options=opts)
    preview = pipe.run(req)
    assert (preview.shading >= plain.shading).all()
    renderer = SharpRenderer(pipe)
    rect = (256, 256, 512, 512)  # inside the big rectangle, round the blob's centre (390, 450)
    tile = renderer.render(req, preview, rect)
    gate = cv2.resize(plain.shading, (sketch.shape[1], sketch.shape[0]),
                      interpolation=cv2.INTER_LINEAR)[256:512, 256:512]
    assert (tile.shading.astype(int) >= gate.astype(int) - 2).all()
    assert tile.shading[150:250, 100:200].min() > 200  # no dark patch where the blob is


class _SpreadNets:
    """Paints each dot's colour over the band between two far-apart strokes (the middle 44 %
    of the page's width, rows 22-78 %) and white elsewhere: RefineNet's spread of a dot on a
    figure drawn in broken strokes."""

    def draft(self, ink, hints, references, strength):  # type: ignore[no-untyped-def]
        return np.ones((64, 92, 3), np.float32)

    def refine(self, ink, draft, hints, should_cancel):  # type: ignore[no-untyped-def]
        h, w = ink.shape
        out = np.ones((h, w, 3), np.float32)
        for dot in hints.accurate:
            out[round(0.22 * h):round(0.78 * h), round(0.28 * w):round(0.72 * w)] = (
                np.array(dot.rgb, np.float32) / 255.0)
        return out


def test_tiles_trim_a_page_dots_reach_as_the_preview_does() -> None:
    """A dot on the page round a broken figure colours RefineNet's spread in the preview; the
    full-resolution tiles must not flood the page with it either."""
    ink = np.zeros((600, 900), np.float32)
    ink[120:480, 240:246] = 1.0
    ink[120:480, 654:660] = 1.0
    red = (200, 40, 50)
    req = ColorizeRequest(sketch=Sketch(ink), hints=HintSet((Hint("accurate", 450, 300, red, 4),)),
                          options=ColorizeOptions(work_long_side=450))
    pipe = Pipeline(nets=_SpreadNets(), nets_status="networks (fake)")  # type: ignore[arg-type]
    preview = pipe.run(req)
    assert (preview.flats[10, 10] == 255).all() and tuple(preview.flats[150, 225]) == red
    stitched = _stitch(SharpRenderer(pipe), req, preview, "flats")
    assert tuple(stitched[300, 450]) == red
    assert (stitched[20, 20] == 255).all() and (stitched[300, 850] == 255).all()
