"""Training samples for DraftNet and RefineNet, generated on the fly from the corpus shards and the
anime face crops (augmented, with simulated hints and references)."""

from __future__ import annotations

import io
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from paintassist.core.types import Hint, HintKind, HintSet
from paintassist.nets.inputs import draft_input, refine_input
from paintassist.nets.style import FEATURE_DIM, style_features
from paintassist.training import augment
from paintassist.training.lines import xdog_ink

FACE_TARS = (
    Path("/work/shared/data/anime_faces_64.tar"),
    Path("/work/shared/data/anime_faces_96.tar"),
)


@dataclass
class Pool:
    """Images of one kind: color uint8 (N, S, S, 3) and ink uint8 (N, S, S), 0 = paper."""

    color: np.ndarray
    ink: np.ndarray

    def __len__(self) -> int:
        return int(self.color.shape[0])


def load_corpus(corpus: Path, split: str) -> Pool:
    """All ``*_{split}.npz`` shards of a corpus folder, concatenated."""
    shards = sorted(corpus.glob(f"*_{split}.npz"))
    if not shards:
        raise FileNotFoundError(f"{corpus}: no *_{split}.npz shards (build with training.corpus)")
    colors, inks = [], []
    for shard in shards:
        with np.load(shard) as d:
            colors.append(d["color"])
            inks.append(d["ink"])
    return Pool(np.concatenate(colors), np.concatenate(inks))


def load_faces(
    size: int = 128, limit: int | None = None, tars: tuple[Path, ...] = FACE_TARS
) -> Pool:
    """Anime face crops upscaled to ``size``, with XDoG line art made by our own code."""
    colors, inks = [], []
    for tar_path in tars:
        if not tar_path.is_file():
            continue
        with tarfile.open(tar_path) as tar:
            for member in tar:
                if not member.isfile() or not member.name.lower().endswith((".jpg", ".png")):
                    continue
                f = tar.extractfile(member)
                if f is None:
                    continue
                buf = np.frombuffer(io.BytesIO(f.read()).getvalue(), np.uint8)
                img = cv2.imdecode(buf, cv2.IMREAD_COLOR)
                if img is None:
                    continue
                rgb = cv2.resize(cv2.cvtColor(img, cv2.COLOR_BGR2RGB), (size, size),
                                 interpolation=cv2.INTER_CUBIC)
                colors.append(rgb)
                inks.append(xdog_ink(rgb))
                if limit is not None and len(colors) >= limit:
                    break
        if limit is not None and len(colors) >= limit:
            break
    if not colors:
        return Pool(np.zeros((0, size, size, 3), np.uint8), np.zeros((0, size, size), np.uint8))
    return Pool(np.stack(colors), np.stack(inks))


def sample_hints(
    color: np.ndarray, ink: np.ndarray, n: int, kind: HintKind, size: float,
    rng: np.random.Generator,
) -> HintSet:
    """n hints at random non-line pixels, each the mean colour of the 5×5 patch around it.

    color uint8 (H, W, 3), ink uint8/float (H, W) with 0 = paper (line = ink > half scale).
    """
    w = ink.shape[1]
    thr = 128 if ink.dtype == np.uint8 else 0.5
    free = np.flatnonzero(ink.ravel() < thr)
    if n <= 0 or free.size == 0:
        return HintSet()
    picks = rng.choice(free, size=min(n, free.size), replace=False)
    hints = []
    for p in picks:
        y, x = divmod(int(p), w)
        patch = color[max(0, y - 2) : y + 3, max(0, x - 2) : x + 3].reshape(-1, 3)
        rgb = tuple(int(v) for v in np.round(patch.mean(axis=0)))
        hints.append(Hint(kind, float(x), float(y), rgb, size))  # type: ignore[arg-type]
    return HintSet(tuple(hints))


def hint_count(rng: np.random.Generator, p_zero: float) -> int:
    """0 with probability p_zero, else log-uniform in 1..60."""
    if rng.random() < p_zero:
        return 0
    return int(np.exp(rng.uniform(0, np.log(60))))


@dataclass(frozen=True)
class DraftExample:
    """One DraftNet sample before the input layout: ink float32 (S, S) 0..1 (sketchified), draft
    squares in its pixels, style features float32 (F,), strength, target float32 (S, S, 3) 0..1."""

    ink: np.ndarray
    squares: HintSet
    style: np.ndarray
    strength: float
    target: np.ndarray


@dataclass(frozen=True)
class RefineExample:
    """One RefineNet sample before the input layout: ink float32 (S, S) 0..1 (sketchified), draft
    float32 (h, w, 3) 0..1 (DraftNet's size or (S, S)), accurate dots in ink pixels, target float32
    (S, S, 3) 0..1."""

    ink: np.ndarray
    draft: np.ndarray
    dots: HintSet
    target: np.ndarray


class DraftSamples:
    """Batches for DraftNet: x (B, 9, S, S) (:func:`~paintassist.nets.inputs.draft_input`),
    style (B, F), strength (B,), target (B, 3, S, S)."""

    def __init__(self, corpus: Pool, faces: Pool | None, size: int = 128,
                 p_face: float = 0.35, p_zero: float = 0.35, p_ref: float = 0.5) -> None:
        self.corpus, self.faces = corpus, faces
        self.size, self.p_zero, self.p_ref = size, p_zero, p_ref
        self.p_face = p_face if faces is not None and len(faces) else 0.0

    def one(self, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]:
        """(x float32 (S, S, 9), style (F,), strength, target float32 (S, S, 3))."""
        ex = self.example(rng)
        return draft_input(ex.ink, ex.squares), ex.style, ex.strength, ex.target

    def example(self, rng: np.random.Generator) -> DraftExample:
        s = self.size
        if rng.random() < self.p_face:
            assert self.faces is not None
            i = int(rng.integers(len(self.faces)))
            color, ink = augment.crop_scale(self.faces.color[i], self.faces.ink[i], s, rng, 0.8)
            p_jit = 0.2
        else:
            i = int(rng.integers(len(self.corpus)))
            color, ink = augment.crop_scale(self.corpus.color[i], self.corpus.ink[i], s, rng)
            p_jit = 0.6
        if rng.random() < p_jit:
            color = augment.jitter_colours(color, rng)
        squares = sample_hints(color, ink, hint_count(rng, self.p_zero), "draft",
                               float(rng.uniform(3, 8)), rng)
        sketch = augment.sketchify(ink, rng)
        if rng.random() < self.p_ref:
            ref, _ = augment.crop_scale(color, ink, 64, rng, 0.5)
            style, strength = style_features(ref), 1.0
        else:
            style, strength = np.zeros(FEATURE_DIM, np.float32), 0.0
        return DraftExample(sketch, squares, style, strength, color.astype(np.float32) / 255.0)

    def batch(self, n: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
        items = [self.one(rng) for _ in range(n)]
        x = np.stack([it[0] for it in items]).transpose(0, 3, 1, 2)
        style = np.stack([it[1] for it in items])
        strength = np.array([it[2] for it in items], np.float32)
        y = np.stack([it[3] for it in items]).transpose(0, 3, 1, 2)
        return (np.ascontiguousarray(x), style, strength, np.ascontiguousarray(y))


#: DraftNet as the refine stage sees it: (ink float32 (S, S) 0..1, draft squares) → draft float32
#: (h, w, 3) 0..1 at DraftNet's own size (``TorchColorNets.draft`` without references).
Drafter = Callable[[np.ndarray, HintSet], np.ndarray]


class RefineSamples:
    """Batches for RefineNet: x (B, 12, S, S) = ink, draft, accurate-hint map and its spread
    (:func:`~paintassist.nets.inputs.refine_input`); target (B, 3, S, S).

    The draft is simulated from the ground truth (:func:`augment.simulated_draft`) or, with
    probability ``p_real`` when a ``drafter`` is given, the real DraftNet's draft of the sketch with
    0 or a few draft squares — what RefineNet gets at run time. Trained on simulated drafts only,
    RefineNet trusted the draft's colours and, fed DraftNet's muted drafts, painted a bright
    yellow glow whose shading cost 0.3-0.6 dB PSNR.
    """

    def __init__(self, corpus: Pool, size: int = 128, p_zero: float = 0.25,
                 drafter: Drafter | None = None, p_real: float = 0.6) -> None:
        self.corpus, self.size, self.p_zero = corpus, size, p_zero
        self.drafter, self.p_real = drafter, (p_real if drafter is not None else 0.0)

    def one(self, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """(x float32 (S, S, 12), target float32 (S, S, 3))."""
        ex = self.example(rng)
        return refine_input(ex.ink, ex.draft, ex.dots), ex.target

    def example(self, rng: np.random.Generator) -> RefineExample:
        s = self.size
        i = int(rng.integers(len(self.corpus)))
        color, ink = augment.crop_scale(self.corpus.color[i], self.corpus.ink[i], s, rng, 0.3)
        if rng.random() < 0.7:
            color = augment.jitter_colours(color, rng)
        if self.drafter is not None and rng.random() < self.p_real:
            squares = sample_hints(color, ink, hint_count(rng, 0.6), "draft",
                                   float(rng.uniform(3, 8)), rng)
            draft = self.drafter(ink.astype(np.float32) / 255.0, squares)  # resized by the layout
        else:
            draft = augment.simulated_draft(color, rng)
        dots = sample_hints(color, ink, hint_count(rng, self.p_zero), "accurate",
                            float(rng.integers(1, 4)), rng)
        sketch = augment.sketchify(ink, rng)
        return RefineExample(sketch, draft, dots, color.astype(np.float32) / 255.0)

    def batch(self, n: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
        items = [self.one(rng) for _ in range(n)]
        x = np.stack([it[0] for it in items]).transpose(0, 3, 1, 2)
        y = np.stack([it[1] for it in items]).transpose(0, 3, 1, 2)
        return np.ascontiguousarray(x), np.ascontiguousarray(y)
