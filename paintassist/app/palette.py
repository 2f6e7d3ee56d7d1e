"""Colour palettes (Qt-free): named swatches, JSON load/save, bundled presets.

File format (``resources/palettes/*.json`` and user palettes)::

    {"name": "Skin", "colors": [{"name": "Fair", "hex": "#f6d7c3"}, ...]}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paintassist.core.errors import InputError
from paintassist.core.types import RGB, hex_to_rgb, rgb_to_hex
from paintassist.io.atomic import atomic_write_text
from paintassist.paths import resources_dir


class PaletteError(InputError):
    """A palette file cannot be read."""


@dataclass(slots=True)
class Swatch:
    name: str
    rgb: RGB

    @property
    def hex(self) -> str:
        return rgb_to_hex(self.rgb)


@dataclass(slots=True)
class Palette:
    """A named, ordered list of swatches (mutable: the palette dock edits it in place)."""

    name: str
    swatches: list[Swatch] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        colors = [{"name": s.name, "hex": s.hex} for s in self.swatches]
        return {"name": self.name, "colors": colors}

    @classmethod
    def from_json(cls, data: Any, source: Path | str | None = None) -> Palette:
        """Parse the JSON form; raises :class:`PaletteError` naming ``source`` and the problem."""
        if not isinstance(data, dict) or not isinstance(data.get("colors"), list):
            raise PaletteError(source, "not a palette (expected {'name': ..., 'colors': [...]})")
        swatches: list[Swatch] = []
        for i, entry in enumerate(data["colors"]):
            try:
                if isinstance(entry, str):
                    swatches.append(Swatch(entry, hex_to_rgb(entry)))
                else:
                    rgb = hex_to_rgb(str(entry["hex"]))
                    swatches.append(Swatch(str(entry.get("name") or rgb_to_hex(rgb)), rgb))
            except (KeyError, TypeError, ValueError) as exc:
                raise PaletteError(source, f"colour {i}: {exc}") from exc
        return cls(str(data.get("name") or "Palette"), swatches)

    @classmethod
    def load(cls, path: str | Path) -> Palette:
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise PaletteError(path, "file not found") from exc
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PaletteError(path, f"cannot read palette: {exc}") from exc
        return cls.from_json(data, path)

    def save(self, path: str | Path) -> Path:
        return atomic_write_text(path, json.dumps(self.to_json(), indent=2) + "\n")

    def copy(self) -> Palette:
        return Palette(self.name, [Swatch(s.name, s.rgb) for s in self.swatches])


def preset_palettes(folder: Path | None = None) -> list[Palette]:
    """The bundled presets (skin, hair, manga tones…), sorted by file name; unreadable files
    are skipped (a broken preset must not stop the app)."""
    folder = folder if folder is not None else resources_dir() / "palettes"
    found: list[Palette] = []
    if folder.is_dir():
        for path in sorted(folder.glob("*.json")):
            try:
                found.append(Palette.load(path))
            except PaletteError:
                continue
    return found


def default_palette() -> Palette:
    """The document's starting palette: an empty user palette."""
    return Palette("My colours", [])
