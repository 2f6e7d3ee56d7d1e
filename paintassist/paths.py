"""One place that finds bundled resources and model weights.

The same lookup works from a source checkout (``<repo>/models``), an installed wheel
(``paintassist/_data/models``) and a PyInstaller bundle (``sys._MEIPASS/paintassist/_data/models``).
``PAINTASSIST_MODELS`` and ``PAINTASSIST_RESOURCES`` override the folders (tests, experiments).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _candidates(name: str) -> list[Path]:
    found: list[Path] = []
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        found.append(Path(meipass) / "paintassist" / "_data" / name)
    found.append(_PACKAGE_DIR / "_data" / name)
    if (_PACKAGE_DIR.parent / "pyproject.toml").is_file():  # source checkout / editable install
        found.append(_PACKAGE_DIR.parent / name)
    return found


def _locate(name: str, env: str) -> Path:
    override = os.environ.get(env)
    if override:
        return Path(override)
    for path in _candidates(name):
        if path.is_dir():
            return path
    # Nothing found: return the most likely place so error messages name a real location.
    return _candidates(name)[-1]


def models_dir() -> Path:
    """Folder holding the trained weights and ``manifest.json``."""
    return _locate("models", "PAINTASSIST_MODELS")


def resources_dir() -> Path:
    """Folder holding samples, icons and palettes."""
    return _locate("resources", "PAINTASSIST_RESOURCES")


def samples_dir() -> Path:
    """Bundled public-domain sample sketches with a ``<stem>.json`` hints file each."""
    return resources_dir() / "samples"


def sample_sketches() -> list[Path]:
    """The bundled sample sketches, sorted by name."""
    folder = samples_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() == ".png")


def user_data_dir() -> Path:
    """Per-user folder for settings, palettes and crash-recovery files (created on demand)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    if sys.platform == "win32":
        base = os.environ.get("APPDATA", base)
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Application Support")
    path = Path(base) / "paintassist"
    path.mkdir(parents=True, exist_ok=True)
    return path
