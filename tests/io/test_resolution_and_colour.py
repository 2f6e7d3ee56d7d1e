"""Print resolution and colour: the input's dpi reaches every output file; ICC inputs are
converted to sRGB on load; every output is tagged sRGB."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import cv2
import numpy as np
import pytest
from icc_profiles import (
    ADOBE_RGB_COLORANTS,
    ADOBE_RGB_GAMMA,
    SRGB_COLORANTS,
    grey_icc_profile,
    rgb_icc_profile,
    srgb_encode,
    to_srgb_expected,
)
from PIL import Image, ImageCms
from psd_tools import PSDImage
from psd_tools.constants import Resource
from test_export import make_result

from paintassist.core.lineart import ink_to_grey
from paintassist.io.export import export_result
from paintassist.io.images import load_rgb, load_sketch, load_sketch_bytes
from paintassist.io.png import encode_png

#: A narrow-gamut display: each primary mixed 20 % towards grey, so pure primaries lie inside
#: sRGB and must change value on the way in (Adobe RGB's pure primaries clip to sRGB's).
MUTED_COLORANTS = SRGB_COLORANTS @ (0.8 * np.eye(3) + 0.2 / 3)
ADOBE = rgb_icc_profile(ADOBE_RGB_COLORANTS, ADOBE_RGB_GAMMA, "Adobe RGB-like (test)")
MUTED = rgb_icc_profile(MUTED_COLORANTS, 2.2, "Muted RGB (test)")

#: Pure primaries and secondaries, mid primaries, a skin tone, a greyish green, grey, white, black.
PATCHES = np.array(
    [
        [255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0], [0, 255, 255], [255, 0, 255],
        [128, 0, 0], [0, 128, 0], [0, 0, 128], [220, 170, 140], [40, 180, 60], [128, 128, 128],
        [255, 255, 255], [0, 0, 0],
    ],
    np.uint8,
)  # fmt: skip


def _patch_image(block: int = 16) -> np.ndarray:
    """PATCHES as a row of ``block``-pixel squares (big enough for JPEG's chroma subsampling)."""
    return np.repeat(np.repeat(PATCHES[None], block, axis=0), block, axis=1)


def _patch_values(rgb: np.ndarray, block: int = 16) -> np.ndarray:
    return rgb[block // 2, block // 2 :: block].astype(np.int64)


# -- resolution ----------------------------------------------------------------------------------
def _sketch_file(path: Path, fmt: str, **save: object) -> Path:
    grey = ink_to_grey(make_result(40, 60).lineart[..., 3].astype(np.float32) / 255.0)
    Image.fromarray(grey).save(path, fmt, **save)
    return path


def _png_info(data: bytes) -> dict[str, object]:
    with Image.open(io.BytesIO(data)) as img:
        return dict(img.info)


def _assert_everything_says(folder: Path, stem: str, dpi: float) -> None:
    pngs = {p.name: p.read_bytes() for p in folder.glob("*.png")}
    with zipfile.ZipFile(folder / f"{stem}.ora") as zf:
        pngs.update({f"ora:{n}": zf.read(n) for n in zf.namelist() if n.endswith(".png")})
        xml = zf.read("stack.xml").decode()
    assert len(pngs) >= 14  # 8 folder PNGs + 7 layers, merged image and thumbnail in the .ora
    for name, data in pngs.items():
        info = _png_info(data)
        assert info.get("srgb") == 0, name  # the sRGB chunk
        if "thumbnail" not in name:
            assert info["dpi"] == pytest.approx((dpi, dpi), abs=0.01), name
    root = ET.fromstring(xml)
    assert root.get("xres") == root.get("yres") == str(round(dpi))  # integers, as the spec says
    # MyPaint 2 is told to blend sRGB values like everyone else (its 1.x mode), not linear light.
    assert root.get("{http://mypaint.org/ns/openraster}eotf") == "1.0"
    psd = PSDImage.open(folder / f"{stem}.psd")
    res = psd.image_resources.get_data(Resource.RESOLUTION_INFO)
    assert (res.horizontal / 65536, res.vertical / 65536) == pytest.approx((dpi, dpi), abs=1e-4)
    assert res.horizontal_unit == 1 and res.vertical_unit == 1  # pixels per inch


@pytest.mark.parametrize(
    ("fmt", "suffix"), [("PNG", "png"), ("JPEG", "jpg"), ("TIFF", "tif"), ("BMP", "bmp")]
)
def test_a_600_dpi_input_is_600_dpi_in_every_output(tmp_path: Path, fmt: str, suffix: str) -> None:
    path = _sketch_file(tmp_path / f"page.{suffix}", fmt, dpi=(600, 600))
    sketch = load_sketch(path)
    assert sketch.dpi == (600.0, 600.0)
    export_result(make_result(), tmp_path / "out", "page", ("png", "ora", "psd"), dpi=sketch.dpi)
    folder = tmp_path / "out" / "page"
    _assert_everything_says(folder, "page", 600.0)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["dpi"] == [600.0, 600.0] and manifest["dpi_source"] == "input"


def test_no_stated_resolution_is_300_everywhere_and_the_manifest_says_assumed(
    tmp_path: Path,
) -> None:
    sketch = load_sketch(_sketch_file(tmp_path / "page.png", "PNG"))
    assert sketch.dpi is None
    export_result(make_result(), tmp_path / "out", "page", ("png", "ora", "psd"), dpi=sketch.dpi)
    folder = tmp_path / "out" / "page"
    _assert_everything_says(folder, "page", 300.0)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["dpi"] == [300.0, 300.0] and manifest["dpi_source"] == "assumed"


def test_stated_resolutions_are_read_and_placeholders_are_not(tmp_path: Path) -> None:
    # Units other than inches, unequal axes, fractions.
    tif = _sketch_file(tmp_path / "cm.tif", "TIFF", resolution=118.11, resolution_unit=3)
    assert load_sketch(tif).dpi == (300.0, 300.0)
    cm = _sketch_file(tmp_path / "cm.jpg", "JPEG", dpi=(118, 118))
    cm.write_bytes(cm.read_bytes().replace(b"JFIF\x00\x01\x01\x01", b"JFIF\x00\x01\x01\x02", 1))
    assert load_sketch(cm).dpi == (299.7, 299.7)  # 118 dots per cm
    export_result(make_result(), tmp_path / "out", "cm", ("png", "ora"), dpi=(299.7, 299.7))
    xml = zipfile.ZipFile(tmp_path / "out" / "cm" / "cm.ora").read("stack.xml").decode()
    assert 'xres="300" yres="300"' in xml
    info = _png_info((tmp_path / "out" / "cm" / "flats.png").read_bytes())
    assert info["dpi"] == pytest.approx((299.7, 299.7), abs=0.01)  # pHYs keeps the fraction
    assert load_sketch(_sketch_file(tmp_path / "xy.png", "PNG", dpi=(300, 600))).dpi == (
        300.0,
        600.0,
    )
    # Pillow reports 1 dpi for a TIFF without resolution tags and 72 for a JPEG whose EXIF has
    # no resolution; neither file states anything.
    assert load_sketch(_sketch_file(tmp_path / "bare.tif", "TIFF")).dpi is None
    exif = Image.Exif()
    exif[0x010F] = "camera"  # Make, and no resolution
    assert load_sketch(_sketch_file(tmp_path / "exif.jpg", "JPEG", exif=exif)).dpi is None
    assert load_sketch(_sketch_file(tmp_path / "plain.jpg", "JPEG")).dpi is None
    # A resolution only in EXIF counts; nonsense values do not.
    exif = Image.Exif()
    exif[0x011A], exif[0x011B], exif[0x0128] = 400.0, 400.0, 2
    jpeg = tmp_path / "exifdpi.jpg"
    grey = np.full((20, 20), 200, np.uint8)
    buf = io.BytesIO()
    Image.fromarray(grey).save(buf, "JPEG", exif=exif)
    jpeg.write_bytes(buf.getvalue())  # JFIF says only an aspect ratio (unit 0)
    assert load_sketch(jpeg).dpi == (400.0, 400.0)
    assert load_sketch(_sketch_file(tmp_path / "tiny.png", "PNG", dpi=(1, 1))).dpi is None
    # The embedded copy in a project is the file's bytes: the same resolution comes back.
    data = _sketch_file(tmp_path / "p.png", "PNG", dpi=(1200, 1200)).read_bytes()
    assert load_sketch_bytes(data, "project: sketch.png").dpi == (1200.0, 1200.0)


# -- colour --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("profile", "colorants", "gamma"),
    [(ADOBE, ADOBE_RGB_COLORANTS, ADOBE_RGB_GAMMA), (MUTED, MUTED_COLORANTS, 2.2)],
    ids=["adobe-rgb", "muted"],
)
def test_an_icc_input_is_converted_to_srgb_on_load(
    tmp_path: Path, profile: bytes, colorants: np.ndarray, gamma: float
) -> None:
    expected = to_srgb_expected(PATCHES, colorants, gamma)
    path = tmp_path / "ref.png"
    Image.fromarray(_patch_image()).save(path, icc_profile=profile)
    got = _patch_values(load_rgb(path))
    assert np.abs(got - expected).max() <= 1, (got, expected)
    assert (got != PATCHES).any(axis=1).sum() >= 4  # it is not the identity


def test_pure_primaries_change_value_when_the_profile_says_so(tmp_path: Path) -> None:
    path = tmp_path / "muted.png"
    Image.fromarray(_patch_image()).save(path, icc_profile=MUTED)
    red, green, blue = _patch_values(load_rgb(path))[:3]
    assert red[0] < 250 and red[1] > 40 and red[2] > 40  # (255, 0, 0) here is a duller red
    assert green[1] < 250 and blue[2] < 250
    # Adobe RGB's wider green, by contrast, is clipped to sRGB's and a mid green gets lighter.
    Image.fromarray(_patch_image()).save(path, icc_profile=ADOBE)
    got = _patch_values(load_rgb(path))
    assert list(got[1]) == [0, 255, 0] and got[7][1] == 129  # (0, 128, 0) → (0, 129, 0)
    assert list(got[10]) == [0, 181, 42]  # (40, 180, 60): a real shift, about 8 ΔE


@pytest.mark.parametrize(("fmt", "suffix", "tol"), [("JPEG", "jpg", 6), ("TIFF", "tif", 1)])
def test_jpeg_and_tiff_profiles_are_converted_too(
    tmp_path: Path, fmt: str, suffix: str, tol: int
) -> None:
    path = tmp_path / f"ref.{suffix}"
    save = {"quality": 100, "subsampling": 0} if fmt == "JPEG" else {}
    Image.fromarray(_patch_image()).save(path, fmt, icc_profile=ADOBE, **save)
    expected = to_srgb_expected(PATCHES, ADOBE_RGB_COLORANTS, ADOBE_RGB_GAMMA)
    assert np.abs(_patch_values(load_rgb(path)) - expected).max() <= tol


def test_sketches_are_converted_too_and_alpha_is_kept(tmp_path: Path) -> None:
    """The ink map of a sketch in a muted-RGB space is the ink map of its sRGB conversion."""
    rgb = np.full((120, 200, 3), 255, np.uint8)
    for i, colour in enumerate([(255, 0, 0), (0, 0, 255), (0, 128, 0), (128, 0, 128)]):
        cv2.line(rgb, (10, 20 + 25 * i), (190, 25 + 25 * i), colour, 3)  # coloured pencil lines
    rgba = np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)])
    rgba[:6] = 0  # a transparent strip: paper
    tagged = tmp_path / "tagged.png"
    Image.fromarray(rgba, "RGBA").save(tagged, icc_profile=MUTED)
    converted = ImageCms.profileToProfile(
        Image.fromarray(rgb),
        ImageCms.ImageCmsProfile(io.BytesIO(MUTED)),
        ImageCms.createProfile("sRGB"),
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
        outputMode="RGB",
    )
    assert converted is not None
    plain = tmp_path / "plain.png"
    Image.fromarray(np.dstack([np.asarray(converted), rgba[..., 3]]), "RGBA").save(plain)
    ink = load_sketch(tagged).ink
    assert np.abs(ink - load_sketch(plain).ink).max() <= 2 / 255
    untagged = tmp_path / "untagged.png"
    Image.fromarray(rgba, "RGBA").save(untagged)
    assert np.abs(load_sketch(untagged).ink - ink).max() > 0.1  # the profile made a difference
    assert (load_rgb(tagged)[:6] == 255).all()  # transparency still composites on white


def test_grey_with_a_grey_profile_is_converted_and_stays_grey(tmp_path: Path) -> None:
    grey = np.tile(np.arange(0, 256, 16, dtype=np.uint8), (8, 1))
    path = tmp_path / "grey.png"
    Image.fromarray(grey, "L").save(path, icc_profile=grey_icc_profile(1.8, "Gray 1.8 (test)"))
    rgb = load_rgb(path)
    assert (rgb == rgb[..., :1]).all()  # neutral stays neutral
    expected = srgb_encode((grey[0] / 255.0) ** 1.8)
    assert np.abs(rgb[0, :, 0].astype(np.int64) - expected).max() <= 1
    assert (rgb[0, 1:-1, 0] > grey[0, 1:-1]).all()  # a gamma-1.8 grey is lighter in sRGB
    Image.fromarray(grey, "L").save(path, icc_profile=ADOBE)  # an RGB profile on grey: ignored
    assert np.array_equal(load_rgb(path)[..., 0], grey)


def test_srgb_and_broken_profiles_leave_the_pixels_alone(tmp_path: Path) -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    for name, profile in (("srgb", srgb), ("broken", b"not a profile at all" * 10)):
        path = tmp_path / f"{name}.png"
        Image.fromarray(_patch_image()).save(path, icc_profile=profile)
        assert np.array_equal(load_rgb(path), _patch_image()), name


def test_16_bit_colour_with_a_profile_is_converted_at_8_bits(tmp_path: Path) -> None:
    wide = _patch_image().astype(np.uint16) * 257
    path = tmp_path / "wide.png"
    assert cv2.imwrite(str(path), wide[..., ::-1])
    plain = load_rgb(path)
    assert np.array_equal(plain, _patch_image())  # no profile: read at 16 bits, rounded
    # Pillow cannot write a 16-bit RGB PNG: take the iCCP chunk of an 8-bit one and insert it.
    data = io.BytesIO()
    Image.fromarray(_patch_image()).save(data, "PNG", icc_profile=ADOBE)
    iccp = _chunk(data.getvalue(), b"iCCP")
    raw = path.read_bytes()
    path.write_bytes(raw[:33] + iccp + raw[33:])
    expected = to_srgb_expected(PATCHES, ADOBE_RGB_COLORANTS, ADOBE_RGB_GAMMA)
    assert np.abs(_patch_values(load_rgb(path)) - expected).max() <= 1


def _chunk(png: bytes, kind: bytes) -> bytes:
    """The whole chunk (length, type, data, CRC) of the first ``kind`` chunk in ``png``."""
    at = png.index(kind) - 4
    length = int.from_bytes(png[at : at + 4], "big")
    return png[at : at + 12 + length]


def test_outputs_are_tagged_srgb(tmp_path: Path) -> None:
    export_result(make_result(), tmp_path, "page", ("png", "ora", "psd"))
    folder = tmp_path / "page"
    for png in folder.glob("*.png"):
        info = _png_info(png.read_bytes())
        assert info.get("srgb") == 0 and info.get("gamma") == pytest.approx(0.45455), png.name
        assert "icc_profile" not in info  # sRGB chunk, not also a profile (the spec allows one)
    psd = PSDImage.open(folder / "page.psd")
    icc = psd.image_resources.get_data(Resource.ICC_PROFILE)
    profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    assert "sRGB" in ImageCms.getProfileDescription(profile)
    assert ImageCms.getProfileInfo(profile)  # LittleCMS parses it
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["color_space"] == "sRGB"
    # The tags do not change a pixel.
    rgb = make_result().flats
    assert np.array_equal(
        cv2.imdecode(np.frombuffer(encode_png(rgb, dpi=(72, 72), srgb=True), np.uint8), 1),
        rgb[..., ::-1],
    )
