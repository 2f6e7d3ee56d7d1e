"""Colour palettes (Qt-free): the bundled presets and the document's starting palette.

:class:`Palette`, :class:`Swatch` and their files (our JSON, GIMP ``.gpl``, Krita ``.kpl``,
Adobe ``.ase``) live in :mod:`paintassist.io.palette_files`; they are re-exported here. Bundled
presets are ``resources/palettes/*.json``::

    {"name": "Skin", "colors": [{"name": "Fair", "hex": "#f6d7c3"}, ...]}

Character palettes (named parts of one character, shared by every page) are
:mod:`paintassist.app.characters`.
"""

from __future__ import annotations

from pathlib import Path

from paintassist.io.palette_files import (
    PALETTE_SUFFIXES,
    Palette,
    PaletteError,
    Swatch,
    read_palette,
    write_palette,
)
from paintassist.paths import resources_dir

__all__ = [
    "PALETTE_SUFFIXES",
    "Palette",
    "PaletteError",
    "Swatch",
    "default_palette",
    "preset_palettes",
    "read_palette",
    "write_palette",
]


def preset_palettes(folder: Path | None = None) -> list[Palette]:
    """The bundled presets (anime basics, eyes, fabrics, hair, manga tones, skin), sorted by file
    name, every swatch named; unreadable files are skipped (a broken preset must not stop the
    app)."""
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
    """The document's starting palette: an empty user palette (until the artist adds a colour
    the palette dock shows the first preset instead of an empty list)."""
    return Palette("My colours", [])
