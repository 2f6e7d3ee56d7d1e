"""The preview worker and controller: latest request wins, cancel, stale results dropped."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from fakes import BlockingPipeline, InstantPipeline, fake_result, make_sketch

from paintassist.app.document import Document, Part
from paintassist.core.errors import PaintAssistError
from paintassist.core.types import ColorizeRequest, Hint, HintSet
from paintassist.gui.preview import PreviewController
from paintassist.gui.worker import PreviewWorker


@pytest.fixture
def blocking(qtbot) -> Iterator[tuple[PreviewWorker, BlockingPipeline]]:  # type: ignore[no-untyped-def]
    pipeline = BlockingPipeline()
    worker = PreviewWorker(lambda: pipeline)
    with qtbot.waitSignal(worker.pipeline_ready, timeout=5000):
        worker.start()
    yield worker, pipeline
    pipeline.release.set()
    assert worker.stop(5000)


def _request(n: int = 0) -> ColorizeRequest:
    hints = HintSet(tuple(Hint("accurate", 10 + i, 10, (i, 0, 0)) for i in range(n)))
    return ColorizeRequest(make_sketch(), hints)


def test_newer_request_cancels_running_and_replaces_queued(qtbot, blocking) -> None:  # type: ignore[no-untyped-def]
    worker, pipeline = blocking
    results: list[int] = []
    worker.result_ready.connect(lambda r: results.append(r.request_id))
    first = _request(1)
    worker.submit(first)
    qtbot.waitUntil(lambda: first.id in pipeline.started, timeout=3000)
    second, third = _request(2), _request(3)
    worker.submit(second)  # cancels the running first one...
    worker.submit(third)  # ...and replaces the queued second one
    qtbot.waitUntil(lambda: third.id in pipeline.started, timeout=3000)
    pipeline.release.set()
    qtbot.waitUntil(lambda: results == [third.id], timeout=3000)
    assert first.id in pipeline.cancelled
    assert second.id not in pipeline.started
    assert results == [third.id]


def test_cancel_all_stops_running_work(qtbot, blocking) -> None:  # type: ignore[no-untyped-def]
    worker, pipeline = blocking
    req = _request(1)
    outcomes: list[tuple[int, str]] = []
    worker.finished_request.connect(lambda rid, o: outcomes.append((rid, o)))
    worker.submit(req)
    qtbot.waitUntil(lambda: req.id in pipeline.started, timeout=3000)
    worker.cancel_all()
    qtbot.waitUntil(lambda: outcomes == [(req.id, "cancelled")], timeout=3000)


def test_stop_joins_while_a_request_is_running(qtbot) -> None:  # type: ignore[no-untyped-def]
    pipeline = BlockingPipeline()
    worker = PreviewWorker(lambda: pipeline)
    worker.start()
    worker.submit(_request(1))
    qtbot.waitUntil(lambda: bool(pipeline.started), timeout=3000)
    assert worker.stop(3000)
    assert not worker.isRunning()
    assert pipeline.cancelled == pipeline.started


def test_errors_reach_the_failed_signal_and_the_worker_survives(qtbot) -> None:  # type: ignore[no-untyped-def]
    class Broken(InstantPipeline):
        def run(self, request, **kw):  # type: ignore[no-untyped-def]
            if len(request.hints) == 0:
                raise ValueError("boom")
            return super().run(request, **kw)

    worker = PreviewWorker(Broken)
    worker.start()
    try:
        with qtbot.waitSignal(worker.failed, timeout=3000) as blocker:
            worker.submit(_request(0))
        assert "boom" in blocker.args[1]
        with qtbot.waitSignal(worker.result_ready, timeout=3000):
            worker.submit(_request(1))
    finally:
        worker.stop()


def test_controller_drops_stale_results_and_shows_draft_then_refined(qtbot) -> None:  # type: ignore[no-untyped-def]
    doc = Document()
    pipeline = InstantPipeline()
    worker = PreviewWorker(lambda: pipeline)
    ctl = PreviewController(doc, worker, debounce_ms=10)
    shown: list[tuple[int, str]] = []
    ctl.preview_ready.connect(lambda r: shown.append((r.request_id, r.stage)))
    worker.start()
    try:
        doc.set_sketch(make_sketch())
        qtbot.waitUntil(lambda: len(shown) >= 2 and not ctl.busy, timeout=3000)
        assert [s for _i, s in shown[-2:]] == ["draft", "refined"]
        latest = ctl.latest_id
        stale = fake_result(ColorizeRequest(doc.sketch, id=latest - 1))  # type: ignore[arg-type]
        ctl._on_result(stale)  # an old result arriving late (queued signal)
        assert shown[-1][0] == latest and ctl.stale_dropped >= 1
    finally:
        worker.stop()


def test_rapid_edits_coalesce_and_the_last_state_is_shown(qtbot) -> None:  # type: ignore[no-untyped-def]
    doc = Document()
    pipeline = InstantPipeline()
    worker = PreviewWorker(lambda: pipeline)
    ctl = PreviewController(doc, worker, debounce_ms=30)
    shown: list[int] = []
    colours: list[tuple[int, int, int]] = []

    def on_ready(r) -> None:  # type: ignore[no-untyped-def]
        shown.append(r.request_id)
        colours.append(tuple(int(c) for c in r.composite[0, 0]))  # type: ignore[arg-type]

    ctl.preview_ready.connect(on_ready)
    worker.start()
    try:
        doc.set_sketch(make_sketch())
        for i in range(50):
            doc.set_part(Part.HINTS, doc.hints.with_added(Hint("accurate", 5, 5, (i, 1, 2))))
        qtbot.waitUntil(
            lambda: not ctl.busy and colours and colours[-1] == (49, 1, 2), timeout=5000
        )
        assert shown == sorted(shown)  # never an older frame after a newer one
        assert len(pipeline.runs) < 50  # coalesced
    finally:
        worker.stop()


def test_upgrade_to_a_better_pipeline_when_idle_redoes_the_preview(qtbot) -> None:  # type: ignore[no-untyped-def]
    doc = Document()
    quick, better = InstantPipeline(), InstantPipeline()
    better.nets_status = "networks loaded (test)"  # type: ignore[attr-defined]
    gate = __import__("threading").Event()

    def slow_upgrade() -> InstantPipeline:
        gate.wait(5)
        return better

    worker = PreviewWorker(lambda: quick, slow_upgrade)
    ctl = PreviewController(doc, worker, debounce_ms=10)
    statuses: list[str] = []
    ctl.status.connect(statuses.append)
    worker.start()
    try:
        doc.set_sketch(make_sketch())
        qtbot.waitUntil(lambda: bool(quick.runs) and not ctl.busy, timeout=3000)
        gate.set()
        qtbot.waitUntil(lambda: bool(better.runs) and not ctl.busy, timeout=3000)
        assert statuses[-1] == "networks loaded (test)"
        assert ctl.shown_id == better.runs[-1]
    finally:
        gate.set()
        worker.stop()


def test_export_colorization_fails_instead_of_waiting_for_a_worker_that_could_not_start(
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    def broken() -> InstantPipeline:
        raise RuntimeError("no colorizer today")

    worker = PreviewWorker(broken)
    with qtbot.waitSignal(worker.failed, timeout=3000):
        worker.start()
    assert worker.wait(3000)
    with pytest.raises(PaintAssistError, match="could not be started"):
        worker.colorize_and_wait(_request(1))


def test_export_colorization_runs_on_the_worker_before_waiting_previews(qtbot, blocking) -> None:  # type: ignore[no-untyped-def]
    worker, pipeline = blocking
    preview = _request(1)
    worker.submit(preview)
    qtbot.waitUntil(lambda: preview.id in pipeline.started, timeout=3000)
    export, queued = _request(2), _request(3)
    got: list[int] = []
    done = threading.Thread(target=lambda: got.append(worker.colorize_and_wait(export).request_id))
    done.start()
    qtbot.waitUntil(lambda: len(worker._exports) == 1, timeout=3000)  # queued behind the preview
    worker.submit(queued)  # cancels the running preview; both now wait
    qtbot.waitUntil(lambda: export.id in pipeline.started, timeout=3000)
    pipeline.release.set()
    done.join(3)
    qtbot.waitUntil(lambda: queued.id in pipeline.finished, timeout=3000)
    assert got == [export.id]
    assert pipeline.started.index(export.id) < pipeline.started.index(queued.id)
