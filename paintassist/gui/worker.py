"""The preview worker: one long-lived QThread that owns the pipeline (and its networks).

Only this thread ever calls ``pipeline.run``. Previews: a mailbox with a single slot, latest
request wins: :meth:`PreviewWorker.submit` replaces a request that has not started yet, and the
running one is cancelled at its next check (its ``should_cancel`` turns True as soon as a newer
request id exists). Results are emitted only for the latest request; the GUI checks ids again on
arrival (a result can be in the event queue when a newer request is submitted).

Exports: :meth:`PreviewWorker.colorize_and_wait` queues a full-resolution request for the thread
that writes the files; it runs before any waiting preview, is never superseded by previews, and
its result goes back to that caller only.

Sharp tiles: :meth:`PreviewWorker.submit_tiles` asks for full-resolution tiles of the latest
request (:mod:`paintassist.core.sharp`), served one at a time when no preview or export waits;
a newer tile list replaces the queued one, and a new preview request cancels them all.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QThread, Signal

from paintassist.app.services import PipelineFactory, PipelineLike, pipeline_status
from paintassist.core.errors import Cancelled, PaintAssistError
from paintassist.core.pipeline import Pipeline
from paintassist.core.progress import CancelFn, ProgressFn, never_cancel, no_progress
from paintassist.core.sharp import Rect, SharpRenderer
from paintassist.core.types import ColorizeRequest, ColorizeResult


@dataclass(slots=True)
class _ExportTicket:
    """A colorization another thread waits for (:meth:`PreviewWorker.colorize_and_wait`)."""

    request: ColorizeRequest
    should_cancel: CancelFn
    progress: ProgressFn
    future: Future[ColorizeResult] = field(default_factory=Future)


class PreviewWorker(QThread):
    """Signals are emitted from the worker thread; Qt queues them to receivers in the GUI thread.

    result_ready(ColorizeResult): a draft- or refined-stage result of the latest request.
    failed(request_id, message): the request raised; message is meant for the status bar.
    progress_changed(request_id, stage, fraction 0..1).
    pipeline_ready(status): the pipeline has loaded (``nets_status``); emitted again after an
    upgrade (networks loaded in the background), when the latest request should be re-run.
    finished_request(request_id, outcome): "done", "cancelled" or "failed" — for tests/benchmarks.
    tile_ready(request_id, rect, ColorizeResult): a full-resolution tile of the latest request.
    """

    result_ready = Signal(object)
    failed = Signal(int, str)
    progress_changed = Signal(int, str, float)
    pipeline_ready = Signal(str)
    finished_request = Signal(int, str)
    tile_ready = Signal(int, object, object)

    def __init__(
        self,
        pipeline_factory: PipelineFactory,
        upgrade_factory: PipelineFactory | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("PreviewWorker")
        self._factory = pipeline_factory
        self._upgrade = upgrade_factory
        self._cond = threading.Condition()
        self._pending: ColorizeRequest | None = None
        self._latest_id = 0
        self._stopping = False
        self._exports: deque[_ExportTicket] = deque()
        self._ended = False  # run() has returned: nothing queued would ever be served
        self._ident: int | None = None
        self._pipeline: PipelineLike | None = None
        # (request, its refined preview, rects still to render) of the latest submit_tiles
        self._tiles: tuple[ColorizeRequest, ColorizeResult, deque[Rect]] | None = None
        self._tile_gen = 0
        self._sharp: SharpRenderer | None = None
        self.tile_count = 0
        self.cancelled_count = 0
        self.completed_count = 0

    # -- GUI-thread API ------------------------------------------------------------------------
    def submit(self, request: ColorizeRequest) -> None:
        """Queue ``request``; any older queued request is dropped, a running one cancelled."""
        with self._cond:
            self._latest_id = request.id
            self._pending = request
            self._tiles = None  # tiles of an older state
            self._cond.notify()

    def submit_tiles(
        self, request: ColorizeRequest, preview: ColorizeResult, rects: list[Rect]
    ) -> bool:
        """Queue full-resolution tiles ``rects`` of ``request`` (the latest one; ``preview`` is
        its refined result), replacing tiles still queued. False when the pipeline cannot render
        tiles (a fake, or not loaded yet): the preview stays what it is."""
        with self._cond:
            if not isinstance(self._pipeline, Pipeline) or request.id != self._latest_id:
                return False
            self._tile_gen += 1
            self._tiles = (request, preview, deque(rects)) if rects else None
            self._cond.notify()
        return True

    def cancel_all(self) -> None:
        """Drop the queued request and cancel the running one (e.g. a new sketch is loading)."""
        with self._cond:
            self._pending = None
            self._tiles = None
            self._latest_id = 0  # request ids start at 1: everything in flight is now stale

    def stop(self, timeout_ms: int = 10_000) -> bool:
        """Cancel work and join the thread; returns True when it has ended."""
        with self._cond:
            self._stopping = True
            self._pending = None
            self._cond.notify()
        if not self.isRunning():
            return True
        return self.wait(timeout_ms)

    # -- export API (any thread but the worker's; blocks the caller) ----------------------------
    def colorize_and_wait(
        self,
        request: ColorizeRequest,
        *,
        should_cancel: CancelFn = never_cancel,
        progress: ProgressFn = no_progress,
        poll_s: float = 0.05,
    ) -> ColorizeResult:
        """Colorize ``request`` on the worker's thread (with its pipeline and caches) and return
        the result. ``progress`` is called from the worker's thread. Raises Cancelled when
        ``should_cancel`` turns True (checked every ``poll_s`` while queued, and by the
        pipeline while running), PaintAssistError when the colorizer is not running."""
        if threading.get_ident() == self._ident:
            raise RuntimeError("colorize_and_wait would deadlock on the worker's own thread")
        ticket = _ExportTicket(request, should_cancel, progress)
        with self._cond:
            if self._stopping:
                raise PaintAssistError("the colorizer has stopped")
            if self._ended:
                raise PaintAssistError("the colorizer could not be started")
            self._exports.append(ticket)
            self._cond.notify()
        while True:
            try:
                return ticket.future.result(timeout=poll_s)
            except TimeoutError:
                # Still queued: withdraw it. Running: the pipeline sees should_cancel itself.
                if should_cancel() and ticket.future.cancel():
                    raise Cancelled("export cancelled") from None

    @property
    def latest_id(self) -> int:
        return self._latest_id

    # -- worker thread ---------------------------------------------------------------------------
    def run(self) -> None:
        self._ident = threading.get_ident()
        try:
            self._serve()
        finally:
            with self._cond:
                self._ended = True
                queued, self._exports = list(self._exports), deque()
            for ticket in queued:
                if ticket.future.set_running_or_notify_cancel():
                    ticket.future.set_exception(PaintAssistError("the colorizer has stopped"))

    def _serve(self) -> None:
        try:
            self._pipeline = self._factory()
        except Exception as exc:  # an unusable pipeline must reach the status bar, not kill Qt
            self.failed.emit(0, f"could not start the colorizer: {exc}")
            return
        self.pipeline_ready.emit(pipeline_status(self._pipeline))
        while True:
            with self._cond:
                # Upgrade only once idle after a first preview: the artist sees colour first.
                while (
                    self._pending is None
                    and not self._exports
                    and not self._stopping
                    and not (self._upgrade is not None and self.completed_count > 0)
                    and self._tiles is None
                ):
                    self._cond.wait()
                if self._stopping:
                    return
                export = self._exports.popleft() if self._exports else None
                request = None
                tile: tuple[ColorizeRequest, ColorizeResult, Rect, int] | None = None
                if export is None:
                    request, self._pending = self._pending, None
                upgrade_due = self._upgrade is not None and self.completed_count > 0
                if export is None and request is None and self._tiles is not None and not (
                    upgrade_due
                ):
                    t_req, t_prev, rects = self._tiles
                    tile = (t_req, t_prev, rects.popleft(), self._tile_gen)
                    if not rects:
                        self._tiles = None
            if export is not None:
                self._run_export(self._pipeline, export)
            elif tile is not None:
                self._run_tile(*tile)
            elif request is None:
                self._run_upgrade()
            else:
                self._run_one(self._pipeline, request)

    def _run_export(self, pipeline: PipelineLike, ticket: _ExportTicket) -> None:
        if not ticket.future.set_running_or_notify_cancel():
            return  # withdrawn while queued

        def should_cancel() -> bool:
            return self._stopping or ticket.should_cancel()

        try:
            result = pipeline.run(
                ticket.request, should_cancel=should_cancel, progress=ticket.progress
            )
        except Exception as exc:  # Cancelled, PaintAssistError, a bug: the export reports it
            ticket.future.set_exception(exc)
        else:
            ticket.future.set_result(result)

    def _run_upgrade(self) -> None:
        upgrade, self._upgrade = self._upgrade, None
        if upgrade is None:
            return
        try:
            better = upgrade()
        except Exception as exc:  # keep the working classical pipeline
            self.failed.emit(0, f"networks could not be loaded: {exc}")
            return
        self._pipeline = better
        self.pipeline_ready.emit(pipeline_status(better))

    def _run_tile(
        self, request: ColorizeRequest, preview: ColorizeResult, rect: Rect, gen: int
    ) -> None:
        pipeline = self._pipeline
        if not isinstance(pipeline, Pipeline):
            return
        if self._sharp is None or self._sharp.pipeline is not pipeline:
            self._sharp = SharpRenderer(pipeline)

        def should_cancel() -> bool:
            # A new state, a newer tile list, or work that must come first (a preview, an export)
            return (
                self._is_stale(request.id)
                or gen != self._tile_gen
                or self._pending is not None
                or bool(self._exports)
            )

        if should_cancel():
            self._requeue_tile(request, preview, rect, gen)
            return
        try:
            result = self._sharp.render(request, preview, rect, should_cancel)
        except Cancelled:
            self._requeue_tile(request, preview, rect, gen)
            return
        except Exception as exc:  # a tile is a nicety: report, keep the preview
            traceback.print_exc()
            self.failed.emit(request.id, f"sharp preview failed: {type(exc).__name__}: {exc}")
            return
        if not self._is_stale(request.id):
            self.tile_count += 1
            self.tile_ready.emit(request.id, rect, result)

    def _requeue_tile(
        self, request: ColorizeRequest, preview: ColorizeResult, rect: Rect, gen: int
    ) -> None:
        """Put an interrupted tile back at the front, unless its state or list is gone."""
        with self._cond:
            if self._is_stale(request.id) or gen != self._tile_gen:
                return
            if self._tiles is None:
                self._tiles = (request, preview, deque([rect]))
            else:
                self._tiles[2].appendleft(rect)

    def _is_stale(self, request_id: int) -> bool:
        return self._stopping or request_id != self._latest_id

    def _run_one(self, pipeline: PipelineLike, request: ColorizeRequest) -> None:
        rid = request.id
        if self._is_stale(rid):
            return

        def should_cancel() -> bool:
            return self._is_stale(rid)

        def progress(stage: str, fraction: float) -> None:
            if not self._is_stale(rid):
                self.progress_changed.emit(rid, stage, float(fraction))

        def on_draft(result: ColorizeResult) -> None:
            if not self._is_stale(rid):
                self.result_ready.emit(result)

        t0 = time.perf_counter()
        try:
            result = pipeline.run(
                request, should_cancel=should_cancel, progress=progress, on_draft=on_draft
            )
        except Cancelled:
            self.cancelled_count += 1
            self.finished_request.emit(rid, "cancelled")
            return
        except PaintAssistError as exc:
            self.failed.emit(rid, str(exc))
            self.finished_request.emit(rid, "failed")
            return
        except Exception as exc:  # a bug in the engine: report it, keep the worker alive
            traceback.print_exc()
            self.failed.emit(rid, f"colorization failed: {type(exc).__name__}: {exc}")
            self.finished_request.emit(rid, "failed")
            return
        result.timings.setdefault("worker_total", time.perf_counter() - t0)
        self.completed_count += 1
        if self._is_stale(rid):
            self.cancelled_count += 1
            self.finished_request.emit(rid, "cancelled")
            return
        self.result_ready.emit(result)
        self.finished_request.emit(rid, "done")
