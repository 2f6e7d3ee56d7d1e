"""Helpers shared by the benchmark scripts: a synthetic A4 line-art page, timing, memory.

Run the benchmarks as scripts from the repository root (``python bench/bench_segmentation.py``);
this module is imported as ``common`` (the script's folder is on ``sys.path``).
"""

from __future__ import annotations

import itertools
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import cv2
import numpy as np

#: (H, W) of an A4 page scanned at 300 dpi.
A4_300DPI: tuple[int, int] = (3508, 2480)
REPO_ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")

_SHIFT = 4  # cv2 drawing with 4 fractional bits: sub-pixel anti-aliased lines
_ONE = 1 << _SHIFT


def _pts(xy: np.ndarray) -> np.ndarray:
    return np.round(xy * _ONE).astype(np.int32).reshape(-1, 1, 2)


def _draw_path(ink: np.ndarray, xy: np.ndarray, width: int, closed: bool) -> None:
    cv2.polylines(ink, [_pts(xy)], closed, 255, width, cv2.LINE_AA, _SHIFT)


def _with_gap(xy: np.ndarray, gap: float, rng: np.random.Generator) -> np.ndarray:
    """The closed contour ``xy`` (N, 2) as an open path with a break of ``gap`` px of arc length."""
    ring = np.vstack([xy, xy[:1]])
    seg = np.hypot(*np.diff(ring, axis=0).T)
    arc = np.concatenate([[0.0], np.cumsum(seg)])
    start = rng.uniform(0, arc[-1] - gap)
    keep_after = arc >= start + gap
    keep_before = arc <= start
    # walk from the end of the gap round to its start
    return np.vstack([ring[keep_after], ring[1:][keep_before[1:]]])


def _ellipse(cx: float, cy: float, ax: float, ay: float, angle: float, n: int = 160) -> np.ndarray:
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    x, y = ax * np.cos(t), ay * np.sin(t)
    c, s = np.cos(angle), np.sin(angle)
    return np.stack([cx + c * x - s * y, cy + s * x + c * y], axis=1)


def _polygon(cx: float, cy: float, r: float, k: int, rng: np.random.Generator) -> np.ndarray:
    t = np.sort(rng.uniform(0, 2 * np.pi, k))
    rr = r * rng.uniform(0.6, 1.0, k)
    return np.stack([cx + rr * np.cos(t), cy + rr * np.sin(t)], axis=1)


def _blob(cx: float, cy: float, r: float, rng: np.random.Generator, n: int = 200) -> np.ndarray:
    """A smooth closed curve (hair lock / cloth fold like): radius modulated by low harmonics."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    rad = np.full(n, r)
    for k in range(2, 6):
        rad += r * rng.uniform(0, 0.18) * np.cos(k * t + rng.uniform(0, 2 * np.pi))
    return np.stack([cx + rad * np.cos(t), cy + rad * np.sin(t)], axis=1)


def _curve(
    x0: float, y0: float, length: float, rng: np.random.Generator, n: int = 60
) -> np.ndarray:
    """An open smooth stroke (a curve that may end inside an area, like real line art)."""
    ang = rng.uniform(0, 2 * np.pi) + np.cumsum(rng.normal(0, 0.08, n))
    step = length / n
    return np.stack([x0 + np.cumsum(step * np.cos(ang)), y0 + np.cumsum(step * np.sin(ang))], 1)


def synth_page(seed: int = 0, shape: tuple[int, int] = A4_300DPI) -> np.ndarray:
    """A deterministic manga-like line-art page.

    Panels with thick borders; inside each, overlapping closed shapes (ellipses, polygons, smooth
    blobs), open strokes, hatching, a few small eyes-like nested ellipses, and ~10 % of closed
    shapes drawn with a small gap (2-5 px) in their outline. Anti-aliased lines of width 1-6 px.
    Returns float32 (H, W) ink in 0..1 (0 = paper); the default A4 page gives ~1,000-1,500 regions.
    """
    rng = np.random.default_rng(seed)
    h, w = shape
    ink = np.zeros((h, w), np.uint8)
    margin = int(0.05 * w)
    gutter = int(0.02 * w)
    rows = [0.0, 0.28, 0.55, 1.0]
    panels: list[tuple[int, int, int, int]] = []
    usable_h = h - 2 * margin
    for r0, r1 in itertools.pairwise(rows):
        y0 = margin + int(r0 * usable_h) + (gutter // 2 if r0 > 0 else 0)
        y1 = margin + int(r1 * usable_h) - (gutter // 2 if r1 < 1 else 0)
        split = rng.uniform(0.35, 0.65)
        xm = margin + int(split * (w - 2 * margin))
        panels.append((margin, y0, xm - gutter // 2, y1))
        panels.append((xm + gutter // 2, y0, w - margin, y1))
    scale = min(h, w) / 2480.0
    for x0, y0, x1, y1 in panels:
        pw, ph = x1 - x0, y1 - y0
        canvas = np.zeros((ph, pw), np.uint8)
        n_shapes = int(rng.integers(30, 40))
        for _ in range(n_shapes):
            cx, cy = rng.uniform(0.05, 0.95) * pw, rng.uniform(0.05, 0.95) * ph
            r = rng.uniform(30, 230) * scale
            width = int(rng.choice([1, 2, 2, 3, 3, 4, 5, 6]))
            kind = rng.random()
            if kind < 0.35:
                xy = _ellipse(cx, cy, r, r * rng.uniform(0.4, 1.0), rng.uniform(0, np.pi))
            elif kind < 0.6:
                xy = _polygon(cx, cy, r, int(rng.integers(3, 9)), rng)
            else:
                xy = _blob(cx, cy, r, rng)
            if rng.random() < 0.1:
                _draw_path(canvas, _with_gap(xy, rng.uniform(2, 5) + width, rng), width, False)
            else:
                _draw_path(canvas, xy, width, True)
        for _ in range(int(rng.integers(8, 16))):  # open strokes
            xy = _curve(rng.uniform(0, pw), rng.uniform(0, ph), rng.uniform(60, 400) * scale, rng)
            _draw_path(canvas, xy, int(rng.integers(1, 4)), False)
        for _ in range(int(rng.integers(3, 6))):  # eyes: nested ellipses
            cx, cy = rng.uniform(0.1, 0.9) * pw, rng.uniform(0.1, 0.9) * ph
            r = rng.uniform(25, 45) * scale
            for k, f in enumerate((1.0, 0.55, 0.25)):
                _draw_path(canvas, _ellipse(cx, cy, r * f, r * f * 1.3, 0.0), 3 - k, True)
        if rng.random() < 0.7:  # hatching block
            hx, hy = rng.uniform(0, 0.7) * pw, rng.uniform(0, 0.7) * ph
            hw, hh = rng.uniform(80, 300) * scale, rng.uniform(80, 300) * scale
            spacing = rng.uniform(9, 18) * scale
            for k in range(int(hw / spacing)):
                xs = hx + k * spacing
                seg = np.array([[xs, hy], [xs + 0.4 * hh, hy + hh]])
                _draw_path(canvas, seg, 1, False)
        ink[y0:y1, x0:x1] = np.maximum(ink[y0:y1, x0:x1], canvas)
        border = int(rng.integers(5, 9))
        cv2.rectangle(ink, (x0, y0), (x1, y1), 255, border, cv2.LINE_AA)
    return ink.astype(np.float32) * np.float32(1.0 / 255.0)


def median_time(fn: Callable[[], T], repeat: int = 3) -> tuple[float, T]:
    """Median wall time (s) of ``repeat`` calls of ``fn`` and the last call's result."""
    times: list[float] = []
    result: T | None = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    assert result is not None
    return statistics.median(times), result


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (MiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
