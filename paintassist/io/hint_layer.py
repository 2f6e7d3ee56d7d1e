"""Hints from a painted layer, and our hints as such a layer.

Krita's colorize mask and Clip Studio's hint layers work the same way: the artist paints coloured
dots and strokes on a transparent layer over the line art. :func:`hints_from_layer` reads such a
layer (a PNG, WebP or TIFF with transparency, or one layer of a PSD) as a
:class:`~paintassist.core.types.HintSet`:

* fully transparent pixels are nothing; a pixel counts when its alpha is at least
  ``alpha_threshold`` (default 64 of 255, so a soft brush's faint rim is left out);
* the painted pixels split into connected pieces (8-connected) of one colour each: a piece of
  touching paint holding clearly different colours (a dot painted on a stroke) is split by
  colour;
* a piece no thicker than ``dot_max_radius`` (a half-width; default: the page's long side / 100,
  at least 6 px — between the app's default dot radius and half its default draft square) is a **small dot** (round: one accurate hint at its
  centre, radius from its area) or a **thin stroke** (accurate hints along its skeleton, one every
  ``spacing`` px, default 3 × the stroke's half-width and at least 4 px, each as wide as the
  stroke there);
* a thicker piece is a **blob**: one draft square over it when it is compact (fills at least
  60 % of its bounding box, at most 2:1), else draft squares as wide as the blob is thick,
  tiled along it;
* a piece's colour is the median of its opaque pixels.

:func:`hints_to_layer` is the inverse: accurate dots as filled discs of their radius, draft
hints as filled squares of their side, in hint order (later on top), on transparency. Reading
that layer back gives the same colours and positions within a pixel, except where two hints of
the same colour overlap (they read back as one piece), and sizes on the wrong side of
``dot_max_radius`` change kind (a dot wider than it reads back as a draft square, a square
narrower than twice it as a dot).

PSD files need ``psd-tools`` (imported only when a PSD is read).
"""

from __future__ import annotations

import io
import math
import warnings
from collections import deque
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from paintassist.core.errors import InputError
from paintassist.core.types import MAX_HINT_SIZE_PX, Hint, HintSet
from paintassist.io.atomic import atomic_write_bytes
from paintassist.io.images import MAX_PIXELS, read_image_file
from paintassist.io.palette_files import srgb_to_lab
from paintassist.io.png import encode_png

#: Image suffixes a hint layer may come in (lower case, with the dot).
HINT_LAYER_SUFFIXES: tuple[str, ...] = (".png", ".webp", ".tif", ".tiff", ".psd", ".psb")
ALPHA_THRESHOLD = 64
#: Pieces smaller than this (px) are specks, not hints.
MIN_PIECE_PX = 3
#: Most hints one layer may give (as a hints file, :data:`paintassist.io.hints_file.MAX_HINTS`).
MAX_HINTS = 20_000
#: Colours closer than this (CIE76 ΔE) are one colour of paint.
SAME_COLOUR_DE = 10.0
_COMPACT_FILL, _COMPACT_ASPECT = 0.6, 2.0
_TILE_COVER = 0.4
_HINT_WORDS = ("hint", "colou", "color", "flat")


class HintLayerError(InputError):
    """A hint layer that cannot be read; ``str()`` reads ``"<path>: <problem>"``."""


# --- reading the layer ----------------------------------------------------------------------------


def read_layer(path: str | Path, layer: str | None = None) -> np.ndarray:
    """The layer's pixels as uint8 (H, W, 4) straight RGBA. ``layer``: a PSD layer's name
    (default: :func:`guess_hint_layer`)."""
    p = Path(path)
    if p.suffix.lower() in (".psd", ".psb"):
        return _read_psd(p, layer)
    try:
        data = read_image_file(p)
    except InputError as exc:
        raise HintLayerError(p, exc.problem) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
        with img:
            w, h = img.size
            if w * h > MAX_PIXELS:
                raise HintLayerError(p, f"image is too large: {w}×{h} pixels")
            has_alpha = img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
                "transparency" in img.info
            )
            if not has_alpha:
                raise HintLayerError(
                    p,
                    f"has no transparency ({img.mode}): a hint layer is coloured paint on a "
                    "transparent layer, saved as PNG, WebP or TIFF with alpha",
                )
            rgba = np.asarray(ImageOps.exif_transpose(img).convert("RGBA"), np.uint8)
    except HintLayerError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise HintLayerError(p, f"cannot read the image ({exc})") from None
    return np.ascontiguousarray(rgba)


def layer_names(path: str | Path) -> list[str]:
    """The pixel layers of a PSD, top first (for choosing one); [] for a flat image."""
    p = Path(path)
    if p.suffix.lower() not in (".psd", ".psb"):
        return []
    return [layer.name for layer in _psd_pixel_layers(_open_psd(p))]


def _open_psd(p: Path):  # type: ignore[no-untyped-def]
    try:
        from psd_tools import PSDImage
    except ImportError:
        raise HintLayerError(
            p, "reading PSD files needs psd-tools (pip install psd-tools)"
        ) from None
    if not p.is_file():
        raise HintLayerError(p, "file not found")
    try:
        return PSDImage.open(p)
    except Exception as exc:  # psd-tools raises many kinds on a damaged file
        raise HintLayerError(p, f"cannot read the PSD ({type(exc).__name__}: {exc})") from None


def _psd_pixel_layers(psd) -> list:  # type: ignore[no-untyped-def, type-arg]
    layers = [lay for lay in psd.descendants() if not lay.is_group()]
    return list(reversed(layers))  # psd-tools lists bottom first


def guess_hint_layer(names: list[str]) -> str | None:
    """The layer (of ``names``, top first) read when none is named: the top one whose name says
    hints or colours ("Hints", "Colour hints", "flat colors"), else the only one; else None."""
    for name in names:
        if any(w in name.lower() for w in _HINT_WORDS):
            return name
    return names[0] if len(names) == 1 else None


def _read_psd(p: Path, name: str | None) -> np.ndarray:
    psd = _open_psd(p)
    layers = _psd_pixel_layers(psd)
    if name is not None:
        chosen = [lay for lay in layers if lay.name == name]
        if not chosen:
            listed = ", ".join(repr(lay.name) for lay in layers) or "none"
            raise HintLayerError(p, f"has no layer named {name!r} (layers: {listed})")
    else:
        guess = guess_hint_layer([lay.name for lay in layers])
        chosen = [lay for lay in layers if lay.name == guess]
        if not chosen:
            listed = ", ".join(repr(lay.name) for lay in layers) or "none"
            raise HintLayerError(
                p, f"which layer holds the hints? Name one (layers: {listed}), or call it 'hints'"
            )
    lay = chosen[0]
    h, w = int(psd.height), int(psd.width)
    if w * h > MAX_PIXELS:
        raise HintLayerError(p, f"image is too large: {w}×{h} pixels")
    canvas = np.zeros((h, w, 4), np.uint8)
    img = lay.topil()
    if img is None:
        return canvas
    px = np.asarray(img.convert("RGBA"), np.uint8)
    left, top = int(lay.left), int(lay.top)
    y0, x0 = max(0, top), max(0, left)
    y1, x1 = min(h, top + px.shape[0]), min(w, left + px.shape[1])
    if y1 > y0 and x1 > x0:
        canvas[y0:y1, x0:x1] = px[y0 - top : y1 - top, x0 - left : x1 - left]
    return canvas


# --- layer → hints ---------------------------------------------------------------------------------


def hints_from_layer(
    source: str | Path | np.ndarray,
    *,
    layer: str | None = None,
    expected_shape: tuple[int, int] | None = None,
    dot_max_radius: float | None = None,
    spacing: float | None = None,
    alpha_threshold: int = ALPHA_THRESHOLD,
) -> HintSet:
    """Hints from a painted hint layer (see the module docstring for the rules).

    source: a file (PNG/WebP/TIFF with alpha, or a PSD: ``layer`` names the layer) or a uint8
    (H, W, 4) RGBA array. expected_shape: the sketch's (H, W); a layer of another size is a
    :class:`HintLayerError` (hints are in sketch pixels). Draft hints come first, then the
    accurate ones (a dot on a blob wins), each in reading order."""
    where: Path | None = None
    if isinstance(source, np.ndarray):
        rgba = source
        if rgba.dtype != np.uint8 or rgba.ndim != 3 or rgba.shape[2] != 4:
            raise ValueError(
                f"expected a uint8 (H, W, 4) RGBA array, got {rgba.dtype} {rgba.shape}"
            )
    else:
        where = Path(source)
        rgba = read_layer(where, layer)
    h, w = rgba.shape[:2]
    if expected_shape is not None and (h, w) != tuple(expected_shape):
        eh, ew = expected_shape
        raise HintLayerError(
            where, f"the hint layer is {w}×{h} px but the sketch is {ew}×{eh} px; they must match"
        )
    thin = float(dot_max_radius) if dot_max_radius else max(6.0, max(h, w) / 100.0)
    drafts: list[Hint] = []
    dots: list[Hint] = []
    for piece, (top, left), colour in _pieces(rgba, alpha_threshold):
        for hint in _piece_hints(piece, colour, thin, spacing):
            moved = hint.moved(hint.x + left, hint.y + top)
            (drafts if hint.kind == "draft" else dots).append(moved)
        if len(drafts) + len(dots) > MAX_HINTS:
            raise HintLayerError(
                where,
                f"gives more than {MAX_HINTS:,} hints: is this a hint layer (not a painting)?",
            )
    return HintSet(tuple(drafts + dots))


def _pieces(rgba: np.ndarray, alpha_threshold: int):  # type: ignore[no-untyped-def]
    """Yield (mask, (top, left), rgb) for each one-colour piece of paint."""
    from scipy import ndimage

    mask = rgba[..., 3] >= max(1, int(alpha_threshold))
    labels, _n = ndimage.label(mask, structure=np.ones((3, 3), bool))
    for index, sl in enumerate(ndimage.find_objects(labels), start=1):
        if sl is None:
            continue
        comp = labels[sl] == index
        if int(comp.sum()) < MIN_PIECE_PX:
            continue
        origin = (sl[0].start, sl[1].start)
        for piece, colour in _split_by_colour(comp, rgba[sl]):
            ys, xs = np.nonzero(piece)
            y0, x0 = int(ys.min()), int(xs.min())
            tight = piece[y0 : int(ys.max()) + 1, x0 : int(xs.max()) + 1]
            yield tight, (origin[0] + y0, origin[1] + x0), colour


def _median_colour(px: np.ndarray, alpha: np.ndarray) -> tuple[int, int, int]:
    """Median colour of the most opaque pixels (a soft rim's colour is unreliable)."""
    solid = alpha >= 0.75 * float(alpha.max())
    med = np.median(px[solid].astype(np.float64), axis=0)
    r, g, b = (int(v) for v in np.rint(med))
    return (r, g, b)


def _split_by_colour(
    comp: np.ndarray, px: np.ndarray
) -> list[tuple[np.ndarray, tuple[int, int, int]]]:
    from scipy import ndimage

    rgb, alpha = px[..., :3], px[..., 3]
    lab = srgb_to_lab(rgb[comp])
    centre = np.median(lab, axis=0)
    if int((np.linalg.norm(lab - centre, axis=1) > SAME_COLOUR_DE).sum()) < MIN_PIECE_PX:
        return [(comp, _median_colour(rgb[comp], alpha[comp]))]
    centres = _colour_centres(comp, rgb)
    if len(centres) <= 1:
        return [(comp, _median_colour(rgb[comp], alpha[comp]))]
    best = np.full(len(lab), np.inf)
    which = np.zeros(len(lab), np.int32)
    for c, centre_lab in enumerate(centres):  # one centre at a time: memory stays O(pixels)
        d = np.linalg.norm(lab - centre_lab, axis=1)
        closer = d < best
        best[closer], which[closer] = d[closer], c
    nearest = np.full(comp.shape, -1, np.int32)
    nearest[comp] = which
    out = []
    for c in range(len(centres)):
        part = nearest == c
        labels, n = ndimage.label(part, structure=np.ones((3, 3), bool))
        for i in range(1, n + 1):
            piece = labels == i
            if int(piece.sum()) >= MIN_PIECE_PX:
                out.append((piece, _median_colour(rgb[piece], alpha[piece])))
    return out


def _colour_centres(comp: np.ndarray, rgb: np.ndarray) -> np.ndarray:
    """Lab centres of the distinct paint colours in a piece: colours of pixels whose four
    neighbours have the same colour (not the blend at a boundary), biggest first, one per
    :data:`SAME_COLOUR_DE`."""
    q = rgb.astype(np.int32) >> 3
    key = (q[..., 0] << 10) | (q[..., 1] << 5) | q[..., 2]
    pk = np.pad(np.where(comp, key, -1), 1, constant_values=-1)
    inner = comp.copy()
    h, w = comp.shape
    for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        inner &= pk[1 + dy : 1 + dy + h, 1 + dx : 1 + dx + w] == key
    if not inner.any():
        inner = comp
    keys, inverse, counts = np.unique(key[inner], return_inverse=True, return_counts=True)
    sums = np.zeros((len(keys), 3))
    np.add.at(sums, inverse, rgb[inner].astype(np.float64))
    labs = srgb_to_lab(sums / counts[:, None])
    centres: list[np.ndarray] = []
    for j in np.argsort(-counts, kind="stable"):
        if counts[j] < MIN_PIECE_PX:
            break
        if all(np.linalg.norm(labs[j] - c) >= SAME_COLOUR_DE for c in centres):
            centres.append(labs[j])
    return np.array(centres).reshape(-1, 3)


def _piece_hints(
    piece: np.ndarray, colour: tuple[int, int, int], thin: float, spacing: float | None
) -> list[Hint]:
    """Hints of one piece, in the piece's own coordinates (top-left pixel = 0, 0)."""
    bh, bw = piece.shape
    area = int(piece.sum())
    padded = np.pad(piece, 1).astype(np.uint8)
    dt = cv2.distanceTransform(padded, cv2.DIST_L2, 5)[1:-1, 1:-1]
    r_max = float(dt.max())
    ys, xs = np.nonzero(piece)
    if r_max <= thin:
        if max(bh, bw) <= 2 * r_max + max(2.0, r_max):  # round enough: a dot
            radius = max(0.5, math.sqrt(area / math.pi))
            return [Hint("accurate", float(xs.mean()), float(ys.mean()), colour, radius)]
        return _stroke_hints(piece, dt, colour, spacing)
    fill = area / float(bh * bw)
    if fill >= _COMPACT_FILL and max(bh, bw) <= _COMPACT_ASPECT * min(bh, bw):
        side = min(MAX_HINT_SIZE_PX, math.sqrt(bh * bw))
        return [Hint("draft", (bw - 1) / 2.0, (bh - 1) / 2.0, colour, side)]
    return _tile_hints(piece, colour, max(2.0, 2.0 * r_max))


def _stroke_hints(
    piece: np.ndarray, dt: np.ndarray, colour: tuple[int, int, int], spacing: float | None
) -> list[Hint]:
    from skimage.morphology import skeletonize

    skeleton = skeletonize(piece)
    points = np.argwhere(skeleton)
    if len(points) == 0:
        points = np.argwhere(piece)
    half_width = max(0.5, float(np.median(dt[tuple(points.T)])))
    step = float(spacing) if spacing else max(4.0, 3.0 * half_width)
    order = _along(points)
    picked: list[np.ndarray] = []
    for pt in order:
        if not picked or np.min(np.linalg.norm(np.array(picked) - pt, axis=1)) >= step:
            picked.append(pt)
    return [
        Hint("accurate", float(x), float(y), colour, max(0.5, float(dt[y, x]))) for y, x in picked
    ]


def _along(points: np.ndarray) -> list[np.ndarray]:
    """Skeleton pixels ordered along the stroke: its end points first, then each branch walked
    breadth-first from one end (so samples fall at even steps along its length)."""
    index = {(int(y), int(x)): i for i, (y, x) in enumerate(points)}
    steps = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx]

    def neighbours(i: int) -> list[int]:
        y, x = points[i]
        return [j for dy, dx in steps if (j := index.get((int(y) + dy, int(x) + dx))) is not None]

    ends = [i for i in range(len(points)) if len(neighbours(i)) <= 1]
    seen: set[int] = set()
    walk: list[int] = []
    for start in [*ends, *range(len(points))]:
        if start in seen:
            continue
        queue = deque([start])
        seen.add(start)
        while queue:
            i = queue.popleft()
            walk.append(i)
            for j in neighbours(i):
                if j not in seen:
                    seen.add(j)
                    queue.append(j)
    first = set(ends)
    return [points[i] for i in ends] + [points[i] for i in walk if i not in first]


def _tile_hints(piece: np.ndarray, colour: tuple[int, int, int], side: float) -> list[Hint]:
    """Draft squares of ``side`` tiled over an irregular blob: one per grid cell the blob covers
    at least :data:`_TILE_COVER` of, at the centre of the blob's pixels in that cell."""
    bh, bw = piece.shape
    cell = max(1, round(side))
    hints: list[Hint] = []
    for y0 in range(0, bh, cell):
        for x0 in range(0, bw, cell):
            block = piece[y0 : y0 + cell, x0 : x0 + cell]
            if block.mean() * block.size / float(cell * cell) < _TILE_COVER:
                continue
            ys, xs = np.nonzero(block)
            hints.append(
                Hint("draft", float(x0 + xs.mean()), float(y0 + ys.mean()), colour, float(cell))
            )
    if not hints:  # a blob too sparse for any cell: one square at its centre
        ys, xs = np.nonzero(piece)
        hints.append(Hint("draft", float(xs.mean()), float(ys.mean()), colour, float(cell)))
    return hints


# --- hints → layer ---------------------------------------------------------------------------------


def hints_to_layer(hints: HintSet, shape: tuple[int, int]) -> np.ndarray:
    """Our hints painted as a hint layer: uint8 (H, W, 4) RGBA, transparent where there is no
    hint; accurate dots as opaque discs of their radius, draft hints as opaque squares of their
    side, later hints on top."""
    h, w = int(shape[0]), int(shape[1])
    out = np.zeros((h, w, 4), np.uint8)
    for hint in hints:
        colour = (*(int(c) for c in hint.rgb), 255)
        if hint.kind == "accurate":
            radius = max(1, round(hint.size))
            centre = (math.floor(hint.x + 0.5), math.floor(hint.y + 0.5))
            cv2.circle(out, centre, radius, colour, -1, cv2.LINE_8)
        else:
            side = max(1, round(hint.size))
            x0 = math.floor(hint.x - side / 2 + 0.5)  # not round(): halves must go one way
            y0 = math.floor(hint.y - side / 2 + 0.5)
            cv2.rectangle(out, (x0, y0), (x0 + side - 1, y0 + side - 1), colour, -1, cv2.LINE_8)
    return out


def save_hint_layer(path: str | Path, hints: HintSet, shape: tuple[int, int]) -> Path:
    """Write :func:`hints_to_layer` as a PNG, atomically (for Krita, CSP or a later import)."""
    return atomic_write_bytes(path, encode_png(hints_to_layer(hints, shape)))
