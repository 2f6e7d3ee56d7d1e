"""Photoshop export: the .psd read back with psd-tools has our stack, pixel for pixel."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from psd_tools import PSDImage
from psd_tools.constants import BlendMode, ColorMode
from test_export import make_result

from paintassist.core.layers import LAYER_NAMES, LAYER_STACK, compose, stack_of
from paintassist.io.export import export_result
from paintassist.io.png import decode_png

_BLEND = {"normal": BlendMode.NORMAL, "multiply": BlendMode.MULTIPLY, "screen": BlendMode.SCREEN}


def _pixels(layer) -> np.ndarray:  # type: ignore[no-untyped-def]
    """A psd-tools layer as uint8 (H, W, 4): colour and its transparency."""
    return np.rint(layer.numpy() * 255.0).astype(np.uint8)


@pytest.mark.parametrize("with_settings", [False, True])
def test_psd_has_the_stack_with_names_order_blend_opacity_visibility_and_pixels(
    tmp_path: Path, with_settings: bool
) -> None:
    result = make_result()
    visible = {"shading": False, "color": True} if with_settings else None
    opacity = {"lineart": 0.5, "lighting": 0.25} if with_settings else None
    written = export_result(
        result, tmp_path, "page", ("png", "psd"), visible=visible, opacity=opacity
    )
    psd_path = tmp_path / "page" / "page.psd"
    assert written == [tmp_path / "page", psd_path]  # inside the page folder, like the .ora
    psd = PSDImage.open(psd_path)
    assert psd.size == (53, 37) and psd.depth == 8 and psd.color_mode == ColorMode.RGB

    layers = list(psd)  # psd-tools lists bottom to top, as the stack table does
    assert [layer.name for layer in layers] == list(LAYER_NAMES)
    expected = stack_of(result)
    for layer, s in zip(layers, LAYER_STACK, strict=True):
        assert layer.kind == "pixel", s.name
        assert layer.blend_mode == _BLEND[s.blend], s.name
        want_opacity = (opacity or {}).get(s.name, s.opacity)
        assert layer.opacity == round(255 * want_opacity), s.name
        assert layer.visible is (visible or {}).get(s.name, s.visible), s.name
        assert layer.bbox == (0, 0, 53, 37) and not layer.has_mask(), s.name  # full resolution
        got = _pixels(layer)
        img = expected[s.name]
        if img.shape[2] == 4:  # lineart: its alpha is the layer's transparency, not a mask
            assert np.array_equal(got, img), s.name
        else:
            assert np.array_equal(got[..., :3], img), s.name
            assert (got[..., 3] == 255).all(), s.name
    assert not layers[0].visible and layers[0].name == "regions"  # hidden layers are kept

    # The merged image is our composite, the same pixels as composite.png.
    composite = decode_png((tmp_path / "page" / "composite.png").read_bytes())
    merged = np.asarray(psd.topil(apply_icc=False).convert("RGB"))
    assert np.array_equal(merged, composite)
    if with_settings:
        assert np.array_equal(composite, compose(expected, visible, opacity))
    # psd-tools' own compositor, from the layers alone, agrees: the blend modes, opacities and
    # visibility mean in Photoshop terms what they mean in ours (uint8 rounding: ≤ 2 levels).
    redrawn = np.asarray(psd.composite(ignore_preview=True, apply_icc=False).convert("RGB"))
    assert np.abs(redrawn.astype(int) - composite.astype(int)).max() <= 2

    manifest = json.loads((tmp_path / "page" / "manifest.json").read_text())
    assert manifest["layered_files"] == ["page.psd"]


def test_all_three_formats_share_the_page_folder(tmp_path: Path) -> None:
    written = export_result(make_result(seed=3), tmp_path, "p", ("png", "ora", "psd"))
    folder = tmp_path / "p"
    assert written == [folder, folder / "p.ora", folder / "p.psd"]
    assert all(p.exists() for p in written)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p"]  # nothing beside the folder
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["layered_files"] == ["p.ora", "p.psd"]


def test_psd_alone_writes_only_the_psd(tmp_path: Path) -> None:
    (psd_path,) = export_result(make_result(), tmp_path, "only", ("psd",))
    assert sorted(p.name for p in (tmp_path / "only").iterdir()) == ["only.psd"]
    assert [layer.name for layer in PSDImage.open(psd_path)] == list(LAYER_NAMES)


def test_reexport_replaces_the_psd(tmp_path: Path) -> None:
    export_result(make_result(seed=1), tmp_path, "page", ("psd",))
    second = make_result(seed=2)
    export_result(second, tmp_path, "page", ("psd",))
    flats = next(
        layer for layer in PSDImage.open(tmp_path / "page" / "page.psd") if layer.name == "flats"
    )
    assert np.array_equal(_pixels(flats)[..., :3], second.flats)
