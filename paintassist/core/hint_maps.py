"""Rasterise hints into the float maps the networks read.

A hint map is float32 (H, W, 4): RGB in 0..1 where a hint covers the pixel, and a mask channel
(1 = covered, 0 = free). Later hints paint over earlier ones (``HintSet`` order: later wins).
Qt-free and torch-free.
"""

from __future__ import annotations

import cv2
import numpy as np

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
