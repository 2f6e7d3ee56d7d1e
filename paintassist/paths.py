"""One place that finds bundled resources and model weights.

The same lookup works from a source checkout (``<repo>/models``), an installed wheel
(``paintassist/_data/models``) and a PyInstaller bundle (``sys._MEIPASS/paintassist/_data/models``).
``PAINTASSIST_MODELS`` and ``PAINTASSIST_RESOURCES`` override the folders (tests, experiments).

Per-user files: settings in :func:`user_config_dir` (the platform's config location;
``PAINTASSIST_CONFIG_DIR`` overrides it), autosaves, recent files and the character library in
:func:`user_data_dir`.
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
    """Per-user folder for crash-recovery files, recent files and the character library
    (created on demand). Settings are not here: see :func:`user_config_dir`."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    if sys.platform == "win32":
        base = os.environ.get("APPDATA", base)
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Application Support")
    path = Path(base) / "paintassist"
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_config_dir() -> Path:
    """Per-user folder for settings, in the platform's config location (created on demand):
    ``$XDG_CONFIG_HOME/paintassist`` (``~/.config/paintassist``) on Linux,
    ``~/Library/Preferences/paintassist`` on macOS, ``%APPDATA%\\paintassist\\config`` on Windows.
    ``PAINTASSIST_CONFIG_DIR`` overrides it (tests, portable installs)."""
    override = os.environ.get("PAINTASSIST_CONFIG_DIR")
    if override:
        path = Path(override)
    elif sys.platform == "win32":
        path = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
        path = path / "paintassist" / "config"
    elif sys.platform == "darwin":
        path = Path.home() / "Library" / "Preferences" / "paintassist"
    else:
        base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
        path = Path(base) / "paintassist"
    path.mkdir(parents=True, exist_ok=True)
    return path


def characters_dir() -> Path:
    """The user's character library (one palette file per character), shared by every project
    and the CLI: ``user_data_dir()/characters``. Not created here."""
    return user_data_dir() / "characters"
