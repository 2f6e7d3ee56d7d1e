"""Fakes and small images shared by the app and GUI tests (imported as ``fakes``)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from paintassist.core.errors import Cancelled
from paintassist.core.lineart import ink_to_grey
from paintassist.core.progress import CancelFn, ProgressFn, never_cancel, no_progress
from paintassist.core.types import ColorizeRequest, ColorizeResult, Sketch
from paintassist.io.png import encode_png


def make_sketch(h: int = 120, w: int = 160, source: Path | None = None) -> Sketch:
    """Two boxes side by side, float32 ink."""
    ink = np.zeros((h, w), np.float32)
    cv2.rectangle(ink, (10, 10), (w // 2 - 5, h - 10), 1.0, 2)
    cv2.rectangle(ink, (w // 2 + 5, 10), (w - 10, h - 10), 1.0, 2)
    return Sketch(ink, source=source)


def write_sketch_png(path: Path, h: int = 120, w: int = 160) -> Path:
    path.write_bytes(encode_png(ink_to_grey(make_sketch(h, w).ink)))
    return path


def fake_result(request: ColorizeRequest, stage: str = "refined") -> ColorizeResult:
    """A result whose composite encodes the request: colour of the last hint (or grey)."""
    h, w = request.sketch.shape
    side = request.options.work_long_side
    if side is not None and max(h, w) > side:
        s = side / max(h, w)
        h, w = max(1, round(h * s)), max(1, round(w * s))
    rgb = request.hints[-1].rgb if len(request.hints) else (128, 128, 128)
    flat = np.empty((h, w, 3), np.uint8)
    flat[:] = rgb
    white = np.full((h, w, 3), 255, np.uint8)
    line = np.zeros((h, w, 4), np.uint8)
    return ColorizeResult(
        request_id=request.id,
        lineart=line,
        flats=flat,
        color=flat.copy(),
        shading=white,
        shadow=white.copy(),
        lighting=np.zeros_like(flat),
        composite=flat.copy(),
        regions=np.zeros((h, w), np.int32),
        tone=white.copy(),  # as the pipeline: a white tone layer on a page without screentone
        sketch=white.copy(),
        stage=stage,  # type: ignore[arg-type]
    )


class InstantPipeline:
    """Answers at once: a draft then the refined result."""

    def __init__(self) -> None:
        self.runs: list[int] = []

    def run(
        self,
        request: ColorizeRequest,
        *,
        should_cancel: CancelFn = never_cancel,
        progress: ProgressFn = no_progress,
        on_draft: Callable[[ColorizeResult], None] | None = None,
    ) -> ColorizeResult:
        self.runs.append(request.id)
        progress("draft", 0.3)
        if on_draft is not None:
            on_draft(fake_result(request, "draft"))
        return fake_result(request)


class BlockingPipeline:
    """Blocks each run until released (or cancelled); records what happened to each id."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started: list[int] = []
        self.cancelled: list[int] = []
        self.finished: list[int] = []
        self.running = threading.Event()

    def run(
        self,
        request: ColorizeRequest,
        *,
        should_cancel: CancelFn = never_cancel,
        progress: ProgressFn = no_progress,
        on_draft: Callable[[ColorizeResult], None] | None = None,
    ) -> ColorizeResult:
        self.started.append(request.id)
        self.running.set()
        try:
            while not self.release.is_set():
                if should_cancel():
                    self.cancelled.append(request.id)
                    raise Cancelled("cancelled")
                time.sleep(0.002)
        finally:
            self.running.clear()
        if should_cancel():
            self.cancelled.append(request.id)
            raise Cancelled("cancelled")
        self.finished.append(request.id)
        return fake_result(request)
