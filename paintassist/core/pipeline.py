"""The one colorization pipeline that the CLI, the GUI worker and the benchmarks all call.

Stages (each checks ``should_cancel`` before it starts):

1. working image: the sketch's ink, with its screentone split off at full resolution
   (:func:`paintassist.core.tone.split_tone`, cached per sketch: the tone splits no region and
   becomes the ``tone`` layer), downscaled to ``options.work_long_side`` if set (preview); whether
   the line art is coloured (:mod:`paintassist.core.ink_colour`, ``options.line_color``);
2. regions: :func:`paintassist.core.regions.segment` (cached per sketch/gap/size/gap strokes) of
   the ink with the artist's gap strokes drawn in, the links joined
   (:mod:`paintassist.core.region_edits`), with each region's depth (adaptive gap closing against the page border); the dots are placed
   (:func:`paintassist.core.flatten.place_hints`: off solid lines, through light hatching; the
   notes say so) and a region holding far-apart dots of different colours is split between them;
   speech balloons (:mod:`paintassist.core.balloons`) stay paper unless a hint colours them;
3. draft: DraftNet at ≤256 px (cached per sketch/draft hints/references) → ``on_draft`` callback
   with a draft-stage result so the GUI can show something early; a draft square's mood is kept to
   the areas it sets (elsewhere the draft without squares, also cached);
4. refine: RefineNet at working resolution, tiled (networks only);
5. flats: one colour per region (classical hints, or a robust colour of the refined result); what
   the hints decide is decided by :func:`paintassist.core.flatten.decide` on both paths;
6. shading = refined relative to flats; light pass (cached shape) when enabled, never on the page
   background; composite.

Without weights (or with ``use_networks=False``) stages 3–4 are skipped and ``color == flats``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import cv2
import numpy as np

from paintassist.core import (
    balloons,
    flatten,
    ink_colour,
    layers,
    lighting,
    lineart,
    open_figure,
    region_edits,
    regions,
    tone,
)
from paintassist.core.lru import LRU
from paintassist.core.memory import check_memory
from paintassist.core.progress import CancelFn, ProgressFn, check_cancel, never_cancel, no_progress
from paintassist.core.shading import shading_layer, white_flats
from paintassist.core.types import (
    ColorizeRequest,
    ColorizeResult,
    Hint,
    HintSet,
    Stage,
    rgb_to_hex,
)

#: How far a draft square's mood reaches past the areas it sets, as a fraction of the draft's long
#: side (a Gaussian of this sigma on the areas' mask): "plus mood nearby".
MOOD_FEATHER = 0.01
#: CIELAB chroma factor on the network's colours (the regions' medians and the open figure's
#: colours; never a hint's), for muted colours, fading to none at chroma
#: :data:`NETWORK_CHROMA_FADE` (:func:`~paintassist.core.flatten.scale_chroma`). A region's median
#: of RefineNet's colours is greyer than the colours it cannot tell apart. A flat ×1.1 everywhere
#: (20 anime-validation images: no-hint chroma 65 → 71 % of the truth's for −0.01 dB) cost 0.58 dB
#: on the clip-art test, whose colours are saturated already; faded (×1.3 → 1 at chroma 40), the
#: clip art is unchanged and the anime test's no-hint chroma goes 83 → 94 % (−0.03 dB).
NETWORK_CHROMA_GAIN = 1.3
NETWORK_CHROMA_FADE = 40.0
#: Long side (px) at most of the page with no hints whose shading gates a hinted result's
#: (:meth:`Pipeline._plain_shading`).
PLAIN_SHADING_SIDE = 768
#: Speech balloons are looked for on a segmentation at least this long side (px), or the page's own
#: if smaller: on a 768-px preview of a page the letters merge and 19 of 30 balloons of our
#: synthetic pages were found, against 29 at full resolution (1600 px: 29).
BALLOON_LONG_SIDE = 1600
#: A working region is a balloon when this share of its paper lies in the balloons found there.
BALLOON_SHARE = 0.6
#: A page this share toned is a manga page: its balloons are looked for at the finer size even
#: when the working size finds none.
TONED_PAGE_SHARE = 0.01


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


#: At most this many bytes of cached dot cells (:attr:`Pipeline._cells`).
CELLS_CACHE_BYTES = 48 * 2**20
#: Bound of the open-figure cache: a patch map is one byte a working pixel (an A4 page ~9 MB).
FIGURES_CACHE_BYTES = 32 * 2**20


def _refs_key(refs: tuple[np.ndarray, ...]) -> tuple[Any, ...]:
    return tuple((r.shape, hash(r[::7, ::7].tobytes())) for r in refs)


@dataclass
class Pipeline:
    """Runs colorizations and keeps the caches that make live preview fast.

    nets: the networks, or None for the classical path; ``nets_status`` says which, or why not.
    nets_error: why networks that were asked for and shipped could not be used (broken weights,
    no such device), None otherwise: callers must say it, never fall back silently.
    :func:`paintassist.app.services.build_pipeline` builds one with the shipped weights.
    """

    nets: ColorNets | None = None
    nets_status: str = "classical path (no networks loaded)"
    nets_error: str | None = None
    _regions: LRU = field(default_factory=lambda: LRU(4))
    _drafts: LRU = field(default_factory=lambda: LRU(8))
    _shapes: LRU = field(default_factory=lambda: LRU(4))
    _work: LRU = field(default_factory=lambda: LRU(12))
    _pages: LRU = field(default_factory=lambda: LRU(2))
    _balloons: LRU = field(default_factory=lambda: LRU(4))
    #: A split region's dot cells (flatten.split_by_dots), per (regions, region, dot groups): a
    #: dot edit grows cells only in the region it changed. Stored as int8 mostly: a 768-px
    #: preview's page-wide cells are ~0.5 MB, a full A4 page's ~9 MB, hence the byte bound.
    _cells: LRU = field(default_factory=lambda: LRU(24, max_bytes=CELLS_CACHE_BYTES))
    #: The last refined shading of a live preview, per (sketch, working size): the early result
    #: of the next edit shows it over its new flats instead of computing shading from the
    #: low-resolution draft (~60 ms of a 768-px dot edit; the refined result follows anyway).
    _shading: LRU = field(default_factory=lambda: LRU(2))
    #: The open figure's patches (core.open_figure), per (regions, colours, open page): a dot
    #: edit's early result re-uses the draft's (~15-40 ms of a 768-px edit).
    _figures: LRU = field(default_factory=lambda: LRU(4, max_bytes=FIGURES_CACHE_BYTES))
    #: The shading of the page with no hints, per (sketch, working size, strokes, references,
    #: options): the gate on a hinted result's shading (:meth:`_plain_shading`).
    _plain: LRU = field(default_factory=lambda: LRU(2))

    # -- caches, exposed for tests and the GUI ------------------------------------------------
    @property
    def draft_cache_stats(self) -> tuple[int, int]:
        """(hits, misses) of the DraftNet cache."""
        return self._drafts.hits, self._drafts.misses

    def clear_caches(self) -> None:
        for cache in (
            self._regions, self._drafts, self._shapes, self._work, self._pages, self._balloons,
            self._shading, self._cells, self._figures, self._plain,
        ):
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
        t0 = time.perf_counter()
        nets = self.nets if request.options.use_networks else None
        work = self._prepare(request, should_cancel, progress)
        self._regions_stage(work)
        refined: np.ndarray | None = None
        gate = None
        if nets is not None:
            draft = self._draft_stage(work, nets)
            if on_draft is not None:
                on_draft(self._draft_result(work, draft))
            refined = self._refine_stage(work, nets, draft)
            if len(work.hints):  # the page with no hints: where its open figure is, its shading
                work.figure = self._plain_figure(request, work.ink.shape, should_cancel)
                gate = self._plain_shading(request, work.ink.shape, should_cancel)
        colours = self._flats_stage(work, refined)
        light = self._light_stage(work, colours)
        check_cancel(should_cancel)
        progress("layers", 0.9)
        result = _build_result(work, "refined", colours, light, work.timings, gate=gate)
        if on_draft is not None and refined is not None:  # a live preview: its next early result
            self._shading.put(_shading_key(work), result.shading)
        work.timings["total"] = time.perf_counter() - t0  # the result shares the timings dict
        progress("done", 1.0)
        return result

    def _plain_shading(
        self, request: ColorizeRequest, shape: tuple[int, int], should_cancel: CancelFn
    ) -> np.ndarray:
        """The shading layer uint8 (h, w, 3) = ``shape`` of ``request``'s page with no hints
        (strokes kept, no light), made at :data:`PLAIN_SHADING_SIDE` px at most and upsampled;
        cached per page.

        A hinted result's shading is never darker than this (``np.maximum``): RefineNet paints
        blobs of a dot's colour, lighter near the dot and darker away from it, inside a large
        area that the dot decides (a red top, a green sleeve); the shading layer took them as
        dark patches. The shadows RefineNet sees from the lines alone (hair strands, folds) are
        in both and stay. They are smooth, so a 768-px page serves: on A4 one more pass of
        ~0.5 s and a few MB; on a 768-px preview, one refine per sketch."""
        plain = self._plain_page(request, should_cancel)
        assert plain is not None  # made on demand
        grey = plain.shading
        if grey.shape != shape:
            grey = cv2.resize(grey, (shape[1], shape[0]), interpolation=cv2.INTER_LINEAR)
        return np.repeat(grey[..., None], 3, axis=2)

    def _plain_figure(
        self, request: ColorizeRequest, shape: tuple[int, int], should_cancel: CancelFn,
        make_it: bool = True,
    ) -> np.ndarray | None:
        """bool (h, w) = ``shape``: the open figure's cells on ``request``'s page with no hints
        (:meth:`_plain_page`), where a hinted page may find them too; None when ``make_it`` is
        False and that page is not made yet. With hints RefineNet spreads their colours into the
        paper a figure half-encloses (between the chibi sample's twin tails and its bow), washes
        that no colour test tells from a skirt; with no hints they are not there."""
        plain = self._plain_page(request, should_cancel, make_it)
        if plain is None:
            return None
        figure = plain.figure
        if figure.shape != shape:
            figure = cv2.resize(figure.view(np.uint8), (shape[1], shape[0]),
                                interpolation=cv2.INTER_NEAREST).view(bool)
        return figure

    def _plain_page(self, request: ColorizeRequest, should_cancel: CancelFn,
                    make_it: bool = True) -> _Plain | None:
        """``request``'s page with no hints (strokes kept, no light), made at
        :data:`PLAIN_SHADING_SIDE` px at most; cached per page. ``make_it`` False: only what
        the cache holds (None if nothing)."""
        opts = request.options
        side = min(v for v in (PLAIN_SHADING_SIDE, opts.work_long_side, opts.refine_long_side)
                   if v is not None)
        plain_opts = replace(opts, work_long_side=side, refine_long_side=side,
                             light=replace(opts.light, enabled=False))
        key = (request.sketch.fingerprint, request.hints.strokes, _refs_key(request.references),
               plain_opts)

        def make() -> _Plain:
            plain = ColorizeRequest(request.sketch, HintSet((), request.hints.strokes),
                                    request.references, plain_opts)
            result = self.run(plain, should_cancel=should_cancel)
            base = result.region_map  # the open figure's cells are the ids past its count
            figure = (result.regions >= base.count if base is not None
                      else np.zeros(result.regions.shape, bool))
            return _Plain(np.ascontiguousarray(result.shading[..., 0]), figure)

        plain: _Plain | None = (self._plain.get_or_make(key, make) if make_it
                                else self._plain.get(key))
        return plain

    # -- the stages, in order -----------------------------------------------------------------
    def _prepare(
        self, request: ColorizeRequest, should_cancel: CancelFn, progress: ProgressFn
    ) -> _Work:
        """Working ink (downscaled for previews), hints and sizes at its scale; the notes."""
        start = time.perf_counter()
        check_cancel(should_cancel)
        progress("prepare", 0.0)
        opts = request.options
        h, w = request.sketch.shape
        if opts.work_long_side is not None and max(h, w) > opts.work_long_side:
            f = opts.work_long_side / max(h, w)
            h, w = max(1, round(h * f)), max(1, round(w * f))
        nets = self.nets is not None and opts.use_networks
        full = opts.refine_long_side is None  # RefineNet at the page's own size
        check_memory(h, w, networks=nets, full_refine=full, name=request.sketch.source)
        page = self._page(request)
        if page.split.found:  # a toned page keeps more per pixel
            check_memory(h, w, networks=nets, tone=True, full_refine=full,
                         name=request.sketch.source)
        ink, scale = self._working(request, page.split.lines, "lines")
        notes: list[str] = []
        if self.nets is None or not opts.use_networks:
            notes.append(self.nets_status if opts.use_networks else "classical path (by option)")
        notes.extend(page.notes(request))
        work = _Work(
            request=request,
            should_cancel=should_cancel,
            progress=progress,
            ink=ink,
            scale=scale,
            hints=request.hints if scale == 1.0 else request.hints.scaled(scale),
            gap=max(0, round(opts.gap_px * scale)),
            min_region=max(1, round(opts.min_region_px * scale * scale)),
            notes=notes,
        )
        self._page_layers(work, page)
        work.took("prepare", start)
        return work

    def _page(self, request: ColorizeRequest) -> _Page:
        """The sketch's tone split and ink colour at full resolution (cached per sketch)."""
        sketch, screentone = request.sketch, request.options.screentone

        def make() -> _Page:
            split = tone.split_tone(sketch.ink) if screentone else tone.ToneSplit(sketch.ink)
            colour = None if sketch.rgb is None else ink_colour.measure(split.lines, sketch.rgb)
            return _Page(split, colour)

        page: _Page = self._pages.get_or_make((sketch.fingerprint, screentone), make)
        return page

    def _page_layers(self, work: _Work, page: _Page) -> None:
        """The working size's tone, ink colour and sketch image (resized and cached per sketch)."""
        request = work.request
        sketch = request.sketch
        split = page.split
        if split.tone is not None and split.area is not None:
            work.tone = self._working(request, split.tone, "tone")[0]
            area = self._working(request, split.area.view(np.uint8), "area")[0]
            work.tone_area = area > 0
        base = (sketch.fingerprint, work.ink.shape, request.options.screentone)
        if sketch.rgb is not None:
            work.rgb = self._working(request, sketch.rgb, "rgb")[0]
            work.sketch_image = work.rgb
        else:
            grey = self._working(request, sketch.ink, "sketch")[0]
            work.sketch_image = self._work.get_or_make(
                (*base, "sketch image"),
                lambda: np.repeat(lineart.ink_to_grey(grey)[:, :, None], 3, axis=2),
            )
        mode = request.options.line_color
        keep = page.colour is not None and (
            mode == "keep" or (mode == "auto" and page.colour.coloured)
        )
        if keep and page.colour is not None and work.rgb is not None:
            lines, rgb, fallback = work.ink, work.rgb, page.colour.rgb
            work.colour = self._work.get_or_make(
                (*base, "colour"), lambda: ink_colour.colour_field(lines, rgb, fallback)
            )
        if work.tone is not None:
            tone_ink, colour = work.tone, work.colour
            work.tone_layer = self._work.get_or_make(
                (*base, "tone layer", colour is not None),
                lambda: tone.tone_layer(tone_ink, colour),
            )

    def _regions_stage(self, work: _Work) -> None:
        """Segmentation (cached per sketch/size/gap/gap strokes) with the links joined (cached),
        split by the dots; the line-art layer (of the sketch's own ink: gap strokes never show)."""
        start = work.begin("regions", 0.1)
        gaps, links = work.hints.gaps, work.hints.links
        work.edit_ink = region_edits.draw_gaps(work.ink, gaps)
        seg_key = (
            work.request.sketch.fingerprint,
            work.ink.shape,
            work.request.options.screentone,  # the working ink is with or without the tone
            work.gap,
            work.min_region,
            gaps,  # Strokes are frozen: hashable by value
        )
        edit_ink = work.edit_ink
        segmented = self._regions.get_or_make(
            seg_key,
            lambda: regions.segment(edit_ink, gap_px=work.gap, min_region_px=work.min_region),
        )
        work.region_key = (*seg_key, links)
        work.shape_regions = (
            self._regions.get_or_make(
                work.region_key, lambda: region_edits.link_areas(segmented, links)
            )
            if links
            else segmented
        )
        # Dots go where they colour (off solid lines, through light hatching), with notes.
        placed, notes = flatten.place_hints(work.shape_regions, work.hints, work.scale)
        work.hints = placed
        work.notes.extend(notes)
        # A region holding dots of different colours (open line art) is split between them.
        work.regmap = flatten.split_by_dots(
            work.shape_regions, work.hints, cache=self._cells, cache_key=work.region_key
        )
        base = work.shape_regions
        found = self._balloons.get_or_make(work.region_key, lambda: self._find_balloons(work))
        work.paper = np.concatenate([found, np.zeros(work.regmap.count - base.count, bool)])
        work.took("regions", start)
        work.line_layer = ink_colour.lineart_layer(work.ink, work.colour)

    def _find_balloons(self, work: _Work) -> np.ndarray:
        """bool (shape_regions.count,): the speech balloons among the working regions, found
        on them and, where balloons are likely (one found already, or a toned page), on a finer
        segmentation too (on a plain sketch it would cost the first preview of a big page
        ~0.7 s)."""
        base, area = work.shape_regions, work.tone_area
        found = balloons.balloon_regions(base, area)
        toned = area is not None and area.mean() >= TONED_PAGE_SHARE
        fine = self._fine_balloons(work) if found.any() or toned else None
        if fine is None:
            return found
        paper = ~base.line_mask
        inside = np.bincount(base.labels[paper], weights=fine[paper], minlength=base.count)
        share = inside / np.maximum(base.paper_areas, 1)
        return found | ((share >= BALLOON_SHARE) & ~base.page_background)

    def _fine_balloons(self, work: _Work) -> np.ndarray | None:
        """float32 (h, w) at the working size: the share of each pixel in a speech balloon found
        on a segmentation at :data:`BALLOON_LONG_SIDE` (cached per sketch, gap and gap strokes);
        None when the working image is already that fine."""
        request = work.request
        opts = request.options
        long_side = min(BALLOON_LONG_SIDE, max(request.sketch.shape))
        if max(work.ink.shape) >= long_side:
            return None
        fine_request = replace(request, options=replace(opts, work_long_side=long_side))
        page = self._page(request)
        key = (request.sketch.fingerprint, long_side, opts.gap_px, opts.min_region_px,
               opts.screentone, request.hints.gaps, work.ink.shape, "balloons")

        def make() -> np.ndarray:
            ink, s = self._working(fine_request, page.split.lines, "lines")
            toned = None
            if page.split.area is not None:
                toned = self._working(fine_request, page.split.area.view(np.uint8), "area")[0] > 0
            ink = region_edits.draw_gaps(ink, tuple(g.scaled(s) for g in request.hints.gaps))
            fine = regions.segment(ink, gap_px=max(0, round(opts.gap_px * s)),
                                   min_region_px=max(1, round(opts.min_region_px * s * s)))
            mask = balloons.balloon_regions(fine, toned)[fine.labels].astype(np.float32)
            h, w = work.ink.shape
            return cv2.resize(mask, (w, h), interpolation=cv2.INTER_AREA)

        mask: np.ndarray = self._balloons.get_or_make(key, make)
        return mask

    def _draft_stage(self, work: _Work, nets: ColorNets) -> np.ndarray:
        """DraftNet's draft, float32 (h, w, 3) at its own size; cached, so that edits of accurate
        dots alone never re-run it. A draft square's mood stays in the areas it sets (and fades
        out just past them): elsewhere the draft is DraftNet's without squares."""
        start = work.begin("draft", 0.25)
        request, squares = work.request, work.hints.draft
        strength = request.options.reference_strength

        def key(hints: HintSet) -> Hashable:
            return (
                request.sketch.fingerprint,
                work.ink.shape,
                hints,  # HintSet and Hint are frozen: hashable by value
                _refs_key(request.references),
                round(strength, 3),
            )

        def make(hints: HintSet) -> np.ndarray:
            return nets.draft(work.ink, hints, request.references, strength)

        def kept_to_areas() -> np.ndarray:
            plain: np.ndarray = self._drafts.get_or_make(key(HintSet()), lambda: make(HintSet()))
            moody: np.ndarray = make(squares)
            return _mood_in_areas(work.shape_regions, squares, moody, plain)

        if len(squares):
            draft: np.ndarray = self._drafts.get_or_make(
                (key(squares), "areas", work.region_key), kept_to_areas
            )
        else:
            draft = self._drafts.get_or_make(key(squares), lambda: make(squares))
        work.took("draft", start)
        return draft

    def _draft_result(self, work: _Work, draft: np.ndarray) -> ColorizeResult:
        """The early result: the draft, upscaled to the working size, stands in for the refined
        colours (no light pass)."""
        h, w = work.ink.shape
        early = _to_u8(cv2.resize(draft, (w, h), interpolation=cv2.INTER_LINEAR))
        if len(work.hints):  # the open figure where the page with no hints has it, if known
            work.figure = self._plain_figure(work.request, (h, w), work.should_cancel,
                                             make_it=False)
        # a large reach on the page round the figure waits for RefineNet's spread of its dot
        # (the draft never sees dots, so the trim keeps it small): no flash of the page
        colours, _ = self._network_flats(work, early)
        shading = self._shading.get(_shading_key(work))
        return _build_result(work, "draft", colours, None, dict(work.timings), shading=shading)

    def _refine_stage(self, work: _Work, nets: ColorNets, draft: np.ndarray) -> np.ndarray:
        """RefineNet's colours, uint8 (h, w, 3) at the working size. Above
        ``options.refine_long_side`` the net runs on the area-downscaled ink and its colours are
        upsampled bilinearly: they vary smoothly inside an area, and the flats, the lines and the
        shading's per-region levels that the result is built from stay at the working size."""
        start = work.begin("refine", 0.5)
        dots = region_edits.linked_dots(work.shape_regions, work.hints)
        ink = work.edit_ink
        h, w = ink.shape
        cap = work.request.options.refine_long_side
        if cap is not None and max(h, w) > cap:
            f = cap / max(h, w)
            size = (max(1, round(w * f)), max(1, round(h * f)))
            small = cv2.resize(ink, size, interpolation=cv2.INTER_AREA)
            out = nets.refine(small, draft, dots.scaled(f), work.should_cancel)
            work.refined_small = _to_u8(out)
            del out
            refined = cv2.resize(work.refined_small, (w, h), interpolation=cv2.INTER_LINEAR)
        else:
            refined = _to_u8(nets.refine(ink, draft, dots, work.should_cancel))
        work.took("refine", start)
        return refined

    def _flats_stage(self, work: _Work, refined: np.ndarray | None) -> _Colours:
        """One colour per region: from the refined colours, or from the hints (classical)."""
        start = work.begin("flats", 0.8)
        if refined is not None:
            colours, cut = self._network_flats(work, refined)
            for dot in cut:
                at = f"({dot.x / work.scale:.0f}, {dot.y / work.scale:.0f})"
                work.notes.append(
                    f"dot {dot.hex} at {at} lies on the page round the figure: it colours the "
                    "area the network reads round it; a draft square there colours the whole page")
        else:
            palette = flatten.classical_palette(work.regmap, work.hints, stay_paper=work.paper)
            colours = _Colours(None, palette, flatten.paint(work.regmap, palette), work.regmap)
        work.took("flats", start)
        return colours

    def _network_flats(self, work: _Work, colour: np.ndarray) -> tuple[_Colours, list[Hint]]:
        """The network path's flats from ``colour`` (uint8 (h, w, 3) at the working size, the
        draft's or RefineNet's; balloons whitened in place): each page dot's reach trimmed to
        where ``colour`` spreads it (:func:`flatten.trim_reaches`), the hints' and the network's
        palette, the open figure (:meth:`_network_colours`). Also returns the dots whose reach
        the trim cut back."""
        regmap, cut = flatten.trim_reaches(work.regmap, work.hints, colour)
        palette = flatten.palette_from_color(regmap, colour, work.hints, stay_paper=work.paper,
                                             chroma_gain=NETWORK_CHROMA_GAIN,
                                             chroma_fade=NETWORK_CHROMA_FADE)
        _whiten_paper(work, regmap, colour, palette)
        return self._network_colours(work, regmap, colour, palette), cut

    def _network_colours(self, work: _Work, regmap: regions.RegionMap, colour: np.ndarray,
                         palette: np.ndarray) -> _Colours:
        """``palette`` on ``regmap`` (``work.regmap``, its page reaches trimmed), and the open
        figure the page background holds where no hint decides it
        (:mod:`paintassist.core.open_figure`) as regions of their own in the network's colours
        (cached). colour: uint8 (h, w, 3) the network's colours at the working size."""
        decided = work.paper
        allowed = None
        if len(work.hints.accurate) or len(work.hints.draft):
            decided = decided | flatten.decide(regmap, work.hints).has
            allowed = work.figure  # only where the page with no hints has it (_plain_figure)
            if allowed is None or not allowed.any():  # not known yet (early result), or none
                return _Colours(colour, palette, flatten.paint(regmap, palette), regmap)
        open_page = np.flatnonzero(regmap.page_background & ~decided)
        key = (work.region_key, work.ink.shape, _digest(colour), _digest(open_page),
               None if allowed is None else _digest(allowed))
        patches = self._figures.get_or_make(
            key, lambda: open_figure.find_patches(regmap, colour, decided, allowed)
            or _NO_PATCHES)
        if patches is _NO_PATCHES:
            return _Colours(colour, palette, flatten.paint(regmap, palette), regmap)
        cells = open_figure.add_patches(regmap, patches)
        vivid = flatten.scale_chroma(cells.colours, NETWORK_CHROMA_GAIN,
                                     NETWORK_CHROMA_FADE)
        palette = np.concatenate([palette, vivid])
        return _Colours(colour, palette, flatten.paint(cells.regmap, palette), cells.regmap)

    def _light_stage(
        self, work: _Work, colours: _Colours
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """(lighting, shadow) layers of the flats uint8 (h, w, 3), or None when the light is off.
        The surface comes from the segmentation's regions (cached), not the dot-split ones; the
        page background is never lit, nor the paper open to it that no hint coloured."""
        work.progress("light", 0.85)
        settings = work.request.options.light
        if not settings.enabled or settings.intensity <= 0:
            return None
        start = time.perf_counter()
        check_cancel(work.should_cancel)
        base = work.shape_regions
        shape = self._shapes.get_or_make(
            work.region_key,
            lambda: lighting.estimate_shape(base, unlit=np.flatnonzero(base.page_background)),
        )
        unlit = flatten.unlit_regions(
            colours.regmap, colours.palette, work.hints, stay_paper=_paper_of(work, colours)
        )[: base.count]
        off = np.flatnonzero(unlit & ~base.page_background)
        light = lighting.render_light(shape, colours.flats, settings, unlit=off)
        work.took("light", start)
        return light

    # -- helpers ------------------------------------------------------------------------------
    def _working(
        self, request: ColorizeRequest, image: np.ndarray, what: str
    ) -> tuple[np.ndarray, float]:
        """``image`` (one of the sketch's full-resolution images, named ``what``) at the working
        size (area-averaged, cached per sketch), and the working px per sketch px."""
        long_side = request.options.work_long_side
        h, w = image.shape[:2]
        if long_side is None or max(h, w) <= long_side:
            return image, 1.0
        scale = long_side / max(h, w)
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        key = (request.sketch.fingerprint, size, request.options.screentone, what)
        small = self._work.get_or_make(
            key, lambda: cv2.resize(image, size, interpolation=cv2.INTER_AREA)
        )
        return small, scale


@dataclass
class _Work:
    """One run's prepared work; images, hints and sizes are in working-image coordinates (the
    sketch scaled by ``scale``). The regions stage fills the fields after ``notes``."""

    request: ColorizeRequest
    should_cancel: CancelFn
    progress: ProgressFn
    ink: np.ndarray  # float32 (h, w) 0..1
    scale: float  # working px per sketch px (1.0 at full resolution)
    hints: HintSet
    gap: int  # px
    min_region: int  # px²
    notes: list[str]
    timings: dict[str, float] = field(default_factory=dict)  # stage → seconds
    tone: np.ndarray | None = None  # uint8 (h, w): the screentone's ink × 255, None when none
    tone_area: np.ndarray | None = None  # bool (h, w): where the screentone lies
    tone_layer: np.ndarray | None = None  # uint8 (h, w, 3): the tone multiply layer
    rgb: np.ndarray | None = None  # uint8 (h, w, 3): the sketch's own pixels, None if synthetic
    colour: np.ndarray | None = None  # uint8 (h, w, 3): the ink's colour, None = black lines
    sketch_image: np.ndarray = field(init=False)  # uint8 (h, w, 3): the ``sketch`` layer
    region_key: Hashable = field(init=False)
    shape_regions: regions.RegionMap = field(init=False)  # segmentation: the light's surface
    regmap: regions.RegionMap = field(init=False)  # split by the dots: the flats' regions
    #: bool (h, w): where a hinted page may find the open figure (Pipeline._plain_figure)
    figure: np.ndarray | None = None
    edit_ink: np.ndarray = field(init=False)  # float32 (h, w): ink + gap strokes (segmentation)
    line_layer: np.ndarray = field(init=False)  # uint8 (h, w, 4)
    paper: np.ndarray = field(init=False)  # bool (regmap.count,): speech balloons (stay paper)
    # uint8 (hs, ws, 3): RefineNet's colours at its own size when it ran below the working one
    refined_small: np.ndarray | None = None

    def begin(self, stage: str, fraction: float) -> float:
        """Check for a cancel, report ``stage`` at ``fraction`` done; the stage's start time."""
        check_cancel(self.should_cancel)
        self.progress(stage, fraction)
        return time.perf_counter()

    def took(self, stage: str, start: float) -> None:
        self.timings[stage] = time.perf_counter() - start


@dataclass(frozen=True)
class _Page:
    """What is read off a sketch once, at its full resolution: the tone split and the ink's
    colour (None for a sketch without its own pixels)."""

    split: tone.ToneSplit
    colour: ink_colour.InkColour | None

    def notes(self, request: ColorizeRequest) -> list[str]:
        """What the artist is told about the page: tone found, line art kept in its colour."""
        out = []
        split = self.split
        if split.found:
            pitches = ", ".join(f"{p:g}" for p in sorted(set(split.pitches))[:4])
            out.append(
                f"screentone: {len(split.pitches)} area(s), {split.coverage:.0%} of the page "
                f"(pitch {pitches} px): kept out of the line art, in the tone layer"
            )
        mode = request.options.line_color
        kept = mode == "keep" or (mode == "auto" and self.colour is not None
                                  and self.colour.coloured)
        if kept and self.colour is not None:
            out.append(
                f"line art kept in its colour (ink {rgb_to_hex(self.colour.rgb)}, "
                f"chroma {self.colour.chroma:.0f})"
            )
        return out


def _whiten_paper(work: _Work, regmap: regions.RegionMap, refined: np.ndarray,
                  palette: np.ndarray) -> None:
    """Speech balloons no hint coloured (white in ``palette``, of ``regmap``) are white in the
    network's colours too (``refined`` uint8 (h, w, 3), in place), so the ``color`` layer
    agrees."""
    white = work.paper & (palette == 255).all(axis=1)
    if white.any():
        refined[white[regmap.labels]] = 255


def _digest(a: np.ndarray) -> bytes:
    """A 16-byte fingerprint of an array's bytes (a cache key part)."""
    return hashlib.blake2b(np.ascontiguousarray(a).tobytes(), digest_size=16).digest()


#: What the open figure cache holds for a page without an open figure.
_NO_PATCHES = open_figure.FigurePatches(np.zeros((0, 0), np.uint8), np.zeros((0, 3), np.uint8))


def _paper_of(work: _Work, colours: _Colours) -> np.ndarray:
    """bool (colours.regmap.count,): ``work.paper`` (the speech balloons), the open figure's
    cells never among them."""
    extra = colours.regmap.count - len(work.paper)
    return np.concatenate([work.paper, np.zeros(extra, bool)]) if extra else work.paper


@dataclass(frozen=True)
class _Plain:
    """The page with no hints (:meth:`Pipeline._plain_page`): ``shading`` uint8 (h, w), its grey
    shading layer; ``figure`` bool (h, w), its open figure's cells."""

    shading: np.ndarray
    figure: np.ndarray

    @property
    def nbytes(self) -> int:
        return int(self.shading.nbytes + self.figure.nbytes)


@dataclass(frozen=True)
class _Colours:
    """A stage's colours, all at the working size: ``refined`` uint8 (h, w, 3) (the draft for
    the early result, None on the classical path), ``palette`` uint8 (regions, 3) and ``flats`` =
    ``paint(regmap, palette)`` uint8 (h, w, 3). ``regmap``: the regions they colour,
    ``work.regmap``, its page reaches trimmed, or that with the open figure's cells added."""

    refined: np.ndarray | None
    palette: np.ndarray
    flats: np.ndarray
    regmap: regions.RegionMap


def _build_result(
    work: _Work,
    stage: Stage,
    colours: _Colours,
    light: tuple[np.ndarray, np.ndarray] | None,
    timings: dict[str, float],
    shading: np.ndarray | None = None,
    gate: np.ndarray | None = None,
) -> ColorizeResult:
    """The layers of one stage's result (the draft-stage and the refined one alike).
    ``shading``: a shading layer to show instead of computing it (the early result of a live
    preview edit). ``gate``: uint8 (h, w, 3) the shading is never darker than (the page's with
    no hints, :meth:`Pipeline._plain_shading`)."""
    refined, flats = colours.refined, colours.flats
    h, w = flats.shape[:2]
    if refined is None:
        shading = np.full((h, w, 3), 255, np.uint8)
    elif shading is None or shading.shape != flats.shape:
        shading = _shading(work, colours)
        if gate is not None and gate.shape == shading.shape:
            shading = np.maximum(shading, gate)
    if light is None:
        lighting_layer = np.zeros((h, w, 3), np.uint8)
        shadow = np.full((h, w, 3), 255, np.uint8)
    else:
        lighting_layer, shadow = light
    # Neutral layers (white multiply, black screen) change nothing: leave them out of the blend.
    stack = {"flats": flats, "lineart": work.line_layer}
    if refined is not None:
        stack["shading"] = shading
    if work.tone_layer is not None:
        stack["tone"] = work.tone_layer
    if light is not None:
        stack["shadow"] = shadow
        stack["lighting"] = lighting_layer
    return ColorizeResult(
        request_id=work.request.id,
        lineart=work.line_layer,
        flats=flats,
        color=flats if refined is None else cv2.multiply(flats, shading, scale=1.0 / 255.0),
        shading=shading,
        shadow=shadow,
        lighting=lighting_layer,
        composite=layers.compose(stack),
        regions=colours.regmap.labels,
        region_map=work.shape_regions,
        stay_paper=work.paper[: work.shape_regions.count],
        network=refined,
        tone=work.tone_layer if work.tone_layer is not None else _white(h, w),
        sketch=work.sketch_image,
        stage=stage,
        timings=timings,
        notes=list(work.notes),
    )


def _shading(work: _Work, colours: _Colours) -> np.ndarray:
    """The shading layer uint8 (h, w, 3) of a stage's colours. When RefineNet ran downscaled its
    colours hold no finer detail, so the shading is measured at RefineNet's size (regions and
    flats sampled there, the dots scaled) and upsampled; paper stays white at full size."""
    refined, flats, labels = colours.refined, colours.flats, colours.regmap.labels
    assert refined is not None
    h, w = flats.shape[:2]
    paper = white_flats(colours.palette)  # white flats stay unshaded, like paper
    small = work.refined_small
    if small is None or small.shape[0] >= h:
        dots = _dot_pixels(work.hints, h, w)  # the accurate dots anchor the shading
        return shading_layer(refined, flats, labels, paper, dots, ink=work.edit_ink)
    hs, ws = small.shape[:2]
    small_labels = cv2.resize(labels, (ws, hs), interpolation=cv2.INTER_NEAREST)
    small_ink = cv2.resize(work.edit_ink, (ws, hs), interpolation=cv2.INTER_AREA)
    dots = _dot_pixels(work.hints.scaled(ws / w), hs, ws)
    grey = shading_layer(
        small, colours.palette[small_labels], small_labels, paper, dots, ink=small_ink
    )[..., 0]
    s = cv2.resize(grey, (w, h), interpolation=cv2.INTER_LINEAR)
    s[paper[labels]] = 255
    return np.repeat(s[..., None], 3, axis=2)


def _shading_key(work: _Work) -> Hashable:
    return (work.request.sketch.fingerprint, work.ink.shape)


def _white(h: int, w: int) -> np.ndarray:
    """A white (H, W, 3) uint8 layer that costs no memory (a read-only broadcast view): the
    ``tone`` layer of a page without screentone."""
    return np.broadcast_to(np.full(3, 255, np.uint8), (h, w, 3))


def _mood_in_areas(
    regmap: regions.RegionMap, squares: HintSet, moody: np.ndarray, plain: np.ndarray
) -> np.ndarray:
    """The draft with squares (``moody``) inside the areas the squares set on ``regmap`` and just
    past them, the draft without (``plain``) elsewhere: float32 (h, w, 3) at the drafts' size."""
    decided = flatten.decide(regmap, squares).has
    dh, dw = moody.shape[:2]
    inside = decided.astype(np.float32)[regmap.labels]
    weight = cv2.resize(inside, (dw, dh), interpolation=cv2.INTER_AREA)
    sigma = max(1.0, MOOD_FEATHER * max(dh, dw))
    weight = cv2.GaussianBlur(weight, (0, 0), sigma)
    weight = np.clip(weight * 2.0, 0.0, 1.0)[..., None]  # full mood inside, fading out past
    if plain.shape != moody.shape:
        plain = cv2.resize(plain, (dw, dh), interpolation=cv2.INTER_LINEAR)
    return np.asarray(moody * weight + plain * (1.0 - weight), np.float32)


def _dot_pixels(hints: HintSet, h: int, w: int) -> np.ndarray:
    """int (K, 2) ``(row, col)`` of the accurate dots' centres inside an (h, w) image."""
    pts = [(round(d.y), round(d.x)) for d in hints.accurate]
    inside = [(r, c) for r, c in pts if 0 <= r < h and 0 <= c < w]
    return np.array(inside, np.int64).reshape(-1, 2)


def _to_u8(img: np.ndarray) -> np.ndarray:
    """float 0..1 → uint8 0..255."""
    return np.clip(img * 255.0 + 0.5, 0, 255).astype(np.uint8)
