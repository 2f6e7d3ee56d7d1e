"""Core value types shared by the engine, the networks, the CLI and the GUI.

All coordinates are **sketch pixel coordinates** (origin top-left, x right, y down, pixel centres at
integer + 0.5 is *not* assumed: ``x=10`` means column 10). Colours are ``(r, g, b)`` integer tuples
in 0..255 (sRGB). Images are numpy arrays in (H, W) or (H, W, C) order.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    from paintassist.core.regions import RegionMap

HintKind = Literal["draft", "accurate"]
#: Region-map edits the artist draws (:class:`Stroke`): ``"gap"`` closes a gap in the line art,
#: ``"link"`` joins two areas into one.
StrokeKind = Literal["gap", "link"]
STROKE_KINDS: tuple[StrokeKind, ...] = ("gap", "link")
#: What colour the ``lineart`` layer takes: ``"auto"`` the ink's own colour when the line art is
#: coloured (brown ink, blue pencil; :mod:`paintassist.core.ink_colour` decides), else black;
#: ``"keep"`` always the ink's own colour; ``"black"`` always black.
LineColor = Literal["auto", "keep", "black"]
LINE_COLORS: tuple[LineColor, ...] = ("auto", "keep", "black")
HINT_KINDS: tuple[HintKind, ...] = ("draft", "accurate")
RGB = tuple[int, int, int]

#: Default hint size in sketch px, by kind: an accurate dot's radius, a draft square's side. Hints
#: files without a ``size`` and the app's tools before a sketch sets its own scale use these.
DEFAULT_HINT_SIZE: dict[HintKind, float] = {"accurate": 5.0, "draft": 24.0}
#: Width (sketch px) of a new gap stroke: thick enough to close a pencil gap, thin beside ink.
DEFAULT_GAP_WIDTH = 3.0
#: Most points one stroke may have (a long freehand stroke has a few hundred).
MAX_STROKE_POINTS = 10_000
#: Widest line gap (sketch px) that may be asked to be closed, in the app and on the CLI.
MAX_GAP_PX = 64
#: Largest hint size (px): a square of this side covers any page the loader accepts.
MAX_HINT_SIZE_PX = 20_000.0
#: Largest hint coordinate (px): far outside any page, small enough for OpenCV's int32 maths.
MAX_HINT_COORD_PX = 1_000_000.0


def rgb_to_hex(rgb: RGB) -> str:
    """``(217, 160, 122)`` → ``"#d9a07a"``."""
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def hex_to_rgb(text: str) -> RGB:
    """``"#d9a07a"`` or ``"d9a07a"`` or ``"#abc"`` → ``(r, g, b)``; ValueError otherwise."""
    s = text.strip().lstrip("#")
    if len(s) == 3:
        s = "".join(c * 2 for c in s)
    if len(s) != 6 or any(c not in "0123456789abcdefABCDEF" for c in s):
        raise ValueError(f"not a colour: {text!r} (expected #rrggbb)")
    return (int(s[0:2], 16), int(s[2:4], 16), int(s[4:6], 16))


@dataclass(frozen=True, slots=True)
class Hint:
    """One colour hint.

    kind: ``"draft"`` — a square that sets the colour mood of the area it covers (``size`` = side
    length in px); ``"accurate"`` — a dot whose colour is exact in its region (``size`` = radius in px).
    """

    kind: HintKind
    x: float
    y: float
    rgb: RGB
    size: float = DEFAULT_HINT_SIZE["accurate"]

    def __post_init__(self) -> None:
        if self.kind not in HINT_KINDS:
            raise ValueError(f"hint kind must be 'draft' or 'accurate', not {self.kind!r}")
        if len(self.rgb) != 3 or any(not (0 <= int(c) <= 255) for c in self.rgb):
            raise ValueError(f"hint colour must be three values in 0..255, not {self.rgb!r}")
        if not (np.isfinite(self.x) and np.isfinite(self.y)):
            raise ValueError("hint coordinates must be finite numbers")
        if max(abs(self.x), abs(self.y)) > MAX_HINT_COORD_PX:
            raise ValueError(
                f"hint coordinates must lie within ±{MAX_HINT_COORD_PX:,.0f} px, "
                f"not ({self.x!r}, {self.y!r})"
            )
        if not (np.isfinite(self.size) and 0 < self.size <= MAX_HINT_SIZE_PX):
            raise ValueError(
                f"hint size must be a number in (0, {MAX_HINT_SIZE_PX:,.0f}] px, not {self.size!r}"
            )

    @property
    def half_extent(self) -> float:
        """Half-extent in sketch px: a draft square's half side, an accurate dot's radius."""
        return self.size / 2.0 if self.kind == "draft" else self.size

    @property
    def hex(self) -> str:
        return rgb_to_hex(self.rgb)

    def moved(self, x: float, y: float) -> Hint:
        return replace(self, x=float(x), y=float(y))

    def recoloured(self, rgb: RGB) -> Hint:
        return replace(self, rgb=tuple(int(c) for c in rgb))  # type: ignore[arg-type]

    def resized(self, size: float) -> Hint:
        return replace(self, size=float(size))


@dataclass(frozen=True, slots=True)
class Stroke:
    """An edit of the region map, drawn by the artist; never a colour and never in the output.

    kind ``"gap"``: a polyline (``points``, at least two) drawn into the line art for the
    segmentation only, ``width`` px wide: it closes a gap (or splits an area) and is invisible
    in every exported layer. kind ``"link"``: exactly two points; the area a dot at the first
    would fill and the area a dot at the second would fill become one area of one colour
    (``width`` unused). Points are ``(x, y)`` sketch px.
    """

    kind: StrokeKind
    points: tuple[tuple[float, float], ...]
    width: float = DEFAULT_GAP_WIDTH

    def __post_init__(self) -> None:
        if self.kind not in STROKE_KINDS:
            raise ValueError(f"stroke kind must be 'gap' or 'link', not {self.kind!r}")
        pts = tuple((float(x), float(y)) for x, y in self.points)
        object.__setattr__(self, "points", pts)  # frozen: normalised once, here
        if self.kind == "link" and len(pts) != 2:
            raise ValueError(f"a link joins exactly two points, not {len(pts)}")
        if self.kind == "gap" and not 2 <= len(pts) <= MAX_STROKE_POINTS:
            raise ValueError(
                f"a gap stroke needs 2 to {MAX_STROKE_POINTS:,} points, not {len(pts):,}"
            )
        for x, y in pts:
            if not (np.isfinite(x) and np.isfinite(y)) or max(abs(x), abs(y)) > MAX_HINT_COORD_PX:
                raise ValueError(
                    f"stroke points must be finite and within ±{MAX_HINT_COORD_PX:,.0f} px, "
                    f"not ({x!r}, {y!r})"
                )
        if not (np.isfinite(self.width) and 0 < self.width <= MAX_GAP_PX):
            raise ValueError(f"stroke width must be in (0, {MAX_GAP_PX}] px, not {self.width!r}")

    def scaled(self, factor: float) -> Stroke:
        """The stroke with points and width multiplied by ``factor``."""
        return Stroke(
            self.kind,
            tuple((x * factor, y * factor) for x, y in self.points),
            max(self.width * factor, 1.0),
        )


@dataclass(frozen=True, slots=True)
class HintSet:
    """Immutable ordered collection of hints; later hints win ties. Safe to share across threads.

    strokes: the region-map edits (:class:`Stroke`), in drawing order; ``len()``, iteration and
    indexing are over the colour hints only.
    """

    hints: tuple[Hint, ...] = ()
    strokes: tuple[Stroke, ...] = ()

    def __len__(self) -> int:
        return len(self.hints)

    def __iter__(self) -> Iterator[Hint]:
        return iter(self.hints)

    def __getitem__(self, index: int) -> Hint:
        return self.hints[index]

    def with_added(self, hint: Hint) -> HintSet:
        return replace(self, hints=(*self.hints, hint))

    def without(self, index: int) -> HintSet:
        self._check(index)
        return replace(self, hints=self.hints[:index] + self.hints[index + 1 :])

    def replaced(self, index: int, hint: Hint) -> HintSet:
        self._check(index)
        return replace(self, hints=(*self.hints[:index], hint, *self.hints[index + 1 :]))

    def with_stroke(self, stroke: Stroke) -> HintSet:
        return replace(self, strokes=(*self.strokes, stroke))

    def without_stroke(self, index: int) -> HintSet:
        self._check_stroke(index)
        return replace(self, strokes=self.strokes[:index] + self.strokes[index + 1 :])

    def replaced_stroke(self, index: int, stroke: Stroke) -> HintSet:
        self._check_stroke(index)
        return replace(self, strokes=(*self.strokes[:index], stroke, *self.strokes[index + 1 :]))

    @property
    def gaps(self) -> tuple[Stroke, ...]:
        """The gap strokes."""
        return tuple(s for s in self.strokes if s.kind == "gap")

    @property
    def links(self) -> tuple[Stroke, ...]:
        """The links."""
        return tuple(s for s in self.strokes if s.kind == "link")

    def of_kind(self, kind: HintKind) -> HintSet:
        """The hints of ``kind``, without the strokes."""
        return HintSet(tuple(h for h in self.hints if h.kind == kind))

    @property
    def draft(self) -> HintSet:
        return self.of_kind("draft")

    @property
    def accurate(self) -> HintSet:
        return self.of_kind("accurate")

    def scaled(self, factor: float) -> HintSet:
        """Hints and strokes with coordinates and sizes multiplied by ``factor`` (for resized
        working images)."""
        return HintSet(
            tuple(replace(h, x=h.x * factor, y=h.y * factor, size=h.size * factor) for h in self),
            tuple(s.scaled(factor) for s in self.strokes),
        )

    def _check(self, index: int) -> None:
        if not 0 <= index < len(self.hints):
            raise IndexError(f"no hint at index {index} (have {len(self.hints)})")

    def _check_stroke(self, index: int) -> None:
        if not 0 <= index < len(self.strokes):
            raise IndexError(f"no stroke at index {index} (have {len(self.strokes)})")


@dataclass(frozen=True, slots=True)
class LightSettings:
    """Light-rendering pass settings.

    azimuth_deg: direction the light comes *from* in the image plane, 0 = from the right,
    90 = from the top, counter-clockwise (as on a dial). elevation_deg: 0 = grazing, 90 = frontal.
    intensity: 0..2 strength of highlights/shadows; ambient: 0..1 light that reaches everywhere;
    balance: -1 (shadows only) .. +1 (highlights only).
    """

    enabled: bool = False
    azimuth_deg: float = 135.0
    elevation_deg: float = 35.0
    rgb: RGB = (255, 244, 214)
    intensity: float = 0.8
    ambient: float = 0.35
    balance: float = 0.0


@dataclass(frozen=True, slots=True)
class ColorizeOptions:
    """How a colorization runs.

    gap_px: line gaps up to this width (px, at sketch resolution) are closed for region filling.
    min_region_px: regions smaller than this (px) merge into a neighbour.
    use_networks: run DraftNet/RefineNet when weights are present; False = classical path only.
    work_long_side: long side (px) of the working image (regions, flats, layers); None = the
    sketch's full resolution.
    refine_long_side: RefineNet runs at most at this long side (px); a larger working image is
    refined downscaled and its colours upsampled, while regions, flats and the shading's
    per-region levels stay at the working resolution. None = refine at the working resolution.
    device: ``"auto"``, ``"cpu"`` or ``"cuda"``.
    line_color: the ``lineart`` layer's colour (:data:`LineColor`).
    screentone: find screentone (:mod:`paintassist.core.tone`) and keep it out of the line art:
    it splits no region and becomes the ``tone`` layer; False = every ink pixel is line art.
    """

    gap_px: int = 6
    min_region_px: int = 24
    use_networks: bool = True
    work_long_side: int | None = None
    refine_long_side: int | None = 1536
    device: str = "auto"
    reference_strength: float = 1.0
    light: LightSettings = field(default_factory=LightSettings)
    line_color: LineColor = "auto"
    screentone: bool = True

    def __post_init__(self) -> None:
        for name in ("work_long_side", "refine_long_side"):
            side = getattr(self, name)
            if side is not None and side < 16:
                raise ValueError(f"{name} must be at least 16 px or None, not {side!r}")
        if self.line_color not in LINE_COLORS:
            raise ValueError(
                f"line_color must be one of {', '.join(LINE_COLORS)}, not {self.line_color!r}"
            )


@dataclass(frozen=True, slots=True, eq=False)
class Sketch:
    """A loaded sketch.

    ink: float32 (H, W) in 0..1, 0 = paper, 1 = ink, at the file's own resolution.
    source: the file it came from (None for synthetic sketches).
    dpi: the print resolution the file states, (x, y) dots per inch; None when it states none
    (exports then write 300 and say it was assumed).
    rgb: uint8 (H, W, 3) sRGB, the file's own pixels (transparency composited on white): the
    ink's colour and the exports' ``sketch`` layer; None for synthetic sketches (the ink, grey,
    stands in).
    """

    ink: np.ndarray
    source: Path | None = None
    dpi: tuple[float, float] | None = None
    rgb: np.ndarray | None = None
    # The content hash, set on first use. Kept on the object (not in a module cache keyed by id) so
    # that a sketch dies with its last reference: a cache held every recent page's ink alive.
    _fingerprint: str | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.ink.ndim != 2 or self.ink.dtype != np.float32:
            raise ValueError(
                f"Sketch.ink must be float32 (H, W), got {self.ink.dtype} {self.ink.shape}"
            )
        if self.rgb is not None and (
            self.rgb.dtype != np.uint8 or self.rgb.shape != (*self.ink.shape, 3)
        ):
            raise ValueError(
                f"Sketch.rgb must be uint8 {(*self.ink.shape, 3)}, got {self.rgb.dtype} "
                f"{self.rgb.shape}"
            )

    @property
    def shape(self) -> tuple[int, int]:
        h, w = self.ink.shape
        return int(h), int(w)

    @property
    def fingerprint(self) -> str:
        """Content hash (hex) of the ink and the colours, used as a cache key; computed once per
        object."""
        if self._fingerprint is not None:
            return self._fingerprint
        digest = hashlib.blake2b(self.ink.tobytes(), digest_size=16)
        digest.update(str(self.ink.shape).encode())
        if self.rgb is not None:  # the same lines in another ink colour are another sketch
            digest.update(np.ascontiguousarray(self.rgb).data)
        fp = digest.hexdigest()
        object.__setattr__(self, "_fingerprint", fp)  # frozen: the one write, a pure cache
        return fp

    @property
    def stem(self) -> str:
        return self.source.stem if self.source is not None else "sketch"


_REQUEST_IDS = itertools.count(1)


def next_request_id() -> int:
    """Monotonic request ids: a larger id is always a newer request."""
    return next(_REQUEST_IDS)


@dataclass(frozen=True, slots=True, eq=False)
class ColorizeRequest:
    """Everything one colorization needs. references: uint8 (h, w, 3) RGB style images."""

    sketch: Sketch
    hints: HintSet = HintSet()
    references: tuple[np.ndarray, ...] = ()
    options: ColorizeOptions = field(default_factory=ColorizeOptions)
    id: int = field(default_factory=next_request_id)


Stage = Literal["draft", "refined", "tile"]


@dataclass(slots=True, eq=False)
class ColorizeResult:
    """Layers of one colorization, all at the sketch's resolution (H, W).

    lineart: uint8 (H, W, 4) the ink with alpha, transparent paper: black, or the ink's own colour
    (``ColorizeOptions.line_color``); screentone is not in it.
    flats: uint8 (H, W, 3) one colour per region (line pixels take their adjacent region's colour).
    color: uint8 (H, W, 3) the painted colours in one layer, flats × shading (equal to flats on the
    classical path): it agrees with the hints wherever the composite does.
    shading: uint8 (H, W, 3) multiply layer, flats × shading ≈ color (white = no change).
    shadow: uint8 (H, W, 3) multiply layer from the light pass (white when light is off).
    lighting: uint8 (H, W, 3) screen layer from the light pass (black when light is off).
    composite: uint8 (H, W, 3) everything blended, lines on top.
    regions: int32 (H, W) region label of every pixel.
    tone: uint8 (H, W, 3) multiply layer of the screentone (:mod:`paintassist.core.tone`), all
    white when the page has none (then a read-only view; exports leave it out); None only in
    results built by hand.
    sketch: uint8 (H, W, 3) the sketch as it was drawn (exported as a hidden layer), None when
    not made (results built by hand).
    region_map: the segmentation the result was made from (gap strokes and links applied, before
    the dots split it): what a new dot's area is read from (the app's outline under the cursor,
    "where to hint next"); None for tiles and results built by hand.
    stay_paper: bool (region_map.count,): its regions that stay paper unless hinted (speech
    balloons); None with ``region_map``.
    network: uint8 (H, W, 3) the networks' own colours (RefineNet's, or the upscaled draft in the
    early result) that flats and shading were read from; None on the classical path. Not a layer:
    full-resolution tiles measure their shading against it.
    stage: "draft" for the early preview, "refined" for the final result, "tile" for a
    full-resolution rectangle of the page (:mod:`paintassist.core.sharp`; arrays are the tile's).
    """

    request_id: int
    lineart: np.ndarray
    flats: np.ndarray
    color: np.ndarray
    shading: np.ndarray
    shadow: np.ndarray
    lighting: np.ndarray
    composite: np.ndarray
    regions: np.ndarray
    tone: np.ndarray | None = None
    sketch: np.ndarray | None = None
    region_map: RegionMap | None = None
    stay_paper: np.ndarray | None = None
    network: np.ndarray | None = None
    stage: Stage = "refined"
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
