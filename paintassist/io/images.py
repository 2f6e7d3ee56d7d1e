"""Loading sketches and reference images, with validation that names the file and the problem.

Reads PNG, JPEG, WebP, TIFF and BMP: 1-, 8- and 16-bit; grey, grey+alpha, RGB, RGBA, palette (with
transparency), CMYK and 16-bit grey or RGB. EXIF orientation is applied; a transparent background
is paper (composited on white). Every failure, including unexpected decoder errors, is raised as
:class:`~paintassist.core.errors.SketchLoadError` whose message reads ``"<path>: <problem>"``.

Colour: an embedded ICC profile (Adobe RGB, Display P3, a CMYK press profile, a grey gamma…) is
converted to sRGB on load with LittleCMS (Pillow's ImageCms; relative colorimetric with black
point compensation), so everything after the loader is sRGB. A profile that calls itself sRGB is
taken as it is; one LittleCMS cannot read is ignored (the pixels are taken as sRGB). 16-bit colour
files with a (non-sRGB) profile are converted at 8 bits per channel, without one they are read at
16 bits; 16-bit grey files are read at 16 bits and their profile is not applied.

Resolution: the print resolution the file states (PNG pHYs, JPEG JFIF or EXIF, TIFF, WebP, BMP)
becomes ``Sketch.dpi``; a file that states none, or a value outside 10..100,000 dpi, gives None.
"""

from __future__ import annotations

import io
import math
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from paintassist.core import lineart
from paintassist.core.errors import SketchLoadError
from paintassist.core.types import Sketch

#: Largest accepted image, in pixels (width × height), checked from the header before decoding.
MAX_PIXELS = 120_000_000

#: File suffixes (lower case, with the dot) of the formats we read.
SUPPORTED_SUFFIXES: tuple[str, ...] = (
    ".png",
    ".jpg",
    ".jpeg",
    ".jpe",
    ".webp",
    ".tif",
    ".tiff",
    ".bmp",
)

#: Pillow format names we accept (MPO is a JPEG with extra frames, as some cameras write).
_FORMATS = frozenset({"PNG", "JPEG", "MPO", "WEBP", "TIFF", "BMP"})
_FORMAT_LIST = "PNG, JPEG, WebP, TIFF or BMP"

# EXIF orientation tag value → numpy operation on an (H, W[, C]) array (same as ImageOps).
_ORIENT = {
    2: lambda a: a[:, ::-1],
    3: lambda a: a[::-1, ::-1],
    4: lambda a: a[::-1],
    5: lambda a: a.swapaxes(0, 1),
    6: lambda a: np.rot90(a, -1),
    7: lambda a: a.swapaxes(0, 1)[::-1, ::-1],
    8: lambda a: np.rot90(a, 1),
}


def is_supported(path: str | Path) -> bool:
    """True when ``path`` has one of :data:`SUPPORTED_SUFFIXES` (case-insensitive); by name only."""
    return Path(path).suffix.lower() in SUPPORTED_SUFFIXES


def load_sketch(path: str | Path, *, max_pixels: int = MAX_PIXELS) -> Sketch:
    """Load a sketch file as an ink map.

    Returns ``Sketch(ink, source, dpi, rgb)``: ink is float32 (H, W) in 0..1 (0 = paper, 1 = ink)
    at the file's resolution after EXIF orientation and conversion to sRGB, made by
    :func:`paintassist.core.lineart.normalize` (paper tone removed, levels set; lines are
    extracted from colour pictures); dpi is the resolution the file states, or None; rgb is the
    file's pixels as uint8 (H, W, 3) sRGB (as :func:`load_rgb` gives them), for the ink's colour
    and the exports' ``sketch`` layer.
    Raises SketchLoadError (naming the file) for anything that cannot be read.
    """
    path = Path(path)
    return _sketch_from(_decode(path, _read(path), max_pixels), path, path)


def load_sketch_bytes(
    data: bytes, name: str | Path, *, source: Path | None = None, max_pixels: int = MAX_PIXELS
) -> Sketch:
    """Load a sketch from an encoded image held in memory (a project's embedded copy).

    ``name`` is what errors call the data (e.g. ``"page.paintassist: sketch.png"``); ``source``
    becomes ``Sketch.source``. Same formats, limits, result and errors as :func:`load_sketch`.
    """
    label = Path(name)
    if not data:
        raise SketchLoadError(label, "file is empty (0 bytes)")
    return _sketch_from(_decode(label, data, max_pixels), label, source)


def _sketch_from(decoded: _Decoded, label: Path, source: Path | None) -> Sketch:
    try:
        ink = lineart.normalize(decoded.pixels, decoded.alpha)
        rgb = _rgb_from(decoded)
    except (ValueError, cv2.error, MemoryError) as exc:
        raise SketchLoadError(label, f"cannot turn the image into line art ({exc})") from exc
    return Sketch(ink=ink, source=source, dpi=decoded.dpi, rgb=rgb)


def load_rgb(path: str | Path, *, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """Load an image as uint8 (H, W, 3) sRGB: for reference style images and for display.

    Same formats, orientation, colour conversion and errors as :func:`load_sketch`; transparency
    is composited on white; 16-bit values are rounded to 8 bits; grey is repeated into three
    channels.
    """
    path = Path(path)
    return _rgb_from(_decode(path, _read(path), max_pixels))


def load_rgb_bytes(data: bytes, name: str | Path, *, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """:func:`load_rgb` for an encoded image held in memory (a project's embedded reference);
    ``name`` is what errors call it. Same formats, limits and errors."""
    label = Path(name)
    if not data:
        raise SketchLoadError(label, "file is empty (0 bytes)")
    return _rgb_from(_decode(label, data, max_pixels))


def _rgb_from(decoded: _Decoded) -> np.ndarray:
    """uint8 (H, W, 3) sRGB of the decoded pixels, transparency composited on white."""
    px = decoded.pixels
    if px.dtype == np.uint8 and decoded.alpha is None:  # the common case: no float copy
        if px.ndim == 2:
            return np.ascontiguousarray(np.repeat(px[:, :, None], 3, axis=2))
        return np.ascontiguousarray(px)
    if px.dtype == np.uint16:
        img = px.astype(np.float32) * np.float32(255.0 / 65535.0)
    else:
        img = px.astype(np.float32)
    if decoded.alpha is not None:
        a = decoded.alpha if img.ndim == 2 else decoded.alpha[:, :, None]
        img = img * a + 255.0 * (1.0 - a)
    out = np.clip(np.rint(img), 0, 255).astype(np.uint8)
    if out.ndim == 2:
        out = np.repeat(out[:, :, None], 3, axis=2)
    return np.ascontiguousarray(out)


# --- decoding -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Decoded:
    """pixels: uint8 or uint16, (H, W) grey or (H, W, 3) RGB, sRGB; alpha: float32 (H, W) 0..1
    or None; dpi: the resolution the file states, or None."""

    pixels: np.ndarray
    alpha: np.ndarray | None
    dpi: tuple[float, float] | None = None


def read_image_file(path: str | Path) -> bytes:
    """The bytes of an image file (for :func:`load_sketch_bytes`, or to embed them), after the
    checks :func:`load_sketch` makes: SketchLoadError naming the file and what is wrong."""
    return _read(Path(path))


def _read(path: Path) -> bytes:
    """The file's bytes, after checks that name what is wrong with the path."""
    _check_file(path)
    try:
        return path.read_bytes()
    except PermissionError as exc:
        raise SketchLoadError(path, "cannot read the file (permission denied)") from exc
    except OSError as exc:
        raise SketchLoadError(path, f"cannot read the file ({exc.strerror or exc})") from exc


def _decode(path: Path, data: bytes, max_pixels: int) -> _Decoded:
    """Decode ``data`` (the bytes of ``path``, which names it in errors)."""
    try:
        return _decode_checked(path, data, max_pixels)
    except SketchLoadError:
        raise
    except Image.DecompressionBombError as exc:
        raise SketchLoadError(path, f"image is too large to load safely ({exc})") from exc
    except MemoryError as exc:
        raise SketchLoadError(path, "not enough memory to decode this image") from exc
    except PermissionError as exc:
        raise SketchLoadError(path, "cannot read the file (permission denied)") from exc
    except UnidentifiedImageError as exc:
        raise SketchLoadError(path, _unidentified_problem(data[:32])) from exc
    except (OSError, SyntaxError, EOFError) as exc:
        raise SketchLoadError(path, f"the image data is corrupt or truncated ({exc})") from exc
    except Exception as exc:  # a decoder bug must still reach the user as a load error
        problem = f"the image could not be decoded ({type(exc).__name__}: {exc})"
        raise SketchLoadError(path, problem) from exc


def _check_file(path: Path) -> None:
    if not path.exists():
        raise SketchLoadError(path, "file not found")
    if path.is_dir():
        raise SketchLoadError(path, "is a folder, not an image file")
    if not path.is_file():
        raise SketchLoadError(path, "is not a regular file")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SketchLoadError(path, f"cannot read the file ({exc.strerror or exc})") from exc
    if size == 0:
        raise SketchLoadError(path, "file is empty (0 bytes)")


def _unidentified_problem(head: bytes) -> str:
    """Why Pillow could not identify a file starting with ``head``: a damaged file of a known
    kind, or not an image."""
    kind = _sniff(head)
    if kind is None:
        return f"not an image file, or not in a format paintassist reads ({_FORMAT_LIST})"
    if kind == "PNG" and len(head) >= 24 and head[12:16] == b"IHDR":
        w, h = struct.unpack(">II", head[16:24])
        if w == 0 or h == 0:
            return f"image has zero size ({w}×{h} pixels)"
    return f"the {kind} header is corrupt or truncated"


def _sniff(head: bytes) -> str | None:
    """Image kind from a file's first bytes, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8"):
        return "JPEG"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WebP"
    if head.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        return "TIFF"
    if head.startswith(b"BM"):
        return "BMP"
    return None


def _decode_checked(path: Path, data: bytes, max_pixels: int) -> _Decoded:
    with warnings.catch_warnings():
        # Our own limit (checked below from the header) decides; Pillow's lower default must not
        # warn about images we accept.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        img = Image.open(io.BytesIO(data))
    with img:
        fmt = img.format or "unknown"
        if fmt not in _FORMATS:
            raise SketchLoadError(
                path, f"unsupported image format {fmt} (paintassist reads {_FORMAT_LIST})"
            )
        w, h = img.size
        if w <= 0 or h <= 0:
            raise SketchLoadError(path, f"image has zero size ({w}×{h} pixels)")
        if w * h > max_pixels:
            raise SketchLoadError(
                path,
                f"image is too large: {w}×{h} = {w * h:,} pixels, the limit is {max_pixels:,}",
            )
        wide = any(";16" in _rawmode(t) for t in img.tile) and img.mode in ("RGB", "RGBA")
        _load_strict(img)
        dpi = _stated_dpi(img)
        profile = _icc_profile(img)
        if wide and profile is None:
            orientation = int(img.getexif().get(0x0112, 1) or 1)
            decoded = _decode_16bit_colour(path, data, orientation)
        else:
            decoded = _from_pillow(path, _to_srgb(ImageOps.exif_transpose(img), profile))
        return _Decoded(decoded.pixels, decoded.alpha, dpi)


#: Plausible print resolutions; anything else a file states is a writer's placeholder or junk.
_DPI_RANGE = (10.0, 100_000.0)


def _stated_dpi(img: Image.Image) -> tuple[float, float] | None:
    """The resolution the file itself states, (x, y) dpi rounded to 0.1, or None.

    Pillow fills ``info["dpi"]`` in two cases where the file states nothing: a TIFF without
    resolution tags reads as 1 dpi, and a JPEG with EXIF but no resolution in it as 72; both
    are None here."""
    if img.format == "TIFF":
        tags = getattr(img, "tag_v2", {})
        if 282 not in tags or 283 not in tags or tags.get(296, 2) not in (2, 3):
            return None
    elif img.format in ("JPEG", "MPO") and img.info.get("jfif_unit") not in (1, 2):
        exif = img.getexif()
        if 0x011A not in exif or exif.get(0x0128, 2) not in (2, 3):
            return None
    raw = img.info.get("dpi")
    try:
        x, y = (float(v) for v in raw)  # type: ignore[union-attr]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    lo, hi = _DPI_RANGE
    if not all(math.isfinite(v) and lo <= v <= hi for v in (x, y)):
        return None
    return (round(x, 1), round(y, 1))


_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _icc_profile(img: Image.Image) -> ImageCms.ImageCmsProfile | None:
    """The file's embedded ICC profile when it is one to convert from (not sRGB already), or
    None (no profile, an sRGB one, or one LittleCMS cannot read)."""
    data = img.info.get("icc_profile")
    if not data:
        return None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(data))
        name = ImageCms.getProfileDescription(profile) or ""
    except (ImageCms.PyCMSError, OSError, TypeError, ValueError):
        return None
    if "srgb" in name.lower().replace(" ", ""):
        return None
    return profile


_CMS_MODES = {"RGB": "RGB", "RGBA": "RGBA", "CMYK": "RGB", "L": "RGB", "LA": "RGBA"}


def _to_srgb(img: Image.Image, profile: ImageCms.ImageCmsProfile | None) -> Image.Image:
    """``img`` converted from ``profile`` to sRGB (a grey image stays grey); as it is when there
    is no profile, the mode has no 8-bit transform, or the profile does not fit the mode."""
    if profile is None:
        return img
    mode = img.mode
    if mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    elif mode == "PA":
        img = img.convert("RGBA")
    mode = img.mode
    if mode not in _CMS_MODES:
        return img
    alpha = img.getchannel("A") if mode in ("RGBA", "LA") else None
    base = img.convert(mode.removesuffix("A")) if alpha is not None else img
    try:
        out = ImageCms.profileToProfile(
            base,
            profile,
            _SRGB,
            renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
            outputMode="RGB",
            flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return img  # e.g. a CMYK profile on an RGB image: take the pixels as sRGB
    assert out is not None
    if mode in ("L", "LA"):
        out = out.convert("L")  # a neutral stays neutral (R = G = B), so no channel is lost
    if alpha is not None:
        out.putalpha(alpha)
    return out


def _rawmode(tile: object) -> str:
    args = getattr(tile, "args", None)
    if isinstance(args, tuple) and args:
        args = args[0]
    return args if isinstance(args, str) else ""


def _load_strict(img: Image.Image) -> None:
    """Decode all pixel data; truncated data raises instead of being padded with grey.

    That is Pillow's default (``ImageFile.LOAD_TRUNCATED_IMAGES`` False). The flag is a process
    global, so it is read here, never set: flipping it per decode races with other threads."""
    img.load()


def _from_pillow(path: Path, img: Image.Image) -> _Decoded:
    mode = img.mode
    if mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    elif mode == "PA":
        img = img.convert("RGBA")
    elif mode == "1":
        img = img.convert("L")
    elif mode in ("CMYK", "YCbCr", "LAB", "HSV", "RGBX"):
        img = img.convert("RGB")
    elif mode in ("RGBa", "La"):
        img = img.convert("RGBA" if mode == "RGBa" else "LA")
    mode = img.mode

    if mode in ("L", "RGB"):
        return _Decoded(np.asarray(img, dtype=np.uint8), None)
    if mode in ("LA", "RGBA"):
        arr = np.asarray(img, dtype=np.uint8)
        alpha = arr[:, :, -1].astype(np.float32) * np.float32(1.0 / 255.0)
        pixels = arr[:, :, 0] if mode == "LA" else arr[:, :, :3]
        return _Decoded(np.ascontiguousarray(pixels), _opaque_is_none(alpha))
    if mode.startswith("I;16") or mode == "I":
        arr = np.asarray(img)
        return _Decoded(np.clip(arr, 0, 65535).astype(np.uint16), None)
    if mode == "F":
        arr = np.asarray(img, dtype=np.float32)
        peak = float(np.nanmax(arr)) if arr.size else 1.0
        top = 1.0 if peak <= 1.0 else 255.0 if peak <= 255.0 else 65535.0
        grey = np.clip(np.nan_to_num(arr / top, nan=1.0), 0.0, 1.0) * 65535.0
        return _Decoded(np.rint(grey).astype(np.uint16), None)
    raise SketchLoadError(path, f"unsupported pixel mode {mode}")


def _decode_16bit_colour(path: Path, data: bytes, orientation: int) -> _Decoded:
    """16-bit RGB(A) PNG/TIFF through OpenCV (Pillow would cut them to 8 bits)."""
    arr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    if arr is None or arr.ndim != 3 or arr.shape[2] not in (3, 4):
        raise SketchLoadError(path, "the 16-bit colour image data could not be decoded")
    arr = _ORIENT.get(orientation, lambda a: a)(arr)
    if arr.dtype == np.uint8:
        arr16 = arr.astype(np.uint16) * np.uint16(257)
    elif arr.dtype == np.uint16:
        arr16 = arr
    else:
        raise SketchLoadError(path, f"unsupported sample type {arr.dtype}")
    rgb = np.ascontiguousarray(arr16[:, :, 2::-1])
    if arr16.shape[2] == 4:
        alpha = arr16[:, :, 3].astype(np.float32) * np.float32(1.0 / 65535.0)
        return _Decoded(rgb, _opaque_is_none(alpha))
    return _Decoded(rgb, None)


def _opaque_is_none(alpha: np.ndarray) -> np.ndarray | None:
    """None for a fully opaque alpha channel (saves a composite), else ``alpha``."""
    return None if bool(np.all(alpha >= 1.0)) else alpha
