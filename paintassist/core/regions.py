"""Region segmentation of line art with gap closing, and how far each region is from the page.

Recipe (all OpenCV, no per-region Python loops over pixels):

1. threshold the ink into a line mask; the 4-connected components of the paper (non-line) pixels
   are the *closed* areas (no gap closing);
2. distance of every paper pixel to the nearest line pixel; *cores* are the paper pixels farther
   than ``ceil(gap_px / 2)`` from any line, so a gap of at most ``gap_px`` pixels between two line
   ends holds no core pixel and the cores on its two sides stay apart;
3. adaptive gap closing (see below) cuts the cores that reach the page border along the gaps a
   larger closing would close, so each piece of core has one *depth*;
4. seeds: each core piece that rises clearly above the core level (so noise in anti-aliased strips
   does not splinter a strip into many regions), plus one seed covering each closed area that has no
   such core (small enclosed areas keep their own region);
5. ``cv2.watershed`` floods from the seeds. Its priority is the difference between neighbouring
   pixels, so the paper is given one value and the lines another: the paper floods breadth-first
   (two seeds meet half-way along a neck, i.e. in the gap) and lines are reached last, so a seed
   never floods across a line while its own closed area has paper left;
6. line pixels (and the one-pixel watershed borders) take the label of the nearest labelled paper
   pixel (``cv2.distanceTransformWithLabels``), so thick lines split along their middle;
7. regions with fewer than ``min_region_px`` paper pixels merge into the neighbour they share the
   longest border with (the only case where a region may cross a line).

Gap widths are measured in whole pixels between line pixels. On a pixel grid a gap of ``2k-1`` and
one of ``2k`` pixels have the same distance profile, so an odd ``gap_px`` also closes gaps of
``gap_px + 1``; an even ``gap_px`` closes exactly the gaps up to ``gap_px``.

**Depth: adaptive gap closing against the page border.** A sketch's outlines are open, so the paper
inside a face is, through some gap, the same paper as the page around the figure. The gap scales
:func:`gap_levels` go from ``gap_px`` up to :data:`MAX_GAP_FRACTION` of the page's long side. At
each scale ``s`` the cores of that scale (paper farther than ``s / 2`` from any line, from the
full-resolution distance) that hold the page background are the page's; a breadth-first flood
from them and from all the other cores of that scale (on a grid of blocks where a gap of ``s`` is
at least :data:`_LEVEL_GRID_PX` blocks wide, so a big page costs little) decides which side of each
gap every pixel is on, and the cores of the user's gap are cut where the two floods meet. The page
background itself is the border-touching cores of the coarsest scale that are at least
:data:`BACKGROUND_SHARE` of the largest one: a figure cropped by the page edge touches the border
too, but it is not the page. A region's *depth* is the number of scales, from the smallest, at which
it is on the page background's side: 0 for paper not reached from the page even at ``gap_px``
(an enclosed area, or one behind a gap of at most ``gap_px``), :attr:`RegionMap.max_depth` for the
page background at every scale. A dot in a region of depth ``d < max_depth`` lies in an area that
closes at scale ``levels[d]``: its area is the regions of depth at most ``d`` cut from one core of
the user's gap (:meth:`RegionMap.area_ids`), which never includes the page background. Gaps up to
``gap_px`` always separate areas, as the user's gap setting says; strokes that end inside an area
farther than that from any line do not split it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import cv2
import numpy as np
from scipy.ndimage import find_objects
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from paintassist.core.lineart import line_mask

#: Ink level from which a pixel is a line pixel for segmentation. Lower than the 0.35 of
#: ``lineart.line_mask``: normalised pencil sketches draw whole outlines at 0.15-0.3 ink, and at 0.35
#: they vanish and colour leaks (``bench/bench_quality.py`` and the real sketches agree on ~0.12).
LINE_THRESHOLD = 0.12
#: Widest gap closed adaptively against the page border, as a fraction of the image's long side
#: (about 1.5 %: 53 px on an A4 300-dpi page, 11 px on a 768-px preview).
MAX_GAP_FRACTION = 0.015
#: Ratio between successive adaptive gap scales, and the first one above the user's gap (as a
#: multiple of it): the scale a dot's area closes at is at most this much larger than needed.
LEVEL_RATIO = math.sqrt(2.0)
FIRST_LEVEL_FACTOR = 2.0
#: An adaptive gap scale is computed on a grid of blocks (a power of two pixels) where that gap is at
#: least this many blocks wide.
_LEVEL_GRID_PX = 4.0
#: Odd multiplier of the label → colour bijection of :func:`regions_layer` (mod 2**24).
_COLOUR_MULT = 0x9E3779
_COLOUR_MULT_INV = pow(_COLOUR_MULT, -1, 1 << 24)
_MASK24 = (1 << 24) - 1
#: A core component must rise this far (px) above the core level to seed a region of its own.
_CORE_MARGIN = 1.0
#: Above this many pixels the strong-core test looks at every other row and column.
_FULL_SCAN_PIXELS = 2_000_000
_MAX_MERGE_ROUNDS = 12


def gap_levels(gap_px: float, max_gap_px: float) -> tuple[float, ...]:
    """The gap scales (px) of the adaptive closing: ``gap_px`` first, then ``max_gap_px`` and scales
    a factor :data:`LEVEL_RATIO` apart below it down to :data:`FIRST_LEVEL_FACTOR` × ``gap_px``
    (at least 3 px). Just ``(gap_px,)`` when ``max_gap_px`` is not above ``gap_px``."""
    gap = float(max(0.0, gap_px))
    top = float(max_gap_px)
    if top < gap + 1.0:
        return (gap,)
    lower = max(FIRST_LEVEL_FACTOR * gap, 3.0)
    above = [top]
    s = top / LEVEL_RATIO
    while s >= lower and len(above) < 16:
        above.append(s)
        s /= LEVEL_RATIO
    return (gap, *sorted(above))


@dataclass(frozen=True, slots=True)
class RegionAdjacency:
    """Which regions touch, from 4-neighbour pixel pairs of the label image.

    pairs: int32 (E, 2), each row ``(a, b)`` with ``a < b``, sorted, unique.
    open_count: int64 (E,) pixel pairs where both pixels are paper (the two regions touch through
        paper: they were split by gap closing or a neck, not by a line).
    line_count: int64 (E,) pixel pairs where at least one pixel is a line pixel (they touch only
        across a line, or along the line they share).
    home_count: int64 (E,) paper pixel pairs in the closed area both regions belong to
        (``RegionMap.home``): not through a speck that one of them took in across a line.
    """

    pairs: np.ndarray
    open_count: np.ndarray
    line_count: np.ndarray
    home_count: np.ndarray

    @property
    def open_pairs(self) -> np.ndarray:
        """int32 (E_open, 2): the pairs that touch through paper."""
        return self.pairs[self.open_count > 0]

    @property
    def home_pairs(self) -> np.ndarray:
        """int32 (E_home, 2): the pairs that touch through the paper of their own closed area."""
        return self.pairs[self.home_count > 0]


@dataclass(frozen=True, eq=False)
class RegionMap:
    """Result of :func:`segment`.

    labels: int32 (H, W), region id 0..count-1 of every pixel; line pixels take the adjacent region.
    line_mask: bool (H, W), ink pixels.
    count: number of regions.
    background: id of the largest region of the page background (depth ``max_depth``, touching
        the image border), else of the largest region touching the border; -1 if none.
    closed: int32 (H, W), connected components (4-connected) of the paper pixels without any gap
        closing, -1 on line pixels.
    depth: int16 (count,), each region's depth (see the module docstring); None → 0 everywhere
        but ``background`` (``max_depth``).
    levels: the gap scales (px) of depths 1..max_depth (``levels[0]`` is the user's gap).
    ink: the ink the map was made from (float (H, W), shared), for placing dots; may be None.
    min_region_px: the smallest region :func:`segment` kept (smaller closed areas are merged specks).
    base: for a map made by splitting regions (``flatten.split_by_dots``), the map it was split
        from (ids below ``base.count`` are the same regions or part of them), else None.
    home: int32 (count,), the closed area (``closed`` id) each region grew in (a region may also
        hold specks of others, merged across a line); None → the one holding most of its paper.
    core: int32 (count,), the core (paper farther than ``gap_px / 2`` from the lines) each region
        grew from: regions of one core were cut apart only by the adaptive closing, so they make
        one area when their depths allow; None → every region its own.
    """

    labels: np.ndarray
    line_mask: np.ndarray
    count: int
    background: int
    closed: np.ndarray
    depth: np.ndarray | None = None
    levels: tuple[float, ...] = ()
    ink: np.ndarray | None = None
    min_region_px: int = 1
    base: RegionMap | None = None
    home: np.ndarray | None = None
    core: np.ndarray | None = None
    _areas_cache: dict[int, np.ndarray] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.levels:
            object.__setattr__(self, "levels", (0.0,))
        if self.depth is None:
            depth = np.zeros(self.count, np.int16)
            if self.background >= 0:
                depth[self.background] = len(self.levels)
            object.__setattr__(self, "depth", depth)
        if self.home is None:
            object.__setattr__(self, "home", _majority_home(self.labels, self.closed, self.count))
        if self.core is None:
            object.__setattr__(self, "core", np.arange(self.count, dtype=np.int32))

    @property
    def shape(self) -> tuple[int, int]:
        h, w = self.labels.shape
        return int(h), int(w)

    @property
    def max_depth(self) -> int:
        """Depth of the page background: the number of gap scales."""
        return len(self.levels)

    @property
    def depths(self) -> np.ndarray:
        """int16 (count,): ``depth`` (never None)."""
        assert self.depth is not None
        return self.depth

    @property
    def page_background(self) -> np.ndarray:
        """bool (count,): regions of the page background (reached from the border at every
        scale)."""
        return np.asarray(self.depths >= self.max_depth)

    @cached_property
    def areas(self) -> np.ndarray:
        """int64 (count,): pixels of each region, line pixels included."""
        return np.bincount(self.labels.ravel(), minlength=self.count)

    @cached_property
    def paper_areas(self) -> np.ndarray:
        """int64 (count,): paper (non-line) pixels of each region."""
        return np.bincount(self.labels[~self.line_mask], minlength=self.count)

    @cached_property
    def closed_areas(self) -> np.ndarray:
        """int64 (number of closed areas,): paper pixels of each closed area (``closed`` ids)."""
        return np.bincount(self.closed[self.closed >= 0], minlength=int(self.closed.max()) + 1)

    @cached_property
    def boxes(self) -> list[tuple[slice, slice] | None]:
        """Each region's bounding box ``(rows, cols)`` (``scipy.ndimage.find_objects``), None for
        an empty region; computed once per map (a dot edit splits regions of the same map)."""
        return list(find_objects(self.labels + 1, max_label=self.count))

    @cached_property
    def centroids(self) -> np.ndarray:
        """float64 (count, 2): ``(x, y)`` mean pixel position of each region (px)."""
        h, w = self.labels.shape
        flat = self.labels.ravel()
        area = np.maximum(self.areas, 1).astype(np.float64)
        xs = np.bincount(flat, weights=np.tile(np.arange(w, dtype=np.float64), h),
                         minlength=self.count)
        ys = np.bincount(flat, weights=np.repeat(np.arange(h, dtype=np.float64), w),
                         minlength=self.count)
        return np.stack([xs / area, ys / area], axis=1)

    @cached_property
    def _adjacency(self) -> RegionAdjacency:
        assert self.home is not None
        return _adjacency(self.labels, self.line_mask, self.count, self.closed, self.home)

    def adjacency(self) -> RegionAdjacency:
        """Region adjacency (computed once per map)."""
        return self._adjacency

    @cached_property
    def area_pairs(self) -> np.ndarray:
        """int32 (E, 2): the region pairs an area may join: regions of one core (cut apart by the
        adaptive closing only) touching through the paper of their closed area. Gaps up to the
        user's ``gap_px`` always separate areas."""
        assert self.core is not None
        pairs = self.adjacency().home_pairs
        return pairs[self.core[pairs[:, 0]] == self.core[pairs[:, 1]]]

    def area_ids(self, level: int) -> np.ndarray:
        """int64 (count,): the *area* of every region at ``level``, -1 for regions outside.

        At a level below ``max_depth`` the areas are the connected groups (:attr:`area_pairs`) of
        the regions of depth at most ``level``: what a dot in a region of depth ``level`` fills. At
        ``max_depth`` they are the connected groups of the page background's regions. Cached.
        """
        level = int(min(max(level, 0), self.max_depth))
        cached = self._areas_cache.get(level)
        if cached is not None:
            return cached
        depth = self.depths
        member = depth >= level if level >= self.max_depth else depth <= level
        pairs = self.area_pairs
        inside = member[pairs[:, 0]] & member[pairs[:, 1]] if len(pairs) else np.zeros(0, bool)
        pairs = pairs[inside]
        n = self.count
        graph = coo_matrix(
            (np.ones(len(pairs), np.int8), (pairs[:, 0], pairs[:, 1])), shape=(n, n)
        ).tocsr()
        _, comp = connected_components(graph, directed=False)
        out = np.where(member, comp, -1).astype(np.int64)
        self._areas_cache[level] = out
        return out

    def region_at(self, x: float, y: float) -> int:
        """Region id under the point ``(x, y)`` (px), clamped into the image."""
        h, w = self.labels.shape
        col = min(max(round(x), 0), w - 1)
        row = min(max(round(y), 0), h - 1)
        return int(self.labels[row, col])


def _check_ink(ink: np.ndarray) -> np.ndarray:
    if not isinstance(ink, np.ndarray) or ink.ndim != 2:
        shape = getattr(ink, "shape", None)
        raise ValueError(f"ink must be a 2-D (H, W) array, got shape {shape}")
    if ink.size == 0:
        raise ValueError("ink is empty (zero-size image)")
    if not np.issubdtype(ink.dtype, np.floating):
        raise ValueError(f"ink must be a float array in 0..1 (0 = paper, 1 = ink), got {ink.dtype}")
    return ink


def segment(
    ink: np.ndarray,
    gap_px: int = 6,
    min_region_px: int = 24,
    line_threshold: float = LINE_THRESHOLD,
    max_gap_px: float | None = None,
) -> RegionMap:
    """Split line art into regions, closing line gaps up to ``gap_px`` wide, and give each region
    its depth (adaptive gap closing against the page border, up to ``max_gap_px``).

    ink: float (H, W) in 0..1, 0 = paper, 1 = ink. gap_px: largest gap (px) between line ends that
    still separates two regions (0 = no gap closing). min_region_px: regions with fewer paper pixels
    merge into a neighbour. line_threshold: ink level from which a pixel is a line pixel.
    max_gap_px: widest gap closed against the page border; None = :data:`MAX_GAP_FRACTION` of the
    long side. Returns a :class:`RegionMap`. See the module docstring for the method.
    """
    _check_ink(ink)
    gap_px = max(0, int(gap_px))
    h, w = ink.shape
    top = MAX_GAP_FRACTION * max(h, w) if max_gap_px is None else float(max_gap_px)
    levels = gap_levels(gap_px, top)
    max_depth = len(levels)
    line = np.ascontiguousarray(line_mask(ink, line_threshold), dtype=bool)
    paper = ~line
    paper_u8 = paper.view(np.uint8)
    n_closed, closed, closed_stats, _ = cv2.connectedComponentsWithStats(
        paper_u8, connectivity=4, ltype=cv2.CV_32S
    )
    common = {"levels": levels, "ink": ink, "min_region_px": max(1, int(min_region_px))}
    if n_closed == 1 or not line.any():
        # all ink, or no ink at all: one region
        labels = np.zeros((h, w), np.int32)
        background = 0 if n_closed == 2 else -1
        depth = np.array([max_depth if background == 0 else 0], np.int16)
        home = np.array([0 if n_closed == 2 else -1], np.int32)
        return RegionMap(labels, line, 1, background, np.subtract(closed, 1, out=closed),
                         depth=depth, home=home, core=np.zeros(1, np.int32),
                         **common)  # type: ignore[arg-type]

    # Full-size int32 arrays are few and reused: each new one costs ~35 MB of fresh pages on an
    # A4 page, which is a good part of the run time.
    markers = np.zeros((h + 2, w + 2), np.int32)  # its 1-px frame becomes watershed border
    n_seeds, seed_comp, seed_depth, seed_core, max_depth = _seeds(
        paper_u8, line, closed, closed_stats, gap_px, levels, markers[1:-1, 1:-1]
    )
    levels = levels[:max_depth]
    common["levels"] = levels
    _watershed(markers, line)
    labels, n_labels = _resolve(markers[1:-1, 1:-1], paper, closed, seed_comp, n_seeds)
    del markers
    region_depth = np.zeros(n_labels, np.int16)
    region_depth[:n_seeds] = seed_depth[1:]
    region_home = np.full(n_labels, -1, np.int32)
    region_home[:n_seeds] = seed_comp[1:] - 1
    region_core = np.arange(n_labels, dtype=np.int32) + int(seed_core.max()) + 1
    region_core[:n_seeds] = seed_core[1:]
    if n_labels > n_seeds:  # new regions of stray border pixels, each in one closed area
        rows, cols = np.nonzero(labels >= n_seeds)
        region_home[labels[rows, cols]] = closed[rows, cols] - 1
    labels, count, sizes, kept = _merge_tiny(labels, paper, n_labels, min_region_px)
    depth = region_depth[kept]
    background = _background(labels, paper, sizes, depth, max_depth)
    return RegionMap(labels, line, count, background, np.subtract(closed, 1, out=closed),
                     depth=depth, home=region_home[kept], core=region_core[kept],
                     **common)  # type: ignore[arg-type]


def _border_ids(lab: np.ndarray) -> np.ndarray:
    """The distinct labels of an int label image's outermost rows and columns."""
    return np.unique(np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]]))


def _seeds(
    paper_u8: np.ndarray,
    line: np.ndarray,
    closed: np.ndarray,
    closed_stats: np.ndarray,
    gap_px: int,
    levels: tuple[float, ...],
    out: np.ndarray,
) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, int]:
    """Write seed labels into ``out`` (int32 (H, W), zeros: 0 = unseeded); return their number,
    each seed's closed area, depth and core (int32, int16, int32 (n_seeds + 1,), index 0 unused)
    and the depth of the page background (``len(levels)``, less when the coarsest scales hold no
    core touching the border). closed_stats: ``cv2.connectedComponentsWithStats`` of ``closed``."""
    level = float(math.ceil(gap_px / 2))
    max_depth = len(levels)
    n_closed = len(closed_stats)
    dist = cv2.distanceTransform(paper_u8, cv2.DIST_L2, cv2.DIST_MASK_5)
    core = dist > level
    n_core, core_lab = cv2.connectedComponents(
        core.view(np.uint8), connectivity=4, ltype=cv2.CV_32S
    )
    grids: list[_Level] = []
    anchor = None
    if max_depth > 1:
        grids, anchor = _adaptive_levels(dist, line, levels[1:])
        max_depth = 1 + len(grids)
    # Cores of the page background at the user's gap (depth >= 1).
    on_border = _page_cores(core_lab, n_core, anchor)
    pieces, n_pieces = core_lab, n_core
    if grids and on_border.any():
        cut = _cut_mask(grids, line.shape)
        if cut is not None:
            idx = np.flatnonzero(cut.ravel() & core.ravel())
            idx = idx[on_border[core_lab.ravel()[idx]]]  # only the page background's cores
            if idx.size:
                cut_core = core.copy()
                cut_core.ravel()[idx] = False
                n_pieces, pieces = cv2.connectedComponents(
                    cut_core.view(np.uint8), connectivity=4, ltype=cv2.CV_32S
                )
                del cut_core
    strong = np.greater(dist, level + _CORE_MARGIN, out=core)  # reuses the core mask
    del dist
    # On a big page every other pixel of each row and column is looked at: a piece whose only
    # strong pixels all fall between them is a sliver of noise the margin is there to drop anyway.
    step = 2 if strong.size > _FULL_SCAN_PIXELS else 1
    strong = strong[::step, ::step]
    strong_piece = pieces[::step, ::step][strong]
    piece_core = np.arange(n_pieces, dtype=np.int32)
    if pieces is not core_lab:
        piece_core = np.zeros(n_pieces, np.int32)
        piece_core[strong_piece] = core_lab[::step, ::step][strong]
    piece_border = on_border[piece_core]
    strong_comp = closed[::step, ::step][strong]
    keep = np.zeros(n_pieces, bool)
    keep[strong_piece] = True
    keep[0] = False
    piece_id = np.cumsum(keep, dtype=np.int32) * keep  # 1..K for kept pieces, 0 otherwise
    n_kept = int(keep.sum())
    np.take(piece_id, np.asarray(pieces, np.int32), out=out, mode="clip")
    depth_of_piece = _piece_depths(pieces, piece_border, grids, max_depth) if grids else (
        piece_border.astype(np.int16) * np.int16(max_depth)
    )
    del pieces, core_lab
    kept_pieces = np.flatnonzero(keep)

    seed_comp = np.zeros(n_kept + 1, np.int32)
    seed_comp[piece_id[strong_piece]] = strong_comp  # a kept piece lies in one closed area
    seed_comp[0] = 0
    seed_core = np.zeros(n_kept + 1, np.int32)
    seed_core[piece_id[kept_pieces]] = piece_core[kept_pieces]
    seed_depth = np.zeros(n_kept + 1, np.int16)
    seed_depth[piece_id[kept_pieces]] = depth_of_piece[kept_pieces]
    seeded_comp = np.zeros(n_closed, bool)
    seeded_comp[seed_comp[1:]] = True
    seeded_comp[0] = True  # label 0 of connectedComponents = the lines
    # A closed area without a kept core gets a seed of its own (one pixel: the flood fills the
    # area before it crosses any line); one that touches the page border (a strip along the edge)
    # is page background.
    extra_comp = np.flatnonzero(~seeded_comp).astype(np.int32)
    if extra_comp.size:
        tops = closed_stats[extra_comp, cv2.CC_STAT_TOP]
        lefts = closed_stats[extra_comp, cv2.CC_STAT_LEFT]
        widths = closed_stats[extra_comp, cv2.CC_STAT_WIDTH]
        for k, (comp, top, left, width) in enumerate(
            zip(extra_comp.tolist(), tops.tolist(), lefts.tolist(), widths.tolist(), strict=True)
        ):
            col = left + int(np.argmax(closed[top, left : left + width] == comp))
            out[top, col] = n_kept + 1 + k
        comp_on_border = np.zeros(n_closed, bool)
        comp_on_border[_border_ids(closed)] = True
        extra_depth = np.where(comp_on_border[extra_comp], max_depth, 0).astype(np.int16)
        extra_core = np.arange(n_core, n_core + len(extra_comp), dtype=np.int32)  # each its own
        seed_comp = np.concatenate([seed_comp, extra_comp])
        seed_depth = np.concatenate([seed_depth, extra_depth])
        seed_core = np.concatenate([seed_core, extra_core])
    return len(seed_comp) - 1, seed_comp, seed_depth, seed_core, max_depth


@dataclass(frozen=True, slots=True)
class _Level:
    """One adaptive gap scale on its own grid of ``block``×``block`` pixels: ``side`` int8 (h, w),
    1 on the page background's side, 2 on the other cores' side, 0 on lines and borders; ``wall``
    bool (h, w), the border between the two sides (dilated), or None when they never meet."""

    block: int
    side: np.ndarray
    wall: np.ndarray | None


#: At the coarsest scale, the page background is the border-touching cores at least this share of
#: the largest one's area: a figure cropped by the page edge (a torso, a skirt) touches the border
#: too, but is an area of the figure, much smaller than the page's paper around it.
BACKGROUND_SHARE = 0.5
#: Pixels of the page background sampled at the coarsest scale to find it again at the finer ones.
_ANCHOR_POINTS = 20_000


def _halve_max(a: np.ndarray) -> np.ndarray:
    """Max over 2x2 blocks (the last row/column of an odd size alone): (ceil(h/2), ceil(w/2))."""
    up = cv2.dilate(a, np.ones((2, 2), np.uint8), anchor=(0, 0), borderType=cv2.BORDER_REPLICATE)
    return np.ascontiguousarray(up[::2, ::2])


def _adaptive_levels(
    dist: np.ndarray, line: np.ndarray, scales: tuple[float, ...]
) -> tuple[list[_Level], np.ndarray | None]:
    """The page background's side of every gap at each scale (ascending, px).

    Each scale is worked on a grid of ``b``×``b`` blocks (``b`` a power of two, the gap at least
    :data:`_LEVEL_GRID_PX` blocks wide): a block is core when any of its pixels is farther than
    ``scale / 2`` from the lines (``dist``, the full-resolution distance), and line when any of its
    pixels is ink, so cores are exact and no line vanishes. A breadth-first flood on that grid from
    the page background's cores and from all the others decides which side of each gap every block
    is on, and walls where the two floods meet.

    The page background is found at the coarsest scale that has cores touching the border (the
    scales above it are dropped): those of them at least :data:`BACKGROUND_SHARE` of the largest.
    At every finer scale it is the cores holding those (cores nest: a finer scale's core holds the
    coarser ones). Returns the levels and anchor points (int (N, 2) full-resolution ``(row, col)``
    on the page background's coarsest cores), or ``([], None)`` when no scale has a border core.
    """
    pyramid = [(dist, line.view(np.uint8))]
    grids: list[tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    for scale in scales:
        j = max(0, math.floor(math.log2(max(1.0, scale / _LEVEL_GRID_PX))))
        while len(pyramid) <= j:
            d, ln = pyramid[-1]
            pyramid.append((_halve_max(d), _halve_max(ln)))
        d_c, line_c = pyramid[j]
        wall_c = line_c > 0
        core = d_c > scale / 2.0  # a gap of at most ``scale`` holds no pixel farther than this
        _, lab = cv2.connectedComponents(core.view(np.uint8), connectivity=4, ltype=cv2.CV_32S)
        grids.append((1 << j, wall_c, core, lab, _border_ids(lab)))
    del pyramid
    anchor_at = next((i for i in range(len(grids) - 1, -1, -1) if grids[i][4].max() > 0), None)
    if anchor_at is None:
        return [], None
    grids = grids[: anchor_at + 1]
    block, _, _, lab, border = grids[-1]
    border = border[border > 0]
    area = np.bincount(lab.ravel(), minlength=int(lab.max()) + 1)
    page = border[area[border] >= BACKGROUND_SHARE * area[border].max()]
    rows, cols = np.nonzero(np.isin(lab, page))
    step = max(1, len(rows) // _ANCHOR_POINTS)
    h, w = line.shape
    anchor = np.stack(
        [np.minimum(rows[::step] * block + block // 2, h - 1),
         np.minimum(cols[::step] * block + block // 2, w - 1)], axis=1
    ).astype(np.intp)
    out: list[_Level] = []
    for block, wall_c, core, lab, _ in grids:
        hc, wc = lab.shape
        page_ids = np.zeros(int(lab.max()) + 1, bool)
        page_ids[lab[anchor[:, 0] // block, anchor[:, 1] // block]] = True
        page_ids[0] = False
        markers = np.zeros((hc + 2, wc + 2), np.int32)
        inner = markers[1:-1, 1:-1]
        inner[core] = 2
        inner[page_ids[lab]] = 1
        _watershed(markers, wall_c)
        side = np.where((inner > 0) & ~wall_c, inner, 0).astype(np.int8)
        meet = (inner == -1) & ~wall_c
        wall = None
        if meet.any() and (side == 2).any():
            wall = cv2.dilate(meet.view(np.uint8), np.ones((5, 5), np.uint8)) > 0
        out.append(_Level(block, side, wall))
    return out, anchor


def _page_cores(core_lab: np.ndarray, n_core: int, anchor: np.ndarray | None) -> np.ndarray:
    """bool (n_core,): the cores (labels of ``core_lab``) of the page background: those holding
    the anchor points; without anchors, the border-touching cores at least
    :data:`BACKGROUND_SHARE` of the largest one (areas from a strided sample)."""
    page = np.zeros(n_core, bool)
    if anchor is not None:
        page[core_lab[anchor[:, 0], anchor[:, 1]]] = True
    else:
        border = _border_ids(core_lab)
        border = border[border > 0]
        if border.size:
            area = np.bincount(core_lab[::4, ::4].ravel(), minlength=n_core)
            area[border] = np.maximum(area[border], 1)
            page[border[area[border] >= BACKGROUND_SHARE * area[border].max()]] = True
    page[0] = False
    return page


def _cut_mask(grids: list[_Level], shape: tuple[int, int]) -> np.ndarray | None:
    """bool (H, W): the walls of all scales at full resolution, None when there are none."""
    h, w = shape
    walls = [(g.block, g.wall) for g in grids if g.wall is not None]
    if not walls:
        return None
    fine, acc = walls[0][0], walls[0][1].view(np.uint8).copy()
    for block, wall in walls[1:]:
        r = block // fine
        up = cv2.resize(wall.view(np.uint8), (wall.shape[1] * r, wall.shape[0] * r),
                        interpolation=cv2.INTER_NEAREST)
        np.bitwise_or(acc, up[: acc.shape[0], : acc.shape[1]], out=acc)
    if fine > 1:
        acc = np.asarray(cv2.resize(acc, (acc.shape[1] * fine, acc.shape[0] * fine),
                                    interpolation=cv2.INTER_NEAREST), np.uint8)
    return np.ascontiguousarray(acc[:h, :w]).view(bool)


def _block_centres(a: np.ndarray, block: int, hc: int, wc: int) -> np.ndarray:
    """(hc, wc): ``a`` at the centre pixel of each ``block``×``block`` block (clamped into ``a``)."""
    out = a[block // 2 :: block, block // 2 :: block]
    if out.shape != (hc, wc):  # a last, partial block without a centre: its first pixel
        out = np.pad(out, ((0, hc - out.shape[0]), (0, wc - out.shape[1])), mode="edge")
    return out


def _piece_depths(
    pieces: np.ndarray, on_border: np.ndarray, grids: list[_Level], max_depth: int
) -> np.ndarray:
    """int16 (n_pieces,): depth of every core piece. 0 for pieces of cores that are not the page
    background's; else 1 + the number of consecutive scales at which most of the piece lies on the
    page background's side (a piece no block of a scale samples keeps its previous side)."""
    n = len(on_border)
    alive = on_border.copy()
    depth = alive.astype(np.int16)
    # Sample the pieces once at the finest grid's block centres; coarser grids sample that.
    fine = grids[0].block
    hf, wf = grids[0].side.shape
    sampled_fine = _block_centres(pieces, fine, hf, wf)
    for grid in grids:
        hc, wc = grid.side.shape
        r = grid.block // fine
        sampled = sampled_fine if r == 1 else _block_centres(sampled_fine, r, hc, wc)
        side = grid.side.ravel()
        flat = sampled.ravel()
        bg = np.bincount(flat[side == 1], minlength=n)
        other = np.bincount(flat[side == 2], minlength=n)
        alive &= (bg > other) | ((bg == 0) & (other == 0))
        depth += alive
    depth[0] = 0
    return np.minimum(depth, max_depth).astype(np.int16)


def _watershed(markers: np.ndarray, line: np.ndarray) -> None:
    """``cv2.watershed`` in place on ``markers`` (int32 (H+2, W+2), seeds inside a zero frame) with
    paper = 0 and lines = 255: seed labels, -1 on watershed borders.

    ``cv2.watershed`` floods by the difference between neighbours, not by their value, so the paper
    floods breadth-first from the seeds (two seeds meet half-way along a neck, i.e. in the gap) and
    lines are entered last: every closed area holds a seed, so all its paper is flooded from its
    own seeds before any flood crosses a line."""
    grey = np.zeros(markers.shape, np.uint8)
    grey[1:-1, 1:-1] = line.view(np.uint8) * np.uint8(255)
    cv2.watershed(cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR), markers)


def _resolve(
    ws: np.ndarray, paper: np.ndarray, closed: np.ndarray, seed_comp: np.ndarray, n_seeds: int
) -> tuple[np.ndarray, int]:
    """Labels 0-based int32 (H, W) for every pixel, and their number (some may be empty).

    Paper pixels keep their seed (see :func:`_watershed`); lines and watershed borders take the
    nearest such pixel; a border pixel whose nearest one lies in another closed area gets a new
    region instead. ws: the watershed result, int32 (H, W) (a view; unchanged).
    """
    valid = ws > 0
    valid &= paper
    _, nearest = cv2.distanceTransformWithLabels(
        (~valid).view(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_5, labelType=cv2.DIST_LABEL_PIXEL
    )
    labels = np.subtract(ws, 1)
    invalid = np.flatnonzero(~valid.ravel())
    if invalid.size:
        valid_labels = labels[valid]  # raster order == DIST_LABEL_PIXEL numbering
        labels.ravel()[invalid] = valid_labels[nearest.ravel()[invalid] - 1]
    del nearest
    n_labels = n_seeds
    stray = paper & ~valid
    if stray.any():
        rows, cols = np.nonzero(stray)
        foreign = seed_comp[labels[rows, cols] + 1] != closed[rows, cols]
        if foreign.any():
            stray[rows[~foreign], cols[~foreign]] = False
            n_new, new_lab = cv2.connectedComponents(
                stray.view(np.uint8), connectivity=4, ltype=cv2.CV_32S
            )
            labels[stray] = new_lab[stray] - 1 + n_seeds
            n_labels = n_seeds + n_new - 1
    return labels, n_labels


def _boundary_pairs(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """4-neighbour pixel pairs with different labels: (a, b, flat index of a, flat index of b)."""
    w = labels.shape[1]
    flat = labels.ravel()
    hz = np.flatnonzero((labels[:, :-1] != labels[:, 1:]).ravel())
    hz_a = (hz // (w - 1)) * w + hz % (w - 1)
    vt_a = np.flatnonzero((labels[:-1] != labels[1:]).ravel())
    ia = np.concatenate([hz_a, vt_a])
    ib = np.concatenate([hz_a + 1, vt_a + w])
    return flat[ia], flat[ib], ia, ib


def _adjacency(
    labels: np.ndarray, line: np.ndarray, count: int, closed: np.ndarray, home: np.ndarray
) -> RegionAdjacency:
    a, b, ia, ib = _boundary_pairs(labels)
    paper = ~line.ravel()
    is_open = paper[ia] & paper[ib]
    area = closed.ravel()[ia]  # the closed area of an open pair (both pixels share it)
    in_home = is_open & (home[a] == area) & (home[b] == area)
    lo = np.minimum(a, b).astype(np.int64)
    hi = np.maximum(a, b).astype(np.int64)
    key = lo * count + hi
    uniq, inv = np.unique(key, return_inverse=True)
    open_count = np.bincount(inv, weights=is_open, minlength=len(uniq)).astype(np.int64)
    home_count = np.bincount(inv, weights=in_home, minlength=len(uniq)).astype(np.int64)
    all_count = np.bincount(inv, minlength=len(uniq)).astype(np.int64)
    pairs = np.stack([uniq // count, uniq % count], axis=1).astype(np.int32)
    return RegionAdjacency(pairs.reshape(-1, 2), open_count, all_count - open_count, home_count)


def _majority_home(labels: np.ndarray, closed: np.ndarray, count: int) -> np.ndarray:
    """int32 (count,): per region the closed area holding most of its paper (-1 if none)."""
    paper = closed >= 0
    lab = labels[paper].astype(np.int64)
    key, n = np.unique(lab * (int(closed.max()) + 1) + closed[paper], return_counts=True)
    region, area = key // (int(closed.max()) + 1), key % (int(closed.max()) + 1)
    order = np.lexsort((-n, region))
    first = np.ones(len(order), bool)
    first[1:] = region[order][1:] != region[order][:-1]
    home = np.full(count, -1, np.int32)
    home[region[order][first]] = area[order][first]
    return home


def _merge_tiny(
    labels: np.ndarray, paper: np.ndarray, n_labels: int, min_region_px: int
) -> tuple[np.ndarray, int, np.ndarray, np.ndarray]:
    """Merge regions with fewer than ``min_region_px`` paper pixels into the neighbour they share
    the longest border with (non-tiny neighbours first), then renumber 0..count-1.

    labels: int32 (H, W), relabelled in place. Returns (labels, count, paper pixels per region,
    the old id of every new region (ascending)). The border pairs are found once; later rounds map
    them through the merges so far.
    """
    # all pixels less the (fewer) line pixels: cheaper than gathering the paper
    sizes = np.bincount(labels.ravel(), minlength=n_labels) - np.bincount(
        labels[~paper], minlength=n_labels
    )
    mapping = np.arange(n_labels, dtype=np.int64)
    if min_region_px > 1:
        a, b, _, _ = _boundary_pairs(labels)
        a, b = a.astype(np.int64), b.astype(np.int64)
        for _ in range(_MAX_MERGE_ROUNDS):
            tiny = (sizes < min_region_px) & (sizes > 0)
            if not tiny.any() or (sizes > 0).sum() <= 1:
                break
            step = _merge_step(a, b, sizes, tiny, n_labels)
            if step is None:
                break
            mapping = step[mapping]
            sizes = np.bincount(step, weights=sizes, minlength=n_labels).astype(np.int64)
            a, b = step[a], step[b]
            differ = a != b
            a, b = a[differ], b[differ]
    present = sizes > 0
    new_id = (np.cumsum(present) - 1).astype(np.int32)
    np.take(new_id[mapping].astype(np.int32), labels, out=labels, mode="clip")
    return labels, int(present.sum()), sizes[present], np.flatnonzero(present)


def _merge_step(
    a: np.ndarray, b: np.ndarray, sizes: np.ndarray, tiny: np.ndarray, n_labels: int
) -> np.ndarray | None:
    """One round over border pixel pairs (a, b) (int64 (N,), a != b): a label map (n_labels,)
    sending each tiny region to its chosen neighbour."""
    src = np.concatenate([a, b])
    dst = np.concatenate([b, a])
    sel = tiny[src]
    if not sel.any():
        return None
    src, dst = src[sel], dst[sel]
    key = src * n_labels + dst
    uniq, shared = np.unique(key, return_counts=True)
    src, dst = uniq // n_labels, uniq % n_labels
    # a tiny neighbour may only receive a region smaller than itself (or equal with a larger id),
    # so the choices never form a cycle
    dst_tiny = tiny[dst]
    allowed = ~dst_tiny | (sizes[dst] > sizes[src]) | ((sizes[dst] == sizes[src]) & (dst > src))
    src, dst, shared, dst_tiny = src[allowed], dst[allowed], shared[allowed], dst_tiny[allowed]
    if len(src) == 0:
        return None
    order = np.lexsort((-shared, dst_tiny, src))  # per src: non-tiny first, then longest border
    first = np.ones(len(order), bool)
    first[1:] = src[order][1:] != src[order][:-1]
    chosen = order[first]
    step = np.arange(n_labels, dtype=np.int64)
    step[src[chosen]] = dst[chosen]
    for _ in range(64):  # resolve chains tiny → tiny → region
        nxt = step[step]
        if np.array_equal(nxt, step):
            break
        step = nxt
    return step


def _background(
    labels: np.ndarray, paper: np.ndarray, sizes: np.ndarray, depth: np.ndarray, max_depth: int
) -> int:
    """The largest region (by paper pixels ``sizes``) of the page background (depth
    ``max_depth``) whose paper touches the border, else the largest touching the border, or -1."""
    edge_labels = np.concatenate(
        [labels[0][paper[0]], labels[-1][paper[-1]], labels[:, 0][paper[:, 0]],
         labels[:, -1][paper[:, -1]]]
    )
    if edge_labels.size == 0:
        return -1
    candidates = np.unique(edge_labels)
    deepest = candidates[depth[candidates] >= max_depth]
    if deepest.size:
        candidates = deepest
    return int(candidates[np.argmax(sizes[candidates])])


def regions_layer(regmap: RegionMap) -> np.ndarray:
    """One distinct colour per region, for magic-wand selections: uint8 (H, W, 3).

    Colour of label ``i`` is ``((i + 1) * 0x9E3779) mod 2**24`` as ``0xRRGGBB``: a bijection, so
    neighbouring ids get unrelated colours and :func:`labels_from_regions_layer` inverts it.
    """
    return regions_layer_from_labels(regmap.labels)


def regions_layer_from_labels(labels: np.ndarray) -> np.ndarray:
    """:func:`regions_layer` of a bare label image int (H, W) (e.g. ``ColorizeResult.regions``)."""
    code = ((np.asarray(labels).astype(np.int64) + 1) * _COLOUR_MULT) & _MASK24
    out = np.empty((*labels.shape, 3), np.uint8)
    out[..., 0] = code >> 16
    out[..., 1] = (code >> 8) & 0xFF
    out[..., 2] = code & 0xFF
    return out


def labels_from_regions_layer(img: np.ndarray) -> np.ndarray:
    """Inverse of :func:`regions_layer`: uint8 (H, W, 3) or (H, W, 4) → int32 (H, W) labels."""
    if img.ndim != 3 or img.shape[2] not in (3, 4) or img.dtype != np.uint8:
        raise ValueError(f"regions layer must be uint8 (H, W, 3), got {img.dtype} {img.shape}")
    rgb = img[..., :3].astype(np.int64)
    code = (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
    return (((code * _COLOUR_MULT_INV) & _MASK24) - 1).astype(np.int32)
