"""Layered export: PNGs decode back to the same pixels; the .ora is valid OpenRaster."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import cv2
import numpy as np
import pytest

from paintassist.core.errors import Cancelled
from paintassist.core.layers import EXPORT_LAYERS, LAYER_NAMES, compose
from paintassist.core.regions import labels_from_regions_layer
from paintassist.core.types import ColorizeResult
from paintassist.io.export import decode_png, export_result, read_ora_layers
from paintassist.io.png import encode_png


def make_result(h: int = 37, w: int = 53, seed: int = 0) -> ColorizeResult:
    rng = np.random.default_rng(seed)
    rgb = lambda: rng.integers(0, 256, (h, w, 3), dtype=np.uint8)  # noqa: E731
    lineart = np.zeros((h, w, 4), np.uint8)
    lineart[..., 3] = rng.integers(0, 256, (h, w), dtype=np.uint8)
    labels = rng.integers(0, 900, (h, w), dtype=np.int32)
    layers = {
        "flats": rgb(),
        "shading": rgb(),
        "tone": rgb(),
        "shadow": rgb(),
        "lighting": rgb(),
        "lineart": lineart,
        "sketch": rgb(),
    }
    return ColorizeResult(
        request_id=1, color=rgb(), composite=compose(layers), regions=labels, **layers
    )


def test_png_folder_round_trip(tmp_path: Path) -> None:
    result = make_result()
    written = export_result(result, tmp_path, "page", ("png",), source="page.png")
    folder = tmp_path / "page"
    assert written == [folder]
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([f"{n}.png" for n in EXPORT_LAYERS] + ["manifest.json"])
    for name in EXPORT_LAYERS:
        img = decode_png((folder / f"{name}.png").read_bytes())
        if name == "regions":
            assert np.array_equal(labels_from_regions_layer(img), result.regions)
        else:
            assert np.array_equal(img, getattr(result, name)), name
    manifest = json.loads((folder / "manifest.json").read_text())
    assert [layer["name"] for layer in manifest["layers"]] == list(LAYER_NAMES)
    blends = {layer["name"]: layer["blend"] for layer in manifest["layers"]}
    assert blends["shading"] == "multiply" and blends["lighting"] == "screen"
    assert manifest["width"] == 53 and manifest["height"] == 37
    assert not list(tmp_path.glob(".*")), "no staging folder left behind"


def test_ora_is_valid_openraster(tmp_path: Path) -> None:
    result = make_result()
    (ora,) = export_result(result, tmp_path, "page", ("ora",))
    with zipfile.ZipFile(ora) as zf:
        first = zf.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert zf.read("mimetype") == b"image/openraster"
        assert {"stack.xml", "mergedimage.png", "Thumbnails/thumbnail.png"} <= set(zf.namelist())
        thumb = decode_png(zf.read("Thumbnails/thumbnail.png"))
        assert max(thumb.shape[:2]) <= 256
    xml, images = read_ora_layers(ora)
    root = ET.fromstring(xml)
    assert root.tag == "image" and root.get("w") == "53" and root.get("h") == "37"
    stack = root.find("stack")
    assert stack is not None
    layers = stack.findall("layer")
    # OpenRaster lists the top layer first.
    assert [el.get("name") for el in layers] == list(reversed(LAYER_NAMES))
    ops = {el.get("name"): el.get("composite-op") for el in layers}
    assert ops["shading"] == "svg:multiply" and ops["lighting"] == "svg:screen"
    assert ops["lineart"] == "svg:src-over"
    assert {el.get("name"): el.get("visibility") for el in layers}["regions"] == "hidden"
    assert np.array_equal(images["flats"], result.flats)
    assert np.array_equal(images["lineart"], result.lineart)


def test_reexport_replaces_folder_whole(tmp_path: Path) -> None:
    export_result(make_result(seed=1), tmp_path, "page", ("png",))
    second = make_result(seed=2)
    export_result(second, tmp_path, "page", ("png",))
    img = decode_png((tmp_path / "page" / "flats.png").read_bytes())
    assert np.array_equal(img, second.flats)


def test_cancel_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(Cancelled):
        export_result(make_result(), tmp_path, "page", ("png", "ora"), should_cancel=lambda: True)
    assert list(tmp_path.iterdir()) == []


def test_unknown_format_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="tiff"):
        export_result(make_result(), tmp_path, "page", ("tiff",))


def test_artist_layer_settings_reach_manifest_ora_and_composite(tmp_path: Path) -> None:
    result = make_result()
    visible = {"shading": False, "color": True}
    opacity = {"lineart": 0.5}
    export_result(result, tmp_path, "page", ("png", "ora"), visible=visible, opacity=opacity)
    manifest = json.loads((tmp_path / "page" / "manifest.json").read_text())
    by_name = {layer["name"]: layer for layer in manifest["layers"]}
    assert by_name["shading"]["visible"] is False and by_name["color"]["visible"] is True
    assert by_name["lineart"]["opacity"] == 0.5
    xml, _ = read_ora_layers(tmp_path / "page" / "page.ora")
    layers = {el.get("name"): el for el in ET.fromstring(xml).iter("layer")}
    assert layers["shading"].get("visibility") == "hidden"
    assert layers["lineart"].get("opacity") == "0.500"
    composite = decode_png((tmp_path / "page" / "composite.png").read_bytes())
    expected = compose(
        {
            "color": result.color,
            "flats": result.flats,
            "shading": result.shading,
            "tone": result.tone,
            "shadow": result.shadow,
            "lighting": result.lighting,
            "lineart": result.lineart,
        },
        visible,
        opacity,
    )
    assert np.array_equal(composite, expected)


def test_every_format_carries_the_sketch_hidden_at_full_resolution(tmp_path: Path) -> None:
    from psd_tools import PSDImage

    result = make_result()
    written = export_result(result, tmp_path, "page", ("png", "ora", "psd"))
    folder = tmp_path / "page"
    assert np.array_equal(decode_png((folder / "sketch.png").read_bytes()), result.sketch)
    manifest = json.loads((folder / "manifest.json").read_text())
    top = manifest["layers"][-1]
    assert (top["name"], top["visible"], top["blend"]) == ("sketch", False, "multiply")
    xml, images = read_ora_layers(written[1])
    first = next(ET.fromstring(xml).iter("layer"))  # OpenRaster lists the top layer first
    assert (first.get("name"), first.get("visibility")) == ("sketch", "hidden")
    assert np.array_equal(images["sketch"], result.sketch)
    psd_top = list(PSDImage.open(written[2]))[-1]
    assert psd_top.name == "sketch" and psd_top.visible is False
    assert psd_top.bbox == (0, 0, 53, 37)
    # hidden: the composite is the same with or without it
    assert result.sketch is not None
    assert np.array_equal(decode_png((folder / "composite.png").read_bytes()), result.composite)


def test_a_page_without_screentone_writes_no_tone_layer(tmp_path: Path) -> None:
    result = make_result()
    result.tone = None
    export_result(result, tmp_path, "page", ("png", "ora"))
    manifest = json.loads((tmp_path / "page" / "manifest.json").read_text())
    assert "tone" in manifest["not_written"]
    assert not (tmp_path / "page" / "tone.png").exists()
    xml, images = read_ora_layers(tmp_path / "page" / "page.ora")
    assert "tone" not in images and 'name="tone"' not in xml


# -- PNG encoding (paintassist.io.png: exports, projects and tools share it) ----------------------
@pytest.mark.parametrize("channels", [0, 3, 4])
def test_round_trip_keeps_rgb_order(channels: int) -> None:
    rng = np.random.default_rng(0)
    shape = (17, 23) if channels == 0 else (17, 23, channels)
    img = rng.integers(0, 256, shape, dtype=np.uint8)
    for level in (1, 9):
        assert np.array_equal(decode_png(encode_png(img, compression=level)), img)
    if channels == 3:  # RGB in, so the file holds RGB: cv2 reads it back as BGR
        bgr = cv2.imdecode(np.frombuffer(encode_png(img), np.uint8), cv2.IMREAD_COLOR)
        assert np.array_equal(bgr[..., ::-1], img)


def test_higher_level_is_smaller_and_bad_input_raises() -> None:
    img = np.tile(np.arange(64, dtype=np.uint8), (64, 1))
    assert len(encode_png(img, compression=9)) <= len(encode_png(img, compression=1))
    with pytest.raises(ValueError):
        encode_png(img.astype(np.float32))
    with pytest.raises(ValueError):
        encode_png(np.zeros((4, 4, 2), np.uint8))
    with pytest.raises(ValueError):
        decode_png(b"not a png")


# -- light pass off: no empty shadow / lighting layers -------------------------------------------
def _light_off(result: ColorizeResult, shadow: bool = True, lighting: bool = True) -> None:
    """Make ``result`` what the pipeline gives with the light pass off (white multiply shadow,
    black screen lighting, left out of the composite)."""
    if shadow:
        result.shadow = np.full_like(result.shadow, 255)
    if lighting:
        result.lighting = np.zeros_like(result.lighting)
    result.composite = compose({n: getattr(result, n) for n in ("flats", "shading", "lineart")})


def test_light_pass_off_writes_no_shadow_or_lighting_anywhere(tmp_path: Path) -> None:
    from psd_tools import PSDImage

    result = make_result()
    _light_off(result)
    written = export_result(result, tmp_path, "page", ("png", "ora", "psd"))
    folder = tmp_path / "page"
    kept = [n for n in LAYER_NAMES if n not in ("shadow", "lighting")]
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(
        [f"{n}.png" for n in ("composite", *kept)] + ["manifest.json", "page.ora", "page.psd"]
    )
    manifest = json.loads((folder / "manifest.json").read_text())
    assert [layer["name"] for layer in manifest["layers"]] == kept  # exactly what was written
    assert all((folder / layer["file"]).is_file() for layer in manifest["layers"])
    assert manifest["not_written"] == ["shadow", "lighting"]
    xml, images = read_ora_layers(written[1])
    assert [el.get("name") for el in ET.fromstring(xml).iter("layer")] == kept[::-1]
    assert sorted(images) == sorted(kept)
    assert [layer.name for layer in PSDImage.open(written[2])] == kept
    # Nothing the artist sees changes: the composite is the pipeline's, also when re-blended.
    assert np.array_equal(decode_png((folder / "composite.png").read_bytes()), result.composite)
    export_result(result, tmp_path, "page", ("png",), opacity={"shading": 0.5})
    names = ("flats", "shading", "tone", "shadow", "lighting", "lineart")
    full = {n: getattr(result, n) for n in names}
    expected = compose(full, None, {"shading": 0.5})
    assert np.array_equal(decode_png((folder / "composite.png").read_bytes()), expected)


def test_a_light_layer_that_does_something_is_written(tmp_path: Path) -> None:
    result = make_result()
    _light_off(result, shadow=False)  # shadows drawn, no highlights (balance -1)
    export_result(result, tmp_path, "page", ("png",))
    manifest = json.loads((tmp_path / "page" / "manifest.json").read_text())
    names = [layer["name"] for layer in manifest["layers"]]
    assert "shadow" in names and "lighting" not in names
    assert (tmp_path / "page" / "shadow.png").is_file()
    assert not (tmp_path / "page" / "lighting.png").exists()
