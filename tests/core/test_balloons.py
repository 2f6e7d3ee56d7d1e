"""Speech balloons stay paper white, their text black line art, unless a hint colours them."""

from __future__ import annotations

import cv2
import numpy as np

from paintassist.core.balloons import balloon_regions
from paintassist.core.pipeline import Pipeline
from paintassist.core.regions import segment
from paintassist.core.types import ColorizeOptions, ColorizeRequest, Hint, HintSet, Sketch
from paintassist.training.manga_pages import draw_text, ellipse, fill_path

BLUE = (40, 80, 200)
WHITE = (255, 255, 255)


class _RedNets:
    """Networks that paint everything red (what an unsure network's wash looks like)."""

    def draft(self, ink, hints, references, strength):  # type: ignore[no-untyped-def]
        return np.full((32, 32, 3), (0.9, 0.2, 0.2), np.float32)

    def refine(self, ink, draft, hints, should_cancel):  # type: ignore[no-untyped-def]
        return np.broadcast_to(np.float32([0.9, 0.2, 0.2]), (*ink.shape, 3)).copy()


def _page() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A panel holding a face (two eyes, a mouth) and a speech balloon with two lines of text.
    Returns (ink float32 (600, 800), the balloon's inside bool, the text's ink bool)."""
    canvas = np.zeros((600, 800), np.uint8)
    cv2.rectangle(canvas, (20, 20), (780, 580), 255, 4, cv2.LINE_AA)
    face = ellipse(560, 330, 110, 130)
    cv2.polylines(canvas, [np.round(face).astype(np.int32)], True, 255, 3, cv2.LINE_AA)
    for ex in (520, 600):
        cv2.ellipse(canvas, (ex, 300), (14, 20), 0, 0, 360, 255, 2, cv2.LINE_AA)
    cv2.ellipse(canvas, (560, 390), (30, 12), 0, 20, 160, 255, 2, cv2.LINE_AA)
    outline = ellipse(200, 160, 120, 75)
    inside = np.zeros((600, 800), np.uint8)
    fill_path(inside, outline)
    cv2.polylines(canvas, [np.round(outline).astype(np.int32)], True, 255, 3, cv2.LINE_AA)
    text = np.zeros((600, 800), np.uint8)
    draw_text(text, (120, 120, 285, 200), 26.0, np.random.default_rng(2))
    ink = np.maximum(canvas, text).astype(np.float32) / 255.0
    return ink, cv2.erode(inside, np.ones((9, 9), np.uint8)) > 0, text > 128


def test_the_balloon_is_found_and_the_face_is_not() -> None:
    ink, inside, _ = _page()
    regmap = segment(ink)
    found = balloon_regions(regmap)
    balloon = regmap.region_at(130, 110)
    assert found[balloon]
    assert not found[regmap.region_at(560, 250)]  # the face
    assert not found[regmap.region_at(400, 500)]  # the panel
    assert not found[regmap.background]
    assert found[regmap.labels[inside & ~regmap.line_mask]].mean() > 0.99  # letters' holes too


def test_an_unhinted_balloon_stays_white_on_the_network_path() -> None:
    ink, inside, text = _page()
    pipeline = Pipeline(nets=_RedNets())
    result = pipeline.run(ColorizeRequest(Sketch(ink), options=ColorizeOptions()))
    paper = inside & ~text & (ink <= 0.0)
    assert (result.flats[paper] == WHITE).all()
    assert (result.composite[paper] == WHITE).all()
    assert (result.color[paper] == WHITE).all()  # the colour layer agrees
    assert result.lineart[..., 3][text].mean() > 200  # the text stays black line art
    assert (result.lineart[..., :3][text] == 0).all()
    assert tuple(result.flats[250, 560]) != WHITE  # the face takes the network's colour


def test_a_hinted_balloon_takes_the_hint() -> None:
    ink, inside, text = _page()
    dot = Hint("accurate", 130.0, 112.0, BLUE, 4.0)
    result = Pipeline(nets=_RedNets()).run(ColorizeRequest(Sketch(ink), HintSet((dot,))))
    paper = inside & ~text & (ink <= 0.0)
    assert (result.flats[paper] == BLUE).all(axis=1).mean() > 0.98


def test_a_balloon_takes_no_guess_from_a_dot_beside_it_on_the_classical_path() -> None:
    ink, inside, text = _page()
    dot = Hint("accurate", 400.0, 500.0, BLUE, 4.0)  # the panel around the balloon
    options = ColorizeOptions(use_networks=False)
    result = Pipeline().run(ColorizeRequest(Sketch(ink), HintSet((dot,)), options=options))
    assert tuple(result.flats[500, 400]) == BLUE
    paper = inside & ~text & (ink <= 0.0)
    assert (result.flats[paper] == WHITE).all()


def test_narrow_balloons_in_line_toned_panels_are_found() -> None:
    """Two balloons of our synthetic pages that were missed: a narrow one in a line-toned panel
    (the tone's 32-px blocks cover ~12 % of its edge) and one whose letters stand a pixel
    apart, so the pixel beside a letter is the next letter's ink."""
    from paintassist.core import tone
    from paintassist.training.manga_pages import make_page

    for seed, (x0, y0, x1, y1) in ((2, (367, 1169, 493, 1391)), (1, (499, 1247, 676, 1433))):
        page = make_page(seed, size=(1240, 1754))
        split = tone.split_tone(page.ink.astype(np.float32))
        regmap = segment(split.lines, gap_px=6)
        found = balloon_regions(regmap, split.area)
        assert found[regmap.region_at((x0 + x1) / 2, (y0 + y1) / 2 - 20)]
        assert not found[regmap.page_background].any()


def test_the_preview_keeps_the_balloons_the_export_keeps() -> None:
    """On a 768-px preview of a page the letters merge; the balloons are looked for at 1600 px
    and mapped onto the preview's regions, so the preview shows them white as the export will."""
    from paintassist.training.manga_pages import make_page

    page = make_page(1, size=(1240, 1754))
    sketch = Sketch(page.ink.astype(np.float32))
    result = Pipeline().run(ColorizeRequest(
        sketch, HintSet(), options=ColorizeOptions(use_networks=False, work_long_side=768)))
    regmap = result.region_map
    assert regmap is not None and result.stay_paper is not None
    s = regmap.shape[1] / 1240
    found = 0
    for x0, y0, x1, y1 in page.balloons:
        found += bool(result.stay_paper[regmap.region_at((x0 + x1) / 2 * s, (y0 + y1) / 2 * s - 8)])
    assert found == len(page.balloons)  # 3 of 4 before (499, 1247, 676, 1433) was missed
    assert not result.stay_paper[regmap.page_background].any()
