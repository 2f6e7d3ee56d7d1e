"""Hints from a painted layer (dots and strokes on transparency, as Krita's colorize mask and
CSP's hint layers), and our hints as such a layer: the round trip keeps colours exactly and
positions within a pixel."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from paintassist.core.errors import InputError
from paintassist.core.types import Hint, HintSet
from paintassist.io.hint_layer import (
    HintLayerError,
    hints_from_layer,
    hints_to_layer,
    layer_names,
    save_hint_layer,
)
from paintassist.io.png import encode_png

SHAPE = (480, 640)  # like a small page: the app's default sizes here are a 27 px square, 3 px dot


def _grid_hints(rng: np.random.Generator) -> HintSet:
    """Non-overlapping hints on a grid, random colours, the app's sizes and some bigger ones."""
    hints = []
    for row in range(5):
        for col in range(7):
            rgb = tuple(int(c) for c in rng.integers(0, 256, 3))
            x = 50.0 + col * 85 + rng.integers(-6, 7)
            y = 50.0 + row * 90 + rng.integers(-6, 7)
            if (row + col) % 2:
                hints.append(Hint("draft", x, y, rgb, float(rng.choice([16, 27, 40]))))  # type: ignore[arg-type]
            else:
                hints.append(Hint("accurate", x, y, rgb, float(rng.choice([2, 3, 5]))))  # type: ignore[arg-type]
    return HintSet(tuple(hints))


def _match(ours: HintSet, back: HintSet) -> list[tuple[Hint, Hint]]:
    """Each of our hints with the read-back hint nearest to it."""
    pts = np.array([(h.x, h.y) for h in back])
    pairs = []
    for h in ours:
        i = int(np.argmin(np.hypot(pts[:, 0] - h.x, pts[:, 1] - h.y)))
        pairs.append((h, back[i]))
    return pairs


def test_round_trip_same_colours_kinds_and_positions() -> None:
    ours = _grid_hints(np.random.default_rng(7))
    layer = hints_to_layer(ours, SHAPE)
    assert layer.shape == (*SHAPE, 4) and layer.dtype == np.uint8
    back = hints_from_layer(layer)
    assert len(back) == len(ours)
    for mine, read in _match(ours, back):
        assert read.rgb == mine.rgb and read.kind == mine.kind
        assert abs(read.x - mine.x) <= 1.0 and abs(read.y - mine.y) <= 1.0
        assert abs(read.size - mine.size) <= 1.0
    assert [h.kind for h in back] == sorted((h.kind for h in back), key=lambda k: k != "draft")


def test_round_trip_through_a_png_file(tmp_path: Path) -> None:
    ours = _grid_hints(np.random.default_rng(3))
    path = save_hint_layer(tmp_path / "hints.png", ours, SHAPE)
    back = hints_from_layer(path, expected_shape=SHAPE)
    assert sorted(h.rgb for h in back) == sorted(h.rgb for h in ours)
    for mine, read in _match(ours, back):
        assert read.rgb == mine.rgb and np.hypot(read.x - mine.x, read.y - mine.y) <= 1.0


def test_a_dot_painted_on_a_square_of_another_colour_is_its_own_hint() -> None:
    ours = HintSet(
        (Hint("draft", 100, 100, (20, 30, 240), 40), Hint("accurate", 104, 98, (250, 250, 0), 4))
    )
    back = hints_from_layer(hints_to_layer(ours, SHAPE))
    assert [(h.kind, h.rgb) for h in back] == [
        ("draft", (20, 30, 240)),
        ("accurate", (250, 250, 0)),
    ]
    assert (back[1].x, back[1].y) == (104.0, 98.0)
    assert abs(back[0].x - 100) <= 1 and abs(back[0].y - 100) <= 1


def test_a_thin_stroke_becomes_accurate_hints_along_its_length() -> None:
    layer = np.zeros((*SHAPE, 4), np.uint8)
    start, end = np.array([40.0, 60.0]), np.array([560.0, 400.0])
    cv2.line(layer, (40, 60), (560, 400), (200, 60, 90, 255), 5, cv2.LINE_AA)
    back = hints_from_layer(layer)
    assert len(back) >= 20 and {h.kind for h in back} == {"accurate"}
    assert {h.rgb for h in back} == {(200, 60, 90)}  # the anti-aliased rim is not a colour
    pts = np.array([(h.x, h.y) for h in back])
    direction = (end - start) / np.linalg.norm(end - start)
    rel = pts - start
    off_line = np.abs(rel[:, 0] * direction[1] - rel[:, 1] * direction[0])
    assert off_line.max() <= 2.0  # on the stroke
    along = np.sort(rel @ direction)
    assert along[0] <= 8 and along[-1] >= np.linalg.norm(end - start) - 8  # end to end
    gaps = np.diff(along)
    assert gaps.min() >= 3.0 and gaps.max() <= 20.0  # evenly along its length
    assert all(2.0 <= h.size <= 5.0 for h in back)  # as wide as the stroke (5 px, soft rim)


def test_a_small_round_dot_is_one_accurate_hint() -> None:
    layer = np.zeros((*SHAPE, 4), np.uint8)
    cv2.circle(layer, (300, 200), 4, (10, 200, 30, 255), -1, cv2.LINE_AA)
    back = hints_from_layer(layer)
    assert len(back) == 1 and back[0].kind == "accurate" and back[0].rgb == (10, 200, 30)
    assert (round(back[0].x), round(back[0].y)) == (300, 200)


def test_large_blobs_become_draft_hints_several_for_a_long_one() -> None:
    layer = np.zeros((*SHAPE, 4), np.uint8)
    cv2.circle(layer, (120, 120), 50, (240, 200, 180, 255), -1)  # compact: one square
    cv2.ellipse(layer, (400, 350), (200, 30), 20, 0, 360, (60, 40, 120, 255), -1)  # long swath
    back = hints_from_layer(layer)
    assert {h.kind for h in back} == {"draft"}
    round_blob = [h for h in back if h.rgb == (240, 200, 180)]
    swath = [h for h in back if h.rgb == (60, 40, 120)]
    assert len(round_blob) == 1 and abs(round_blob[0].x - 120) <= 1 and round_blob[0].size >= 90
    assert len(swath) >= 4
    ys, xs = np.nonzero(layer[..., 3] & (layer[..., 0] == 60))
    for h in swath:  # every square sits on the swath
        assert np.min(np.hypot(xs - h.x, ys - h.y)) <= 2


def test_touching_strokes_of_two_colours_are_split_by_colour() -> None:
    layer = np.zeros((*SHAPE, 4), np.uint8)
    cv2.line(layer, (50, 100), (300, 100), (255, 0, 0, 255), 4)
    cv2.line(layer, (300, 100), (550, 100), (0, 0, 255, 255), 4)
    back = hints_from_layer(layer)
    assert {h.rgb for h in back} == {(255, 0, 0), (0, 0, 255)}
    assert all(h.x <= 302 for h in back if h.rgb == (255, 0, 0))
    assert all(h.x >= 298 for h in back if h.rgb == (0, 0, 255))


def test_transparent_and_faint_paint_are_nothing() -> None:
    layer = np.zeros((*SHAPE, 4), np.uint8)
    assert len(hints_from_layer(layer)) == 0
    layer[100:200, 100:200] = (255, 0, 0, 20)  # a faint wash below the alpha threshold
    layer[300, 300] = (0, 255, 0, 255)  # a stray pixel
    assert len(hints_from_layer(layer)) == 0


def test_colour_is_the_median_of_the_piece() -> None:
    layer = np.zeros((*SHAPE, 4), np.uint8)
    noise = np.random.default_rng(1).integers(-3, 4, (40, 40, 3))
    layer[100:140, 100:140, :3] = np.array([100, 150, 200]) + noise  # a textured brush
    layer[100:140, 100:140, 3] = 255
    back = hints_from_layer(layer)
    assert len(back) == 1 and back[0].rgb == (100, 150, 200)


def test_bad_layers_are_input_errors_naming_the_file(tmp_path: Path) -> None:
    opaque = tmp_path / "flat.png"
    opaque.write_bytes(encode_png(np.full((20, 30, 3), 255, np.uint8)))
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    for path, problem in (
        (opaque, "has no transparency"),
        (broken, "broken.png"),
        (tmp_path / "missing.png", "file not found"),
    ):
        with pytest.raises(HintLayerError) as err:
            hints_from_layer(path)
        assert isinstance(err.value, InputError)
        assert str(path) in str(err.value) and problem in str(err.value)
    layer = tmp_path / "small.png"
    save_hint_layer(layer, HintSet(), (10, 10))
    with pytest.raises(HintLayerError, match="10×10 px but the sketch is 640×480"):
        hints_from_layer(layer, expected_shape=SHAPE)
    with pytest.raises(ValueError):
        hints_from_layer(np.zeros((4, 4, 3), np.uint8))


def test_a_psd_hint_layer(tmp_path: Path) -> None:
    pytest.importorskip("psd_tools")
    from PIL import Image
    from psd_tools import PSDImage

    ours = _grid_hints(np.random.default_rng(11))
    layer = hints_to_layer(ours, SHAPE)
    psd = PSDImage.frompil(Image.new("RGB", (SHAPE[1], SHAPE[0]), "white"))
    psd.create_pixel_layer(Image.new("RGB", (SHAPE[1], SHAPE[0]), "white"), "Lines", 0, 0)
    psd.create_pixel_layer_from_array(np.ascontiguousarray(layer[20:, 10:]), "Colour hints", 20, 10)
    path = tmp_path / "page.psd"
    psd.save(path)
    assert layer_names(path) == ["Colour hints", "Lines"]
    in_layer = [h for h in ours if h.x - h.half_extent >= 10 and h.y - h.half_extent >= 20]
    back = hints_from_layer(path, expected_shape=SHAPE)
    assert len(back) == len(in_layer)
    for mine, read in _match(HintSet(tuple(in_layer)), back):
        assert read.rgb == mine.rgb and np.hypot(read.x - mine.x, read.y - mine.y) <= 1.0
    assert {h.rgb for h in hints_from_layer(path, layer="Lines")} == {(255, 255, 255)}
    with pytest.raises(HintLayerError, match="no layer named 'Sky'"):
        hints_from_layer(path, layer="Sky")
