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


def _ring_ink(shape: tuple[int, int] = (96, 96)) -> np.ndarray:
    import cv2

    ink = np.zeros(shape, np.float32)
    cv2.circle(ink, (48, 48), 25, 1.0, 1, lineType=cv2.LINE_8)  # one-pixel, 8-connected: closed
    return ink


def test_spread_along_lines_keeps_a_dot_inside_a_closed_line() -> None:
    from paintassist.core.hint_maps import spread, spread_along_lines

    ink = _ring_ink()
    hints = HintSet((Hint("draft", 48, 48, (255, 0, 0), size=4),
                     Hint("draft", 8, 8, (0, 0, 255), size=4)))
    hmap = draft_map(hints, ink.shape)
    out = spread_along_lines(hmap, ink)
    assert out.shape == (96, 96, 4) and out.dtype == np.float32
    yy, xx = np.mgrid[0:96, 0:96]
    r2 = (yy - 48) ** 2 + (xx - 48) ** 2
    inside, outside = r2 < 23**2, r2 > 27**2
    assert np.allclose(out[inside, :3], (1, 0, 0), atol=1e-4)  # red only, all the way to the line
    assert np.allclose(out[outside, :3], (0, 0, 1), atol=1e-4)  # blue never gets in
    assert out[inside, 3].min() > 0 and out[outside, 3].min() > 0
    # the old spread mixes them across the line
    old = spread(hmap)
    assert old[inside, 2].max() > 0.05


def test_spread_along_lines_leaves_unhinted_areas_empty_and_passes_gaps() -> None:
    from paintassist.core.hint_maps import spread_along_lines

    ink = _ring_ink()
    hmap = draft_map(HintSet((Hint("draft", 8, 8, (0, 255, 0), size=4),)), ink.shape)
    out = spread_along_lines(hmap, ink)
    assert out[48, 48, 3] == 0 and np.all(out[48, 48, :3] == 0)  # nothing inside the ring
    broken = ink.copy()
    broken[20:30, 40:56] = 0.0  # a gap in the ring's top
    out = spread_along_lines(hmap, broken)
    assert out[48, 48, 3] > 0 and np.allclose(out[48, 48, :3], (0, 1, 0), atol=1e-4)


def test_spread_along_lines_ignores_faint_ink_and_needs_matching_shapes() -> None:
    from paintassist.core.hint_maps import LINE_THRESHOLD, spread_along_lines

    ink = _ring_ink() * (LINE_THRESHOLD * 0.5)  # below the threshold: no wall
    hmap = draft_map(HintSet((Hint("draft", 8, 8, (0, 255, 0), size=4),)), ink.shape)
    assert spread_along_lines(hmap, ink)[48, 48, 3] > 0
    assert not spread_along_lines(np.zeros((96, 96, 4), np.float32), ink).any()
    with pytest.raises(ValueError, match="differ"):
        spread_along_lines(hmap, ink[:50])


def test_spread_along_lines_in_a_small_area_of_a_big_page_matches_the_full_size_blur(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A component far narrower than the widest blur is blurred on a downscaled copy; the result
    must be what the blur at full size gave before that shortcut (RefineNet was trained on it)."""
    import cv2

    from paintassist.core import hint_maps

    def full_size_blur_stack(weighted: np.ndarray, long_side: int) -> np.ndarray:
        h, w = weighted.shape[:2]
        acc = np.zeros((h, w, 4), np.float32)
        for frac in hint_maps.SPREAD_FRACTIONS:
            sigma = max(0.7, frac * long_side)
            if sigma > 8 and min(h, w) * 4.0 / sigma >= 1:  # the mid blurs as before
                f = 4.0 / sigma
                small = cv2.resize(weighted, (max(1, round(w * f)), max(1, round(h * f))),
                                   interpolation=cv2.INTER_AREA)
                blurred = cv2.GaussianBlur(small, (0, 0), sigma * f,
                                           borderType=cv2.BORDER_CONSTANT)
                acc += cv2.resize(blurred, (w, h), interpolation=cv2.INTER_LINEAR)
            else:
                acc += cv2.GaussianBlur(weighted, (0, 0), sigma, borderType=cv2.BORDER_CONSTANT)
        return acc

    ink = np.zeros((1200, 1500), np.float32)
    cv2.rectangle(ink, (100, 100), (160, 141), 1.0, 2)  # a 57 x 38 px box, sigma up to 750 px
    hints = HintSet((Hint("accurate", 110, 110, (200, 40, 40), 3.0),
                     Hint("accurate", 150, 130, (40, 40, 200), 3.0)))
    hmap = accurate_map(hints, ink.shape, 1.0)
    got = hint_maps.spread_along_lines(hmap, ink)
    monkeypatch.setattr(hint_maps, "_blur_stack", full_size_blur_stack)
    want = hint_maps.spread_along_lines(hmap, ink)
    assert np.abs(got - want).max() < 1e-3
    assert got[130, 150, 2] > got[110, 110, 2]  # the blue dot's corner stays the bluer
