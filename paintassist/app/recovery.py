"""Crash recovery (Qt-free): autosave files in ``user_data_dir()/recovery`` and finding orphans.

Each running window owns one *session*: ``<id>.paintassist`` (a full project, sketch embedded)
plus ``<id>.json`` (pid, original project path, time). A clean close deletes both; files whose
process is gone are the leftovers of a crash and are offered for recovery on the next start.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from paintassist.app.document import Document
from paintassist.app.project import (
    ProjectData,
    ProjectError,
    apply_project,
    load_project,
    project_bytes,
)
from paintassist.io.atomic import atomic_write_bytes, atomic_write_text
from paintassist.paths import user_data_dir


def recovery_dir() -> Path:
    path = user_data_dir() / "recovery"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process on Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))  # type: ignore[attr-defined]
        ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True, slots=True)
class RecoveryEntry:
    """An autosave left behind by a session that did not close cleanly."""

    project_file: Path
    meta_file: Path
    title: str
    saved_at: float
    project_path: Path | None

    def describe(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.saved_at))
        return f"{self.title} (autosaved {when})"

    def discard(self) -> None:
        for f in (self.project_file, self.meta_file):
            with contextlib.suppress(OSError):
                f.unlink()


class RecoverySession:
    """This process's autosave slot."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else recovery_dir()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.id = uuid.uuid4().hex[:12]
        self.project_file = self.folder / f"{self.id}.paintassist"
        self.meta_file = self.folder / f"{self.id}.json"

    def write(self, doc: Document) -> Path | None:
        """Autosave ``doc`` (nothing without a sketch). Returns the file written."""
        if doc.sketch is None:
            return None
        atomic_write_bytes(self.project_file, project_bytes(doc))
        meta = {
            "pid": os.getpid(),
            "title": doc.title,
            "saved_at": time.time(),
            "project_path": str(doc.project_path) if doc.project_path else None,
        }
        atomic_write_text(self.meta_file, json.dumps(meta))
        return self.project_file

    def clear(self) -> None:
        """Remove this session's autosave (after a save or a clean close)."""
        for f in (self.project_file, self.meta_file):
            with contextlib.suppress(OSError):
                f.unlink()


def find_orphans(folder: Path | None = None) -> list[RecoveryEntry]:
    """Autosaves whose process is gone, newest first. Metadata that is unreadable, of the wrong
    shape or not ours is skipped (never raised: a bad autosave must not stop the app starting)."""
    folder = folder if folder is not None else recovery_dir()
    found = [e for f in folder.glob("*.json") if (e := _orphan(f)) is not None]
    return sorted(found, key=lambda e: e.saved_at, reverse=True)


#: A session's metadata is a few hundred bytes; anything much larger is not ours.
_MAX_META_BYTES = 64 * 1024


def _orphan(meta_file: Path) -> RecoveryEntry | None:
    """The entry of one metadata file, or None when it is not a crashed session's."""
    project_file = meta_file.with_suffix(".paintassist")
    try:
        if meta_file.stat().st_size > _MAX_META_BYTES or not project_file.is_file():
            return None
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(meta, dict):
        return None
    pid, title, saved_at, pp = (meta.get(k) for k in ("pid", "title", "saved_at", "project_path"))
    if isinstance(pid, bool) or not isinstance(pid, int) or not 0 < pid < 2**31:
        return None
    if pid == os.getpid() or _pid_alive(pid):
        return None  # ours, or a session still running
    if not isinstance(saved_at, int | float) or isinstance(saved_at, bool):
        saved_at = 0.0
    return RecoveryEntry(
        project_file,
        meta_file,
        title if isinstance(title, str) else "Untitled",
        float(saved_at) if math.isfinite(saved_at) else 0.0,
        Path(pp) if isinstance(pp, str) and pp else None,
    )


def recover_into(doc: Document, entry: RecoveryEntry) -> list[str]:
    """Load ``entry`` into ``doc`` (left dirty, so the artist saves it). Returns warnings.
    Raises ProjectError if the autosave is unreadable (the entry is kept)."""
    return adopt(doc, entry, load_project(entry.project_file))


def adopt(doc: Document, entry: RecoveryEntry, data: ProjectData) -> list[str]:
    """The second half of :func:`recover_into`, for a ``data`` read elsewhere (the GUI reads
    the autosave on a worker thread): ``doc`` gets it, dirty, in one ``changed``; the entry is
    deleted. Returns the project's warnings."""
    apply_project(doc, data, entry.project_path, saved=False)
    entry.discard()
    return data.warnings


__all__ = [
    "ProjectError",
    "RecoveryEntry",
    "RecoverySession",
    "adopt",
    "find_orphans",
    "recover_into",
]
