"""Evaluate the classical path, the network pipeline and G'MIC Propagation on the same hints.

``python -m paintassist.training.evaluate [--split test] [--corpus DIR] [--anime DIR] [--pairs DIR]
[--models DIR] [--draft-run RUNDIR] [--limit N] [--json FILE]`` prints one table (rows: data set ×
hint kind × N, columns: method × metric) and optionally writes it as JSON. Data sets: the corpus
split, the anime-art test clusters (line art drawn by :func:`paintassist.training.linegen.make_sketch`
with a fixed seed per image: every style and roughening the training draws from) and the real
line/colour pairs. ``--draft-run`` scores a training run's DraftNet checkpoint with the RefineNet
of ``--models`` (or the shipped one).

Protocol: N ∈ {0, 2, 10, 50} hints per image, each the mean ground-truth colour of a 5×5 patch at
a random non-line pixel (fixed seed per image), as accurate dots (radius 3 px) and, separately, as
draft squares (side 8 px). Metrics of the composite against the colour image: PSNR (dB), mean
CIEDE2000, hint fidelity (CIEDE2000 at dot centres, dots only) in the composite ("fid"), in the
composite at the dots whose centre is paper (ink < 0.1, "fidP": on a pencil stroke the composite
draws the stroke over the dot's colour by design, :func:`metrics.dots_on_paper`) and in the
``color`` layer ("fidC"), bleed (%) and, at N = 0, mean Lab chroma over the whole image and over
the pixels the colour image paints (neither line nor paper; white paper is most of every page, so
the whole-image mean of even the ground truth is ~9-10), and the share of images (%) whose result
shows at least three hue families over those pixels ("fam3", :func:`metrics.hue_families`).
A "reference" experiment measures how far a reference image pulls DraftNet's palette.
The "truth" column scores the colour image itself: PSNR is capped, and its fidelity and bleed are
the floor these metrics reach on the data (a dot is a 5×5 mean, so a centre next to a line is
darker than its dot; painted shadows count as bleed when a darker dot lies in another area).
Because that floor is 1-4 % on the anime art and the real pairs, "bleedX" is the bleed above it:
per image ``max(0, bleed(output) − bleed(colour image))`` with the same hints, averaged.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from paintassist.core import lineart, regions
from paintassist.core.pipeline import Pipeline
from paintassist.core.types import ColorizeOptions, ColorizeRequest, HintKind, HintSet, Sketch
from paintassist.training import metrics

COUNTS = (0, 2, 10, 50)
KINDS: tuple[HintKind, ...] = ("accurate", "draft")
SIZES = {"accurate": 3.0, "draft": 8.0}
PAIRS_DIR = Path(__file__).resolve().parents[3] / "shared" / "realworld" / "pairs"
CORPUS_DIR = Path("/work/corpus")
ANIME_DIR = CORPUS_DIR / "anime"
PSNR_CAP = 50.0


@dataclass
class Case:
    """One evaluation image: ink float32 (H, W) 0..1 and ground truth uint8 (H, W, 3)."""

    name: str
    ink: np.ndarray
    color: np.ndarray


def corpus_cases(corpus: Path, split: str, limit: int) -> list[Case]:
    cases: list[Case] = []
    for shard in sorted(corpus.glob(f"*_{split}.npz")):
        with np.load(shard) as d:
            for name, color, ink in zip(d["names"], d["color"], d["ink"], strict=True):
                cases.append(Case(str(name), ink.astype(np.float32) / 255.0, color))
    rng = np.random.default_rng(7)
    if len(cases) > limit:
        cases = [cases[i] for i in sorted(rng.choice(len(cases), limit, replace=False))]
    return cases


def pair_cases(folder: Path, long_side: int) -> list[Case]:
    """Real line/colour pairs, downscaled to ``long_side`` (the line image through our loader)."""
    from paintassist.io.images import load_sketch

    cases = []
    for line_path in sorted(folder.glob("*_line.png")):
        color_path = line_path.with_name(line_path.name.replace("_line", "_color"))
        bgr = cv2.imread(str(color_path), cv2.IMREAD_COLOR)
        if bgr is None:
            continue
        ink = load_sketch(line_path).ink
        color = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        h, w = ink.shape
        s = min(1.0, long_side / max(h, w))
        size = (max(1, round(w * s)), max(1, round(h * s)))
        ink = cv2.resize(ink, size, interpolation=cv2.INTER_AREA)
        color = cv2.resize(color, size, interpolation=cv2.INTER_AREA)
        cases.append(Case(line_path.stem.removesuffix("_line"), ink.astype(np.float32), color))
    return cases


def anime_cases(folder: Path, split: str, limit: int, seed: int = 0) -> list[Case]:
    """The anime-art images of ``split`` (``anime_<split>.npz``), ``limit`` of them chosen with a
    fixed seed, each with line art drawn from it (one seeded generator per image, so every run
    scores the same sketches)."""
    from paintassist.training import linegen
    from paintassist.training.anime_art import load_anime

    path = folder / f"anime_{split}.npz"
    if not path.is_file():
        return []
    pool = load_anime(folder, split)
    with np.load(path) as d:
        names = [str(n) for n in d["names"]]
    pick = np.arange(len(pool))
    if len(pick) > limit:
        pick = np.sort(np.random.default_rng(11).choice(len(pick), limit, replace=False))
    cases = []
    for i in pick:
        h, w = (int(v) for v in pool.hw[i])
        rgb = np.ascontiguousarray(pool.color[i, :h, :w])
        ink = linegen.make_sketch(rgb, np.random.default_rng(seed * 100_003 + int(i)))
        cases.append(Case(names[i], ink, rgb))
    return cases


@dataclass
class Output:
    """What a method made: the composite and the ``color`` layer, uint8 (H, W, 3) each (the
    same image for methods without layers)."""

    composite: np.ndarray
    color: np.ndarray


Method = Callable[[Case, HintSet], Output]


def pipeline_method(pipeline: Pipeline) -> Method:
    def run(case: Case, hints: HintSet) -> Output:
        req = ColorizeRequest(Sketch(case.ink), hints, options=ColorizeOptions())
        result = pipeline.run(req)
        return Output(result.composite, result.color)

    return run


def gmic_method() -> Method | None:
    try:
        from paintassist.peers import gmic_peer
    except ImportError:
        return None
    if not gmic_peer.available():
        return None

    def run(case: Case, hints: HintSet) -> Output:
        out = gmic_peer.propagation(case.ink, hints)
        return Output(out, out)

    return run


def truth_method(case: Case, hints: HintSet) -> Output:
    """The ground truth itself, scored like a method: the metrics' floor on this data."""
    return Output(case.color, case.color)


def evaluate(cases: list[Case], methods: dict[str, Method], seed: int = 0) -> dict[str, Any]:
    """Mean metrics per (kind, N, method) over ``cases``."""
    acc: dict[tuple[str, int, str], dict[str, list[float]]] = {}
    for ci, case in enumerate(cases):
        regmap = regions.segment(case.ink)
        line = lineart.line_mask(case.ink)
        painted = metrics.painted_mask(case.color, line)
        floors: dict[int, float] = {}  # bleed of the colour image itself, per N (dots only)
        for kind in KINDS:
            for n in COUNTS:
                if n == 0 and kind == "draft":
                    continue  # identical to accurate N=0
                rng = np.random.default_rng(seed * 1000 + ci)
                hints = metrics.sample_dot_hints(case.color, line, n, rng, kind, 5, SIZES[kind])
                for mname, method in methods.items():
                    made = method(case, hints)
                    out = made.composite
                    rec = acc.setdefault((kind, n, mname), {})
                    # an exact reproduction has infinite PSNR; cap it so means stay finite
                    rec.setdefault("psnr", []).append(min(PSNR_CAP, metrics.psnr(out, case.color)))
                    rec.setdefault("de", []).append(metrics.mean_ciede2000(out, case.color))
                    if kind == "accurate" and n > 0:
                        rec.setdefault("fid", []).append(metrics.hint_fidelity(out, hints))
                        rec.setdefault("fidC", []).append(
                            metrics.hint_fidelity(made.color, hints))
                        rec.setdefault("fidP", []).append(
                            metrics.hint_fidelity(out, metrics.dots_on_paper(hints, case.ink)))
                        share = 100 * metrics.bleed(out, regmap, hints)
                        rec.setdefault("bleed", []).append(share)
                        if n not in floors:
                            floors[n] = 100 * metrics.bleed(case.color, regmap, hints)
                        rec.setdefault("bleedX", []).append(max(0.0, share - floors[n]))
                    if n == 0:
                        rec.setdefault("chroma", []).append(metrics.mean_chroma(out))
                        rec.setdefault("chroma_painted", []).append(
                            metrics.mean_chroma(out, painted))
                        rec.setdefault("fam3", []).append(
                            100.0 * (metrics.hue_families(out, painted) >= 3))
    table: dict[str, Any] = {}
    for (kname, n, mname), rec in acc.items():
        table.setdefault(f"{kname}:{n}", {})[mname] = {
            k: round(float(np.nanmean(v)), 3) for k, v in rec.items()
        }
    return table


def reference_pull(cases: list[Case], nets: Any, limit: int = 30) -> dict[str, float]:
    """How far a reference pulls DraftNet's palette: mean a*b* distance between the N=0 draft and
    a reference (the colour image of ANOTHER case), without and with the reference."""
    from skimage.color import rgb2lab

    def mean_ab(img: np.ndarray) -> np.ndarray:
        lab = rgb2lab(img)
        keep = (lab[..., 0] < 92) & (lab[..., 0] > 12)
        return np.asarray(lab[keep][:, 1:].mean(axis=0) if keep.any() else np.zeros(2))

    without: list[float] = []
    with_ref: list[float] = []
    for i, case in enumerate(cases[:limit]):
        ref = cases[(i + 7) % len(cases)].color
        target = mean_ab(ref)
        for refs, bucket in (((), without), ((ref,), with_ref)):
            d = nets.draft(case.ink, HintSet(), refs, 1.0)
            d8 = np.clip(d * 255 + 0.5, 0, 255).astype(np.uint8)
            bucket.append(float(np.linalg.norm(mean_ab(d8) - target)))
    return {"ab_dist_without_ref": round(float(np.mean(without)), 2),
            "ab_dist_with_ref": round(float(np.mean(with_ref)), 2)}


def format_table(title: str, table: dict[str, Any], methods: list[str]) -> str:
    cols = ["psnr", "de", "fid", "fidP", "fidC", "bleed", "bleedX", "chroma", "chroma_painted",
            "fam3"]
    label = {"chroma": "chr", "chroma_painted": "chrP"}
    width = 7 * len(cols) - 1  # what each method's block of six-wide columns below takes
    head = f"{'hints':<12}" + "".join(f"| {m:<{width}}" for m in methods)
    sub = f"{'':<12}" + "".join(
        "| " + " ".join(f"{label.get(c, c):>6}" for c in cols) + " " for _ in methods)
    lines = [title, head, sub]
    for key, per in table.items():
        row = f"{key:<12}"
        for m in methods:
            rec = per.get(m, {})
            row += "| " + " ".join(
                f"{rec[c]:>6.2f}" if c in rec else f"{'-':>6}" for c in cols) + " "
        lines.append(row)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Evaluate classical vs networks vs G'MIC.")
    ap.add_argument("--split", default="test")
    ap.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    ap.add_argument("--anime", type=Path, default=ANIME_DIR,
                    help="anime-art folder (training.anime_art's anime_<split>.npz)")
    ap.add_argument("--pairs", type=Path, default=PAIRS_DIR)
    ap.add_argument("--models", type=Path, default=None, help="weights folder (default: shipped)")
    ap.add_argument("--draft-run", type=Path, default=None,
                    help="a training run (or its ckpt.pt) whose DraftNet to score, with the "
                         "RefineNet of --models")
    ap.add_argument("--limit", type=int, default=40,
                    help="corpus images, and anime-art images, to evaluate")
    ap.add_argument("--pair-side", type=int, default=768, help="long side of the real pairs (px)")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--methods", default="classical,network,gmic,truth",
                    help="comma-separated subset of classical, network, gmic, truth")
    args = ap.parse_args(argv)

    from paintassist.nets.registry import load_default_nets, load_nets
    from paintassist.paths import models_dir

    if args.draft_run is not None:
        from paintassist.training.preview import nets_from_checkpoint

        ckpt = args.draft_run / "ckpt.pt" if args.draft_run.is_dir() else args.draft_run
        nets: Any = nets_from_checkpoint(ckpt, args.models or models_dir())
    else:
        nets = load_nets(args.models) if args.models else load_default_nets()
    wanted = set(args.methods.split(","))
    methods: dict[str, Method] = {}
    if "classical" in wanted:
        methods["classical"] = pipeline_method(Pipeline(nets=None))
    if "network" in wanted and nets is not None:
        methods["network"] = pipeline_method(Pipeline(nets=nets))
    elif "network" in wanted:
        print("no network weights found: network column left out", file=sys.stderr)
    gm = gmic_method() if "gmic" in wanted else None
    if gm is not None:
        methods["gmic"] = gm
    if "truth" in wanted:
        methods["truth"] = truth_method
    names = list(methods)
    result: dict[str, Any] = {"protocol": __doc__.split("Protocol: ", 1)[1].strip(),
                              "methods": names, "nets": getattr(nets, "version", None),
                              "rows": {}}
    datasets: list[tuple[str, list[Case]]] = []
    if args.corpus.is_dir():
        datasets.append((f"corpus {args.split}", corpus_cases(args.corpus, args.split,
                                                              args.limit)))
    anime = anime_cases(args.anime, args.split, args.limit) if args.anime.is_dir() else []
    if anime:
        datasets.append((f"anime art {args.split} clusters", anime))
    if args.pairs.is_dir():
        datasets.append(("real pairs", pair_cases(args.pairs, args.pair_side)))
    for title, cases in datasets:
        if not cases:
            continue
        t0 = time.time()
        table = evaluate(cases, methods)
        result["rows"][title] = {"images": len(cases), "table": table}
        print(format_table(f"\n== {title}: {len(cases)} images ({time.time() - t0:.0f} s) ==",
                           table, names), flush=True)
    if nets is not None:
        result["reference_pull"] = {}
        for title, cases in datasets:
            if title == "real pairs" or not cases:
                continue
            pull = reference_pull(cases, nets)
            result["reference_pull"][title] = pull
            print(f"\nreference pull, {title} (mean a*b* distance of the N=0 draft to the "
                  f"reference): {pull}")
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
