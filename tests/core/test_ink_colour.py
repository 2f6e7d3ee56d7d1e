"""Coloured line art keeps its colour in the lineart layer; black ink stays black; the switch."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from paintassist.core import lineart
from paintassist.core.ink_colour import colour_field, lineart_layer, measure
from paintassist.core.pipeline import Pipeline
from paintassist.core.types import ColorizeOptions, ColorizeRequest, LineColor, Sketch
from paintassist.io.images import load_sketch

BROWN = (110, 62, 30)
BLUE_PENCIL = (70, 110, 190)


def _drawing(ink_rgb: tuple[int, int, int], paper: tuple[int, int, int] = (255, 255, 255)
             ) -> Sketch:
    """Circles and strokes in one ink on paper, loaded as a sketch is (ink map + pixels)."""
    img = np.empty((200, 260, 3), np.uint8)
    img[:] = paper
    cv2.circle(img, (80, 100), 50, ink_rgb, 3, cv2.LINE_AA)
    cv2.rectangle(img, (150, 40), (240, 160), ink_rgb, 2, cv2.LINE_AA)
    cv2.line(img, (20, 180), (240, 185), ink_rgb, 1, cv2.LINE_AA)
    return Sketch(lineart.normalize(img), rgb=img)


def _run(sketch: Sketch, mode: LineColor = "auto") -> np.ndarray:
    options = ColorizeOptions(use_networks=False, line_color=mode)
    return Pipeline().run(ColorizeRequest(sketch, options=options)).lineart


def _core_colour(layer: np.ndarray) -> np.ndarray:
    return np.median(layer[layer[..., 3] > 200][:, :3], axis=0)


@pytest.mark.parametrize("ink_rgb", [BROWN, BLUE_PENCIL])
def test_coloured_ink_keeps_its_colour_in_the_lineart(ink_rgb: tuple[int, int, int]) -> None:
    sketch = _drawing(ink_rgb)
    assert sketch.rgb is not None and measure(sketch.ink, sketch.rgb).coloured
    layer = _run(sketch)
    assert np.abs(_core_colour(layer) - ink_rgb).max() <= 12
    edge = (layer[..., 3] > 20) & (layer[..., 3] < 120)  # anti-aliased rims: the ink's colour,
    assert np.abs(np.median(layer[edge][:, :3], axis=0) - ink_rgb).max() <= 20  # not paper's
    assert np.array_equal(layer[..., 3], lineart.lineart_layer(sketch.ink)[..., 3])  # same alpha


def test_black_ink_stays_black_also_on_yellowed_paper() -> None:
    for paper in ((255, 255, 255), (238, 226, 196)):
        sketch = _drawing((25, 25, 25), paper)
        assert sketch.rgb is not None and not measure(sketch.ink, sketch.rgb).coloured
        assert (_run(sketch)[..., :3] == 0).all()


def test_the_switch_forces_black_or_keeps_the_colour() -> None:
    brown = _drawing(BROWN)
    assert (_run(brown, "black")[..., :3] == 0).all()
    grey = _drawing((60, 60, 60))
    assert np.abs(_core_colour(_run(grey, "keep")) - 60).max() <= 12  # the ink's own grey
    with pytest.raises(ValueError, match="line_color"):
        ColorizeOptions(line_color="blue")  # type: ignore[arg-type]


def test_a_sketch_without_pixels_has_black_lines() -> None:
    sketch = _drawing(BROWN)
    assert (_run(Sketch(sketch.ink), "keep")[..., :3] == 0).all()


def test_the_colour_field_falls_back_far_from_strokes() -> None:
    ink = np.zeros((20, 20), np.float32)
    rgb = np.full((20, 20, 3), 255, np.uint8)
    field = colour_field(ink, rgb, (1, 2, 3))
    assert (field == (1, 2, 3)).all()
    layer = lineart_layer(ink, field)
    assert layer.shape == (20, 20, 4) and (layer[..., 3] == 0).all()


def test_bundled_samples_are_black_ink() -> None:
    for path in sorted((Path(__file__).resolve().parents[2] / "resources" / "samples").glob("*.png")):
        sketch = load_sketch(path)
        assert sketch.rgb is not None
        assert not measure(sketch.ink, sketch.rgb).coloured, path.name
