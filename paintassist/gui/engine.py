"""Thin, lazily-imported bridge from the GUI to the engine and the io package.

Imports happen inside the functions so the window opens fast and a missing optional piece
(networks, torch) shows up as a status message instead of an import-time crash.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from paintassist.core.errors import SketchLoadError
from paintassist.core.progress import CancelFn, ProgressFn, never_cancel, no_progress
from paintassist.core.types import ColorizeRequest, ColorizeResult, HintSet, LightSettings, Sketch

if TYPE_CHECKING:
    from paintassist.core.pipeline import Pipeline

#: File-dialog filter for sketches and reference images.
IMAGE_SUFFIXES: tuple[str, ...] = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff")
PROJECT_SUFFIX = ".paintassist"


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


def default_pipeline_factory() -> PipelineLike:
    """The real pipeline (networks when shipped, else the classical path); slow: worker only."""
    from paintassist.core.pipeline import Pipeline

    pipeline: Pipeline = Pipeline.default()
    return pipeline


def nets_shipped() -> bool:
    """True when a weights manifest is installed (checked without importing torch)."""
    from paintassist.paths import models_dir

    return (models_dir() / "manifest.json").is_file()


def classical_pipeline_factory(
    status: str = "classical path (no trained weights shipped)",
) -> PipelineLike:
    """A pipeline without networks: ready in milliseconds (no torch import)."""
    from paintassist.core.pipeline import Pipeline

    return Pipeline(None, status)


def startup_factories() -> tuple[Callable[[], PipelineLike], Callable[[], PipelineLike] | None]:
    """(first, upgrade) for the preview worker. Importing torch and loading weights takes
    seconds, so the worker starts on the classical path and upgrades to the networks when
    idle; without shipped weights there is nothing to upgrade to."""
    if not nets_shipped():
        return classical_pipeline_factory, None
    return (
        lambda: classical_pipeline_factory("classical path (networks loading…)"),
        default_pipeline_factory,
    )


def pipeline_status(pipeline: object) -> str:
    return str(getattr(pipeline, "nets_status", "ready"))


def is_image_path(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_SUFFIXES


def load_sketch(path: str | Path) -> Sketch:
    """Load a sketch via :func:`paintassist.io.images.load_sketch`; raises SketchLoadError."""
    try:
        from paintassist.io.images import load_sketch as _load
    except ImportError:  # io.images not installed in this checkout: plain greyscale reading
        rgb = _load_rgb_fallback(Path(path)).astype(np.float32)
        ink = 1.0 - (rgb @ np.array([0.299, 0.587, 0.114], np.float32)) / 255.0
        return Sketch(np.clip(ink, 0.0, 1.0).astype(np.float32), source=Path(path))
    return _load(Path(path))


def load_rgb(path: str | Path) -> np.ndarray:
    """Load a reference image as uint8 (h, w, 3); raises SketchLoadError naming the file."""
    try:
        from paintassist.io.images import load_rgb as _load_rgb
    except ImportError:
        return _load_rgb_fallback(Path(path))
    return _load_rgb(Path(path))


def _load_rgb_fallback(path: Path) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            return np.asarray(im.convert("RGB"), np.uint8).copy()
    except FileNotFoundError as exc:
        raise SketchLoadError(path, "file not found") from exc
    except (OSError, UnidentifiedImageError) as exc:
        raise SketchLoadError(path, f"not a readable image ({exc})") from exc


def load_hints_file(path: str | Path) -> tuple[HintSet, LightSettings | None, list[str]]:
    """Read a CLI hints file → (hints, light settings or None, warnings)."""
    from paintassist.io.hints_file import load_hints

    doc = load_hints(Path(path))
    return doc.hints, doc.light, list(getattr(doc, "warnings", []) or [])


def save_hints_file(path: str | Path, hints: HintSet, light: LightSettings | None) -> None:
    from paintassist.io.hints_file import save_hints

    save_hints(Path(path), hints, light=light)


def export_result(
    result: ColorizeResult,
    out_dir: Path,
    stem: str,
    formats: Sequence[str],
    progress: ProgressFn | None = None,
    should_cancel: CancelFn | None = None,
    source: str | None = None,
    visible: Mapping[str, bool] | None = None,
    opacity: Mapping[str, float] | None = None,
) -> list[Path]:
    from paintassist.io.export import export_result as _export

    return _export(
        result,
        out_dir,
        stem,
        tuple(formats),
        source=source,
        visible=visible,
        opacity=opacity,
        progress=progress or no_progress,
        should_cancel=should_cancel or never_cancel,
    )
