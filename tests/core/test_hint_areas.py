"""Hints on open, sketchy line art (issue 12): the paper stays paper, strokes ending inside an area
do not split it, hatching, dots on lines, draft squares keep to their areas, no light on the page.

Every drawing is made here, small: an 800-px page closes gaps adaptively up to 12 px (1.5 %)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from paintassist.core import flatten
from paintassist.core.pipeline import Pipeline
from paintassist.core.regions import segment
from paintassist.core.types import (
    ColorizeOptions,
    ColorizeRequest,
    Hint,
    HintSet,
    LightSettings,
    Sketch,
)

SKIN = (240, 200, 170)
BLUE = (40, 80, 210)
RED = (210, 40, 40)
GREEN = (40, 170, 60)
WHITE = (255, 255, 255)
CLASSICAL = ColorizeOptions(use_networks=False)


def _dot(x: float, y: float, rgb: tuple[int, int, int]) -> Hint:
    return Hint("accurate", x, y, rgb, 3.0)


def _open_face(gap: int, h: int = 600, w: int = 800) -> tuple[np.ndarray, np.ndarray]:
    """A face (circle, r = 100) 40 px from the left border, its outline open by ``gap`` px on the
    side facing that border. Returns (ink, bool mask of the face's inside)."""
    ink = np.zeros((h, w), np.float32)
    cx, cy, r = 140, 300, 100
    cv2.circle(ink, (cx, cy), r, 1.0, 3, cv2.LINE_AA)
    ink[cy - gap // 2 : cy - gap // 2 + gap, cx - r - 8 : cx - r + 8] = 0.0
    yy, xx = np.mgrid[:h, :w]
    inside = (xx - cx) ** 2 + (yy - cy) ** 2 < (r - 4) ** 2
    return ink, inside


def _outside(h: int, w: int, cx: int = 140, cy: int = 300, r: int = 100) -> np.ndarray:
    yy, xx = np.mgrid[:h, :w]
    return np.asarray((xx - cx) ** 2 + (yy - cy) ** 2 > (r + 20) ** 2)


# -- 1. the paper stays paper ------------------------------------------------------------------------
@pytest.mark.parametrize("gap", [4, 8, 11])
def test_dot_in_an_open_face_beside_the_border_leaves_the_page_paper(gap: int) -> None:
    ink, inside = _open_face(gap)
    result = Pipeline().run(
        ColorizeRequest(Sketch(ink), HintSet((_dot(140, 300, SKIN),)), options=CLASSICAL)
    )
    flats = result.flats
    assert (flats[inside] == SKIN).all(axis=1).mean() > 0.99
    outside = _outside(*ink.shape)
    assert (flats[outside] == WHITE).all(), f"the page was painted through a {gap}-px gap"


def test_the_network_path_keeps_the_page_paper_too() -> None:
    ink, inside = _open_face(8)
    result = Pipeline(nets=_MoodNets()).run(
        ColorizeRequest(Sketch(ink), HintSet((_dot(140, 300, SKIN),)))
    )
    assert (result.flats[inside] == SKIN).all(axis=1).mean() > 0.99
    assert (result.flats[_outside(*ink.shape)] == WHITE).all()


def test_a_dot_on_the_background_colours_the_background_not_the_face() -> None:
    ink, inside = _open_face(8)
    hints = HintSet((_dot(600, 100, BLUE),))
    flats = Pipeline().run(ColorizeRequest(Sketch(ink), hints, options=CLASSICAL)).flats
    outside = _outside(*ink.shape)
    assert (flats[outside] == BLUE).all(axis=1).mean() > 0.99
    assert not (flats[inside] == BLUE).all(axis=1).any()
    # with a face dot too, each keeps its own
    both = hints.with_added(_dot(140, 300, SKIN))
    flats = Pipeline().run(ColorizeRequest(Sketch(ink), both, options=CLASSICAL)).flats
    assert (flats[inside] == SKIN).all(axis=1).mean() > 0.99
    assert (flats[outside] == BLUE).all(axis=1).mean() > 0.99


def test_depth_orders_the_face_below_the_page_and_a_cropped_figure_is_not_page() -> None:
    ink, _ = _open_face(8)
    cv2.rectangle(ink, (500, 450), (700, 700), 1.0, 3)  # a torso cut by the bottom edge
    regmap = segment(ink)
    face = regmap.region_at(140, 300)
    page = regmap.region_at(600, 100)
    torso = regmap.region_at(600, 560)
    assert regmap.max_depth == len(regmap.levels) >= 2
    assert regmap.levels[0] == 6 and regmap.levels[-1] == pytest.approx(0.015 * 800)
    assert regmap.page_background[page] and regmap.background == page
    assert 1 <= regmap.depths[face] < regmap.max_depth  # closed at a scale above the user's gap
    assert not regmap.page_background[torso]
    flats = Pipeline().run(
        ColorizeRequest(Sketch(ink), HintSet((_dot(600, 560, BLUE),)), options=CLASSICAL)
    ).flats
    assert tuple(flats[560, 600]) == BLUE and tuple(flats[100, 600]) == WHITE


def test_closing_stops_at_the_largest_gap_scale() -> None:
    """Past the maximum (1.5 % of the long side) the face is open: it is page."""
    ink, _ = _open_face(40)
    regmap = segment(ink)
    assert regmap.page_background[regmap.region_at(140, 300)]
    closed = segment(ink, max_gap_px=48)
    assert not closed.page_background[closed.region_at(140, 300)]


# -- 2. strokes that end inside an area do not split it ------------------------------------------------
def _jacket(open_gap: int = 0) -> np.ndarray:
    """A jacket (rectangle) with fold lines and strands ending inside it; optionally its left side
    open to the page by ``open_gap`` px."""
    ink = np.zeros((600, 800), np.float32)
    cv2.rectangle(ink, (200, 150), (600, 450), 1.0, 3)
    cv2.line(ink, (300, 150), (330, 330), 1.0, 2, cv2.LINE_AA)  # fold from the top, ends inside
    cv2.line(ink, (450, 450), (430, 260), 1.0, 2, cv2.LINE_AA)  # fold from the bottom
    for x in range(480, 580, 12):  # strands hanging from the top
        cv2.line(ink, (x, 150), (x + 6, 250), 1.0, 1, cv2.LINE_AA)
    if open_gap:
        ink[300 - open_gap // 2 : 300 - open_gap // 2 + open_gap, 190:212] = 0.0
    return ink


@pytest.mark.parametrize("open_gap", [0, 10])
def test_one_dot_colours_the_whole_area_with_folds_and_strands(open_gap: int) -> None:
    ink = _jacket(open_gap)
    result = Pipeline().run(
        ColorizeRequest(Sketch(ink), HintSet((_dot(250, 300, BLUE),)), options=CLASSICAL)
    )
    inside = np.zeros(ink.shape, bool)
    inside[156:445, 206:595] = True
    inside &= ink < 0.05
    assert (result.flats[inside] == BLUE).all(axis=1).mean() > 0.995
    assert (result.flats[:, :150] == WHITE).all()  # the page to the left stays paper
    assert result.lineart[240, 315, 3] > 128  # the fold stays in the line art


def test_a_fold_whose_end_comes_within_the_gap_setting_closes_the_area_there() -> None:
    """The user's gap setting is the smallest scale: a stroke ending 2 px from the outline closes
    the area at that point (as any gap of at most ``gap_px``); with no gap closing it does not."""
    ink = np.zeros((600, 800), np.float32)
    cv2.rectangle(ink, (200, 150), (600, 450), 1.0, 3)
    cv2.line(ink, (400, 150), (400, 444), 1.0, 2)  # a 2-px gap above the bottom outline
    flats = Pipeline().run(
        ColorizeRequest(Sketch(ink), HintSet((_dot(250, 300, BLUE),)), options=CLASSICAL)
    ).flats
    assert tuple(flats[300, 300]) == BLUE and tuple(flats[300, 500]) != BLUE
    wide = ColorizeOptions(use_networks=False, gap_px=0)
    flats = Pipeline().run(
        ColorizeRequest(Sketch(ink), HintSet((_dot(250, 300, BLUE),)), options=wide)
    ).flats
    assert tuple(flats[300, 500]) == BLUE


# -- 2b. hatching and dots on lines -----------------------------------------------------------------
def _hatched_shape() -> np.ndarray:
    """A closed shape with a patch of light cross-hatching (blush), strokes 3 px apart."""
    ink = np.zeros((400, 600), np.float32)
    cv2.rectangle(ink, (100, 100), (500, 300), 1.0, 3)
    patch = np.zeros_like(ink)
    for k in range(-200, 200, 4):
        cv2.line(patch, (250 + k, 150), (350 + k, 250), 0.25, 1)
        cv2.line(patch, (350 + k, 150), (250 + k, 250), 0.25, 1)
    patch[:, :250] = 0
    patch[:, 350:] = 0
    return np.maximum(ink, patch)


def test_a_dot_on_light_hatching_colours_the_area_under_it() -> None:
    ink = _hatched_shape()
    sketch = Sketch(ink)
    # every position on the patch: on a stroke, or in a speck between strokes
    for x, y in [(300, 200), (301, 200), (302, 201), (299, 199)]:
        result = Pipeline().run(
            ColorizeRequest(sketch, HintSet((_dot(x, y, RED),)), options=CLASSICAL)
        )
        assert tuple(result.flats[120, 150]) == RED, (x, y)
        assert tuple(result.flats[280, 480]) == RED, (x, y)
        assert not [n for n in result.notes if n.startswith("dot")]  # silently, no warning
        assert result.lineart[200, 300:304, 3].max() > 0  # the hatching stays drawn


def test_a_dot_on_a_solid_line_moves_to_the_nearest_paper_with_a_note() -> None:
    ink = np.zeros((400, 600), np.float32)
    cv2.rectangle(ink, (100, 100), (500, 300), 1.0, 5)
    result = Pipeline().run(
        ColorizeRequest(Sketch(ink), HintSet((_dot(300, 101, RED),)), options=CLASSICAL)
    )
    moved = [n for n in result.notes if "lies on a line" in n]
    assert len(moved) == 1 and "(300, 101)" in moved[0]
    # it went to the nearer side of the line (the inside, 2 px away), which takes its colour
    assert tuple(result.flats[200, 300]) == RED
    assert tuple(result.flats[50, 300]) == WHITE


def test_a_dot_in_a_speck_enclosed_by_a_solid_line_colours_the_speck_only() -> None:
    """An eye's glint or a button is paper too small for a region of its own: a dot there is
    what the artist means for that speck, not for the paper round it (nor dropped: the real
    pairs' dots in specks were a third of their N=2 hint error)."""
    ink = np.zeros((200, 200), np.float32)
    cv2.rectangle(ink, (90, 90), (95, 95), 1.0, 1)  # a 4x4 paper speck inside a solid outline
    regmap = segment(ink)
    dot = HintSet((_dot(92, 92, RED),))
    placed, notes = flatten.place_hints(regmap, dot)
    assert placed == dot and notes == []
    # on the unsplit map it decides nothing (its colour would cross the outline)...
    assert (flatten.classical_palette(regmap, dot) == 255).all()
    # ...once split_by_dots has cut the speck out, the speck and only the speck takes it
    split = flatten.split_by_dots(regmap, placed)
    assert split.count == regmap.count + 1 and split.base is regmap
    flats = flatten.paint(split, flatten.classical_palette(split, placed))
    speck = (ink[91:95, 91:95] == 0)
    assert (flats[91:95, 91:95][speck] == RED).all()
    assert (flats[:85] == 255).all() and (flats[100:] == 255).all()
    result = Pipeline(nets=None).run(ColorizeRequest(Sketch(ink), dot, options=CLASSICAL))
    assert tuple(result.flats[92, 92]) == RED and tuple(result.flats[20, 20]) == WHITE
    assert not any("speck" in n for n in result.notes)


def test_dots_in_a_speck_and_round_it_keep_their_own_colours() -> None:
    ink = np.zeros((200, 200), np.float32)
    cv2.rectangle(ink, (90, 90), (95, 95), 1.0, 1)
    regmap = segment(ink)
    hints = HintSet((_dot(92, 92, RED), _dot(93, 93, RED), _dot(30, 30, BLUE),
                     _dot(170, 170, GREEN)))  # two in the speck, two far apart round it
    split = flatten.split_by_dots(regmap, flatten.place_hints(regmap, hints)[0])
    flats = flatten.paint(split, flatten.classical_palette(split, hints))
    assert tuple(flats[92, 92]) == RED and tuple(flats[30, 30]) == BLUE
    assert tuple(flats[170, 170]) == GREEN
    assert split.count == regmap.count + 3  # one speck cell (shared), the page's two reaches


def test_notes_give_sketch_coordinates_on_a_preview() -> None:
    ink = np.zeros((800, 1200), np.float32)
    cv2.rectangle(ink, (200, 200), (1000, 600), 1.0, 9)
    options = ColorizeOptions(use_networks=False, work_long_side=600)
    result = Pipeline().run(
        ColorizeRequest(Sketch(ink), HintSet((_dot(600, 200, RED),)), options=options)
    )
    assert any("(600, 200)" in n and "lies on a line" in n for n in result.notes)


# -- 3. a draft square sets the areas it covers and never recolours the ones it does not touch -----
def _two_shapes() -> np.ndarray:
    """Shape A (open at its left to the page by 8 px) and a closed shape B right next to it."""
    ink = np.zeros((400, 600), np.float32)
    cv2.rectangle(ink, (100, 100), (300, 300), 1.0, 3)
    ink[196:204, 95:106] = 0.0
    cv2.circle(ink, (360, 200), 50, 1.0, 3)  # B, 7 px from A's outline
    return ink


def test_a_draft_square_sets_its_area_and_not_the_closed_shape_beside_it() -> None:
    ink = _two_shapes()
    square = Hint("draft", 270, 200, RED, 80.0)  # reaches over B's outline, covers little of B
    flats = Pipeline().run(
        ColorizeRequest(Sketch(ink), HintSet((square,)), options=CLASSICAL)
    ).flats
    assert tuple(flats[150, 150]) == RED  # the whole of A, well past the square
    assert tuple(flats[200, 360]) == WHITE  # B untouched
    assert tuple(flats[200, 30]) == WHITE  # the page stays paper through A's gap
    # with a dot elsewhere, B's guess comes from the dot, never from the square
    both = HintSet((square, _dot(30, 30, BLUE)))
    flats = Pipeline().run(ColorizeRequest(Sketch(ink), both, options=CLASSICAL)).flats
    assert tuple(flats[200, 360]) != RED


class _MoodNets:
    """DraftNet's mood is the first square's colour everywhere (grey without squares); RefineNet
    returns the draft."""

    def __init__(self) -> None:
        self.draft_calls = 0

    def draft(self, ink, hints, references, strength):  # type: ignore[no-untyped-def]
        self.draft_calls += 1
        colour = np.array(hints[0].rgb, np.float32) / 255 if len(hints) else np.full(3, 0.6)
        return np.broadcast_to(colour.astype(np.float32), (64, 96, 3)).copy()

    def refine(self, ink, draft, hints, should_cancel):  # type: ignore[no-untyped-def]
        h, w = ink.shape
        return cv2.resize(draft, (w, h), interpolation=cv2.INTER_LINEAR)


def test_on_the_network_path_a_square_s_mood_stays_near_its_areas() -> None:
    ink = _two_shapes()
    square = Hint("draft", 270, 200, RED, 80.0)
    result = Pipeline(nets=_MoodNets()).run(ColorizeRequest(Sketch(ink), HintSet((square,))))
    assert tuple(result.flats[150, 150]) == RED
    grey = np.array([153, 153, 153])
    b = result.flats[200, 360].astype(int)
    assert np.abs(b - grey).max() <= 8, f"B took the square's mood: {b}"
    assert result.network is not None
    far = result.network[380, 580].astype(int)  # the network's colour far from the square
    assert np.abs(far - grey).max() <= 8


# -- 5. the light pass never lights the background ------------------------------------------------------
@pytest.mark.parametrize("with_background_dot", [False, True])
def test_the_light_pass_never_lights_the_page(with_background_dot: bool) -> None:
    ink, inside = _open_face(8)
    cv2.rectangle(ink, (400, 150), (700, 450), 1.0, 3)  # a closed shape
    cv2.line(ink, (400, 300), (300, 300), 1.0, 3)  # and a pocket of page between the two
    hints = HintSet((_dot(140, 300, SKIN), _dot(550, 300, GREEN)))
    if with_background_dot:
        hints = hints.with_added(_dot(600, 60, BLUE))
    light = LightSettings(enabled=True, azimuth_deg=135.0, elevation_deg=30.0, intensity=1.5)
    options = ColorizeOptions(use_networks=False, light=light)
    result = Pipeline().run(ColorizeRequest(Sketch(ink), hints, options=options))
    regmap = segment(ink)
    page = regmap.page_background[regmap.labels]
    assert page.mean() > 0.5
    assert (result.lighting[page] == 0).all() and (result.shadow[page] == 255).all()
    assert (result.lighting[inside].max(axis=1) > 0).any() or (result.shadow[inside] < 255).any()
    box = np.zeros(ink.shape, bool)
    box[160:440, 410:690] = True
    assert (result.shadow[box] < 250).any()  # the figure is lit
    # paper open to the page that no hint coloured stays unlit too
    untouched = (result.flats == 255).all(axis=2) & (ink < 0.05)
    assert (result.shadow[untouched] == 255).all() and (result.lighting[untouched] == 0).all()


def test_a_dot_on_a_filled_iris_does_not_split_the_face_it_is_moved_into() -> None:
    """The iris is solid ink: a dot on it moves to the nearest paper, the face. When the face has
    a dot of its own, the moved dot colours nothing (with a note) instead of taking half the
    face; without one, it colours the face, as a dot moved off a line does."""
    ink = np.zeros((300, 300), np.float32)
    cv2.circle(ink, (150, 150), 100, 1.0, 3)
    cv2.circle(ink, (190, 130), 14, 1.0, -1)  # a filled iris
    face, eye = _dot(110, 190, SKIN), _dot(190, 130, GREEN)
    result = Pipeline().run(ColorizeRequest(Sketch(ink), HintSet((face, eye)), options=CLASSICAL))
    yy, xx = np.mgrid[:300, :300]
    inside = ((xx - 150) ** 2 + (yy - 150) ** 2 < 92**2) & ((xx - 190) ** 2 + (yy - 130) ** 2 > 20**2)
    assert (result.flats[inside] == SKIN).all(axis=1).mean() > 0.99
    assert any("filled shape" in n and "colours nothing" in n for n in result.notes)
    alone = Pipeline().run(ColorizeRequest(Sketch(ink), HintSet((eye,)), options=CLASSICAL))
    assert (alone.flats[inside] == GREEN).all(axis=1).mean() > 0.99
    assert any("moved to the nearest paper" in n for n in alone.notes)


def test_the_outline_under_the_cursor_of_a_speck_dot_is_the_speck() -> None:
    """lone_mask shows what the click will colour: for a dot in a speck, the speck."""
    ink = np.zeros((200, 200), np.float32)
    cv2.rectangle(ink, (90, 90), (95, 95), 1.0, 1)
    regmap = segment(ink)
    mask = flatten.lone_mask(regmap, _dot(92, 92, RED))
    flats = flatten.paint(*_split_flats(regmap, HintSet((_dot(92, 92, RED),))))
    assert mask[92, 92] and 4 <= int((mask & ~regmap.line_mask).sum()) <= 16
    np.testing.assert_array_equal(mask & ~regmap.line_mask,
                                  (flats == RED).all(axis=-1) & ~regmap.line_mask)
    assert not flatten.lone_area(regmap, _dot(92, 92, RED)).any()  # no region of its own


def _split_flats(regmap, hints):  # type: ignore[no-untyped-def]
    placed = flatten.place_hints(regmap, hints)[0]
    split = flatten.split_by_dots(regmap, placed)
    return split, flatten.classical_palette(split, placed)
