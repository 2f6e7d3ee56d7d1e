"""Build the colour/line-art training corpus from packaged, freely licensed clip art.

``python -m paintassist.training.corpus --out DIR`` writes, under DIR:

- ``<source>_<split>.npz`` shards: ``color`` uint8 (N, 256, 256, 3) RGB on white, ``ink``
  uint8 (N, 256, 256) with 0 = paper and 255 = full ink (exactly the SVG's dark paint), ``names``
  (N,) str;
- ``manifest.json``: counts per source and split, licences, how the corpus was made.

Sources (installed by their ordinary package managers, never downloaded at run time):

- Debian ``openclipart-svg`` (public domain): only outlined flat-colour drawings are kept;
- npm ``openmoji`` (CC BY-SA 4.0): ``color/svg`` with the line-only ``black/svg``; flags dropped;
- npm ``@iconify-json/streamline-emojis`` (CC BY 4.0): SVG bodies in ``icons.json``.

Near-duplicates (256-bit difference hash of the line art within 6 bits) are dropped, and the
split is a fixed hash of the drawing's name (80 % train, 10 % val, 10 % test).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path

import cv2
import numpy as np

from paintassist.training import svg_render
from paintassist.training.errors import TrainingError

OPENCLIPART_DIR = Path("/usr/share/openclipart/svg")
NPM_DIR = Path("/work/npm/node_modules")

LICENCES = {
    "openclipart": "Public domain (Debian openclipart-svg, CC0/PD dedication)",
    "openmoji": "CC BY-SA 4.0, OpenMoji (openmoji.org), npm package openmoji",
    "streamline": "CC BY 4.0, Streamline Emojis by Streamline "
    "(npm @iconify-json/streamline-emojis)",
}
SPLITS = ("train", "val", "test")


@dataclass(frozen=True, slots=True)
class Job:
    """One drawing to render: colour SVG and line SVG as text, or an SVG path to read."""

    source: str
    name: str
    color_svg: str = ""
    line_svg: str = ""
    path: str = ""


def split_of(name: str) -> str:
    """Fixed split from a hash of the name: 80/10/10 train/val/test."""
    v = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=4).digest(), "big") % 100
    return "train" if v < 80 else ("val" if v < 90 else "test")


def dhash(ink: np.ndarray) -> int:
    """256-bit difference hash of an ink image uint8 (H, W)."""
    small = cv2.resize(ink, (17, 16), interpolation=cv2.INTER_AREA).astype(np.int16)
    bits = (small[:, 1:] > small[:, :-1]).ravel()
    return int(sum(1 << i for i, b in enumerate(bits) if b))


# -- sources ------------------------------------------------------------------------------------
def openmoji_jobs(root: Path) -> Iterator[Job]:
    meta = json.loads((root / "data" / "openmoji.json").read_text(encoding="utf-8"))
    for item in meta:
        if item.get("group") == "flags" or item.get("skintone"):
            continue  # flags: not drawings; skin-tone variants: same line art as the base emoji
        code = item["hexcode"]
        color = root / "color" / "svg" / f"{code}.svg"
        black = root / "black" / "svg" / f"{code}.svg"
        if color.is_file() and black.is_file():
            yield Job("openmoji", f"openmoji/{code}", color.read_text(encoding="utf-8"),
                      black.read_text(encoding="utf-8"))


def streamline_jobs(root: Path) -> Iterator[Job]:
    data = json.loads((root / "icons.json").read_text(encoding="utf-8"))
    w, h = data.get("width", 48), data.get("height", 48)
    for key, icon in data["icons"].items():
        if "flag" in key:
            continue
        iw, ih = icon.get("width", w), icon.get("height", h)
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {iw} {ih}" '
               f'width="{iw * 8}" height="{ih * 8}">{icon["body"]}</svg>')
        yield Job("streamline", f"streamline/{key}", svg, svg_render.line_only_svg(svg))


_BAD = re.compile(r"<image|<filter|<text|<mask|(?:fill|stroke)\s*[:=]\s*[\"']?url\(", re.I)


_PAINT = re.compile(r"""(?:fill|stroke)\s*[:=]\s*["']?(#[0-9a-fA-F]{3,6}|rgb\([^)]*\)|[a-z]+)""")


def openclipart_keep(svg: str) -> bool:
    """Text heuristics for outlined flat-colour drawings: no gradients, raster images, text,
    filters or patterns in use (unused gradient definitions are fine); some dark paint (outlines);
    at least two distinct non-dark, non-white paints."""
    if len(svg) > 400_000 or _BAD.search(svg):
        return False
    paints = _PAINT.findall(svg)
    rgbs = {c for c in (svg_render.parse_colour(p) for p in paints) if c is not None}
    dark = [c for c in rgbs if svg_render.is_dark(c)]
    light = [c for c in rgbs if not svg_render.is_dark(c) and c != (255, 255, 255)]
    return bool(dark) and len(light) >= 2


def openclipart_jobs(root: Path) -> Iterator[Job]:
    for path in sorted(root.rglob("*.svg")):
        yield Job("openclipart", f"openclipart/{path.relative_to(root).with_suffix('')}",
                  path=str(path))


# -- rendering ----------------------------------------------------------------------------------
def render_job(job: Job) -> tuple[str, str, np.ndarray, np.ndarray] | None:
    """Render one job; None when it fails the quality checks (too little/much ink, no colour)."""
    color_svg, line_svg = job.color_svg, job.line_svg
    if job.path:
        try:
            color_svg = Path(job.path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
        if not openclipart_keep(color_svg):
            return None
        line_svg = svg_render.line_only_svg(color_svg)
    color = svg_render.render(color_svg)
    line = svg_render.render(line_svg)
    if color is None or line is None:
        return None
    ink = svg_render.ink_from_render(line)
    inked = ink > 128
    ink_share = float(inked.mean())
    paper = (color.min(axis=2) > 245) | inked
    coloured_share = float((~paper).mean())
    if not (0.005 <= ink_share <= 0.30) or coloured_share < 0.05:
        return None
    # outlined drawings: the ink must be thin strokes (not big dark fills) and not sparse specks
    thick = cv2.erode(inked.astype(np.uint8), np.ones((9, 9), np.uint8)).sum()
    if thick > 0.15 * inked.sum() or ink_share < 0.04 * coloured_share:
        return None
    quant = (color[~paper] // 32).astype(np.int32)
    codes = quant[:, 0] * 64 + quant[:, 1] * 8 + quant[:, 2]
    min_colours = 2 if job.source == "openclipart" else 1
    if np.count_nonzero(np.bincount(codes, minlength=512) > 0.01 * len(codes)) < min_colours:
        return None
    return job.source, job.name, color, ink


def build(out: Path, workers: int = 2, limit: int | None = None) -> dict[str, object]:
    """Render every source into ``out`` and return the manifest (also written to manifest.json).

    Raises :class:`TrainingError` when the SVG renderer (rsvg-convert) is not installed.
    """
    if not svg_render.have_renderer():
        raise TrainingError("rsvg-convert not found: apt-get install -y librsvg2-bin")
    out.mkdir(parents=True, exist_ok=True)
    jobs: list[Job] = []
    if (NPM_DIR / "openmoji").is_dir():
        jobs += list(openmoji_jobs(NPM_DIR / "openmoji"))
    if (NPM_DIR / "@iconify-json" / "streamline-emojis").is_dir():
        jobs += list(streamline_jobs(NPM_DIR / "@iconify-json" / "streamline-emojis"))
    if OPENCLIPART_DIR.is_dir():
        jobs += list(openclipart_jobs(OPENCLIPART_DIR))
    if limit is not None:
        jobs = jobs[:limit]
    t0 = time.time()
    kept: dict[str, list[tuple[str, np.ndarray, np.ndarray]]] = {}
    considered: dict[str, int] = {}
    hashes: list[int] = []
    dup = 0
    with Pool(workers) as pool:
        for i, (job, res) in enumerate(zip(jobs, pool.imap(render_job, jobs, chunksize=8),
                                           strict=True)):
            considered[job.source] = considered.get(job.source, 0) + 1
            if i % 500 == 0:
                print(f"[corpus] {i}/{len(jobs)} {time.time() - t0:.0f}s", flush=True)
            if res is None:
                continue
            source, name, color, ink = res
            h = dhash(ink)
            if hashes and min((h ^ o).bit_count() for o in hashes) <= 6:
                dup += 1
                continue
            hashes.append(h)
            kept.setdefault(f"{source}_{split_of(name)}", []).append((name, color, ink))
    counts: dict[str, dict[str, int]] = {}
    for key, items in sorted(kept.items()):
        source, split = key.rsplit("_", 1)
        np.savez_compressed(
            out / f"{key}.npz",
            color=np.stack([c for _, c, _ in items]),
            ink=np.stack([k for _, _, k in items]),
            names=np.array([n for n, _, _ in items]),
        )
        counts.setdefault(source, {})[split] = len(items)
    manifest: dict[str, object] = {
        "format": "npz shards: color uint8 (N,256,256,3) RGB on white; ink uint8 (N,256,256)",
        "size_px": svg_render.SIZE,
        "counts": counts,
        "considered": considered,
        "near_duplicates_dropped": dup,
        "licences": {s: LICENCES[s] for s in counts},
        "split": "blake2b(name) % 100: <80 train, <90 val, else test",
        "line_art": "same SVG re-rendered with non-dark paints removed (OpenMoji: black/svg set)",
        "build_seconds": round(time.time() - t0, 1),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True, help="corpus folder (outside the repo)")
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--limit", type=int, default=None, help="render only the first N drawings")
    args = ap.parse_args(argv)
    try:
        manifest = build(args.out, args.workers, args.limit)
    except TrainingError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(json.dumps(manifest["counts"], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
