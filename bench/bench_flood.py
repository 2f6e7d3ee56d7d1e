"""Flood bench on real sketches: does a dot colour what the artist means, and does the paper stay paper?

    python bench/bench_flood.py [--sketches DIR] [--limit N] [--no-gmic] [--networks] [--out DIR]

Hints come from ``bench/fixtures/flood_hints.json`` (positions placed by looking at each sketch of
``../shared/realworld/sketches``: a face dot on skin, a hair and a cloth dot, and background probes
on the page's paper outside the figure). The images are read from the shared folder; the bench skips
cleanly when it is absent. Per sketch, for ours (classical path, as the pipeline runs it) and for
G'MIC's Propagation (``paintassist.peers.gmic_peer``) on the same hints in the same run:

* ``face%``: share of the page (all pixels) painted the face dot's colour when the face dot is the
  only hint (target ≤ 15 % on every sketch); ``tint%``: share of the page's paper it changed at all
  (its colour and the pale guesses of it, :data:`paintassist.core.flatten.GUESS_TINT`);
* ``probes``: background probes left paper (a 5x5 patch around the probe, min channel ≥ 235) with
  the face, hair and cloth dots placed (target 100 %);
* ``bg-dot``: with one more dot on the first background probe, whether the probe takes its colour
  ("a hint placed on the background colours the background").

``--out DIR`` writes each sketch's composites (face dot alone, all dots) for looking at.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import cv2
import numpy as np
from common import REPO_ROOT

from paintassist.core.pipeline import Pipeline
from paintassist.core.types import (
    ColorizeOptions,
    ColorizeRequest,
    Hint,
    HintSet,
    Sketch,
    hex_to_rgb,
)
from paintassist.peers import gmic_peer

FIXTURE = REPO_ROOT / "bench/fixtures/flood_hints.json"
DOT_RADIUS = 3.0
#: A pixel is "painted the face colour" within this many levels on every channel.
COLOUR_TOL = 10
#: A probe is paper when the darkest channel of its 5x5 patch median is at least this.
PAPER_MIN = 235


def _hint(h: dict[str, object]) -> Hint:
    return Hint("accurate", float(h["x"]), float(h["y"]), hex_to_rgb(str(h["color"])), DOT_RADIUS)  # type: ignore[arg-type]


def _share(img: np.ndarray, rgb: tuple[int, int, int]) -> float:
    diff = np.abs(img.astype(np.int16) - np.array(rgb, np.int16)).max(axis=2)
    return float((diff <= COLOUR_TOL).mean())


def _patch(img: np.ndarray, x: float, y: float) -> np.ndarray:
    h, w = img.shape[:2]
    col, row = min(max(round(x), 0), w - 1), min(max(round(y), 0), h - 1)
    patch = img[max(0, row - 2) : row + 3, max(0, col - 2) : col + 3].reshape(-1, 3)
    return np.median(patch, axis=0)


def _touched(img: np.ndarray, ink: np.ndarray) -> float:
    """Share of the paper (ink < 0.05) that is not white in ``img``."""
    paper = ink < 0.05
    return float((img[paper].min(axis=1) < PAPER_MIN).mean())


def _paper(img: np.ndarray, x: float, y: float) -> bool:
    return bool(_patch(img, x, y).min() >= PAPER_MIN)


def _took(img: np.ndarray, hint: Hint) -> bool:
    return bool(np.abs(_patch(img, hint.x, hint.y) - np.array(hint.rgb)).max() <= COLOUR_TOL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sketches", type=Path,
                        default=REPO_ROOT.parent / "shared/realworld/sketches")
    parser.add_argument("--fixture", type=Path, default=FIXTURE)
    parser.add_argument("--limit", type=int, default=None, help="first N sketches only")
    parser.add_argument("--no-gmic", action="store_true")
    parser.add_argument("--networks", action="store_true",
                        help="also run the network path (shipped weights; slow on CPU)")
    parser.add_argument("--gap", type=int, default=ColorizeOptions().gap_px)
    parser.add_argument("--out", type=Path, default=None, help="write composites here")
    args = parser.parse_args()
    if not args.sketches.is_dir():
        print(f"sketches folder not found: {args.sketches} (skipping)")
        return 0
    fixture = json.loads(args.fixture.read_text())
    entries = fixture["sketches"][: args.limit]
    from paintassist.io.images import load_sketch

    have_gmic = not args.no_gmic and gmic_peer.available()
    tools: list[tuple[str, Pipeline | None, ColorizeOptions | None]] = [
        ("ours", Pipeline(nets=None), ColorizeOptions(use_networks=False, gap_px=args.gap))
    ]
    if args.networks:
        from paintassist.app.services import build_pipeline

        tools.append(("ours-nets", build_pipeline(), ColorizeOptions(gap_px=args.gap)))
    if have_gmic:
        tools.append(("gmic", None, None))
    elif not args.no_gmic:
        print("G'MIC not available: showing our figures only")
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)

    def run(tool: tuple[str, Pipeline | None, ColorizeOptions | None], sketch: Sketch,
            hints: HintSet) -> np.ndarray:
        _, pipeline, options = tool
        if pipeline is None:
            return gmic_peer.propagation(sketch.ink, hints)
        assert options is not None
        return pipeline.run(ColorizeRequest(sketch, hints, options=options)).composite

    print(f"gap_px={args.gap}  face% = page share painted by the face dot alone (target <= 15); "
          f"probes = background probes left paper with face+hair+cloth dots (target 100 %); "
          f"bg-dot = a dot on a probe colours it")
    print(f"{'sketch':34s} {'tool':9s} {'face%':>6s} {'tint%':>6s} {'probes':>7s} {'bg-dot':>6s} "
          f"{'s':>6s}")
    totals: dict[str, dict[str, list[float]]] = {
        t[0]: {"face": [], "tint": [], "probe": [], "bgdot": []} for t in tools
    }
    for entry in entries:
        path = args.sketches / entry["file"]
        if not path.is_file():
            print(f"{entry['file']}: not found, skipped")
            continue
        sketch = load_sketch(path)
        by_role: dict[str, list[Hint]] = {}
        for h in entry["hints"]:
            by_role.setdefault(str(h["role"]), []).append(_hint(h))
        face = by_role["face"][0]
        dots = HintSet(tuple(by_role.get("face", []) + by_role.get("hair", [])
                             + by_role.get("cloth", [])))
        probes = by_role.get("background", [])
        for tool in tools:
            name = tool[0]
            t = time.perf_counter()
            alone = run(tool, sketch, HintSet((face,)))
            every = run(tool, sketch, dots)
            bg_ok = float("nan")
            if probes:
                with_bg = run(tool, sketch, dots.with_added(probes[0]))
                bg_ok = float(_took(with_bg, probes[0]))
            seconds = time.perf_counter() - t
            share = _share(alone, face.rgb)
            tint = _touched(alone, sketch.ink)
            left = [_paper(every, p.x, p.y) for p in probes]
            paper = float(np.mean(left)) if left else float("nan")
            totals[name]["face"].append(share)
            totals[name]["tint"].append(tint)
            totals[name]["probe"].append(paper)
            totals[name]["bgdot"].append(bg_ok)
            print(f"{entry['file'][:34]:34s} {name:9s} {100 * share:6.1f} {100 * tint:6.1f} "
                  f"{sum(left):3d}/{len(left):<3d} {'yes' if bg_ok == 1 else 'no':>6s} "
                  f"{seconds:6.2f}")
            if args.out is not None:
                stem = Path(entry["file"]).stem
                cv2.imwrite(str(args.out / f"{stem}_{name}_face.png"), alone[..., ::-1])
                cv2.imwrite(str(args.out / f"{stem}_{name}_dots.png"), every[..., ::-1])
    print()
    print(f"{'overall':34s} {'tool':9s} {'face%':>6s} {'max':>6s} {'<=15%':>6s} {'tint%':>6s} "
          f"{'probes':>7s} {'bg-dot':>6s}")
    for name, vals in totals.items():
        if not vals["face"]:
            continue
        face_arr = 100 * np.array(vals["face"])
        print(f"{'':34s} {name:9s} {np.median(face_arr):6.1f} {face_arr.max():6.1f} "
              f"{int((face_arr <= 15).sum()):3d}/{len(face_arr):<2d} "
              f"{100 * np.median(vals['tint']):6.1f} "
              f"{100 * np.nanmean(vals['probe']):6.1f}% {100 * np.nanmean(vals['bgdot']):5.0f}%")
    print("(face%, tint%: median over sketches; max: worst sketch; <=15%: sketches within target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
