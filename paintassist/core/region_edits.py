"""The artist's edits of the region map: gap strokes and links (:class:`~paintassist.core.types.Stroke`).

* A **gap stroke** is drawn into a copy of the ink at full strength (:func:`draw_gaps`) before the
  segmentation, so it closes the gap it crosses (or splits an area in two) exactly as a line
  would; the line-art layer is made from the sketch's own ink, so the stroke never shows in the
  output. RefineNet sees the edited ink too (its colour respects the stroke, and the colour under
  lines is filled from beside them, so no dark seam appears).
* A **link** joins two areas: the area a lone dot at its first point would fill and the one a dot
  at its second point would fill (:func:`paintassist.core.flatten.lone_area`) become one region
  (:func:`link_areas`), so one dot colours both, the flats give both one colour and the networks
  get the dot's colour at both ends (:func:`linked_dots`).

Both run on the working image (preview or full resolution) in the pipeline, before the dots are
placed; they are cached with the segmentation.
"""

from __future__ import annotations

import cv2
import numpy as np

from paintassist.core.flatten import _dot_region, lone_area
from paintassist.core.regions import RegionMap
from paintassist.core.types import Hint, HintSet, Stroke


def draw_gaps(ink: np.ndarray, gaps: tuple[Stroke, ...]) -> np.ndarray:
    """``ink`` (float32 (H, W) 0..1) with the gap strokes drawn in at 1.0, each ``width`` px
    wide (at least 1, 8-connected, so 4-connected paper never crosses it); ``ink`` itself when
    there are none (never modified)."""
    strokes = [s for s in gaps if s.kind == "gap"]
    if not strokes:
        return ink
    out = ink.copy()
    for stroke in strokes:
        pts = np.round(np.asarray(stroke.points, np.float64)).astype(np.int32).reshape(-1, 1, 2)
        thickness = max(1, round(stroke.width))
        cv2.polylines(out, [pts], False, 1.0, thickness=thickness, lineType=cv2.LINE_8)
    return out


def _roots(count: int, groups: list[np.ndarray]) -> np.ndarray:
    """int64 (count,): each region's group representative after joining every group of ids in
    ``groups`` (union-find over the groups)."""
    parent = np.arange(count, dtype=np.int64)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    for ids in groups:
        if ids.size < 2:
            continue
        first = find(int(ids[0]))
        for j in ids[1:]:
            r = find(int(j))
            if r != first:
                parent[max(r, first)] = min(r, first)
                first = min(r, first)
    return np.array([find(i) for i in range(count)], np.int64)


def link_areas(regmap: RegionMap, links: tuple[Stroke, ...]) -> RegionMap:
    """``regmap`` with the areas each link joins made one region (ids stay: the joined regions
    take the lowest id of their group and the others are left empty), or ``regmap`` itself when
    no link joins anything. A link end on a line takes the paper a dot there would take; an end
    that would colour nothing (outside the page, enclosed in a speck) joins nothing.

    The joined region keeps the smallest depth of its parts, and the closed area and core of the
    part with the lowest id: a later dot in either part colours all of it and no more of the
    page than a dot in that part would."""
    groups: list[np.ndarray] = []
    for link in links:
        if link.kind != "link":
            continue
        ends = [
            lone_area(regmap, Hint("accurate", x, y, (0, 0, 0), 1.0)) for x, y in link.points
        ]
        if not all(e.any() for e in ends):
            continue
        groups.append(np.flatnonzero(ends[0] | ends[1]))
    if not groups:
        return regmap
    root = _roots(regmap.count, groups)
    if (root == np.arange(regmap.count)).all():
        return regmap
    depth = regmap.depths.copy()
    np.minimum.at(depth, root, regmap.depths)
    assert regmap.home is not None and regmap.core is not None
    home, core = regmap.home.copy(), regmap.core.copy()
    joined = root != np.arange(regmap.count)
    home[joined] = regmap.home[root[joined]]  # empty now: they follow their group
    core[joined] = regmap.core[root[joined]]
    labels = root.astype(np.int32)[regmap.labels]
    background = int(root[regmap.background]) if regmap.background >= 0 else -1
    return RegionMap(labels, regmap.line_mask, regmap.count, background, regmap.closed,
                     depth=depth, levels=regmap.levels, ink=regmap.ink,
                     min_region_px=regmap.min_region_px, home=home, core=core)


def linked_dots(regmap: RegionMap, hints: HintSet) -> HintSet:
    """The accurate dots of ``hints`` plus, for every link whose joined region on ``regmap`` (a
    map from :func:`link_areas`) holds a dot, a copy of the latest such dot at each end of the
    link: what the networks are given, so the colour reaches both joined parts."""
    dots = hints.accurate
    extra: list[Hint] = []
    for link in hints.links:
        x, y = link.points[0]
        region = regmap.region_at(x, y)
        inside = [d for d in dots if _dot_region(regmap, d) == region]
        if not inside:
            continue
        dot = inside[-1]
        extra += [dot.moved(px, py) for px, py in link.points]
    if not extra:
        return dots
    return HintSet((*dots.hints, *extra))


def area_outline(labels: np.ndarray, member: np.ndarray) -> list[np.ndarray]:
    """The outlines of the pixels whose region is in ``member`` (bool (count,)) on ``labels``
    (int (H, W)): a list of float32 (N, 2) ``(x, y)`` closed polygons through the centres of
    the area's boundary pixels, in coordinates where pixel ``j`` spans ``j .. j + 1``."""
    mask = member[labels].astype(np.uint8)
    if not mask.any():
        return []
    # Padded by one pixel so areas touching the border close there too.
    contours, _ = cv2.findContours(
        cv2.copyMakeBorder(mask, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0),
        cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE,
    )
    return [c.reshape(-1, 2).astype(np.float32) - 0.5 for c in contours if len(c) >= 2]
