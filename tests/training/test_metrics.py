"""Metrics: PSNR, CIEDE2000, dot sampling, hint fidelity, bleed, chroma."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from paintassist.core.regions import segment
from paintassist.core.types import Hint, HintSet
from paintassist.training.metrics import (
    bleed,
    dots_on_paper,
    hint_fidelity,
    mean_chroma,
    mean_ciede2000,
    painted_mask,
    psnr,
    sample_dot_hints,
)

RED = (220, 30, 40)
BLUE = (30, 60, 200)


def _image(seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (40, 50, 3), dtype=np.uint8)


def test_psnr() -> None:
    a = _image()
    assert psnr(a, a) == math.inf
    b = a.copy()
    b[0, 0, 0] ^= 0x10
    assert 60 < psnr(a, b) < math.inf
    assert psnr(a, _image(1)) < 12
    with pytest.raises(ValueError, match="shape"):
        psnr(a, a[:10])


def test_ciede2000() -> None:
    a = _image()
    assert mean_ciede2000(a, a) == 0.0
    white = np.full((4, 4, 3), 255, np.uint8)
    black = np.zeros((4, 4, 3), np.uint8)
    assert mean_ciede2000(white, black) == pytest.approx(100.0, abs=1.0)
    mask = np.zeros((4, 4), bool)
    mask[0, 0] = True
    half = white.copy()
    half[1:] = 0
    assert mean_ciede2000(white, half, mask) == 0.0
    assert mean_ciede2000(white, half) == pytest.approx(75.0, abs=1.0)


def test_sample_dot_hints_deterministic_on_paper_with_patch_mean() -> None:
    color = np.zeros((30, 30, 3), np.uint8)
    color[:, 15:] = (200, 100, 0)
    lines = np.zeros((30, 30), bool)
    lines[:, 13:17] = True
    a = sample_dot_hints(color, lines, 12, np.random.default_rng(7))
    b = sample_dot_hints(color, lines, 12, np.random.default_rng(7))
    assert a == b and len(a) == 12
    for hint in a:
        assert hint.kind == "accurate"
        assert not lines[int(hint.y), int(hint.x)]
        if hint.x < 8:
            assert hint.rgb == (0, 0, 0)
        if hint.x > 22:
            assert hint.rgb == (200, 100, 0)
    near = sample_dot_hints(
        color, ~np.isin(np.arange(30), [14])[None, :].repeat(30, 0), 1, np.random.default_rng(0)
    )
    # next to the colour edge: the 5x5 mean mixes both sides (2 of 5 columns are orange)
    assert near[0].rgb == (80, 40, 0)
    assert len(sample_dot_hints(color, np.ones((30, 30), bool), 5, np.random.default_rng(0))) == 0


def test_hint_fidelity() -> None:
    out = np.zeros((10, 10, 3), np.uint8)
    out[:, :5] = RED
    dots = HintSet((Hint("accurate", 2, 2, RED), Hint("accurate", 8, 8, BLUE)))
    exact = HintSet((Hint("accurate", 2, 2, RED),))
    assert hint_fidelity(out, exact) == 0.0
    assert hint_fidelity(out, dots) > 10
    assert math.isnan(hint_fidelity(out, HintSet()))


def test_dots_on_paper_leaves_out_dots_under_drawn_ink() -> None:
    ink = np.zeros((10, 10), np.float32)
    ink[:, 5] = 0.3  # a light pencil stroke: not a line, but the composite draws it
    dots = HintSet((Hint("accurate", 2, 2, RED), Hint("accurate", 5, 8, BLUE),
                    Hint("accurate", 20, 2, RED), Hint("draft", 1, 1, BLUE)))
    assert dots_on_paper(dots, ink).hints == (Hint("accurate", 2, 2, RED),)
    assert dots_on_paper(dots, ink, max_ink=0.5).hints[1:] == (Hint("accurate", 5, 8, BLUE),)


def _boxes() -> tuple[np.ndarray, HintSet]:
    ink = np.zeros((60, 120), np.float32)
    cv2.rectangle(ink, (5, 5), (55, 55), 1.0, 2)
    cv2.rectangle(ink, (65, 5), (115, 55), 1.0, 2)
    dots = HintSet((Hint("accurate", 30, 30, RED), Hint("accurate", 90, 30, BLUE)))
    return ink, dots


def test_bleed_zero_on_clean_and_positive_on_leaking_output() -> None:
    ink, dots = _boxes()
    regmap = segment(ink)
    clean = np.full((60, 120, 3), 255, np.uint8)
    clean[5:56, 5:56] = RED
    clean[5:56, 65:116] = BLUE
    assert bleed(clean, regmap, dots) == 0.0
    leaking = clean.copy()
    leaking[5:56, 65:91] = RED  # red crossed into the blue box
    share = bleed(leaking, regmap, dots)
    paper_blue = (~regmap.line_mask) & (regmap.closed == regmap.closed[30, 90])
    considered = (~regmap.line_mask) & (
        (regmap.closed == regmap.closed[30, 30]) | (regmap.closed == regmap.closed[30, 90])
    )
    leaked = paper_blue.copy()
    leaked[:, 91:] = False
    assert share == pytest.approx(leaked.sum() / considered.sum(), rel=1e-6)
    # a colour unlike any dot is wrong but not bleed
    wrong = clean.copy()
    wrong[5:56, 65:116] = (0, 200, 0)
    assert bleed(wrong, regmap, dots) == 0.0


def test_bleed_ignores_areas_without_dots_and_same_colour_dots() -> None:
    ink, _ = _boxes()
    regmap = segment(ink)
    one = HintSet((Hint("accurate", 30, 30, RED),))
    red_everywhere = np.full((60, 120, 3), RED, np.uint8)
    assert bleed(red_everywhere, regmap, one) == 0.0
    both_red = HintSet((Hint("accurate", 30, 30, RED), Hint("accurate", 90, 30, RED)))
    assert bleed(red_everywhere, regmap, both_red) == 0.0


def test_paper_left_white_is_not_bleed_even_beside_a_near_white_dot() -> None:
    ink, _ = _boxes()
    regmap = segment(ink)
    pale = (246, 244, 242)  # an eye white, a pale face: within ΔE 5 of paper white
    dots = HintSet((Hint("accurate", 30, 30, pale), Hint("accurate", 90, 30, BLUE)))
    out = np.full((60, 120, 3), 255, np.uint8)
    out[5:56, 5:56] = pale
    out[5:56, 65:91] = BLUE  # the blue box half painted, half left paper
    assert bleed(out, regmap, dots) == 0.0
    # a light colour that is not paper still counts when it crosses
    skin = (240, 205, 185)
    dots = HintSet((Hint("accurate", 30, 30, skin), Hint("accurate", 90, 30, BLUE)))
    out[5:56, 5:56] = skin
    out[5:56, 91:116] = skin
    assert bleed(out, regmap, dots) > 0.1


def test_mean_chroma() -> None:
    grey = np.full((5, 5, 3), 128, np.uint8)
    assert mean_chroma(grey) == pytest.approx(0.0, abs=0.01)
    red = np.full((5, 5, 3), RED, np.uint8)
    assert mean_chroma(red) > 50


def test_mean_chroma_over_a_mask_and_the_painted_mask() -> None:
    img = np.full((4, 8, 3), 255, np.uint8)
    img[:, :4] = RED
    lines = np.zeros((4, 8), bool)
    lines[:, 3] = True
    painted = painted_mask(img, lines)
    assert painted[:, :3].all() and not painted[:, 3:].any()  # the line and the paper are out
    assert mean_chroma(img, painted) == pytest.approx(mean_chroma(img[:, :3]))
    assert mean_chroma(img, painted) > 1.9 * mean_chroma(img)
    assert math.isnan(mean_chroma(img, np.zeros((4, 8), bool)))


def test_hue_families_count_distinct_hues_not_shades() -> None:
    from paintassist.training.metrics import hue_families

    img = np.zeros((30, 30, 3), np.uint8)
    img[:10], img[10:20], img[20:] = (230, 190, 160), (40, 60, 200), (60, 160, 60)
    assert hue_families(img) == 3  # skin, blue, green
    shades = np.zeros((30, 30, 3), np.uint8)
    shades[:10], shades[10:20], shades[20:] = (230, 190, 160), (160, 110, 80), (90, 50, 30)
    assert hue_families(shades) == 1  # skin and two browns: one family
    assert hue_families(np.full((8, 8, 3), 128, np.uint8)) == 0  # grey
    mask = np.zeros((30, 30), bool)
    mask[:10] = True
    assert hue_families(img, mask) == 1
