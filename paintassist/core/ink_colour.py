"""The colour of the ink: coloured line art (brown ink, blue or red pencil) keeps its colour in the
``lineart`` layer instead of turning black.

Whether line art is coloured is read off its *confident* ink (the cores of the strokes, where the
paper does not show through): the median CIELAB chroma of those pixels, after white-balancing on
the paper (so yellowed paper does not make grey pencil brown), above :data:`COLOURED_CHROMA` means
coloured ink. Black ink and graphite sit below 6; a brown ink is about 30, a blue pencil 40 or
more.

The kept colour of every pixel is the colour of the confident ink around it (a normalised blur of
the sketch's pixels weighted by how sure the ink is), so anti-aliased edges and light strokes take
the colour of their stroke rather than the paper-tinted mix the scan shows there; the layer's alpha
stays the ink map, exactly as for black line art.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

#: Ink from which a pixel is a stroke's core (its colour is the ink's, unmixed with paper).
CONFIDENT_INK = 0.6
#: Median Lab chroma of the confident ink above which the line art is coloured.
COLOURED_CHROMA = 10.0
#: Fewer confident ink pixels than this: too little to tell, the line art is black.
MIN_INK_PIXELS = 64
#: Blur (px) that spreads the cores' colour over their strokes' edges.
SPREAD_SIGMA = 2.0
#: Statistics use at most about this many pixels (a strided subsample).
_STAT_PIXELS = 400_000


@dataclass(frozen=True, slots=True)
class InkColour:
    """What the ink's colour is: ``coloured`` (the median chroma is above the threshold),
    ``chroma`` the median Lab chroma of the confident ink, ``rgb`` its median colour (sRGB)."""

    coloured: bool
    chroma: float
    rgb: tuple[int, int, int]


def measure(ink: np.ndarray, rgb: np.ndarray) -> InkColour:
    """How coloured the line art is. ink: float32 (H, W) 0..1; rgb: uint8 (H, W, 3) the sketch's
    pixels at the same size."""
    _check(ink, rgb)
    step = max(1, int(np.sqrt(ink.size / _STAT_PIXELS)))
    ink_s, rgb_s = ink[::step, ::step], rgb[::step, ::step]
    core = ink_s >= CONFIDENT_INK
    if int(np.count_nonzero(core)) < MIN_INK_PIXELS:
        return InkColour(False, 0.0, (0, 0, 0))
    paper_px = rgb_s[ink_s <= 0.02]
    paper = (
        np.percentile(paper_px.reshape(-1, 3), 50.0, axis=0)
        if len(paper_px) >= MIN_INK_PIXELS
        else np.full(3, 255.0)
    )
    balance = 255.0 / np.maximum(paper.astype(np.float32), 32.0)
    px = np.clip(rgb_s[core].astype(np.float32) * balance, 0, 255) / 255.0
    lab = cv2.cvtColor(px.reshape(-1, 1, 3), cv2.COLOR_RGB2LAB).reshape(-1, 3)
    chroma = float(np.median(np.hypot(lab[:, 1], lab[:, 2])))
    median = np.median(rgb_s[core].reshape(-1, 3), axis=0)
    rgb_med = (int(median[0]), int(median[1]), int(median[2]))
    return InkColour(chroma > COLOURED_CHROMA, chroma, rgb_med)


def colour_field(ink: np.ndarray, rgb: np.ndarray, fallback: tuple[int, int, int]) -> np.ndarray:
    """uint8 (H, W, 3): at every pixel the colour of the confident ink around it (see the module
    docstring); ``fallback`` where no stroke core is near (a faint stroke on its own)."""
    _check(ink, rgb)
    weight = np.clip((ink - 0.5) * 2.0, 0.0, 1.0).astype(np.float32)
    weight *= weight  # the cores count most
    total = cv2.GaussianBlur(weight, (0, 0), SPREAD_SIGMA)
    far = total <= 1e-3
    np.maximum(total, 1e-6, out=total)
    out = np.empty(rgb.shape, np.uint8)
    for c in range(3):  # one channel at a time: a few bytes a pixel, not 30
        acc = np.asarray(
            cv2.GaussianBlur(rgb[..., c].astype(np.float32) * weight, (0, 0), SPREAD_SIGMA),
            np.float32,
        )
        acc /= total
        acc[far] = fallback[c]
        out[..., c] = np.clip(acc + 0.5, 0, 255).astype(np.uint8)
    return out


def lineart_layer(ink: np.ndarray, colour: np.ndarray | None = None) -> np.ndarray:
    """uint8 (H, W, 4) line-art layer: RGB black (``colour`` None) or ``colour`` (uint8 (H, W, 3),
    from :func:`colour_field`), alpha = ink × 255 (paper fully transparent)."""
    if ink.ndim != 2:
        raise ValueError(f"ink must be (H, W), got shape {ink.shape}")
    layer = np.zeros((*ink.shape, 4), np.uint8)
    if colour is not None:
        if colour.shape != (*ink.shape, 3):
            raise ValueError(f"colour {colour.shape} does not match the ink {ink.shape}")
        layer[:, :, :3] = colour
    layer[:, :, 3] = np.rint(np.clip(ink, 0.0, 1.0) * 255.0).astype(np.uint8)
    return layer


def _check(ink: np.ndarray, rgb: np.ndarray) -> None:
    if ink.ndim != 2 or rgb.shape != (*ink.shape, 3) or rgb.dtype != np.uint8:
        raise ValueError(
            f"need ink (H, W) and rgb uint8 (H, W, 3) of one size, got {ink.shape} and "
            f"{rgb.dtype} {rgb.shape}"
        )
