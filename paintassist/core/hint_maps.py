"""Rasterise hints into the float maps the networks read.

A hint map is float32 (H, W, 4): RGB in 0..1 where a hint covers the pixel, and a mask channel
(1 = covered, 0 = free). Later hints paint over earlier ones (``HintSet`` order: later wins).
Qt-free and torch-free.
"""

from __future__ import annotations

import cv2
import numpy as np
from scipy import ndimage

from paintassist.core.types import HintKind, HintSet


def hint_map(
    hints: HintSet,
    shape: tuple[int, int],
    scale: float = 1.0,
    kind: HintKind | None = None,
) -> np.ndarray:
    """Rasterise ``hints`` (sketch pixel coordinates) into a map of ``shape`` (H, W).

    scale: map pixels per sketch pixel (0.25 for a map at a quarter of the sketch's size);
    positions and sizes are multiplied by it. kind: only hints of that kind (None = each hint by
    its own kind). Draft hints are squares of side ``size × scale`` px, accurate hints discs of
    radius ``size × scale`` px; both are at least one pixel.

    Returns float32 (H, W, 4): RGB 0..1 and mask 0/1.
    """
    h, w = int(shape[0]), int(shape[1])
    if h <= 0 or w <= 0:
        raise ValueError(f"hint map shape must be positive, got {shape}")
    if not (np.isfinite(scale) and scale > 0):
        raise ValueError(f"hint map scale must be a positive number, got {scale}")
    out = np.zeros((h, w, 4), np.float32)
    for hint in hints:
        if kind is not None and hint.kind != kind:
            continue
        colour = (hint.rgb[0] / 255.0, hint.rgb[1] / 255.0, hint.rgb[2] / 255.0, 1.0)
        cx, cy = hint.x * scale, hint.y * scale
        if hint.kind == "draft":
            half = max(0.5, hint.size * scale / 2.0)
            x0, x1 = int(np.floor(cx - half + 0.5)), int(np.floor(cx + half - 0.5))
            y0, y1 = int(np.floor(cy - half + 0.5)), int(np.floor(cy + half - 0.5))
            x0, y0 = max(x0, 0), max(y0, 0)
            x1, y1 = min(x1, w - 1), min(y1, h - 1)
            if x0 <= x1 and y0 <= y1:
                out[y0 : y1 + 1, x0 : x1 + 1] = colour
        else:
            radius = max(1, round(hint.size * scale))
            centre = (round(cx), round(cy))
            if -radius <= centre[0] < w + radius and -radius <= centre[1] < h + radius:
                cv2.circle(out, centre, radius, colour, thickness=-1, lineType=cv2.LINE_8)
    return out


def draft_map(hints: HintSet, shape: tuple[int, int], scale: float = 1.0) -> np.ndarray:
    """Squares of the draft hints only; float32 (H, W, 4)."""
    return hint_map(hints, shape, scale, kind="draft")


def accurate_map(hints: HintSet, shape: tuple[int, int], scale: float = 1.0) -> np.ndarray:
    """Discs of the accurate hints only; float32 (H, W, 4)."""
    return hint_map(hints, shape, scale, kind="accurate")


SPREAD_FRACTIONS = (0.01, 0.04, 0.15, 0.5)


def spread(hmap: np.ndarray) -> np.ndarray:
    """Dense colour guess from a hint map by normalised convolution (lines ignored).

    hmap: float32 (H, W, 4) from :func:`hint_map`. Gaussians of widths ``SPREAD_FRACTIONS`` × the
    long side are summed, so a pixel takes the colour of its nearby hints and, far from all hints,
    a distance-weighted mix. Returns float32 (H, W, 4): RGB 0..1 and a confidence 0..1 (0 where no
    hint exists at all). A cheap prior that the networks refine against the lines.
    """
    if hmap.ndim != 3 or hmap.shape[2] != 4:
        raise ValueError(f"hint map must be (H, W, 4), got {hmap.shape}")
    h, w = hmap.shape[:2]
    out = np.zeros((h, w, 4), np.float32)
    if not hmap[..., 3].any():
        return out
    weighted = np.concatenate([hmap[..., :3] * hmap[..., 3:], hmap[..., 3:]], axis=2)
    acc = np.zeros((h, w, 4), np.float32)
    for frac in SPREAD_FRACTIONS:
        sigma = max(0.7, frac * max(h, w))
        if sigma > 8:  # blur a downscaled copy: same result for wide kernels, far cheaper
            f = 4.0 / sigma
            small = cv2.resize(weighted, (max(1, round(w * f)), max(1, round(h * f))),
                               interpolation=cv2.INTER_AREA)
            blurred = cv2.GaussianBlur(small, (0, 0), sigma * f, borderType=cv2.BORDER_REFLECT)
            acc += cv2.resize(blurred, (w, h), interpolation=cv2.INTER_LINEAR).reshape(h, w, 4)
        else:
            acc += cv2.GaussianBlur(weighted, (0, 0), sigma,
                                    borderType=cv2.BORDER_REFLECT).reshape(h, w, 4)
    den = np.maximum(acc[..., 3:], 1e-8)
    out[..., :3] = np.clip(acc[..., :3] / den, 0, 1)
    out[..., 3] = np.clip(acc[..., 3] * 20.0, 0, 1)
    return out


#: ink at or above this is a line that :func:`spread_along_lines` does not cross. Low, because at
#: DraftNet's 256 px a real sketch's area-downscaled pencil lines are 0.1-0.3 grey: at 0.2, 86-100 %
#: of the paper of most real sketches was one connected area (no wall at all); at 0.1 the figure's
#: areas separate (largest area 31-75 % of the paper, the page background among them).
LINE_THRESHOLD = 0.1


def spread_along_lines(hmap: np.ndarray, ink: np.ndarray,
                       threshold: float = LINE_THRESHOLD) -> np.ndarray:
    """Like :func:`spread`, but a hint's colour stays inside the areas the lines enclose.

    The paper (ink below ``threshold``; hint pixels always count as paper) is cut into its
    4-connected components, so an 8-connected line of ink is a wall. Each component takes the
    normalised convolution (:data:`SPREAD_FRACTIONS`) of the hints inside it only; components with
    no hint get confidence 0. Line pixels take the mean of the paper beside them (a 3×3
    neighbourhood, widened until filled), at half the confidence. A line with a gap lets colour
    through the gap, as a real open sketch would.

    hmap: float32 (H, W, 4) from :func:`hint_map`; ink: float (H, W) 0..1 at the map's size.
    Returns float32 (H, W, 4): RGB 0..1 and confidence 0..1.
    """
    if hmap.ndim != 3 or hmap.shape[2] != 4:
        raise ValueError(f"hint map must be (H, W, 4), got {hmap.shape}")
    if ink.shape != hmap.shape[:2]:
        raise ValueError(f"ink {ink.shape} and hint map {hmap.shape[:2]} differ in size")
    h, w = hmap.shape[:2]
    out = np.zeros((h, w, 4), np.float32)
    mask = hmap[..., 3] > 0
    if not mask.any():
        return out
    paper = (ink < threshold) | mask
    n, labels = cv2.connectedComponents(paper.astype(np.uint8), connectivity=4)
    hinted = np.unique(labels[mask])
    hinted = hinted[hinted > 0]
    if hinted.size == 0:  # unreachable: a hint pixel is paper, so its component has a label
        return out
    # one labelled component at a time, each blurred over its bounding box (padded for the blur)
    boxes = _component_boxes(labels, n)
    weighted = np.concatenate([hmap[..., :3] * hmap[..., 3:], hmap[..., 3:]], axis=2)
    for lab in hinted:
        y0, y1, x0, x1 = boxes[int(lab)]
        comp = labels[y0:y1, x0:x1] == lab
        part = weighted[y0:y1, x0:x1] * comp[..., None]
        spread_part = _blur_stack(part, max(h, w))
        den = np.maximum(spread_part[..., 3:], 1e-8)
        region = out[y0:y1, x0:x1]
        region[comp, :3] = np.clip(spread_part[..., :3] / den, 0, 1)[comp]
        region[comp, 3] = np.clip(spread_part[..., 3] * 20.0, 0, 1)[comp]
    # line pixels (and unreached paper stays 0): the mean of the confident paper around them
    lines = ~paper
    if lines.any():
        keep = (~lines).astype(np.float32) * (out[..., 3] > 0)
        todo = lines.copy()
        for sigma in (1.0, 2.5, 6.0):
            num = cv2.GaussianBlur(out * keep[..., None], (0, 0), sigma)
            den = cv2.GaussianBlur(keep, (0, 0), sigma)
            ok = todo & (den > 1e-3)
            out[ok, :3] = num[ok, :3] / den[ok][:, None]
            out[ok, 3] = 0.5 * num[ok, 3] / den[ok]
            todo &= ~ok
            if not todo.any():
                break
    return out


def _component_boxes(labels: np.ndarray, n: int) -> list[tuple[int, int, int, int]]:
    """(y0, y1, x0, x1) half-open bounding box of each label 0..n-1 (empty labels: zero box)."""
    boxes = [(0, 0, 0, 0)] * n
    for lab, sl in enumerate(ndimage.find_objects(labels, max_label=n - 1), start=1):
        if sl is not None:
            boxes[lab] = (sl[0].start, sl[0].stop, sl[1].start, sl[1].stop)
    return boxes


def _blur_stack(weighted: np.ndarray, long_side: int) -> np.ndarray:
    """Sum of Gaussian blurs of widths ``SPREAD_FRACTIONS × long_side`` of (h, w, 4) float32."""
    h, w = weighted.shape[:2]
    acc = np.zeros((h, w, 4), np.float32)
    for frac in SPREAD_FRACTIONS:
        sigma = max(0.7, frac * long_side)
        # a wide kernel on a copy downscaled to 4 px per sigma; on a box narrower than sigma / 4
        # to 8 px across its short side (at full size a 768-px sigma on a small component was a
        # 4,600-tap kernel per pixel: 1.9 s of an A4 page's 2.2 s of spreading)
        f = 4.0 / sigma if min(h, w) * 4.0 / sigma >= 1 else 8.0 / max(1, min(h, w))
        if sigma > 8 and f < 1:
            small = cv2.resize(weighted, (max(1, round(w * f)), max(1, round(h * f))),
                               interpolation=cv2.INTER_AREA)
            blurred = cv2.GaussianBlur(small, (0, 0), sigma * f, borderType=cv2.BORDER_CONSTANT)
            acc += cv2.resize(blurred, (w, h), interpolation=cv2.INTER_LINEAR).reshape(h, w, 4)
        else:
            acc += cv2.GaussianBlur(weighted, (0, 0), sigma,
                                    borderType=cv2.BORDER_CONSTANT).reshape(h, w, 4)
    return acc
