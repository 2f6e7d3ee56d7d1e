"""Layered export: a PNG folder with ``manifest.json``, and an OpenRaster ``.ora`` of the same stack.

Layout for a sketch ``page.png`` exported to ``OUT``::

    OUT/page/composite.png lineart.png flats.png color.png shading.png shadow.png lighting.png
             regions.png manifest.json
    OUT/page.ora        (stack.xml + data/*.png + mergedimage.png + Thumbnails/thumbnail.png)

Every file is written atomically and the page folder is swapped in whole, so a crash leaves either
the previous export or the new one, never a mix. Each layer is PNG-encoded once (in parallel) and the
same bytes go into the folder and the ``.ora`` (:func:`paintassist.io.png.encode_png`).
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import cv2
import numpy as np

from paintassist import __version__
from paintassist.core.errors import PaintAssistError
from paintassist.core.layers import (
    EXPORT_LAYERS,
    LAYER_STACK,
    compose,
    is_default,
    spec,
    stack_of,
)
from paintassist.core.progress import CancelFn, ProgressFn, check_cancel, never_cancel, no_progress
from paintassist.core.types import ColorizeResult
from paintassist.io.atomic import atomic_open, atomic_write_bytes, atomic_write_text
from paintassist.io.png import decode_png, encode_png

FORMATS = ("png", "ora")
_ORA_BLEND = {"normal": "svg:src-over", "multiply": "svg:multiply", "screen": "svg:screen"}


class ExportError(PaintAssistError):
    """The export could not be written (message names the path)."""


def layer_images(result: ColorizeResult) -> dict[str, np.ndarray]:
    """Every exported layer of ``result`` as a uint8 image, keyed by name."""
    return {"composite": result.composite, **stack_of(result)}


def _state(
    name: str, visible: Mapping[str, bool] | None, opacity: Mapping[str, float] | None
) -> tuple[bool, float]:
    s = spec(name)
    return bool((visible or {}).get(name, s.visible)), float((opacity or {}).get(name, s.opacity))


def manifest(
    result: ColorizeResult,
    source: str | None,
    visible: Mapping[str, bool] | None = None,
    opacity: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """manifest.json content: the stack bottom to top with blend mode, opacity and visibility."""
    h, w = result.composite.shape[:2]
    return {
        "format": "paintassist-layers",
        "version": 1,
        "app_version": __version__,
        "source": source,
        "width": w,
        "height": h,
        "composite": "composite.png",
        "layers": [
            {
                "name": s.name,
                "file": f"{s.name}.png",
                "blend": s.blend,
                "opacity": _state(s.name, visible, opacity)[1],
                "visible": _state(s.name, visible, opacity)[0],
                "description": s.description,
            }
            for s in LAYER_STACK
        ],
        "regions_encoding": "colour 0xRRGGBB = ((label + 1) * 0x9E3779) mod 2**24, a bijection; "
        "paintassist.core.regions.labels_from_regions_layer inverts it",
        "notes": list(result.notes),
    }


def stack_xml(
    width: int,
    height: int,
    visible: Mapping[str, bool] | None = None,
    opacity: Mapping[str, float] | None = None,
) -> str:
    """OpenRaster ``stack.xml``; layers listed top first, as the spec requires."""
    lines = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        f'<image version="0.0.3" w="{width}" h="{height}" xres="300" yres="300">',
        "  <stack>",
    ]
    for s in reversed(LAYER_STACK):
        shown, alpha = _state(s.name, visible, opacity)
        lines.append(
            f"    <layer name={quoteattr(s.name)} src={quoteattr('data/' + s.name + '.png')}"
            f' composite-op="{_ORA_BLEND[s.blend]}" opacity="{alpha:.3f}"'
            f' visibility="{"visible" if shown else "hidden"}" x="0" y="0"/>'
        )
    lines += ["  </stack>", "</image>", ""]
    return "\n".join(lines)


def _thumbnail(composite: np.ndarray) -> np.ndarray:
    h, w = composite.shape[:2]
    scale = min(1.0, 256.0 / max(h, w))
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(composite, size, interpolation=cv2.INTER_AREA)


def write_ora(path: Path, encoded: dict[str, bytes], thumb: bytes, xml: str) -> Path:
    """Write an OpenRaster file from already-encoded layer PNGs and its ``stack.xml`` (atomically)."""
    with atomic_open(path, "wb") as handle, zipfile.ZipFile(handle, "w") as zf:
        # The mimetype entry must come first and be stored uncompressed (OpenRaster spec).
        zf.writestr(zipfile.ZipInfo("mimetype"), "image/openraster", zipfile.ZIP_STORED)
        zf.writestr("stack.xml", xml, zipfile.ZIP_DEFLATED)
        for s in LAYER_STACK:
            zf.writestr(f"data/{s.name}.png", encoded[s.name], zipfile.ZIP_STORED)
        zf.writestr("mergedimage.png", encoded["composite"], zipfile.ZIP_STORED)
        zf.writestr("Thumbnails/thumbnail.png", thumb, zipfile.ZIP_STORED)
    return path


def _swap_in_folder(staging: Path, final: Path) -> None:
    """Replace ``final`` with ``staging`` so that one of the two complete folders always exists."""
    old = final.with_name(f".{final.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        os.replace(final, old)
    os.replace(staging, final)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def export_result(
    result: ColorizeResult,
    out_dir: str | Path,
    stem: str,
    formats: Iterable[str] = FORMATS,
    *,
    source: str | None = None,
    visible: Mapping[str, bool] | None = None,
    opacity: Mapping[str, float] | None = None,
    progress: ProgressFn = no_progress,
    should_cancel: CancelFn = never_cancel,
) -> list[Path]:
    """Write ``result`` under ``out_dir``; returns the written paths (folder and/or ``.ora``).

    formats: any of "png" (folder of layers + manifest.json) and "ora".
    visible/opacity: the artist's layer settings (name → bool / 0..1), overriding the stack's
    defaults in the manifest and ``stack.xml``; the composite is re-blended with them.
    Raises :class:`ExportError` naming the path on I/O failure and
    :class:`~paintassist.core.errors.Cancelled` if cancelled (nothing partial is left behind).
    """
    fmts = tuple(dict.fromkeys(formats))
    bad = [f for f in fmts if f not in FORMATS]
    if bad or not fmts:
        raise ValueError(
            f"unknown export format(s) {bad or fmts}; choose from {', '.join(FORMATS)}"
        )
    out = Path(out_dir)
    images = layer_images(result)
    if not is_default(visible, opacity):
        images["composite"] = compose(images, visible, opacity)
    h, w = result.composite.shape[:2]
    written: list[Path] = []
    staging = out / f".{stem}.partial"
    try:
        out.mkdir(parents=True, exist_ok=True)
        encoded: dict[str, bytes] = {}
        with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
            futures = {name: pool.submit(encode_png, images[name]) for name in EXPORT_LAYERS}
            for i, name in enumerate(EXPORT_LAYERS):
                encoded[name] = futures[name].result()
                progress("encode", (i + 1) / len(EXPORT_LAYERS))
                if should_cancel():
                    for f in futures.values():
                        f.cancel()
                    check_cancel(should_cancel)
        if "png" in fmts:
            if staging.exists():
                shutil.rmtree(staging)
            staging.mkdir()
            for name in EXPORT_LAYERS:
                atomic_write_bytes(staging / f"{name}.png", encoded[name])
            check_cancel(should_cancel)
            atomic_write_text(
                staging / "manifest.json",
                json.dumps(manifest(result, source, visible, opacity), indent=2) + "\n",
            )
            _swap_in_folder(staging, out / stem)
            written.append(out / stem)
        if "ora" in fmts:
            check_cancel(should_cancel)
            thumb = encode_png(_thumbnail(images["composite"]))
            xml = stack_xml(w, h, visible, opacity)
            written.append(write_ora(out / f"{stem}.ora", encoded, thumb, xml))
        progress("export", 1.0)
    except OSError as exc:
        raise ExportError(f"{exc.filename or out}: cannot write export: {exc.strerror}") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return written


def read_ora_layers(path: str | Path) -> tuple[str, dict[str, np.ndarray]]:
    """Read back an ``.ora`` written by :func:`export_result`: (stack.xml text, name → image)."""
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("stack.xml").decode("utf-8")
        images = {
            Path(n).stem: decode_png(zf.read(n)) for n in zf.namelist() if n.startswith("data/")
        }
    return xml, images
