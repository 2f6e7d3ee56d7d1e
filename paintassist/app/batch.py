"""Batch colorization (Qt-free): plan the pages of a run, colorize each one — in this process, in
N worker processes, or on a Dask cluster — and report every page. One bad page never stops a
batch.

A worker (a process of ``--jobs N`` or a Dask worker) loads the networks once and keeps them for
every page it is given; torch's threads are split between the local workers. Results do not
depend on how pages are spread: a page is colorized by the same code with the same inputs (the
networks' float sums may differ in the last bit between thread counts, which can move a pixel by
one level; the classical path is identical byte for byte).
"""

from __future__ import annotations

import glob
import logging
import multiprocessing
import os
import queue
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np

from paintassist.app.characters import snap_hints
from paintassist.app.services import build_pipeline
from paintassist.core.errors import PaintAssistError
from paintassist.core.memory import check_memory, memory_budget_bytes
from paintassist.core.pipeline import Pipeline
from paintassist.core.types import ColorizeOptions, ColorizeRequest, HintSet
from paintassist.io.export import export_result
from paintassist.io.hint_layer import hints_from_layer
from paintassist.io.hints_file import hints_beside, load_hints, parse_hints
from paintassist.io.images import is_supported, load_rgb, load_sketch
from paintassist.io.naming import page_names
from paintassist.io.pages import is_page, page_reference
from paintassist.io.palette_files import Palette
from paintassist.paths import models_dir

log = logging.getLogger("paintassist.batch")

#: The stages a page goes through, in order, as progress bars show them.
STAGES: tuple[str, ...] = ("load", "regions", "draft", "refine", "export")
#: Pipeline progress stage → shown stage.
_SHOWN = {
    "prepare": "regions",
    "regions": "regions",
    "draft": "draft",
    "refine": "refine",
    "flats": "refine",
    "light": "refine",
    "layers": "refine",
    "done": "refine",
}

Status = Literal["ok", "failed", "skipped"]
#: progress(page index, stage, fraction 0..1 of the whole page)
ProgressFn = Callable[[int, str, float], None]


@dataclass(frozen=True, slots=True)
class BatchSettings:
    """What is the same for every page of a run (picklable: it travels to workers).

    hints_arg: a hints file for every page, a folder of ``<stem>.json``, or None (the file beside
    each sketch). hints_data: one page's hints as decoded JSON (``--hints -``), instead.
    light_given: the run's own light overrides the light of hints files.
    references: style images, or pages we coloured before (their folder, manifest or .ora).
    """

    options: ColorizeOptions = field(default_factory=ColorizeOptions)
    formats: tuple[str, ...] = ("png", "ora")
    references: tuple[str, ...] = ()
    hints_arg: str | None = None
    hints_data: Any = None
    light_given: bool = False
    skip_existing: bool = False
    device: str = "auto"
    #: A painted hint layer for every page, or a folder holding ``<stem>.png`` per page.
    hints_image: str | None = None
    #: A (character) palette the hints' colours snap to.
    palette: Palette | None = None


@dataclass(frozen=True, slots=True)
class PageJob:
    """One page: ``sketch`` is written as the page folder ``out / name``."""

    index: int
    sketch: Path
    out: Path
    name: str


@dataclass(frozen=True)
class PageOutcome:
    """What happened to one page. ``timings`` in seconds per stage; ``written`` the outputs."""

    sketch: Path
    name: str
    status: Status
    message: str
    written: tuple[Path, ...] = ()
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    index: int = -1  # the job's place in the run
    colorized_by: str = ""  # the pipeline's status: which networks, or why the classical path
    nets_error: str | None = None  # why networks that were asked for could not be used

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    def to_json(self) -> dict[str, Any]:
        return {
            "sketch": str(self.sketch),
            "name": self.name,
            "status": self.status,
            "error": None if self.ok else self.message,
            "seconds": round(self.seconds, 3),
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "outputs": [str(p) for p in self.written],
            "warnings": list(self.warnings),
            "colorized_by": self.colorized_by,
        }


# -- planning -------------------------------------------------------------------------------------
def plan_pages(
    items: Sequence[str | Path], out: Path, *, recursive: bool = False
) -> tuple[list[PageJob], list[str]]:
    """The pages of a run and the problems found while looking for them.

    A folder gives its supported images (with ``recursive``, those of its subfolders too, each
    written under the same relative folder of ``out``); a file is taken as it is (a missing or
    bad one fails when its page runs). Page names are unique within each output folder.
    """
    found: list[tuple[Path, Path]] = []
    problems: list[str] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            pattern = p.rglob("*") if recursive else p.iterdir()
            files = sorted(c for c in pattern if c.is_file() and is_supported(c))
            if not files:
                problems.append(f"{p}: folder holds no supported images")
            found.extend((f, out / f.parent.relative_to(p)) for f in files)
        else:
            found.append((p, out))
    found = list(dict.fromkeys(found))
    by_folder: dict[Path, list[int]] = {}
    for i, (_, folder) in enumerate(found):
        by_folder.setdefault(folder, []).append(i)
    names: dict[int, str] = {}
    for indices in by_folder.values():
        for i, name in zip(indices, page_names([found[i][0] for i in indices]), strict=True):
            names[i] = name
    jobs = [PageJob(i, sketch, folder, names[i]) for i, (sketch, folder) in enumerate(found)]
    return jobs, problems


# -- one page -------------------------------------------------------------------------------------
def _existing(job: PageJob, formats: Sequence[str]) -> tuple[Path, ...] | None:
    """The outputs of an earlier complete export of this page, None when one is missing."""
    folder = job.out / job.name
    wanted = {
        "png": folder / "manifest.json",
        "ora": folder / f"{job.name}.ora",
        "psd": folder / f"{job.name}.psd",
    }
    paths = [wanted[f] for f in formats if f in wanted]
    if not folder.is_dir() or not all(p.is_file() for p in paths):
        return None
    return tuple(folder if p.name == "manifest.json" else p for p in paths)


def _page_hints(
    job: PageJob, settings: BatchSettings, shape: tuple[int, int], warnings: list[str]
) -> tuple[HintSet, Any]:
    """(hints, light from the hints file or None): the hints file's, plus the painted hint
    layer's, snapped to the palette when one is given."""
    hints, light = _file_hints(job, settings, warnings)
    layer = _hint_layer_path(job, settings.hints_image)
    if layer is not None:
        hints = HintSet((*hints, *hints_from_layer(layer, expected_shape=shape)), hints.strokes)
    if settings.palette is not None:
        hints = snap_hints(hints, settings.palette)
    return hints, light


def _hint_layer_path(job: PageJob, arg: str | None) -> Path | None:
    if arg is None:
        return None
    folder = Path(arg)
    if not folder.is_dir():
        return folder
    found = [p for p in sorted(folder.glob(f"{glob.escape(job.sketch.stem)}.*")) if is_supported(p)]
    return found[0] if found else None


def _file_hints(job: PageJob, settings: BatchSettings, warnings: list[str]) -> tuple[HintSet, Any]:
    if settings.hints_data is not None:
        doc = parse_hints(settings.hints_data, "<stdin>")
        source = "<stdin>"
    else:
        arg = settings.hints_arg
        path = hints_beside(job.sketch, arg) if arg is None or Path(arg).is_dir() else Path(arg)
        if path is None:
            return HintSet(), None
        doc = load_hints(path)
        source = str(path)
    warnings.extend(f"{source}: {w}" for w in doc.warnings)
    return doc.hints, doc.light


def run_page(
    job: PageJob,
    settings: BatchSettings,
    pipeline: Pipeline,
    references: tuple[np.ndarray, ...],
    progress: ProgressFn | None = None,
) -> PageOutcome:
    """Colorize and export one page; every failure becomes a failed outcome naming the file."""
    outcome = _run_page(job, settings, pipeline, references, progress)
    return replace(
        outcome, index=job.index, colorized_by=pipeline.nets_status, nets_error=pipeline.nets_error
    )


def _run_page(
    job: PageJob,
    settings: BatchSettings,
    pipeline: Pipeline,
    references: tuple[np.ndarray, ...],
    progress: ProgressFn | None,
) -> PageOutcome:
    t0 = time.perf_counter()

    def say(stage: str, f: float) -> None:
        if progress is not None:
            progress(job.index, stage, f)

    if settings.skip_existing and (done := _existing(job, settings.formats)) is not None:
        return PageOutcome(job.sketch, job.name, "skipped", "already exported", done)
    if pipeline.nets_error is not None and settings.device != "auto":
        message = f"{job.sketch}: --device {settings.device}: {pipeline.nets_error}"
        return PageOutcome(job.sketch, job.name, "failed", message)
    warnings: list[str] = []
    timings: dict[str, float] = {}
    try:
        say("load", 0.0)
        sketch = load_sketch(job.sketch)
        if "psd" in settings.formats:  # the pipeline checks its own need; the PSD adds to it
            nets = pipeline.nets is not None and settings.options.use_networks
            check_memory(*sketch.shape, networks=nets, psd=True, name=job.sketch,
                         full_refine=settings.options.refine_long_side is None)
        hints, light = _page_hints(job, settings, sketch.shape, warnings)
        options = settings.options
        if light is not None and not settings.light_given:
            options = replace(options, light=light)
        h, w = sketch.shape
        outside = [k for k, hint in enumerate(hints) if hint.x >= w or hint.y >= h]
        if outside:
            warnings.append(f"hints {outside} lie outside the {w}x{h} sketch and have no effect")
        timings["load"] = time.perf_counter() - t0
        result = pipeline.run(
            ColorizeRequest(sketch, hints, references, options),
            progress=lambda stage, f: say(_SHOWN.get(stage, "refine"), 0.1 + 0.75 * f),
        )
        timings.update(result.timings)
        # A dot moved off a line or dropped in a speck: the artist must hear it (a warning line).
        warnings.extend(f"{job.sketch}: {n}" for n in result.notes if n.startswith("dot "))
        t = time.perf_counter()
        written = export_result(
            result,
            job.out,
            job.name,
            settings.formats,
            source=str(job.sketch),
            dpi=sketch.dpi,
            progress=lambda _stage, f: say("export", 0.85 + 0.15 * f),
        )
        timings["export"] = time.perf_counter() - t
    except PaintAssistError as exc:
        return PageOutcome(job.sketch, job.name, "failed", str(exc), warnings=tuple(warnings))
    except Exception as exc:  # one bad page never stops the batch; say what happened
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        message = f"{job.sketch}: unexpected error: {detail}"
        return PageOutcome(job.sketch, job.name, "failed", message, warnings=tuple(warnings))
    seconds = time.perf_counter() - t0
    return PageOutcome(
        job.sketch, job.name, "ok", "ok", tuple(written), seconds, timings, tuple(warnings)
    )


# -- a process's networks ------------------------------------------------------------------------
@dataclass
class _Worker:
    """What one process keeps between pages: the pipeline (networks loaded once) and the
    decoded references, for the settings that made them."""

    key: tuple[Any, ...]
    pipeline: Pipeline
    references: tuple[np.ndarray, ...]


_STATE: _Worker | None = None
_STATE_LOCK = threading.Lock()


def worker_state(settings: BatchSettings) -> _Worker:
    """This process's pipeline and references for ``settings``, built on first use."""
    global _STATE
    # The models folder is part of the key: a process (or a test run) that points
    # PAINTASSIST_MODELS elsewhere must not get the networks of the old folder.
    key = (settings.device, settings.options.use_networks, settings.references, str(models_dir()))
    with _STATE_LOCK:
        if _STATE is None or _STATE.key != key:
            pipeline = build_pipeline(settings.device, settings.options.use_networks)
            refs = tuple(load_reference(r) for r in settings.references)
            _STATE = _Worker(key, pipeline, refs)
        return _STATE


def load_reference(path: str | Path) -> np.ndarray:
    """A reference: a page we coloured before (its flats) or any image, uint8 (h, w, 3) RGB."""
    return page_reference(path) if is_page(path) else load_rgb(path)


# -- running a batch ------------------------------------------------------------------------------
def default_jobs(pages: int) -> int:
    """Worker processes for ``pages`` pages: one per core, no more than there are pages."""
    return max(1, min(pages, os.cpu_count() or 1))


def run_local(
    jobs: Sequence[PageJob],
    settings: BatchSettings,
    *,
    n_jobs: int = 1,
    progress: ProgressFn | None = None,
) -> Iterator[PageOutcome]:
    """Yield each page's outcome as it finishes (in this process when ``n_jobs`` is 1, else in
    ``n_jobs`` worker processes, torch threads split between them)."""
    if n_jobs <= 1 or len(jobs) <= 1:
        state = worker_state(settings)
        for job in jobs:
            yield run_page(job, settings, state.pipeline, state.references, progress)
        return
    ctx = multiprocessing.get_context("spawn")  # no fork after threads; same on every platform
    events: Any = ctx.Queue()
    threads = max(1, (os.cpu_count() or 1) // n_jobs)
    budget_mb = memory_budget_bytes() // n_jobs // 2**20
    stop = threading.Event()
    drain = threading.Thread(target=_drain, args=(events, progress, stop), daemon=True)
    drain.start()
    try:
        with ProcessPoolExecutor(
            n_jobs,
            mp_context=ctx,
            initializer=_init_process,
            initargs=(settings, threads, budget_mb, events),
        ) as pool:
            pending: set[Future[PageOutcome]] = {pool.submit(_run_in_process, j) for j in jobs}
            try:
                while pending:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        yield future.result()
            except BaseException:
                for future in pending:
                    future.cancel()
                raise
    finally:
        stop.set()
        drain.join(timeout=2)


def _drain(events: Any, progress: ProgressFn | None, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            index, stage, f = events.get(timeout=0.1)
        except (queue.Empty, EOFError, OSError):
            continue
        if progress is not None:
            progress(index, stage, f)


_EVENTS: Any = None
_SETTINGS: BatchSettings | None = None


def _init_process(settings: BatchSettings, threads: int, budget_mb: int, events: Any) -> None:
    """Worker process start: its share of the cores and of the memory, then the networks."""
    global _EVENTS, _SETTINGS
    os.environ["OMP_NUM_THREADS"] = str(threads)
    os.environ["PAINTASSIST_MEMORY_BUDGET_MB"] = str(budget_mb)
    _EVENTS, _SETTINGS = events, settings
    if settings.options.use_networks:
        try:
            import torch

            torch.set_num_threads(threads)
        except ImportError:
            pass
    worker_state(settings)


def _run_in_process(job: PageJob) -> PageOutcome:
    assert _SETTINGS is not None
    state = worker_state(_SETTINGS)
    events = _EVENTS

    def report(index: int, stage: str, f: float) -> None:
        if events is not None:
            events.put((index, stage, f))

    return run_page(job, _SETTINGS, state.pipeline, state.references, report)


def run_on_cluster(
    jobs: Sequence[PageJob], settings: BatchSettings, scheduler: str
) -> Iterator[PageOutcome]:
    """Yield each page's outcome from an existing Dask distributed cluster at ``scheduler``
    (``tcp://host:8786``). Every worker must see the sketches and ``--out`` at the same paths
    (a shared folder); each worker process loads the networks once."""
    try:
        from distributed import Client, as_completed
    except ImportError as exc:
        raise PaintAssistError(
            "--scheduler needs Dask distributed: pip install 'paintassist[cluster]'"
        ) from exc
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise PaintAssistError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    try:
        futures = client.map(cluster_page, jobs, settings=settings, pure=False)
        for future in as_completed(futures):
            yield future.result()
    finally:
        client.close()


def cluster_page(job: PageJob, settings: BatchSettings) -> PageOutcome:
    """One page on a Dask worker (module-level, so the worker imports it by name)."""
    state = worker_state(settings)
    return run_page(job, settings, state.pipeline, state.references)
