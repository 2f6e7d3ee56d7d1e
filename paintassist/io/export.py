"""Layered export: a PNG folder with ``manifest.json``, and an OpenRaster ``.ora`` and a Photoshop
``.psd`` of the same stack.

Layout for a sketch ``page.png`` exported to ``OUT`` (the page's name follows
:mod:`paintassist.io.naming`)::

    OUT/page/composite.png lineart.png flats.png color.png shading.png shadow.png lighting.png
             tone.png regions.png sketch.png manifest.json
             page.ora   (stack.xml + data/*.png + mergedimage.png + Thumbnails/thumbnail.png)
             page.psd   (the same layers, the composite as its merged image; psd-tools)

A layer that changes nothing (``shadow`` all white, ``lighting`` all black: always so with the
light pass off; ``tone`` on a page without screentone) is not written in any format; the manifest
lists the layers written. ``sketch``, the input itself at full resolution, is in every export,
hidden (on top, in multiply).
Every PNG (in the folder and in the ``.ora``) is tagged sRGB and carries the page's resolution
(pHYs); ``stack.xml`` and the ``.psd`` carry it too. The resolution is the sketch's
(``Sketch.dpi``); a sketch that states none is written at 300 dpi and the manifest says it was
assumed.

Everything of one page lives in its folder, which is built in a private staging folder and
swapped in whole (one atomic ``renameat2(RENAME_EXCHANGE)`` on Linux; elsewhere two renames whose
gap the next export rolls back), so a kill at any point leaves the previous page or the new one,
never a mix. One writer per page: a second process exporting the same page into the same ``OUT``
gets :class:`ExportBusy` at once instead of interleaving. Each layer is PNG-encoded once (in
parallel) and the same bytes go into the folder and the ``.ora``.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import glob
import json
import os
import secrets
import shutil
import sys
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import cv2
import numpy as np

from paintassist import __version__
from paintassist.core.errors import PaintAssistError
from paintassist.core.layers import (
    LAYER_NAMES,
    LAYER_STACK,
    compose,
    is_default,
    spec,
    stack_of,
)
from paintassist.core.progress import CancelFn, ProgressFn, check_cancel, never_cancel, no_progress
from paintassist.core.types import ColorizeResult
from paintassist.io.atomic import atomic_open, atomic_write_bytes, atomic_write_text
from paintassist.io.naming import is_safe_name
from paintassist.io.png import decode_png, encode_png
from paintassist.io.psd import write_psd

#: Every format :func:`export_result` writes; DEFAULT_FORMATS is what it writes when not told.
FORMATS = ("png", "ora", "psd")
DEFAULT_FORMATS = ("png", "ora")
#: The resolution written for a sketch whose file states none.
DEFAULT_DPI = 300.0
_MYPAINT_NS = "http://mypaint.org/ns/openraster"
_ORA_BLEND = {"normal": "svg:src-over", "multiply": "svg:multiply", "screen": "svg:screen"}


class ExportError(PaintAssistError):
    """The export could not be written (message names the path)."""


class ExportBusy(ExportError):
    """Another process is writing the same page into the same folder right now."""


def layer_images(result: ColorizeResult) -> dict[str, np.ndarray]:
    """Every exported image of ``result`` as uint8, keyed by name: ``composite`` first, then the
    stack layers bottom to top, without the light-pass layers that change nothing."""
    stack = stack_of(result)
    return {"composite": result.composite, **{n: stack[n] for n in written_layers(result)}}


def written_layers(result: ColorizeResult) -> tuple[str, ...]:
    """The stack layers an export writes, bottom to top: all but a layer that changes nothing —
    ``shadow`` (multiply) all white or ``lighting`` (screen) all black, as the pipeline makes them
    with the light pass off, ``tone`` on a page without screentone — and the ``sketch`` of a
    result that has none. Leaving them out changes no composite."""
    skip = set()
    if int(result.shadow.min()) == 255:
        skip.add("shadow")
    if int(result.lighting.max()) == 0:
        skip.add("lighting")
    if result.tone is None or int(result.tone.min()) == 255:
        skip.add("tone")
    if result.sketch is None:
        skip.add("sketch")
    return tuple(n for n in LAYER_NAMES if n not in skip)


def resolution(dpi: tuple[float, float] | None) -> tuple[tuple[float, float], bool]:
    """(the dpi to write, whether the input stated it): ``dpi`` itself, or 300 × 300 assumed."""
    if dpi is None:
        return (DEFAULT_DPI, DEFAULT_DPI), False
    return (float(dpi[0]), float(dpi[1])), True


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
    *,
    dpi: tuple[float, float] | None = None,
    layered_files: Iterable[str] = (),
) -> dict[str, Any]:
    """manifest.json content: the layers written, bottom to top, with blend mode, opacity and
    visibility; the resolution and whether the input stated it; the layered files beside it."""
    h, w = result.composite.shape[:2]
    names = written_layers(result)
    (xdpi, ydpi), stated = resolution(dpi)
    return {
        "format": "paintassist-layers",
        "version": 1,
        "app_version": __version__,
        "source": source,
        "width": w,
        "height": h,
        "dpi": [xdpi, ydpi],
        "dpi_source": "input" if stated else "assumed",
        "color_space": "sRGB",
        "composite": "composite.png",
        "layered_files": list(layered_files),
        "not_written": [n for n in LAYER_NAMES if n not in names],
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
            if s.name in names
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
    *,
    names: Iterable[str] = LAYER_NAMES,
    dpi: tuple[float, float] = (DEFAULT_DPI, DEFAULT_DPI),
) -> str:
    """OpenRaster ``stack.xml`` of the layers ``names``; listed top first, as the spec requires;
    ``xres``/``yres`` in whole dots per inch. ``mypaint:eotf="1.0"`` tells MyPaint 2 to blend the file
    as it was made, on sRGB values (its "1.x" mode, as Krita, GIMP and Photoshop do) instead of
    in linear light, which its preferences may choose for a file that does not say."""
    lines = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        f'<image version="0.0.3" w="{width}" h="{height}"'
        f' xres="{_dpi_text(dpi[0])}" yres="{_dpi_text(dpi[1])}"'
        f' xmlns:mypaint="{_MYPAINT_NS}" mypaint:eotf="1.0">',
        "  <stack>",
    ]
    shown_names = set(names)
    for s in reversed(LAYER_STACK):
        if s.name not in shown_names:
            continue
        shown, alpha = _state(s.name, visible, opacity)
        lines.append(
            f"    <layer name={quoteattr(s.name)} src={quoteattr('data/' + s.name + '.png')}"
            f' composite-op="{_ORA_BLEND[s.blend]}" opacity="{alpha:.3f}"'
            f' visibility="{"visible" if shown else "hidden"}" x="0" y="0"/>'
        )
    lines += ["  </stack>", "</image>", ""]
    return "\n".join(lines)


def _dpi_text(value: float) -> str:
    """The OpenRaster spec's integer pixels per inch (MyPaint reads ``xres`` with ``int()``)."""
    return str(max(1, round(value)))


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
            if s.name in encoded:
                zf.writestr(f"data/{s.name}.png", encoded[s.name], zipfile.ZIP_STORED)
        zf.writestr("mergedimage.png", encoded["composite"], zipfile.ZIP_STORED)
        zf.writestr("Thumbnails/thumbnail.png", thumb, zipfile.ZIP_STORED)
    return path


@contextlib.contextmanager
def _page_lock(out: Path, name: str) -> Iterator[None]:
    """Hold the page's lock (``OUT/.<name>.lock``) for the export; ExportBusy when another
    process holds it. The OS drops a lock when its holder dies, so a killed export never blocks
    the next one; the file is removed on release (safely: a lock taken on a file that was removed
    meanwhile is retaken on the new one)."""
    path = out / f".{name}.lock"
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise ExportBusy(
                f"{out / name}: another paintassist is writing this page now; not written"
            ) from None
        try:
            if os.fstat(fd).st_ino == os.stat(path).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)  # the holder before us removed the file after we opened it: retake
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)  # closing releases the lock


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two existing paths (Linux renameat2 RENAME_EXCHANGE); False where the
    platform or file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _old(final: Path) -> Path:
    return final.with_name(f".{final.name}.old")


def _tidy(out: Path, final: Path) -> None:
    """Under the page's lock: undo a swap a kill interrupted (the previous page comes back from
    ``.<name>.old``) and remove stale staging folders of this page."""
    old = _old(final)
    if old.is_dir() and not final.exists():
        os.replace(old, final)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
    for stale in out.glob(f".{glob.escape(final.name)}.*.partial"):
        if _staging_owner(stale.name) == final.name:  # not another page's whose name goes on
            shutil.rmtree(stale, ignore_errors=True)


_TOKEN = 8  # hex digits of a staging folder's random part


def _staging_folder(out: Path, name: str) -> Path:
    """A new private staging folder ``OUT/.<name>.<8 hex>.partial``."""
    while True:
        path = out / f".{name}.{secrets.token_hex(_TOKEN // 2)}.partial"
        try:
            path.mkdir()
            return path
        except FileExistsError:
            continue


def _staging_owner(folder_name: str) -> str | None:
    """The page name a staging folder's name belongs to, or None when it is none of ours."""
    core = folder_name[1:].removesuffix(".partial")
    owner, _, token = core.rpartition(".")
    ok = folder_name.startswith(".") and folder_name.endswith(".partial") and len(token) == _TOKEN
    return owner if ok and all(c in "0123456789abcdef" for c in token) else None


def _swap_in_folder(staging: Path, final: Path) -> None:
    """Replace ``final`` with ``staging`` so that one of the two complete folders always exists."""
    if not final.exists():
        os.replace(staging, final)
        return
    if _exchange(staging, final):
        shutil.rmtree(staging, ignore_errors=True)  # now the previous page
        return
    old = _old(final)
    os.replace(final, old)  # a kill here leaves .<name>.old, which _tidy puts back
    os.replace(staging, final)
    shutil.rmtree(old, ignore_errors=True)


def _check_target(out: Path, name: str) -> Path:
    if not is_safe_name(name):
        raise ExportError(f"{out}: {name!r} is not a safe page name (see paintassist.io.naming)")
    final = out / name
    if final.is_symlink():
        raise ExportError(
            f"{final}: is a symbolic link; page folders are replaced whole, so paintassist neither "
            "writes through nor removes a link: remove it or export to another folder"
        )
    if final.exists() and not final.is_dir():
        raise ExportError(f"{final}: exists and is not a page folder; not replaced")
    return final


def export_result(
    result: ColorizeResult,
    out_dir: str | Path,
    stem: str,
    formats: Iterable[str] = DEFAULT_FORMATS,
    *,
    source: str | None = None,
    dpi: tuple[float, float] | None = None,
    visible: Mapping[str, bool] | None = None,
    opacity: Mapping[str, float] | None = None,
    progress: ProgressFn = no_progress,
    should_cancel: CancelFn = never_cancel,
) -> list[Path]:
    """Write ``result`` as the page folder ``out_dir/stem``; returns the written paths (the
    folder with the PNG layers, and/or the ``.ora`` and ``.psd`` inside it, in that order).

    stem: the page name, already safe (:func:`paintassist.io.naming.safe_name`); any other is
    an ExportError, so nothing is ever written outside ``out_dir``.
    formats: any of "png" (layers + manifest.json), "ora" and "psd".
    dpi: the sketch's resolution (``Sketch.dpi``), written into every file; None = the sketch
    stated none: 300 is written and the manifest says ``"dpi_source": "assumed"``.
    visible/opacity: the artist's layer settings (name → bool / 0..1), overriding the stack's
    defaults in the manifest, ``stack.xml`` and the ``.psd``; the composite is re-blended with
    them.
    Raises :class:`ExportError` naming the path on I/O failure, :class:`ExportBusy` when another
    process writes the same page, and :class:`~paintassist.core.errors.Cancelled` if cancelled
    (nothing partial is left behind).
    """
    fmts = tuple(dict.fromkeys(formats))
    bad = [f for f in fmts if f not in FORMATS]
    if bad or not fmts:
        raise ValueError(
            f"unknown export format(s) {bad or fmts}; choose from {', '.join(FORMATS)}"
        )
    out = Path(out_dir)
    final = _check_target(out, stem)
    images = layer_images(result)
    if not is_default(visible, opacity):
        images["composite"] = compose(images, visible, opacity)
    stack = {n: img for n, img in images.items() if n != "composite"}
    page_dpi, _ = resolution(dpi)
    h, w = result.composite.shape[:2]
    staging: Path | None = None
    try:
        out.mkdir(parents=True, exist_ok=True)
        with _page_lock(out, stem):
            _tidy(out, final)
            encoded = (
                _encode_all(images, page_dpi, progress, should_cancel)
                if "png" in fmts or "ora" in fmts
                else {}
            )
            staging = _staging_folder(out, stem)
            written: list[Path] = []
            if "png" in fmts:
                for name in images:
                    atomic_write_bytes(staging / f"{name}.png", encoded[name])
                check_cancel(should_cancel)
                layered = [f"{stem}.{f}" for f in ("ora", "psd") if f in fmts]
                text = manifest(result, source, visible, opacity, dpi=dpi, layered_files=layered)
                atomic_write_text(staging / "manifest.json", json.dumps(text, indent=2) + "\n")
                written.append(final)
            if "ora" in fmts:
                check_cancel(should_cancel)
                thumb = encode_png(_thumbnail(images["composite"]), srgb=True)
                xml = stack_xml(w, h, visible, opacity, names=stack, dpi=page_dpi)
                write_ora(staging / f"{stem}.ora", encoded, thumb, xml)
                written.append(final / f"{stem}.ora")
            if "psd" in fmts:
                check_cancel(should_cancel)
                write_psd(
                    staging / f"{stem}.psd", stack, images["composite"], visible, opacity, page_dpi
                )
                written.append(final / f"{stem}.psd")
            check_cancel(should_cancel)
            _swap_in_folder(staging, final)
        progress("export", 1.0)
    except OSError as exc:
        raise ExportError(f"{exc.filename or out}: cannot write export: {exc.strerror}") from None
    finally:
        if staging is not None and staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return written


def _encode_all(
    images: dict[str, np.ndarray],
    dpi: tuple[float, float],
    progress: ProgressFn,
    should_cancel: CancelFn,
) -> dict[str, bytes]:
    """Every exported image PNG-encoded (tagged sRGB, with its resolution), in parallel
    (encoding dominates an A4 export)."""
    encoded: dict[str, bytes] = {}
    encode = functools.partial(encode_png, dpi=dpi, srgb=True)
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        futures = {name: pool.submit(encode, img) for name, img in images.items()}
        for i, name in enumerate(images):
            encoded[name] = futures[name].result()
            progress("encode", (i + 1) / len(images))
            if should_cancel():
                for f in futures.values():
                    f.cancel()
                check_cancel(should_cancel)
    return encoded


def read_ora_layers(path: str | Path) -> tuple[str, dict[str, np.ndarray]]:
    """Read back an ``.ora`` written by :func:`export_result`: (stack.xml text, name → image)."""
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("stack.xml").decode("utf-8")
        images = {
            Path(n).stem: decode_png(zf.read(n)) for n in zf.namelist() if n.startswith("data/")
        }
    return xml, images
