"""Flats: one colour per region, from hints (classical path) or from a colour image (networks).

What the hints decide is decided here for both paths, from the regions' *depth* (adaptive gap
closing against the page border, :mod:`paintassist.core.regions`):

* An accurate dot is first placed (:func:`place_hints`): on fillable paper it stays; on light ink
  (hatching, blush marks, pencil shading, the specks between hatching strokes) it goes to the
  nearest fillable paper reachable through that light ink, so it colours the area under the
  hatching; on a solid line it moves to the nearest fillable paper, with a note, unless one of the
  artist's dots already sits on that paper's region (a dot on a filled iris would otherwise split
  or repaint the face around it): then it is dropped, with a note; in a speck enclosed by a solid
  line (an eye's glint, a button, a gap in dense hatching: paper too small to be a region of its
  own) it colours that speck and nothing else, once :func:`split_by_dots` has cut the speck out
  as a cell (its colour would cross the line were it moved).
* A dot in a region of depth ``d`` colours its *area*: the regions of depth at most ``d`` joined to
  its own through paper (:meth:`RegionMap.area_ids`), i.e. the area that no longer reaches the page
  border once gaps up to ``levels[d]`` are closed. Strokes that end inside the area do not split
  it; the page background (depth ``max_depth``) is never in it.
* A dot on the page background colours its *reach* only (:func:`split_by_dots` cuts it out as
  cells): the connected part of the page background it lies in, on one of three sides: inside
  the figure (what the ink encloses once its gaps are closed,
  :func:`~paintassist.core.open_figure.figure_interior`), inside its coarse outline (gaps
  :data:`COARSE_FACTOR` times wider closed), or the page round it. A figure whose outline is
  open is, through the gaps, the page: one dot on its face used to colour the whole page. On
  the network path a reach on the page round the figure is then cut back to where the network
  spread the dot's colour (:func:`trim_reaches`); a draft square there colours the whole page.
* A draft square sets the regions it covers (at least :data:`MIN_SQUARE_SHARE` of a region, or the
  one under its centre; the page background only under its centre) and through them their areas.
* Several hints in one area share it: each region takes the nearest hint (geodesic over region
  centroids through paper); a hint in a smaller, deeper-closed area inside another's wins there;
  in one region a dot beats a square and the latest dot wins.

On the classical path a region no hint decides stays white paper, except a small enclosed one
(depth 0: not reached from the page border even at the user's gap; at most
:data:`GUESS_MAX_SHARE` of the page) right beside a dot's area, which takes a pale tint
(:data:`GUESS_TINT`) of the nearest dot's colour across the line, a guess that reads as
provisional.
On the network path such regions take the network's colour, the page background stays paper.

:func:`split_by_dots` (optional, before the palette) splits a region holding far-apart dots of
different colours into geodesic cells, so sketchy line art with open strokes keeps each dot's colour
around it; on the real pairs it is what makes the classical path at least as good as G'MIC's
Propagation (``bench/bench_quality.py``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from typing import Any, Protocol

import cv2
import numpy as np
from scipy.ndimage import find_objects
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import Delaunay

from paintassist.core.regions import RegionMap
from paintassist.core.shading import light_greys
from paintassist.core.types import Hint, HintSet

#: A draft square colours a region when it covers at least this share of the region's pixels
#: (or when its centre lies in the region).
MIN_SQUARE_SHARE = 0.25
#: Share of the neighbour's colour in an across-line guess (the rest is paper white): a region no
#: hint reaches is a guess, and a pale tint of the nearest colour is both visibly provisional to the
#: artist and the smaller error when the guess is wrong (bench_quality: +0.4 dB PSNR, -0.7 ΔE2000
#: at 10 dots against the full colour).
GUESS_TINT = 0.5
#: Only regions up to this share of the page get a guess: a large enclosed area no hint reaches
#: (the paper between long hair and the body) is as likely paper as part of the figure.
GUESS_MAX_SHARE = 0.03
#: Ink from which the pixel under a dot is a solid line: the dot moves to the nearest fillable paper,
#: with a note. Lighter ink (hatching, pencil shading) is looked through: the dot colours the area
#: under it. The ``lineart.line_mask`` level.
SOLID_INK = 0.35
#: A dot looks this far (px, or three dot radii if more) for fillable paper; then four times as far.
SNAP_RADIUS_PX = 12


@dataclass(frozen=True, slots=True)
class Decision:
    """What the hints decide, per region of a map (``colour`` int64 (count, 3), ``has`` bool
    (count,)); ``by_dot`` bool (count,): decided by an accurate dot; ``by_square`` bool (count,):
    decided by a draft square."""

    colour: np.ndarray
    has: np.ndarray
    by_dot: np.ndarray
    by_square: np.ndarray


def _pixel(regmap: RegionMap, hint: Hint) -> tuple[int, int] | None:
    """``(row, col)`` under the hint's centre, or None when it lies outside the image."""
    h, w = regmap.shape
    col, row = round(hint.x), round(hint.y)
    if not (0 <= col < w and 0 <= row < h):
        return None
    return row, col


def _dot_region(regmap: RegionMap, hint: Hint) -> int | None:
    """Region under the hint's centre, or None when the centre lies outside the image."""
    px = _pixel(regmap, hint)
    return None if px is None else int(regmap.labels[px])


# -- placing dots ----------------------------------------------------------------------------------
def _fillable(regmap: RegionMap, rows: slice, cols: slice) -> np.ndarray:
    """bool window: paper pixels of closed areas big enough to hold a region of their own."""
    closed = regmap.closed[rows, cols]
    sizes = regmap.closed_areas
    big = np.zeros(len(sizes) + 1, bool)
    big[:-1] = sizes >= regmap.min_region_px  # index -1 (lines) → the last entry, False
    return np.asarray(big[closed])


def _nearest(mask: np.ndarray, row: int, col: int) -> tuple[int, int] | None:
    """The pixel of ``mask`` nearest to ``(row, col)`` (window coordinates), None if empty."""
    rs, cs = np.nonzero(mask)
    if rs.size == 0:
        return None
    k = int(np.argmin((rs - row) ** 2 + (cs - col) ** 2))
    return int(rs[k]), int(cs[k])


def _window(regmap: RegionMap, row: int, col: int, r: int) -> tuple[slice, slice]:
    """The (rows, cols) slices of the square of half-side ``r`` round ``(row, col)``, clipped."""
    h, w = regmap.shape
    return slice(max(0, row - r), min(h, row + r + 1)), slice(max(0, col - r), min(w, col + r + 1))


def _light_part(regmap: RegionMap, row: int, col: int, rows: slice, cols: slice) -> np.ndarray:
    """bool window ``(rows, cols)``: the paper and light ink (below :data:`SOLID_INK`) 4-connected
    to ``(row, col)`` inside the window."""
    ink = regmap.ink
    light = ~regmap.line_mask[rows, cols] if ink is None else ink[rows, cols] < SOLID_INK
    _, comp = cv2.connectedComponents(light.view(np.uint8), connectivity=4)
    return np.asarray(comp == comp[row - rows.start, col - cols.start])


def _home(
    regmap: RegionMap, row: int, col: int, radius: float
) -> tuple[tuple[int, int] | None, str]:
    """Where a dot at ``(row, col)`` lands: ``(pixel or None, why)``, why one of ``"paper"``,
    ``"light"`` (looked through light ink), ``"line"`` (moved off a solid line), ``"enclosed"``
    (in a speck enclosed by a solid line) or ``"far"`` (on a line, no fillable paper near)."""
    h, w = regmap.shape
    ink = regmap.ink
    solid = bool(regmap.line_mask[row, col]) if ink is None else float(ink[row, col]) >= SOLID_INK
    reach = max(SNAP_RADIUS_PX, round(3 * radius))
    for r in (reach, 4 * reach):
        rows, cols = _window(regmap, row, col, r)
        r0, r1, c0, c1 = rows.start, rows.stop, cols.start, cols.stop
        fill = _fillable(regmap, rows, cols)
        if fill[row - r0, col - c0]:
            return (row, col), "paper"
        if not solid:  # through light ink only: the area under the hatching
            fill &= _light_part(regmap, row, col, rows, cols)
        q = _nearest(fill, row - r0, col - c0)
        if q is not None:
            return (q[0] + r0, q[1] + c0), "line" if solid else "light"
        if r0 == 0 and c0 == 0 and r1 == h and c1 == w:
            break
    return None, "far" if solid else "enclosed"


def _speck(regmap: RegionMap, hint: Hint) -> tuple[slice, slice, np.ndarray] | None:
    """The speck a dot lies in when :func:`_home` finds it enclosed: ``(rows, cols, mask)``, the
    window and its bool mask of the paper (ink below :data:`SOLID_INK`, 4-connected) holding the
    dot's centre; None for a dot that is not enclosed (or lies outside the image)."""
    px = _pixel(regmap, hint)
    if px is None:
        return None
    row, col = px
    if _home(regmap, row, col, hint.half_extent)[1] != "enclosed":
        return None
    rows, cols = _window(regmap, row, col, 4 * max(SNAP_RADIUS_PX, round(3 * hint.half_extent)))
    return rows, cols, _light_part(regmap, row, col, rows, cols)


def _dot_home(regmap: RegionMap, hint: Hint) -> tuple[int, int] | None:
    """The pixel ``(row, col)`` a dot colours from (:func:`_home`), None when it colours nothing
    (outside the image, enclosed in a speck, on a line far from paper)."""
    px = _pixel(regmap, hint)
    if px is None:
        return None
    return _home(regmap, px[0], px[1], hint.half_extent)[0]


def place_hints(regmap: RegionMap, hints: HintSet, scale: float = 1.0) -> tuple[HintSet,
                                                                                  list[str]]:
    """Accurate dots moved to where they colour (see the module docstring); squares unchanged.

    Returns the placed hints (same order; a dropped dot is left out) and notes for the artist, in
    sketch coordinates (``scale``: working px per sketch px). Dots outside the image are kept (they
    colour nothing)."""
    placed: list[Hint] = []
    notes: list[str] = []
    pixels = [_pixel(regmap, h) if h.kind == "accurate" else None for h in hints]
    homes = [None if px is None else _home(regmap, px[0], px[1], h.half_extent)
             for h, px in zip(hints, pixels, strict=True)]
    # regions an artist's dot sits in on paper (or through light ink): a dot moved there off a
    # solid line (a filled iris, a ribbon drawn solid) would split or repaint them
    hinted = {int(regmap.labels[h[0]]) for h in homes if h is not None and h[0] is not None
              and h[1] != "line"}
    for hint, px, home in zip(hints, pixels, homes, strict=True):
        if home is None:
            placed.append(hint)
            continue
        where, why = home
        at = f"({hint.x / scale:.0f}, {hint.y / scale:.0f})"
        if where is None and why == "enclosed":
            placed.append(hint)  # it colours its speck (split_by_dots cuts it out)
            continue
        if where is None:
            notes.append(f"dot {hint.hex} at {at} lies on a line with no paper near: it colours "
                         "nothing; move it into an area")
            continue
        if why == "line" and int(regmap.labels[where]) in hinted:
            notes.append(
                f"dot {hint.hex} at {at} lies on a solid line (a filled shape): the paper nearest "
                "it already has a dot of its own, so it colours nothing; move it into an area"
            )
            continue
        if why == "line":
            to = f"({where[1] / scale:.0f}, {where[0] / scale:.0f})"
            notes.append(f"dot {hint.hex} at {at} lies on a line: moved to the nearest paper {to}")
        if where != px:
            hint = hint.moved(float(where[1]), float(where[0]))
        placed.append(hint)
    return HintSet(tuple(placed), hints.strokes), notes


def lone_area(regmap: RegionMap, hint: Hint) -> np.ndarray:
    """bool (count,): the regions ``hint`` would colour if it were the only hint: an accurate
    dot's area (placed as by :func:`place_hints`: off a solid line, through light hatching;
    nothing when it would colour nothing), a draft square's regions and their areas. What the
    app outlines under the cursor before a click, and what a link joins."""
    if hint.kind == "draft":
        return decide(regmap, HintSet((hint,))).has
    out = np.zeros(regmap.count, bool)
    home = _dot_home(regmap, hint)
    if home is None:
        return out
    region = int(regmap.labels[home])
    area = regmap.area_ids(int(regmap.depths[region]))  # a region is in its own level's areas
    return np.asarray(area == area[region])


def lone_mask(regmap: RegionMap, hint: Hint, *, cache: CellCache | None = None,
              cache_key: Hashable = None) -> np.ndarray:
    """bool (H, W): the pixels ``hint`` would colour if it were the only hint, what the app
    outlines under the cursor: :func:`lone_area`'s regions, but for a dot in a speck the speck
    and for a dot on the page background its reach (:func:`split_by_dots`; on the network path
    the network then cuts a reach on the page round the figure back, :func:`trim_reaches`,
    which no outline can know before the click). ``cache``/``cache_key``: as for
    :func:`split_by_dots` (the page's parts are found once per map)."""
    if hint.kind == "draft":
        return np.asarray(lone_area(regmap, hint)[regmap.labels])
    placed, _ = place_hints(regmap, HintSet((hint,)))
    if not placed.accurate:
        return np.zeros(regmap.shape, bool)
    split = split_by_dots(regmap, placed, cache=cache, cache_key=cache_key)
    return np.asarray(decide(split, placed).has[split.labels])


# -- deciding regions ------------------------------------------------------------------------------
def _square_sources(regmap: RegionMap, squares: HintSet) -> dict[int, int]:
    """Region → index into ``squares`` of the square that sets it: per region the square covering
    the largest share of its pixels (≥ MIN_SQUARE_SHARE, or holding the square's centre; the page
    background only under the centre); later squares win ties."""
    h, w = regmap.shape
    best = np.full(regmap.count, -1.0)
    owner = np.full(regmap.count, -1, np.int64)
    areas = np.maximum(regmap.areas, 1)
    page = regmap.page_background
    for i, hint in enumerate(squares):
        half = hint.half_extent
        x0, x1 = max(0, round(hint.x - half)), min(w, round(hint.x + half))
        y0, y1 = max(0, round(hint.y - half)), min(h, round(hint.y + half))
        if x1 <= x0 or y1 <= y0:
            continue
        counts = np.bincount(regmap.labels[y0:y1, x0:x1].ravel(), minlength=regmap.count)
        share = counts / areas
        ok = (share >= MIN_SQUARE_SHARE) & ~page
        centre = _dot_region(regmap, hint)
        if centre is not None:
            ok[centre] = True
        win = ok & (counts > 0) & (share >= best)
        best[win] = share[win]
        owner[win] = i
    return {int(r): int(owner[r]) for r in np.flatnonzero(owner >= 0)}


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


def decide(regmap: RegionMap, hints: HintSet) -> Decision:
    """What ``hints`` decide on ``regmap`` (see the module docstring); dots are placed as by
    :func:`place_hints` (a no-op for placed ones). On a split map (``regmap.base``) the areas are
    those of the base map, and each cell takes the latest dot inside it."""
    base = regmap.base if regmap.base is not None else regmap
    n = base.count
    colours: list[tuple[int, int, int]] = []
    source = np.full(n, -1, np.int64)  # index into colours of the hint that seeds each region
    is_dot = np.zeros(n, bool)
    squares = hints.draft
    for region, i in _square_sources(base, squares).items():
        source[region] = len(colours)
        colours.append(squares[i].rgb)
    dots = hints.accurate
    homes = [_dot_home(base, dot) for dot in dots]
    split = regmap is not base
    for dot, home in zip(dots, homes, strict=True):
        if home is None:
            continue
        region = int(base.labels[home])
        if split and base.page_background[region] and int(regmap.labels[home]) >= n:
            continue  # it colours its reach (split_by_dots cut it out), not the whole page
        source[region] = len(colours)
        is_dot[region] = True
        colours.append(dot.rgb)
    colour = np.zeros((n, 3), np.int64)
    has = np.zeros(n, bool)
    by_dot = np.zeros(n, bool)
    seeded = np.flatnonzero(source >= 0)
    if seeded.size:
        table = np.array(colours, np.int64).reshape(-1, 3)
        depth = base.depths
        open_pairs = base.area_pairs
        # coarse areas first: a deeper-closed area inside another is painted over it afterwards
        for level in sorted({int(d) for d in depth[seeded]}, reverse=True):
            seeds = seeded[depth[seeded] == level]
            area = base.area_ids(level)
            mine = np.zeros(n, bool)
            mine[np.isin(area, area[seeds])] = True
            pairs = open_pairs[mine[open_pairs[:, 0]] & mine[open_pairs[:, 1]]]
            sources = np.zeros(n, bool)
            sources[seeds] = True
            near = _nearest_source(base, pairs, sources)
            reached = near >= 0
            colour[reached] = table[source[near[reached]]]
            has |= reached
            by_dot[reached] = is_dot[near[reached]]
    by_square = has & ~by_dot
    if regmap is base:
        return Decision(colour, has, by_dot, by_square)
    # a split map: its cells past base.count, and the dots' own cells
    m = regmap.count
    colour = np.concatenate([colour, np.zeros((m - n, 3), np.int64)])
    has = np.concatenate([has, np.zeros(m - n, bool)])
    by_dot = np.concatenate([by_dot, np.zeros(m - n, bool)])
    by_square = np.concatenate([by_square, np.zeros(m - n, bool)])
    for dot, home in zip(dots, homes, strict=True):
        if home is None:  # a dot in a speck colours the speck's cell (split_by_dots cut it out)
            px = _pixel(regmap, dot)
            if px is None or int(regmap.labels[px]) < n or _speck(base, dot) is None:
                continue
            home = px
        cell = int(regmap.labels[home])
        colour[cell] = dot.rgb
        has[cell] = by_dot[cell] = True
        by_square[cell] = False
    return Decision(colour, has, by_dot, by_square)


def classical_palette(
    regmap: RegionMap, hints: HintSet, *, stay_paper: np.ndarray | None = None
) -> np.ndarray:
    """Palette uint8 (count, 3) from hints alone (see the module docstring).

    No hints at all → white everywhere. Regions no hint decides stay white, but small enclosed
    ones (depth 0) beside a dot's area take a pale tint of the nearest dot's colour across the
    line; never those in ``stay_paper`` (bool (count,): speech balloons, which stay paper unless a
    hint decides them).
    """
    palette = np.full((regmap.count, 3), 255, np.uint8)
    dec = decide(regmap, hints)
    colour, has = dec.colour, dec.has.copy()
    if not has.any():
        return palette
    base = regmap.base if regmap.base is not None else regmap
    n = base.count
    # a big empty enclosed area (paper inside long hair, between arms) is left as paper, and so is
    # one no dot's area borders: one skin dot does not tint the whole figure
    small = base.paper_areas <= GUESS_MAX_SHARE * base.labels.size
    guess = ~has[:n] & (base.depths == 0) & small
    if stay_paper is not None:
        guess &= ~stay_paper[:n]
    # on the split map: a dot's cell (a reach on the page, a speck) is a source of its own
    sources = dec.by_dot
    if guess.any() and sources.any():
        pairs = regmap.adjacency().pairs
        beside = np.zeros(regmap.count, bool)
        beside[pairs[:, 0][sources[pairs[:, 1]]]] = True
        beside[pairs[:, 1][sources[pairs[:, 0]]]] = True
        guess &= beside[:n]
        near = _nearest_source(regmap, pairs, sources)[:n]
        guess &= near >= 0
        tinted = colour[near[guess]] * GUESS_TINT + 255.0 * (1.0 - GUESS_TINT)
        colour[np.flatnonzero(guess)] = np.round(tinted).astype(np.int64)
        has[np.flatnonzero(guess)] = True
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


#: A region's box above this many pixels is split into cells at half resolution (the lines
#: max-pooled, so none thins away) and the cells upsampled: on an A4 page the page's paper holding
#: dots of several colours took 0.1 s per watershed at full size. Where a cell border falls
#: between two dots inside one area is the geodesic midpoint either way, within a pixel or two.
CELLS_HALF_PX = 1_000_000


def _geodesic_cells(
    mask: np.ndarray, line: np.ndarray, seeds: list[list[tuple[int, int]]]
) -> np.ndarray:
    """Split ``mask`` (bool (h, w)) into cells grown breadth-first inside it from each seed group
    (``(row, col)`` pixels); paper first, line pixels (bool (h, w)) only where paper cannot reach,
    so open strokes inside the region still steer the cells' borders.
    Returns int32 (h, w), cell 0..k-1 inside the mask, -1 outside."""
    h, w = mask.shape
    if h * w > CELLS_HALF_PX:
        return _half_size_cells(mask, line, seeds)
    return _cells(mask, line, seeds)


def _half_size_cells(
    mask: np.ndarray, line: np.ndarray, seeds: list[list[tuple[int, int]]]
) -> np.ndarray:
    """:func:`_cells` on a 2×-downsampled mask (a pixel is in it when any of its four is) and
    lines (max-pooled), upsampled. Every mask pixel lies in a pixel of the pooled mask, which
    :func:`_cells` gives a cell, so no pixel is left without one."""
    small = _cells(_pool2(mask), _pool2(line & mask),
                   [[(r // 2, c // 2) for r, c in group] for group in seeds])
    return _unpool2(small, mask)


def _pool2(a: np.ndarray) -> np.ndarray:
    """bool (ceil(h/2), ceil(w/2)): a pixel is set when any of its four in ``a`` (bool (h, w)) is."""
    h, w = a.shape
    padded = np.zeros((h + h % 2, w + w % 2), bool)
    padded[:h, :w] = a
    # four strided views or-ed: ~10× faster than any() over a reshaped axis pair
    return np.asarray(padded[0::2, 0::2] | padded[1::2, 0::2] | padded[0::2, 1::2]
                      | padded[1::2, 1::2])


def _unpool2(small: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """int32 (h, w): ``small`` (a 2×-pooled labelling) at ``mask``'s size, -1 off the mask."""
    h, w = mask.shape
    up = np.repeat(np.repeat(small, 2, axis=0), 2, axis=1)[:h, :w]
    return np.where(mask, up, -1).astype(np.int32)


def _cells(
    mask: np.ndarray, line: np.ndarray, seeds: list[list[tuple[int, int]]]
) -> np.ndarray:
    """:func:`_geodesic_cells` at the mask's own size."""
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
    return _fill_cells(mask, markers[1:-1, 1:-1])


def _fill_cells(mask: np.ndarray, cells: np.ndarray) -> np.ndarray:
    """``cells`` (int32 (h, w), 1..k a cell, anything else none) inside ``mask``, with the mask's
    pixels that have none given their nearest cell's: int32 (h, w) 0..k-1, -1 outside."""
    valid = mask & (cells > 0)
    out = np.full(mask.shape, -1, np.int32)
    have = cells[valid] - 1
    out[valid] = have
    need = mask & ~valid
    if need.any() and have.size:
        # DIST_LABEL_PIXEL numbers the valid pixels 1.. in raster order, as cells[valid] is
        _, nearest = cv2.distanceTransformWithLabels(
            (~valid).view(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_5, labelType=cv2.DIST_LABEL_PIXEL
        )
        out[need] = have[nearest[need] - 1]
    return out


class CellCache(Protocol):
    """Where :func:`split_by_dots` keeps a region's cells between calls (the pipeline's LRU)."""

    def get_or_make(self, key: Hashable, make: Callable[[], Any]) -> Any: ...


def _compact(cells: np.ndarray) -> np.ndarray:
    """``cells`` (int32, -1..k-1) in the smallest signed integer type that holds them."""
    top = int(cells.max()) if cells.size else 0
    return cells.astype(np.int8 if top < 127 else np.int16 if top < 32767 else np.int32)


#: A part of the page background inside the figure smaller than this share of the page (or than
#: ``4 × min_region_px``) is no part of its own (:func:`_page_parts`).
MIN_PART_SHARE = 0.0015
#: The page background's sides (:func:`_parts`): inside the figure, inside its coarse outline
#: (the figure's gaps up to this many times wider closed: a sketch so open that its parts lie
#: outside the fine interior, as an armoured figure drawn in broken strokes), and the page.
COARSE_FACTOR = 3.0
PAGE_SIDES = 3


@dataclass(frozen=True)
class _PageParts:
    """The page background cut into parts (:func:`_page_parts`): ``labels`` int (H, W), -1 off
    the page, a part's side its id modulo :data:`PAGE_SIDES` (:func:`_parts`); ``boxes`` each
    part's bounding box; ``host``: for a sliver inside, the part of a coarser side it goes with
    when no dot lies in it."""

    labels: np.ndarray
    boxes: list[tuple[slice, slice] | None]
    host: dict[int, int]

    @property
    def nbytes(self) -> int:
        return int(self.labels.nbytes)


def _page_parts(regmap: RegionMap, free: np.ndarray) -> _PageParts:
    """The connected parts (paper 4-connected; line pixels to the nearest part) of the page
    background's free pixels (``free`` bool (H, W): not cut out already) inside the figure
    (:func:`~paintassist.core.open_figure.figure_interior`) and outside it. Above
    :data:`CELLS_HALF_PX` they are found at half size (the lines max-pooled, so none thins away)
    and upsampled: 0.6 s → 0.2 s on an A4 page."""
    page = regmap.page_background[regmap.labels] & free
    h, w = regmap.shape
    min_px = max(4 * regmap.min_region_px, round(MIN_PART_SHARE * h * w))
    if h * w <= CELLS_HALF_PX:
        out, slivers = _parts(page, regmap.line_mask, min_px)
    else:
        small, slivers = _parts(_pool2(page), _pool2(regmap.line_mask & page), min_px // 4)
        out = _unpool2(small, page)
    boxes = list(find_objects(out + 1))
    host: dict[int, int] = {}
    for part in slivers.tolist():
        box = boxes[part] if part < len(boxes) else None
        if box is None:
            continue
        rows = slice(max(0, box[0].start - 2), min(h, box[0].stop + 2))
        cols = slice(max(0, box[1].start - 2), min(w, box[1].stop + 2))
        view = out[rows, cols]
        mine = (view == part).view(np.uint8)
        ring = cv2.dilate(mine, np.ones((5, 5), np.uint8)).view(bool) & ~mine.view(bool)
        around = view[ring]
        around = around[(around >= 0) & (around % PAGE_SIDES > part % PAGE_SIDES)]
        if around.size:
            host[part] = int(np.bincount(around).argmax())
    return _PageParts(_compact(out), boxes, host)


def _parts(page: np.ndarray, line: np.ndarray, min_px: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_page_parts` on arrays: ``page`` bool (h, w) the free page background, ``line``
    bool (h, w). Returns (int32 (h, w) parts, -1 off the page; int64 the slivers' part ids).
    A part's id modulo :data:`PAGE_SIDES` is its side: 0 inside the figure, 1 inside it only
    once gaps :data:`COARSE_FACTOR` times wider are closed, 2 outside."""
    from paintassist.core.open_figure import CLOSE_SHARE, WORK_SIDE, figure_interior

    h, w = page.shape
    inside = figure_interior(line)
    coarse = figure_interior(line, COARSE_FACTOR * CLOSE_SHARE) | inside
    paper = page & ~line
    # the interior is found at WORK_SIDE px, so its border is off by up to r px: an inside part
    # with no paper r px within it is a sliver (a ring round a closed shape, a pocket past a
    # stroke, a strip between hair strands) that goes with the page round it unless a dot of
    # its own lies in it; so are inside parts too small to be a figure's part
    r = int(np.ceil(max(h, w) / WORK_SIDE)) + 1
    kernel = np.ones((2 * r + 1, 2 * r + 1), np.uint8)
    slivers: list[np.ndarray] = []
    seeds = np.zeros((h, w), np.int32)  # part + 1 on paper, 0 elsewhere
    for k, side in enumerate((inside, coarse & ~inside, ~coarse)):
        n, comp, stats, _ = cv2.connectedComponentsWithStats(
            (paper & side).view(np.uint8), connectivity=4, ltype=cv2.CV_32S)
        on = comp > 0
        seeds[on] = PAGE_SIDES * (comp[on] - 1) + k + 1
        if k < PAGE_SIDES - 1 and n > 1:
            core = cv2.erode(side.view(np.uint8), kernel).view(bool)
            cored = np.bincount(comp[core & paper], minlength=n)[1:] > 0
            small = stats[1:, cv2.CC_STAT_AREA] < min_px
            slivers.append(PAGE_SIDES * np.flatnonzero(~cored | small) + k)
    ids = np.concatenate(slivers) if slivers else np.zeros(0, np.int64)
    if not seeds.any():
        return np.full((h, w), -1, np.int32), ids
    # line pixels of the page go to the nearest part, as lines go to regions
    return _fill_cells(page, seeds), ids


def _cut_reaches(
    regmap: RegionMap,
    labels: np.ndarray,
    dots: list[Hint],
    merge_px: float,
    count: int,
    new_parents: list[tuple[int, int]],
    inner: list[int],
    cache: CellCache | None,
    cache_key: Hashable,
) -> int:
    """Cut each page-background dot's *reach* out of ``labels`` (in place) as new cells from
    ``count`` on, and return the next free id. A dot on the page background lies where an open
    outline lets the page in (a face, a shirt drawn with strokes that never meet), or on the
    page round the figure. Its reach is the connected part of the page background it lies in
    (:func:`_page_parts`: inside the figure, inside its coarse outline, or outside), so a dot on
    an open face colours the figure's open paper round it and not the whole page. Dots of
    different colours far apart in one reach split it into geodesic cells, as in a region.
    ``new_parents`` gains (cell, page region of its first dot); ``inner`` the cells inside the
    figure (either interior)."""
    free = labels < regmap.count  # not a speck cut out already
    free_key = _digest_mask(free) if cache is not None else None
    if cache is None:
        parts = _page_parts(regmap, free)
    else:
        parts = cache.get_or_make((cache_key, "page parts", free_key),
                                  lambda: _page_parts(regmap, free))
    by_part: dict[int, list[Hint]] = {}
    for dot in dots:
        part = int(parts.labels[round(dot.y), round(dot.x)])
        if part >= 0:
            by_part.setdefault(part, []).append(dot)
    guests: dict[int, list[int]] = {}
    for sliver, part in parts.host.items():
        if sliver not in by_part:
            guests.setdefault(part, []).append(sliver)
    for part, members in by_part.items():
        box = _union_box([parts.boxes[p] for p in (part, *guests.get(part, ()))])
        mask = np.isin(parts.labels[box], (part, *guests.get(part, ())))
        groups = _dot_clusters(members, merge_px)
        y, x = box[0].start, box[1].start
        if len(groups) == 1:
            cells = np.where(mask, 0, -1).astype(np.int8)
        else:
            seeds = [[(round(members[i].y) - y, round(members[i].x) - x) for i in g]
                     for g in groups]
            line = regmap.line_mask[box]

            def grow(m: np.ndarray = mask, li: np.ndarray = line,
                     sd: list[list[tuple[int, int]]] = seeds) -> np.ndarray:
                return _compact(_geodesic_cells(m, li, sd))

            cells = grow() if cache is None else cache.get_or_make(
                (cache_key, "reach", free_key, part, tuple(tuple(g) for g in seeds)), grow)
        view = labels[box]
        view[mask] = count + cells[mask].astype(np.int32)  # cells are compact (int8)
        parent = int(regmap.labels[round(members[0].y), round(members[0].x)])
        ids = list(range(count, count + len(groups)))
        new_parents += [(cell, parent) for cell in ids]
        if part % PAGE_SIDES < PAGE_SIDES - 1:
            inner += ids
        count += len(groups)
    return count


def _union_box(boxes: list[tuple[slice, slice] | None]) -> tuple[slice, slice]:
    """The bounding box of ``boxes`` (at least one not None)."""
    real = [b for b in boxes if b is not None]
    return (slice(min(b[0].start for b in real), max(b[0].stop for b in real)),
            slice(min(b[1].start for b in real), max(b[1].stop for b in real)))


def _digest_mask(mask: np.ndarray) -> bytes:
    """A 16-byte fingerprint of a bool mask (a cache key part)."""
    return hashlib.blake2b(np.packbits(mask).tobytes(), digest_size=16).digest()


def split_by_dots(
    regmap: RegionMap,
    hints: HintSet,
    merge_px: float = SPLIT_MERGE_PX,
    *,
    cache: CellCache | None = None,
    cache_key: Hashable = None,
) -> RegionMap:
    """Split each region that holds accurate dots of different colours, far apart, into geodesic
    cells (one per group of dots; dots of one colour or closer than ``merge_px`` form a group), so
    open line art (unclosed strokes merging hair, dress and paper into one region) keeps each dot's
    colour around the dot instead of letting the latest dot repaint everything.

    A dot in a speck enclosed by a solid line (:func:`place_hints`) first gets the speck as a cell
    of its own (the region's pixels in it), which then takes the dot's colour; dots of one speck
    share it. Dots on the page background get their reach (:func:`_cut_reaches`) as cells of
    their own, always: the rest of the page is no dot's.

    Returns ``regmap`` itself when nothing splits, else a new RegionMap (``base`` = ``regmap``):
    cell of a region's first group keeps the region's id, the others get new ids from
    ``regmap.count`` on, with the region's depth. Pure function of (regions, dot positions and
    colours); cost ~ the split regions' bounding boxes. Give it placed dots (:func:`place_hints`).

    cache: keeps each region's cells under (``cache_key``, region, seed groups), so that a dot
    edit grows cells again only in the region it touched (a watershed per split region was most
    of a 768-px dot edit). ``cache_key`` must name ``regmap`` (the pipeline's region key).
    """
    by_region: dict[int, list[Hint]] = {}
    labels: np.ndarray | None = None
    boxes: list[tuple[slice, slice] | None] = []
    count = regmap.count
    new_parents: list[tuple[int, int]] = []
    specks: dict[int, list[tuple[int, int]]] = {}  # the specks cut from each region (windows)
    on_page: list[Hint] = []  # dots on the page background: they colour their reach
    inner: list[int] = []  # the reach cells inside the figure
    for hint in hints.accurate:
        region = _dot_region(regmap, hint)
        if region is None:
            continue
        speck = _speck(regmap, hint)
        if speck is None:
            if regmap.page_background[region]:
                on_page.append(hint)
            else:
                by_region.setdefault(region, []).append(hint)
            continue
        if labels is None:
            labels = regmap.labels.copy()
            boxes = regmap.boxes
        rows, cols, mask = speck
        view = labels[rows, cols]
        if view[round(hint.y) - rows.start, round(hint.x) - cols.start] >= regmap.count:
            continue  # its speck is a cell already (another dot in it)
        view[mask & (view < regmap.count)] = count
        new_parents.append((count, region))
        specks.setdefault(region, []).append((rows.start, cols.start))
        count += 1
    if on_page:
        if labels is None:
            labels = regmap.labels.copy()
            boxes = regmap.boxes
        count = _cut_reaches(regmap, labels, on_page, merge_px, count, new_parents, inner,
                             cache, cache_key)
    for region, dots in by_region.items():
        if len(dots) < 2:
            continue
        groups = _dot_clusters(dots, merge_px)
        if len(groups) < 2:
            continue
        if labels is None:
            labels = regmap.labels.copy()
            boxes = regmap.boxes
        box = boxes[region]
        assert box is not None  # a dot lies in it
        y, x = box[0].start, box[1].start
        mask = labels[box] == region  # not the specks cut out above
        seeds = [[(round(dots[i].y) - y, round(dots[i].x) - x) for i in g] for g in groups]
        line = regmap.line_mask[box]
        if cache is None:
            cells = _geodesic_cells(mask, line, seeds)
        else:
            key = (cache_key, region, tuple(tuple(g) for g in seeds),
                   tuple(specks.get(region, ())))

            def grow(m: np.ndarray = mask, li: np.ndarray = line,
                     sd: list[list[tuple[int, int]]] = seeds) -> np.ndarray:
                return _compact(_geodesic_cells(m, li, sd))

            cells = cache.get_or_make(key, grow)
        new_ids = np.array([region, *range(count, count + len(groups) - 1)], np.int32)
        new_parents += [(cell, region) for cell in range(count, count + len(groups) - 1)]
        view = labels[box]
        view[mask] = new_ids[cells[mask]]
        count += len(groups) - 1
    if labels is None:
        return regmap
    parents = np.concatenate([np.arange(regmap.count), [p for _, p in new_parents]]).astype(np.intp)
    assert regmap.home is not None and regmap.core is not None
    depth = regmap.depths[parents].copy()
    if inner:  # a reach inside the figure is a part of it, not the page round it
        depth[inner] = regmap.max_depth - 1
    return RegionMap(labels, regmap.line_mask, count, regmap.background, regmap.closed,
                     depth=depth, levels=regmap.levels, ink=regmap.ink,
                     min_region_px=regmap.min_region_px, base=regmap, home=regmap.home[parents],
                     core=regmap.core[parents])


#: A reach on the page round the figure keeps the pixels whose network colour is this close to
#: its dot's (CIELAB distance, L* weighted by :data:`TRIM_L_WEIGHT`): RefineNet spreads a dot's
#: colour over the area it reads the dot as meaning, lighter or darker across it.
TRIM_DE = 24.0
TRIM_L_WEIGHT = 0.4
#: A reach smaller than this share of the page is not trimmed: many dots on the page cut it into
#: cells that are local already, and where fills have no outline (emoji) the dots know better
#: than the network (clip-art test at 50 dots: 21.96 dB trimming every reach, 22.18 at 0.1,
#: 22.29 never; anime and real pairs ±0.02).
TRIM_MIN_SHARE = 0.1


def trim_reaches(
    regmap: RegionMap, hints: HintSet, color: np.ndarray
) -> tuple[RegionMap, list[Hint]]:
    """``regmap`` (split by :func:`split_by_dots`) with each reach on the page round the figure
    cut back to the network's spread of its dot: the connected pixels round the dot whose
    colour (``color`` uint8 (H, W, 3), the network's with the hints) is within :data:`TRIM_DE` of
    the dot's. The rest goes back to its page region (paper, or the open figure's colours).

    Geometry alone cannot tell the page round a figure drawn in broken strokes from the figure:
    a dot on an armoured knight's plate lies on "the page" and would colour all of it. The
    network, given the dot, paints the area it means; where it paints the dot's colour is where
    an artist looks for it. Reaches inside the figure are left as they are, and so are reaches
    under :data:`TRIM_MIN_SHARE` of the page and those holding a paper-like dot. Returns the map
    (``regmap`` itself when there is nothing to trim) and, per reach that lost more than half its
    pixels, its latest dot (the app tells the artist: a draft square colours the whole page)."""
    base = regmap.base
    cut: list[Hint] = []
    if base is None or color.shape[:2] != regmap.shape:
        return regmap, cut
    n = base.count
    by_cell: dict[int, list[tuple[Hint, tuple[int, int]]]] = {}
    for dot in hints.accurate:
        px = _pixel(regmap, dot)
        if px is None:
            continue
        cell = int(regmap.labels[px])
        if cell < n or not regmap.page_background[cell] or _speck(base, dot) is not None:
            continue  # not a reach on the page round the figure
        by_cell.setdefault(cell, []).append((dot, px))
    labels: np.ndarray | None = None
    boxes = regmap.boxes
    for cell, dots in by_cell.items():
        if _paper_like(np.array([d.rgb for d, _ in dots], np.uint8)).any():
            continue  # "paper here": the page round the figure stays paper, all of it
        box = boxes[cell]
        if box is None:
            continue
        mask = regmap.labels[box] == cell
        if int(mask.sum()) < TRIM_MIN_SHARE * regmap.labels.size:
            continue  # local already: many dots share the page
        keep = np.zeros_like(mask)
        lab = _lab(color[box])
        for dot, px in dots:  # a cell's dots are one group: one colour, or close together
            near = _lab_near(lab, dot.rgb) | regmap.line_mask[box]
            _, comp = cv2.connectedComponents((mask & near).view(np.uint8), connectivity=4)
            y, x = px[0] - box[0].start, px[1] - box[1].start
            if comp[y, x] > 0:
                keep |= comp == comp[y, x]
            keep[y, x] = True
        drop = mask & ~keep
        if not drop.any():
            continue
        if labels is None:
            labels = regmap.labels.copy()
        labels[box][drop] = base.labels[box][drop]
        if 2 * int(drop.sum()) > int(mask.sum()):
            cut.append(dots[-1][0])
    if labels is None:
        return regmap, cut
    return replace(regmap, labels=labels, _areas_cache={}), cut


def _lab(rgb: np.ndarray) -> np.ndarray:
    """float32 (..., 3): OpenCV's 8-bit CIELAB of uint8 RGB ``rgb`` (..., 3) (L* scaled to
    0..255, a*, b* offset by 128)."""
    return cv2.cvtColor(np.ascontiguousarray(rgb[..., :3]), cv2.COLOR_RGB2LAB).astype(np.float32)


def _lab_near(lab: np.ndarray, target: tuple[int, int, int]) -> np.ndarray:
    """bool (h, w): pixels of ``lab`` (:func:`_lab` of an (h, w, 3) image) within
    :data:`TRIM_DE` of ``target`` (RGB)."""
    d = lab - _lab(np.array([[target]], np.uint8))[0, 0]
    d[..., 0] *= TRIM_L_WEIGHT * 100.0 / 255.0
    return np.asarray((d * d).sum(axis=2) <= TRIM_DE * TRIM_DE)


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
    return light_greys(palette, PAPER_MIN_L, PAPER_MAX_CHROMA)


def palette_from_color(
    regmap: RegionMap,
    color: np.ndarray,
    hints: HintSet,
    *,
    paper_snap: bool = False,
    keep_background: bool = True,
    chroma_gain: float = 1.0,
    chroma_fade: float | None = None,
    stay_paper: np.ndarray | None = None,
) -> np.ndarray:
    """Palette uint8 (count, 3): what the hints decide, the network's colour elsewhere.

    Regions the hints decide (:func:`decide`, exactly as on the classical path: a dot's or a
    square's area) take the hint's exact colour; every other region takes its per-channel median
    of ``color`` over its paper pixels (all its pixels if it has none), robust to a few stray
    pixels. So the network never repaints what the artist set, and a hint's colour never stops
    short of the line that closes its area (the network's own spread does, which measured as
    bleed). color: uint8 (H, W, 3) RGB at the regions' resolution.
    paper_snap: regions no hint decides whose colour is light and neutral (:data:`PAPER_MIN_L`,
    :data:`PAPER_MAX_CHROMA`) become white paper.
    keep_background: the page background's regions (depth ``max_depth``) stay white paper unless
    a hint decides them — as on the classical path; the page is paper until the artist says
    otherwise.
    stay_paper: bool (count,), regions that stay white paper unless a hint decides them too (speech
    balloons, :mod:`paintassist.core.balloons`).
    chroma_gain: CIELAB chroma factor for the network's colours (hinted colours are never
    changed; the pipeline's is :data:`paintassist.core.pipeline.NETWORK_CHROMA_GAIN`), faded out
    towards ``chroma_fade`` (:func:`scale_chroma`). A region's median of a net's colours is
    greyer than the colours it cannot tell apart; large gains saturate wrong hue guesses too (1.6
    and 2.2 cost 0.3 and 0.6 dB PSNR with the L1 nets of 0.1.x)."""
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
        palette = scale_chroma(palette, chroma_gain, chroma_fade)
    dec = decide(regmap, hints)
    colour, has = dec.colour, dec.has
    if keep_background:
        palette[page_background(regmap) & ~has] = 255
    if stay_paper is not None:
        palette[stay_paper & ~has] = 255
    if paper_snap:
        palette[_paper_like(palette) & ~has] = 255
    palette[has] = colour[has].astype(np.uint8)
    return palette


def scale_chroma(palette: np.ndarray, gain: float, fade: float | None = None) -> np.ndarray:
    """uint8 (N, 3) RGB palette with CIELAB a*, b* scaled by ``gain`` (L* kept, clipped to sRGB).

    fade: a chroma (CIELAB, 0..~130) from which colours are left as they are; below it the factor
    falls linearly from ``gain`` (at chroma 0) to 1 (at ``fade``), so muted colours gain most and
    saturated ones none. None: ``gain`` everywhere."""
    if len(palette) == 0:
        return palette.copy()
    rgb_f = palette.reshape(-1, 1, 3).astype(np.float32) / 255.0
    lab = np.asarray(cv2.cvtColor(rgb_f, cv2.COLOR_RGB2LAB), np.float32)
    if fade is None:
        lab[..., 1:] *= np.float32(gain)
    else:
        chroma = np.hypot(lab[..., 1], lab[..., 2])
        factor = 1.0 + (gain - 1.0) * np.clip(1.0 - chroma / fade, 0.0, 1.0)
        lab[..., 1:] *= factor[..., None].astype(np.float32)
    rgb = cv2.cvtColor(lab, cv2.COLOR_LAB2RGB).reshape(-1, 3)
    return np.clip(rgb * 255.0 + 0.5, 0, 255).astype(np.uint8)


def page_background(regmap: RegionMap) -> np.ndarray:
    """bool (count,): regions of the page background (depth ``max_depth``; split cells inherit)."""
    return regmap.page_background


def unlit_regions(
    regmap: RegionMap, palette: np.ndarray, hints: HintSet, *,
    stay_paper: np.ndarray | None = None,
) -> np.ndarray:
    """bool (count,): regions the light pass leaves alone: the page background, whatever its
    colour, the paper no hint decided that is open to the page (depth ≥ 1, still white), and
    the regions of ``stay_paper`` (bool (count,), speech balloons) no hint decided."""
    dec = decide(regmap, hints)
    white = (palette == 255).all(axis=1)
    out = regmap.page_background | (white & ~dec.has & (regmap.depths >= 1))
    if stay_paper is not None:
        out |= stay_paper & ~dec.has
    return np.asarray(out)


def paint(regmap: RegionMap, palette: np.ndarray) -> np.ndarray:
    """Flats image uint8 (H, W, 3) = ``palette[labels]``; palette uint8 (count, 3)."""
    if palette.shape != (regmap.count, 3):
        raise ValueError(f"palette must be ({regmap.count}, 3), got {palette.shape}")
    packed = np.zeros((regmap.count, 4), np.uint8)  # one 4-byte gather a pixel, not three
    packed[:, :3] = palette
    rgbx = np.take(packed.view(np.uint32).ravel(), regmap.labels)
    return np.asarray(cv2.cvtColor(rgbx.view(np.uint8).reshape(*regmap.shape, 4),
                                   cv2.COLOR_RGBA2RGB))
