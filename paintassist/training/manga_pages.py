"""Synthetic manga pages: panels, figures, speech balloons with text-like strokes, screentone.

``python -m paintassist.training.manga_pages --out DIR [--count 4] [--seed 0] [--size 1654x2339]``

Every page is our own drawing (nothing is copied from real art): panels with thick borders; in each
a figure (head, hair, eyes, mouth, body); speech balloons (an outline with a tail, rows of
text-like strokes inside, paper white); and screentone laid under the lines: dot screens of several
pitches (4-12 px) and angles (0/15/45°), line tones, and gradients of dots (coverage ramping across
a panel). For each page ``DIR`` gets

* ``manga_NN.png``: the page, grey, 255 = paper, 0 = ink;
* ``manga_NN_tone.png``: the truth of where tone lies, 255 where a tone was laid (its dots and
  the paper between them);
* ``manga_NN_truth.json`` (not ``manga_NN.json``, which the app and the CLI would read as the
  page's hints file): the page size, the balloons' boxes ``[x0, y0, x1, y1]`` (px), the faces
  ``[cx, cy, r]`` (px: where a face dot goes) and the tone
  patches (kind, pitch in px, angle in degrees, coverage range).

The screen functions (:func:`dot_screen`, :func:`line_screen`) and :func:`draw_text` are also used
by the tests to make small toned drawings.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from paintassist.io.atomic import atomic_write_bytes, atomic_write_text
from paintassist.io.png import encode_png

#: Pitches (px) and angles (degrees) of the tones a page draws from; line tones are finer (ruled
#: tones run 30-80 lpi: 4-10 px at 300 dpi).
PITCHES = (4.0, 5.0, 6.0, 8.0, 10.0, 12.0)
LINE_PITCHES = (4.0, 5.0, 6.0, 8.0)
ANGLES = (0.0, 15.0, 45.0)
_SHIFT = 4  # cv2 drawing with 4 fractional bits: sub-pixel anti-aliased lines
_ONE = 1 << _SHIFT


def _spot_table(kind: str, samples: int = 256) -> np.ndarray:
    """Sorted values of the spot function over one period: its quantiles give the threshold for a
    coverage."""
    t = (np.arange(samples) + 0.5) / samples
    u, v = np.meshgrid(t, t)
    if kind == "dots":
        f = (np.cos(2 * np.pi * u) + np.cos(2 * np.pi * v)) / 2
    else:
        f = np.cos(2 * np.pi * u)
    return np.sort(f.ravel())


_TABLES = {kind: _spot_table(kind) for kind in ("dots", "lines")}


def _screen(
    kind: str, shape: tuple[int, int], pitch: float, angle_deg: float,
    coverage: float | np.ndarray, origin: tuple[int, int] = (0, 0),
) -> np.ndarray:
    h, w = shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    xs += origin[0]
    ys += origin[1]
    a = np.deg2rad(angle_deg)
    u = (xs * np.cos(a) + ys * np.sin(a)) / pitch
    v = (-xs * np.sin(a) + ys * np.cos(a)) / pitch
    su, sv = np.sin(2 * np.pi * u), np.sin(2 * np.pi * v)
    if kind == "dots":
        f = (np.cos(2 * np.pi * u) + np.cos(2 * np.pi * v)) / 2
        grad = np.pi / pitch * np.sqrt(su * su + sv * sv)
    else:
        f = np.cos(2 * np.pi * u)
        grad = 2 * np.pi / pitch * np.abs(su)
    table = _TABLES[kind]
    c = np.clip(np.asarray(coverage, np.float32), 0.0, 1.0)
    idx = np.clip(np.rint((1.0 - c) * (len(table) - 1)).astype(np.int64), 0, len(table) - 1)
    threshold = table[idx]
    ink = 0.5 + (f - threshold) / np.maximum(grad, 1e-3)  # anti-aliased edge, about 1 px wide
    ink = np.clip(ink, 0.0, 1.0)
    ink[c <= 0.0] = 0.0
    return ink.astype(np.float32)


def dot_screen(
    shape: tuple[int, int], pitch: float, angle_deg: float, coverage: float | np.ndarray,
    origin: tuple[int, int] = (0, 0),
) -> np.ndarray:
    """A halftone dot screen, float32 (H, W) ink 0..1: round dots on a square grid of ``pitch`` px
    turned by ``angle_deg``, covering ``coverage`` (0..1, a number or an (H, W) map for a gradient)
    of the paper; past about 0.5 the dots merge and the paper becomes the dots. ``origin``: the
    (x, y) page px of the array's top-left pixel (crops of one screen line up)."""
    return _screen("dots", shape, pitch, angle_deg, coverage, origin)


def line_screen(
    shape: tuple[int, int], pitch: float, angle_deg: float, coverage: float | np.ndarray,
    origin: tuple[int, int] = (0, 0),
) -> np.ndarray:
    """A line tone, float32 (H, W) ink 0..1: parallel lines ``pitch`` px apart at ``angle_deg``
    (0 = vertical lines), covering ``coverage`` of the paper; ``origin`` as for dot_screen."""
    return _screen("lines", shape, pitch, angle_deg, coverage, origin)


def _pts(xy: np.ndarray) -> np.ndarray:
    return np.round(np.asarray(xy, np.float64) * _ONE).astype(np.int32).reshape(-1, 1, 2)


def draw_path(canvas: np.ndarray, xy: np.ndarray, width: int, closed: bool = True) -> None:
    """Anti-aliased polyline (xy: (N, 2) px) into a uint8 ink canvas (255 = ink)."""
    cv2.polylines(canvas, [_pts(xy)], closed, 255, max(1, int(width)), cv2.LINE_AA, _SHIFT)


def fill_path(mask: np.ndarray, xy: np.ndarray) -> None:
    """Fill the polygon xy (N, 2) px into a uint8 mask with 255."""
    cv2.fillPoly(mask, [_pts(xy)], 255, cv2.LINE_AA, _SHIFT)


def ellipse(cx: float, cy: float, ax: float, ay: float, angle: float = 0.0, n: int = 120
            ) -> np.ndarray:
    """(n, 2) points of an ellipse (angle in radians)."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    x, y = ax * np.cos(t), ay * np.sin(t)
    c, s = np.cos(angle), np.sin(angle)
    return np.stack([cx + c * x - s * y, cy + s * x + c * y], axis=1)


def _blob(cx: float, cy: float, r: float, rng: np.random.Generator, n: int = 160) -> np.ndarray:
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    rad = np.full(n, r)
    for k in range(2, 6):
        rad += r * rng.uniform(0, 0.12) * np.cos(k * t + rng.uniform(0, 2 * np.pi))
    return np.stack([cx + rad * np.cos(t), cy + rad * np.sin(t)], axis=1)


def draw_text(
    canvas: np.ndarray, box: tuple[float, float, float, float], glyph_px: float,
    rng: np.random.Generator,
) -> int:
    """Rows of text-like glyphs (2-4 short strokes each: bars, diagonals, hooks, rings) filling
    ``box`` (x0, y0, x1, y1 px) of a uint8 ink canvas; stroke width about ``glyph_px`` / 12.
    Returns the number of glyphs drawn."""
    x0, y0, x1, y1 = box
    width = max(1, round(glyph_px / 12))
    pitch = glyph_px * 1.2
    drawn = 0
    rows = max(1, int((y1 - y0) // (glyph_px * 1.35)))
    for r in range(rows):
        gy = y0 + r * glyph_px * 1.35
        n = max(1, int((x1 - x0) // pitch))
        n = int(rng.integers(max(1, n - 2), n + 1))
        start = x0 + ((x1 - x0) - n * pitch) / 2
        for k in range(n):
            gx = start + k * pitch
            g = glyph_px
            for _ in range(int(rng.integers(2, 5))):
                kind = int(rng.integers(0, 5))
                if kind == 0:  # horizontal bar
                    yy = gy + rng.uniform(0.1, 0.9) * g
                    seg = [[gx + 0.1 * g, yy], [gx + 0.9 * g, yy]]
                elif kind == 1:  # vertical bar
                    xx = gx + rng.uniform(0.15, 0.85) * g
                    seg = [[xx, gy + 0.05 * g], [xx, gy + 0.95 * g]]
                elif kind == 2:  # diagonal
                    seg = [[gx + 0.15 * g, gy + 0.9 * g], [gx + 0.85 * g, gy + 0.1 * g]]
                elif kind == 3:  # hook
                    seg = [[gx + 0.2 * g, gy + 0.2 * g], [gx + 0.7 * g, gy + 0.3 * g],
                           [gx + 0.5 * g, gy + 0.9 * g]]
                else:  # ring
                    ring = ellipse(gx + 0.5 * g, gy + 0.5 * g, 0.3 * g, 0.35 * g)
                    draw_path(canvas, ring, width, True)
                    continue
                draw_path(canvas, np.array(seg), width, False)
            drawn += 1
    return drawn


@dataclass
class MangaPage:
    """One page: ``ink`` float32 (H, W) 0..1 (1 = ink); ``tone`` bool (H, W), tone ink no line
    covers; ``tone_area`` bool (H, W), where a tone was laid (its dots and the paper between);
    ``balloons`` their boxes (x0, y0, x1, y1 px); ``tones`` what each tone patch is; ``faces`` each
    figure's face (centre x, centre y, radius px: an ellipse of half-axes 0.85 r × r, paper)."""

    ink: np.ndarray
    tone: np.ndarray
    tone_area: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), bool))
    balloons: list[tuple[int, int, int, int]] = field(default_factory=list)
    tones: list[dict[str, Any]] = field(default_factory=list)
    faces: list[tuple[float, float, float]] = field(default_factory=list)

    def grey(self) -> np.ndarray:
        """uint8 (H, W): 255 = paper, 0 = ink."""
        return np.clip(255.0 - self.ink * 255.0 + 0.5, 0, 255).astype(np.uint8)


def _panels(h: int, w: int, rng: np.random.Generator) -> list[tuple[int, int, int, int]]:
    margin, gutter = int(0.05 * w), int(0.02 * w)
    cuts = [0.0, rng.uniform(0.3, 0.38), rng.uniform(0.62, 0.7), 1.0]
    usable = h - 2 * margin
    panels = []
    for i in range(3):
        y0 = margin + int(cuts[i] * usable) + (gutter // 2 if i else 0)
        y1 = margin + int(cuts[i + 1] * usable) - (gutter // 2 if i < 2 else 0)
        if i == 1:
            panels.append((margin, y0, w - margin, y1))
            continue
        xm = margin + int(rng.uniform(0.4, 0.6) * (w - 2 * margin))
        panels.append((margin, y0, xm - gutter // 2, y1))
        panels.append((xm + gutter // 2, y0, w - margin, y1))
    return panels


def _lay_tone(
    tone: np.ndarray, mask: np.ndarray, kind: str, rng: np.random.Generator,
) -> dict[str, Any]:
    """Lay a tone of ``kind`` (dots, lines, gradient: dots whose coverage ramps down the mask)
    into ``tone`` (float32 (H, W), in place) where ``mask`` (bool (H, W)) is set; what it is."""
    pitch = float(rng.choice(LINE_PITCHES if kind == "lines" else PITCHES))
    angle = float(rng.choice(ANGLES))
    ys, xs = np.nonzero(mask)
    if ys.size == 0:
        return {"kind": kind, "pitch": pitch, "angle": angle, "coverage": [0.0, 0.0]}
    y0, y1, x0, x1 = int(ys.min()), int(ys.max()) + 1, int(xs.min()), int(xs.max()) + 1
    shape = (y1 - y0, x1 - x0)
    if kind == "gradient":
        c0, c1 = float(rng.uniform(0.05, 0.15)), float(rng.uniform(0.4, 0.6))
        ramp = np.linspace(0.0, 1.0, shape[0], dtype=np.float32)[:, None]
        cov: float | np.ndarray = c0 + (c1 - c0) * ramp * np.ones((1, shape[1]), np.float32)
        ink = dot_screen(shape, pitch, angle, cov, (x0, y0))
    else:
        c0 = c1 = float(rng.uniform(0.15, 0.65) if kind == "dots" else rng.uniform(0.15, 0.4))
        screen = dot_screen if kind == "dots" else line_screen
        ink = screen(shape, pitch, angle, c0, (x0, y0))
    view, sel = tone[y0:y1, x0:x1], mask[y0:y1, x0:x1]
    view[sel] = np.maximum(view[sel], np.maximum(ink[sel], 1e-6))  # > 0: the area is toned
    return {"kind": kind, "pitch": pitch, "angle": angle, "coverage": [c0, c1]}


def make_page(seed: int, size: tuple[int, int] = (1654, 2339)) -> MangaPage:
    """A deterministic synthetic manga page of ``size`` = (width, height) px."""
    rng = np.random.default_rng(seed)
    w, h = size
    s = min(w, h) / 1654.0
    lw = max(2, round(3 * s))
    tone = np.zeros((h, w), np.float32)
    lines = np.zeros((h, w), np.uint8)
    page = MangaPage(np.zeros((h, w), np.float32), np.zeros((h, w), bool))
    kinds = ["dots", "lines", "gradient"]
    for i, (x0, y0, x1, y1) in enumerate(_panels(h, w, rng)):
        pw, ph = x1 - x0, y1 - y0
        inside = np.zeros((h, w), np.uint8)
        cv2.rectangle(inside, (x0, y0), (x1, y1), 255, -1)
        # the figure: head, hair, eyes, mouth, body
        r = min(pw, ph) * rng.uniform(0.16, 0.24)
        cx, cy = x0 + pw * rng.uniform(0.3, 0.7), y0 + ph * rng.uniform(0.35, 0.55)
        head = ellipse(cx, cy, r * 0.85, r)
        page.faces.append((float(cx), float(cy), float(r)))
        hair = _blob(cx, cy - 0.25 * r, 1.2 * r, rng)
        body = np.array([[cx - 0.6 * r, cy + 0.9 * r], [cx + 0.6 * r, cy + 0.9 * r],
                         [cx + 1.6 * r, y1 + 10], [cx - 1.6 * r, y1 + 10]])
        hair_mask, head_mask, body_mask = (np.zeros((h, w), np.uint8) for _ in range(3))
        fill_path(hair_mask, hair)
        fill_path(head_mask, head)
        fill_path(body_mask, body)
        figure = cv2.bitwise_or(cv2.bitwise_or(hair_mask, head_mask), body_mask)
        hair_only = cv2.bitwise_and(hair_mask, cv2.bitwise_not(head_mask))
        # tones: the hair, the body, and in some panels the background
        for mask, kind in ((hair_only, "dots"), (body_mask, kinds[i % 3])):
            sel = cv2.bitwise_and(mask, inside) > 127
            page.tones.append(_lay_tone(tone, sel, kind, rng))
        if rng.random() < 0.6:
            sel = (inside > 127) & (figure <= 127)
            page.tones.append(_lay_tone(tone, sel, kinds[(i + 1) % 3], rng))
        draw_path(lines, hair, lw)
        fill_path(lines, head)  # the face is paper: clear what lies under it first
        lines[head_mask > 127] = 0
        tone[head_mask > 127] = 0
        draw_path(lines, head, lw)
        for side in (-1, 1):
            ex, ey = cx + side * 0.35 * r, cy + 0.05 * r
            draw_path(lines, ellipse(ex, ey, 0.14 * r, 0.2 * r), max(1, lw - 1))
            cv2.ellipse(lines, (round(ex), round(ey + 0.05 * r)),
                        (max(1, round(0.07 * r)), max(1, round(0.1 * r))), 0, 0, 360, 255, -1)
        draw_path(lines, np.array([[cx - 0.2 * r, cy + 0.55 * r], [cx, cy + 0.62 * r],
                                   [cx + 0.2 * r, cy + 0.55 * r]]), max(1, lw - 1), False)
        draw_path(lines, body[:2], lw, False)
        draw_path(lines, body[[0, 3]], lw, False)
        draw_path(lines, body[[1, 2]], lw, False)
        # a speech balloon in most panels
        if rng.random() < 0.75:
            bw, bh = pw * rng.uniform(0.25, 0.35), ph * rng.uniform(0.3, 0.4)
            bx = x0 + (pw * 0.05 + bw / 2 if cx > x0 + pw / 2 else pw * 0.95 - bw / 2)
            by = y0 + ph * 0.08 + bh / 2
            outline = ellipse(bx, by, bw / 2, bh / 2)
            tip = np.array([[bx - 0.1 * bw, by + 0.4 * bh], [bx + 0.05 * bw, by + 0.75 * bh],
                            [bx + 0.1 * bw, by + 0.42 * bh]])
            inner = np.zeros((h, w), np.uint8)
            fill_path(inner, outline)
            fill_path(inner, tip)
            lines[inner > 127] = 0
            tone[inner > 127] = 0
            contours, _ = cv2.findContours(inner, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
            cv2.drawContours(lines, contours, -1, 255, lw, cv2.LINE_AA)
            glyph = max(10.0, min(bw, bh) * rng.uniform(0.12, 0.16))
            draw_text(lines, (bx - 0.33 * bw, by - 0.3 * bh, bx + 0.33 * bw, by + 0.3 * bh),
                      glyph, rng)
            page.balloons.append(
                (round(bx - bw / 2), round(by - bh / 2), round(bx + bw / 2), round(by + bh / 2))
            )
        cv2.rectangle(lines, (x0, y0), (x1, y1), 255, max(3, round(5 * s)), cv2.LINE_AA)
    # nothing outside the panels
    frame = np.zeros((h, w), np.uint8)
    for x0, y0, x1, y1 in _panels(h, w, np.random.default_rng(seed)):
        cv2.rectangle(frame, (x0, y0), (x1, y1), 255, -1)
    tone[frame == 0] = 0
    line_ink = lines.astype(np.float32) / 255.0
    page.ink = np.maximum(line_ink, tone)
    page.tone = (tone > 0.5) & (line_ink < 0.5)
    page.tone_area = tone > 0
    return page


def write_pages(out: Path, count: int, seed: int, size: tuple[int, int]) -> list[Path]:
    """Write ``count`` pages (seeds ``seed``, ``seed + 1``…) into ``out``; the page paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for k in range(count):
        page = make_page(seed + k, size)
        stem = f"manga_{k:02d}"
        atomic_write_bytes(out / f"{stem}.png", encode_png(page.grey()))
        atomic_write_bytes(out / f"{stem}_tone.png",
                           encode_png(np.where(page.tone_area, 255, 0).astype(np.uint8)))
        meta = {"size": list(size), "seed": seed + k, "balloons": [list(b) for b in page.balloons],
                "tones": page.tones, "faces": [[round(v, 1) for v in f] for f in page.faces]}
        atomic_write_text(out / f"{stem}_truth.json", json.dumps(meta, indent=1) + "\n")
        written.append(out / f"{stem}.png")
    return written


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must be WxH, not {text!r}") from None
    if not (64 <= w <= 10_000 and 64 <= h <= 10_000):
        raise argparse.ArgumentTypeError("width and height must be 64..10000 px")
    return w, h


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="output folder")
    parser.add_argument("--count", type=int, default=4, help="pages (default 4)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first page")
    parser.add_argument("--size", type=_size, default=(1654, 2339),
                        help="WxH px (default 1654x2339, A4 at 200 dpi)")
    args = parser.parse_args(argv)
    for path in write_pages(args.out, max(1, args.count), args.seed, args.size):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
