"""Recent files list (Qt-free), kept in ``user_data_dir()/recent.json``."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from paintassist.io.atomic import atomic_write_text
from paintassist.paths import user_data_dir

MAX_RECENT = 10


class RecentFiles:
    def __init__(self, store: Path | None = None) -> None:
        self.store = store if store is not None else user_data_dir() / "recent.json"

    def load(self) -> list[Path]:
        """Existing recent files, newest first (missing files are dropped)."""
        try:
            items = json.loads(self.store.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        if not isinstance(items, list):
            return []
        return [Path(p) for p in items if isinstance(p, str) and Path(p).exists()][:MAX_RECENT]

    def add(self, path: Path) -> list[Path]:
        path = Path(path).resolve()
        items = [p for p in self.load() if p.resolve() != path]
        items.insert(0, path)
        items = items[:MAX_RECENT]
        with contextlib.suppress(OSError):  # a read-only home must not break opening files
            atomic_write_text(self.store, json.dumps([str(p) for p in items]))
        return items
