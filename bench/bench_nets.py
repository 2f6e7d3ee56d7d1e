"""Benchmark the networks on this machine's CPU (prints figures; no assertions).

python bench/bench_nets.py [--models DIR] [--runs 10]

- preview: DraftNet + RefineNet on a 512 px (long side) sketch, median of ``--runs`` after warm-up;
- page: an A4 300-dpi page (2480 × 3508) at full resolution, tiled RefineNet, wall time and the
  process's peak resident memory.
Uses the shipped weights when present, else randomly initialised nets of the same size.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import torch

from paintassist.core.types import Hint, HintSet
from paintassist.nets.draft_net import DraftNet
from paintassist.nets.inference import TorchColorNets
from paintassist.nets.refine_net import RefineNet
from paintassist.nets.registry import load_default_nets, load_nets

SKETCHES = Path(__file__).resolve().parents[2] / "shared" / "realworld" / "sketches"


def _ink(shape: tuple[int, int]) -> np.ndarray:
    files = sorted(SKETCHES.glob("*.png"))
    if files:
        grey = cv2.imread(str(files[0]), cv2.IMREAD_GRAYSCALE)
        if grey is None:
            raise SystemExit(f"{files[0]}: unreadable")
        small = cv2.resize(grey, (shape[1], shape[0]), interpolation=cv2.INTER_AREA)
        return (1.0 - small.astype(np.float32) / 255.0).astype(np.float32)
    rng = np.random.default_rng(0)
    canvas = np.zeros(shape, np.uint8)
    for _ in range(200):
        p = rng.integers(0, [shape[1], shape[0]], size=(2, 2))
        cv2.line(canvas, (int(p[0, 0]), int(p[0, 1])), (int(p[1, 0]), int(p[1, 1])), 255, 3)
    return (canvas / 255.0).astype(np.float32)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", type=Path, default=None)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--skip-page", action="store_true")
    args = ap.parse_args(argv)
    nets = load_nets(args.models, "cpu") if args.models else load_default_nets("cpu")
    if nets is None:
        nets = TorchColorNets(DraftNet(), RefineNet(), device="cpu", version="random")
    print(f"{nets.description}; torch threads {torch.get_num_threads()}")
    hints = HintSet((Hint("draft", 100, 100, (230, 180, 160), 12),
                     Hint("accurate", 200, 150, (40, 60, 150), 4)))

    ink = _ink((512, 362))
    times_d, times_r = [], []
    for i in range(args.runs + 2):
        t0 = time.perf_counter()
        d = nets.draft(ink, hints.draft, (), 1.0)
        t1 = time.perf_counter()
        nets.refine(ink, d, hints.accurate, lambda: False)
        t2 = time.perf_counter()
        if i >= 2:
            times_d.append(t1 - t0)
            times_r.append(t2 - t1)
    total = [a + b for a, b in zip(times_d, times_r, strict=True)]
    print(f"preview 512x362: draft {1000 * statistics.median(times_d):.0f} ms, refine "
          f"{1000 * statistics.median(times_r):.0f} ms, total median "
          f"{1000 * statistics.median(total):.0f} ms (target <= 250 ms)")
    if not args.skip_page:
        ink = _ink((3508, 2480))
        before = _peak_mb()
        t0 = time.perf_counter()
        d = nets.draft(ink, hints.draft, (), 1.0)
        out = nets.refine(ink, d, hints.accurate, lambda: False)
        dt = time.perf_counter() - t0
        print(f"A4 300 dpi 2480x3508: {dt:.1f} s (target <= 15 s), output {out.shape}, "
              f"peak RSS {_peak_mb():.0f} MB (before page {before:.0f} MB; target <= 2500 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
