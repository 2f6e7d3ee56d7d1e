"""Make the bundled sample sketches from public-domain openclipart drawings (Debian openclipart-svg).

For each drawing: render the colour SVG, re-render it with every non-dark fill removed to get line
art that matches the colour exactly, then place one accurate dot per large flat-colour area (at its
most interior pixel, with its colour) and write ``resources/samples/<name>.png`` + ``<name>.json``.
Only the line art and the hints are shipped; the colour render stays in /tmp for checking.

    apt-get install openclipart-svg librsvg2-bin && python tools/make_samples.py
"""

from __future__ import annotations

import argparse
import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import cv2
import numpy as np

from paintassist.core.types import Hint, HintSet
from paintassist.io.hints_file import save_hints
from paintassist.io.png import encode_png

CLIPART = Path("/usr/share/openclipart/svg")
SAMPLES = {
    # name: (svg path under CLIPART, rendered height px)
    "blue_haired_girl": ("people/blue_girl_dirk_struve_.svg", 1400),
    "chibi_girl": ("people/chibi_character_rick_.svg", 1400),
}
_COLOR = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")


def _is_dark(value: str) -> bool:
    m = _COLOR.search(value)
    if m is None:
        return value.strip() in ("black", "#000")
    h = m.group(1)
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    # Only near-black counts as ink: dark but saturated fills (navy hair) are colour, not lines.
    return max(int(h[i : i + 2], 16) for i in (0, 2, 4)) < 80


def _style_translucent(style: str) -> bool:
    for part in style.split(";"):
        key, _, value = part.partition(":")
        if key.strip() in ("opacity", "fill-opacity"):
            try:
                return float(value) < 0.9
            except ValueError:
                return False
    return False


def strip_fills(svg: bytes) -> bytes:
    """SVG with every non-dark fill set to none (strokes and dark fills = the ink stay)."""
    root = ET.fromstring(svg)
    for el in root.iter():
        fill = el.get("fill")
        if fill is not None and fill != "none" and not _is_dark(fill):
            el.set("fill", "none")
        opacity = el.get("opacity") or el.get("fill-opacity")
        translucent = opacity is not None and float(opacity) < 0.9
        if translucent and fill not in (None, "none"):
            el.set("fill", "none")
        style = el.get("style")
        if style and "fill:" in style:
            parts = []
            for part in style.split(";"):
                key, _, value = part.partition(":")
                if (
                    key.strip() == "fill"
                    and value.strip() != "none"
                    and (translucent or not _is_dark(value) or _style_translucent(style))
                ):
                    part = "fill:none"
                parts.append(part)
            el.set("style", ";".join(parts))
    return ET.tostring(root)


def render(svg: bytes, height: int) -> np.ndarray:
    """SVG bytes → uint8 (H, W, 3) RGB on white."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.svg"
        out = Path(tmp) / "out.png"
        src.write_bytes(svg)
        subprocess.run(
            ["rsvg-convert", "-h", str(height), "-b", "white", "-o", str(out), str(src)], check=True
        )
        bgr = cv2.imread(str(out), cv2.IMREAD_COLOR)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def crop_to_content(
    color: np.ndarray, line: np.ndarray, long_side: int
) -> tuple[np.ndarray, np.ndarray]:
    """Crop both renders to the drawing (plus a margin) and scale the long side to ``long_side``."""
    ys, xs = np.nonzero(color.min(axis=2) < 250)
    margin = 40
    y0, y1 = max(0, ys.min() - margin), min(color.shape[0], ys.max() + margin)
    x0, x1 = max(0, xs.min() - margin), min(color.shape[1], xs.max() + margin)
    scale = long_side / max(y1 - y0, x1 - x0)
    size = (round((x1 - x0) * scale), round((y1 - y0) * scale))
    return tuple(  # type: ignore[return-value]
        cv2.resize(img[y0:y1, x0:x1], size, interpolation=cv2.INTER_AREA) for img in (color, line)
    )


def visible_ink(line: np.ndarray, color: np.ndarray) -> np.ndarray:
    """Grey line art keeping only ink that is visible in the colour drawing (strokes hidden under
    fills in the SVG would otherwise cross faces). Returns uint8 (H, W), 255 = paper."""
    grey = cv2.cvtColor(line, cv2.COLOR_RGB2GRAY).astype(np.float32)
    hidden = np.clip((color.max(axis=2).astype(np.float32) - 60.0) / 60.0, 0.0, 1.0)
    return np.clip(grey * (1 - hidden) + 255.0 * hidden + 0.5, 0, 255).astype(np.uint8)


def dots_from_colour(color: np.ndarray, grey: np.ndarray, min_share: float = 0.0015) -> HintSet:
    """One accurate dot per large area enclosed by the line art, with the area's dominant colour
    (the mode, so translucent sheen and shading overlays do not become the flat), placed at the
    area's most interior pixel — what an artist does to pin exact flats."""
    paper = (grey > 200).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(paper, connectivity=4)
    quant = (color // 8).astype(np.int32)
    key = (quant[..., 0] << 10) | (quant[..., 1] << 5) | quant[..., 2]
    hints: list[Hint] = []
    for i in range(1, n):
        if stats[i, cv2.CC_STAT_AREA] < min_share * paper.size:
            continue
        x0, y0, w, h = (int(v) for v in stats[i, :4])
        comp = labels[y0 : y0 + h, x0 : x0 + w] == i
        keys = key[y0 : y0 + h, x0 : x0 + w][comp]
        mode = int(np.bincount(keys).argmax())
        sel = comp & (key[y0 : y0 + h, x0 : x0 + w] == mode)
        rgb = tuple(int(c) for c in np.median(color[y0 : y0 + h, x0 : x0 + w][sel], axis=0))
        if min(rgb) > 245:  # white paper needs no hint
            continue
        dist = cv2.distanceTransform(sel.astype(np.uint8), cv2.DIST_L2, 5)
        y, x = np.unravel_index(int(np.argmax(dist)), dist.shape)
        hints.append(Hint("accurate", float(x + x0), float(y + y0), rgb, 6.0))  # type: ignore[arg-type]
    return HintSet(tuple(hints))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", default=str(Path(__file__).resolve().parents[1] / "resources" / "samples")
    )
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, (rel, height) in SAMPLES.items():
        svg = (CLIPART / rel).read_bytes()
        color = render(svg, height * 2)
        line = render(strip_fills(svg), height * 2)
        color, line = crop_to_content(color, line, height)
        grey = visible_ink(line, color)
        hints = dots_from_colour(color, grey)
        (out / f"{name}.png").write_bytes(encode_png(grey, compression=9))
        save_hints(out / f"{name}.json", hints)
        Path(f"/tmp/{name}_color.png").write_bytes(encode_png(color))
        print(
            f"{name}: {grey.shape[1]}x{grey.shape[0]}, {len(hints)} hints, from openclipart {rel}"
        )


if __name__ == "__main__":
    main()
