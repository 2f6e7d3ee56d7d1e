"""End-to-end colorize of an A4 300-dpi page with 50 hints: load, classical pipeline, export.

    python bench/bench_colorize.py [--repeat 3] [--hints 50] [--networks]

The page is the synthetic A4 page of ``bench/common.py`` written as a PNG, so loading is timed too.
Each run uses a fresh ``Pipeline`` (no warm caches: a batch page is always new). Prints per-stage
medians, the total, the exported size and the process's peak resident memory (which includes the
Python/numpy/OpenCV baseline, printed first). Targets (issue 2): total ≤ 4 s, peak ≤ 1.5 GB.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from common import peak_rss_mb, synth_page

from paintassist.app.services import build_pipeline
from paintassist.core.lineart import ink_to_grey
from paintassist.core.types import ColorizeOptions, ColorizeRequest, Hint, HintSet
from paintassist.io.export import export_result
from paintassist.io.images import load_sketch
from paintassist.io.png import encode_png


def random_hints(ink: np.ndarray, n: int, seed: int = 1) -> HintSet:
    """``n`` accurate dots at random paper pixels with random colours."""
    rng = np.random.default_rng(seed)
    ys, xs = np.nonzero(ink < 0.1)
    pick = rng.choice(len(xs), n, replace=False)
    return HintSet(
        tuple(
            Hint("accurate", float(xs[i]), float(ys[i]), tuple(int(c) for c in rng.integers(0, 256, 3)), 5)  # type: ignore[arg-type]
            for i in pick
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--hints", type=int, default=50)
    parser.add_argument("--networks", action="store_true", help="use the shipped networks too")
    args = parser.parse_args()

    baseline = peak_rss_mb()
    ink = synth_page()
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.png"
        page.write_bytes(encode_png(ink_to_grey(ink)))
        hints = random_hints(ink, args.hints)
        del ink
        stages: dict[str, list[float]] = {"load": [], "pipeline": [], "export": [], "total": []}
        inner: dict[str, list[float]] = {}
        size_mb = 0.0
        for i in range(args.repeat):
            pipeline = build_pipeline(use_networks=args.networks)
            t0 = time.perf_counter()
            sketch = load_sketch(page)
            t1 = time.perf_counter()
            opts = ColorizeOptions(use_networks=args.networks)
            result = pipeline.run(ColorizeRequest(sketch, hints, options=opts))
            t2 = time.perf_counter()
            out = Path(tmp) / f"out{i}"
            export_result(result, out, "page", ("png", "ora"))
            t3 = time.perf_counter()
            for key, value in (("load", t1 - t0), ("pipeline", t2 - t1), ("export", t3 - t2),
                               ("total", t3 - t0)):
                stages[key].append(value)
            for key, value in result.timings.items():
                inner.setdefault(key, []).append(value)
            size_mb = sum(f.stat().st_size for f in out.rglob("*") if f.is_file()) / 2**20
        h, w = sketch.shape
        print(f"A4 page {w}x{h}, {args.hints} hints, {pipeline.nets_status}, {args.repeat} runs")
        print(f"  baseline RSS before work: {baseline:.0f} MiB")
        for key, values in stages.items():
            print(f"  {key:<9} median {statistics.median(values):6.2f} s   (runs: "
                  + ", ".join(f"{v:.2f}" for v in values) + ")")
        print("  inside the pipeline: " + ", ".join(
            f"{k} {statistics.median(v):.2f} s" for k, v in inner.items()))
        print(f"  export size (PNG folder + .ora): {size_mb:.1f} MiB")
        print(f"  peak RSS: {peak_rss_mb():.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
