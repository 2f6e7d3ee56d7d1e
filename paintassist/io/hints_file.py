"""The hints file (version 2): JSON, coordinates in sketch pixels, origin top-left.

```json
{"version": 2,
 "hints": [{"kind": "accurate", "x": 120.0, "y": 88.5, "color": "#d9a07a", "size": 5},
           {"kind": "draft", "x": 300, "y": 200, "color": "#3050c0", "size": 24},
           {"kind": "gap", "points": [[410, 95], [418, 120]], "width": 3},
           {"kind": "link", "points": [[220, 300], [260, 410]]}],
 "light": {"azimuth": 135, "elevation": 35, "color": "#fff4d6", "intensity": 0.8}}
```

``size`` is the dot radius (accurate) or the square's side (draft), in px; it defaults to
:data:`paintassist.core.types.DEFAULT_HINT_SIZE`. ``gap`` entries are polylines (two points or
more) that close a gap in the line art for the region map only, ``width`` px wide (default
:data:`paintassist.core.types.DEFAULT_GAP_WIDTH`); they never show in the output. A ``link``
joins the area under its first point with the area under its second into one area of one
colour. Version 1 files (colour hints only) still load. ``light`` is optional. Unknown keys are
ignored with a warning; a wrong kind, colour, coordinate or size is a :class:`HintsFileError`
that names the file and the entry's index.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paintassist.core.errors import HintsFileError, InputError
from paintassist.core.types import (
    DEFAULT_GAP_WIDTH,
    DEFAULT_HINT_SIZE,
    MAX_GAP_PX,
    MAX_HINT_COORD_PX,
    MAX_HINT_SIZE_PX,
    MAX_STROKE_POINTS,
    Hint,
    HintSet,
    LightSettings,
    Stroke,
    hex_to_rgb,
    rgb_to_hex,
)
from paintassist.io.atomic import atomic_write_text
from paintassist.io.files import read_bounded

VERSION = 2
#: Versions this program reads (1: colour hints only; 2 adds gap strokes and links).
READS = (1, 2)
#: Most hints one file may hold (an artist's page has tens to a few hundred).
MAX_HINTS = 20_000
#: Largest hints file read (bytes); MAX_HINTS hints take about 2 MB.
MAX_FILE_BYTES = 8 * 1024 * 1024
_JSON_STARTS = frozenset('{["-0123456789tfn')
_TOP_KEYS = {"version", "hints", "light"}
_HINT_KEYS = {"kind", "x", "y", "color", "size"}
_STROKE_KEYS = {"kind", "points", "width"}


@dataclass(frozen=True)
class HintsDocument:
    """What a hints file holds. warnings: human-readable notes (unknown keys)."""

    hints: HintSet
    light: LightSettings | None = None
    warnings: tuple[str, ...] = field(default=())


def _number(value: Any, what: str, path: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise HintsFileError(path, f"{what} must be a finite number, got {value!r}")
    return float(value)


def parse_hints(data: Any, path: str | Path = "<hints>") -> HintsDocument:
    """Validate a decoded JSON object; ``path`` is only used in messages."""
    p = Path(path)
    if not isinstance(data, dict):
        raise HintsFileError(p, "expected a JSON object with 'version' and 'hints'")
    if "version" not in data:
        raise HintsFileError(p, f"missing 'version' (this program writes version {VERSION})")
    version = data["version"]
    if isinstance(version, bool) or version not in READS:
        raise HintsFileError(
            p, f"unsupported version {version!r} (this program reads {' and '.join(map(str, READS))})"
        )
    warnings = [f"unknown key {k!r} ignored" for k in sorted(set(data) - _TOP_KEYS)]
    raw = data.get("hints", [])
    if not isinstance(raw, list):
        raise HintsFileError(p, "'hints' must be a list")
    if len(raw) > MAX_HINTS:
        raise HintsFileError(p, f"holds {len(raw):,} hints; the limit is {MAX_HINTS:,}")
    hints: list[Hint] = []
    strokes: list[Stroke] = []
    for i, item in enumerate(raw):
        where = f"hint {i}"
        if not isinstance(item, dict):
            raise HintsFileError(p, f"{where}: expected an object, got {type(item).__name__}")
        if item.get("kind") in ("gap", "link"):
            if version < 2:
                raise HintsFileError(
                    p, f"{where}: kind {item['kind']!r} needs version 2 (the file says {version})"
                )
            warnings += [
                f"{where}: unknown key {k!r} ignored" for k in sorted(set(item) - _STROKE_KEYS)
            ]
            strokes.append(_stroke(item, where, p))
            continue
        warnings += [f"{where}: unknown key {k!r} ignored" for k in sorted(set(item) - _HINT_KEYS)]
        kind = item.get("kind")
        if kind not in DEFAULT_HINT_SIZE:
            raise HintsFileError(
                p, f"{where}: kind must be 'draft', 'accurate', 'gap' or 'link', got {kind!r}"
            )
        for key in ("x", "y", "color"):
            if key not in item:
                raise HintsFileError(p, f"{where}: missing {key!r}")
        x = _number(item["x"], f"{where}: x", p)
        y = _number(item["y"], f"{where}: y", p)
        if x < 0 or y < 0:
            raise HintsFileError(p, f"{where}: coordinates must not be negative, got ({x}, {y})")
        if max(x, y) > MAX_HINT_COORD_PX:
            raise HintsFileError(
                p, f"{where}: coordinates must be at most {MAX_HINT_COORD_PX:,.0f}, got ({x}, {y})"
            )
        size = _number(item.get("size", DEFAULT_HINT_SIZE[kind]), f"{where}: size", p)
        if size <= 0:
            raise HintsFileError(p, f"{where}: size must be positive, got {size}")
        if size > MAX_HINT_SIZE_PX:
            raise HintsFileError(
                p, f"{where}: size must be at most {MAX_HINT_SIZE_PX:,.0f} px, got {size}"
            )
        color = item["color"]
        if not isinstance(color, str):
            raise HintsFileError(p, f"{where}: color must be a '#rrggbb' string, got {color!r}")
        try:
            rgb = hex_to_rgb(color)
        except ValueError:
            raise HintsFileError(p, f"{where}: color must be '#rrggbb', got {color!r}") from None
        hints.append(Hint(kind, x, y, rgb, size))
    light = None
    if data.get("light") is not None:
        from paintassist.core.lighting import light_from_dict

        try:
            light = light_from_dict(data["light"], where="light")
        except ValueError as exc:
            raise HintsFileError(p, str(exc)) from None
    return HintsDocument(HintSet(tuple(hints), tuple(strokes)), light, tuple(warnings))


def _stroke(item: dict[str, Any], where: str, p: Path) -> Stroke:
    """A ``gap`` or ``link`` entry, validated."""
    kind = item["kind"]
    points = item.get("points")
    if not isinstance(points, list):
        raise HintsFileError(p, f"{where}: {kind} needs 'points', a list of [x, y] pairs")
    wanted = "exactly 2" if kind == "link" else f"2 to {MAX_STROKE_POINTS:,}"
    if (kind == "link" and len(points) != 2) or not 2 <= len(points) <= MAX_STROKE_POINTS:
        raise HintsFileError(p, f"{where}: {kind} needs {wanted} points, got {len(points):,}")
    xy: list[tuple[float, float]] = []
    for j, pt in enumerate(points):
        if not isinstance(pt, list | tuple) or len(pt) != 2:
            raise HintsFileError(p, f"{where}: point {j} must be [x, y], got {pt!r}")
        x = _number(pt[0], f"{where}: point {j} x", p)
        y = _number(pt[1], f"{where}: point {j} y", p)
        if x < 0 or y < 0 or max(x, y) > MAX_HINT_COORD_PX:
            raise HintsFileError(
                p, f"{where}: point {j} must lie in 0..{MAX_HINT_COORD_PX:,.0f}, got ({x}, {y})"
            )
        xy.append((x, y))
    width = _number(item.get("width", DEFAULT_GAP_WIDTH), f"{where}: width", p)
    if not 0 < width <= MAX_GAP_PX:
        raise HintsFileError(p, f"{where}: width must be in (0, {MAX_GAP_PX}] px, got {width}")
    return Stroke(kind, tuple(xy), width)


def hints_beside(sketch: str | Path, hints_dir: str | Path | None = None) -> Path | None:
    """The hints file that belongs to ``sketch``: ``<stem>.json`` in ``hints_dir`` when given,
    else beside the sketch; None when there is none. The CLI and the app share this rule."""
    sketch = Path(sketch)
    folder = sketch.parent if hints_dir is None else Path(hints_dir)
    candidate = folder / f"{sketch.stem}.json"
    return candidate if candidate.is_file() else None


def load_hints(path: str | Path) -> HintsDocument:
    """Read and validate a hints file."""
    p = Path(path)
    raw = read_bounded(p, MAX_FILE_BYTES, HintsFileError, "a .json hints file")
    return parse_hints(decode_json(raw, p, HintsFileError), p)


def decode_json(raw: bytes, path: Path, error: type[InputError]) -> Any:
    """JSON from ``raw`` bytes in UTF-8 (with or without a byte-order mark), UTF-16 or UTF-32, as
    editors on every platform save it. Anything wrong is ``error(path, problem)``."""
    try:
        text = raw.decode(
            json.detect_encoding(raw)
        )  # the encoding and its BOM, from the first bytes
    except UnicodeDecodeError:
        raise error(path, "not a text file (expected JSON)") from None
    if not text.strip():
        raise error(path, "file is empty (expected JSON)")
    if text.lstrip()[:1] not in _JSON_STARTS:  # binary data that happens to decode
        raise error(path, "not a text file (expected JSON)")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(
            path, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise error(path, "JSON is nested too deeply") from None


def hints_to_dict(hints: HintSet, light: LightSettings | None = None) -> dict[str, Any]:
    """The JSON-ready form of a hint set (and optional light)."""
    out: dict[str, Any] = {
        "version": VERSION,
        "hints": [
            {
                "kind": h.kind,
                "x": round(h.x, 3),
                "y": round(h.y, 3),
                "color": rgb_to_hex(h.rgb),
                "size": round(h.size, 3),
            }
            for h in hints
        ]
        + [_stroke_to_dict(s) for s in hints.strokes],
    }
    if light is not None:
        from paintassist.core.lighting import light_to_dict

        out["light"] = light_to_dict(light)
    return out


def _stroke_to_dict(stroke: Stroke) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": stroke.kind,
        "points": [[round(x, 3), round(y, 3)] for x, y in stroke.points],
    }
    if stroke.kind == "gap":
        out["width"] = round(stroke.width, 3)
    return out


def save_hints(path: str | Path, hints: HintSet, light: LightSettings | None = None) -> Path:
    """Write a hints file atomically."""
    return atomic_write_text(path, json.dumps(hints_to_dict(hints, light), indent=1) + "\n")
