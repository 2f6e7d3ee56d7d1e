"""``.paintassist`` project files (Qt-free): a zip holding everything needed to reopen the work.

Layout::

    project.json         format, version, sketch path + sha256, hints, references, palette, settings
    sketch<.ext>         the sketch file's own bytes (so the project survives the sketch moving)
    references/<i>.png   reference images

Files are written atomically (:func:`paintassist.io.atomic.atomic_write_bytes`), so a crash
while saving never destroys the previous version.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from paintassist.app.document import Document, Reference, Settings
from paintassist.app.palette import Palette
from paintassist.core.errors import HintsFileError, InputError, PaintAssistError, SketchLoadError
from paintassist.core.lineart import ink_to_grey
from paintassist.core.types import HintSet, Sketch
from paintassist.io.atomic import atomic_write_bytes
from paintassist.io.hints_file import decode_json, hints_to_dict, parse_hints
from paintassist.io.images import is_supported, load_rgb_bytes, load_sketch_bytes
from paintassist.io.png import encode_png

FORMAT = "paintassist-project"
#: File suffix of project files (lower case, with the dot).
PROJECT_SUFFIX = ".paintassist"
VERSION = 1
T = TypeVar("T")


class ProjectError(InputError):
    """A project file is missing, corrupt or from a newer version."""


@dataclass(slots=True)
class ProjectData:
    """Everything read from a project file."""

    sketch: Sketch
    sketch_bytes: bytes
    sketch_path: Path | None
    hints: HintSet
    references: tuple[Reference, ...]
    palette: Palette
    settings: Settings
    warnings: list[str] = field(default_factory=list)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hints_from_json(data: Any, source: Path) -> HintSet:
    """The project's ``hints`` entry is a CLI hints document (same validation, same format)."""
    try:
        return parse_hints(data, source).hints
    except HintsFileError as exc:
        raise ProjectError(source, f"hints: {exc.problem}") from exc


def _png_bytes(img: np.ndarray) -> bytes:
    """uint8 RGB (H, W, 3) or grey (H, W) → PNG bytes, as exports encode them."""
    return encode_png(img)


def project_bytes(doc: Document) -> bytes:
    """Serialise ``doc`` to the zip form. Raises PaintAssistError without a sketch."""
    if doc.sketch is None:
        raise PaintAssistError("nothing to save: no sketch is open")
    sketch_bytes = doc.sketch_bytes
    suffix = ".png"
    if sketch_bytes is None:  # synthetic sketch: embed the ink as a PNG
        sketch_bytes = _png_bytes(ink_to_grey(doc.sketch.ink))
    elif doc.sketch_path is not None and doc.sketch_path.suffix:
        suffix = doc.sketch_path.suffix.lower()
    sketch_name = f"sketch{suffix}"
    refs_json: list[dict[str, Any]] = []
    buf_out = io.BytesIO()
    with zipfile.ZipFile(buf_out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        # PNG/JPEG are already compressed: store the sketch as is.
        zf.writestr(zipfile.ZipInfo(sketch_name), sketch_bytes, compress_type=zipfile.ZIP_STORED)
        for i, ref in enumerate(doc.references):
            name = f"references/{i}.png"
            zf.writestr(
                zipfile.ZipInfo(name), _png_bytes(ref.rgb), compress_type=zipfile.ZIP_STORED
            )
            refs_json.append(
                {"name": ref.name, "path": str(ref.path) if ref.path else None, "embedded": name}
            )
        meta = {
            "format": FORMAT,
            "version": VERSION,
            "sketch": {
                "path": str(doc.sketch_path) if doc.sketch_path else None,
                "sha256": sha256(sketch_bytes),
                "embedded": sketch_name,
            },
            "hints": hints_to_dict(doc.hints),
            "references": refs_json,
            "palette": doc.palette.to_json(),
            "settings": doc.settings.to_json(),
        }
        zf.writestr("project.json", json.dumps(meta, indent=2))
    return buf_out.getvalue()


def save_project(doc: Document, path: str | Path) -> Path:
    """Write ``doc`` to ``path`` atomically; does not touch the document's saved state."""
    return atomic_write_bytes(path, project_bytes(doc))


#: What a project may hold, checked before anything is decoded (a project of a few MB must
#: not take GBs). The sketch and each reference also pass the image loader's pixel limit.
MAX_ENTRIES = 64
MAX_REFERENCES = 16
MAX_ENTRY_BYTES = 512 * 2**20
MAX_TOTAL_BYTES = 1024 * 2**20
MAX_JSON_BYTES = 16 * 2**20
#: Largest reference (pixels): style images need no more, and 16 of them stay under 2 GB.
MAX_REFERENCE_PIXELS = 40_000_000
#: The recorded sketch path is only looked at (to warn that the original changed) when it is a
#: regular image file no larger than this; nothing else outside the project is ever read.
MAX_ORIGINAL_BYTES = 256 * 2**20


def load_project(path: str | Path) -> ProjectData:
    """Read a project file. Raises :class:`ProjectError` naming the file, the field and the
    problem for anything that is not a valid project (never another exception type).

    Reads the zip itself and, only to warn that the original sketch changed, the file at the
    recorded sketch path when it is a regular image file of at most ``MAX_ORIGINAL_BYTES``.
    """
    path = Path(path)
    if not path.is_file():
        raise ProjectError(path, "file not found")
    try:
        with zipfile.ZipFile(path) as zf:
            return _read_project(path, zf)
    except ProjectError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        zlib.error,
        NotImplementedError,
    ) as exc:
        # NotImplementedError: a damaged header naming a compression method zipfile lacks
        raise ProjectError(path, f"not a readable project archive ({exc})") from exc
    except SketchLoadError as exc:
        raise ProjectError(path, exc.problem) from exc
    except (ValueError, InputError) as exc:
        raise ProjectError(path, str(exc)) from exc
    except MemoryError as exc:
        raise ProjectError(path, "not enough memory to open this project") from exc
    except OSError as exc:
        raise ProjectError(path, f"cannot read: {exc}") from exc


def _read_project(path: Path, zf: zipfile.ZipFile) -> ProjectData:
    entries = _entries(path, zf)
    meta = decode_json(
        _member(path, zf, entries, "project.json", MAX_JSON_BYTES), path, ProjectError
    )
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ProjectError(path, "not a paintassist project")
    version = meta.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ProjectError(path, f"version: expected a whole number, got {version!r}")
    if version > VERSION:
        raise ProjectError(path, f"made by a newer paintassist (format {version})")
    sk = _field(path, meta, "sketch", dict)
    embedded = _field(path, sk, "embedded", str, "sketch.")
    recorded = _optional(path, sk, "path", str, "sketch.")
    digest = _optional(path, sk, "sha256", str, "sketch.")
    sketch_bytes = _member(path, zf, entries, embedded, MAX_ENTRY_BYTES)
    if digest and sha256(sketch_bytes) != digest:
        raise ProjectError(path, "the embedded sketch is corrupt (sha256 mismatch)")
    orig = Path(recorded) if recorded else None
    warnings = _original_changed(orig, digest)
    refs_raw = meta.get("references") or []
    if not isinstance(refs_raw, list):
        raise ProjectError(path, "references: expected a list")
    if len(refs_raw) > MAX_REFERENCES:
        raise ProjectError(path, f"references: {len(refs_raw)}, the limit is {MAX_REFERENCES}")
    refs: list[Reference] = []
    used: set[str] = {embedded}
    for i, r in enumerate(refs_raw):
        where = f"references[{i}]."
        if not isinstance(r, dict):
            raise ProjectError(path, f"references[{i}]: expected an object")
        name = _field(path, r, "embedded", str, where)
        if name in used:  # one image listed many times would be decoded many times
            raise ProjectError(path, f"{where}embedded: {name!r} is used twice")
        used.add(name)
        data = _member(path, zf, entries, name, MAX_ENTRY_BYTES)
        rgb = load_rgb_bytes(data, f"{path.name}: {name}", max_pixels=MAX_REFERENCE_PIXELS)
        label = _optional(path, r, "name", str, where) or str(i)
        ref_path = _optional(path, r, "path", str, where)
        refs.append(Reference(rgb, label, Path(ref_path) if ref_path else None))
    hints = hints_from_json(meta.get("hints", {"version": 1, "hints": []}), path)
    palette = Palette.from_json(meta.get("palette") or {"name": "My colours", "colors": []}, path)
    settings = Settings.from_json(meta.get("settings") or {}, where="settings")
    sketch = load_sketch_bytes(sketch_bytes, f"{path.name}: {embedded}", source=orig)
    return ProjectData(sketch, sketch_bytes, orig, hints, tuple(refs), palette, settings, warnings)


def _entries(path: Path, zf: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The archive's members by name, after the count and size limits (from the directory,
    before anything is decompressed)."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ProjectError(path, f"holds {len(infos)} files, the limit is {MAX_ENTRIES}")
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_BYTES:
        raise ProjectError(
            path, f"unpacks to {total / 2**20:,.0f} MB, the limit is {MAX_TOTAL_BYTES // 2**20} MB"
        )
    return {i.filename: i for i in infos}


def _member(
    path: Path, zf: zipfile.ZipFile, entries: dict[str, zipfile.ZipInfo], name: str, limit: int
) -> bytes:
    """One member's bytes, reading at most ``limit`` (a lying size field cannot inflate more)."""
    info = entries.get(name)
    if info is None:
        raise ProjectError(path, f"{name}: missing from the project")
    if info.file_size > limit:
        raise ProjectError(path, f"{name}: {info.file_size:,} bytes, the limit is {limit:,}")
    with zf.open(info) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ProjectError(path, f"{name}: unpacks to more than {limit:,} bytes")
    return data


def _field(path: Path, obj: dict[str, Any], key: str, kind: type[T], where: str = "") -> T:
    value = obj.get(key)
    if not isinstance(value, kind):
        raise ProjectError(path, f"{where}{key}: expected {_KIND_NAMES[kind]}, got {value!r:.60}")
    return value


def _optional(
    path: Path, obj: dict[str, Any], key: str, kind: type[T], where: str = ""
) -> T | None:
    return None if obj.get(key) is None else _field(path, obj, key, kind, where)


_KIND_NAMES: dict[type, str] = {dict: "an object", str: "a string", list: "a list"}


def _original_changed(orig: Path | None, digest: str | None) -> list[str]:
    """A warning when the sketch file at the recorded path differs from the embedded copy. Looks
    only at a regular image file of at most MAX_ORIGINAL_BYTES; an unreadable one is no error
    (the embedded copy is what opens)."""
    if orig is None or digest is None or not is_supported(orig):
        return []
    try:
        if not orig.is_file() or orig.stat().st_size > MAX_ORIGINAL_BYTES:
            return []
        same = sha256(orig.read_bytes()) == digest
    except OSError:
        return []
    if same:
        return []
    return [f"{orig} changed since the project was saved; using the copy stored in the project"]


def apply_project(
    doc: Document, data: ProjectData, project_path: Path | None, *, saved: bool = True
) -> None:
    """Replace ``doc``'s content with ``data`` through :meth:`Document.load`: one ``changed``
    notification, the document clean (``saved`` False: dirty, e.g. recovered work)."""
    doc.load(
        data.sketch,
        data.sketch_bytes,
        data.sketch_path,
        hints=data.hints,
        references=data.references,
        settings=data.settings,
        palette=data.palette,
        project_path=project_path,
        saved=saved,
    )
