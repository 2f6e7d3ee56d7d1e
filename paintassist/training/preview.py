"""A quick look at a DraftNet checkpoint: its drafts of real sketches and of held-out anime art.

``python -m paintassist.training.preview --ckpt RUN/ckpt.pt --out sheet.png [--anime DIR]``

Top rows: real sketches (``shared/realworld/sketches``), each as the sketch, the draft with no
hints, and the draft with a few draft squares (random colours from a fixed palette, drawn as
squares with a black ring). Bottom rows, when ``--anime`` names the anime-art folder: test-split
images as the generated sketch, the draft with no hints, and the truth. Drafts are upsampled to
the tile size; no refinement, no flats: this is DraftNet alone, for a look during training.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

from paintassist.core.lineart import ink_to_grey
from paintassist.core.types import Hint, HintSet
from paintassist.nets.inference import TorchColorNets
from paintassist.nets.refine_net import RefineNet
from paintassist.training.checkpoints import load_checkpoint

SKETCHES = Path("/work/shared/realworld/sketches")
PALETTE = [(236, 200, 176), (120, 80, 60), (60, 90, 170), (200, 50, 60), (240, 210, 90),
           (90, 160, 90), (170, 120, 200), (250, 160, 120)]


def nets_from_checkpoint(path: Path, refine_from: Path | None = None) -> TorchColorNets:
    """The checkpoint's DraftNet (its architecture from the checkpoint's meta), on the CPU, with
    the RefineNet of ``refine_from``: a weights folder (hash-checked) or a refine run's
    ``ckpt.pt`` (or its folder); an untrained one when None."""
    from paintassist.nets.draft_net import ARCHITECTURES
    from paintassist.nets.refine_net import ARCHITECTURES as REFINE_ARCHITECTURES
    from paintassist.nets.registry import build_net, read_manifest, verified_state

    state = load_checkpoint(path)
    meta = state.get("meta", {})
    arch = meta.get("arch", "draft-v1")
    net = ARCHITECTURES[arch](int(meta.get("cfg", {}).get("draft_width", 24)))
    net.load_state_dict(state["model"])
    refine: RefineNet = RefineNet(4)
    version = f"{path} step {state['step']}"
    if refine_from is not None:
        run_ckpt = refine_from if refine_from.suffix == ".pt" else refine_from / "ckpt.pt"
        if run_ckpt.is_file():
            rstate = load_checkpoint(run_ckpt)
            rmeta = rstate.get("meta", {})
            refine = REFINE_ARCHITECTURES[rmeta.get("arch", "refine-v1")](
                int(rmeta.get("cfg", {}).get("refine_width", 16)))
            refine.load_state_dict(rstate["model"])
            version += f" + {run_ckpt} step {rstate['step']}"
        else:
            manifest = read_manifest(refine_from)
            if manifest is None:
                raise FileNotFoundError(f"{refine_from}: no weights")
            entry = manifest["files"]["refine"]
            refine = build_net("refine", entry)
            refine.load_state_dict(verified_state(refine_from, entry))
            version += f" + {refine_from} RefineNet {manifest.get('version')}"
    return TorchColorNets(net, refine, device="cpu", version=version)


def _tile(img: np.ndarray, side: int) -> np.ndarray:
    """RGB or grey uint8 → (side, side, 3) uint8, long side ``side``, padded grey."""
    if img.ndim == 2:
        img = cv2.cvtColor(img, cv2.COLOR_GRAY2RGB)
    h, w = img.shape[:2]
    s = side / max(h, w)
    small = cv2.resize(img, (max(1, round(w * s)), max(1, round(h * s))),
                       interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)
    out = np.full((side, side, 3), 128, np.uint8)
    out[: small.shape[0], : small.shape[1]] = small
    return out


def _u8(rgb: np.ndarray) -> np.ndarray:
    return np.clip(rgb * 255 + 0.5, 0, 255).astype(np.uint8)


def _squares(ink: np.ndarray, n: int, seed: int) -> HintSet:
    rng = np.random.default_rng(seed)
    free = cv2.erode((ink < 0.1).astype(np.uint8), np.ones((15, 15), np.uint8))
    h, w = ink.shape
    # inside the figure: not in the border margin where the paper is
    free[: h // 8], free[-h // 8 :], free[:, : w // 8], free[:, -w // 8 :] = 0, 0, 0, 0
    idx = np.flatnonzero(free.ravel())
    if not len(idx):
        return HintSet()
    picks = rng.choice(idx, size=min(n, len(idx)), replace=False)
    size = max(6.0, max(h, w) / 50)
    return HintSet(tuple(Hint("draft", float(p % w), float(p // w), PALETTE[i % len(PALETTE)],
                              size) for i, p in enumerate(picks)))


def _mark(tile: np.ndarray, hints: HintSet, scale: float) -> np.ndarray:
    out = tile.copy()
    for h in hints:
        c = (round(h.x * scale), round(h.y * scale))
        cv2.rectangle(out, (c[0] - 4, c[1] - 4), (c[0] + 4, c[1] + 4), (0, 0, 0), 1)
        cv2.rectangle(out, (c[0] - 3, c[1] - 3), (c[0] + 3, c[1] + 3), h.rgb, -1)
    return out


def sheet(nets: TorchColorNets, sketches: list[Path], anime: Path | None, side: int = 256,
          dots: int = 8, anime_count: int = 6, seed: int = 0) -> np.ndarray:
    rows = []
    for i, path in enumerate(sketches):
        grey = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
        if grey is None:
            continue
        ink = (1.0 - grey.astype(np.float32) / 255.0).astype(np.float32)
        bare = nets.draft(ink, HintSet(), (), 1.0)
        hints = _squares(ink, dots, seed + i)
        hinted = nets.draft(ink, hints, (), 1.0)
        scale = side / max(ink.shape)
        rows.append(np.hstack([_tile(grey, side), _tile(_u8(bare), side),
                               _mark(_tile(_u8(hinted), side), hints, scale)]))
    if anime is not None:
        from paintassist.training import linegen
        from paintassist.training.anime_art import load_anime

        pool = load_anime(anime, "test")
        rng = np.random.default_rng(seed)
        for i in rng.choice(len(pool), size=min(anime_count, len(pool)), replace=False):
            h, w = (int(v) for v in pool.hw[i])
            rgb = np.ascontiguousarray(pool.color[i, :h, :w])
            ink = linegen.make_sketch(rgb, rng)
            bare = nets.draft(ink, HintSet(), (), 1.0)
            rows.append(np.hstack([_tile(ink_to_grey(ink), side), _tile(_u8(bare), side),
                                   _tile(rgb, side)]))
    half = (len(rows) + 1) // 2
    left, right = rows[:half], rows[half:]
    while len(right) < len(left):
        right.append(np.full_like(left[0], 128))
    return np.vstack([np.hstack([a, b]) for a, b in zip(left, right, strict=True)])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="DraftNet checkpoint on real sketches and anime art.")
    ap.add_argument("--ckpt", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--sketches", type=Path, default=SKETCHES)
    ap.add_argument("--count", type=int, default=6)
    ap.add_argument("--anime", type=Path, default=None, help="anime-art folder (test split)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    paths = sorted(args.sketches.glob("*.png"))
    if not paths:
        print(f"{args.sketches}: no sketches", file=sys.stderr)
        return 1
    pick = [paths[round(i * (len(paths) - 1) / max(1, args.count - 1))] for i in range(args.count)]
    img = sheet(nets_from_checkpoint(args.ckpt), pick, args.anime, seed=args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(args.out), cv2.cvtColor(img, cv2.COLOR_RGB2BGR))
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
