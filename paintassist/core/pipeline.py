"""The one colorization pipeline that the CLI, the GUI worker and the benchmarks all call.

Stages (each checks ``should_cancel`` before it starts):

1. working image: the sketch's ink, downscaled to ``options.work_long_side`` if set (preview);
2. regions: :func:`paintassist.core.regions.segment` (cached per sketch/gap/size);
3. draft: DraftNet at ≤256 px (cached per sketch/draft hints/references) → ``on_draft`` callback
   with a draft-stage result so the GUI can show something early;
4. refine: RefineNet at working resolution, tiled (networks only);
5. flats: one colour per region (classical hints, or a robust colour of the refined result); an
   accurate dot's colour is exact in its region;
6. shading = refined relative to flats; light pass (cached shape) when enabled; composite.

Without weights (or with ``use_networks=False``) stages 3–4 are skipped and ``color == flats``.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Protocol

import cv2
import numpy as np

from paintassist.core import flatten, layers, lighting, lineart, regions
from paintassist.core.progress import CancelFn, ProgressFn, check_cancel, never_cancel, no_progress
from paintassist.core.shading import shading_layer
from paintassist.core.types import ColorizeRequest, ColorizeResult, HintSet, Stage


class ColorNets(Protocol):
    """What the pipeline needs from the networks (implemented in ``paintassist.nets``)."""

    def draft(
        self,
        ink: np.ndarray,
        hints: HintSet,
        references: tuple[np.ndarray, ...],
        strength: float,
    ) -> np.ndarray:
        """ink: float32 (H, W) 0..1; hints in ink pixel coordinates (draft squares are used).
        Returns the colour draft, float32 (h, w, 3) in 0..1 at DraftNet's own (≤256 px) size."""
        ...

    def refine(
        self,
        ink: np.ndarray,
        draft: np.ndarray,
        hints: HintSet,
        should_cancel: CancelFn,
    ) -> np.ndarray:
        """ink: float32 (H, W); draft: float32 (h, w, 3); hints in ink coordinates (accurate dots
        are used). Returns refined colours float32 (H, W, 3) in 0..1 at the ink's resolution."""
        ...


class _LRU:
    """Small thread-safe LRU cache (the GUI worker and a CLI run may share a pipeline)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_make(self, key: Hashable, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key]
            self.misses += 1
        value = make()
        with self._lock:
            self._data[key] = value
            while len(self._data) > self._size:
                self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


def _refs_key(refs: tuple[np.ndarray, ...]) -> tuple[Any, ...]:
    return tuple((r.shape, hash(r[::7, ::7].tobytes())) for r in refs)


@dataclass
class Pipeline:
    """Runs colorizations and keeps the caches that make live preview fast.

    nets: the networks, or None for the classical path; ``nets_status`` says which, or why not.
    :func:`paintassist.app.services.build_pipeline` builds one with the shipped weights.
    """

    nets: ColorNets | None = None
    nets_status: str = "classical path (no networks loaded)"
    _regions: _LRU = field(default_factory=lambda: _LRU(4))
    _drafts: _LRU = field(default_factory=lambda: _LRU(8))
    _shapes: _LRU = field(default_factory=lambda: _LRU(4))
    _work: _LRU = field(default_factory=lambda: _LRU(4))

    # -- caches, exposed for tests and the GUI ------------------------------------------------
    @property
    def draft_cache_stats(self) -> tuple[int, int]:
        """(hits, misses) of the DraftNet cache."""
        return self._drafts.hits, self._drafts.misses

    def clear_caches(self) -> None:
        for cache in (self._regions, self._drafts, self._shapes, self._work):
            cache.clear()

    # -- the run ------------------------------------------------------------------------------
    def run(
        self,
        request: ColorizeRequest,
        *,
        should_cancel: CancelFn = never_cancel,
        progress: ProgressFn = no_progress,
        on_draft: Callable[[ColorizeResult], None] | None = None,
    ) -> ColorizeResult:
        """Colorize ``request``; returns the refined-stage result at working resolution.

        Raises :class:`~paintassist.core.errors.Cancelled` when ``should_cancel()`` turns True.
        """
        timings: dict[str, float] = {}
        opts = request.options
        sketch = request.sketch
        t0 = time.perf_counter()

        check_cancel(should_cancel)
        progress("prepare", 0.0)
        ink, scale = self._working_ink(request)
        hints = request.hints if scale == 1.0 else request.hints.scaled(scale)
        gap = max(0, round(opts.gap_px * scale))
        min_region = max(1, round(opts.min_region_px * scale * scale))
        timings["prepare"] = time.perf_counter() - t0

        check_cancel(should_cancel)
        progress("regions", 0.1)
        t = time.perf_counter()
        region_key = (sketch.fingerprint, ink.shape, gap, min_region)
        regmap: regions.RegionMap = self._regions.get_or_make(
            region_key, lambda: regions.segment(ink, gap_px=gap, min_region_px=min_region)
        )
        shape_regions = regmap  # the light pass's surface depends on the lines only (cached)
        # A region holding dots of different colours (open line art) is split between them.
        regmap = flatten.split_by_dots(regmap, hints)
        timings["regions"] = time.perf_counter() - t

        line_layer = lineart.lineart_layer(ink)
        use_nets = self.nets is not None and opts.use_networks
        refined: np.ndarray | None = None
        notes: list[str] = []
        if not use_nets:
            notes.append(self.nets_status if opts.use_networks else "classical path (by option)")

        if use_nets:
            assert self.nets is not None
            nets = self.nets
            check_cancel(should_cancel)
            progress("draft", 0.25)
            t = time.perf_counter()
            draft_key = (
                sketch.fingerprint,
                ink.shape,
                hints.draft,  # HintSet and Hint are frozen: hashable by value
                _refs_key(request.references),
                round(opts.reference_strength, 3),
            )
            draft = self._drafts.get_or_make(
                draft_key,
                lambda: nets.draft(ink, hints.draft, request.references, opts.reference_strength),
            )
            timings["draft"] = time.perf_counter() - t
            if on_draft is not None:
                up = cv2.resize(draft, (ink.shape[1], ink.shape[0]), interpolation=cv2.INTER_LINEAR)
                early = _to_u8(up)
                draft_palette = flatten.palette_from_color(regmap, early, hints)
                self._emit(
                    on_draft,
                    request,
                    "draft",
                    regmap,
                    line_layer,
                    early,
                    draft_palette,
                    flatten.paint(regmap, draft_palette),
                    None,
                    dict(timings),
                    notes,
                    hints,
                )
            check_cancel(should_cancel)
            progress("refine", 0.5)
            t = time.perf_counter()
            refined_f = nets.refine(ink, draft, hints.accurate, should_cancel)
            refined = _to_u8(refined_f)
            timings["refine"] = time.perf_counter() - t

        check_cancel(should_cancel)
        progress("flats", 0.8)
        t = time.perf_counter()
        if refined is not None:
            palette = flatten.palette_from_color(regmap, refined, hints)
        else:
            palette = flatten.classical_palette(regmap, hints)
        timings["flats"] = time.perf_counter() - t

        progress("light", 0.85)
        t = time.perf_counter()
        flats = flatten.paint(regmap, palette)
        light = self._light_layers(request, shape_regions, region_key, flats, should_cancel)
        if light is not None:
            timings["light"] = time.perf_counter() - t
        check_cancel(should_cancel)
        progress("layers", 0.9)
        result = self._emit(
            None,
            request,
            "refined",
            regmap,
            line_layer,
            refined,
            palette,
            flats,
            light,
            timings,
            notes,
            hints,
        )
        timings["total"] = time.perf_counter() - t0
        progress("done", 1.0)
        return result

    # -- helpers ------------------------------------------------------------------------------
    def _working_ink(self, request: ColorizeRequest) -> tuple[np.ndarray, float]:
        ink = request.sketch.ink
        long_side = request.options.work_long_side
        h, w = ink.shape
        if long_side is None or max(h, w) <= long_side:
            return ink, 1.0
        scale = long_side / max(h, w)
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        key = (request.sketch.fingerprint, size)
        small = self._work.get_or_make(
            key, lambda: cv2.resize(ink, size, interpolation=cv2.INTER_AREA)
        )
        return small, scale

    def _light_layers(
        self,
        request: ColorizeRequest,
        shape_regions: regions.RegionMap,
        region_key: Hashable,
        flats: np.ndarray,
        should_cancel: CancelFn,
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """(lighting, shadow) layers, or None when the light is off. ``shape_regions`` are the
        segmentation's regions (cached surface); ``flats`` uint8 (H, W, 3) is what is lit."""
        settings = request.options.light
        if not settings.enabled or settings.intensity <= 0:
            return None
        check_cancel(should_cancel)
        shape = self._shapes.get_or_make(region_key, lambda: lighting.estimate_shape(shape_regions))
        return lighting.render_light(shape, flats, settings)

    def _emit(
        self,
        callback: Callable[[ColorizeResult], None] | None,
        request: ColorizeRequest,
        stage: Stage,
        regmap: regions.RegionMap,
        line_layer: np.ndarray,
        refined: np.ndarray | None,
        palette: np.ndarray,
        flats: np.ndarray,
        light: tuple[np.ndarray, np.ndarray] | None,
        timings: dict[str, float],
        notes: list[str],
        hints: HintSet,
    ) -> ColorizeResult:
        """Assemble (and hand to ``callback``) a result; ``flats`` = ``paint(regmap, palette)``;
        ``hints`` in working-image coordinates (the accurate dots anchor the shading)."""
        color = flats if refined is None else refined
        h, w = flats.shape[:2]
        if refined is None:
            shading = np.full((h, w, 3), 255, np.uint8)
        else:
            paper = (palette == 255).all(axis=1)  # white flats stay unshaded paper
            shading = shading_layer(refined, flats, regmap.labels, paper, _dot_pixels(hints, h, w))
        if light is None:
            lighting_layer = np.zeros((h, w, 3), np.uint8)
            shadow = np.full((h, w, 3), 255, np.uint8)
        else:
            lighting_layer, shadow = light
        # Neutral layers (white multiply, black screen) change nothing: leave them out of the blend.
        stack = {"flats": flats, "lineart": line_layer}
        if refined is not None:
            stack["shading"] = shading
        if light is not None:
            stack["shadow"] = shadow
            stack["lighting"] = lighting_layer
        composite = layers.compose(stack)
        result = ColorizeResult(
            request_id=request.id,
            lineart=line_layer,
            flats=flats,
            color=color,
            shading=shading,
            shadow=shadow,
            lighting=lighting_layer,
            composite=composite,
            regions=regmap.labels,
            stage=stage,
            timings=timings,
            notes=list(notes),
        )
        if callback is not None:
            callback(result)
        return result


def _dot_pixels(hints: HintSet, h: int, w: int) -> np.ndarray:
    """int (K, 2) ``(row, col)`` of the accurate dots' centres inside an (h, w) image."""
    pts = [(round(d.y), round(d.x)) for d in hints.accurate]
    inside = [(r, c) for r, c in pts if 0 <= r < h and 0 <= c < w]
    return np.array(inside, np.int64).reshape(-1, 2)


def _to_u8(img: np.ndarray) -> np.ndarray:
    """float 0..1 → uint8 0..255."""
    return np.clip(img * 255.0 + 0.5, 0, 255).astype(np.uint8)
