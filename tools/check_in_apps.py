"""Open our .psd and .ora in the painting programs installed here and compare what they flatten
with our composite.png. A manual check, not part of CI (it needs GIMP / Krita / MyPaint).

    python tools/check_in_apps.py                      # a bundled sample, into a temporary folder
    python tools/check_in_apps.py --sketch page.png --out /tmp/check --keep

For each application found on PATH it loads each file headless, flattens it, and prints the
difference to composite.png in 0..255 levels (max, mean, share of pixels off by more than 2),
the resolution the application saw and, for GIMP, the layers as it read them. Two exports are
checked: the stack as shipped and one with artist settings (``shadow`` hidden, ``lighting`` at
60 %, ``lineart`` at 85 %), so visibility and opacity matter; and each file once more with its
merged image painted black, so a match can only come from the application blending our layers
with our blend modes, not from it showing the stored composite.

- GIMP 2.10: ``gimp -i -b`` (Script-Fu): gimp-file-load, gimp-image-flatten, file-png-save.
- Krita 5: ``krita --export --export-filename OUT.png FILE`` (under xvfb-run without a display;
  a private HOME, so the user's Krita settings are untouched).
- MyPaint 2: its own Python library (``/usr/lib/mypaint``), loading the .ora and rendering it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from paintassist.app.services import build_pipeline  # noqa: E402
from paintassist.core.types import ColorizeOptions, ColorizeRequest, HintSet, LightSettings  # noqa: E402
from paintassist.io.export import export_result, layer_images  # noqa: E402
from paintassist.io.hints_file import load_hints  # noqa: E402
from paintassist.io.images import load_sketch  # noqa: E402
from paintassist.io.png import encode_png  # noqa: E402
from paintassist.io.psd import write_psd  # noqa: E402
from paintassist.paths import sample_sketches  # noqa: E402

TOLERANCE = 3  # levels: uint8 blending rounds differently from program to program
ARTIST = ({"shadow": False}, {"lighting": 0.6, "lineart": 0.85})

Flatten = Callable[[Path, Path], str]  # (file, png to write) -> notes; raises RuntimeError


def _run(cmd: list[str], env: dict[str, str] | None = None, timeout: float = 300) -> str:
    proc = subprocess.run(
        cmd, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )
    return proc.stdout + proc.stderr


def _scheme(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def gimp_flatten(src: Path, dst: Path) -> str:
    script = f"""
(let* ((image (car (gimp-file-load RUN-NONINTERACTIVE {_scheme(str(src))} {_scheme(src.name)})))
       (layers (vector->list (cadr (gimp-image-get-layers image)))))
  (gimp-message (string-append "resolution "
    (number->string (car (gimp-image-get-resolution image))) " dpi"))
  (for-each (lambda (l) (gimp-message (string-append "layer " (car (gimp-item-get-name l))
      " mode=" (number->string (car (gimp-layer-get-mode l)))
      " opacity=" (number->string (car (gimp-layer-get-opacity l)))
      " visible=" (number->string (car (gimp-item-get-visible l))))))
    layers)
  (let ((flat (car (gimp-image-flatten image))))
    (file-png-save-defaults RUN-NONINTERACTIVE image flat {_scheme(str(dst))} {_scheme(dst.name)}))
  (gimp-image-delete image))"""
    out = _run(
        ["gimp", "-i", "-d", "-f", "-b", "(gimp-message-set-handler CONSOLE)", "-b", script,
         "-b", "(gimp-quit 0)"]
    )  # fmt: skip
    notes = [ln.split("script-fu-Warning: ", 1)[1] for ln in out.splitlines() if "Warning: " in ln]
    if not dst.exists():
        error = [ln for ln in out.splitlines() if "Error" in ln or "error" in ln]
        raise RuntimeError("; ".join(error[-2:]) or out.strip()[-300:])
    modes = {"28": "normal", "30": "multiply", "31": "screen"}  # GIMP 2.10's layer modes
    for code, name in modes.items():
        notes = [n.replace(f"mode={code} ", f"mode={name} ") for n in notes]
    return "; ".join(notes)


def krita_flatten(src: Path, dst: Path, home: Path) -> str:
    env = {**os.environ, "HOME": str(home)}
    env.pop("QT_QPA_PLATFORM", None)  # Krita needs a real (virtual) display
    cmd = ["krita", "--nosplash", "--export", "--export-filename", str(dst), str(src)]
    if not os.environ.get("DISPLAY") and shutil.which("xvfb-run"):
        cmd = ["xvfb-run", "-a", *cmd]
    out = _run(cmd, env=env)
    if not dst.exists():
        raise RuntimeError(out.strip()[-300:] or "no output written")
    return ""


_MYPAINT = r"""
import sys
sys.path.insert(0, "/usr/lib/mypaint")
import lib.document
src, dst, w, h = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
import xml.etree.ElementTree as ET
import zipfile
import lib.eotf
# What the MyPaint 2 window does (gui/compatibility.py, ora_compat_handler): a file's
# mypaint:eotf decides 1.x (1.0: blend sRGB values) or 2.x (linear light) mode; a file without
# one opens in 1.x unless it has pigment layers (the default preference).
image = ET.fromstring(zipfile.ZipFile(src).read("stack.xml"))
eotf = image.get("{http://mypaint.org/ns/openraster}eotf")
lib.eotf.set_eotf(float(eotf) if eotf is not None else 1.0)
doc = lib.document.Document()
doc.load(src)
modes = {0: "normal", 1: "multiply", 2: "screen"}  # lib.modes' first three
layers = [
    f"{l.name} mode={modes.get(l.mode, l.mode)} opacity={l.opacity:.2f} visible={int(l.visible)}"
    for l in doc.layer_stack.deepiter()
]
mode = "1.x" if lib.eotf.eotf() == 1.0 else "2.x (linear light)"
print("notes", f"mode {mode} (eotf {eotf}); resolution {doc.get_resolution()} dpi; " + "; ".join(layers))
doc.layer_stack.save_as_png(dst, 0, 0, w, h, alpha=False, render_background=True)
"""


def mypaint_flatten(src: Path, dst: Path) -> str:
    with Image.open(src.with_name("composite.png")) as img:
        w, h = img.size
    out = _run(["/usr/bin/python3", "-c", _MYPAINT, str(src), str(dst), str(w), str(h)])
    if not dst.exists():
        raise RuntimeError(out.strip()[-400:])
    return " ".join(ln[6:] for ln in out.splitlines() if ln.startswith("notes "))


def compare(flat_png: Path, composite: np.ndarray) -> tuple[str, bool]:
    with Image.open(flat_png) as img:
        dpi = img.info.get("dpi")
        got = np.asarray(img.convert("RGB")).astype(np.int16)
    if got.shape != composite.shape:
        return (
            f"size {got.shape[1]}x{got.shape[0]}, expected {composite.shape[1]}x{composite.shape[0]}",
            False,
        )
    diff = np.abs(got - composite.astype(np.int16)).max(axis=2)
    ok = int(diff.max()) <= TOLERANCE
    where = f", dpi {dpi[0]:.0f}" if dpi else ", no dpi"
    text = (
        f"max {int(diff.max())}, mean {diff.mean():.4f}, "
        f"{100 * (diff > 2).mean():.3f} % of pixels off by > 2{where}"
    )
    return text, ok


def black_merged(folder: Path, stem: str, result, visible, opacity, dpi) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    """Copies of the .psd and .ora whose merged image (and thumbnail) is black."""
    images = layer_images(result)
    stack = {n: img for n, img in images.items() if n != "composite"}
    black = np.zeros_like(images["composite"])
    psd = write_psd(folder / f"{stem}-layers-only.psd", stack, black, visible, opacity, dpi)
    ora = folder / f"{stem}-layers-only.ora"
    with zipfile.ZipFile(folder / f"{stem}.ora") as src, zipfile.ZipFile(ora, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename in ("mergedimage.png", "Thumbnails/thumbnail.png"):
                data = encode_png(np.zeros((*Image.open(src.open(info)).size[::-1], 3), np.uint8))
            dst.writestr(info, data)
    return {"psd": psd, "ora": ora}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sketch", type=Path, default=None, help="default: a bundled sample")
    parser.add_argument("--out", type=Path, default=None, help="default: a temporary folder")
    parser.add_argument("--keep", action="store_true", help="keep the files (with --out)")
    parser.add_argument("--classical", action="store_true", help="no networks")
    parser.add_argument("--dpi", type=float, default=600.0, help="resolution to export (600)")
    args = parser.parse_args(argv)

    apps: dict[str, Flatten] = {}
    home = Path(tempfile.mkdtemp(prefix="check-in-apps-home-"))
    if shutil.which("gimp"):
        apps["GIMP " + _run(["gimp", "--version"]).split()[-1]] = gimp_flatten
    if shutil.which("krita"):
        cmd = ["krita", "--version"]
        if not os.environ.get("DISPLAY") and shutil.which("xvfb-run"):
            cmd = ["xvfb-run", "-a", *cmd]
        found = re.search(r"krita\s+(\d[\w.+~-]*)", _run(cmd), re.IGNORECASE)
        apps["Krita " + (found.group(1) if found else "?")] = lambda s, d: krita_flatten(s, d, home)
    if Path("/usr/lib/mypaint/lib/document.py").exists():
        apps["MyPaint (lib)"] = mypaint_flatten
    if not apps:
        print("none of GIMP, Krita, MyPaint is installed: nothing to check")
        return 0

    sketch_path = args.sketch or sample_sketches()[0]
    sketch = load_sketch(sketch_path)
    sketch = replace(sketch, dpi=sketch.dpi or (args.dpi, args.dpi))
    hints_path = sketch_path.with_suffix(".json")
    hints = load_hints(hints_path).hints if hints_path.exists() else HintSet()
    pipeline = build_pipeline(use_networks=not args.classical)
    options = ColorizeOptions(use_networks=not args.classical, light=LightSettings(enabled=True))
    result = pipeline.run(ColorizeRequest(sketch, hints, (), options))
    out = args.out or Path(tempfile.mkdtemp(prefix="check-in-apps-"))
    print(f"{sketch_path.name}: {sketch.shape[1]}x{sketch.shape[0]} at {sketch.dpi} dpi, "
          f"{pipeline.nets_status}; files in {out}")  # fmt: skip

    failures = unopened = 0
    for label, (visible, opacity) in (("as shipped", (None, None)), ("artist settings", ARTIST)):
        stem = "page" if visible is None else "page-artist"
        export_result(
            result, out, stem, ("png", "ora", "psd"), dpi=sketch.dpi, visible=visible,
            opacity=opacity,
        )  # fmt: skip
        folder = out / stem
        with Image.open(folder / "composite.png") as img:
            composite = np.asarray(img.convert("RGB"))
        layers = [
            layer["name"] for layer in json.loads((folder / "manifest.json").read_text())["layers"]
        ]
        print(f"\n== {label}: layers {layers}, visible {visible}, opacity {opacity}")
        files = {"psd": folder / f"{stem}.psd", "ora": folder / f"{stem}.ora"}
        blind = black_merged(folder, stem, result, visible, opacity, sketch.dpi)
        for app, flatten in apps.items():
            for kind in ("psd", "ora"):
                for variant, path in (("", files[kind]), (" (merged image black)", blind[kind])):
                    if app.startswith("MyPaint") and kind == "psd":
                        continue  # MyPaint opens no PSD
                    dst = folder / f"flat-{app.split()[0].lower()}-{path.stem}-{kind}.png"
                    dst.unlink(missing_ok=True)
                    name = f"{app:14s} .{kind}{variant}"
                    try:
                        notes = flatten(path, dst)
                    except (RuntimeError, subprocess.TimeoutExpired, OSError) as exc:
                        print(f"{name}: cannot open: {str(exc).strip()}")
                        unopened += 1
                        continue
                    text, ok = compare(dst, composite)
                    failures += not ok
                    print(f"{name}: {'OK  ' if ok else 'DIFF'} {text}")
                    if notes and not variant:
                        print(f"{'':16s}read as: {notes}")
    if args.out is None or not args.keep:
        shutil.rmtree(home, ignore_errors=True)
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)
    print(
        f"\n{failures} file(s) flattened differently from composite.png (tolerance {TOLERANCE}); "
        f"{unopened} could not be opened"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
