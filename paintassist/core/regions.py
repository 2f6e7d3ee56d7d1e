"""Region segmentation of line art with gap closing.

Recipe (all OpenCV, no per-region Python loops over pixels):

1. threshold the ink into a line mask; the 4-connected components of the paper (non-line) pixels
   are the *closed* areas (no gap closing);
2. distance of every paper pixel to the nearest line pixel; *cores* are the paper pixels farther
   than ``ceil(gap_px / 2)`` from any line, so a gap of at most ``gap_px`` pixels between two line
   ends holds no core pixel and the cores on its two sides stay apart;
3. seeds: each core component that rises clearly above that level (so noise in anti-aliased strips
   does not splinter a strip into many regions), plus one seed covering each closed area that has no
   such core (small enclosed areas keep their own region);
4. ``cv2.watershed`` floods from the seeds over the paper. Its priority is the difference between
   neighbouring pixels, so the paper is given one value and the lines another: the paper floods
   breadth-first (two seeds meet half-way along a neck, i.e. in the gap) and lines are reached last,
   so a seed never floods across a line while its own closed area has paper left;
5. line pixels (and the one-pixel watershed borders) take the label of the nearest labelled paper
   pixel (``cv2.distanceTransformWithLabels``), so thick lines split along their middle;
6. regions with fewer than ``min_region_px`` paper pixels merge into the neighbour they share the
   longest border with (the only case where a region may cross a line).

Gap widths are measured in whole pixels between line pixels. On a pixel grid a gap of ``2k-1`` and
one of ``2k`` pixels have the same distance profile, so an odd ``gap_px`` also closes gaps of
``gap_px + 1``; an even ``gap_px`` closes exactly the gaps up to ``gap_px``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import cv2
import numpy as np

from paintassist.core.lineart import line_mask

#: Ink level from which a pixel is a line pixel for segmentation. Lower than the 0.35 of
#: ``lineart.line_mask``: normalised pencil sketches draw whole outlines at 0.15-0.3 ink, and at 0.35
#: they vanish and colour leaks (``bench/bench_quality.py`` and the real sketches agree on ~0.12).
LINE_THRESHOLD = 0.12
#: Odd multiplier of the label → colour bijection of :func:`regions_layer` (mod 2**24).
_COLOUR_MULT = 0x9E3779
_COLOUR_MULT_INV = pow(_COLOUR_MULT, -1, 1 << 24)
_MASK24 = (1 << 24) - 1
#: A core component must rise this far (px) above the core level to seed a region of its own.
_CORE_MARGIN = 1.0
_MAX_MERGE_ROUNDS = 12


@dataclass(frozen=True, slots=True)
class RegionAdjacency:
    """Which regions touch, from 4-neighbour pixel pairs of the label image.

    pairs: int32 (E, 2), each row ``(a, b)`` with ``a < b``, sorted, unique.
    open_count: int64 (E,) pixel pairs where both pixels are paper (the two regions touch through
        paper: they were split by gap closing or a neck, not by a line).
    line_count: int64 (E,) pixel pairs where at least one pixel is a line pixel (they touch only
        across a line, or along the line they share).
    """

    pairs: np.ndarray
    open_count: np.ndarray
    line_count: np.ndarray

    @property
    def open_pairs(self) -> np.ndarray:
        """int32 (E_open, 2): the pairs that touch through paper."""
        return self.pairs[self.open_count > 0]


@dataclass(frozen=True, eq=False)
class RegionMap:
    """Result of :func:`segment`.

    labels: int32 (H, W), region id 0..count-1 of every pixel; line pixels take the adjacent region.
    line_mask: bool (H, W), ink pixels.
    count: number of regions.
    background: id of the largest region whose paper touches the image border, -1 if none.
    closed: int32 (H, W), connected components (4-connected) of the paper pixels without any gap
        closing, -1 on line pixels.
    """

    labels: np.ndarray
    line_mask: np.ndarray
    count: int
    background: int
    closed: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        h, w = self.labels.shape
        return int(h), int(w)

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
        return _adjacency(self.labels, self.line_mask, self.count)

    def adjacency(self) -> RegionAdjacency:
        """Region adjacency (computed once per map)."""
        return self._adjacency

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
) -> RegionMap:
    """Split line art into regions, closing line gaps up to ``gap_px`` wide.

    ink: float (H, W) in 0..1, 0 = paper, 1 = ink. gap_px: largest gap (px) between line ends that
    still separates two regions (0 = no gap closing). min_region_px: regions with fewer paper pixels
    merge into a neighbour. line_threshold: ink level from which a pixel is a line pixel.
    Returns a :class:`RegionMap`. See the module docstring for the method.
    """
    _check_ink(ink)
    gap_px = max(0, int(gap_px))
    h, w = ink.shape
    line = np.ascontiguousarray(line_mask(ink, line_threshold), dtype=bool)
    paper = ~line
    paper_u8 = paper.view(np.uint8)
    n_closed, closed = cv2.connectedComponents(paper_u8, connectivity=4, ltype=cv2.CV_32S)
    if n_closed == 1 or not line.any():
        # all ink, or no ink at all: one region
        labels = np.zeros((h, w), np.int32)
        background = 0 if n_closed == 2 else -1
        return RegionMap(labels, line, 1, background, np.subtract(closed, 1, out=closed))

    # Full-size int32 arrays are few and reused: each new one costs ~35 MB of fresh pages on an
    # A4 page, which is a good part of the run time.
    markers = np.zeros((h + 2, w + 2), np.int32)  # its 1-px frame becomes watershed border
    n_seeds, seed_comp = _seeds(paper_u8, closed, n_closed, gap_px, markers[1:-1, 1:-1])
    _flood(markers, line)
    labels, n_labels = _resolve(markers[1:-1, 1:-1], paper, closed, seed_comp, n_seeds)
    del markers
    labels, count, sizes = _merge_tiny(labels, paper, n_labels, min_region_px)
    background = _background(labels, paper, sizes)
    return RegionMap(labels, line, count, background, np.subtract(closed, 1, out=closed))


def _seeds(
    paper_u8: np.ndarray, closed: np.ndarray, n_closed: int, gap_px: int, out: np.ndarray
) -> tuple[int, np.ndarray]:
    """Write seed labels into ``out`` (int32 (H, W), zeros: 0 = unseeded); return their number
    and each seed's closed area (int32 (n_seeds + 1,), index 0 unused)."""
    level = float(math.ceil(gap_px / 2))
    dist = cv2.distanceTransform(paper_u8, cv2.DIST_L2, cv2.DIST_MASK_5)
    core = dist > level
    n_core, core_lab = cv2.connectedComponents(
        core.view(np.uint8), connectivity=4, ltype=cv2.CV_32S
    )
    strong = np.greater(dist, level + _CORE_MARGIN, out=core)  # reuses the core mask
    del dist
    strong_core = core_lab[strong]
    strong_comp = closed[strong]
    keep = np.zeros(n_core, bool)
    keep[strong_core] = True
    keep[0] = False
    core_id = np.cumsum(keep, dtype=np.int32) * keep  # 1..K for kept cores, 0 otherwise
    n_kept = int(keep.sum())
    np.take(core_id, np.asarray(core_lab, np.int32), out=out, mode="clip")
    del core_lab

    seed_comp = np.zeros(n_kept + 1, np.int32)
    seed_comp[core_id[strong_core]] = strong_comp  # a kept core lies in one closed area
    seed_comp[0] = 0
    seeded_comp = np.zeros(n_closed, bool)
    seeded_comp[seed_comp[1:]] = True
    seeded_comp[0] = True  # label 0 of connectedComponents = the lines
    # closed areas without a kept core become one seed each, covering the whole area
    unseeded = ~seeded_comp
    if unseeded.any():
        extra = (np.cumsum(unseeded, dtype=np.int32) + n_kept) * unseeded
        out += np.take(extra, closed, mode="clip")  # those areas hold no core pixel: a union
        extra_comp = np.flatnonzero(unseeded).astype(np.int32)
        seed_comp = np.concatenate([seed_comp, extra_comp])
    return len(seed_comp) - 1, seed_comp


def _flood(markers: np.ndarray, line: np.ndarray) -> None:
    """``cv2.watershed`` in place on ``markers`` (int32 (H+2, W+2), seeds inside a zero frame)
    with paper = 0 and lines = 255 (see module docstring): seed labels, -1 on watershed borders."""
    grey = np.zeros(markers.shape, np.uint8)
    grey[1:-1, 1:-1] = line.view(np.uint8) * np.uint8(255)
    cv2.watershed(cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR), markers)


def _resolve(
    ws: np.ndarray, paper: np.ndarray, closed: np.ndarray, seed_comp: np.ndarray, n_seeds: int
) -> tuple[np.ndarray, int]:
    """Labels 0-based int32 (H, W) for every pixel, and their number (some may be empty).

    Paper pixels flooded from their own closed area keep their seed; everything else (lines,
    watershed borders, rare paper pixels sealed off by a border) takes the nearest such pixel; a
    sealed-off paper pixel whose nearest one lies in another closed area gets a new region instead.
    ws: the watershed result, int32 (H, W) (a view; left unchanged).
    """
    labels = np.maximum(ws, 0)
    valid = labels > 0
    valid &= paper
    scratch = np.take(seed_comp, labels, mode="clip")
    valid &= scratch == closed
    _, nearest = cv2.distanceTransformWithLabels(
        (~valid).view(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_5, labelType=cv2.DIST_LABEL_PIXEL
    )
    valid_labels = labels[valid]  # raster order == DIST_LABEL_PIXEL numbering
    np.subtract(nearest, 1, out=nearest)
    np.take(valid_labels, nearest, out=scratch, mode="clip")
    del nearest
    np.copyto(labels, scratch, where=~valid)
    labels -= 1
    n_labels = n_seeds
    stray = paper & ~valid
    if stray.any():
        stray[stray] = seed_comp[labels[stray] + 1] != closed[stray]
        if stray.any():
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


def _adjacency(labels: np.ndarray, line: np.ndarray, count: int) -> RegionAdjacency:
    a, b, ia, ib = _boundary_pairs(labels)
    paper = ~line.ravel()
    is_open = paper[ia] & paper[ib]
    lo = np.minimum(a, b).astype(np.int64)
    hi = np.maximum(a, b).astype(np.int64)
    key = lo * count + hi
    uniq, inv = np.unique(key, return_inverse=True)
    open_count = np.bincount(inv, weights=is_open, minlength=len(uniq)).astype(np.int64)
    all_count = np.bincount(inv, minlength=len(uniq)).astype(np.int64)
    pairs = np.stack([uniq // count, uniq % count], axis=1).astype(np.int32)
    return RegionAdjacency(pairs.reshape(-1, 2), open_count, all_count - open_count)


def _merge_tiny(
    labels: np.ndarray, paper: np.ndarray, n_labels: int, min_region_px: int
) -> tuple[np.ndarray, int, np.ndarray]:
    """Merge regions with fewer than ``min_region_px`` paper pixels into the neighbour they share
    the longest border with (non-tiny neighbours first), then renumber 0..count-1.

    labels: int32 (H, W), relabelled in place. Returns (labels, count, paper pixels per region).
    The border pairs are found once; later rounds map them through the merges so far.
    """
    sizes = np.bincount(labels[paper], minlength=n_labels)
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
    return labels, int(present.sum()), sizes[present]


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


def _background(labels: np.ndarray, paper: np.ndarray, sizes: np.ndarray) -> int:
    """The largest region (by paper pixels ``sizes``) whose paper touches the border, or -1."""
    edge_labels = np.concatenate(
        [labels[0][paper[0]], labels[-1][paper[-1]], labels[:, 0][paper[:, 0]],
         labels[:, -1][paper[:, -1]]]
    )
    if edge_labels.size == 0:
        return -1
    candidates = np.unique(edge_labels)
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
