"""Region segmentation of an A4 300-dpi page: ours vs G'MIC Smart Coloring, same page, same run.

    python bench/bench_segmentation.py [--repeat 3] [--gap 6] [--no-gmic] [--no-preview]

Prints our median wall time over ``--repeat`` runs (plus the first, cold, run) of what the
pipeline does to a page before it has regions — the screentone split
(:func:`paintassist.core.tone.split_tone`, its share printed apart) and the segmentation — and the
mean CPU time (a fairer figure on a shared machine: other people's jobs stretch wall time), the
region count,
the
peak resident memory after our runs, then G'MIC's ``fx_colorize_lineart_smart`` (auto-fill: its own
segmentation with random colours) timed once with the process's peak memory growth, and the ratio.
Then the live-preview figure: on the same page at a 768-px working size (the app's default
preview), with the regions cached, the median time of a dot edit → preview (the classical
``Pipeline.run`` with 20 dots, one of them moved or recoloured each time; target ≤ 150 ms).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np
from common import median_time, peak_rss_mb, synth_page

from paintassist.core.pipeline import Pipeline
from paintassist.core.regions import RegionMap, segment
from paintassist.core.tone import split_tone
from paintassist.core.types import ColorizeOptions, ColorizeRequest, Hint, HintSet, Sketch
from paintassist.peers import gmic_peer

PREVIEW_SIDE = 768


def dot_edit_preview(ink: np.ndarray, gap: int, edits: int = 15) -> tuple[float, float, float]:
    """(first preview s, median dot-edit preview s, max s) at PREVIEW_SIDE on a warm pipeline."""
    sketch = Sketch(ink)
    rng = np.random.default_rng(5)
    ys, xs = np.nonzero(ink[::4, ::4] < 0.05)
    pick = rng.choice(len(xs), 21, replace=False)
    dots = [
        Hint("accurate", float(xs[i] * 4), float(ys[i] * 4),
             tuple(int(c) for c in rng.integers(0, 256, 3)), 5.0)  # type: ignore[arg-type]
        for i in pick
    ]
    options = ColorizeOptions(use_networks=False, gap_px=gap, work_long_side=PREVIEW_SIDE)
    pipeline = Pipeline(nets=None)
    t = time.perf_counter()
    pipeline.run(ColorizeRequest(sketch, HintSet(tuple(dots[:20])), options=options))
    first = time.perf_counter() - t
    times = []
    for k in range(edits):
        edited = list(dots[:20])
        j = k % 20
        if k % 2:
            edited[j] = edited[j].recoloured(tuple(int(c) for c in rng.integers(0, 256, 3)))  # type: ignore[arg-type]
        else:
            edited[j] = dots[20].recoloured(edited[j].rgb)
        t = time.perf_counter()
        pipeline.run(ColorizeRequest(sketch, HintSet(tuple(edited)), options=options))
        times.append(time.perf_counter() - t)
    return first, statistics.median(times), max(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--gap", type=int, default=6)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-gmic", action="store_true", help="skip the ~20 s G'MIC run")
    parser.add_argument("--no-preview", action="store_true", help="skip the dot-edit preview figure")
    args = parser.parse_args()

    t = time.perf_counter()
    ink = synth_page(args.seed)
    print(f"page: {ink.shape[1]}x{ink.shape[0]} synthetic (seed {args.seed}), "
          f"made in {time.perf_counter() - t:.2f} s")
    rss0 = peak_rss_mb()

    def regions_of_page() -> RegionMap:
        return segment(split_tone(ink).lines, gap_px=args.gap)

    t = time.perf_counter()
    regmap = regions_of_page()
    cold = time.perf_counter() - t
    cpu0 = time.process_time()
    ours, regmap = median_time(regions_of_page, args.repeat)
    cpu = (time.process_time() - cpu0) / args.repeat
    rss_ours = peak_rss_mb()
    closed = int(regmap.closed.max()) + 1
    tone_s, split = median_time(lambda: split_tone(ink), args.repeat)
    print(f"ours   split_tone + segment(gap_px={args.gap}): median {ours:.3f} s of {args.repeat} "
          f"(first call {cold:.3f} s; mean CPU time {cpu:.3f} s, all threads); "
          f"{regmap.count} regions "
          f"({closed} closed areas before gap closing and merging)")
    print(f"       of which split_tone {tone_s:.3f} s (median): "
          f"{len(split.pitches)} toned area(s), {split.coverage:.1%} of the page")
    print(f"       peak RSS {rss_ours:.0f} MiB (before segmentation {rss0:.0f} MiB)")
    if not args.no_preview:
        first, med, worst = dot_edit_preview(ink, args.gap)
        print(f"preview {PREVIEW_SIDE} px, classical, 20 dots: first run {first * 1000:.0f} ms; "
              f"dot edit -> preview median {med * 1000:.0f} ms (max {worst * 1000:.0f} ms)")
    if args.no_gmic:
        return 0
    if not gmic_peer.available():
        print("G'MIC not available")
        return 0
    t = time.perf_counter()
    gmic_peer.smart_coloring(ink)
    peer = time.perf_counter() - t
    rss_peer = peak_rss_mb()
    print(f"G'MIC  fx_colorize_lineart_smart (auto-fill): {peer:.2f} s (once); "
          f"peak RSS {rss_peer:.0f} MiB (+{rss_peer - rss_ours:.0f} MiB over ours)")
    print(f"ratio  G'MIC / ours = {peer / ours:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
