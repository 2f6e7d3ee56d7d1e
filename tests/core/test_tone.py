"""Screentone: a toned patch is tone, not ink — it splits no region, one dot fills it across the
dots, and it is the tone layer; plain line art has none."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from paintassist.core.pipeline import Pipeline
from paintassist.core.tone import split_tone, tone_layer
from paintassist.core.types import ColorizeOptions, ColorizeRequest, Hint, HintSet, Sketch
from paintassist.io.images import load_sketch
from paintassist.training.manga_pages import dot_screen, line_screen

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
BLUE = (40, 80, 200)
CLASSICAL = ColorizeOptions(use_networks=False)


def _toned_box(kind: str = "dots", pitch: float = 6.0, angle: float = 15.0) -> np.ndarray:
    """A 300 × 300 outline on a 420 × 420 page, its inside screened with ``kind``, and a face-like
    paper circle drawn inside it."""
    h = w = 420
    if kind == "dots":
        screen = dot_screen((h, w), pitch, angle, 0.3)
    elif kind == "lines":
        screen = line_screen((h, w), pitch, angle, 0.25)
    else:  # a gradient of dots, 5 % at the top to 55 % at the bottom
        ramp = np.linspace(0.05, 0.55, h, dtype=np.float32)[:, None] * np.ones((1, w), np.float32)
        screen = dot_screen((h, w), pitch, angle, ramp)
    inside = np.zeros((h, w), bool)
    inside[63:357, 63:357] = True
    ink = np.where(inside, screen, np.float32(0.0)).astype(np.float32)
    outline = np.zeros((h, w), np.uint8)
    cv2.rectangle(outline, (60, 60), (360, 360), 255, 4, cv2.LINE_AA)
    return np.maximum(ink, outline.astype(np.float32) / 255.0)


@pytest.mark.parametrize(
    ("kind", "pitch", "angle"),
    [("dots", 6.0, 15.0), ("dots", 10.0, 45.0), ("dots", 4.0, 0.0), ("lines", 5.0, 45.0),
     ("gradient", 8.0, 0.0)],
)
def test_a_toned_patch_is_tone_and_one_dot_fills_it_across_the_dots(
    kind: str, pitch: float, angle: float
) -> None:
    ink = _toned_box(kind, pitch, angle)
    split = split_tone(ink)
    assert split.found and split.tone is not None
    assert split.tone.dtype == np.uint8
    restored = split.lines + split.tone / 255.0
    assert np.abs(restored - ink).max() <= 0.5 / 255 + 1e-6  # nothing lost: lines + tone = ink
    assert split.pitches and abs(split.pitches[0] - pitch) <= 0.2 * pitch + 1.5
    inner = (slice(80, 340), slice(80, 340))
    toned = ink[inner] > 0.5
    assert (split.tone[inner][toned] > 128).mean() > 0.95  # the dots are tone
    assert split.lines[60:64, 100:320].mean() > 0.5  # the outline stays line art

    dot = Hint("accurate", 210.0, 210.0, BLUE, 4.0)
    result = Pipeline().run(ColorizeRequest(Sketch(ink), HintSet((dot,)), options=CLASSICAL))
    flats = result.flats[inner]
    assert (flats == BLUE).all(axis=2).mean() > 0.99  # across the dots, up to the outline
    assert (result.flats[20, 20] == 255).all()  # the page outside stays paper
    assert result.tone is not None
    assert result.tone[inner][toned].mean() < 128  # the tone layer holds the dots
    assert (result.tone[:40, :40] == 255).all()
    assert result.lineart[inner][..., 3][toned].mean() < 10  # and the line art does not


def test_an_outline_crossing_the_tone_stays_line_art() -> None:
    ink = _toned_box()
    cv2.line(ink, (63, 210), (357, 230), 1.0, 3, cv2.LINE_AA)
    split = split_tone(ink)
    assert split.lines[220, 100:320].max() > 0.9
    assert np.median(split.lines[218:223, 100:320].max(axis=0)) > 0.9


def test_the_tone_layer_multiplies_like_the_dots() -> None:
    for tone in (np.array([[0.0, 0.5, 1.0]], np.float32), np.array([[0, 128, 255]], np.uint8)):
        layer = tone_layer(tone)
        assert layer.shape == (1, 3, 3)
        assert np.abs(layer[0, :, 0].astype(int) - [255, 128, 0]).max() <= 1
        brown = np.full((1, 3, 3), (120, 60, 20), np.uint8)
        assert tuple(tone_layer(tone, brown)[0, 2]) == (120, 60, 20)


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.png")), ids=lambda p: p.stem)
def test_plain_sketches_have_no_tone(sample: Path) -> None:
    split = split_tone(load_sketch(sample).ink)
    assert not split.found
    assert split.tone is None and split.coverage == 0.0


def test_regular_strands_and_hatching_stay_line_art() -> None:
    """Parallel strokes farther apart than a ruled tone (and a hand's irregular hatching) are the
    artist's lines."""
    ink = np.zeros((400, 400), np.float32)
    for x in range(60, 340, 12):  # strands 12 px apart
        cv2.line(ink, (x, 40), (x + 6, 200), 1.0, 1, cv2.LINE_AA)
    rng = np.random.default_rng(3)
    x = 60.0
    while x < 340:  # hatching, 5-11 px apart
        cv2.line(ink, (round(x), 240), (round(x + 40), 360), 1.0, 1, cv2.LINE_AA)
        x += rng.uniform(5, 11)
    assert not split_tone(ink).found


def test_the_switch_leaves_the_tone_in_the_line_art() -> None:
    ink = _toned_box()
    options = ColorizeOptions(use_networks=False, screentone=False)
    result = Pipeline().run(ColorizeRequest(Sketch(ink), options=options))
    assert result.tone is not None and (result.tone == 255).all()  # a white, neutral layer
    inner = (slice(80, 340), slice(80, 340))
    assert result.lineart[inner][..., 3][ink[inner] > 0.5].mean() > 200


def test_the_preview_and_sharp_tiles_see_the_tone_found_at_full_resolution() -> None:
    """At a 300-px preview a 6-px screen is a grey blur; found on the full page first, it still
    splits nothing there, and the sharp tiles carry the full-resolution tone and sketch."""
    from paintassist.core.sharp import SharpRenderer, tile_grid

    ink = np.pad(_toned_box(), ((0, 180), (0, 180)))  # 600 × 600
    sketch = Sketch(ink)
    dot = Hint("accurate", 210.0, 210.0, BLUE, 4.0)
    pipe = Pipeline()
    request = ColorizeRequest(
        sketch, HintSet((dot,)), options=ColorizeOptions(use_networks=False, work_long_side=300)
    )
    preview = pipe.run(request)
    assert preview.tone is not None and preview.tone.shape == (300, 300, 3)
    assert (preview.flats[45:165, 45:165] == BLUE).all(axis=2).mean() > 0.98
    renderer = SharpRenderer(pipe)
    tone = np.zeros((600, 600, 3), np.uint8)
    for x0, y0, x1, y1 in tile_grid(600, 600, 256):
        tile = renderer.render(request, preview, (x0, y0, x1, y1))
        assert tile.tone is not None and tile.sketch is not None
        tone[y0:y1, x0:x1] = tile.tone
    full = pipe.run(ColorizeRequest(sketch, HintSet((dot,)), options=CLASSICAL))
    assert full.tone is not None and np.array_equal(tone, full.tone)
