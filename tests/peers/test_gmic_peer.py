"""G'MIC peer wrappers (skipped where gmic is not installed)."""

from __future__ import annotations

import numpy as np
import pytest

from paintassist.core.types import Hint, HintSet

RED = (220, 30, 40)
BLUE = (30, 60, 200)


def _boxes() -> tuple[np.ndarray, HintSet]:
    """Two closed boxes side by side (float32 ink) and one dot in each."""
    ink = np.zeros((60, 120), np.float32)
    ink[5:7, 5:56] = ink[54:56, 5:56] = ink[5:56, 5:7] = ink[5:56, 54:56] = 1.0
    ink[5:7, 65:116] = ink[54:56, 65:116] = ink[5:56, 65:67] = ink[5:56, 114:116] = 1.0
    return ink, HintSet((Hint("accurate", 30, 30, RED), Hint("accurate", 90, 30, BLUE)))


# -- the G'MIC peer the metrics are compared with (bench/bench_quality.py) ----------------------


def test_gmic_spots_image_marks_hints_only() -> None:
    from paintassist.peers.gmic_peer import spots_image

    hints = HintSet((Hint("accurate", 10, 5, RED, 1.0), Hint("draft", 30, 10, BLUE, 4.0)))
    spots = spots_image((20, 40), hints)
    assert spots.shape == (20, 40, 4) and spots.dtype == np.float32
    assert tuple(spots[5, 10]) == (*RED, 255)
    assert tuple(spots[10, 30]) == (*BLUE, 255)
    assert (spots[..., 3] > 0).sum() == 5 + 25  # a radius-1 disc and a 5x5 square
    assert spots[0, 0, 3] == 0


def test_gmic_propagation_fills_boxes_with_their_dot() -> None:
    pytest.importorskip("gmic")
    from paintassist.peers.gmic_peer import propagation, smart_coloring

    ink, dots = _boxes()
    out = propagation(ink, dots)
    assert out.shape == (60, 120, 3) and out.dtype == np.uint8
    assert np.abs(out[30, 30].astype(int) - RED).max() <= 2
    assert np.abs(out[30, 90].astype(int) - BLUE).max() <= 2
    assert (out[5, 30] < 80).all()  # the line is drawn
    auto = smart_coloring(ink)
    assert auto.shape == (60, 120, 3) and auto.dtype == np.uint8
