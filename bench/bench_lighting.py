"""Benchmark of the light pass: ``estimate_shape`` (once per sketch) and ``render_light`` (every
light change) on an A4 300-dpi page (2480×3508) and at preview size (768 px long side).

Prints medians over repeats, the peak memory the calls allocate (numpy arrays, tracemalloc) and
the process's peak RSS. The page is a synthetic drawing (ellipses, hair-like strokes, a frame), so
the figures are reproducible; regions come from ``paintassist.core.regions.segment``.

    python bench/bench_lighting.py [--repeats 5] [--sketch PATH]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from paintassist.core import lighting, regions
from paintassist.core.types import LightSettings

A4 = (3508, 2480)  # (H, W) at 300 dpi
PREVIEW_LONG_SIDE = 768


def synthetic_page(size: tuple[int, int] = A4, seed: int = 0) -> np.ndarray:
    """float32 (H, W) ink map: overlapping ellipse outlines and curved strokes, ~1,000 regions."""
    h, w = size
    rng = np.random.default_rng(seed)
    img = np.zeros((h, w), np.uint8)
    scale = max(h, w) / 3508.0
    thick = max(1, round(4 * scale))
    for _ in range(260):
        centre = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        axes = (int(rng.integers(30, 400) * scale) + 2, int(rng.integers(30, 400) * scale) + 2)
        cv2.ellipse(img, centre, axes, float(rng.uniform(0, 180)), 0, 360, 255, thick, cv2.LINE_AA)
    for _ in range(400):  # hair-like open strokes
        x0, y0 = rng.uniform(0, w), rng.uniform(0, h)
        angle = rng.uniform(0, 2 * np.pi)
        length = rng.uniform(80, 600) * scale
        bend = rng.uniform(-1.5, 1.5)
        t = np.linspace(0, 1, 40)
        xs = x0 + np.cos(angle + bend * t) * length * t
        ys = y0 + np.sin(angle + bend * t) * length * t
        pts = np.stack([xs, ys], axis=1).astype(np.int32)
        cv2.polylines(img, [pts], False, 255, thick, cv2.LINE_AA)
    cv2.rectangle(img, (0, 0), (w - 1, h - 1), 255, thick)
    return img.astype(np.float32) / 255.0


def _median_time(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def _peak_mb(fn: Callable[[], Any]) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def bench(ink: np.ndarray, label: str, repeats: int) -> None:
    t = time.perf_counter()
    regmap = regions.segment(ink)
    seg_s = time.perf_counter() - t
    h, w = ink.shape
    base = np.full((h, w, 3), 200, np.uint8)
    settings = LightSettings(enabled=True)
    shape_s, shape = _median_time(lambda: lighting.estimate_shape(regmap), repeats)
    render_s, _ = _median_time(lambda: lighting.render_light(shape, base, settings), repeats * 2)
    # a light drag: each call with a new azimuth, as the GUI dial sends them
    azimuths = iter(np.linspace(0, 360, repeats * 2 + 1))
    drag_s, _ = _median_time(
        lambda: lighting.render_light(
            shape, base, LightSettings(enabled=True, azimuth_deg=float(next(azimuths)))
        ),
        repeats * 2,
    )
    shape_mb = _peak_mb(lambda: lighting.estimate_shape(regmap))
    render_mb = _peak_mb(lambda: lighting.render_light(shape, base, settings))
    print(
        f"{label:>8} {w}x{h}: regions {regmap.count:5d} (segment {seg_s:5.2f} s) | "
        f"estimate_shape {shape_s * 1000:7.1f} ms, peak {shape_mb:6.1f} MB | "
        f"render_light {render_s * 1000:6.1f} ms (dial drag {drag_s * 1000:6.1f} ms), "
        f"peak {render_mb:6.1f} MB | shape kept {shape.index.nbytes / 2**20:5.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sketch", type=Path, help="a sketch file instead of the synthetic page "
                        "(scaled to A4 300 dpi and to preview size)")
    args = parser.parse_args()
    if args.sketch is not None:
        from paintassist.core import lineart

        img = cv2.imread(str(args.sketch), cv2.IMREAD_COLOR)
        if img is None:
            raise SystemExit(f"{args.sketch}: cannot read the image")
        page = cv2.resize(img, (A4[1], A4[0]), interpolation=cv2.INTER_CUBIC)
        ink = lineart.normalize(np.ascontiguousarray(page[..., ::-1]))
    else:
        ink = synthetic_page()
    scale = PREVIEW_LONG_SIDE / max(ink.shape)
    preview = cv2.resize(ink, (round(ink.shape[1] * scale), round(ink.shape[0] * scale)),
                         interpolation=cv2.INTER_AREA)
    print(f"light pass benchmark, medians of {args.repeats} (render: {args.repeats * 2}) runs")
    bench(preview, "preview", args.repeats)
    bench(ink, "A4", args.repeats)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS {rss:.0f} MB (includes the page, its regions and the benchmark)")


if __name__ == "__main__":
    main()
