"""Loading sketches: every format and pixel mode, orientation, transparency, and every bad file."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageOps

from paintassist.core.errors import SketchLoadError
from paintassist.core.types import Sketch
from paintassist.io import images
from paintassist.io.images import (
    SUPPORTED_SUFFIXES,
    is_supported,
    load_rgb,
    load_sketch,
)

H, W = 48, 64


def _drawing() -> np.ndarray:
    """uint8 (H, W) grey: black strokes on white; ``_LINE`` pixels are ink, ``_PAPER`` paper."""
    img = np.full((H, W), 255, np.uint8)
    img[10:14, 4:60] = 0  # horizontal bar
    img[4:44, 30:34] = 0  # vertical bar
    return img


_LINE = _drawing() == 0
_PAPER = cv2.dilate(_LINE.astype(np.uint8), np.ones((5, 5), np.uint8)) == 0


def _assert_drawing(sketch: Sketch, path: Path) -> None:
    assert isinstance(sketch, Sketch)
    assert sketch.source == path
    assert sketch.ink.dtype == np.float32 and sketch.shape == (H, W)
    assert float(sketch.ink[_LINE].mean()) > 0.9
    assert float(sketch.ink[_PAPER].max()) < 0.1


def _mode_of(path: Path) -> str:
    with Image.open(path) as img:
        return img.mode


def _rgb_drawing() -> np.ndarray:
    return np.repeat(_drawing()[:, :, None], 3, axis=2)


# --- formats and modes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "options"),
    [
        (".png", {}),
        (".jpg", {"quality": 95}),
        (".jpeg", {"quality": 95}),
        (".webp", {"lossless": True}),
        (".tif", {}),
        (".tiff", {"compression": "tiff_deflate"}),
        (".bmp", {}),
    ],
)
def test_each_format_loads(tmp_path: Path, suffix: str, options: dict[str, object]) -> None:
    path = tmp_path / f"sketch{suffix}"
    Image.fromarray(_rgb_drawing()).save(path, **options)  # type: ignore[arg-type]
    _assert_drawing(load_sketch(path), path)


def _mode_image(mode: str) -> Image.Image:
    grey = Image.fromarray(_drawing())
    if mode == "1":
        return grey.convert("1")
    if mode == "L":
        return grey
    if mode == "LA":
        return Image.merge("LA", (grey, Image.new("L", grey.size, 255)))
    if mode == "RGB":
        return grey.convert("RGB")
    if mode == "RGBA":
        return grey.convert("RGBA")
    if mode == "P":
        return grey.convert("RGB").convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    if mode == "CMYK":
        return grey.convert("RGB").convert("CMYK")
    raise AssertionError(mode)


@pytest.mark.parametrize(
    ("mode", "suffix"),
    [
        ("1", ".png"),
        ("1", ".tif"),
        ("1", ".bmp"),
        ("L", ".png"),
        ("L", ".jpg"),
        ("LA", ".png"),
        ("LA", ".tif"),
        ("RGB", ".png"),
        ("RGBA", ".png"),
        ("RGBA", ".webp"),
        ("RGBA", ".tif"),
        ("P", ".png"),
        ("P", ".bmp"),
        ("P", ".tif"),
        ("CMYK", ".jpg"),
        ("CMYK", ".tif"),
    ],
)
def test_each_mode_loads(tmp_path: Path, mode: str, suffix: str) -> None:
    path = tmp_path / f"sketch_{mode}{suffix}"
    img = _mode_image(mode)
    img.save(path, **({"quality": 95} if suffix == ".jpg" else {}))  # type: ignore[arg-type]
    if suffix == ".jpg":
        assert _mode_of(path) == mode  # the file really is in that mode
    _assert_drawing(load_sketch(path), path)


@pytest.mark.parametrize("suffix", [".png", ".tif"])
def test_16_bit_grey(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"grey16{suffix}"
    grey16 = _drawing().astype(np.uint16) * 257
    grey16[_PAPER] = 60000  # not a plain 8-bit value times 257
    assert cv2.imwrite(str(path), grey16)
    assert _mode_of(path).startswith("I")
    _assert_drawing(load_sketch(path), path)
    rgb = load_rgb(path)
    assert rgb.dtype == np.uint8 and rgb.shape == (H, W, 3)
    assert rgb[_PAPER].min() == round(60000 * 255 / 65535) and rgb[_LINE].max() == 0


def test_pillow_mode_i_is_read_as_16_bit(tmp_path: Path) -> None:
    path = tmp_path / "grey_i.tif"
    Image.fromarray(_drawing().astype(np.int32) * 257).save(path)  # 32-bit integer samples
    assert _mode_of(path) == "I"
    _assert_drawing(load_sketch(path), path)


@pytest.mark.parametrize("suffix", [".png", ".tif"])
@pytest.mark.parametrize("channels", [3, 4])
def test_16_bit_colour_keeps_16_bits(tmp_path: Path, suffix: str, channels: int) -> None:
    path = tmp_path / f"rgb16_{channels}{suffix}"
    value = 0xFF00  # 8-bit truncation would read 0xFF = 255; proper scaling gives 254
    bgr = np.full((H, W, channels), value, np.uint16)
    bgr[_LINE] = 0
    if channels == 4:
        bgr[:, :, 3] = 65535
    assert cv2.imwrite(str(path), bgr)
    rgb = load_rgb(path)
    assert rgb.shape == (H, W, 3) and rgb.dtype == np.uint8
    assert rgb[_PAPER].min() == 254 and rgb[_PAPER].max() == 254 and rgb[_LINE].max() == 0
    sketch = load_sketch(path)
    assert float(sketch.ink[_LINE].mean()) > 0.9 and float(sketch.ink[_PAPER].max()) < 0.1


def test_16_bit_colour_transparency_is_paper(tmp_path: Path) -> None:
    path = tmp_path / "rgba16.png"
    bgra = np.zeros((H, W, 4), np.uint16)  # black everywhere ...
    bgra[_LINE, 3] = 65535  # ... but only the strokes are opaque
    assert cv2.imwrite(str(path), bgra)
    _assert_drawing(load_sketch(path), path)
    assert load_rgb(path)[_PAPER].min() == 255


# --- orientation and transparency ---------------------------------------------------------------


def _marked(h: int, w: int) -> np.ndarray:
    """uint8 (h, w, 3) white with a black block in the stored top-left corner."""
    img = np.full((h, w, 3), 255, np.uint8)
    img[: h // 3, : w // 3] = 0
    return img


@pytest.mark.parametrize(
    ("orientation", "corner"),
    [(1, "top-left"), (3, "bottom-right"), (6, "top-right"), (8, "bottom-left")],
)
def test_exif_orientation_is_applied(tmp_path: Path, orientation: int, corner: str) -> None:
    path = tmp_path / f"photo_{orientation}.jpg"
    exif = Image.Exif()
    exif[0x0112] = orientation
    Image.fromarray(_marked(30, 60)).save(path, quality=95, exif=exif)
    ink = load_sketch(path).ink
    assert ink.shape == ((60, 30) if orientation in (6, 8) else (30, 60))
    h, w = ink.shape
    corners = {
        "top-left": ink[: h // 4, : w // 4],
        "top-right": ink[: h // 4, -w // 4 :],
        "bottom-left": ink[-h // 4 :, : w // 4],
        "bottom-right": ink[-h // 4 :, -w // 4 :],
    }
    for name, patch in corners.items():
        assert (float(patch.mean()) > 0.9) == (name == corner), name
    assert load_rgb(path).shape[:2] == ink.shape


@pytest.mark.parametrize("orientation", range(1, 9))
def test_16_bit_path_orientation_matches_pillow(orientation: int) -> None:
    arr = np.arange(3 * 5 * 2, dtype=np.uint8).reshape(3, 5, 2)
    img = Image.fromarray(arr[:, :, 0])
    exif = img.getexif()
    exif[0x0112] = orientation
    img.info["exif"] = exif.tobytes()
    expected = np.asarray(ImageOps.exif_transpose(img))
    ours = images._ORIENT.get(orientation, lambda a: a)(arr)
    assert np.array_equal(ours[:, :, 0], expected)


@pytest.mark.parametrize("mode", ["RGBA", "LA"])
def test_transparent_background_is_paper(tmp_path: Path, mode: str) -> None:
    path = tmp_path / f"transparent_{mode}.png"
    alpha = np.where(_LINE, 255, 0).astype(np.uint8)
    black = np.zeros((H, W), np.uint8)  # the colour under transparent pixels is black
    bands = [black] * (3 if mode == "RGBA" else 1) + [alpha]
    Image.merge(mode, [Image.fromarray(b) for b in bands]).save(path)
    _assert_drawing(load_sketch(path), path)
    rgb = load_rgb(path)
    assert rgb[_PAPER].min() == 255 and rgb[_LINE].max() == 0


def test_palette_transparency_is_paper(tmp_path: Path) -> None:
    path = tmp_path / "palette.png"
    indices = np.where(_LINE, 1, 0).astype(np.uint8)
    img = Image.fromarray(indices, mode="P")
    img.putpalette([0, 0, 0, 0, 0, 0] + [0] * (254 * 3))  # both entries black ...
    img.save(path, transparency=0)  # ... entry 0 (the background) transparent
    _assert_drawing(load_sketch(path), path)
    assert load_rgb(path)[_PAPER].min() == 255


def test_load_rgb_returns_uint8_rgb(tmp_path: Path) -> None:
    path = tmp_path / "colour.png"
    rgb = np.zeros((H, W, 3), np.uint8)
    rgb[..., 0], rgb[..., 1], rgb[..., 2] = 200, 100, 50
    Image.fromarray(rgb).save(path)
    out = load_rgb(path)
    assert out.dtype == np.uint8 and out.shape == (H, W, 3)
    assert out[0, 0].tolist() == [200, 100, 50]
    grey = tmp_path / "grey.png"
    Image.fromarray(_drawing()).save(grey)
    g = load_rgb(grey)
    assert g.shape == (H, W, 3) and np.array_equal(g[:, :, 0], _drawing())
    assert np.array_equal(g[:, :, 0], g[:, :, 2])


def test_colour_picture_gives_its_lines(tmp_path: Path) -> None:
    img = np.full((128, 128, 3), 255, np.uint8)
    cv2.rectangle(img, (20, 20), (108, 108), (40, 90, 200), -1)
    cv2.rectangle(img, (20, 20), (108, 108), (0, 0, 0), 2)
    path = tmp_path / "coloured.png"
    Image.fromarray(img).save(path)
    ink = load_sketch(path).ink
    assert float(ink[20, 30:100].mean()) > 0.8
    assert float(ink[40:90, 40:90].max()) < 0.1


# --- suffixes -----------------------------------------------------------------------------------


def test_supported_suffixes() -> None:
    for suffix in (".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff", ".bmp"):
        assert suffix in SUPPORTED_SUFFIXES
        assert is_supported(f"a/b/page{suffix}")
        assert is_supported(Path(f"PAGE{suffix.upper()}"))
    for name in ("notes.txt", "anim.gif", "page", "hints.json", "png"):
        assert not is_supported(name)


# --- bad files ----------------------------------------------------------------------------------


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width × height pixels, with a tiny (useless) data chunk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def _good_bytes(tmp_path: Path, suffix: str) -> bytes:
    path = tmp_path / f"good{suffix}"
    noisy = np.random.default_rng(0).integers(0, 256, (256, 256, 3), dtype=np.uint8)
    Image.fromarray(noisy).save(path)
    return path.read_bytes()


def _expect_error(path: Path, *words: str, **kwargs: int) -> SketchLoadError:
    for loader in (load_sketch, load_rgb):
        with pytest.raises(SketchLoadError) as info:
            loader(path, **kwargs)
        err = info.value
        assert str(path) in str(err), "the message must name the file"
        assert err.path == path
        for word in words:
            assert word in err.problem, err.problem
    return err


def test_missing_file(tmp_path: Path) -> None:
    _expect_error(tmp_path / "nope.png", "not found")


def test_folder(tmp_path: Path) -> None:
    folder = tmp_path / "pages.png"
    folder.mkdir()
    _expect_error(folder, "folder")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    _expect_error(path, "empty")


def test_text_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.png"
    path.write_text("these are my notes, not a picture\n" * 10)
    _expect_error(path, "not an image")


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".webp", ".tif", ".bmp"])
def test_truncated_image(tmp_path: Path, suffix: str) -> None:
    data = _good_bytes(tmp_path, suffix)
    path = tmp_path / f"truncated{suffix}"
    path.write_bytes(data[: len(data) // 2])
    _expect_error(path, "corrupt or truncated")


def test_truncated_header(tmp_path: Path) -> None:
    path = tmp_path / "stub.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    _expect_error(path, "PNG", "corrupt or truncated")


def test_corrupt_png_data(tmp_path: Path) -> None:
    data = bytearray(_good_bytes(tmp_path, ".png"))
    start = data.index(b"IDAT") + 40
    data[start : start + 200] = bytes(200)  # damages the compressed data and its CRC
    path = tmp_path / "corrupt.png"
    path.write_bytes(bytes(data))
    _expect_error(path, "corrupt")


def test_unsupported_format(tmp_path: Path) -> None:
    path = tmp_path / "anim.gif"
    Image.fromarray(_drawing()).save(path)
    _expect_error(path, "unsupported image format GIF")


def test_too_many_pixels_is_refused_from_the_header(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header_only(12_000, 11_000))  # 132 M pixels, only a few bytes of data
    err = _expect_error(path, "too large", "132,000,000")
    assert "120,000,000" in err.problem


def test_max_pixels_argument(tmp_path: Path) -> None:
    path = tmp_path / "small.png"
    Image.fromarray(_drawing()).save(path)
    _expect_error(path, "too large", max_pixels=H * W - 1)
    assert load_sketch(path, max_pixels=H * W).shape == (H, W)


def test_pillow_decompression_bomb_becomes_a_load_error(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    path.write_bytes(_png_header_only(30_000, 30_000))  # beyond Pillow's own hard limit
    _expect_error(path, "too large", max_pixels=10**10)


def test_zero_size_image(tmp_path: Path) -> None:
    path = tmp_path / "zero.png"
    path.write_bytes(_png_header_only(0, 5))
    _expect_error(path, "zero size")


def test_unexpected_decoder_error_is_wrapped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "fine.png"
    Image.fromarray(_drawing()).save(path)

    def broken(path: Path, img: Image.Image) -> None:
        raise RuntimeError("decoder exploded")

    monkeypatch.setattr(images, "_from_pillow", broken)
    _expect_error(path, "could not be decoded", "decoder exploded")
