"""A plausible surface from line art: every region (and every strand between strokes) inflated.

The light pass needs a normal per pixel. Line art has no depth, so we assume what a painter assumes:
each shape bulges toward the viewer, like a pillow or a tube, steepest at its outline and frontal
along its middle. Concretely, for a pixel at distance ``d`` from the nearest line or region border
and distance ``e`` from the nearest *ridge* (the medial axis of the space between lines), the local
half-width is ``d + e`` and the surface is the circular profile of that width: the normal tilts
outward by ``u = e / (d + e)`` (1 at the outline, 0 on the ridge), which is a sphere for a disc
and a cylinder for a strip of any width. Because the width is local, a thin hair strand wraps as
tightly as a wide face, and long open strokes inside a region (hair strands, folds) shape the
surface too.

Everything is whole-image OpenCV/numpy work (three distance transforms, a few blurs), no per-region
loops: about 1 s for an A4 300-dpi page on two cores.

Normals are stored quantised as one ``uint16`` per pixel (:data:`NORMAL_LEVELS` steps for each of
``nx`` and ``ny``; ``nz`` follows because the normal is a unit vector facing the viewer). That is
2 bytes a pixel, and it lets :mod:`paintassist.core.lighting` light a page with one table look-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np

#: Quantisation steps per normal component (odd, so that 0 is exact).
NORMAL_LEVELS = 255
#: Index of pixels that are never lit (background, marked regions).
UNLIT_INDEX = NORMAL_LEVELS * NORMAL_LEVELS
#: Largest tilt of the surface away from the viewer, as sin(angle): 0.94 ≈ 70°. A full 90° at the
#: outline makes every edge a hard terminator; a little less keeps the shading soft.
MAX_TILT = 0.94
#: Medial-axis pruning: neighbours straddle the axis when their nearest border pixels are at least
#: this many times their distance apart (2 across a strip or a disc's centre, √2 across the bisector
#: of a right-angled corner) and at least :data:`_RIDGE_MIN_GAP` px apart (pixel staircase noise).
_RIDGE_SPREAD = 1.6
_RIDGE_MIN_GAP = 3.0
#: Long side (px) up to which the medial axis is searched at full resolution (see _ridge_stride).
_RIDGE_GRID_LONG_SIDE = 1400
#: Smoothing of the distance fields, as a fraction of the image's long side (≈1 px at 768 px), so
#: that a preview and a full page get the same look.
_SMOOTH_FRACTION = 1.0 / 768.0
#: Free-floating strokes shorter than this × √(area of their region), or than this fraction of the
#: image's long side, do not shape the surface (outlines always do); see _strokes.
_MIN_STROKE_TO_REGION = 0.4
_MIN_STROKE_FRACTION = 0.02
#: Strokes spanning this fraction of the long side always count.
_LONG_STROKE_FRACTION = 0.25
#: The slope's direction is smoothed this many times more (rounds the distance field's creases) at
#: the finest of _SCALES scales, each _SCALE_STEP× coarser; a shape of half-width w uses a blur of
#: about _BLUR_PER_WIDTH × w.
_DIRECTION_SMOOTHING = 3.0
_SCALES = 3
_SCALE_STEP = 3.0
_BLUR_PER_WIDTH = 0.25


class RegionsLike(Protocol):
    """What the shape needs from :class:`paintassist.core.regions.RegionMap`."""

    @property
    def labels(self) -> np.ndarray: ...  # int32 (H, W)

    @property
    def line_mask(self) -> np.ndarray: ...  # bool (H, W)

    @property
    def background(self) -> int: ...


@dataclass(frozen=True, slots=True, eq=False)
class Shape:
    """The estimated surface of one sketch at its regions' resolution.

    index: uint16 (H, W); ``iy * NORMAL_LEVELS + ix`` of the quantised unit normal's (nx, ny) (x
    right, y down, z toward the viewer; the normal points out of the surface), or
    :data:`UNLIT_INDEX` where the pixel stays unlit.
    labels: int32 (H, W), the region map's labels (shared, not copied), so that
    :func:`paintassist.core.lighting.render_light` can switch regions off without a new shape.
    """

    index: np.ndarray
    labels: np.ndarray

    @property
    def size(self) -> tuple[int, int]:
        """(H, W) in pixels."""
        h, w = self.index.shape
        return int(h), int(w)

    @property
    def lit(self) -> np.ndarray:
        """bool (H, W): pixels the light pass may touch."""
        return np.asarray(self.index != UNLIT_INDEX)

    def normals(self) -> np.ndarray:
        """float32 (H, W, 3) unit normals (nx, ny, nz); (0, 0, 0) where unlit. For display/tests."""
        table = np.concatenate([normal_table(), np.zeros((1, 3), np.float32)])
        return table[self.index]


def normal_table() -> np.ndarray:
    """float32 (NORMAL_LEVELS², 3): the unit normal of every quantised index (nz ≥ 0)."""
    steps = np.linspace(-1.0, 1.0, NORMAL_LEVELS, dtype=np.float32)
    ny, nx = np.meshgrid(steps, steps, indexing="ij")
    nz = np.sqrt(np.clip(1.0 - nx * nx - ny * ny, 0.0, 1.0))
    return np.stack([nx, ny, nz], axis=-1).reshape(-1, 3)


def estimate_shape(regmap: RegionsLike, *, unlit: Iterable[int] = frozenset()) -> Shape:
    """Inflate the regions of ``regmap`` into a surface (see the module docstring).

    regmap: labels int32 (H, W), line_mask bool (H, W), background (region id or -1).
    unlit: further region ids that stay unlit besides ``regmap.background`` (e.g. marked by the
    artist). Returns a :class:`Shape` at (H, W).
    """
    labels = np.asarray(regmap.labels)
    lines = np.asarray(regmap.line_mask, dtype=bool)
    if labels.ndim != 2 or lines.shape != labels.shape:
        raise ValueError(
            f"region map must have labels and line_mask of one (H, W) shape, got {labels.shape} "
            f"and {lines.shape}"
        )
    border = _borders(labels, _strokes(lines, labels))
    if border.any():
        nx, ny = _slopes(border, labels)
    else:  # a blank page: no outline to inflate from, so it faces the viewer
        nx = ny = np.zeros(labels.shape, np.float32)
    index = _quantise(nx, ny)
    off = unlit_mask(labels, regmap.background, unlit)
    if off is not None:
        index[off] = UNLIT_INDEX
    return Shape(index, labels)


def _slopes(border: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(nx, ny), float32 (H, W) each, of the outward unit normal. border: bool (H, W), not empty."""
    h, w = labels.shape
    sigma = max(0.7, max(h, w) * _SMOOTH_FRACTION)
    dist = cv2.distanceTransform(np.where(border, 0, 255).astype(np.uint8), cv2.DIST_L2,
                                 cv2.DIST_MASK_5)
    to_ridge = _to_ridge(border, labels)

    width = dist + to_ridge
    gx, gy = _slope_direction(dist, width, sigma * _DIRECTION_SMOOTHING)
    tilt = to_ridge / np.maximum(width, np.float32(1e-3))
    tilt = _blur(tilt, sigma)
    # Outward normal: against the gradient of the distance, which points into the region.
    tilt *= np.float32(-MAX_TILT)
    gx *= tilt
    gy *= tilt
    return gx, gy


def _slope_direction(
    dist: np.ndarray, width: np.ndarray, sigma: float
) -> tuple[np.ndarray, np.ndarray]:
    """Unit direction (gx, gy), float32 (H, W) each, in which the distance to the lines grows.

    The raw distance field is a "hip roof" whose creases (at every corner of an outline) would
    show as facets. Blurring it (0 on lines, so nothing leaks across them) rounds the creases; the
    blur must grow with the shape (a face needs ~20× the blur of a hair strand), so the gradient is
    taken at a few scales and blended by the local half-width ``width``. Near lines and on ridges a
    gradient gets short but keeps its direction, and only the direction is used.
    """
    h, w = dist.shape
    # Even the finest scale is a wide blur on a big page: blend on that scale's coarse grid and
    # scale the (continuous) result up once.
    factor = _blur_factor(dist.shape, sigma)
    if factor > 1:
        small_size = (max(1, w // factor), max(1, h // factor))
        dist = cv2.resize(dist, small_size, interpolation=cv2.INTER_AREA)
        width = cv2.resize(width, small_size, interpolation=cv2.INTER_AREA)
        sigma /= factor
    gx = np.zeros_like(dist)
    gy = np.zeros_like(dist)
    # Scale k serves half-widths around sigma_k / _BLUR_PER_WIDTH; weights are tent functions in
    # log scale, so they sum to 1 everywhere.
    level = np.log(np.maximum(width * np.float32(_BLUR_PER_WIDTH / sigma), np.float32(1.0)))
    level *= np.float32(1.0 / np.log(_SCALE_STEP))
    np.clip(level, 0.0, _SCALES - 1, out=level)
    for k in range(_SCALES):
        weight = np.abs(level - np.float32(k))
        np.subtract(np.float32(1.0), weight, out=weight)
        np.maximum(weight, np.float32(0.0), out=weight)
        if not weight.any():
            continue
        sx, sy = _blurred_gradient(dist, sigma * _SCALE_STEP**k)
        sx *= weight
        sy *= weight
        gx += sx
        gy += sy
    if factor > 1:
        gx = cv2.resize(gx, (w, h), interpolation=cv2.INTER_LINEAR)
        gy = cv2.resize(gy, (w, h), interpolation=cv2.INTER_LINEAR)
    length = np.maximum(np.sqrt(gx * gx + gy * gy), np.float32(1e-4))
    gx /= length
    gy /= length
    return np.asarray(gx), np.asarray(gy)


def _strokes(lines: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """bool (H, W): the line pixels that shape the surface.

    Strokes joined to an outline always count (they are part of its 8-connected ink). A free
    stroke counts only when it is long for the region it lies in — at least
    :data:`_MIN_STROKE_TO_REGION` × √(region area), and :data:`_MIN_STROKE_FRACTION` of the image:
    a loose hair strand or a fold does, a mouth, a nose tick or a stray dot (which would dent a
    face like a crease) does not.
    """
    count, comp, stats, _ = cv2.connectedComponentsWithStats(lines.view(np.uint8), connectivity=8)
    if count <= 1:
        return lines
    span = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]).astype(np.float64)
    # The region of each stroke: the label of one of its pixels (a free stroke lies in one region;
    # for a stroke joined to outlines any of them will do, it is long anyway).
    flat = comp.ravel()
    ink_at = np.flatnonzero(flat)
    offset = int(labels.min())
    region = np.zeros(count, np.int64)
    region[flat[ink_at]] = labels.ravel()[ink_at] - offset
    area = np.bincount(labels.ravel() - offset).astype(np.float64)
    size = np.sqrt(area[region])
    long_side = max(lines.shape)
    keep = span >= np.maximum(_MIN_STROKE_TO_REGION * size, _MIN_STROKE_FRACTION * long_side)
    keep |= span >= _LONG_STROKE_FRACTION * long_side
    keep[0] = False  # component 0 is the paper
    if keep[1:].all():
        return lines
    return np.asarray(keep[comp])


def _borders(labels: np.ndarray, lines: np.ndarray) -> np.ndarray:
    """bool (H, W): line pixels and pixels whose 4-neighbour has another label."""
    border = lines.copy()
    dx = labels[:, 1:] != labels[:, :-1]
    border[:, 1:] |= dx
    border[:, :-1] |= dx
    dy = labels[1:, :] != labels[:-1, :]
    border[1:, :] |= dy
    border[:-1, :] |= dy
    return border


def _to_ridge(border: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """float32 (H, W): distance (px) of every pixel to the medial axis of its own region.

    The axis only steers the profile, so on big pages it is found on a grid :func:`_ridge_stride`
    times coarser (borders max-pooled so thin lines survive) and the distance scaled back up.
    """
    h, w = border.shape
    step = _ridge_stride(h, w)
    if step > 1:
        hs, ws = h // step, w // step
        border = np.asarray(
            border[: hs * step, : ws * step].reshape(hs, step, ws, step).any(axis=(1, 3))
        )
        labels = np.ascontiguousarray(labels[: hs * step : step, : ws * step : step])
    free = np.where(border, 0, 255).astype(np.uint8)
    dist, feet = cv2.distanceTransformWithLabels(
        free, cv2.DIST_L2, cv2.DIST_MASK_5, labelType=cv2.DIST_LABEL_PIXEL
    )
    ridge = _medial_axis(dist, feet, border)
    del feet
    to_ridge = _distance_to_own_ridge(dist, ridge, labels)
    if step == 1:
        return to_ridge
    to_ridge *= np.float32(step)
    return np.asarray(cv2.resize(to_ridge, (w, h), interpolation=cv2.INTER_LINEAR))


def _ridge_stride(h: int, w: int) -> int:
    """Grid step of the medial-axis search: 1 up to ~2,800 px long side, 2 for an A4 page."""
    return max(1, max(h, w) // _RIDGE_GRID_LONG_SIDE)


def _medial_axis(dist: np.ndarray, feet: np.ndarray, border: np.ndarray) -> np.ndarray:
    """bool (H, W): the pruned medial axis of the space between borders.

    dist: float32 (H, W) distance to the nearest border pixel; feet: int32 (H, W), 1-based raster
    index of that border pixel (OpenCV's ``DIST_LABEL_PIXEL``). Two neighbouring pixels lie on
    either side of the axis when their nearest border pixels are far apart; requiring them to be
    :data:`_RIDGE_SPREAD` × the distance apart keeps the spine of strands and blobs and drops the
    spurs every bump and corner of an outline would add (which would flatten the surface).
    """
    ys, xs = np.nonzero(border)
    if ys.size == 0:
        return np.zeros(dist.shape, bool)
    # Index 0 is a dummy so that OpenCV's 1-based labels index directly.
    fy = np.concatenate([[0.0], ys]).astype(np.float32)[feet]
    fx = np.concatenate([[0.0], xs]).astype(np.float32)[feet]
    ridge = np.zeros(dist.shape, bool)
    for sl_a, sl_b in (
        ((slice(None), slice(None, -1)), (slice(None), slice(1, None))),
        ((slice(None, -1), slice(None)), (slice(1, None), slice(None))),
    ):
        gap = fy[sl_a] - fy[sl_b]
        gap *= gap
        dx = fx[sl_a] - fx[sl_b]
        dx *= dx
        gap += dx
        reach = np.maximum(dist[sl_a], dist[sl_b])
        reach *= reach
        reach *= np.float32(_RIDGE_SPREAD**2)
        np.maximum(reach, np.float32(_RIDGE_MIN_GAP**2), out=reach)
        hit = gap >= reach
        ridge[sl_a] |= hit
        ridge[sl_b] |= hit
    ridge &= ~border
    return ridge


def _distance_to_own_ridge(dist: np.ndarray, ridge: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """float32 (H, W): distance (px) from every pixel to the medial axis of its own region.

    A plain distance transform would happily measure to the axis of the thin strand next door and
    flatten a wide region along its border; where the nearest axis pixel belongs to another region
    we fall back to the sphere estimate ``max(dist in own region) − dist``.
    """
    if not ridge.any():  # a blank page or solid ink: nothing between lines, keep it frontal
        return np.zeros_like(dist)
    zeros = np.where(ridge, 0, 255).astype(np.uint8)
    to_ridge, nearest = cv2.distanceTransformWithLabels(
        zeros, cv2.DIST_L2, cv2.DIST_MASK_5, labelType=cv2.DIST_LABEL_PIXEL
    )
    ids = labels - labels.min() if labels.min() < 0 else labels
    ridge_ids = ids[ridge]  # raster order, as OpenCV numbers the zero pixels
    foreign = ridge_ids[nearest - 1] != ids
    del nearest
    if foreign.any():
        peak = np.zeros(int(ids.max()) + 1, np.float32)
        np.maximum.at(peak, ridge_ids, dist[ridge])
        own = peak[ids[foreign]] - dist[foreign]
        to_ridge[foreign] = np.maximum(to_ridge[foreign], own)
    return np.asarray(to_ridge)


def _blurred_gradient(img: np.ndarray, sigma: float) -> tuple[np.ndarray, np.ndarray]:
    """(d/dx, d/dy), float32 (H, W) each, of ``img`` blurred by ``sigma`` px.

    Wide blurs run on a downscaled copy and the *gradient* is scaled back up (bilinear, so it stays
    continuous); differentiating an upscaled field instead would print its coarse grid as a faint
    dot pattern in the light. Only directions are used, so the gradient is not rescaled.
    """
    factor = _blur_factor(img.shape, sigma)
    if factor == 1:
        smooth = cv2.GaussianBlur(img, (0, 0), sigma, borderType=cv2.BORDER_REPLICATE)
    else:
        h, w = img.shape
        small_size = (max(1, w // factor), max(1, h // factor))
        small = cv2.resize(img, small_size, interpolation=cv2.INTER_AREA)
        smooth = cv2.GaussianBlur(small, (0, 0), sigma / factor, borderType=cv2.BORDER_REPLICATE)
    gx = cv2.Sobel(smooth, cv2.CV_32F, 1, 0, ksize=3, scale=0.125)
    gy = cv2.Sobel(smooth, cv2.CV_32F, 0, 1, ksize=3, scale=0.125)
    if factor > 1:
        h, w = img.shape
        gx = cv2.resize(gx, (w, h), interpolation=cv2.INTER_LINEAR)
        gy = cv2.resize(gy, (w, h), interpolation=cv2.INTER_LINEAR)
    return np.asarray(gx), np.asarray(gy)


def _blur_factor(shape: tuple[int, ...], sigma: float) -> int:
    """Downscale factor (a power of 2) for a blur of ``sigma`` px: the blur stays ≤ 4 px there."""
    factor = 1
    while sigma / factor > 4.0 and min(shape) // (factor * 2) >= 16:
        factor *= 2
    return factor


def _blur(img: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur of a float32 (H, W) field; wide blurs run on a downscaled copy."""
    factor = _blur_factor(img.shape, sigma)
    if factor == 1:
        return np.asarray(cv2.GaussianBlur(img, (0, 0), sigma, borderType=cv2.BORDER_REPLICATE))
    h, w = img.shape
    small_size = (max(1, w // factor), max(1, h // factor))
    small = cv2.resize(img, small_size, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), sigma / factor, borderType=cv2.BORDER_REPLICATE)
    return np.asarray(cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR))


def _quantise(nx: np.ndarray, ny: np.ndarray) -> np.ndarray:
    """float32 (H, W) components in -1..1 → uint16 (H, W) table index."""
    half = np.float32((NORMAL_LEVELS - 1) / 2.0)
    top = np.float32(NORMAL_LEVELS - 1)
    index = np.zeros(nx.shape, np.uint16)
    for comp, weight in ((nx, 1), (ny, NORMAL_LEVELS)):
        q = comp * half
        q += half + np.float32(0.5)
        np.clip(q, np.float32(0.0), top, out=q)
        part = q.astype(np.uint16)
        if weight != 1:
            part *= np.uint16(weight)
        index += part
    return index


def unlit_mask(labels: np.ndarray, background: int, unlit: Iterable[int]) -> np.ndarray | None:
    """bool (H, W) of the pixels in region ``background`` (unless -1) or in ``unlit``; None when
    there are none to switch off."""
    ids = {int(i) for i in unlit}
    if background is not None and int(background) >= 0:
        ids.add(int(background))
    if not ids:
        return None
    if len(ids) == 1:
        return np.asarray(labels == next(iter(ids)))
    return np.isin(labels, np.fromiter(ids, np.int64))
