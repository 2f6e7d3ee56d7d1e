"""Gap bench: our own drawings with gaps of known width, does a dot's colour stay inside?

    python bench/bench_gaps.py [--long-side 3508 1000] [--gap 6]

On a page of the given long side (A4 300 dpi, and a 1000-px sketch), shapes are drawn with an
opening of known width facing the page: a circle whose outline breaks off (two line ends facing
each other), a box with a stroke ending short of a corner (a line end facing a line), both in
3-px anti-aliased ink, and a circle in light 1-px pencil (ink 0.3). One accurate dot goes in each
shape in turn (classical path: ``segment`` once, then the flats of that dot). Printed per gap:

* ``fill%``: share of the shape's inside painted the dot's colour (target 100 % up to the maximum);
* ``leak%``: share of the page outside the shapes painted the dot's colour (target 0 % up to the
  maximum gap scale, ``MAX_GAP_FRACTION`` of the long side);
* ``closed at``: the gap scale (px) at which the shape's area no longer reaches the page, ``open``
  past the maximum (the shape is then page, and the dot colours the page).
"""

from __future__ import annotations

import argparse
import sys
import time

import cv2
import numpy as np

from paintassist.core import flatten
from paintassist.core.regions import MAX_GAP_FRACTION, segment
from paintassist.core.types import Hint, HintSet

GAPS = (2, 4, 6, 8, 12, 16, 20, 24, 30, 36, 40, 48, 60)
KINDS = ("circle", "box", "pencil")
DOT = (220, 60, 40)


def _shape(kind: str, size: int, gap: int, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """(ink float32 (size, size), bool inside) of one shape, its opening of ``gap`` px on the
    left (facing the page), in a square cell."""
    ink = np.zeros((size, size), np.float32)
    c = size // 2
    r = int(size * 0.36)
    yy, xx = np.mgrid[:size, :size]
    if kind in ("circle", "pencil"):
        width, level = (max(1, round(3 * scale)), 1.0) if kind == "circle" else (1, 0.3)
        cv2.circle(ink, (c, c), r, level, width, cv2.LINE_AA)
        # the break: remove the outline where it crosses the left side over ``gap`` px
        ink[c - gap // 2 : c - gap // 2 + gap, c - r - 6 * width - 2 : c - r + 6 * width + 2] = 0
        inside = (xx - c) ** 2 + (yy - c) ** 2 < (r - 3 * width - 2) ** 2
    else:
        width = max(1, round(3 * scale))
        x0, y0, x1, y1 = c - r, c - r, c + r, c + r
        cv2.line(ink, (x0, y0), (x1, y0), 1.0, width, cv2.LINE_AA)
        cv2.line(ink, (x1, y0), (x1, y1), 1.0, width, cv2.LINE_AA)
        cv2.line(ink, (x1, y1), (x0, y1), 1.0, width, cv2.LINE_AA)
        # the left side stops ``gap`` px short of the top side (between the ink, not the centres)
        cv2.line(ink, (x0, y1), (x0, y0 + gap + width), 1.0, width, cv2.LINE_AA)
        m = width
        inside = (xx > x0 + m + 1) & (xx < x1 - m - 1) & (yy > y0 + m + 1) & (yy < y1 - m - 1)
    return ink, inside


def _page(long_side: int, kind: str) -> tuple[np.ndarray, list[tuple[int, np.ndarray, tuple[int, int]]]]:
    """A page (portrait, 1 : 1.414) with one shape per gap on a grid; returns the ink and per
    shape (gap, inside mask on the page, dot position (x, y))."""
    h = long_side
    w = round(long_side / 1.414)
    cols = 3
    rows = -(-len(GAPS) // cols)
    cell = min(w // cols, h // rows)
    scale = long_side / 3508
    ink = np.zeros((h, w), np.float32)
    shapes = []
    for i, gap in enumerate(GAPS):
        sgap = max(1, round(gap))
        part, inside = _shape(kind, cell, sgap, scale)
        y, x = (i // cols) * cell, (i % cols) * cell
        ink[y : y + cell, x : x + cell] = np.maximum(ink[y : y + cell, x : x + cell], part)
        mask = np.zeros((h, w), bool)
        mask[y : y + cell, x : x + cell] = inside
        shapes.append((sgap, mask, (x + cell // 2 + cell // 8, y + cell // 2)))
    return ink, shapes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long-side", type=int, nargs="+", default=[3508, 1000])
    parser.add_argument("--gap", type=int, default=6, help="the user's gap setting (gap_px)")
    args = parser.parse_args()
    for long_side in args.long_side:
        top = MAX_GAP_FRACTION * long_side
        print(f"page long side {long_side} px: gap_px={args.gap}, closes up to {top:.1f} px")
        print(f"{'shape':8s} {'gap px':>6s} {'fill%':>7s} {'leak%':>7s} {'closed at':>10s}")
        for kind in KINDS:
            ink, shapes = _page(long_side, kind)
            t = time.perf_counter()
            regmap = segment(ink, gap_px=args.gap)
            seg = time.perf_counter() - t
            outside = np.ones(ink.shape, bool)
            for _, mask, _ in shapes:
                outside &= ~cv2.dilate(mask.view(np.uint8), np.ones((61, 61), np.uint8)).view(bool)
            outside &= ink < 0.05
            for gap, mask, (x, y) in shapes:
                hints = HintSet((Hint("accurate", float(x), float(y), DOT, 3.0),))
                flats = flatten.paint(regmap, flatten.classical_palette(regmap, hints))
                painted = (flats == DOT).all(axis=2)
                fill = painted[mask].mean()
                leak = painted[outside].mean()
                depth = int(regmap.depths[regmap.region_at(x, y)])
                closed = "open" if depth >= regmap.max_depth else f"{regmap.levels[depth]:.1f}"
                print(f"{kind:8s} {gap:6d} {100 * fill:7.1f} {100 * leak:7.2f} {closed:>10s}")
            print(f"{'':8s} (segmentation {seg:.2f} s, scales "
                  f"{', '.join(f'{s:.1f}' for s in regmap.levels)})")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
