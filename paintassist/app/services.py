"""Application services (Qt-free): the one place that builds a colorization pipeline.

The CLI, the GUI's preview worker and the benchmarks all build their pipeline here, so the
networks are loaded one way everywhere. torch is imported only inside :func:`build_pipeline`,
never at import time (importing this module is cheap).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from paintassist.core.errors import ModelError, PaintAssistError
from paintassist.core.pipeline import Pipeline
from paintassist.core.progress import CancelFn, ProgressFn
from paintassist.core.types import ColorizeRequest, ColorizeResult, HintSet, LightSettings, Sketch
from paintassist.io.hints_file import hints_beside, load_hints
from paintassist.io.images import load_sketch_bytes, read_image_file
from paintassist.paths import models_dir


class PipelineLike(Protocol):
    """What the preview worker and the export job need from :class:`Pipeline`."""

    def run(
        self,
        request: ColorizeRequest,
        *,
        should_cancel: CancelFn = ...,
        progress: ProgressFn = ...,
        on_draft: Callable[[ColorizeResult], None] | None = None,
    ) -> ColorizeResult: ...


#: Builds a pipeline; called on the thread that will own it (the preview worker's, or the CLI's).
PipelineFactory = Callable[[], PipelineLike]


def build_pipeline(device: str = "auto", use_networks: bool = True) -> Pipeline:
    """Pipeline with the shipped networks when they load, else the classical path.

    Slow when networks are shipped (imports torch, checks hashes, loads weights): call it on the
    thread that will run the pipeline. Why the networks did not load is in ``nets_status``.
    """
    if not use_networks:
        return Pipeline(None, "classical path (networks disabled)")
    try:
        from paintassist.nets.registry import load_default_nets
    except ImportError as exc:  # torch missing
        why = f"networks unavailable: {exc}"
        return Pipeline(None, f"classical path ({why})", nets_error=why)
    try:
        nets = load_default_nets(device)
    except ModelError as exc:
        return Pipeline(None, f"classical path ({exc})", nets_error=str(exc))
    if nets is None:
        return Pipeline(None, "classical path (no trained weights shipped)")
    return Pipeline(nets, f"networks loaded ({getattr(nets, 'description', 'DraftNet + RefineNet')})")


def classical_pipeline(status: str = "classical path (no trained weights shipped)") -> Pipeline:
    """A pipeline without networks: ready in milliseconds (no torch import)."""
    return Pipeline(None, status)


def nets_shipped() -> bool:
    """True when a weights manifest is installed (checked without importing torch)."""
    return (models_dir() / "manifest.json").is_file()


def startup_factories() -> tuple[PipelineFactory, PipelineFactory | None]:
    """(first, upgrade) for the preview worker. Importing torch and loading weights takes
    seconds, so the worker starts on the classical path and upgrades to the networks when
    idle; without shipped weights there is nothing to upgrade to."""
    if not nets_shipped():
        return classical_pipeline, None
    return (lambda: classical_pipeline("classical path (networks loading…)"), build_pipeline)


def pipeline_status(pipeline: object) -> str:
    """The pipeline's one-line status (which networks, or why the classical path)."""
    return str(getattr(pipeline, "nets_status", "ready"))


@dataclass(frozen=True, slots=True)
class OpenedSketch:
    """A sketch file read on the loader thread, with the hints file beside it (if any).

    data: the file's bytes (embedded in projects). hints/light: from ``<stem>.json``, None when
    there is none or it could not be read (``warnings`` says why)."""

    sketch: Sketch
    data: bytes
    hints: HintSet | None
    light: LightSettings | None
    warnings: list[str]


def read_sketch(path: Path) -> OpenedSketch:
    """Decode ``path`` and, like the CLI, the ``<stem>.json`` hints file beside it (Qt-free,
    slow: ~1 s for an A4 page). Raises PaintAssistError/OSError for an unreadable sketch."""
    data = read_image_file(path)
    sketch = load_sketch_bytes(data, path, source=path)
    beside = hints_beside(path)
    if beside is None:
        return OpenedSketch(sketch, data, None, None, [])
    try:
        loaded = load_hints(beside)
    except (PaintAssistError, OSError) as exc:
        return OpenedSketch(sketch, data, None, None, [f"hints not loaded: {exc}"])
    warnings = [f"{beside.name}: {w}" for w in loaded.warnings]
    return OpenedSketch(sketch, data, loaded.hints, loaded.light, warnings)
