"""The Qt-free document model: what one artwork is made of, and a change notification.

Views and the preview controller subscribe to :attr:`Document.changed`; they never mutate the
document directly — undo commands do (see :mod:`paintassist.gui.commands`), so every edit is
undoable and the document changes only inside ``redo()``/``undo()``.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Generic, TypeVar

import numpy as np

from paintassist.app.palette import Palette, default_palette
from paintassist.core.layers import LAYER_STACK
from paintassist.core.lighting import light_from_dict, light_to_dict
from paintassist.core.types import (
    LINE_COLORS,
    MAX_GAP_PX,
    ColorizeOptions,
    ColorizeRequest,
    HintSet,
    LightSettings,
    LineColor,
    Sketch,
    rgb_to_hex,
)


class Part(enum.Enum):
    """What a :attr:`Document.changed` notification is about.

    SAVED: the saved state (dirty flag, project path) changed. COLORIZE: a settings change that
    needs a new colorization (sent with SETTINGS; layer view changes do not send it).
    """

    SKETCH = "sketch"
    HINTS = "hints"
    REFERENCES = "references"
    SETTINGS = "settings"
    PALETTE = "palette"
    SAVED = "saved"
    COLORIZE = "colorize"


#: The set of parts one ``changed`` notification carries.
Parts = frozenset[Part]
#: Parts an undo command may replace with :meth:`Document.set_part`.
REPLACEABLE_PARTS: Parts = frozenset({Part.HINTS, Part.REFERENCES, Part.SETTINGS})
#: Parts whose change needs a new colorization.
COLORIZE_PARTS: Parts = frozenset({Part.SKETCH, Part.HINTS, Part.REFERENCES, Part.COLORIZE})
#: Preview working resolutions offered in the settings panel (None = full resolution).
PREVIEW_SIDES: tuple[int | None, ...] = (512, 768, 1024, 1536, None)

T = TypeVar("T")


class Signal(Generic[T]):
    """Minimal synchronous signal (Qt-free) with one typed argument: ``connect(fn)``, ``emit(x)``."""

    def __init__(self) -> None:
        self._slots: list[Callable[[T], None]] = []

    def connect(self, slot: Callable[[T], None]) -> None:
        self._slots.append(slot)

    def disconnect(self, slot: Callable[[T], None]) -> None:
        self._slots.remove(slot)

    def emit(self, value: T) -> None:
        for slot in list(self._slots):
            slot(value)


def _frozen(d: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(d))


@dataclass(frozen=True, slots=True)
class Settings:
    """Per-document settings (saved in the project; undoable).

    gap_px: line gaps up to this width (sketch px) are closed. preview_long_side: long side (px)
    of the live preview's working image, None = full resolution. reference_strength: 0..2.
    line_color: the line-art layer's colour (:data:`~paintassist.core.types.LineColor`: ``auto``
    keeps coloured ink's colour, ``keep`` always keeps the ink's colour, ``black``). screentone:
    recognise manga screentone as tone (it splits no region and becomes the ``tone`` layer).
    layer_visible / layer_opacity: the layers panel (layer name → bool / 0..1), which is also
    how the preview is composed, so the preview equals what is exported.
    """

    gap_px: int = 6
    preview_long_side: int | None = 768
    reference_strength: float = 1.0
    use_networks: bool = True
    light: LightSettings = field(default_factory=LightSettings)
    line_color: LineColor = "auto"
    screentone: bool = True
    layer_visible: Mapping[str, bool] = field(
        default_factory=lambda: _frozen({s.name: s.visible for s in LAYER_STACK})
    )
    layer_opacity: Mapping[str, float] = field(
        default_factory=lambda: _frozen({s.name: s.opacity for s in LAYER_STACK})
    )

    def with_layer(
        self, name: str, *, visible: bool | None = None, opacity: float | None = None
    ) -> Settings:
        vis = dict(self.layer_visible)
        opa = dict(self.layer_opacity)
        if visible is not None:
            vis[name] = bool(visible)
        if opacity is not None:
            opa[name] = float(min(1.0, max(0.0, opacity)))
        return replace(self, layer_visible=_frozen(vis), layer_opacity=_frozen(opa))

    def colorize_key(self) -> tuple[Any, ...]:
        """What in the settings changes the colorization (layer view settings do not)."""
        return (
            self.gap_px,
            self.preview_long_side,
            round(self.reference_strength, 4),
            self.use_networks,
            self.light,
            self.line_color,
            self.screentone,
        )

    def options(self, *, full_resolution: bool = False) -> ColorizeOptions:
        return ColorizeOptions(
            gap_px=int(self.gap_px),
            use_networks=self.use_networks,
            work_long_side=None if full_resolution else self.preview_long_side,
            reference_strength=float(self.reference_strength),
            light=self.light,
            line_color=self.line_color,
            screentone=self.screentone,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "gap_px": self.gap_px,
            "preview_long_side": self.preview_long_side,
            "reference_strength": self.reference_strength,
            "use_networks": self.use_networks,
            "light": light_to_dict(self.light),
            "line_color": self.line_color,
            "screentone": self.screentone,
            "layer_visible": dict(self.layer_visible),
            "layer_opacity": dict(self.layer_opacity),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], where: str = "settings") -> Settings:
        """Inverse of :meth:`to_json`; unknown keys are ignored, missing ones take defaults.
        Every value is checked for its type and range, the light settings like a hints file's;
        a bad one is a ValueError naming ``where`` and the key."""
        if not isinstance(data, Mapping):
            raise ValueError(f"{where}: expected an object, got {type(data).__name__}")
        base = cls()
        light = light_from_dict(_light_v1(data.get("light") or {}), where=f"{where}: light")
        vis = dict(base.layer_visible)
        for name, value in _mapping(data, "layer_visible", where).items():
            vis[str(name)] = _boolean(value, f"{where}: layer_visible.{name}")
        opa = dict(base.layer_opacity)
        for name, value in _mapping(data, "layer_opacity", where).items():
            opa[str(name)] = _number(value, f"{where}: layer_opacity.{name}", 0.0, 1.0)
        side = data.get("preview_long_side", base.preview_long_side)
        if side is not None:
            side = int(_number(side, f"{where}: preview_long_side", 64, 16384, whole=True))
        gap = data.get("gap_px", base.gap_px)
        strength = data.get("reference_strength", base.reference_strength)
        return cls(
            gap_px=int(_number(gap, f"{where}: gap_px", 0, MAX_GAP_PX, whole=True)),
            preview_long_side=side,
            reference_strength=_number(strength, f"{where}: reference_strength", 0.0, 2.0),
            use_networks=_boolean(
                data.get("use_networks", base.use_networks), f"{where}: use_networks"
            ),
            light=light,
            line_color=_line_color(data.get("line_color", base.line_color), f"{where}: line_color"),
            screentone=_boolean(data.get("screentone", base.screentone), f"{where}: screentone"),
            layer_visible=_frozen(vis),
            layer_opacity=_frozen(opa),
        )


def _number(value: Any, what: str, low: float, high: float, *, whole: bool = False) -> float:
    """``value`` as a finite number in [low, high] (a whole one if ``whole``); ValueError."""
    kind = "a whole number" if whole else "a number"
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or (whole and float(value) != int(value)) or not low <= value <= high:
        raise ValueError(f"{what} must be {kind} from {low:g} to {high:g}, got {value!r}")
    return float(value)


def _boolean(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{what} must be true or false, got {value!r}")
    return value


def _line_color(value: Any, what: str) -> LineColor:
    """``value`` as one of :data:`~paintassist.core.types.LINE_COLORS`; ValueError."""
    for name in LINE_COLORS:
        if value == name:
            return name
    raise ValueError(f"{what} must be one of {', '.join(LINE_COLORS)}, got {value!r}")


def _mapping(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}: {key} must be an object, got {type(value).__name__}")
    return value


#: Light keys of projects written before the light settings had one JSON form (the hints file's).
_LIGHT_V1_KEYS = {"azimuth_deg": "azimuth", "elevation_deg": "elevation", "rgb": "color"}
_LIGHT_KEYS = frozenset(light_to_dict(LightSettings()))


def _light_v1(light: Any) -> Any:
    """A project's light object → the one (hints file's) form: the older project form's keys
    (``azimuth_deg``, an ``rgb`` list) are renamed."""
    if not isinstance(light, Mapping):
        return light
    # Unknown keys (a newer version's) are dropped, as everywhere else in the settings.
    out = {
        _LIGHT_V1_KEYS.get(k, k): v
        for k, v in light.items()
        if _LIGHT_V1_KEYS.get(k, k) in _LIGHT_KEYS
    }
    rgb = out.get("color")
    if isinstance(rgb, list | tuple) and len(rgb) == 3:
        out["color"] = rgb_to_hex(tuple(int(c) for c in rgb))  # type: ignore[arg-type]
    return out


@dataclass(frozen=True, slots=True, eq=False)
class Reference:
    """A reference style image. rgb: uint8 (h, w, 3). name: shown under the thumbnail."""

    rgb: np.ndarray
    name: str
    path: Path | None = None


class Document:
    """One artwork: the sketch, hints, references, palette and settings.

    ``changed`` is emitted with a :data:`Parts` set: the parts that changed (see :class:`Part`).
    ``revision`` grows on every change; the document is dirty while it differs from the
    revision last saved.
    """

    def __init__(self) -> None:
        self.changed: Signal[Parts] = Signal()
        self.sketch: Sketch | None = None
        #: The sketch file's bytes, embedded in project files so nothing is lost if it moves.
        self.sketch_bytes: bytes | None = None
        self.sketch_path: Path | None = None
        self.hints: HintSet = HintSet()
        self.references: tuple[Reference, ...] = ()
        self.settings: Settings = Settings()
        self.palette: Palette = default_palette()
        self.project_path: Path | None = None
        self.revision = 0
        self._saved_revision = 0

    # -- state ---------------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self.revision != self._saved_revision

    @property
    def title(self) -> str:
        if self.project_path is not None:
            return self.project_path.name
        if self.sketch_path is not None:
            return self.sketch_path.name
        return "Untitled"

    def mark_saved(self, project_path: Path | None = None) -> None:
        if project_path is not None:
            self.project_path = project_path
        self._saved_revision = self.revision
        self.changed.emit(frozenset({Part.SAVED}))

    # -- mutation (called by undo commands, loaders and tests) ---------------------------------
    def set_sketch(
        self, sketch: Sketch, data: bytes | None = None, path: Path | None = None
    ) -> None:
        """Start a new artwork on ``sketch``: hints and references are cleared."""
        self.sketch = sketch
        self.sketch_bytes = data
        self.sketch_path = path if path is not None else sketch.source
        self.hints = HintSet()
        self.references = ()
        self.project_path = None
        self.revision += 1
        self._saved_revision = self.revision
        self.changed.emit(frozenset({Part.SKETCH, Part.HINTS, Part.REFERENCES, Part.SAVED}))

    def load(
        self,
        sketch: Sketch,
        data: bytes | None,
        sketch_path: Path | None,
        *,
        hints: HintSet | None = None,
        references: tuple[Reference, ...] = (),
        settings: Settings | None = None,
        palette: Palette | None = None,
        project_path: Path | None = None,
        saved: bool = True,
    ) -> None:
        """Replace the whole artwork at once (a project or a sketch with its hints file being
        opened, a recovered autosave) with one ``changed`` carrying every part.

        ``settings`` / ``palette`` None keep the current ones (a sketch keeps the artist's
        settings). ``saved`` False leaves the document dirty (recovered work is unsaved work).
        """
        self.sketch = sketch
        self.sketch_bytes = data
        self.sketch_path = sketch_path if sketch_path is not None else sketch.source
        self.hints = hints if hints is not None else HintSet()
        self.references = tuple(references)
        if settings is not None:
            self.settings = settings
        if palette is not None:
            self.palette = palette
        self.project_path = project_path
        self.revision += 1
        self._saved_revision = self.revision if saved else self.revision - 1
        self.changed.emit(frozenset(Part))

    def set_part(self, part: Part, value: Any) -> None:
        """Replace one of :data:`REPLACEABLE_PARTS` and notify."""
        if part is Part.HINTS:
            if not isinstance(value, HintSet):
                raise TypeError("hints must be a HintSet")
            self.hints = value
        elif part is Part.REFERENCES:
            self.references = tuple(value)
        elif part is Part.SETTINGS:
            if not isinstance(value, Settings):
                raise TypeError("settings must be Settings")
            old = self.settings
            self.settings = value
            self.revision += 1
            parts = {Part.SETTINGS}
            if old.colorize_key() != value.colorize_key():
                parts.add(Part.COLORIZE)
            self.changed.emit(frozenset(parts))
            return
        else:
            raise ValueError(f"unknown document part {part!r}")
        self.revision += 1
        self.changed.emit(frozenset({part}))

    def get_part(self, part: Part) -> Any:
        if part not in REPLACEABLE_PARTS:
            raise ValueError(f"unknown document part {part!r}")
        return getattr(self, part.value)

    def palette_edited(self) -> None:
        """Call after editing :attr:`palette` in place."""
        self.revision += 1
        self.changed.emit(frozenset({Part.PALETTE}))

    # -- requests ------------------------------------------------------------------------------
    def make_request(self, *, full_resolution: bool = False) -> ColorizeRequest | None:
        """The colorization request for the current state (None without a sketch)."""
        if self.sketch is None:
            return None
        return ColorizeRequest(
            sketch=self.sketch,
            hints=self.hints,
            references=tuple(r.rgb for r in self.references),
            options=self.settings.options(full_resolution=full_resolution),
        )


def needs_colorize(parts: Parts) -> bool:
    """True when a ``changed`` notification should trigger a new preview."""
    return bool(parts & COLORIZE_PARTS)
