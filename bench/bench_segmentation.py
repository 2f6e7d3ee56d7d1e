"""Region segmentation of an A4 300-dpi page: ours vs G'MIC Smart Coloring, same page, same run.

    python bench/bench_segmentation.py [--repeat 3] [--gap 6] [--no-gmic]

Prints our median wall time over ``--repeat`` runs (plus the first, cold, run) and the mean CPU
time (a fairer figure on a shared machine: other people's jobs stretch wall time), the region count,
the
peak resident memory after our runs, then G'MIC's ``fx_colorize_lineart_smart`` (auto-fill: its own
segmentation with random colours) timed once with the process's peak memory growth, and the ratio.
"""

from __future__ import annotations

import argparse
import sys
import time

from common import median_time, peak_rss_mb, synth_page

from paintassist.core.regions import segment
from paintassist.peers import gmic_peer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--gap", type=int, default=6)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-gmic", action="store_true", help="skip the ~20 s G'MIC run")
    args = parser.parse_args()

    t = time.perf_counter()
    ink = synth_page(args.seed)
    print(f"page: {ink.shape[1]}x{ink.shape[0]} synthetic (seed {args.seed}), "
          f"made in {time.perf_counter() - t:.2f} s")
    rss0 = peak_rss_mb()
    t = time.perf_counter()
    regmap = segment(ink, gap_px=args.gap)
    cold = time.perf_counter() - t
    cpu0 = time.process_time()
    ours, regmap = median_time(lambda: segment(ink, gap_px=args.gap), args.repeat)
    cpu = (time.process_time() - cpu0) / args.repeat
    rss_ours = peak_rss_mb()
    closed = int(regmap.closed.max()) + 1
    print(f"ours   segment(gap_px={args.gap}): median {ours:.3f} s of {args.repeat} "
          f"(first call {cold:.3f} s; mean CPU time {cpu:.3f} s, all threads); "
          f"{regmap.count} regions "
          f"({closed} closed areas before gap closing and merging)")
    print(f"       peak RSS {rss_ours:.0f} MiB (before segmentation {rss0:.0f} MiB)")
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
