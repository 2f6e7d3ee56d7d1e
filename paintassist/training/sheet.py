"""Before/after sheet: classical flats path vs the network pipeline on real sketches.

``python -m paintassist.training.sheet [--sketches DIR] [--out /tmp/h3/sheet.png] [--count 6]``

Each row: the sketch, the classical path with a few accurate dots, the network pipeline with the
same dots, and the network pipeline with no hints at all (N = 0). Dots are drawn as small circles
with a black ring so they can be seen on the sheet.

``--after-draft RUN/ckpt.pt [--after-refine RUN_OR_MODELS]``: a before/after sheet instead, the
shipped networks (or ``--models``) against a training run's: sketch | before, no hints | after,
no hints | before, dots | after, dots.
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
    classical = Pipeline(nets=None)
    network = Pipeline(nets=nets)  # type: ignore[arg-type]
    rows = []
    for i, f in enumerate(files):
        sketch = _small_sketch(f, side)
        ink = sketch.ink
        hints = _dots(ink, dots, i)
        cells = [np.repeat(lineart.ink_to_grey(ink)[..., None], 3, 2)]
        cells.append(_label(_mark(classical.run(ColorizeRequest(sketch, hints)).composite, hints),
                            "classical, dots"))
        cells.append(_label(_mark(network.run(ColorizeRequest(sketch, hints)).composite, hints),
                            "network, same dots"))
        cells.append(_label(network.run(ColorizeRequest(sketch)).composite, "network, no hints"))
        rows.append(np.concatenate([_cell(c, side) for c in cells], axis=1))
    return np.concatenate(rows, axis=0)


def _cell(img: np.ndarray, side: int) -> np.ndarray:
    box = np.full((side, side, 3), 255, np.uint8)
    box[: img.shape[0], : img.shape[1]] = img
    return box


def _small_sketch(path: Path, side: int) -> Sketch:
    from paintassist.io.images import load_sketch

    ink = load_sketch(path).ink
    h, w = ink.shape
    s = side / max(h, w)
    return Sketch(cv2.resize(ink, (max(1, round(w * s)), max(1, round(h * s))),
                             interpolation=cv2.INTER_AREA).astype(np.float32))


def make_compare_sheet(files: list[Path], before: object, after: object, side: int = 384,
                       dots: int = 8) -> np.ndarray:
    """uint8 RGB sheet, one row per file: the sketch, then ``before`` and ``after`` networks
    with no hints, then both with the same ``dots`` accurate dots; five ``side`` px cells."""
    pipes = (Pipeline(nets=before), Pipeline(nets=after))  # type: ignore[arg-type]
    rows = []
    for i, f in enumerate(files):
        sketch = _small_sketch(f, side)
        hints = _dots(sketch.ink, dots, i)
        cells = [np.repeat(lineart.ink_to_grey(sketch.ink)[..., None], 3, 2)]
        for name, pipe in zip(("before", "after"), pipes, strict=True):
            cells.append(_label(pipe.run(ColorizeRequest(sketch)).composite, f"{name}, no hints"))
        for name, pipe in zip(("before", "after"), pipes, strict=True):
            out = pipe.run(ColorizeRequest(sketch, hints)).composite
            cells.append(_label(_mark(out, hints), f"{name}, {len(hints)} dots"))
        rows.append(np.concatenate([_cell(c, side) for c in cells], axis=1))
    return np.concatenate(rows, axis=0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sketches", type=Path, default=SKETCHES)
    ap.add_argument("--out", type=Path, default=Path("/tmp/h3/sheet.png"))
    ap.add_argument("--count", type=int, default=6)
    ap.add_argument("--models", type=Path, default=None)
    ap.add_argument("--after-draft", type=Path, default=None,
                    help="a draft run's ckpt.pt: make a before/after sheet against it")
    ap.add_argument("--after-refine", type=Path, default=None,
                    help="with --after-draft: a refine run (folder or ckpt.pt) or weights "
                         "folder (default: the before networks' folder)")
    ap.add_argument("--dots", type=int, default=8)
    args = ap.parse_args(argv)
    from paintassist.nets.registry import load_default_nets, load_nets
    from paintassist.paths import models_dir

    nets = load_nets(args.models) if args.models else load_default_nets()
    if nets is None:
        print("no network weights found", file=sys.stderr)
        return 1
    files = sorted(args.sketches.glob("*.png"))
    step = max(1, len(files) // args.count)
    picked = files[::step][: args.count]
    if args.after_draft is not None:
        from paintassist.training.preview import nets_from_checkpoint

        after = nets_from_checkpoint(args.after_draft,
                                     args.after_refine or args.models or models_dir())
        sheet = make_compare_sheet(picked, nets, after, dots=args.dots)
    else:
        sheet = make_sheet(picked, nets, dots=args.dots)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(args.out, encode_png(sheet))
    print(f"wrote {args.out} ({sheet.shape[1]}x{sheet.shape[0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
