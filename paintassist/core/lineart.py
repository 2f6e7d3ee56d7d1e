"""Line-art normalisation: any scan, photo, digital inking or colour picture → a clean ink map.

The ink map is float32 (H, W) in 0..1 (0 = paper, 1 = full ink) at the image's own resolution.
Two routes:

* **Drawings** (grey or coloured lines on paper): flat-field the paper (a large-scale background
  estimate is divided out, per channel, so paper tone, tint, vignetting and uneven lighting
  vanish), take darkness = 1 − min(channels) so coloured lines count as ink, then robust levels:
  a noise floor measured on the paper maps to 0 and the typical darkness of the strongest strokes
  maps to 1. A light pencil scan and a clean black inking of the same lines therefore give nearly
  the same map, and anti-aliased edges keep their fractional values (the levels are linear, never
  a threshold). Solid areas much darker than the paper (a black fill, a pencil lying on a
  photographed page) stay ink and are left out of the levels statistics.
* **Colour pictures** (substantial saturated *areas*, not just coloured lines): darkness would turn
  dark flat fills into ink, so lines come from a morphological black-hat (closing − grey, relative
  to the closing) instead, which answers to thin dark strokes and not to flat fills or their edges.

Only numpy and OpenCV are used (no Qt, no Pillow).
"""

from __future__ import annotations

import cv2
import numpy as np

#: Long side (px) of the downscaled copy the paper background is estimated on.
_BG_LONG_SIDE = 256
#: Dark features narrower than this fraction of the long side are treated as ink, not as paper tone.
_BG_FEATURE_FRACTION = 1.0 / 16.0
#: Background darker than the first fraction of the overall paper level is solid ink, not paper
#: tone, and is replaced by the paper level; above the second it is kept; blended in between.
_BG_INK_RATIO = (0.25, 0.45)
#: Below this darkness (after flat-fielding) a pixel is paper noise whatever the statistics say.
_MIN_NOISE_FLOOR = 0.03
#: Upper bound of the noise floor, so a very grainy photo still keeps its lighter strokes.
_MAX_NOISE_FLOOR = 0.2
#: Percentile of the ink-candidate darkness that becomes full ink (the strongest strokes).
_BLACK_PERCENTILE = 90.0
#: The black point is never set below this darkness: a blank page must not turn its noise into ink.
_MIN_BLACK_POINT = 0.18
#: Chroma (0..1, after white-balancing on the paper colour) above which a pixel counts as coloured.
_COLOUR_CHROMA = 0.18
#: Fraction of the image that must be coloured *areas* (survive an opening) for the colour route.
_COLOUR_AREA_FRACTION = 0.04
#: Hue concentration (mean resultant length of the hue angles) above which colour is one ink.
_ONE_HUE_CONCENTRATION = 0.9
#: A neutral dark pixel: chroma below this and brightest channel below ``_NEUTRAL_DARK``.
_NEUTRAL_CHROMA = 0.1
_NEUTRAL_DARK = 0.4
#: Fraction of neutral dark pixels that shows black lines drawn apart from the colour.
_NEUTRAL_DARK_FRACTION = 0.01
#: Colour route: local brightness below this is treated as this, against noise amplification.
_MIN_LOCAL_BRIGHTNESS = 0.25
#: Statistics are computed on at most about this many pixels (a strided subsample).
_STAT_PIXELS = 400_000


def normalize(rgb_or_grey: np.ndarray, alpha: np.ndarray | None = None) -> np.ndarray:
    """Ink map of a sketch image.

    rgb_or_grey: (H, W), (H, W, 1), (H, W, 3) or (H, W, 4) image, uint8 (0..255), uint16
        (0..65535), bool, or float (0..1; values outside are clipped). A fourth channel is used
        as alpha when ``alpha`` is None.
    alpha: optional (H, W) opacity in the same kind of range as the image (uint8, uint16 or float
        0..1); transparent pixels are paper (the image is composited on white).

    Returns float32 (H, W) in 0..1: 0 = paper, 1 = ink. Raises ValueError for an image of an
    unsupported shape or dtype, or an ``alpha`` whose shape does not match.
    """
    raw = np.asarray(rgb_or_grey)
    if raw.ndim not in (2, 3):
        raise ValueError(f"image must be (H, W) or (H, W, C), got shape {raw.shape}")
    if raw.ndim == 3 and raw.shape[2] == 4:
        if alpha is None:
            alpha = raw[:, :, 3]
        raw = raw[:, :, :3]
    if raw.ndim == 3 and raw.shape[2] == 1:
        raw = raw[:, :, 0]
    if raw.ndim == 3 and raw.shape[2] != 3:
        raise ValueError(f"image must have 1, 3 or 4 channels, not {raw.shape[2]}")
    if raw.shape[0] == 0 or raw.shape[1] == 0:
        raise ValueError(f"image has zero size {raw.shape}")
    if raw.ndim == 3 and _channels_equal(raw):
        raw = raw[:, :, 0]  # grey saved as RGB: one channel is 3x less work
    img = np.ascontiguousarray(_to_unit_float(raw, "image"))
    if alpha is not None:
        a = _to_unit_float(alpha, "alpha")
        if a.shape != img.shape[:2]:
            raise ValueError(f"alpha shape {a.shape} does not match image shape {img.shape[:2]}")
        img = _composite_on_white(img, a)

    if img.ndim == 3 and _is_colour_picture(img):
        darkness = _line_contrast(img)
        return _levels(darkness, None)
    darkness, solid = _flat_field_darkness(img)
    return _levels(darkness, solid)


def line_mask(ink: np.ndarray, threshold: float = 0.35) -> np.ndarray:
    """bool (H, W): True where ``ink`` (float (H, W), 0..1) is at least ``threshold``."""
    _check_ink(ink)
    return np.asarray(ink >= threshold)


def lineart_layer(ink: np.ndarray) -> np.ndarray:
    """uint8 (H, W, 4) line-art layer: black RGB, alpha = ink × 255 (paper fully transparent)."""
    _check_ink(ink)
    layer = np.zeros((*ink.shape, 4), np.uint8)
    layer[:, :, 3] = np.rint(np.clip(ink, 0.0, 1.0) * 255.0).astype(np.uint8)
    return layer


def ink_to_grey(ink: np.ndarray) -> np.ndarray:
    """The ink map as a grey scan: float (H, W) 0..1 (1 = ink) → uint8 (H, W), 255 = paper,
    0 = full ink, rounded to nearest (``normalize`` of it gives the ink back)."""
    _check_ink(ink)
    return np.clip(255.0 - ink * 255.0 + 0.5, 0, 255).astype(np.uint8)


# --- conversion ---------------------------------------------------------------------------------


def _to_unit_float(arr: np.ndarray, what: str) -> np.ndarray:
    """float32 copy/view of ``arr`` scaled to 0..1 (uint8 /255, uint16 /65535, float clipped)."""
    a = np.asarray(arr)
    if a.ndim not in (2, 3):
        raise ValueError(f"{what} must be (H, W) or (H, W, C), got shape {a.shape}")
    if a.dtype == np.uint8:
        return a.astype(np.float32) * np.float32(1.0 / 255.0)
    if a.dtype == np.uint16:
        return a.astype(np.float32) * np.float32(1.0 / 65535.0)
    if a.dtype == np.bool_:
        return a.astype(np.float32)
    if np.issubdtype(a.dtype, np.floating):
        f = a.astype(np.float32, copy=True)
        np.nan_to_num(f, copy=False, nan=1.0, posinf=1.0, neginf=0.0)
        return np.clip(f, 0.0, 1.0, out=f)
    raise ValueError(f"{what} must be uint8, uint16, bool or float, not {a.dtype}")


def _composite_on_white(img: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """img · α + (1 − α): transparent pixels become white paper."""
    a = alpha if img.ndim == 2 else alpha[:, :, None]
    return (img * a + (1.0 - a)).astype(np.float32)


def _channels_equal(img: np.ndarray) -> bool:
    """True for an RGB image whose channels are the same (a grey image saved as RGB)."""

    def same(a: np.ndarray) -> bool:
        return np.array_equal(a[:, :, 0], a[:, :, 1]) and np.array_equal(a[:, :, 0], a[:, :, 2])

    return same(_subsample(img)) and same(img)  # the cheap subsample rejects most colour images


def _subsample(img: np.ndarray, pixels: int = _STAT_PIXELS) -> np.ndarray:
    """A strided view with at most about ``pixels`` pixels, for statistics."""
    step = max(1, int(np.sqrt(img.shape[0] * img.shape[1] / pixels)))
    return img[::step, ::step]


# --- drawing route: flat field + darkness ---------------------------------------------------------


def _paper_background(img: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Smooth paper-tone estimate of ``img`` (float32 (H, W) or (H, W, 3)).

    Computed on a copy downscaled to a long side of ``_BG_LONG_SIDE``: a closing removes dark
    features narrower than 1/16 of the long side (the lines), areas much darker than the overall
    paper level are taken as solid ink (so they are not divided out), and a blur smooths the rest.
    Returns (background float32, same shape as ``img``; solid-ink mask bool (h, w) at the
    downscaled size).
    """
    h, w = img.shape[:2]
    scale = min(1.0, _BG_LONG_SIDE / max(h, w))
    sw, sh = max(1, round(w * scale)), max(1, round(h * scale))
    small = cv2.resize(img, (sw, sh), interpolation=cv2.INTER_AREA) if scale < 1.0 else img.copy()
    k = max(3, round(max(sh, sw) * _BG_FEATURE_FRACTION)) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel, borderType=cv2.BORDER_REPLICATE)
    flat = bg.reshape(-1, 1 if bg.ndim == 2 else bg.shape[2])
    paper = np.maximum(np.percentile(flat, 90.0, axis=0).astype(np.float32), 1e-3)
    # Areas far darker than the paper that survive the closing are solid ink, not paper tone:
    # blend them towards the overall paper level (smoothly, so there is no visible seam).
    lo, hi = _BG_INK_RATIO
    keep = np.clip((bg / paper - lo) / (hi - lo), 0.0, 1.0)
    solid = keep < 1.0 if keep.ndim == 2 else np.all(keep < 1.0, axis=2)
    bg = bg * keep + paper * (1.0 - keep)
    bg = cv2.GaussianBlur(bg, (0, 0), sigmaX=k / 3.0, borderType=cv2.BORDER_REPLICATE)
    bg = np.maximum(bg, 1e-3)
    if scale < 1.0:
        bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)
    return bg.astype(np.float32), solid


def _flat_field_darkness(img: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Darkness float32 (H, W) 0..1 after dividing out the paper (colour lines count via min()),
    and the downscaled solid-ink mask of :func:`_paper_background`."""
    bg, solid = _paper_background(img)
    reflect = cv2.divide(img, bg)
    if reflect.ndim == 3:
        r, g, b = cv2.split(reflect)  # cv2.min is ~4x faster than ndarray.min(axis=2) here
        reflect = cv2.min(cv2.min(r, g), b)
    np.clip(reflect, 0.0, 1.0, out=reflect)
    return np.subtract(1.0, reflect, dtype=np.float32), solid


# --- colour-picture route -------------------------------------------------------------------------


def _is_colour_picture(img: np.ndarray) -> bool:
    """True when ``img`` (float32 (H, W, 3)) is a colour picture rather than a drawing.

    A colour picture has substantial saturated colour *areas* (surviving an opening, so coloured
    lines do not count) and either several hues or neutral dark lines besides the colour. Chroma is
    measured after white-balancing on the paper colour, so tinted paper is not colour. A drawing in
    one coloured ink (a blue-pencil sketch with dense hatching) is one hue without black lines: its
    colour *is* the ink, so it takes the drawing route.
    """
    sub = np.ascontiguousarray(_subsample(img, _STAT_PIXELS // 4))
    paper = np.percentile(sub.reshape(-1, 3), 90.0, axis=0).astype(np.float32)
    balanced = np.clip(sub / np.maximum(paper, 1e-3), 0.0, 1.0)
    hi, lo = balanced.max(axis=2), balanced.min(axis=2)
    chroma = hi - lo
    coloured = (chroma > _COLOUR_CHROMA).astype(np.uint8)
    k = max(3, round(max(coloured.shape) / 128)) | 1
    areas = cv2.morphologyEx(coloured, cv2.MORPH_OPEN, np.ones((k, k), np.uint8))
    if areas.mean() <= _COLOUR_AREA_FRACTION:
        return False
    hue = np.deg2rad(cv2.cvtColor(balanced, cv2.COLOR_RGB2HSV)[:, :, 0][coloured > 0])
    hue_concentration = float(np.hypot(np.cos(hue).mean(), np.sin(hue).mean()))
    neutral_dark = float(np.mean((chroma < _NEUTRAL_CHROMA) & (hi < _NEUTRAL_DARK)))
    return hue_concentration < _ONE_HUE_CONCENTRATION or neutral_dark > _NEUTRAL_DARK_FRACTION


def _line_contrast(img: np.ndarray) -> np.ndarray:
    """float32 (H, W) line strength of a colour picture (float32 (H, W, 3)), 0..1.

    A morphological closing of the grey image with a kernel a little wider than a line fills each
    stroke with the brightness around it and leaves fills (of any colour or darkness) and their
    straight edges unchanged; the stroke's darkness relative to that closing (a black-hat divided
    by the local brightness) is its strength. So a black outline reads as full ink whether it runs
    through white or beside a dark fill, and the inside of a flat fill reads as paper.
    """
    grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    k = max(7, round(max(grey.shape) / 100)) | 1
    closed = cv2.morphologyEx(
        grey, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8), borderType=cv2.BORDER_REPLICATE
    )
    # The floor on the divisor keeps JPEG noise inside very dark fills from being amplified.
    strength = (closed - grey) / np.maximum(closed, _MIN_LOCAL_BRIGHTNESS)
    return np.clip(strength, 0.0, 1.0).astype(np.float32)


# --- levels ---------------------------------------------------------------------------------------


def _levels(darkness: np.ndarray, solid: np.ndarray | None) -> np.ndarray:
    """Robust levels: paper noise floor → 0, typical strongest-stroke darkness → 1 (linear).

    solid: optional bool mask (any size, resized here) of solid-ink areas; they are left out of
    the black-point statistics so that a big dark object (a pencil lying on a photographed page)
    does not make the lines look faint.
    """
    sub2d = _subsample(darkness)
    sub = sub2d.ravel()
    med = float(np.median(sub))
    mad = float(np.median(np.abs(sub - med)))
    floor = float(np.clip(med + 4.0 * 1.4826 * mad, _MIN_NOISE_FLOOR, _MAX_NOISE_FLOOR))
    is_candidate = sub > floor + 0.05
    if solid is not None and solid.any():
        size = (sub2d.shape[1], sub2d.shape[0])
        line_like = cv2.resize(solid.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST) == 0
        if np.count_nonzero(is_candidate & line_like.ravel()) >= 16:
            is_candidate &= line_like.ravel()
    candidates = sub[is_candidate]
    if candidates.size >= max(16, sub.size // 10_000):
        black = float(np.percentile(candidates, _BLACK_PERCENTILE))
    else:
        black = 1.0
    black = max(black, floor + _MIN_BLACK_POINT)
    ink = (darkness - np.float32(floor)) * np.float32(1.0 / (black - floor))
    return np.clip(ink, 0.0, 1.0, out=ink).astype(np.float32, copy=False)


def _check_ink(ink: np.ndarray) -> None:
    if ink.ndim != 2:
        raise ValueError(f"ink must be (H, W), got shape {ink.shape}")
