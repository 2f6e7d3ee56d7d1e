"""The open figure on the page background takes the network's colours; the page stays paper."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from paintassist.core import flatten, open_figure, regions
from paintassist.core.pipeline import NETWORK_CHROMA_FADE, NETWORK_CHROMA_GAIN, Pipeline
from paintassist.core.types import ColorizeRequest, Hint, HintSet, Sketch

SKIN = (236, 196, 170)
GREEN = (70, 140, 80)


def vivid(rgb: tuple[int, int, int]) -> np.ndarray:
    """The pipeline's flat for a network colour ``rgb`` (its chroma gain), int (3,)."""
    return flatten.scale_chroma(np.array([rgb], np.uint8), NETWORK_CHROMA_GAIN,
                                NETWORK_CHROMA_FADE)[0].astype(int)


def open_figure_ink(h: int = 200, w: int = 160) -> np.ndarray:
    """A closed head and, below it, a body and two legs whose outlines never meet: their paper is
    the page background at every gap scale."""
    ink = np.zeros((h, w), np.float32)
    cv2.circle(ink, (80, 36), 22, 1.0, 2)
    for x in (60, 100):  # the body's sides, open above and below
        cv2.line(ink, (x, 60), (x, 138), 1.0, 2)
    for x in (64, 78, 82, 96):  # the legs' sides
        cv2.line(ink, (x, 142), (x, 190), 1.0, 2)
    return ink


def painted_network(h: int = 200, w: int = 160) -> np.ndarray:
    """uint8 (h, w, 3): what a network paints: skin head and legs, a green body, paper around."""
    out = np.full((h, w, 3), 255, np.uint8)
    cv2.circle(out, (80, 36), 22, SKIN, -1)
    out[60:139, 61:100] = GREEN
    out[142:191, 65:78] = SKIN
    out[142:191, 83:96] = SKIN
    return out


def test_inside_figure_between_strokes_not_beside_them() -> None:
    ink = open_figure_ink() > 0.5
    inside = open_figure.inside_figure(ink)
    assert inside[100, 80]  # in the body, between its open sides
    assert not inside[100, 10]  # the page left of the figure
    assert not inside[5, 5]


def test_open_body_becomes_cells_in_the_networks_colour() -> None:
    regmap = regions.segment(open_figure_ink())
    body = int(regmap.labels[100, 80])
    assert regmap.page_background[body], "the test needs the body open to the page"
    cells = open_figure.open_figure_cells(regmap, painted_network(),
                                          np.zeros(regmap.count, bool))
    assert cells is not None
    new = cells.regmap
    assert new.count == regmap.count + len(cells.colours)
    cell = int(new.labels[100, 80])
    assert cell >= regmap.count and not new.page_background[cell]
    got = cells.colours[cell - regmap.count].astype(int)
    assert np.abs(got - GREEN).max() <= 3
    leg = int(new.labels[165, 71])
    assert leg >= regmap.count and leg != cell
    assert np.abs(cells.colours[leg - regmap.count].astype(int) - SKIN).max() <= 3
    # the page around the figure is still the page background
    assert new.page_background[new.labels[100, 10]] and new.page_background[new.labels[5, 5]]


def test_a_wash_fading_into_the_page_stays_paper() -> None:
    """The network tints a spot of the open body that it leaves white around: a wash with paper
    on all sides, not a part of the figure (the same spot reaching the body's lines is)."""
    regmap = regions.segment(open_figure_ink())
    colour = np.full((200, 160, 3), 255, np.uint8)
    cv2.circle(colour, (80, 105), 14, GREEN, -1)
    none = np.zeros(regmap.count, bool)
    assert open_figure.inside_figure(regmap.line_mask)[105, 80]
    cells = open_figure.open_figure_cells(regmap, colour, none)
    assert cells is None or int(cells.regmap.labels[105, 80]) < regmap.count
    colour[60:139, 61:100] = GREEN
    cells = open_figure.open_figure_cells(regmap, colour, none)
    assert cells is not None and int(cells.regmap.labels[105, 80]) >= regmap.count


def test_a_decided_page_background_is_left_to_the_hint() -> None:
    regmap = regions.segment(open_figure_ink())
    assert open_figure.open_figure_cells(regmap, painted_network(),
                                         np.ones(regmap.count, bool)) is None


def test_size_mismatch_is_an_error() -> None:
    regmap = regions.segment(open_figure_ink())
    with pytest.raises(ValueError, match="does not match"):
        open_figure.open_figure_cells(regmap, np.zeros((10, 10, 3), np.uint8),
                                      np.zeros(regmap.count, bool))


class PaintingNets:
    """A network that paints the figure (:func:`painted_network`) whatever the hints."""

    def draft(self, ink, hints, references, strength):  # type: ignore[no-untyped-def]
        return cv2.resize(painted_network(), (80, 100)).astype(np.float32) / 255.0

    def refine(self, ink, draft, hints, should_cancel):  # type: ignore[no-untyped-def]
        return painted_network(*ink.shape).astype(np.float32) / 255.0


def test_pipeline_paints_the_open_figure_and_keeps_the_page_white() -> None:
    result = Pipeline(nets=PaintingNets()).run(ColorizeRequest(Sketch(open_figure_ink())))
    assert np.abs(result.flats[100, 80].astype(int) - vivid(GREEN)).max() <= 3
    assert np.abs(result.flats[165, 71].astype(int) - vivid(SKIN)).max() <= 3
    assert (result.flats[5, 5] == 255).all() and (result.flats[100, 10] == 255).all()
    # the cells are regions of the result: one colour each, a label of their own
    body = result.regions == result.regions[100, 80]
    assert (result.flats[body] == result.flats[100, 80]).all()
    assert result.regions[100, 80] != result.regions[5, 5]


def test_a_dot_on_the_open_page_still_decides_it() -> None:
    """A dot on the page background colours the page background (the artist said so): the
    network's cells do not cut it."""
    dot = Hint("accurate", 100, 80, (40, 60, 200), 3)
    result = Pipeline(nets=PaintingNets()).run(
        ColorizeRequest(Sketch(open_figure_ink()), HintSet((dot,))))
    assert tuple(result.flats[100, 80]) == (40, 60, 200)


def test_the_refined_result_reuses_the_drafts_patches_when_the_colours_agree() -> None:
    """The early (draft) result and the refined one see the same colours here: one search."""
    pipe = Pipeline(nets=PaintingNets())
    sketch = Sketch(open_figure_ink())
    pipe.run(ColorizeRequest(sketch), on_draft=lambda r: None)
    misses = pipe._figures.misses
    again = pipe.run(ColorizeRequest(sketch), on_draft=lambda r: None)
    assert pipe._figures.misses == misses and pipe._figures.hits > 0
    assert np.abs(again.flats[100, 80].astype(int) - vivid(GREEN)).max() <= 3


def test_with_hints_the_open_figure_keeps_the_networks_colours() -> None:
    """A dot on the closed head leaves the rest of the open figure its network colours (it used to
    turn white at the first dot), and the page round the figure stays paper."""
    dot = Hint("accurate", 80, 36, (200, 60, 60), 3)
    result = Pipeline(nets=PaintingNets()).run(
        ColorizeRequest(Sketch(open_figure_ink()), HintSet((dot,))))
    assert tuple(result.flats[36, 80]) == (200, 60, 60)
    assert np.abs(result.flats[100, 80].astype(int) - vivid(GREEN)).max() <= 3
    assert np.abs(result.flats[165, 71].astype(int) - vivid(SKIN)).max() <= 3
    assert (result.flats[5, 5] == 255).all() and (result.flats[100, 10] == 255).all()


def test_a_dot_on_the_open_body_colours_the_figure_not_the_page() -> None:
    """The body is the page background (its sides never meet), but a dot on it means the body:
    its colour stays inside the figure, the page round it stays paper."""
    blue = (40, 60, 200)
    result = Pipeline(nets=PaintingNets()).run(
        ColorizeRequest(Sketch(open_figure_ink()), HintSet((Hint("accurate", 80, 100, blue, 3),))))
    assert tuple(result.flats[100, 80]) == blue
    assert (result.flats[5, 5] == 255).all() and (result.flats[100, 10] == 255).all()
    assert (result.flats[100, 140] == 255).all()


class SpreadingNets:
    """A network that paints each dot's colour over the band between two strokes (x 84..216)
    and leaves the rest white: how RefineNet reads a dot on a figure drawn in broken strokes."""

    def draft(self, ink, hints, references, strength):  # type: ignore[no-untyped-def]
        return np.ones((50, 75, 3), np.float32)

    def refine(self, ink, draft, hints, should_cancel):  # type: ignore[no-untyped-def]
        out = np.ones((*ink.shape, 3), np.float32)
        for dot in hints.accurate:
            out[45:155, 84:216] = np.array(dot.rgb, np.float32) / 255.0
        return out


def test_a_dot_on_the_page_round_a_broken_figure_colours_what_the_network_spread() -> None:
    ink = np.zeros((200, 300), np.float32)
    ink[40:160, 80:82] = 1.0
    ink[40:160, 218:220] = 1.0
    red = (200, 40, 50)
    result = Pipeline(nets=SpreadingNets()).run(
        ColorizeRequest(Sketch(ink), HintSet((Hint("accurate", 150, 100, red, 3),))))
    assert tuple(result.flats[100, 150]) == red and tuple(result.flats[50, 100]) == red
    assert (result.flats[10, 10] == 255).all() and (result.flats[100, 260] == 255).all()
    assert any("draft square there colours the whole page" in n for n in result.notes)


def test_the_early_result_does_not_flash_the_page_in_a_page_dots_colour() -> None:
    ink = np.zeros((200, 300), np.float32)
    ink[40:160, 80:82] = 1.0
    ink[40:160, 218:220] = 1.0
    red = (200, 40, 50)
    early: list = []
    Pipeline(nets=SpreadingNets()).run(
        ColorizeRequest(Sketch(ink), HintSet((Hint("accurate", 150, 100, red, 3),))),
        on_draft=early.append)
    assert early and (early[0].flats[10, 10] == 255).all()
    assert (early[0].flats[100, 260] == 255).all()


class WashingNets(PaintingNets):
    """Paints the legs only when there are hints: a wash of the artist's colours that RefineNet
    spreads into paper the figure half-encloses (the chibi sample's twin tails)."""

    def refine(self, ink, draft, hints, should_cancel):  # type: ignore[no-untyped-def]
        out = painted_network(*ink.shape)
        if not len(hints):
            out[142:191, 65:78] = 255
            out[142:191, 83:96] = 255
        return out.astype(np.float32) / 255.0


def test_with_hints_the_open_figure_is_only_where_the_page_with_no_hints_has_it() -> None:
    dot = Hint("accurate", 80, 36, (200, 60, 60), 3)
    result = Pipeline(nets=WashingNets()).run(
        ColorizeRequest(Sketch(open_figure_ink()), HintSet((dot,))))
    assert np.abs(result.flats[100, 80].astype(int) - vivid(GREEN)).max() <= 3  # in both: kept
    assert (result.flats[165, 71] == 255).all()  # the wash only hints bring: paper
