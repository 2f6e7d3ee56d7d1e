"""The artist's region-map edits (issue 12): gap strokes close gaps and split areas and never show
in the output; links make two areas one colour; the area a lone dot fills; its outline."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from paintassist.core import flatten, region_edits
from paintassist.core.pipeline import Pipeline
from paintassist.core.regions import segment
from paintassist.core.types import (
    ColorizeOptions,
    ColorizeRequest,
    Hint,
    HintSet,
    Sketch,
    Stroke,
)

SKIN = (240, 200, 170)
BLUE = (40, 80, 210)
WHITE = (255, 255, 255)
CLASSICAL = ColorizeOptions(use_networks=False)


def _dot(x: float, y: float, rgb: tuple[int, int, int]) -> Hint:
    return Hint("accurate", x, y, rgb, 3.0)


def _wide_open_face(h: int = 400, w: int = 500) -> tuple[np.ndarray, np.ndarray]:
    """A circle (r = 90) whose outline is open by 60 px on its left side, far wider than any
    adaptive closing (1.5 % of 500 px = 7.5 px): its inside is page background. Returns (ink, bool
    mask of the inside)."""
    ink = np.zeros((h, w), np.float32)
    cx, cy, r = 200, 200, 90
    cv2.circle(ink, (cx, cy), r, 1.0, 3, cv2.LINE_AA)
    ink[cy - 30 : cy + 30, cx - r - 8 : cx - r + 8] = 0.0
    yy, xx = np.mgrid[:h, :w]
    return ink, (xx - cx) ** 2 + (yy - cy) ** 2 < (r - 5) ** 2


def _run(ink: np.ndarray, hints: HintSet, **kw: object) -> np.ndarray:
    options = ColorizeOptions(use_networks=False, **kw)  # type: ignore[arg-type]
    return Pipeline().run(ColorizeRequest(Sketch(ink), hints, options=options)).flats


# The gap stroke across the opening: the circle's own left edge at x = 110, y = 170..230.
GAP = Stroke("gap", ((112.0, 160.0), (108.0, 200.0), (112.0, 240.0)), 3.0)


def test_without_a_gap_stroke_a_dot_in_a_wide_open_face_colours_the_page() -> None:
    ink, _inside = _wide_open_face()
    flats = _run(ink, HintSet((_dot(200, 200, SKIN),)))
    assert (flats[:20] == SKIN).all(axis=-1).mean() > 0.9  # the paper at the top of the page


def test_a_gap_stroke_closes_the_face_and_the_page_stays_paper() -> None:
    ink, inside = _wide_open_face()
    flats = _run(ink, HintSet((_dot(200, 200, SKIN),), (GAP,)))
    assert (flats[inside] == SKIN).all(axis=-1).mean() > 0.99
    assert (flats[:20] == WHITE).all()
    assert (flats[:, 450:] == WHITE).all()


def test_gap_strokes_are_invisible_in_the_output() -> None:
    ink, _inside = _wide_open_face()
    hints = HintSet((_dot(200, 200, SKIN), _dot(40, 40, BLUE)))
    plain = Pipeline().run(ColorizeRequest(Sketch(ink), hints, options=CLASSICAL))
    edited = Pipeline().run(
        ColorizeRequest(Sketch(ink), hints.with_stroke(GAP), options=CLASSICAL)
    )
    np.testing.assert_array_equal(edited.lineart, plain.lineart)
    # under the stroke the composite shows colour (the face's or the page's), never a dark line
    under = np.zeros(ink.shape, np.uint8)
    cv2.polylines(under, [np.array(GAP.points, np.int32)], False, 1, 3)
    under = under.astype(bool) & (ink < 0.05)
    assert under.sum() > 50
    np.testing.assert_array_equal(edited.composite[under], edited.flats[under])
    shown = {tuple(int(c) for c in px) for px in edited.composite[under]}
    assert shown <= {SKIN, BLUE}


def test_a_gap_stroke_splits_an_area() -> None:
    ink = np.zeros((300, 400), np.float32)
    cv2.rectangle(ink, (50, 50), (350, 250), 1.0, 3)
    stroke = Stroke("gap", ((200.0, 52.0), (200.0, 248.0)), 2.0)
    flats = _run(ink, HintSet((_dot(120, 150, SKIN),), (stroke,)))
    assert (flats[100:200, 70:190] == SKIN).all()
    assert (flats[100:200, 210:340] == WHITE).all()
    unsplit = _run(ink, HintSet((_dot(120, 150, SKIN),)))
    assert (unsplit[100:200, 210:340] == SKIN).all()


def test_draw_gaps_leaves_the_ink_alone_and_draws_at_full_strength() -> None:
    ink = np.zeros((50, 50), np.float32)
    assert region_edits.draw_gaps(ink, ()) is ink
    out = region_edits.draw_gaps(ink, (Stroke("gap", ((5.0, 25.0), (45.0, 25.0)), 1.0),))
    assert out is not ink and not ink.any()
    assert (out[25, 5:46] == 1.0).all()


def _two_circles() -> np.ndarray:
    ink = np.zeros((300, 500), np.float32)
    cv2.circle(ink, (130, 150), 70, 1.0, 3)
    cv2.circle(ink, (370, 150), 70, 1.0, 3)
    return ink


LINK = Stroke("link", ((130.0, 150.0), (370.0, 150.0)))


def test_a_link_makes_two_areas_one_colour() -> None:
    ink = _two_circles()
    flats = _run(ink, HintSet((_dot(130, 150, SKIN),), (LINK,)))
    assert (flats[130:170, 110:150] == SKIN).all()
    assert (flats[130:170, 350:390] == SKIN).all()
    assert (flats[:20] == WHITE).all()  # the page is not in either area
    alone = _run(ink, HintSet((_dot(130, 150, SKIN),)))
    assert (alone[130:170, 350:390] == WHITE).all()


def test_a_dot_in_either_linked_area_colours_both() -> None:
    ink = _two_circles()
    flats = _run(ink, HintSet((_dot(370, 150, BLUE),), (LINK,)))
    assert (flats[130:170, 110:150] == BLUE).all()


def test_link_areas_keeps_ids_and_joins_the_lone_areas() -> None:
    regmap = segment(_two_circles(), gap_px=4)
    linked = region_edits.link_areas(regmap, (LINK,))
    assert linked.count == regmap.count
    a, b = linked.region_at(130, 150), linked.region_at(370, 150)
    assert a == b
    assert regmap.region_at(130, 150) != regmap.region_at(370, 150)
    assert linked.background == regmap.background
    # a link with an end on nothing (outside the page) changes nothing
    off = Stroke("link", ((130.0, 150.0), (9000.0, 150.0)))
    assert region_edits.link_areas(regmap, (off,)) is regmap


def test_linked_dots_copy_the_dot_to_both_ends_for_the_networks() -> None:
    regmap = region_edits.link_areas(segment(_two_circles(), gap_px=4), (LINK,))
    hints = HintSet((_dot(120, 140, SKIN),), (LINK,))
    dots = region_edits.linked_dots(regmap, hints)
    assert len(dots) == 3
    assert {(d.x, d.y) for d in dots[1:]} == {(130.0, 150.0), (370.0, 150.0)}
    assert all(d.rgb == SKIN for d in dots)
    assert region_edits.linked_dots(regmap, HintSet((), (LINK,))).hints == ()


@pytest.mark.parametrize("x, y", [(130, 150), (131, 80)])  # inside; on the outline (snaps)
def test_lone_area_is_what_a_single_dot_colours(x: float, y: float) -> None:
    ink = _two_circles()
    regmap = segment(ink, gap_px=4)
    member = flatten.lone_mask(regmap, _dot(x, y, SKIN))
    flats = _run(ink, HintSet((_dot(x, y, SKIN),)))
    coloured = (flats == SKIN).all(axis=-1)
    np.testing.assert_array_equal(member & ~regmap.line_mask, coloured & ~regmap.line_mask)


def test_lone_area_of_a_square_is_the_regions_it_sets() -> None:
    regmap = segment(_two_circles(), gap_px=4)
    square = Hint("draft", 130, 150, BLUE, 30)
    member = flatten.lone_area(regmap, square)
    assert member[regmap.region_at(130, 150)]
    assert not member[regmap.region_at(370, 150)]
    assert not member[regmap.background]


def test_area_outline_encloses_the_area() -> None:
    regmap = segment(_two_circles(), gap_px=4)
    member = flatten.lone_area(regmap, _dot(130, 150, SKIN))
    polygons = region_edits.area_outline(regmap.labels, member)
    assert polygons
    biggest = max(polygons, key=lambda p: abs(cv2.contourArea(p)))
    x0, y0 = biggest.min(axis=0)
    x1, y1 = biggest.max(axis=0)
    assert 55 <= x0 <= 66 and 195 <= x1 <= 205 and 75 <= y0 <= 86 and 215 <= y1 <= 225
    assert cv2.pointPolygonTest(biggest, (130.0, 150.0), False) > 0
    assert cv2.pointPolygonTest(biggest, (370.0, 150.0), False) < 0
    assert region_edits.area_outline(regmap.labels, np.zeros(regmap.count, bool)) == []
