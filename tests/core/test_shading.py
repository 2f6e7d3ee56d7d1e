"""Shading layer: flats × shading ≈ colour; per-region normalisation keeps flats exact; paper stays white."""

from __future__ import annotations

import numpy as np

from paintassist.core.shading import shading_layer


def test_plain_ratio_reproduces_colour_luminance() -> None:
    flats = np.full((4, 4, 3), 200, np.uint8)
    color = np.full((4, 4, 3), 100, np.uint8)
    s = shading_layer(color, flats)
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
    s = shading_layer(color, flats, labels)[..., 0]
    assert (s[:, :4] == 255).all()  # the offset is dropped: the flat stays the colour seen
    assert (s[:, 4:6] == 255).all() and (s[:, 6:] < 200).all()


def test_unshaded_regions_stay_white() -> None:
    flats = np.full((2, 4, 3), 255, np.uint8)
    color = flats.copy()
    color[:, 2:] = 180
    labels = np.zeros((2, 4), np.int32)
    s = shading_layer(color, flats, labels, np.array([True]))
    assert (s == 255).all()
