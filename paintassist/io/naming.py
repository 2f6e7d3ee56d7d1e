"""Output names: a page's folder and files under ``--out`` never escape it, hide, or collide.

The rule (also in the README): a page is named after its sketch's file stem, with

1. path separators, control characters and ``:`` replaced by ``_``;
2. leading dots replaced by ``_`` (``..png`` → ``_``, ``.page.png`` → ``_page``): a page folder
   is never ``--out`` itself, its parent, or hidden;
3. a final export suffix made harmless (``other.ora.png`` → ``other_ora``), so one page's folder
   never takes the name of another page's ``.ora``;
4. within one batch, names that are equal ignoring case get ``-2``, ``-3``… in input order
   (``a/page.png`` → ``page``, ``b/page.png`` → ``page-2``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

#: Files an export writes beside the page folder, as ``<name><suffix>``.
EXPORT_FILE_SUFFIXES: tuple[str, ...] = (".ora", ".psd")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:]")


def safe_name(stem: str) -> str:
    """``stem`` made safe as a page folder name under ``--out`` (rules 1–3 above)."""
    name = _UNSAFE.sub("_", stem)
    dots = len(name) - len(name.lstrip("."))
    name = "_" * dots + name[dots:]
    for suffix in EXPORT_FILE_SUFFIXES:
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)] + "_" + name[-len(suffix) + 1 :]
    return name or "_"


def is_safe_name(name: str) -> bool:
    """True when ``name`` is its own :func:`safe_name` (exports refuse any other)."""
    return bool(name) and safe_name(name) == name


def page_names(sketches: Sequence[Path]) -> list[str]:
    """One unique, safe page name per sketch, in order (rule 4 above)."""
    taken: set[str] = set()
    names: list[str] = []
    for sketch in sketches:
        base = safe_name(sketch.stem)
        name, n = base, 1
        while name.lower() in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name.lower())
        names.append(name)
    return names
