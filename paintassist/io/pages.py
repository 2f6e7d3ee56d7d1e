"""A page we coloured before, as a reference image for the next pages of the same character.

An exported page is a folder ``OUT/<name>/`` with ``manifest.json``, ``flats.png`` and
``composite.png`` (see :mod:`paintassist.io.export`), and usually ``<name>.ora`` inside it.
:func:`page_reference` reads either (or the manifest itself) and returns its flats — one clean
colour per region, the palette the page settled on — or its composite, as uint8 RGB.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Literal

import numpy as np

from paintassist.core.errors import InputError, SketchLoadError
from paintassist.io.images import load_rgb, load_rgb_bytes

PageLayer = Literal["flats", "composite"]
#: Largest member read from a page's ``.ora`` (bytes, compressed or not).
MAX_MEMBER_BYTES = 512 * 1024 * 1024
_MANIFEST = "manifest.json"


class PageError(InputError):
    """A path that is not an exported page, or a page whose image cannot be read."""


def is_page(path: str | Path) -> bool:
    """True for an exported page: its folder (holding ``manifest.json``), the manifest, or an
    ``.ora`` file. By name and presence only; :func:`page_reference` checks the content."""
    p = Path(path)
    if p.is_dir():
        return (p / _MANIFEST).is_file()
    return p.suffix.lower() == ".ora" or (p.name == _MANIFEST and p.is_file())


def page_reference(path: str | Path, layer: PageLayer = "flats") -> np.ndarray:
    """The ``layer`` ("flats" or "composite") of an exported page as uint8 (H, W, 3) RGB.

    ``path``: the page folder, its ``manifest.json``, or an ``.ora`` (ours, whose
    ``data/flats.png`` is read, or any other program's, whose merged image is). A page folder
    without the layer falls back to the other one, then to the ``.ora`` inside it. Raises
    :class:`PageError` naming the path for anything else."""
    if layer not in ("flats", "composite"):
        raise ValueError(f"layer must be 'flats' or 'composite', not {layer!r}")
    p = Path(path)
    if not p.exists():
        raise PageError(p, "not found (expected an exported page folder or its .ora)")
    if p.is_file() and p.name == _MANIFEST:
        p = p.parent
    if p.is_dir():
        return _from_folder(p, layer)
    if p.suffix.lower() == ".ora":
        return _from_ora(p, layer)
    raise PageError(p, "not an exported page (expected its folder, manifest.json or .ora)")


def _from_folder(folder: Path, layer: PageLayer) -> np.ndarray:
    manifest = folder / _MANIFEST
    if not manifest.is_file():
        raise PageError(folder, f"not an exported page (no {_MANIFEST} inside)")
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PageError(manifest, f"cannot read the page's manifest ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != "paintassist-layers":
        raise PageError(manifest, "not a paintassist page manifest")
    other: PageLayer = "composite" if layer == "flats" else "flats"
    for name in (layer, other):
        png = folder / f"{name}.png"
        if png.is_file():
            try:
                return load_rgb(png)
            except SketchLoadError as exc:
                raise PageError(png, exc.problem) from None
    oras = sorted(folder.glob("*.ora"))
    if oras:
        return _from_ora(oras[0], layer)
    raise PageError(folder, "the page has neither flats.png nor composite.png")


def _from_ora(path: Path, layer: PageLayer) -> np.ndarray:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PageError(path, f"not an OpenRaster file ({exc})") from None
    with archive:
        names = set(archive.namelist())
        other: PageLayer = "composite" if layer == "flats" else "flats"
        wanted = {"flats": "data/flats.png", "composite": "mergedimage.png"}
        for member in (wanted[layer], wanted[other]):
            if member in names:
                info = archive.getinfo(member)
                if info.file_size > MAX_MEMBER_BYTES:
                    raise PageError(path, f"{member} is too large ({info.file_size:,} bytes)")
                try:
                    data = archive.read(member)
                except (zipfile.BadZipFile, OSError, EOFError) as exc:
                    raise PageError(path, f"{member} is damaged ({exc})") from None
                try:
                    return load_rgb_bytes(data, f"{path}: {member}")
                except SketchLoadError as exc:
                    raise PageError(path, f"{member}: {exc.problem}") from None
    raise PageError(path, "the .ora has neither data/flats.png nor mergedimage.png")
