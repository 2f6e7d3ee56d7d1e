"""Shading layer: flats × shading ≈ colour; per-region normalisation keeps flats exact; paper stays white."""

from __future__ import annotations

import numpy as np
import pytest

from paintassist.core.shading import LINE_ECHO_PX, lift_line_echo, shading_layer, white_flats


def test_plain_ratio_reproduces_colour_luminance() -> None:
    flats = np.full((4, 4, 3), 200, np.uint8)
    color = np.full((4, 4, 3), 100, np.uint8)
    s = shading_layer(color, flats, deadzone=0.0)
    assert abs(int(s[0, 0, 0]) - round(255 * 101 / 201)) <= 1
    assert (s[..., 0] == s[..., 1]).all()  # grey: shading never tints


def test_regions_keep_only_variation_inside_a_region() -> None:
    flats = np.full((2, 8, 3), 200, np.uint8)
    color = flats.copy()
    color[:, :4] = 120  # region 0: uniformly darker than its flat (a colour offset, not a form)
    color[:, 4:6] = 200  # region 1: half lit ...
    color[:, 6:] = 100  # ... half in shadow
    labels = np.zeros((2, 8), np.int32)
    labels[:, 4:] = 1
    s = shading_layer(color, flats, labels, deadzone=0.0)[..., 0]
    assert (s[:, :4] == 255).all()  # the offset is dropped: the flat stays the colour seen
    assert (s[:, 4:6] == 255).all() and (s[:, 6:] < 200).all()


def test_unshaded_regions_stay_white() -> None:
    flats = np.full((2, 4, 3), 255, np.uint8)
    color = flats.copy()
    color[:, 2:] = 180
    labels = np.zeros((2, 4), np.int32)
    s = shading_layer(color, flats, labels, np.array([True]))
    assert (s == 255).all()


def test_anchored_region_is_white_at_its_dot() -> None:
    """A region holding an accurate dot is lit at the dot: the composite shows the dot's colour
    there, and the rest of the region keeps its relative shading."""
    labels = np.zeros((20, 40), np.int32)
    flats = np.full((20, 40, 3), 200, np.uint8)
    color = flats.copy()
    color[:, :20] = 100  # the network shades the left half darker
    anchors = np.array([[10, 5]])  # a dot in the dark half
    s = shading_layer(color, flats, labels, anchors=anchors)
    assert s[10, 5, 0] >= 254
    assert s[10, 30, 0] == 255  # brighter than the anchor: multiply clips to white
    plain = shading_layer(color, flats, labels)
    assert plain[10, 5, 0] < 250  # unanchored: lit at the region's mean, the dot is darkened


def test_deadzone_drops_faint_blotches_and_keeps_form_shadows() -> None:
    labels = np.zeros((5, 16), np.int32)
    flats = np.full((5, 16, 3), 200, np.uint8)
    color = flats.copy()
    color[:, 8:12] = 190  # a 5 % smudge: network noise
    color[:, 12:] = 110  # a 45 % form shadow
    lit = np.array([[2, 2]])  # an accurate dot in the lit part sets the lit level
    s = shading_layer(color, flats, labels, anchors=lit, deadzone=0.1)[..., 0]
    plain = shading_layer(color, flats, labels, anchors=lit, deadzone=0.0)[..., 0]
    assert (plain[:, 8:12] < 250).all() and (s[:, 8:12] == 255).all()
    assert (s[:, 12:] < 180).all()  # still clearly a shadow ...
    assert (s[:, 12:] > plain[:, 12:]).all()  # ... lifted by the dead zone


def test_another_colour_is_not_a_shadow() -> None:
    """A darker *different* colour under a flat (a hue leak from a neighbour's dot) leaves the
    shading white; the same hue, darker, is a shadow."""
    labels = np.zeros((5, 16), np.int32)
    flats = np.full((5, 16, 3), (250, 220, 190), np.uint8)  # skin
    color = flats.copy()
    color[:, 8:12] = (40, 40, 160)  # the hair's blue leaked in
    color[:, 12:] = (150, 132, 114)  # the skin, 40 % darker
    lit = np.array([[2, 2]])
    s = shading_layer(color, flats, labels, anchors=lit)[..., 0]
    assert (s[:, 8:12] == 255).all()
    assert (s[:, 12:] < 200).all()
    ungated = shading_layer(color, flats, labels, anchors=lit, hue_gate=None)[..., 0]
    assert (ungated[:, 8:12] < 150).all()


def _echo_page() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A 40×80 flat page cut by a vertical line at x = 20, with the network's dark echo 3 px on
    each side of it, and a form shadow on the right from x = 60 to 70, wider than the band."""
    flats = np.full((40, 80, 3), 200, np.uint8)
    color = flats.copy()
    color[:, 17:20] = 120  # echo left of the line
    color[:, 21:24] = 120  # echo right of it
    color[:, 60:70] = 110  # a real shadow: much wider than the band
    ink = np.zeros((40, 80), np.float32)
    ink[:, 20] = 1.0
    return color, flats, ink


def test_line_echo_is_lifted_but_a_wide_shadow_stays() -> None:
    color, flats, ink = _echo_page()
    labels = np.zeros((40, 80), np.int32)
    labels[:, 21:] = 1
    plain = shading_layer(color, flats, labels, ink=None)[..., 0]
    lifted = shading_layer(color, flats, labels, ink=ink)[..., 0]
    assert plain[:, 17:20].max() < 235 and plain[:, 21:24].max() < 235  # the echo shows unlifted
    assert (lifted[:, 16:20] == 255).all() and (lifted[:, 21:24] == 255).all()
    assert lifted[:, 60:70].max() < 235  # the form shadow past the band is untouched
    assert (lifted[:, 30:] == plain[:, 30:]).all()


def test_lift_line_echo_leaves_line_pixels_and_far_paper() -> None:
    color, flats, ink = _echo_page()
    log_ratio = np.log((color[..., 0].astype(np.float32) + 1) / (flats[..., 0] + 1))
    out = lift_line_echo(log_ratio, ink)
    assert out[:, 20].tolist() == log_ratio[:, 20].tolist()  # the line itself
    far = 20 + LINE_ECHO_PX + 1
    assert (out[:, far:] == log_ratio[:, far:]).all()
    assert out[:, 18].max() == 0.0  # lifted to the lit paper 3 px left of the echo
    assert lift_line_echo(log_ratio, np.zeros_like(ink)) is log_ratio  # no line, no work


def test_lift_line_echo_checks_sizes() -> None:
    with pytest.raises(ValueError, match="differ in size"):
        lift_line_echo(np.zeros((4, 4), np.float32), np.zeros((4, 5), np.float32))


def test_white_flats_are_near_white_and_grey() -> None:
    palette = np.array(
        [[255, 255, 255], [246, 245, 245], [253, 221, 189], [200, 200, 200], [255, 240, 250]],
        np.uint8,
    )
    assert white_flats(palette).tolist() == [True, True, False, False, False]
