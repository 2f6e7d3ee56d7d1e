import numpy as np
import pytest

from paintassist.core.hint_maps import accurate_map, draft_map, hint_map
from paintassist.core.types import Hint, HintSet


def test_draft_square_covers_its_side_and_colour() -> None:
    hints = HintSet((Hint("draft", 10, 20, (255, 0, 0), size=6),))
    m = draft_map(hints, (40, 30))
    assert m.shape == (40, 30, 4) and m.dtype == np.float32
    ys, xs = np.nonzero(m[..., 3])
    assert xs.max() - xs.min() + 1 == 6 and ys.max() - ys.min() + 1 == 6
    assert np.allclose(m[20, 10, :3], (1.0, 0.0, 0.0))
    assert m[..., 3].sum() == 36


def test_accurate_disc_radius_scales() -> None:
    hints = HintSet((Hint("accurate", 40, 40, (0, 255, 0), size=8),))
    full = accurate_map(hints, (80, 80))
    half = accurate_map(hints, (40, 40), scale=0.5)
    assert full[40, 40, 3] == 1 and half[20, 20, 3] == 1
    # disc area ≈ π r²
    assert abs(full[..., 3].sum() - np.pi * 64) < 0.15 * np.pi * 64
    assert abs(half[..., 3].sum() - np.pi * 16) < 0.3 * np.pi * 16


def test_kind_filter_and_later_hint_wins() -> None:
    hints = HintSet((
        Hint("draft", 5, 5, (255, 0, 0), size=4),
        Hint("accurate", 5, 5, (0, 0, 255), size=2),
        Hint("draft", 6, 5, (0, 255, 0), size=4),
    ))
    assert accurate_map(hints, (12, 12))[..., 3].sum() > 0
    d = draft_map(hints, (12, 12))
    assert np.allclose(d[5, 6, :3], (0, 1, 0))  # later square overwrites the earlier one
    both = hint_map(hints, (12, 12))
    assert np.allclose(both[5, 5, :3], (0, 1, 0))


def test_tiny_hint_is_at_least_one_pixel_and_out_of_bounds_ignored() -> None:
    hints = HintSet((Hint("draft", 3, 3, (9, 9, 9), size=1), Hint("accurate", 500, 500, (1, 1, 1))))
    m = hint_map(hints, (16, 16), scale=0.25)
    assert m[..., 3].sum() == 1


@pytest.mark.parametrize("shape,scale", [((0, 5), 1.0), ((5, 5), 0.0), ((5, 5), float("nan"))])
def test_bad_arguments(shape: tuple[int, int], scale: float) -> None:
    with pytest.raises(ValueError):
        hint_map(HintSet(), shape, scale)


def test_spread_follows_nearest_hint_and_is_empty_without_hints() -> None:
    from paintassist.core.hint_maps import spread

    hints = HintSet((Hint("draft", 10, 10, (255, 0, 0), 4), Hint("draft", 90, 50, (0, 0, 255), 4)))
    s = spread(hint_map(hints, (64, 100)))
    assert s.shape == (64, 100, 4) and s.dtype == np.float32
    assert s[10, 10, 0] > 0.95 and s[50, 90, 2] > 0.95  # at the hints: their colours
    assert s[12, 20, 0] > s[12, 20, 2]  # nearer the red hint: redder
    assert s[..., 3].min() > 0
    assert not spread(hint_map(HintSet(), (8, 8))).any()
