"""The figure an open outline leaves on the page background, coloured by the network.

A sketch's outline is open: a leg or an arm drawn with two strokes that never meet the rest of the
figure is, through the gaps, the page around it. Its regions never close against the page border
even at the coarsest gap scale (:mod:`paintassist.core.regions`), so they are the page background,
and the page background stays paper until the artist says otherwise. On the anime-art test
clusters that left a third of the painted pixels white with no hints (the network had painted
them: skin, a skirt, socks), the largest part of the gap between the networks' chroma and the
truth's.

:func:`open_figure_cells` takes the pixels of the page background that are *inside the figure*
(:func:`inside_figure`: enclosed by the ink once its gaps are closed; measured, a 14 px gap closes on a
400 px page and an 18 px one does not) and that the network
paints (not paper-like: :data:`PAPER_MIN_L`, :data:`PAPER_MAX_CHROMA`). A painted blob whose border
runs mostly along the open page (more than :data:`MAX_OPEN_BORDER`) is a wash fading into the
page and stays paper. The rest is quantised into at most :data:`MAX_COLOURS` colours (k-means in
CIELAB, lightness down-weighted, then a mode filter against speckle), and each colour covering at
least :data:`MIN_CELL_SHARE` of the page becomes a region of its own (its parts may lie apart),
with the network's median colour.
A page background that a hint decides (a dot on it) is left to the hint.

The pipeline does this with hints too. It used to only on a page with no hints: a dot on the
page background coloured the whole page, so an open figure with one dot on it lost the rest of
its colours. A dot there now colours its reach only (:func:`paintassist.core.flatten.split_by_dots`),
and the open paper the dots leave keeps the network's colours: on 20 anime-test images at 2 / 10 /
50 dots, +0.28 / +0.10 / +0.07 dB on top of the reach (first version, inside/outside only).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from paintassist.core.regions import RegionMap
from paintassist.core.shading import light_greys

#: The figure's gaps up to twice this share of the page's long side are closed to find what it
#: encloses (:func:`inside_figure`).
CLOSE_SHARE = 0.035
#: Ink components smaller than this (px) are specks, not the figure's ink.
SPECK_PX = 12
#: The network's colour is paper there when it is this light and this grey (Lab L*, chroma).
PAPER_MIN_L = 80.0
PAPER_MAX_CHROMA = 9.0
#: A painted blob whose border runs more than this share along the open page (paper the network
#: leaves white, not ink) is a wash fading into the page, not a part of the figure.
MAX_OPEN_BORDER = 0.4
#: Colours the network's paint on the open figure is quantised to (k-means in CIELAB).
MAX_COLOURS = 6
#: A blob, or a colour's cell, smaller than this share of the page (or than
#: ``4 × min_region_px``) stays paper.
MIN_CELL_SHARE = 0.0015
#: The patches are found at this long side (px) at most, then cut from the full-size page.
WORK_SIDE = 320
#: At that size a pixel is ink when ink covers at least this share of it (thin lines survive).
LINE_COVER = 0.2
#: Median filter (px) on the network's colour before quantising: patches follow areas, not noise.
SMOOTH_PX = 5
#: k-means sees at most this many pixels (a fixed-seed subsample); every pixel takes its nearest.
KMEANS_SAMPLE = 20_000
#: Weight of L* against a*, b* in the k-means distance: the flats are one colour per material and
#: the shading layer carries the light, so a lit and a shaded part of one skirt stay one cell.
L_WEIGHT = 0.4
#: Each pixel then takes the colour most of its neighbours have in a window this wide (px), so
#: the patches have no speckle at the colours' borders.
MODE_PX = 9


@dataclass(frozen=True, slots=True)
class FigurePatches:
    """The open figure found on a page: ``cells`` uint8 (H, W), 0 off the figure, else the
    patch (1..n) of each pixel (open page paper only); ``colours`` uint8 (n, 3), the network's
    median colour of each patch."""

    cells: np.ndarray
    colours: np.ndarray

    @property
    def nbytes(self) -> int:
        return int(self.cells.nbytes + self.colours.nbytes)


@dataclass(frozen=True, slots=True)
class FigureCells:
    """Regions added to a map: ``regmap`` (``base`` = the map they were cut from; new ids from
    ``base.count`` on) and ``colours`` uint8 (new cells, 3), the network's median colour of each."""

    regmap: RegionMap
    colours: np.ndarray


def inside_figure(line_mask: np.ndarray, close_share: float = CLOSE_SHARE) -> np.ndarray:
    """bool (H, W): the paper the figure's ink encloses once its gaps up to
    2 × ``close_share`` of the long side are closed (``line_mask`` bool (H, W)): a morphological
    closing of the ink without its specks (components under :data:`SPECK_PX` px), then the
    holes it leaves. The page's bottom edge counts as ink: a figure cut by it (legs, a bust) still
    encloses its parts; the other edges do not, so the page round a figure is never inside. The
    paper between a twin tail and the head, open to the page through a wide gap, is not."""
    h, w = line_mask.shape
    _, comp, stats, _ = cv2.connectedComponentsWithStats(line_mask.view(np.uint8), connectivity=8)
    keep = stats[:, cv2.CC_STAT_AREA] >= SPECK_PX
    keep[0] = False
    r = max(1, round(close_share * max(h, w)))
    ink = np.zeros((h + 2 * r + 2, w + 2 * r + 2), np.uint8)  # room for the closing at the edges
    ink[r + 1: r + 1 + h, r + 1: r + 1 + w] = keep[comp]
    ink[r + h:, r + 1: r + 1 + w] = 1  # the bottom edge
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, disc)
    outside = closed.copy()
    cv2.floodFill(outside, None, (0, 0), 2)
    return np.asarray(outside[r + 1: r + 1 + h, r + 1: r + 1 + w] != 2)


def figure_interior(line_mask: np.ndarray, close_share: float = CLOSE_SHARE) -> np.ndarray:
    """bool (H, W): :func:`inside_figure` of ``line_mask`` (bool (H, W)), found at
    :data:`WORK_SIDE` px at most (lines kept where ink covers :data:`LINE_COVER` of a pixel) and
    upsampled: the closing's disc grows with the page, ~5 ms at that size."""
    h, w = line_mask.shape
    f = min(1.0, WORK_SIDE / max(h, w))
    if f == 1.0:
        return inside_figure(line_mask, close_share)
    size = (max(1, round(w * f)), max(1, round(h * f)))
    line_s = _small(line_mask.astype(np.float32), size) >= LINE_COVER
    inside = inside_figure(line_s, close_share).view(np.uint8)
    return np.asarray(cv2.resize(inside, (w, h), interpolation=cv2.INTER_NEAREST) > 0)


def _quantise(lab: np.ndarray, k: int) -> np.ndarray:
    """int32 (N,): nearest of ``k`` k-means centres (fit on a fixed-seed subsample) of float32
    ``lab`` (N, 3)."""
    if len(lab) <= k:
        return np.arange(len(lab), dtype=np.int32)
    rng = np.random.default_rng(0)
    sample = lab if len(lab) <= KMEANS_SAMPLE else lab[rng.choice(len(lab), KMEANS_SAMPLE,
                                                                  replace=False)]
    cv2.setRNGSeed(0)
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 12, 0.5)
    data = np.ascontiguousarray(sample, np.float32)
    _, _, centres = cv2.kmeans(data, k, np.zeros((len(data), 1), np.int32), criteria, 1,
                               cv2.KMEANS_PP_CENTERS)
    d = ((lab[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    return np.asarray(np.argmin(d, axis=1), np.int32)


def _mode_filter(rows: np.ndarray, cols: np.ndarray, cluster: np.ndarray, k: int,
                 shape: tuple[int, int]) -> np.ndarray:
    """int32 (H, W): at the pixels ``(rows, cols)`` the cluster (of ``k``) most of their
    :data:`MODE_PX` window holds, -1 elsewhere; ``cluster`` int32 (N,) per pixel."""
    votes = np.empty((k, *shape), np.float32)
    for c in range(k):
        plane = np.zeros(shape, np.float32)
        plane[rows[cluster == c], cols[cluster == c]] = 1.0
        votes[c] = cv2.boxFilter(plane, -1, (MODE_PX, MODE_PX), normalize=False)
    out = np.full(shape, -1, np.int32)
    out[rows, cols] = np.argmax(votes[:, rows, cols], axis=0)
    return out


def _enclosed(painted: np.ndarray, held: np.ndarray, min_px: int) -> np.ndarray:
    """bool (H, W): the connected blobs of ``painted`` (bool (H, W)) of at least ``min_px`` px
    whose border runs along ``held`` (bool (H, W)) for at least ``1 - MAX_OPEN_BORDER`` of it."""
    n, comp, stats, _ = cv2.connectedComponentsWithStats(painted.view(np.uint8), connectivity=4)
    keep = np.zeros(n, bool)
    h, w = painted.shape
    for i in range(1, n):
        if stats[i, cv2.CC_STAT_AREA] < min_px:
            continue
        x, y, bw, bh = stats[i, :4]
        box = (slice(max(0, y - 1), min(h, y + bh + 1)), slice(max(0, x - 1), min(w, x + bw + 1)))
        blob = comp[box] == i
        ring = cv2.dilate(blob.view(np.uint8), np.ones((3, 3), np.uint8)).view(bool) & ~blob
        keep[i] = not ring.any() or float((~held[box][ring]).mean()) <= MAX_OPEN_BORDER
    return np.asarray(keep[comp])


def _small(img: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``img`` area-downscaled to ``size`` (w, h); itself when it already is that size."""
    if img.shape[1] == size[0] and img.shape[0] == size[1]:
        return img
    return cv2.resize(img, size, interpolation=cv2.INTER_AREA)


def find_patches(
    regmap: RegionMap, color: np.ndarray, decided: np.ndarray,
    allowed: np.ndarray | None = None,
) -> FigurePatches | None:
    """The open figure's patches on the page background (module docstring), or None.

    regmap: the map the palette was made on; color: uint8 (H, W, 3) the network's colours at its
    size; decided: bool (count,), the regions a hint decides (their colour is the hint's) or that
    stay paper. Only page-background regions not in ``decided`` are cut, and with ``allowed``
    (bool (H, W)) only its pixels (on a hinted page: where the page with no hints has its open
    figure).

    The patches are found at :data:`WORK_SIDE` px at most (the network's colours are smooth; ~20 ms
    on a 768-px page) and cut from the open page's paper at full size, so a cell never crosses
    ink or takes another region's pixels."""
    if color.shape[:2] != regmap.shape:
        raise ValueError(f"colour image {color.shape} does not match the regions {regmap.shape}")
    open_bg = regmap.page_background & ~decided
    if not open_bg.any():
        return None
    h, w = regmap.shape
    open_px = open_bg[regmap.labels] & ~regmap.line_mask
    f = min(1.0, WORK_SIDE / max(h, w))
    size = (max(1, round(w * f)), max(1, round(h * f)))
    line_s = _small(regmap.line_mask.astype(np.float32), size) >= LINE_COVER
    open_s = (_small(open_px.astype(np.float32), size) >= 0.5) & ~line_s
    cand = open_s & inside_figure(line_s)
    if allowed is not None:
        cand &= _small(allowed.astype(np.float32), size) >= 0.5
    if not cand.any():
        return None
    colour_s = _small(np.ascontiguousarray(color[..., :3], np.uint8), size)
    smooth = cv2.medianBlur(colour_s, SMOOTH_PX)
    min_px_full = max(4 * regmap.min_region_px, round(MIN_CELL_SHARE * h * w))
    min_px = max(4, round(min_px_full * f * f))
    painted = np.zeros(open_s.shape, bool)
    painted[cand] = ~light_greys(smooth[cand], PAPER_MIN_L, PAPER_MAX_CHROMA)
    # held: what a part of the figure may border; the open page (paper left white) is not
    painted = _enclosed(painted, ~open_s | painted, min_px)
    if int(painted.sum()) < min_px:
        return None
    rows, cols = np.nonzero(painted)
    pix = smooth[rows, cols]
    lab = cv2.cvtColor(pix.reshape(-1, 1, 3), cv2.COLOR_RGB2LAB).reshape(-1, 3).astype(np.float32)
    lab[:, 0] *= L_WEIGHT
    k = min(MAX_COLOURS, max(1, len(pix) // min_px))
    cluster = _mode_filter(rows, cols, _quantise(lab, k), k, open_s.shape)
    # one cell per colour (the mode filter took the speckle off; a colour's parts share it)
    colours = [np.median(colour_s[cluster == c], axis=0) if (cluster == c).any()
               else np.zeros(3) for c in range(k)]  # a colour the mode filter emptied: no cell
    cells = cluster + 1  # 0 = none
    full = cells if f == 1.0 else cv2.resize(cells, (w, h), interpolation=cv2.INTER_NEAREST)
    full = np.where(open_px, full, 0)
    counts = np.bincount(full.ravel(), minlength=k + 1)
    ids = np.flatnonzero(counts[1:] >= min_px_full) + 1
    if ids.size == 0:
        return None
    renumber = np.zeros(k + 1, np.uint8)  # at most MAX_COLOURS patches
    renumber[ids] = np.arange(1, ids.size + 1, dtype=np.uint8)
    picked = np.clip(np.rint(np.asarray(colours)[ids - 1]), 0, 255).astype(np.uint8)
    return FigurePatches(renumber[full], picked)


def add_patches(regmap: RegionMap, patches: FigurePatches) -> FigureCells:
    """``regmap`` with each patch a region of its own (ids from ``regmap.count`` on, depth
    ``max_depth - 1``: not the page background any more); the patches must lie on its open page
    (:func:`find_patches` on this map or one with the same page background)."""
    n = len(patches.colours)
    sel = patches.cells > 0
    # parent: the page-background region holding most of each cell
    parents = [int(np.bincount(regmap.labels[patches.cells == i]).argmax())
               for i in range(1, n + 1)]
    labels = np.where(sel, patches.cells.astype(np.int32) + (regmap.count - 1),
                      regmap.labels).astype(np.int32)
    # a cell's line pixels stay with the region they bordered (lines go to regions by distance)
    idx = np.concatenate([np.arange(regmap.count), parents]).astype(np.intp)
    depth = regmap.depths[idx].copy()
    depth[regmap.count:] = regmap.max_depth - 1
    assert regmap.home is not None and regmap.core is not None
    out = RegionMap(labels, regmap.line_mask, regmap.count + n, regmap.background,
                    regmap.closed, depth=depth, levels=regmap.levels, ink=regmap.ink,
                    min_region_px=regmap.min_region_px, base=regmap, home=regmap.home[idx],
                    core=regmap.core[idx])
    return FigureCells(out, patches.colours)


def open_figure_cells(
    regmap: RegionMap, color: np.ndarray, decided: np.ndarray
) -> FigureCells | None:
    """:func:`find_patches` then :func:`add_patches`: the map with the open figure's cells, or
    None when there are none."""
    patches = find_patches(regmap, color, decided)
    return None if patches is None else add_patches(regmap, patches)
