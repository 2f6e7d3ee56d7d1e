"""What the app remembers across restarts (Qt-free): the current and recent colours, hint sizes,
the last folders and the export choices.

Kept in ``settings.json`` in the platform's config location
(:func:`paintassist.paths.user_config_dir`; ``PAINTASSIST_CONFIG_DIR`` overrides it), not in the
data folder, where autosaves, recent files and the character library stay. The file is written
atomically; a missing, unreadable or partly wrong file gives the defaults for what is wrong, so
settings never stop the app from starting.

Hint sizes are remembered with the long side of the page they were chosen on and scaled to each
page opened later (a dot of 8 px on a 1,000 px page is 16 px on a 2,000 px one), as the app's
default sizes are.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paintassist.core.types import RGB, hex_to_rgb, rgb_to_hex
from paintassist.io.atomic import atomic_write_text
from paintassist.paths import user_config_dir

VERSION = 1
SETTINGS_FILE = "settings.json"
#: Window geometry and dock layout (Qt's own format, kept by the window beside the settings).
WINDOW_FILE = "window.ini"
MAX_RECENT_COLOURS = 12
_MAX_BYTES = 1 << 20


def settings_path() -> Path:
    """``settings.json`` in the user's config folder."""
    return user_config_dir() / SETTINGS_FILE


#: The theme choices, in menu order.
THEMES: tuple[str, ...] = ("auto", "dark", "light")


@dataclass(slots=True)
class AppSettings:
    """The remembered state. Empty folders and formats mean "not chosen yet" (the app's defaults
    apply); ``size_page`` 0 means no remembered hint sizes."""

    color: RGB = (232, 160, 130)
    recent_colors: list[RGB] = field(default_factory=list)
    draft_size: float = 0.0
    dot_size: float = 0.0
    size_page: int = 0
    open_dir: str = ""
    import_dir: str = ""
    export_dir: str = ""
    export_formats: tuple[str, ...] = ()
    #: "auto" (the system's colour scheme; dark when it states none), "dark" or "light".
    theme: str = "auto"
    #: The first-run guide on the canvas has been dismissed by a first hint.
    guide_done: bool = False

    # -- hint sizes ---------------------------------------------------------------------------
    def remember_sizes(self, draft: float, dot: float, shape: tuple[int, int]) -> None:
        """The sizes chosen on a page of ``shape`` (H, W)."""
        if draft > 0 and dot > 0 and max(shape) > 0:
            self.draft_size, self.dot_size, self.size_page = float(draft), float(dot), max(shape)

    def sizes_for(self, shape: tuple[int, int]) -> tuple[float, float] | None:
        """(draft side, dot radius) for a page of ``shape``, scaled from the remembered ones;
        None when none are remembered."""
        if self.size_page <= 0 or self.draft_size <= 0 or self.dot_size <= 0:
            return None
        k = max(shape) / self.size_page
        return max(1.0, round(self.draft_size * k)), max(0.5, round(self.dot_size * k, 1))

    # -- folders ------------------------------------------------------------------------------
    @staticmethod
    def folder(value: str) -> str:
        """``value`` when it is still an existing folder, else ""."""
        return value if value and Path(value).is_dir() else ""

    # -- JSON ---------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "color": rgb_to_hex(self.color),
            "recent_colors": [rgb_to_hex(c) for c in self.recent_colors[:MAX_RECENT_COLOURS]],
            "hint_sizes": {
                "draft": self.draft_size,
                "dot": self.dot_size,
                "page_long_side": self.size_page,
            },
            "folders": {
                "open": self.open_dir,
                "import": self.import_dir,
                "export": self.export_dir,
            },
            "export": {"formats": list(self.export_formats)},
            "theme": self.theme,
            "guide_done": self.guide_done,
        }

    @classmethod
    def from_json(cls, data: Any) -> AppSettings:
        """Settings from the JSON form; a wrong or missing value keeps its default."""
        s = cls()
        if not isinstance(data, dict):
            return s
        s.color = _colour(data.get("color"), s.color)
        recent = data.get("recent_colors")
        if isinstance(recent, list):
            colours = [c for c in (_colour(v, None) for v in recent) if c is not None]
            s.recent_colors = list(dict.fromkeys(colours))[:MAX_RECENT_COLOURS]
        sizes = data.get("hint_sizes")
        if isinstance(sizes, dict):
            draft, dot = _positive(sizes.get("draft")), _positive(sizes.get("dot"))
            page = sizes.get("page_long_side")
            if draft and dot and isinstance(page, int) and not isinstance(page, bool) and page > 0:
                s.draft_size, s.dot_size, s.size_page = draft, dot, page
        folders = data.get("folders")
        if isinstance(folders, dict):
            s.open_dir = _text(folders.get("open"))
            s.import_dir = _text(folders.get("import"))
            s.export_dir = _text(folders.get("export"))
        export = data.get("export")
        if isinstance(export, dict) and isinstance(export.get("formats"), list):
            s.export_formats = tuple(
                dict.fromkeys(f for f in export["formats"] if isinstance(f, str) and f.isalnum())
            )
        if data.get("theme") in THEMES:
            s.theme = data["theme"]
        if isinstance(data.get("guide_done"), bool):
            s.guide_done = data["guide_done"]
        return s


def _colour(value: Any, default: RGB | None) -> Any:
    if isinstance(value, str):
        try:
            return hex_to_rgb(value)
        except ValueError:
            pass
    return default


def _positive(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        v = float(value)
        if math.isfinite(v) and 0 < v <= 20_000:
            return v
    return 0.0


def _text(value: Any) -> str:
    return value if isinstance(value, str) and "\x00" not in value else ""


def load_settings(path: Path | None = None) -> AppSettings:
    """The remembered settings, or the defaults (a missing or unreadable file is no error)."""
    p = path if path is not None else settings_path()
    try:
        with p.open("rb") as handle:
            raw = handle.read(_MAX_BYTES + 1)
        if len(raw) > _MAX_BYTES:
            return AppSettings()
        return AppSettings.from_json(json.loads(raw.decode("utf-8-sig")))
    except (OSError, ValueError, RecursionError):
        return AppSettings()


def save_settings(settings: AppSettings, path: Path | None = None) -> Path:
    """Write the settings atomically; OSError when the config folder is not writable."""
    p = path if path is not None else settings_path()
    return atomic_write_text(p, json.dumps(settings.to_json(), indent=2) + "\n")
