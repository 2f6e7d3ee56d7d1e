"""Where one more dot would help most: the largest areas that no hint decides.

:func:`where_to_hint` ranks the areas a lone dot would fill (:func:`paintassist.core.flatten.lone_area`:
the regions of depth at most ``d`` joined through paper, for a dot in a region of depth ``d``) by
how much undecided paper they hold, takes the best, counts its regions as decided and repeats, so
the suggestions are three different areas. The page background, speech balloons and paper the
hints already decide are never suggested, nor areas under :data:`MIN_SHARE` of the page.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from paintassist.core.flatten import decide
from paintassist.core.regions import RegionMap
from paintassist.core.types import HintSet

#: Areas smaller than this share of the page are not worth a suggestion.
MIN_SHARE = 0.004


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One place to hint: ``(x, y)`` px on the map (deep inside the area's largest region),
    ``share`` of the page's paper the area holds undecided, ``regions`` int64 ids of the area."""

    x: float
    y: float
    share: float
    regions: np.ndarray


def where_to_hint(
    regmap: RegionMap,
    hints: HintSet,
    count: int = 3,
    *,
    stay_paper: np.ndarray | None = None,
) -> list[Suggestion]:
    """Up to ``count`` suggestions, best first (see the module docstring). ``hints`` in the map's
    pixel coordinates; ``stay_paper`` bool (count,): regions that stay paper (balloons)."""
    n = regmap.count
    paper = regmap.paper_areas.astype(np.float64)
    total = max(float(paper.sum()), 1.0)
    open_ = ~decide(regmap, hints).has & ~regmap.page_background & (paper > 0)
    if stay_paper is not None:
        open_ &= ~stay_paper[:n]
    depth = regmap.depths
    out: list[Suggestion] = []
    while len(out) < count and open_.any():
        best: tuple[float, int, int] | None = None  # (undecided paper, level, area id)
        for level in np.unique(depth[open_]):
            area = regmap.area_ids(int(level))
            valid = area >= 0
            score = np.bincount(area[valid & open_], weights=paper[valid & open_],
                                minlength=int(area.max()) + 1 if valid.any() else 0)
            # only areas a dot at this level can reach: one of their regions has this depth
            reachable = np.zeros(len(score), bool)
            reachable[area[valid & open_ & (depth == level)]] = True
            score[~reachable] = 0
            if score.size and (best is None or score.max() > best[0]):
                a = int(np.argmax(score))
                best = (float(score[a]), int(level), a)
        if best is None or best[0] < MIN_SHARE * total:
            break
        value, level, a = best
        members = np.flatnonzero(regmap.area_ids(level) == a)
        starts = members[(depth[members] == level) & open_[members]]
        seed = int(starts[np.argmax(paper[starts])])
        x, y = _deep_point(regmap, seed, regmap.boxes[seed])
        out.append(Suggestion(x, y, value / total, members))
        open_[members] = False
    return out


def _deep_point(
    regmap: RegionMap, region: int, box: tuple[slice, slice] | None
) -> tuple[float, float]:
    """The paper pixel of ``region`` farthest from its edge, ``(x, y)`` px."""
    if box is None:
        x, y = regmap.centroids[region]
        return float(x), float(y)
    mask = (regmap.labels[box] == region) & ~regmap.line_mask[box]
    if not mask.any():
        mask = regmap.labels[box] == region
    padded = cv2.copyMakeBorder(mask.view(np.uint8), 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0)
    dist = cv2.distanceTransform(padded, cv2.DIST_L2, 3)[1:-1, 1:-1]
    row, col = np.unravel_index(int(np.argmax(dist)), dist.shape)
    return float(col + box[1].start), float(row + box[0].start)
