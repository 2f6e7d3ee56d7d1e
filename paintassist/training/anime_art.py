"""Build the anime-art training set from ``anime_art_768.tar`` (real anime colour images, no line
art: :mod:`paintassist.training.linegen` draws lines from them per sample).

``python -m paintassist.training.anime_art --out DIR [--tar PATH] [--long-side 384]`` writes,
under DIR (outside the repository: the artwork belongs to its artists and is never copied in):

- ``anime_{train,val,test}.npz``: ``color`` uint8 (N, S, S, 3) RGB, each image resized to long side
  S and padded with white at the bottom/right; ``hw`` int32 (N, 2), the image's own (h, w) inside
  the square; ``names`` (N,) str; ``cluster`` (N,) int32;
- ``manifest.json``: counts, the split rule, the clusters of each split.

The split is by the tar manifest's ``cluster`` column (visual-novel sprites repeat one pose with many
expressions): ``blake2b("anime-cluster-<id>") % 100`` < 80 train, < 90 val, else test, so every
image of a cluster lands in one split and the test clusters are never trained on.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from paintassist.training.errors import TrainingError

ANIME_TAR = Path("/work/shared/data/anime_art_768.tar")
MANIFEST_MEMBER = "anime_art/manifest.tsv"
SPLITS = ("train", "val", "test")
LONG_SIDE = 384


def split_of_cluster(cluster: int) -> str:
    """Fixed split of a cluster id: 80/10/10 train/val/test by a hash."""
    key = f"anime-cluster-{int(cluster)}".encode()
    v = int.from_bytes(hashlib.blake2b(key, digest_size=4).digest(), "big") % 100
    return "train" if v < 80 else ("val" if v < 90 else "test")


@dataclass(frozen=True)
class Entry:
    """One row of the tar's manifest."""

    file: str
    cluster: int
    kind: str


def read_entries(tar: tarfile.TarFile) -> list[Entry]:
    """Rows of ``anime_art/manifest.tsv``; TrainingError when it is missing or malformed."""
    try:
        f = tar.extractfile(MANIFEST_MEMBER)
    except KeyError as exc:
        raise TrainingError(f"{tar.name!s}: no {MANIFEST_MEMBER}") from exc
    if f is None:
        raise TrainingError(f"{tar.name!s}: {MANIFEST_MEMBER} is not a file")
    rows = csv.DictReader(io.TextIOWrapper(f, encoding="utf-8"), delimiter="\t")
    try:
        return [Entry(r["file"], int(r["cluster"]), r.get("kind", "")) for r in rows]
    except (KeyError, ValueError) as exc:
        raise TrainingError(f"{tar.name!s}: {MANIFEST_MEMBER}: bad row ({exc})") from exc


def fit_square(rgb: np.ndarray, side: int) -> tuple[np.ndarray, tuple[int, int]]:
    """Resize uint8 (H, W, 3) to long side ``side`` (INTER_AREA down, cubic up) and pad with
    white to (side, side, 3); returns it and the image's (h, w) in it."""
    h, w = rgb.shape[:2]
    s = side / max(h, w)
    nh, nw = max(1, round(h * s)), max(1, round(w * s))
    interp = cv2.INTER_AREA if s < 1 else cv2.INTER_CUBIC
    small = cv2.resize(rgb, (nw, nh), interpolation=interp)
    out = np.full((side, side, 3), 255, np.uint8)
    out[:nh, :nw] = small
    return out, (nh, nw)


def decode_rgb(data: bytes) -> np.ndarray | None:
    """Image bytes → uint8 (H, W, 3) RGB, alpha composited on white; None if undecodable."""
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    if img is None:
        return None
    if img.ndim == 2:
        img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
    if img.shape[2] == 4:
        a = img[..., 3:].astype(np.float32) / 255.0
        img = (img[..., :3].astype(np.float32) * a + 255.0 * (1 - a) + 0.5).astype(np.uint8)
    return cv2.cvtColor(img[..., :3], cv2.COLOR_BGR2RGB)


def build(out: Path, tar_path: Path = ANIME_TAR, long_side: int = LONG_SIDE,
          limit: int | None = None) -> dict[str, object]:
    """Decode, resize and split the tar's images into ``out``; returns the manifest."""
    if not tar_path.is_file():
        raise TrainingError(f"{tar_path}: not found")
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    parts: dict[str, dict[str, list[Any]]] = {
        s: {"color": [], "hw": [], "names": [], "cluster": []} for s in SPLITS}
    skipped = 0
    with tarfile.open(tar_path) as tar:
        entries = read_entries(tar)
        if limit is not None:
            entries = entries[:limit]
        for e in entries:
            try:
                f = tar.extractfile(f"anime_art/{e.file}")
            except KeyError:
                f = None
            rgb = decode_rgb(f.read()) if f is not None else None
            if rgb is None:
                skipped += 1
                continue
            sq, hw = fit_square(rgb, long_side)
            p = parts[split_of_cluster(e.cluster)]
            p["color"].append(sq)
            p["hw"].append(hw)
            p["names"].append(e.file)
            p["cluster"].append(e.cluster)
    counts: dict[str, int] = {}
    clusters: dict[str, list[int]] = {}
    for split, p in parts.items():
        n = len(p["names"])
        counts[split] = n
        clusters[split] = sorted({int(c) for c in p["cluster"]})
        np.savez_compressed(
            out / f"anime_{split}.npz",
            color=np.stack(p["color"]) if n else np.zeros((0, long_side, long_side, 3), np.uint8),
            hw=np.asarray(p["hw"], np.int32).reshape(n, 2),
            names=np.asarray(p["names"], dtype=str),
            cluster=np.asarray(p["cluster"], np.int32),
        )
    manifest: dict[str, object] = {
        "format": "npz: color uint8 (N,S,S,3) RGB padded white; hw int32 (N,2); names; cluster",
        "source": str(tar_path),
        "long_side": long_side,
        "counts": counts,
        "cluster_counts": {s: len(c) for s, c in clusters.items()},
        "clusters": clusters,
        "skipped": skipped,
        "split": "blake2b('anime-cluster-<cluster>') % 100: <80 train, <90 val, else test",
        "build_seconds": round(time.time() - t0, 1),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


@dataclass
class ArtPool:
    """Anime images of one split: color uint8 (N, S, S, 3) padded, hw int32 (N, 2)."""

    color: np.ndarray
    hw: np.ndarray

    def __len__(self) -> int:
        return int(self.color.shape[0])


def load_anime(folder: Path, split: str) -> ArtPool:
    """The ``anime_<split>.npz`` a :func:`build` wrote; FileNotFoundError when missing."""
    path = folder / f"anime_{split}.npz"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: missing (python -m paintassist.training.anime_art)")
    with np.load(path) as d:
        return ArtPool(d["color"], d["hw"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Split and resize the anime-art tar for training.")
    ap.add_argument("--out", type=Path, required=True, help="output folder (outside the repo)")
    ap.add_argument("--tar", type=Path, default=ANIME_TAR)
    ap.add_argument("--long-side", type=int, default=LONG_SIDE)
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args(argv)
    try:
        manifest = build(args.out, args.tar, args.long_side, args.limit)
    except TrainingError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(json.dumps({k: manifest[k] for k in ("counts", "cluster_counts", "skipped")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
