"""Classical colorization vs G'MIC Propagation on real line-art/colour pairs. Prints a table.

For each ``*_line.png`` / ``*_color.png`` pair and N = 10 and 50 accurate dots sampled from the
colour image (fixed seeds; each dot the mean of a 5x5 patch at a random non-line pixel), every tool
gets the same dots; we report PSNR (dB, higher is better), mean CIEDE2000 (lower is better) and
bleed (% of considered paper pixels that took a dot colour from across a closed line, lower is
better; see ``paintassist.training.metrics.bleed``) of the composite against the colour image.

Tools: ``ours`` = ``Pipeline(nets=None).run(...)`` composite (classical path as wired now);
``ours+split`` = the same stages with :func:`paintassist.core.flatten.split_by_dots` before the
palette (dots of different colours far apart in one open region keep their own cells);
``gmic`` = G'MIC ``fx_colorize_lineart`` Propagation on the same dots.

    python bench/bench_quality.py [--pairs DIR] [--gap PX] [--seeds 0 1 2] [--counts 10 50]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from common import REPO_ROOT

from paintassist.core import flatten, layers, lineart
from paintassist.core.pipeline import Pipeline
from paintassist.core.regions import RegionMap, segment
from paintassist.core.types import ColorizeOptions, ColorizeRequest, HintSet, Sketch
from paintassist.peers import gmic_peer
from paintassist.training import metrics


def _load(sketch_path: Path) -> Sketch:
    from paintassist.io.images import load_sketch

    return load_sketch(sketch_path)


def _colour(path: Path) -> np.ndarray:
    from paintassist.io.images import load_rgb

    return load_rgb(path)


def _split_composite(sketch: Sketch, regmap: RegionMap, hints: HintSet) -> np.ndarray:
    """What the pipeline's classical path composes, with the dot split before the palette."""
    split = flatten.split_by_dots(regmap, hints)
    flats = flatten.paint(split, flatten.classical_palette(split, hints))
    return layers.compose({"flats": flats, "lineart": lineart.lineart_layer(sketch.ink)})


def _row(name: str, n: int, tool: str, out: np.ndarray, truth: np.ndarray, regmap: RegionMap,
         hints: HintSet, seconds: float) -> tuple[str, float, float, float]:
    p = metrics.psnr(out, truth)
    de = metrics.mean_ciede2000(out, truth)
    bl = metrics.bleed(out, regmap, hints)
    print(f"{name:24s} {n:3d}  {tool:10s} {p:7.2f} {de:7.2f} {100 * bl:8.3f} {seconds:7.2f}")
    return tool, p, de, bl


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=REPO_ROOT.parent / "shared/realworld/pairs")
    parser.add_argument("--gap", type=int, default=ColorizeOptions().gap_px)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[10, 50])
    args = parser.parse_args()
    if not args.pairs.is_dir():
        print(f"pairs folder not found: {args.pairs} (skipping)")
        return 0
    lines = sorted(args.pairs.glob("*_line.png"))
    if not lines:
        print(f"no *_line.png in {args.pairs} (skipping)")
        return 0
    have_gmic = gmic_peer.available()
    if not have_gmic:
        print("G'MIC not available: showing our figures only")
    pipeline = Pipeline(nets=None)
    options = ColorizeOptions(use_networks=False, gap_px=args.gap)
    print(f"gap_px={args.gap} seeds={args.seeds}  (bleed in % of considered paper pixels)")
    print(f"{'pair':24s} {'N':>3s}  {'tool':10s} {'PSNR':>7s} {'ΔE2000':>7s} {'bleed%':>8s} "
          f"{'time s':>7s}")
    totals: dict[tuple[str, int], list[tuple[float, float, float]]] = {}
    for line_path in lines:
        stem = line_path.name[: -len("_line.png")]
        colour_path = line_path.with_name(f"{stem}_color.png")
        if not colour_path.is_file():
            print(f"{stem}: no colour image, skipped")
            continue
        sketch = _load(line_path)
        truth = _colour(colour_path)
        if truth.shape[:2] != sketch.shape:
            print(f"{stem}: colour {truth.shape[:2]} and line {sketch.shape} differ, skipped")
            continue
        regmap = segment(sketch.ink, gap_px=args.gap)
        for n, seed in ((n, seed) for n in args.counts for seed in args.seeds):
            rng = np.random.default_rng(seed)
            hints = metrics.sample_dot_hints(truth, regmap.line_mask, n, rng, size=2.0)
            t = time.perf_counter()
            ours = pipeline.run(ColorizeRequest(sketch, hints, options=options)).composite
            rows = [_row(stem, n, "ours", ours, truth, regmap, hints, time.perf_counter() - t)]
            t = time.perf_counter()
            split = _split_composite(sketch, regmap, hints)
            rows.append(
                _row(stem, n, "ours+split", split, truth, regmap, hints, time.perf_counter() - t)
            )
            if have_gmic:
                t = time.perf_counter()
                peer = gmic_peer.propagation(sketch.ink, hints)
                rows.append(
                    _row(stem, n, "gmic", peer, truth, regmap, hints, time.perf_counter() - t)
                )
            for tool, p, de, bl in rows:
                totals.setdefault((tool, n), []).append((p, de, bl))
    print()
    print(f"{'mean over pairs, seeds':24s} {'N':>3s}  {'tool':10s} {'PSNR':>7s} {'ΔE2000':>7s} "
          f"{'bleed%':>8s}")
    for (tool, n), vals in sorted(totals.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        arr = np.array(vals)
        print(f"{'':24s} {n:3d}  {tool:10s} {arr[:, 0].mean():7.2f} {arr[:, 1].mean():7.2f} "
              f"{100 * arr[:, 2].mean():8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
