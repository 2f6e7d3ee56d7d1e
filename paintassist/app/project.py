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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from paintassist.app.document import Document, Reference, Settings
from paintassist.app.palette import Palette
from paintassist.core.errors import HintsFileError, InputError, PaintAssistError
from paintassist.core.lineart import ink_to_grey
from paintassist.core.types import HintSet, Sketch
from paintassist.io.atomic import atomic_write_bytes
from paintassist.io.hints_file import hints_to_dict, parse_hints
from paintassist.io.images import load_sketch_bytes
from paintassist.io.png import encode_png

FORMAT = "paintassist-project"
#: File suffix of project files (lower case, with the dot).
PROJECT_SUFFIX = ".paintassist"
VERSION = 1


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


def load_project(path: str | Path) -> ProjectData:
    """Read a project file. Raises :class:`ProjectError` naming the file and the problem."""
    path = Path(path)
    if not path.is_file():
        raise ProjectError(path, "file not found")
    warnings: list[str] = []
    try:
        with zipfile.ZipFile(path) as zf:
            meta = json.loads(zf.read("project.json").decode("utf-8"))
            if not isinstance(meta, dict) or meta.get("format") != FORMAT:
                raise ProjectError(path, "not a paintassist project")
            if int(meta.get("version", 0)) > VERSION:
                raise ProjectError(path, f"made by a newer paintassist (format {meta['version']})")
            sk = meta.get("sketch") or {}
            orig = Path(sk["path"]) if sk.get("path") else None
            sketch_bytes = zf.read(sk["embedded"])
            if sk.get("sha256") and sha256(sketch_bytes) != sk["sha256"]:
                raise ProjectError(path, "the embedded sketch is corrupt (sha256 mismatch)")
            if orig is not None and orig.is_file():
                on_disk = orig.read_bytes()
                if sha256(on_disk) != sk.get("sha256"):
                    warnings.append(
                        f"{orig} changed since the project was saved; "
                        "using the copy stored in the project"
                    )
            refs: list[Reference] = []
            for i, r in enumerate(meta.get("references") or []):
                raw = np.frombuffer(zf.read(r["embedded"]), np.uint8)
                bgr = cv2.imdecode(raw, cv2.IMREAD_COLOR)
                if bgr is None:
                    raise ProjectError(path, f"reference {i} is not a readable image")
                refs.append(
                    Reference(
                        cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB),
                        str(r.get("name") or i),
                        Path(r["path"]) if r.get("path") else None,
                    )
                )
            hints = hints_from_json(meta.get("hints", {"version": 1, "hints": []}), path)
            palette = Palette.from_json(
                meta.get("palette") or {"name": "My colours", "colors": []}, path
            )
            settings = Settings.from_json(meta.get("settings") or {}, where=f"{path.name}: settings")
            embedded_name = str(sk["embedded"])
    except ProjectError:
        raise
    except (
        zipfile.BadZipFile,
        KeyError,
        json.JSONDecodeError,
        UnicodeDecodeError,
        TypeError,
        ValueError,
    ) as exc:
        raise ProjectError(path, f"corrupt project file ({type(exc).__name__}: {exc})") from exc
    except OSError as exc:
        raise ProjectError(path, f"cannot read: {exc}") from exc
    sketch = load_sketch_bytes(
        sketch_bytes, f"{path.name}: {embedded_name}", source=orig
    )
    return ProjectData(sketch, sketch_bytes, orig, hints, tuple(refs), palette, settings, warnings)


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
