"""Where to hint next (issue 12): the largest areas no hint decides, three different ones, never
the page background."""

from __future__ import annotations

import cv2
import numpy as np

from paintassist.core.regions import segment
from paintassist.core.suggest import where_to_hint
from paintassist.core.types import Hint, HintSet


def _shapes() -> np.ndarray:
    """Four closed shapes of different sizes on a 400 × 600 page, and a tiny one."""
    ink = np.zeros((400, 600), np.float32)
    cv2.rectangle(ink, (20, 20), (260, 380), 1.0, 3)  # big: 240 × 360
    cv2.circle(ink, (400, 110), 80, 1.0, 3)  # middle
    cv2.rectangle(ink, (330, 230), (450, 350), 1.0, 3)  # smaller
    cv2.circle(ink, (530, 300), 30, 1.0, 3)  # small
    cv2.circle(ink, (560, 40), 6, 1.0, 2)  # too small to suggest
    return ink


def test_the_largest_undecided_areas_come_first_and_never_the_page() -> None:
    regmap = segment(_shapes(), gap_px=4)
    found = where_to_hint(regmap, HintSet())
    assert len(found) == 3
    at = [regmap.region_at(s.x, s.y) for s in found]
    assert at == [regmap.region_at(140, 200), regmap.region_at(400, 110),
                  regmap.region_at(390, 290)]
    assert regmap.background not in at
    assert found[0].share > found[1].share > found[2].share
    for s in found:  # the number sits well inside its area, away from the lines
        assert not regmap.line_mask[round(s.y), round(s.x)]


def test_a_dotted_area_is_no_longer_suggested() -> None:
    regmap = segment(_shapes(), gap_px=4)
    hints = HintSet((Hint("accurate", 140, 200, (200, 100, 100), 3.0),))
    found = where_to_hint(regmap, hints)
    at = [regmap.region_at(s.x, s.y) for s in found]
    assert regmap.region_at(140, 200) not in at
    assert at[0] == regmap.region_at(400, 110)
    assert regmap.region_at(530, 300) in at


def test_nothing_left_to_suggest() -> None:
    regmap = segment(_shapes(), gap_px=4)
    dots = HintSet(tuple(Hint("accurate", x, y, (90, 90, 200), 3.0)
                         for x, y in [(140, 200), (400, 110), (390, 290), (530, 300)]))
    assert where_to_hint(regmap, dots) == []
    empty = segment(np.zeros((100, 100), np.float32), gap_px=4)
    assert where_to_hint(empty, HintSet()) == []


def test_balloons_that_stay_paper_are_not_suggested() -> None:
    regmap = segment(_shapes(), gap_px=4)
    paper = np.zeros(regmap.count, bool)
    paper[regmap.region_at(140, 200)] = True
    found = where_to_hint(regmap, HintSet(), stay_paper=paper)
    assert regmap.region_at(140, 200) not in [regmap.region_at(s.x, s.y) for s in found]
