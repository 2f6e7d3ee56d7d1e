"""Slow Qt-free work (decoding images and projects) off the GUI thread.

:class:`Loader` runs a callable on a private thread pool and calls ``on_done(result)`` or
``on_error(exception)`` back on the GUI thread (a queued signal), so the window never freezes on
an A4 decode and the document is only ever changed on the GUI thread. With one thread (the
default) jobs run, and report, in the order they were submitted.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QThreadPool, Signal, Slot

T = TypeVar("T")


class _Relay(QObject):
    """Lives on the GUI thread; emitted from a pool thread, so delivery is queued."""

    done = Signal(int, object, object)  # job id, result, exception (one of them is None)


class Loader(QObject):
    """``run(fn, on_done, on_error)``; ``pending`` jobs; ``wait_idle()`` for tests and benchmarks."""

    def __init__(self, parent: QObject | None = None, threads: int = 1) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._relay = _Relay(self)
        self._relay.done.connect(self._finish)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[Callable[[Any], None], Callable[[Exception], None]]] = {}

    @property
    def pending(self) -> int:
        """Jobs whose callback has not run yet."""
        return len(self._callbacks)

    def run(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[Exception], None],
    ) -> int:
        """Run ``fn()`` on a pool thread; then ``on_done(result)`` or ``on_error(exc)`` on this
        object's (the GUI) thread. Returns the job id."""
        job = next(self._ids)
        self._callbacks[job] = (on_done, on_error)
        relay = self._relay

        def work() -> None:
            try:
                result, error = fn(), None
            except Exception as exc:  # delivered to on_error on the GUI thread
                result, error = None, exc
            # RuntimeError: the loader was deleted meanwhile, nobody is waiting.
            with contextlib.suppress(RuntimeError):
                relay.done.emit(job, result, error)

        self._pool.start(work)
        return job

    @Slot(int, object, object)
    def _finish(self, job: int, result: object, error: object) -> None:
        callbacks = self._callbacks.pop(job, None)
        if callbacks is None:  # shut down meanwhile
            return
        on_done, on_error = callbacks
        if isinstance(error, Exception):
            on_error(error)
        else:
            on_done(result)

    def wait_idle(self, timeout_s: float = 30.0) -> bool:
        """Run the event loop until every job's callback has run (including jobs those callbacks
        start). False on timeout."""
        deadline = time.monotonic() + timeout_s
        while self._callbacks:
            if time.monotonic() > deadline:
                return False
            self._pool.waitForDone(10)
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        return True

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Forget pending callbacks, drop queued jobs and wait for the running one."""
        self._callbacks.clear()
        self._pool.clear()
        self._pool.waitForDone(timeout_ms)
