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
  past the maximum (the shape is then page, and the dot colours the page);
* ``stroke fill% leak%``: the same with the app's gap closer: one gap stroke (3 px, as the tool
  draws on an A4 page) across each opening (``paintassist.core.region_edits.draw_gaps``), which
  closes any width (target 100 % and 0 % at every gap).
"""

from __future__ import annotations

import argparse
import sys
import time

import cv2
import numpy as np

from paintassist.core import flatten, region_edits
from paintassist.core.regions import MAX_GAP_FRACTION, segment
from paintassist.core.types import Hint, HintSet, Stroke

GAPS = (2, 4, 6, 8, 12, 16, 20, 24, 30, 36, 40, 48, 60)
KINDS = ("circle", "box", "pencil")
DOT = (220, 60, 40)


def _shape(
    kind: str, size: int, gap: int, scale: float
) -> tuple[np.ndarray, np.ndarray, tuple[tuple[float, float], ...]]:
    """(ink float32 (size, size), bool inside, the ends of a stroke across the opening) of one
    shape, its opening of ``gap`` px on the left (facing the page), in a square cell."""
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
        # from one line end to the other along the circle's own left edge, overlapping both
        ends = ((float(c - r), float(c - gap // 2 - 6)), (float(c - r), float(c + gap // 2 + 6)))
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
        ends = ((float(x0), float(y0)), (float(x0), float(y0 + gap + width + 4)))
    return ink, inside, ends


def _page(
    long_side: int, kind: str
) -> tuple[np.ndarray, list[tuple[int, np.ndarray, tuple[int, int]]], tuple[Stroke, ...]]:
    """A page (portrait, 1 : 1.414) with one shape per gap on a grid; returns the ink, per
    shape (gap, inside mask on the page, dot position (x, y)), and a gap stroke per shape."""
    h = long_side
    w = round(long_side / 1.414)
    cols = 3
    rows = -(-len(GAPS) // cols)
    cell = min(w // cols, h // rows)
    scale = long_side / 3508
    ink = np.zeros((h, w), np.float32)
    shapes = []
    strokes = []
    for i, gap in enumerate(GAPS):
        sgap = max(1, round(gap))
        part, inside, ends = _shape(kind, cell, sgap, scale)
        y, x = (i // cols) * cell, (i % cols) * cell
        strokes.append(Stroke("gap", tuple((ex + x, ey + y) for ex, ey in ends), 3.0))
        ink[y : y + cell, x : x + cell] = np.maximum(ink[y : y + cell, x : x + cell], part)
        mask = np.zeros((h, w), bool)
        mask[y : y + cell, x : x + cell] = inside
        shapes.append((sgap, mask, (x + cell // 2 + cell // 8, y + cell // 2)))
    return ink, shapes, tuple(strokes)


def _painted(regmap: object, x: int, y: int) -> np.ndarray:
    """bool (H, W): what one dot at (x, y) paints on ``regmap`` (classical path)."""
    hints = HintSet((Hint("accurate", float(x), float(y), DOT, 3.0),))
    flats = flatten.paint(regmap, flatten.classical_palette(regmap, hints))  # type: ignore[arg-type]
    return np.asarray((flats == DOT).all(axis=2))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long-side", type=int, nargs="+", default=[3508, 1000])
    parser.add_argument("--gap", type=int, default=6, help="the user's gap setting (gap_px)")
    args = parser.parse_args()
    for long_side in args.long_side:
        top = MAX_GAP_FRACTION * long_side
        print(f"page long side {long_side} px: gap_px={args.gap}, closes up to {top:.1f} px")
        print(f"{'shape':8s} {'gap px':>6s} {'fill%':>7s} {'leak%':>7s} {'closed at':>10s} "
              f"{'stroke fill%':>12s} {'leak%':>7s}")
        for kind in KINDS:
            ink, shapes, strokes = _page(long_side, kind)
            t = time.perf_counter()
            regmap = segment(ink, gap_px=args.gap)
            seg = time.perf_counter() - t
            closed_map = segment(region_edits.draw_gaps(ink, strokes), gap_px=args.gap)
            outside = np.ones(ink.shape, bool)
            for _, mask, _ in shapes:
                outside &= ~cv2.dilate(mask.view(np.uint8), np.ones((61, 61), np.uint8)).view(bool)
            outside &= ink < 0.05
            for gap, mask, (x, y) in shapes:
                painted = _painted(regmap, x, y)
                fill = painted[mask].mean()
                leak = painted[outside].mean()
                depth = int(regmap.depths[regmap.region_at(x, y)])
                closed = "open" if depth >= regmap.max_depth else f"{regmap.levels[depth]:.1f}"
                with_stroke = _painted(closed_map, x, y)
                print(f"{kind:8s} {gap:6d} {100 * fill:7.1f} {100 * leak:7.2f} {closed:>10s} "
                      f"{100 * with_stroke[mask].mean():12.1f} {100 * with_stroke[outside].mean():7.2f}")
            print(f"{'':8s} (segmentation {seg:.2f} s, scales "
                  f"{', '.join(f'{s:.1f}' for s in regmap.levels)})")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
