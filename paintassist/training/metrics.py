"""Quality metrics for colorizations: evaluation code, used by the networks' evaluation
(``training.evaluate``) and the engine's benchmarks, never by the engine itself.

Images are uint8 RGB (H, W, 3). Colour differences are CIEDE2000 on CIELAB (D65), as in
``skimage.color.deltaE_ciede2000``; ΔE ≈ 1 is a just-noticeable difference, ΔE > 5 clearly another
colour.
"""

from __future__ import annotations

import cv2
import numpy as np
from skimage.color import deltaE_ciede2000, rgb2lab

from paintassist.core.regions import RegionMap
from paintassist.core.types import Hint, HintKind, HintSet

#: ΔE (CIEDE2000) under which an output colour "matches" a dot's colour in :func:`bleed`.
BLEED_DELTA_E = 5.0
#: Paper in CIELAB: lighter than this L* and greyer than this chroma (:func:`painted_mask`,
#: :func:`bleed`).
PAPER_MIN_L = 95.0
PAPER_MAX_CHROMA = 4.0


def _check_pair(a: np.ndarray, b: np.ndarray) -> None:
    if a.shape != b.shape:
        raise ValueError(f"images differ in shape: {a.shape} vs {b.shape}")
    if a.ndim != 3 or a.shape[2] != 3:
        raise ValueError(f"expected RGB (H, W, 3) images, got {a.shape}")


def _lab(rgb: np.ndarray) -> np.ndarray:
    """uint8 (..., 3) RGB → float64 (..., 3) CIELAB."""
    return np.asarray(rgb2lab(np.asarray(rgb, np.uint8).reshape(-1, 1, 3))).reshape(rgb.shape)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    """Peak signal-to-noise ratio (dB) between uint8 images of the same shape; inf if identical."""
    _check_pair(a, b)
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    if mse == 0.0:
        return float("inf")
    return float(10.0 * np.log10(255.0**2 / mse))


def mean_ciede2000(a: np.ndarray, b: np.ndarray, mask: np.ndarray | None = None) -> float:
    """Mean CIEDE2000 between uint8 RGB images (H, W, 3), over ``mask`` (bool (H, W)) if given."""
    _check_pair(a, b)
    pa, pb = _masked(a, mask), _masked(b, mask)
    if len(pa) == 0:
        return float("nan")
    # unique colour pairs: flats and composites repeat colours a lot, ΔE2000 is costly per pixel
    packed = (_pack(pa) << 24) | _pack(pb)
    uniq, inverse = np.unique(packed, return_inverse=True)
    ua = _unpack(uniq >> 24)
    ub = _unpack(uniq & 0xFFFFFF)
    de = deltaE_ciede2000(_lab(ua), _lab(ub))
    counts = np.bincount(inverse.ravel(), minlength=len(uniq))
    return float(np.sum(de * counts) / len(pa))


def _masked(rgb: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
    """(N, 3) pixels of ``rgb`` (H, W, 3) under ``mask`` (bool (H, W)); all of them without one."""
    pixels = rgb.reshape(-1, 3)
    if mask is None:
        return pixels
    if mask.shape != rgb.shape[:2]:
        raise ValueError(f"mask {mask.shape} does not match the image {rgb.shape[:2]}")
    return pixels[mask.ravel()]


def _check_line_mask(color: np.ndarray, line_mask: np.ndarray) -> None:
    if color.shape[:2] != line_mask.shape:
        raise ValueError(f"colour {color.shape} and line mask {line_mask.shape} differ in size")


def _pack(rgb: np.ndarray) -> np.ndarray:
    c = rgb.astype(np.int64)
    return (c[:, 0] << 16) | (c[:, 1] << 8) | c[:, 2]


def _unpack(code: np.ndarray) -> np.ndarray:
    return np.stack([(code >> 16) & 0xFF, (code >> 8) & 0xFF, code & 0xFF], axis=1).astype(np.uint8)


def sample_dot_hints(
    color: np.ndarray,
    line_mask: np.ndarray,
    n: int,
    rng: np.random.Generator,
    kind: HintKind = "accurate",
    patch: int = 5,
    size: float = 3.0,
) -> HintSet:
    """``n`` hints at distinct random non-line pixels, each the mean colour of the
    ``patch``×``patch`` box around it (as a user picking colours from a reference would).

    color: uint8 (H, W, 3) RGB; line_mask: bool (H, W); size: the hints' size (px, radius of a dot /
    side of a square). Fewer than ``n`` when there are fewer non-line pixels. Deterministic for a
    given ``rng`` state.
    """
    _check_line_mask(color, line_mask)
    w = line_mask.shape[1]
    free = np.flatnonzero(~line_mask.ravel())
    if len(free) == 0 or n <= 0:
        return HintSet()
    picks = rng.choice(free, size=min(n, len(free)), replace=False)
    mean = cv2.blur(color[..., :3].astype(np.float32), (patch, patch))
    ys, xs = np.divmod(picks, w)
    hints = []
    for y, x in zip(ys.tolist(), xs.tolist(), strict=True):
        r, g, b = (round(float(v)) for v in mean[y, x])
        hints.append(Hint(kind, float(x), float(y), (r, g, b), float(size)))
    return HintSet(tuple(hints))


def _dots_in(output: np.ndarray, hints: HintSet) -> list[Hint]:
    h, w = output.shape[:2]
    return [
        hint for hint in hints.accurate
        if 0 <= round(hint.x) < w and 0 <= round(hint.y) < h
    ]


def hint_fidelity(output: np.ndarray, hints: HintSet) -> float:
    """Mean CIEDE2000 between ``output`` (uint8 (H, W, 3)) at each accurate dot's centre and the
    dot's colour; nan without dots inside the image."""
    dots = _dots_in(output, hints)
    if not dots:
        return float("nan")
    got = np.array([output[round(d.y), round(d.x), :3] for d in dots], np.uint8)
    want = np.array([d.rgb for d in dots], np.uint8)
    return float(np.mean(deltaE_ciede2000(_lab(got), _lab(want))))


#: A dot's centre is on paper (no ink drawn over it in the composite) below this ink level.
PAPER_INK = 0.1


def dots_on_paper(hints: HintSet, ink: np.ndarray, max_ink: float = PAPER_INK) -> HintSet:
    """The accurate dots of ``hints`` whose centre has ink below ``max_ink`` (``ink`` float32
    (H, W) 0..1). A dot on a light pencil stroke colours the area under it, and the composite
    draws the stroke over that colour, as it should: there the composite is the stroke's
    darkness away from the dot by design (ΔE 15-20 at ink 0.3), and the ``color`` layer carries
    the check."""
    return HintSet(tuple(d for d in _dots_in(ink, hints) if ink[round(d.y), round(d.x)] < max_ink))


def bleed(output: np.ndarray, regmap: RegionMap, hints: HintSet) -> float:
    """Share of pixels where a dot's colour crossed a closed line.

    Considered pixels: the paper (non-line) pixels of the closed areas (``regmap.closed``: connected
    paper without gap closing) that contain at least one accurate dot centre. A considered pixel
    *bleeds* when its output colour is within ΔE 5 of a dot that lies in a DIFFERENT closed area
    while being farther than ΔE 5 from every dot of its own area. Returns bleeding / considered
    (0.0 when nothing is considered). A pixel whose own area's dots share a colour with a dot
    elsewhere never counts, so repeated colours across areas do not inflate the figure; nor does
    a paper-white pixel (:data:`PAPER_MIN_L`, :data:`PAPER_MAX_CHROMA`): left unpainted it
    carries no dot's colour, though a near-white dot (an eye white, a pale face) lies within ΔE 5
    of it (on one real pair that alone counted half the page as bleeding).
    """
    if output.shape[:2] != regmap.shape:
        raise ValueError(f"output {output.shape} does not match the regions {regmap.shape}")
    dots = [d for d in _dots_in(output, hints) if regmap.closed[round(d.y), round(d.x)] >= 0]
    if not dots:
        return 0.0
    dot_area = np.array([regmap.closed[round(d.y), round(d.x)] for d in dots], np.int64)
    areas, dot_area_idx = np.unique(dot_area, return_inverse=True)
    n_closed = int(regmap.closed.max()) + 1
    area_index = np.full(n_closed + 1, -1, np.int64)  # closed id + 1 → index into ``areas``
    area_index[areas + 1] = np.arange(len(areas))
    pix_area = area_index[regmap.closed.ravel() + 1]
    considered = pix_area >= 0
    n_considered = int(considered.sum())
    if n_considered == 0 or len(areas) < 2:
        return 0.0
    colours = _pack(output.reshape(-1, 3)[considered])
    pix_area = pix_area[considered]
    uniq, inverse = np.unique(colours, return_inverse=True)
    dot_lab = _lab(np.array([d.rgb for d in dots], np.uint8))
    uniq_lab = _lab(_unpack(uniq))
    de = np.concatenate([  # (U, K), in blocks to bound memory
        deltaE_ciede2000(block[:, None, :], dot_lab[None, :, :])
        for block in np.array_split(uniq_lab, max(1, len(uniq_lab) // 16384))
    ])
    # per unique colour, the closest dot of each area: (U, A)
    per_area = np.full((len(uniq), len(areas)), np.inf)
    for k in range(len(dots)):
        a = dot_area_idx[k]
        per_area[:, a] = np.minimum(per_area[:, a], de[:, k])
    # closest dot of any OTHER area: the best area unless that is the pixel's own, else second best
    order = np.argsort(per_area, axis=1)
    best_area, second_area = order[:, 0], order[:, 1]
    rows = np.arange(len(uniq))
    best, second = per_area[rows, best_area], per_area[rows, second_area]
    inverse = inverse.ravel()
    own = per_area[inverse, pix_area]
    other = np.where(best_area[inverse] == pix_area, second[inverse], best[inverse])
    bleeding = (own > BLEED_DELTA_E) & (other < BLEED_DELTA_E)
    # paper is no dot's colour: left white it has not bled, even next to a near-white dot
    paper = (uniq_lab[:, 0] > PAPER_MIN_L) & (np.hypot(uniq_lab[:, 1], uniq_lab[:, 2])
                                              < PAPER_MAX_CHROMA)
    bleeding &= ~paper[inverse]
    return float(bleeding.sum() / n_considered)


def mean_chroma(rgb: np.ndarray, mask: np.ndarray | None = None) -> float:
    """Mean CIELAB chroma ``sqrt(a² + b²)`` of a uint8 RGB image (H, W, 3), over ``mask`` (bool
    (H, W)) if given; 0 for greys, nan for an empty mask."""
    pixels = _masked(rgb, mask)
    if len(pixels) == 0:
        return float("nan")
    uniq, counts = np.unique(_pack(pixels), return_counts=True)
    lab = _lab(_unpack(uniq))
    chroma = np.hypot(lab[:, 1], lab[:, 2])
    return float(np.sum(chroma * counts) / len(pixels))


def painted_mask(color: np.ndarray, line_mask: np.ndarray) -> np.ndarray:
    """bool (H, W): the pixels a colour image paints — neither line (``line_mask``) nor paper
    (L* > 95 with chroma < 4). ``color``: uint8 (H, W, 3)."""
    _check_line_mask(color, line_mask)
    lab = _lab(color[..., :3])
    paper = (lab[..., 0] > PAPER_MIN_L) & (np.hypot(lab[..., 1], lab[..., 2]) < PAPER_MAX_CHROMA)
    return np.asarray(~line_mask & ~paper)


#: Hue families for :func:`hue_families`: six 60° sectors of the CIELAB hue angle h_ab, the first
#: starting at 15° (red-orange: skin, brown hair; yellow; green; cyan; blue-violet; magenta-pink).
HUE_SECTOR_START = 15.0
#: a family counts when this share of the painted pixels lies in it with chroma ≥ the floor below
FAMILY_SHARE = 0.03
FAMILY_MIN_CHROMA = 10.0


def hue_families(rgb: np.ndarray, mask: np.ndarray | None = None) -> int:
    """How many distinct hue families a uint8 RGB image (H, W, 3) shows over ``mask`` (bool
    (H, W)): of the six 60° sectors of CIELAB hue (from :data:`HUE_SECTOR_START`), those holding at
    least :data:`FAMILY_SHARE` of the masked pixels with chroma ≥ :data:`FAMILY_MIN_CHROMA`. A
    beige wash has one; hair, skin and clothes of different colours have three or more."""
    pixels = _masked(rgb, mask)
    if len(pixels) == 0:
        return 0
    uniq, counts = np.unique(_pack(pixels), return_counts=True)
    lab = _lab(_unpack(uniq))
    chroma = np.hypot(lab[:, 1], lab[:, 2])
    hue = np.degrees(np.arctan2(lab[:, 2], lab[:, 1])) % 360.0
    sector = (((hue - HUE_SECTOR_START) % 360.0) // 60.0).astype(np.int64)
    vivid = chroma >= FAMILY_MIN_CHROMA
    per = np.bincount(sector[vivid], weights=counts[vivid], minlength=6)
    return int(np.sum(per >= FAMILY_SHARE * len(pixels)))
