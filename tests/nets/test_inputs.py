"""The networks' input layouts (paintassist.nets.inputs): channel order, shapes, the draft resize."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.nn import functional

from paintassist.core.types import Hint, HintSet
from paintassist.nets.draft_net import IN_CHANNELS as DRAFT_IN
from paintassist.nets.inputs import (
    DRAFT_CHANNELS,
    REFINE_CHANNELS,
    draft_input,
    refine_input,
    resize_draft,
)
from paintassist.nets.refine_net import IN_CHANNELS as REFINE_IN

RED, GREEN = (255, 0, 0), (0, 255, 0)
HINTS = HintSet((Hint("draft", 10, 12, RED, 6), Hint("accurate", 30, 20, GREEN, 2)))


def _ink(h: int = 32, w: int = 48) -> np.ndarray:
    ink = np.zeros((h, w), np.float32)
    ink[:, 20] = 1.0
    return ink


def test_channel_counts_match_the_nets() -> None:
    assert (DRAFT_CHANNELS, REFINE_CHANNELS) == (DRAFT_IN, REFINE_IN) == (9, 12)


def test_draft_input_layout() -> None:
    x = draft_input(_ink(), HINTS)
    assert x.shape == (32, 48, 9) and x.dtype == np.float32
    assert np.array_equal(x[..., 0], _ink())
    assert tuple(x[12, 10, 1:5]) == (1.0, 0.0, 0.0, 1.0)  # the square: colour, mask
    assert x[20, 30, 4] == 0.0  # accurate dots are not DraftNet's
    assert x[..., 5:8].max() <= 1.0 and x[25, 40, 8] > 0  # spread colour and confidence
    half = draft_input(_ink(16, 24), HINTS, scale=0.5)
    assert half[6, 5, 4] == 1.0


def test_refine_input_layout_and_draft_resize() -> None:
    draft = np.zeros((8, 12, 3), np.float32)
    draft[..., 2] = 1.5  # out of range: clipped
    x = refine_input(_ink(), draft, HINTS)
    assert x.shape == (32, 48, 12) and x.dtype == np.float32
    assert np.array_equal(x[..., 0], _ink())
    assert np.array_equal(x[..., 1:4], np.broadcast_to((0.0, 0.0, 1.0), (32, 48, 3)))
    assert tuple(x[20, 30, 4:8]) == (0.0, 1.0, 0.0, 1.0)  # the dot: colour, mask
    assert x[12, 10, 7] == 0.0  # draft squares are not RefineNet's
    assert x[0, 0, 11] > 0


def test_resize_draft_is_torch_bilinear_and_a_no_op_at_size() -> None:
    rng = np.random.default_rng(0)
    draft = rng.random((10, 14, 3), dtype=np.float32)
    t = torch.from_numpy(draft).permute(2, 0, 1)[None]
    want = functional.interpolate(t, size=(37, 51), mode="bilinear", align_corners=False)
    assert np.array_equal(resize_draft(draft, (37, 51)), want[0].permute(1, 2, 0).numpy())
    assert np.array_equal(resize_draft(draft, (10, 14)), draft)
    with pytest.raises(ValueError):
        resize_draft(draft[..., :2], (10, 14))
    with pytest.raises(ValueError):
        draft_input(_ink().astype(np.float64), HINTS)


def test_input_layout_v2_spreads_along_the_lines_v1_across() -> None:
    from paintassist.core.hint_maps import spread, spread_along_lines
    from paintassist.nets.inputs import draft_input, refine_input, spread_for

    ink = np.zeros((64, 64), np.float32)
    ink[:, 30] = 1.0  # a wall down the middle
    squares = HintSet((Hint("draft", 10.0, 32.0, (255, 0, 0), 6.0),))
    v1, v2 = draft_input(ink, squares), draft_input(ink, squares, version=2)
    assert v1.shape == v2.shape == (64, 64, 9)
    assert np.array_equal(v1[..., :5], v2[..., :5])
    assert np.array_equal(v1[..., 5:], spread(v1[..., 1:5]))
    assert np.array_equal(v2[..., 5:], spread_along_lines(v2[..., 1:5], ink))
    assert v1[32, 50, 8] > 0 and v2[32, 50, 8] == 0  # v2: nothing across the wall
    dots = HintSet((Hint("accurate", 10.0, 32.0, (0, 255, 0), 2.0),))
    draft = np.full((16, 16, 3), 0.5, np.float32)
    r2 = refine_input(ink, draft, dots, version=2)
    assert r2.shape == (64, 64, 12) and r2[32, 50, 11] == 0
    with pytest.raises(ValueError, match="unknown input layout"):
        spread_for(4, v1[..., 1:5], ink)
    with pytest.raises(ValueError, match="RefineNet's"):
        draft_input(ink, squares, version=3)


def test_refine_input_layout_3_has_both_spreads() -> None:
    """Layout 3: the dot's colour along the lines (none beyond the wall at x = 20) in 8-11 and
    across them (everywhere, as layout 1) in 12-15."""
    from paintassist.nets.inputs import REFINE_CHANNELS_V3
    from paintassist.nets.refine_net import RefineNetV3

    draft = np.zeros((8, 12, 3), np.float32)
    x3 = refine_input(_ink(), draft, HINTS, version=3)
    assert x3.shape == (32, 48, REFINE_CHANNELS_V3) == (32, 48, RefineNetV3.IN_CHANNELS)
    assert np.array_equal(x3[..., :12], refine_input(_ink(), draft, HINTS, version=2))
    assert np.array_equal(x3[..., 12:], refine_input(_ink(), draft, HINTS, version=1)[..., 8:])
    assert x3[10, 5, 11] == 0.0 and x3[10, 40, 11] > 0  # along: not past the wall (dot at x=30)
    assert x3[10, 5, 15] > 0  # across: there too


def test_a_widened_v2_state_makes_v3_compute_what_v2_did() -> None:
    from paintassist.nets.refine_net import RefineNetV2, RefineNetV3, widen_state

    torch.manual_seed(0)
    v2 = RefineNetV2(4)
    for p in v2.parameters():  # a net that is not the identity on the draft
        torch.nn.init.normal_(p, std=0.1)
    v3 = RefineNetV3(4)
    v3.load_state_dict(widen_state(v2.state_dict(), v3.IN_CHANNELS))
    x = torch.rand(1, 16, 16, 16)
    with torch.no_grad():
        assert torch.allclose(v3(x), v2(x[:, :12]), atol=1e-6)
    assert widen_state(v3.state_dict(), 16) is not None
    with pytest.raises(ValueError, match="narrow"):
        widen_state(v3.state_dict(), 12)
