"""The live-preview controller (GUI thread): edits → debounced requests → fresh results only.

Throttled debounce: the first edit after a quiet spell is submitted at once (lowest latency for a
single click); further edits within ``debounce_ms`` coalesce into one request at the end of the
window. Submitting often is cheap anyway: the worker cancels superseded work.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from paintassist.app.document import Document, Part, Parts, needs_colorize
from paintassist.core.types import ColorizeRequest, ColorizeResult
from paintassist.gui.worker import PreviewWorker


class PreviewController(QObject):
    """preview_ready(ColorizeResult): a result of the latest request (draft then refined).
    busy_changed(bool): work in flight. progress(stage, fraction). error(message)."""

    preview_ready = Signal(object)
    busy_changed = Signal(bool)
    progress = Signal(str, float)
    error = Signal(str)
    status = Signal(str)

    def __init__(
        self,
        doc: Document,
        worker: PreviewWorker,
        debounce_ms: int = 120,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.worker = worker
        self.latest_id = 0
        self.latest_request: ColorizeRequest | None = None
        self.shown_id = 0
        self.stale_dropped = 0
        self.busy = False
        self._dirty = False
        self.enabled = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._on_timer)
        doc.changed.connect(self._on_doc_changed)
        worker.result_ready.connect(self._on_result)
        worker.failed.connect(self._on_failed)
        worker.progress_changed.connect(self._on_progress)
        worker.finished_request.connect(self._on_finished)
        worker.pipeline_ready.connect(self._on_pipeline_ready)

    # -- scheduling ------------------------------------------------------------------------------
    def _on_doc_changed(self, parts: Parts) -> None:
        if Part.SKETCH in parts:
            self.worker.cancel_all()
        if needs_colorize(parts):
            self.schedule()

    def schedule(self) -> None:
        if not self.enabled:
            return
        if self._timer.isActive():
            self._dirty = True
            return
        self.submit_now()
        self._timer.start()

    def _on_timer(self) -> None:
        if self._dirty:
            self._dirty = False
            self.submit_now()
            self._timer.start()

    def submit_now(self) -> int | None:
        """Submit the document's current state; returns the request id (None: no sketch)."""
        request = self.doc.make_request()
        if request is None:
            return None
        self.latest_id = request.id
        self.latest_request = request
        self.worker.submit(request)
        self._set_busy(True)
        return request.id

    def _on_pipeline_ready(self, status: str) -> None:
        self.status.emit(status)
        if self.shown_id:  # a better pipeline arrived later: redo what is on screen
            self.schedule()

    # -- results ---------------------------------------------------------------------------------
    def is_fresh(self, result: ColorizeResult) -> bool:
        return result.request_id == self.latest_id

    def _on_result(self, result: ColorizeResult) -> None:
        if not self.is_fresh(result):
            self.stale_dropped += 1
            return
        self.shown_id = result.request_id
        self.preview_ready.emit(result)

    def _on_finished(self, request_id: int, outcome: str) -> None:
        if request_id == self.latest_id and not self._dirty:
            self._set_busy(False)

    def _on_failed(self, request_id: int, message: str) -> None:
        if request_id in (0, self.latest_id):
            self.error.emit(message)

    def _on_progress(self, request_id: int, stage: str, fraction: float) -> None:
        if request_id == self.latest_id:
            self.progress.emit(stage, fraction)

    def _set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            self.busy_changed.emit(busy)
