"""Flats: one colour per region, from hints (classical path) or from a colour image (networks).

An accurate dot's colour is exact in the region under its centre (the latest dot wins; a dot in a
merged speck of paper is skipped, see :func:`_apply_dots`). On the classical path a region without
a dot takes the draft square covering it, else the colour that reaches it through paper (region
adjacency across non-line boundaries: closed gaps and necks, never across a line), else — a guess,
so that every region is coloured — a pale tint (:data:`GUESS_TINT`) of the colour of the nearest
coloured region across lines; the background region without a hint of its own stays white unless
reached through paper. Distances between regions are geodesic over region centroids.

:func:`split_by_dots` (optional, before the palette) splits a region holding far-apart dots of
different colours into geodesic cells, so sketchy line art with open strokes keeps each dot's colour
around it; on the real pairs it is what makes the classical path at least as good as G'MIC's
Propagation (``bench/bench_quality.py``).
"""

from __future__ import annotations

import cv2
import numpy as np
from scipy.ndimage import find_objects
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import Delaunay

from paintassist.core.regions import RegionMap
from paintassist.core.types import Hint, HintSet

#: A draft square colours a region when it covers at least this share of the region's pixels
#: (or when its centre lies in the region).
MIN_SQUARE_SHARE = 0.25
#: Share of the neighbour's colour in an across-line guess (the rest is paper white): a region no
#: hint reaches is a guess, and a pale tint of the nearest colour is both visibly provisional to the
#: artist and the smaller error when the guess is wrong (bench_quality: +0.4 dB PSNR, -0.7 ΔE2000
#: at 10 dots against the full colour).
GUESS_TINT = 0.5


def _dot_region(regmap: RegionMap, hint: Hint) -> int | None:
    """Region under the hint's centre, or None when the centre lies outside the image."""
    h, w = regmap.shape
    col, row = round(hint.x), round(hint.y)
    if not (0 <= col < w and 0 <= row < h):
        return None
    return int(regmap.labels[row, col])


def _apply_squares(
    regmap: RegionMap, squares: HintSet, colour: np.ndarray, has: np.ndarray
) -> None:
    """Colour regions from draft squares in place: per region the square covering the largest
    share of its pixels (≥ MIN_SQUARE_SHARE, or holding the square's centre); later squares win
    ties."""
    h, w = regmap.shape
    best = np.full(regmap.count, -1.0)
    areas = np.maximum(regmap.areas, 1)
    for hint in squares:
        half = hint.half_extent
        x0, x1 = max(0, round(hint.x - half)), min(w, round(hint.x + half))
        y0, y1 = max(0, round(hint.y - half)), min(h, round(hint.y + half))
        if x1 <= x0 or y1 <= y0:
            continue
        counts = np.bincount(regmap.labels[y0:y1, x0:x1].ravel(), minlength=regmap.count)
        share = counts / areas
        ok = share >= MIN_SQUARE_SHARE
        centre = _dot_region(regmap, hint)
        if centre is not None:
            ok[centre] = True
        win = ok & (counts > 0) & (share >= best)
        best[win] = share[win]
        colour[win] = hint.rgb
        has[win] = True


def _apply_dots(regmap: RegionMap, dots: HintSet, colour: np.ndarray, has: np.ndarray) -> None:
    """Dot colours in place, in order, so the latest dot in a region wins.

    A dot in a speck of paper merged into a neighbour across its outline is skipped: its colour
    would cross a closed line. A closed area smaller than the smallest region cannot hold a region
    of its own, so it is such a speck (segmentation merged it, being under ``min_region_px``) when
    it is also a minority of the region it landed in.
    """
    smallest = int(regmap.paper_areas.min()) if regmap.count else 0
    for hint in dots:
        region = _dot_region(regmap, hint)
        if region is None:
            continue
        area = int(regmap.closed[round(hint.y), round(hint.x)])
        size = regmap.closed_areas[area] if area >= 0 else smallest
        if size < smallest and 2 * size < regmap.paper_areas[region]:
            continue
        colour[region] = hint.rgb
        has[region] = True


def _nearest_source(regmap: RegionMap, pairs: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """For each region, the source region nearest along ``pairs`` (geodesic over centroids),
    -1 where none is reachable. pairs: int (E, 2); sources: bool (count,)."""
    n = regmap.count
    src_idx = np.flatnonzero(sources)
    out = np.full(n, -1, np.int64)
    if len(src_idx) == 0:
        return out
    out[src_idx] = src_idx
    if len(pairs) == 0:
        return out
    c = regmap.centroids
    weight = np.hypot(*(c[pairs[:, 0]] - c[pairs[:, 1]]).T) + 1e-3
    graph = coo_matrix((weight, (pairs[:, 0], pairs[:, 1])), shape=(n, n)).tocsr()
    _, _, nearest = dijkstra(
        graph, directed=False, indices=src_idx, min_only=True, return_predecessors=True
    )
    reached = nearest >= 0
    out[reached] = nearest[reached]
    return out


def _hinted(regmap: RegionMap, hints: HintSet) -> tuple[np.ndarray, np.ndarray]:
    """Colours the hints decide: draft squares and accurate dots in their regions, then through
    paper (closed gaps, necks: never across a line) to the regions of the same closed area.
    Returns (colour int64 (count, 3), has bool (count,))."""
    n = regmap.count
    colour = np.zeros((n, 3), np.int64)
    has = np.zeros(n, bool)
    if len(hints) == 0:
        return colour, has
    _apply_squares(regmap, hints.draft, colour, has)
    _apply_dots(regmap, hints.accurate, colour, has)
    if has.any():
        near = _nearest_source(regmap, regmap.adjacency().open_pairs, has)
        reached = (near >= 0) & ~has
        colour[reached] = colour[near[reached]]
        has |= reached
    return colour, has


def classical_palette(regmap: RegionMap, hints: HintSet) -> np.ndarray:
    """Palette uint8 (count, 3) from hints alone (see the module docstring).

    No hints at all → white everywhere. The background region without a hint of its own stays
    white unless a colour reaches it through paper.
    """
    palette = np.full((regmap.count, 3), 255, np.uint8)
    colour, has = _hinted(regmap, hints)
    if not has.any():
        return palette
    # the rest: nearest coloured region across lines (the background keeps its paper white)
    if not has.all():
        near = _nearest_source(regmap, regmap.adjacency().pairs, has)
        guess = (near >= 0) & ~has
        if regmap.background >= 0:
            guess[regmap.background] = False
        tinted = colour[near[guess]] * GUESS_TINT + 255.0 * (1.0 - GUESS_TINT)
        colour[guess] = np.round(tinted).astype(np.int64)
        has |= guess
    palette[has] = colour[has].astype(np.uint8)
    return palette


#: Dots of one region closer than this (px) act as one: the latest of them wins (a re-colouring).
SPLIT_MERGE_PX = 12.0


def _dot_clusters(dots: list[Hint], merge_px: float) -> list[list[int]]:
    """Group dot indices: same colour or closer than ``merge_px`` (transitively).

    O(n log n): two dots closer than ``merge_px`` are joined by a chain of Delaunay edges each
    shorter than that (the Euclidean minimum spanning tree is part of the triangulation), so the
    triangulation's short edges give the same groups as comparing every pair."""
    parent = list(range(len(dots)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_of_colour: dict[tuple[int, int, int], int] = {}
    for i, dot in enumerate(dots):
        j = first_of_colour.setdefault(dot.rgb, i)
        parent[find(i)] = find(j)
    for i, j in _close_pairs(np.array([(d.x, d.y) for d in dots], np.float64), merge_px):
        parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(dots)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def _close_pairs(xy: np.ndarray, dist: float) -> list[tuple[int, int]]:
    """Pairs (i, j) of points ``xy`` (n, 2) closer than ``dist`` whose transitive closure equals
    that of all such pairs: the short Delaunay edges (all pairs when n is tiny)."""
    n = len(xy)
    if n < 2:
        return []
    if n <= 8:
        pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    else:
        # QJ joggles the input by ~1e-11 so repeated and collinear dots triangulate too.
        tri = Delaunay(xy, qhull_options="QJ")
        s = tri.simplices
        edges = np.concatenate([s[:, [0, 1]], s[:, [1, 2]], s[:, [0, 2]]])
        pairs = [(int(i), int(j)) for i, j in np.unique(np.sort(edges, axis=1), axis=0)]
    return [(i, j) for i, j in pairs if float(np.hypot(*(xy[i] - xy[j]))) < dist]


def _geodesic_cells(
    mask: np.ndarray, line: np.ndarray, seeds: list[list[tuple[int, int]]]
) -> np.ndarray:
    """Split ``mask`` (bool (h, w)) into cells grown breadth-first inside it from each seed group
    (``(row, col)`` pixels); paper first, line pixels (bool (h, w)) only where paper cannot reach,
    so open strokes inside the region still steer the cells' borders.
    Returns int32 (h, w), cell 0..k-1 inside the mask, -1 outside."""
    h, w = mask.shape
    markers = np.zeros((h + 2, w + 2), np.int32)
    for k, group in enumerate(seeds):
        for row, col in group:
            markers[row + 1, col + 1] = k + 1
    grey = np.full((h + 2, w + 2), 255, np.uint8)
    inner = grey[1:-1, 1:-1]
    inner[mask & line] = 128  # crossing a line costs more than paper, leaving the region most
    inner[mask & ~line] = 0
    cv2.watershed(cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR), markers)
    cells = markers[1:-1, 1:-1]
    valid = mask & (cells > 0)
    _, nearest = cv2.distanceTransformWithLabels(
        (~valid).view(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_5, labelType=cv2.DIST_LABEL_PIXEL
    )
    filled = np.where(valid, cells, cells[valid][np.maximum(nearest, 1) - 1])
    return np.where(mask, filled - 1, -1).astype(np.int32)


def split_by_dots(regmap: RegionMap, hints: HintSet, merge_px: float = SPLIT_MERGE_PX) -> RegionMap:
    """Split each region that holds accurate dots of different colours, far apart, into geodesic
    cells (one per group of dots; dots of one colour or closer than ``merge_px`` form a group), so
    open line art (unclosed strokes merging hair, dress and paper into one region) keeps each dot's
    colour around the dot instead of letting the latest dot repaint everything.

    Returns ``regmap`` itself when nothing splits, else a new RegionMap: cell of a region's first
    group keeps the region's id, the others get new ids from ``regmap.count`` on. Pure function of
    (regions, dot positions and colours); cost ~ the split regions' bounding boxes.
    """
    by_region: dict[int, list[Hint]] = {}
    for hint in hints.accurate:
        region = _dot_region(regmap, hint)
        if region is not None:
            by_region.setdefault(region, []).append(hint)
    labels: np.ndarray | None = None
    boxes: list[tuple[slice, slice] | None] = []
    count = regmap.count
    for region, dots in by_region.items():
        if len(dots) < 2:
            continue
        groups = _dot_clusters(dots, merge_px)
        if len(groups) < 2:
            continue
        if labels is None:
            labels = regmap.labels.copy()
            boxes = find_objects(regmap.labels + 1)  # bounding boxes of all regions in one pass
        box = boxes[region]
        assert box is not None  # a dot lies in it
        y, x = box[0].start, box[1].start
        mask = regmap.labels[box] == region
        seeds = [[(round(dots[i].y) - y, round(dots[i].x) - x) for i in g] for g in groups]
        cells = _geodesic_cells(mask, regmap.line_mask[box], seeds)
        new_ids = np.array([region, *range(count, count + len(groups) - 1)], np.int32)
        view = labels[box]
        view[mask] = new_ids[cells[mask]]
        count += len(groups) - 1
    if labels is None:
        return regmap
    return RegionMap(labels, regmap.line_mask, count, regmap.background, regmap.closed)


def _region_medians(labels: np.ndarray, values: np.ndarray, count: int) -> np.ndarray:
    """Per-region median of uint8 ``values`` (N,) with region ``labels`` (N,): int64 (count,),
    -1 for regions without values. Vectorised with per-region 256-bin histograms."""
    hist = np.bincount(labels.astype(np.int64) * 256 + values, minlength=count * 256)
    hist = hist.reshape(count, 256)
    n = hist.sum(axis=1)
    cdf = np.cumsum(hist, axis=1)
    med = np.argmax(2 * cdf >= n[:, None], axis=1).astype(np.int64)
    med[n == 0] = -1
    return med


#: With ``paper_snap``, a region whose predicted colour is this light and this grey is paper:
#: networks paint a light grey wash where they are unsure. Off by default: on the evaluation sets it
#: cost 0.3-0.6 dB (light neutral areas in the ground truth are not always paper), and leaving
#: white flats unshaded (core.shading) already keeps the page clean. Lab L* (0..100) and chroma.
PAPER_MIN_L = 78.0
PAPER_MAX_CHROMA = 8.0


def _paper_like(palette: np.ndarray) -> np.ndarray:
    """bool (count,): palette entries light and neutral enough to be paper."""
    lab = (
        cv2.cvtColor(palette.reshape(-1, 1, 3), cv2.COLOR_RGB2LAB).reshape(-1, 3).astype(np.float32)
    )
    lightness = lab[:, 0] * (100.0 / 255.0)
    chroma = np.hypot(lab[:, 1] - 128.0, lab[:, 2] - 128.0)
    return (lightness >= PAPER_MIN_L) & (chroma <= PAPER_MAX_CHROMA)


def palette_from_color(
    regmap: RegionMap,
    color: np.ndarray,
    hints: HintSet,
    *,
    paper_snap: bool = False,
    keep_background: bool = True,
    chroma_gain: float = 1.0,
) -> np.ndarray:
    """Palette uint8 (count, 3): what the hints decide, the network's colour elsewhere.

    Regions the hints decide — a draft square's or an accurate dot's region and the regions joined
    to it through paper (one closed area that segmentation cut in parts), exactly as on the
    classical path — take the hint's exact colour; every other region takes its per-channel median
    of ``color`` over its paper pixels (all its pixels if it has none), robust to a few stray
    pixels. So the network never repaints what the artist set, and a hint's colour never stops
    short of the line that closes its area (the network's own spread does, which measured as
    bleed). color: uint8 (H, W, 3) RGB at the regions' resolution.
    paper_snap: regions no hint decides whose colour is light and neutral (:data:`PAPER_MIN_L`,
    :data:`PAPER_MAX_CHROMA`) become white paper.
    keep_background: the background region (largest, touching the border) stays white paper unless
    a hint decides it — as on the classical path; a manga page's background is paper until the
    artist says otherwise.
    chroma_gain: CIELAB chroma factor for the network's colours (hinted colours are never
    changed). The pipeline leaves it at 1: an L1-trained net predicts the median of the colours it
    cannot tell apart, greyer than any of them (N = 0 chroma 4.3 against the ground truth's 10.5 on
    the validation split), but gains of 1.6 and 2.2 there cost 0.3 and 0.6 dB PSNR (ΔE 7.2 → 7.6,
    7.9): saturating wrong hue guesses is worse than leaving them muted."""
    if color.shape[:2] != regmap.shape or color.ndim != 3 or color.shape[2] < 3:
        raise ValueError(
            f"colour image {color.shape} does not match the regions {regmap.shape} (need H, W, 3)"
        )
    rgb = np.asarray(color[..., :3], dtype=np.uint8)
    paper = ~regmap.line_mask
    labels_p = regmap.labels[paper]
    labels_all = regmap.labels.ravel()
    palette = np.empty((regmap.count, 3), np.uint8)
    for ch in range(3):
        med = _region_medians(labels_p, rgb[..., ch][paper], regmap.count)
        if (med < 0).any():
            fallback = _region_medians(labels_all, rgb[..., ch].ravel(), regmap.count)
            med = np.where(med < 0, fallback, med)
        palette[:, ch] = np.clip(med, 0, 255)
    if chroma_gain != 1.0:
        palette = _scale_chroma(palette, chroma_gain)
    colour, has = _hinted(regmap, hints)
    if keep_background and regmap.background >= 0 and not has[regmap.background]:
        palette[regmap.background] = 255
    if paper_snap:
        palette[_paper_like(palette) & ~has] = 255
    palette[has] = colour[has].astype(np.uint8)
    return palette


def _scale_chroma(palette: np.ndarray, gain: float) -> np.ndarray:
    """uint8 (N, 3) RGB palette with CIELAB a*, b* scaled by ``gain`` (L* kept, clipped to sRGB)."""
    rgb_f = palette.reshape(-1, 1, 3).astype(np.float32) / 255.0
    lab = np.asarray(cv2.cvtColor(rgb_f, cv2.COLOR_RGB2LAB), np.float32)
    lab[..., 1:] *= np.float32(gain)
    rgb = cv2.cvtColor(lab, cv2.COLOR_LAB2RGB).reshape(-1, 3)
    return np.clip(rgb * 255.0 + 0.5, 0, 255).astype(np.uint8)


def paint(regmap: RegionMap, palette: np.ndarray) -> np.ndarray:
    """Flats image uint8 (H, W, 3) = ``palette[labels]``; palette uint8 (count, 3)."""
    if palette.shape != (regmap.count, 3):
        raise ValueError(f"palette must be ({regmap.count}, 3), got {palette.shape}")
    return np.asarray(palette, np.uint8)[regmap.labels]
