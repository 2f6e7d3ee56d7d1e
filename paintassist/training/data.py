"""Training samples for DraftNet and RefineNet, generated on the fly from the corpus shards and the
anime face crops (augmented, with simulated hints and references)."""

from __future__ import annotations

import io
import tarfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np

from paintassist.core.types import Hint, HintKind, HintSet
from paintassist.nets.inputs import draft_input, refine_input
from paintassist.nets.style import FEATURE_DIM, style_features
from paintassist.training import augment, linegen
from paintassist.training.anime_art import ArtPool
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
    size: int = 128, limit: int | None = None, tars: tuple[Path, ...] = FACE_TARS,
    lines: bool = True,
) -> Pool:
    """Anime face crops upscaled to ``size``, with XDoG line art made by our own code (all zero
    when ``lines`` is False: :class:`MixedDraftSamples` draws its own lines per sample)."""
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
                inks.append(xdog_ink(rgb) if lines else np.zeros((size, size), np.uint8))
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
        return _xy_batch([self.one(rng) for _ in range(n)])


#: the draft sources :class:`MixedDraftSamples` draws from, and the default share of each
SOURCES = ("anime", "clipart", "faces")
DEFAULT_MIX = {"anime": 0.5, "clipart": 0.3, "faces": 0.2}


def parse_mix(text: str) -> dict[str, float]:
    """``"anime=0.5,clipart=0.3,faces=0.2"`` → shares (normalised to sum 1); ValueError if bad.
    A source left out or given 0 is not used."""
    mix: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        if name not in SOURCES:
            raise ValueError(f"unknown source {name!r} in --mix; sources: {', '.join(SOURCES)}")
        try:
            mix[name] = float(value)
        except ValueError as exc:
            raise ValueError(f"--mix {part!r}: the share must be a number") from exc
        if not np.isfinite(mix[name]) or mix[name] < 0:
            raise ValueError(f"--mix {part!r}: the share must be ≥ 0")
    total = sum(mix.values())
    if total <= 0:
        raise ValueError("--mix: no source has a positive share")
    return {k: v / total for k, v in mix.items() if v > 0}


def _source_mix(mix: dict[str, float], pools: dict[str, Pool | ArtPool | None],
                order: tuple[str, ...]) -> tuple[dict[str, Pool | ArtPool], list[str], np.ndarray]:
    """(the loaded, non-empty pools; the sources with a positive share, in ``order``; their
    shares normalised, float64) of a ``--mix``; ValueError when it names a source not loaded."""
    loaded = {k: v for k, v in pools.items() if v is not None and len(v) > 0}
    missing = [k for k in mix if k not in loaded]
    if missing:
        raise ValueError(f"--mix names {missing} but no such images were loaded")
    names = [k for k in order if mix.get(k, 0) > 0]
    p = np.array([mix[k] for k in names], np.float64)
    return loaded, names, p / p.sum()


def _xy_batch(items: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """RefineNet samples (x (S, S, C), target (S, S, 3)) stacked channel-first: (B, C, S, S),
    (B, 3, S, S)."""
    x = np.stack([it[0] for it in items]).transpose(0, 3, 1, 2)
    y = np.stack([it[1] for it in items]).transpose(0, 3, 1, 2)
    return np.ascontiguousarray(x), np.ascontiguousarray(y)


def anime_crop(pool: ArtPool, i: int, out: int, rng: np.random.Generator,
               p_whole: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    """A random square view of anime image ``i`` with lines drawn by :mod:`linegen`.

    With probability ``p_whole`` the whole figure (the padded square, white around it), else a
    square of 35-80 % of the image's long side (at most its short side) inside it: about the
    scale DraftNet sees a whole page at (long side 256), where a 128 px crop holds half a figure.
    Smaller crops zoomed the lines to thick, blurred strokes no real input has. The lines are
    drawn on the crop at up to twice ``out`` and then area-resized with the colour to ``out``, so
    they thin and grey as a real page's do at DraftNet's size. Returns (colour uint8 (out, out,
    3), sketch float32 (out, out) 0..1); flipped left-right half the time.
    """
    h, w = (int(v) for v in pool.hw[i])
    if rng.random() < p_whole:
        side = max(h, w)
        y0 = x0 = 0
    else:
        side = max(8, min(min(h, w), round(max(h, w) * rng.uniform(0.35, 0.8))))
        y0 = int(rng.integers(0, h - side + 1))
        x0 = int(rng.integers(0, w - side + 1))
    crop = pool.color[i, y0 : y0 + side, x0 : x0 + side]
    if side > 2 * out:
        crop = cv2.resize(crop, (2 * out, 2 * out), interpolation=cv2.INTER_AREA)
    crop = np.ascontiguousarray(crop)
    sketch = linegen.make_sketch(crop, rng)
    interp = cv2.INTER_AREA if crop.shape[0] > out else cv2.INTER_LINEAR
    color = cv2.resize(crop, (out, out), interpolation=interp)
    ink = np.asarray(cv2.resize(sketch, (out, out), interpolation=interp), np.float32)
    if rng.random() < 0.5:
        color, ink = color[:, ::-1], ink[:, ::-1]
    return np.ascontiguousarray(color), np.ascontiguousarray(ink)


def face_mosaic(pool: Pool, out: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Four random face crops at half size in a 2×2 mosaic, lines drawn on each at full size and
    area-resized: a face then spans ~``out``/2 px, as faces do on a page at DraftNet's size (one
    64-96 px crop blown up to ``out`` made thick, blurred lines). Returns (colour uint8 (out,
    out, 3), sketch float32 (out, out))."""
    half = out // 2
    color = np.full((out, out, 3), 255, np.uint8)
    ink = np.zeros((out, out), np.float32)
    for k in range(4):
        i = int(rng.integers(len(pool)))
        face = pool.color[i]
        if rng.random() < 0.5:
            face = face[:, ::-1]
        face = np.ascontiguousarray(face)
        sketch = linegen.make_sketch(face, rng)
        y, x = (k // 2) * half, (k % 2) * half
        color[y : y + half, x : x + half] = cv2.resize(face, (half, half),
                                                      interpolation=cv2.INTER_AREA)
        ink[y : y + half, x : x + half] = cv2.resize(sketch, (half, half),
                                                    interpolation=cv2.INTER_AREA)
    return color, ink


class MixedDraftSamples:
    """DraftNet batches from several sources, each sample's source drawn by ``mix``:

    - ``anime``: real anime art (:class:`~paintassist.training.anime_art.ArtPool`), lines drawn
      per sample in a random style (:func:`anime_crop`);
    - ``clipart``: the corpus's exact line art, roughened (:func:`linegen.roughen`), colours
      jittered 60 % of the time (clip-art palettes are arbitrary);
    - ``faces``: anime face crops (a :class:`Pool`; its ink is ignored), four to a sample
      (:func:`face_mosaic`), lines drawn per face.

    Anime colours are never jittered: their palettes are what DraftNet should learn. Inputs are
    built in layout ``input_version`` (:mod:`paintassist.nets.inputs`). Same outputs as
    :class:`DraftSamples`; :meth:`example` also gives the source.
    """

    def __init__(self, mix: dict[str, float], size: int = 128, *, clipart: Pool | None = None,
                 anime: ArtPool | None = None, faces: Pool | None = None, p_zero: float = 0.35,
                 p_ref: float = 0.5, input_version: int = 2) -> None:
        self.pools, self.names, self.p = _source_mix(
            mix, {"anime": anime, "clipart": clipart, "faces": faces}, SOURCES)
        self.size, self.p_zero, self.p_ref = size, p_zero, p_ref
        self.input_version = input_version

    def draw(self, source: str, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """(colour uint8 (S, S, 3), sketch float32 (S, S)) from ``source``."""
        s = self.size
        pool = self.pools[source]
        i = int(rng.integers(len(pool)))
        if source == "anime":
            assert isinstance(pool, ArtPool)
            return anime_crop(pool, i, s, rng)
        assert isinstance(pool, Pool)
        if source == "clipart":
            color, ink = augment.crop_scale(pool.color[i], pool.ink[i], s, rng)
            if rng.random() < 0.6:
                color = augment.jitter_colours(color, rng)
            return color, linegen.roughen(ink.astype(np.float32) / 255.0, rng, color)
        return face_mosaic(pool, s, rng)

    def example(self, rng: np.random.Generator, source: str | None = None) -> DraftExample:
        if source is None:
            source = self.names[int(rng.choice(len(self.names), p=self.p))]
        color, sketch = self.draw(source, rng)
        squares = sample_hints(color, sketch, hint_count(rng, self.p_zero), "draft",
                               float(rng.uniform(3, 8)), rng)
        if rng.random() < self.p_ref:
            ref = cv2.resize(color, (64, 64), interpolation=cv2.INTER_AREA)
            style, strength = style_features(ref), 1.0
        else:
            style, strength = np.zeros(FEATURE_DIM, np.float32), 0.0
        return DraftExample(sketch, squares, style, strength, color.astype(np.float32) / 255.0)

    def one(self, rng: np.random.Generator,
            source: str | None = None) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]:
        ex = self.example(rng, source)
        x = draft_input(ex.ink, ex.squares, version=self.input_version)
        return x, ex.style, ex.strength, ex.target

    def batch(self, n: int, rng: np.random.Generator,
              source: str | None = None) -> tuple[np.ndarray, ...]:
        items = [self.one(rng, source) for _ in range(n)]
        x = np.stack([it[0] for it in items]).transpose(0, 3, 1, 2)
        style = np.stack([it[1] for it in items])
        strength = np.array([it[2] for it in items], np.float32)
        y = np.stack([it[3] for it in items]).transpose(0, 3, 1, 2)
        return (np.ascontiguousarray(x), style, strength, np.ascontiguousarray(y))


#: RefineNet's sources (no face crops: at 64-96 px they are far below the scale RefineNet runs at)
REFINE_SOURCES = ("anime", "clipart")


def anime_refine_window(pool: ArtPool, i: int, out: int, rng: np.random.Generator,
                        zoom: tuple[float, float] = (0.5, 1.0)) -> tuple[int, int, int]:
    """(y0, x0, side): a square window of anime image ``i`` (stored pixels, inside the picture,
    not its white padding) that shows ``out`` px at ``zoom`` (uniform) of the stored size."""
    h, w = (int(v) for v in pool.hw[i])
    f = float(rng.uniform(*zoom))
    side = max(8, min(h, w, round(out / f)))
    return int(rng.integers(0, h - side + 1)), int(rng.integers(0, w - side + 1)), side


def anime_refine_crop(pool: ArtPool, i: int, out: int, rng: np.random.Generator,
                      zoom: tuple[float, float] = (0.5, 1.0),
                      window: tuple[int, int, int] | None = None,
                      flip: bool | None = None) -> tuple[np.ndarray, np.ndarray]:
    """An ``out`` × ``out`` window of anime image ``i`` at RefineNet's scale, lines drawn on it.

    The image is taken at ``zoom`` (uniform) of its stored size (:func:`anime_refine_window`,
    unless ``window`` gives it), so a 768-px pool (``anime_art --long-side 768``) gives pages of
    384-768 px long side: the preview's working size and half the export's refine size.
    Returns (colour uint8 (out, out, 3), sketch float32 (out, out) 0..1); flipped left-right
    when ``flip`` (None: half the time).
    """
    y0, x0, side = window if window is not None else anime_refine_window(pool, i, out, rng, zoom)
    crop = np.ascontiguousarray(pool.color[i, y0 : y0 + side, x0 : x0 + side])
    if side != out:
        interp = cv2.INTER_AREA if side > out else cv2.INTER_LINEAR
        crop = cv2.resize(crop, (out, out), interpolation=interp)
    sketch = np.asarray(linegen.make_sketch(crop, rng), np.float32)
    if flip if flip is not None else rng.random() < 0.5:
        crop, sketch = crop[:, ::-1], sketch[:, ::-1]
    return np.ascontiguousarray(crop), np.ascontiguousarray(sketch)


class PageDrafts:
    """DraftNet's drafts of whole anime pages, as RefineNet gets them at run time: DraftNet sees
    the page at its own size (long side 256) and RefineNet a window of its upsampled draft.

    Each image's sketch at DraftNet's size is drawn once (its own seeded style, on the picture at
    twice that size, area-resized) and kept (float16), and so is its draft without squares; drafts
    with squares are made per call. Memory: ~0.5 MB per image.
    """

    def __init__(self, pool: ArtPool, drafter: Drafter, seed: int = 0) -> None:
        self.pool, self.drafter, self.seed = pool, drafter, seed
        self._inks: dict[int, np.ndarray] = {}
        self._plain: dict[int, np.ndarray] = {}

    def ink(self, i: int) -> np.ndarray:
        """float32 (dh, dw) 0..1: image ``i``'s sketch at DraftNet's size."""
        if i not in self._inks:
            from paintassist.nets.inference import draft_size

            h, w = (int(v) for v in self.pool.hw[i])
            dh, dw = draft_size((h, w))
            picture = np.ascontiguousarray(self.pool.color[i, :h, :w])
            if max(h, w) > 2 * max(dh, dw):
                picture = cv2.resize(picture, (2 * dw, 2 * dh), interpolation=cv2.INTER_AREA)
            sketch = linegen.make_sketch(picture, np.random.default_rng((self.seed, i)))
            small = cv2.resize(np.asarray(sketch, np.float32), (dw, dh),
                               interpolation=cv2.INTER_AREA)
            self._inks[i] = small.astype(np.float16)
        return self._inks[i].astype(np.float32)

    def window(self, i: int, window: tuple[int, int, int], squares: HintSet,
               flip: bool) -> np.ndarray:
        """float32 (k, k, 3): the part of image ``i``'s draft under ``window`` (y0, x0, side in
        stored px), flipped like the crop; ``squares`` in the window's own pixels of a crop of
        ``side`` px (the caller scales them)."""
        ink = self.ink(i)
        h, w = (int(v) for v in self.pool.hw[i])
        fy, fx = ink.shape[0] / h, ink.shape[1] / w
        y0, x0, side = window
        if len(squares):
            page = HintSet(tuple(
                Hint(q.kind, (x0 + q.x) * fx, (y0 + q.y) * fy, q.rgb, max(1.0, q.size * fx))
                for q in squares
            ))
            draft = self.drafter(ink, page)
        else:
            if i not in self._plain:
                self._plain[i] = self.drafter(ink, HintSet()).astype(np.float16)
            draft = self._plain[i].astype(np.float32)
        gy, gx = draft.shape[0] / h, draft.shape[1] / w  # the draft's own grid (multiples of 16)
        ya, yb = int(y0 * gy), max(int(y0 * gy) + 1, round((y0 + side) * gy))
        xa, xb = int(x0 * gx), max(int(x0 * gx) + 1, round((x0 + side) * gx))
        part = np.ascontiguousarray(draft[ya:yb, xa:xb])
        return np.ascontiguousarray(part[:, ::-1]) if flip else part


class MixedRefineSamples:
    """RefineNet batches from real anime art and clip art, each sample's source drawn by ``mix``
    (:data:`REFINE_SOURCES`), inputs in layout ``input_version`` (2: the dots spread along the
    lines, 12 channels; 3: along and across them, 16). Same outputs as :class:`RefineSamples`.

    - ``anime``: :func:`anime_refine_crop` (lines drawn per sample in a random style);
    - ``clipart``: the corpus's exact lines roughened (:func:`linegen.roughen`), colours jittered
      60 % of the time.

    The draft is simulated (:func:`augment.simulated_draft`) or, with probability ``p_real`` when
    a ``drafter`` is given, DraftNet's: for anime art the window of its draft of the whole page
    (:class:`PageDrafts`, as at run time), for clip art its draft of the crop shrunk by
    ``draft_scale`` (at run time DraftNet sees the page at a long side of 256 px and RefineNet at
    768-1536, so its draft holds a third or less of RefineNet's resolution). Drafting the crop of
    an anime page alone gave muddy brown drafts that run time never shows.
    """

    def __init__(self, mix: dict[str, float], size: int = 128, *, clipart: Pool | None = None,
                 anime: ArtPool | None = None, drafter: Drafter | None = None,
                 p_real: float = 0.6, p_zero: float = 0.25, draft_scale: float = 1 / 3,
                 input_version: int = 2) -> None:
        unknown = [k for k in mix if k not in REFINE_SOURCES]
        if unknown:
            raise ValueError(f"RefineNet has no source {unknown}; sources: "
                             f"{', '.join(REFINE_SOURCES)}")
        self.pools, self.names, self.p = _source_mix(
            mix, {"anime": anime, "clipart": clipart}, REFINE_SOURCES)
        self.size, self.p_zero = size, p_zero
        self.drafter, self.p_real = drafter, (p_real if drafter is not None else 0.0)
        self.draft_scale, self.input_version = draft_scale, input_version
        anime_pool = self.pools.get("anime")
        self.pages = (PageDrafts(anime_pool, drafter)
                      if drafter is not None and isinstance(anime_pool, ArtPool) else None)

    def draw(self, source: str, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """(colour uint8 (S, S, 3), sketch float32 (S, S) 0..1) from ``source``."""
        return self._draw(source, rng)[:2]

    def _draw(self, source: str, rng: np.random.Generator,
              ) -> tuple[np.ndarray, np.ndarray, tuple[int, tuple[int, int, int], bool] | None]:
        """:meth:`draw` and, for anime art, (image, window, flipped) for its page draft."""
        s = self.size
        pool = self.pools[source]
        i = int(rng.integers(len(pool)))
        if source == "anime":
            assert isinstance(pool, ArtPool)
            window = anime_refine_window(pool, i, s, rng)
            flip = bool(rng.random() < 0.5)
            color, sketch = anime_refine_crop(pool, i, s, rng, window=window, flip=flip)
            return color, sketch, (i, window, flip)
        assert isinstance(pool, Pool)
        color, ink = augment.crop_scale(pool.color[i], pool.ink[i], s, rng, 0.3)
        if rng.random() < 0.6:
            color = augment.jitter_colours(color, rng)
        return color, linegen.roughen(ink.astype(np.float32) / 255.0, rng, color), None

    def example(self, rng: np.random.Generator, source: str | None = None) -> RefineExample:
        if source is None:
            source = self.names[int(rng.choice(len(self.names), p=self.p))]
        color, sketch, page = self._draw(source, rng)
        if self.drafter is not None and rng.random() < self.p_real:
            squares = sample_hints(color, sketch, hint_count(rng, 0.6), "draft",
                                   float(rng.uniform(3, 8)), rng)
            if page is not None and self.pages is not None:
                i, window, flip = page
                f = window[2] / self.size  # crop px → stored px
                if flip:  # the squares sit on the flipped crop: unflip them for the page
                    squares = HintSet(tuple(replace(q, x=self.size - 1 - q.x) for q in squares))
                draft = self.pages.window(i, window, squares.scaled(f), flip)
                return self._finish(color, sketch, draft, rng)
            side = max(16, round(self.size * self.draft_scale))
            small = cv2.resize(sketch, (side, side), interpolation=cv2.INTER_AREA)
            draft = self.drafter(np.asarray(small, np.float32), squares.scaled(side / self.size))
        else:
            draft = augment.simulated_draft(color, rng)
        return self._finish(color, sketch, draft, rng)

    def _finish(self, color: np.ndarray, sketch: np.ndarray, draft: np.ndarray,
                rng: np.random.Generator) -> RefineExample:
        dots = sample_hints(color, sketch, hint_count(rng, self.p_zero), "accurate",
                            float(rng.integers(1, 4)), rng)
        return RefineExample(sketch, draft, dots, color.astype(np.float32) / 255.0)

    def one(self, rng: np.random.Generator,
            source: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(x float32 (S, S, C), C = 12, or 16 in layout 3; target float32 (S, S, 3))."""
        ex = self.example(rng, source)
        return refine_input(ex.ink, ex.draft, ex.dots, version=self.input_version), ex.target

    def batch(self, n: int, rng: np.random.Generator,
              source: str | None = None) -> tuple[np.ndarray, ...]:
        return _xy_batch([self.one(rng, source) for _ in range(n)])
