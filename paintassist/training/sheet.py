"""Before/after sheet: classical flats path vs the network pipeline on real sketches.

``python -m paintassist.training.sheet [--sketches DIR] [--out /tmp/h3/sheet.png] [--count 6]``

Each row: the sketch, the classical path with a few accurate dots, the network pipeline with the
same dots, and the network pipeline with no hints at all (N = 0). Dots are drawn as small circles
with a black ring so they can be seen on the sheet.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

from paintassist.core import lineart, regions
from paintassist.core.pipeline import Pipeline
from paintassist.core.types import ColorizeRequest, Hint, HintSet, Sketch
from paintassist.io.atomic import atomic_write_bytes
from paintassist.io.png import encode_png

SKETCHES = Path(__file__).resolve().parents[3] / "shared" / "realworld" / "sketches"
PALETTE = [(236, 200, 176), (120, 80, 60), (60, 90, 170), (200, 50, 60), (240, 210, 90),
           (90, 160, 90), (170, 120, 200), (250, 160, 120)]


def _dots(ink: np.ndarray, n: int, seed: int) -> HintSet:
    rng = np.random.default_rng(seed)
    # dots inside the figure: off the lines and outside the background region
    regmap = regions.segment(ink)
    inside = ~lineart.line_mask(ink) & (regmap.labels != regmap.background)
    free = cv2.erode(inside.astype(np.uint8), np.ones((9, 9), np.uint8))
    idx = np.flatnonzero(free.ravel())
    w = ink.shape[1]
    picks: list[int] = (
        rng.choice(idx, size=min(n, len(idx)), replace=False).tolist() if len(idx) else []
    )
    return HintSet(tuple(
        Hint("accurate", float(p % w), float(p // w), PALETTE[i % len(PALETTE)], 4.0)
        for i, p in enumerate(picks)
    ))


def _mark(img: np.ndarray, hints: HintSet) -> np.ndarray:
    out = img.copy()
    for h in hints:
        cv2.circle(out, (round(h.x), round(h.y)), 6, (0, 0, 0), 2)
        cv2.circle(out, (round(h.x), round(h.y)), 4, h.rgb, -1)
    return out


def _label(img: np.ndarray, text: str) -> np.ndarray:
    out = img.copy()
    cv2.putText(out, text, (6, 18), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 3, cv2.LINE_AA)
    cv2.putText(out, text, (6, 18), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (255, 255, 255), 1,
                cv2.LINE_AA)
    return out


def make_sheet(files: list[Path], nets: object, side: int = 384, dots: int = 8) -> np.ndarray:
    """uint8 RGB sheet: one row per file, four columns of ``side`` px cells."""
    from paintassist.io.images import load_sketch

    classical = Pipeline(nets=None)
    network = Pipeline(nets=nets)  # type: ignore[arg-type]
    rows = []
    for i, f in enumerate(files):
        ink = load_sketch(f).ink
        h, w = ink.shape
        s = side / max(h, w)
        ink = cv2.resize(ink, (max(1, round(w * s)), max(1, round(h * s))),
                         interpolation=cv2.INTER_AREA).astype(np.float32)
        sketch = Sketch(ink)
        hints = _dots(ink, dots, i)
        cells = [np.repeat(lineart.ink_to_grey(ink)[..., None], 3, 2)]
        cells.append(_label(_mark(classical.run(ColorizeRequest(sketch, hints)).composite, hints),
                            "classical, dots"))
        cells.append(_label(_mark(network.run(ColorizeRequest(sketch, hints)).composite, hints),
                            "network, same dots"))
        cells.append(_label(network.run(ColorizeRequest(sketch)).composite, "network, no hints"))
        padded = []
        for c in cells:
            box = np.full((side, side, 3), 255, np.uint8)
            box[: c.shape[0], : c.shape[1]] = c
            padded.append(box)
        rows.append(np.concatenate(padded, axis=1))
    return np.concatenate(rows, axis=0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sketches", type=Path, default=SKETCHES)
    ap.add_argument("--out", type=Path, default=Path("/tmp/h3/sheet.png"))
    ap.add_argument("--count", type=int, default=6)
    ap.add_argument("--models", type=Path, default=None)
    args = ap.parse_args(argv)
    from paintassist.nets.registry import load_default_nets, load_nets

    nets = load_nets(args.models) if args.models else load_default_nets()
    if nets is None:
        print("no network weights found", file=sys.stderr)
        return 1
    files = sorted(args.sketches.glob("*.png"))
    step = max(1, len(files) // args.count)
    sheet = make_sheet(files[::step][: args.count], nets)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(args.out, encode_png(sheet))
    print(f"wrote {args.out} ({sheet.shape[1]}x{sheet.shape[0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
