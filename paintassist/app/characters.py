"""Character palettes across pages (Qt-free): a user library of named colour sets, and snapping
hints to a palette.

A character palette is a :class:`~paintassist.io.palette_files.Palette` with ``character`` set
whose swatch names are the parts they colour ("Aki": hair, skin, eyes, jacket). The library is one
JSON palette file per character in :func:`paintassist.paths.characters_dir` (in the user data
folder), shared by every project, the app and the CLI; files are written atomically.

:func:`snap_hints` replaces each hint's colour by the nearest palette colour in CIELAB, so two
pages of the same character, hinted by eye, get exactly the same colour for each part.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from paintassist.core.types import RGB, HintSet
from paintassist.io.naming import safe_name
from paintassist.io.palette_files import (
    PALETTE_SUFFIXES,
    Palette,
    PaletteError,
    Swatch,
    read_palette,
    srgb_to_lab,
    write_palette,
)
from paintassist.paths import characters_dir

_FILE_UNSAFE = re.compile(r'[*?"<>|\s]+')
#: Longest character name kept (file names stay well under every file system's limit).
MAX_NAME = 80


class CharacterError(PaletteError):
    """No such character in the library, or a character that cannot be saved."""


def library_dir(folder: Path | None = None) -> Path:
    """The library folder: ``folder`` when given (tests), else :func:`characters_dir`."""
    return folder if folder is not None else characters_dir()


def character_file(name: str, folder: Path | None = None) -> Path:
    """Where the character ``name`` is kept: a safe, lower-case file name in the library."""
    clean = " ".join(name.split())
    if not clean:
        raise CharacterError(None, "a character needs a name")
    stem = _FILE_UNSAFE.sub("_", safe_name(clean[:MAX_NAME])).strip("_").lower() or "_"
    return library_dir(folder) / f"{stem}.json"


def _library(folder: Path | None) -> list[tuple[Path, Palette]]:
    lib = library_dir(folder)
    found: list[tuple[Path, Palette]] = []
    if lib.is_dir():
        for path in sorted(lib.glob("*.json")):
            try:
                found.append((path, read_palette(path)))
            except PaletteError:
                continue  # a damaged file must not hide the others
    return found


def list_characters(folder: Path | None = None) -> list[str]:
    """The library's character names, sorted without regard to case."""
    return sorted((p.name for _path, p in _library(folder)), key=str.casefold)


def save_character(palette: Palette, name: str | None = None, folder: Path | None = None) -> Path:
    """Keep ``palette`` in the library as the character ``name`` (default: its own name),
    replacing one of the same name; returns the file. The palette is copied, marked as a
    character and named; swatch names are its parts."""
    label = " ".join((name if name is not None else palette.name).split())[:MAX_NAME]
    if not palette.swatches:
        raise CharacterError(None, f"{label or 'the character'}: the palette has no colours")
    target = character_file(label, folder)
    for path, existing in _library(folder):  # the same name saved under an older file name
        if existing.name.casefold() == label.casefold() and path != target:
            path.unlink(missing_ok=True)
    saved = palette.copy()
    saved.name, saved.character = label, True
    return write_palette(saved, target)


def delete_character(name: str, folder: Path | None = None) -> bool:
    """Remove the character ``name`` from the library; False when there was none."""
    removed = False
    for path, existing in _library(folder):
        if existing.name.casefold() == name.strip().casefold():
            path.unlink(missing_ok=True)
            removed = True
    return removed


def _looks_like_path(text: str) -> bool:
    return Path(text).suffix.lower() in PALETTE_SUFFIXES or "/" in text or "\\" in text


def load_character(name_or_path: str | Path, folder: Path | None = None) -> Palette:
    """A character palette: the palette file ``name_or_path`` names (``.json``, ``.gpl``,
    ``.kpl``, ``.ase``) when it is a :class:`~pathlib.Path` or an existing file, else the
    library's character of that name (ignoring case and extra spaces). The result has
    ``character`` set. Raises :class:`~paintassist.io.palette_files.PaletteError` for a bad or
    missing file, :class:`CharacterError` naming the known characters for an unknown name."""
    text = str(name_or_path)
    if isinstance(name_or_path, Path) or Path(text).is_file():
        palette = read_palette(name_or_path)
    else:
        wanted = " ".join(text.split()).casefold()
        stem = character_file(text, folder).stem
        library = _library(folder)
        matches = [p for _path, p in library if p.name.casefold() == wanted]
        matches += [p for path, p in library if path.stem == stem]
        if matches:
            palette = matches[0]
        elif _looks_like_path(text):
            palette = read_palette(text)  # a file that is not there: say so
        else:
            known = list_characters(folder)
            listed = ", ".join(known) if known else "none yet"
            raise CharacterError(
                None, f"no character named {text!r} in {library_dir(folder)} (known: {listed})"
            )
    palette = palette.copy()
    palette.character = True
    return palette


# --- snapping to a palette -----------------------------------------------------------------------


def nearest_swatches(colours: Sequence[RGB], palette: Palette) -> tuple[np.ndarray, np.ndarray]:
    """For each colour, the index of the nearest swatch of ``palette`` and its distance (CIE76
    ΔE, the Euclidean distance in CIELAB). PaletteError for a palette without colours."""
    if not palette.swatches:
        raise PaletteError(None, f"{palette.name}: the palette has no colours to snap to")
    if not len(colours):
        return np.zeros(0, np.intp), np.zeros(0)
    ours = srgb_to_lab(np.array(colours, np.float64).reshape(-1, 3))
    theirs = srgb_to_lab(np.array([s.rgb for s in palette.swatches], np.float64))
    dist = np.linalg.norm(ours[:, None, :] - theirs[None, :, :], axis=2)
    best = np.argmin(dist, axis=1)
    return best, dist[np.arange(len(best)), best]


def nearest_swatch(rgb: RGB, palette: Palette) -> Swatch:
    """The swatch of ``palette`` nearest to ``rgb`` in CIELAB."""
    index, _dist = nearest_swatches([rgb], palette)
    return palette.swatches[int(index[0])]


def snap_hints(hints: HintSet, palette: Palette, max_delta_e: float | None = None) -> HintSet:
    """``hints`` with each colour replaced by the nearest colour of ``palette`` (CIELAB).
    ``max_delta_e``: hints farther than this from every palette colour keep their own (a
    character palette need not cover the background). Positions, kinds and sizes are kept."""
    index, dist = nearest_swatches([h.rgb for h in hints], palette)
    out = []
    for h, i, d in zip(hints, index, dist, strict=True):
        if max_delta_e is not None and d > max_delta_e:
            out.append(h)
        else:
            out.append(h.recoloured(palette.swatches[int(i)].rgb))
    return HintSet(tuple(out), hints.strokes)
