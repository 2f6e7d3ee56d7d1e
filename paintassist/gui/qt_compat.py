"""Work around a PySide6 6.12.0 bug on CPython 3.11: every Qt method that returns ``void``
drops one reference to ``None`` (measured here: ``QWidget.resize`` ×1000 → refcount −1000).
``None``'s count starts near 15,000, so a GUI dies with "Fatal Python error: none_dealloc"
after a few thousand edits. CPython ≥ 3.12 makes ``None`` immortal, which hides the bug; on
3.11 we give ``None`` a huge reference count once, the same effect.

The real fix is to avoid that release (``PySide6-Essentials!=6.12.0`` or Python ≥ 3.12);
this guard keeps the app alive where such a build is installed anyway.
"""

from __future__ import annotations

import ctypes
import sys

#: Extra references given to ``None``: ~1e12 leaked calls before trouble.
_BALLAST = 1 << 40
_applied = False


def needs_guard(python: tuple[int, int], shiboken: str | None) -> bool:
    """True for the leaking combination: CPython < 3.12 with shiboken6 ≥ 6.12 (``shiboken``
    is its version string, None when not installed)."""
    if python >= (3, 12) or shiboken is None:
        return False
    version = tuple(int(p) for p in shiboken.split(".")[:2] if p.isdigit())
    return version >= (6, 12)


def _shiboken_version() -> str | None:
    from importlib import metadata

    try:  # read the version without importing Qt (Qt-free modules live in this package too)
        return metadata.version("shiboken6")
    except metadata.PackageNotFoundError:
        return None


def _affected() -> bool:
    return needs_guard((sys.version_info.major, sys.version_info.minor), _shiboken_version())


def protect_none_refcount() -> bool:
    """Apply the workaround once when the installed PySide6 needs it; True if applied."""
    global _applied
    if _applied or not _affected():
        return _applied
    refcnt = ctypes.c_ssize_t.from_address(id(None))
    refcnt.value += _BALLAST
    _applied = True
    return True
