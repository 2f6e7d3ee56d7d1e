"""The main window: opening, previews on screen, layers panel, files, prompts, recovery."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
from fakes import InstantPipeline, make_sketch, write_sketch_png
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from paintassist.app.document import Part
from paintassist.app.recovery import find_orphans
from paintassist.core.types import Hint, HintSet
from paintassist.gui import file_actions
from paintassist.gui.main_window import MainWindow


def _open(qtbot, window, path: Path) -> bool:  # type: ignore[no-untyped-def]
    """``window.open_path`` and wait for its decode: True when the file opened."""
    with qtbot.waitSignal(window.files.loaded, timeout=10000) as blocker:
        assert window.open_path(path)
    return bool(blocker.args[1])


def test_open_sketch_shows_it_and_the_preview_arrives(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_sketch_png(tmp_path / "girl.png")
    assert _open(qtbot, window, path)
    assert window.canvas.sketch_size == (160, 120)
    assert "girl.png" in window.windowTitle()
    window.doc.set_part(Part.HINTS, HintSet((Hint("accurate", 20, 20, (9, 99, 199)),)))
    qtbot.waitUntil(
        lambda: (
            window.canvas.preview_rgb is not None
            and tuple(window.canvas.preview_rgb[0, 0]) == (9, 99, 199)
        ),
        timeout=3000,
    )
    assert window.last_result.request_id == window.preview.latest_id
    assert window.recent.load()[0] == path.resolve()


def test_bad_file_reports_in_status_bar(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"not a png")
    assert not _open(qtbot, window, bad)
    assert "broken.png" in window.statusBar().currentMessage()
    assert window.doc.sketch is None


def test_layers_panel_changes_the_preview_without_recolorizing(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.set_sketch(make_sketch())
    qtbot.waitUntil(
        lambda: window.last_result is not None and not window.preview.busy, timeout=3000
    )
    runs = len(window.fake_pipeline.runs)
    window.layers_dock.checks["flats"].setChecked(False)
    assert window.doc.settings.layer_visible["flats"] is False
    assert np.all(window.canvas.preview_rgb == 255)  # only white paper and no ink left
    window.stack.undo()
    assert window.doc.settings.layer_visible["flats"] is True
    qtbot.wait(50)
    assert len(window.fake_pipeline.runs) == runs


def test_settings_slider_scrub_is_one_undo_step(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.set_sketch(make_sketch())
    scrub = window.settings_dock.scrubs["intensity"]
    scrub.slider.sliderPressed.emit()
    for v in range(10, 60, 5):
        scrub.slider.setValue(v)
    assert window.doc.settings.light.intensity == 0.55
    assert window.stack.count() == 1
    window.stack.undo()
    assert window.doc.settings.light.intensity == 0.8


def test_hints_file_export_then_import_round_trip(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window.set_sketch(make_sketch())
    hints = HintSet((Hint("draft", 10, 10, (1, 2, 3), 20), Hint("accurate", 30, 40, (4, 5, 6), 3)))
    window.doc.set_part(Part.HINTS, hints)
    path = tmp_path / "h.json"
    assert window.export_hints(path)
    assert json.loads(path.read_text())["version"] == 2
    window.tools.clear_hints()
    assert window.import_hints(path)
    assert window.doc.hints == hints
    window.stack.undo()
    assert len(window.doc.hints) == 0


def test_drop_opens_sketch_then_adds_reference(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    a = write_sketch_png(tmp_path / "a.png")
    b = write_sketch_png(tmp_path / "b.png", 40, 50)
    window.open_dropped([a])
    assert window.loader.wait_idle()
    assert window.doc.sketch_path == a
    window.open_dropped([b])
    assert window.loader.wait_idle()
    assert [r.name for r in window.doc.references] == ["b"]
    assert window.references_dock.list.count() == 1


def test_save_and_reopen_project(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert _open(qtbot, window, write_sketch_png(tmp_path / "p.png"))
    window.doc.set_part(Part.HINTS, HintSet((Hint("accurate", 20, 20, (9, 99, 199)),)))
    project = tmp_path / "p.paintassist"
    assert window.save_to(project)
    assert not window.doc.dirty and "*" not in window.windowTitle()
    window.tools.clear_hints()
    assert _open(qtbot, window, project)  # the fixture's prompt answers Discard
    assert window.doc.hints[0].rgb == (9, 99, 199)
    assert window.doc.project_path == project


def test_close_with_unsaved_changes_asks_and_cancel_keeps_window(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    asked: list[str] = []

    def answer(_parent, title):  # type: ignore[no-untyped-def]
        asked.append(title)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(file_actions, "ask_unsaved", answer)
    win = MainWindow(pipeline_factory=InstantPipeline, recovery=False)
    win.show()
    win.set_sketch(make_sketch())
    win.doc.set_part(Part.HINTS, HintSet((Hint("accurate", 20, 20, (1, 1, 1)),)))
    assert not win.close()
    assert asked and win.isVisible() and win.worker.isRunning()
    monkeypatch.setattr(file_actions, "ask_unsaved", lambda *_a: QMessageBox.StandardButton.Discard)
    assert win.close()
    assert not win.worker.isRunning()
    win.deleteLater()


def test_autosave_then_crash_then_recover(qtbot, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = MainWindow(pipeline_factory=InstantPipeline)
    assert _open(qtbot, first, write_sketch_png(tmp_path / "s.png"))
    first.doc.set_part(Part.HINTS, HintSet((Hint("draft", 30, 30, (5, 6, 7), 12),)))
    first.autosave()
    assert first.recovery is not None and first.recovery.project_file.is_file()
    # Simulate a crash: the process that wrote the autosave is gone.
    meta = json.loads(first.recovery.meta_file.read_text())
    meta["pid"] = 2**22 + 4242
    first.recovery.meta_file.write_text(json.dumps(meta))
    first.worker.stop()
    first.recovery = None  # a crashed process never cleans up
    first.doc.mark_saved()
    first.close()
    first.deleteLater()

    monkeypatch.delenv("PAINTASSIST_NO_AUTOSAVE_DIALOG")
    monkeypatch.setattr(file_actions, "ask_recovery", lambda *_a: "recover")
    second = MainWindow(pipeline_factory=InstantPipeline)
    with qtbot.waitSignal(second.files.loaded, timeout=10000) as blocker:
        assert second.offer_recovery()
    assert blocker.args[1]
    assert second.doc.hints[0].rgb == (5, 6, 7) and second.doc.dirty
    assert second.doc.sketch is not None and second.doc.sketch.shape == (120, 160)
    assert find_orphans(second.recovery.folder) == []  # type: ignore[union-attr]
    second.doc.mark_saved()
    second.close()
    assert not any(Path(second.recovery.folder).iterdir())  # type: ignore[union-attr]
    second.deleteLater()


def test_a_corrupt_autosave_is_reported_and_can_be_discarded(qtbot, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from paintassist.gui import file_actions

    folder = tmp_path / "recovery"
    folder.mkdir()
    (folder / "dead.paintassist").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "dead.json").write_text(
        json.dumps({"pid": 2**22 + 4243, "title": "page", "saved_at": 1})
    )
    monkeypatch.delenv("PAINTASSIST_NO_AUTOSAVE_DIALOG")
    monkeypatch.setattr(file_actions, "ask_recovery", lambda *_a: "recover")
    asked: list[str] = []
    monkeypatch.setattr(
        file_actions,
        "ask_discard_autosave",
        lambda _w, what, problem: asked.append(problem) or True,
    )
    win = MainWindow(pipeline_factory=InstantPipeline)
    win.recovery.folder = folder  # type: ignore[union-attr]
    with qtbot.waitSignal(win.files.loaded, timeout=10000) as blocker:
        assert win.offer_recovery()
    assert blocker.args[1] is False  # reported, the app keeps running
    assert len(asked) == 1 and "dead.paintassist" in asked[0]
    assert find_orphans(folder) == []  # discarded: not offered again at the next start
    win.close()
    win.deleteLater()


def test_opening_a_sketch_loads_the_hints_beside_it_like_the_cli(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from paintassist.io.hints_file import save_hints

    path = write_sketch_png(tmp_path / "page.png")
    hints = HintSet((Hint("accurate", 20, 30, (1, 2, 3), 4),))
    save_hints(tmp_path / "page.json", hints)
    assert _open(qtbot, window, path)
    assert window.doc.hints == hints
    assert not window.doc.dirty and window.stack.count() == 0
    assert "1 hints from page.json" in window.statusBar().currentMessage()
    (tmp_path / "page.json").write_text("{broken")
    assert _open(qtbot, window, path)
    assert len(window.doc.hints) == 0 and "page.json" in window.statusBar().currentMessage()


def test_open_decodes_off_the_gui_thread_and_the_window_stays_responsive(
    qtbot,
    window,
    tmp_path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    path = write_sketch_png(tmp_path / "slow.png")
    gate, threads = threading.Event(), []
    real = file_actions.read_sketch

    def slow_load(p):  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident())
        gate.wait(10)  # an A4 decode takes ~1 s
        return real(p)

    monkeypatch.setattr(file_actions, "read_sketch", slow_load)
    assert window.open_path(path)
    qtbot.waitUntil(lambda: bool(threads), timeout=3000)
    fired: list[bool] = []
    QTimer.singleShot(20, lambda: fired.append(True))
    qtbot.waitUntil(lambda: bool(fired), timeout=3000)  # the event loop runs during the decode
    assert window.doc.sketch is None  # the document changes only when the decode is done
    with qtbot.waitSignal(window.files.loaded, timeout=5000) as blocker:
        gate.set()
    assert blocker.args == [str(path), True]
    assert window.doc.sketch_path == path and window.canvas.sketch_size == (160, 120)
    assert threads[0] != threading.get_ident()


def test_a_decode_that_finishes_after_a_newer_open_is_dropped(
    qtbot,
    window,
    tmp_path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    old = write_sketch_png(tmp_path / "old.png", 50, 60)
    new = write_sketch_png(tmp_path / "new.png", 70, 90)
    gate = threading.Event()
    real = file_actions.read_sketch

    def gated(p):  # type: ignore[no-untyped-def]
        if p == old:
            gate.wait(10)
        return real(p)

    monkeypatch.setattr(file_actions, "read_sketch", gated)
    loaded: list[str] = []
    window.files.loaded.connect(lambda p, _ok: loaded.append(Path(p).name))
    assert window.open_path(old)
    assert window.open_path(new)  # the artist changed their mind before old.png was decoded
    gate.set()
    assert window.loader.wait_idle()
    assert loaded == ["new.png"]
    assert window.doc.sketch_path == new and window.canvas.sketch_size == (90, 70)
    assert window.recent.load()[0] == new.resolve()


def test_references_decode_off_the_gui_thread_and_skip_a_sketch_opened_meanwhile(
    qtbot,
    window,
    tmp_path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    from paintassist.gui import references_dock

    ref = write_sketch_png(tmp_path / "ref.png", 40, 50)
    gate, threads = threading.Event(), []
    real = references_dock.load_rgb

    def slow_rgb(p):  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident())
        gate.wait(10)
        return real(p)

    monkeypatch.setattr(references_dock, "load_rgb", slow_rgb)
    window.set_sketch(make_sketch())
    gate.set()
    with qtbot.waitSignal(window.references_dock.added, timeout=5000):
        window.references_dock.add_files([ref])
    assert [r.name for r in window.doc.references] == ["ref"]
    assert threads == [threads[0]] and threads[0] != threading.get_ident()
    gate.clear()
    window.references_dock.add_files([ref])
    qtbot.waitUntil(lambda: len(threads) == 2, timeout=3000)
    window.set_sketch(make_sketch(60, 80))  # a new artwork while the reference decodes
    gate.set()
    assert window.loader.wait_idle()
    assert window.doc.references == ()


def test_dropping_a_sketch_with_images_opens_it_then_adds_the_rest_as_references(
    qtbot,
    window,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    a = write_sketch_png(tmp_path / "a.png")
    b = write_sketch_png(tmp_path / "b.png", 40, 50)
    c = write_sketch_png(tmp_path / "c.png", 30, 20)
    window.open_dropped([a, b, c])
    assert window.loader.wait_idle()
    assert window.doc.sketch_path == a
    assert [r.name for r in window.doc.references] == ["b", "c"]
    assert window.stack.count() == 2  # one undo step per dropped reference, as before


def test_every_file_given_opens_in_its_own_window(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from paintassist.gui.app import open_windows

    a = write_sketch_png(tmp_path / "a.png")
    b = write_sketch_png(tmp_path / "b.png", 80, 100)
    windows = open_windows([str(a), str(b)])
    try:
        assert len(windows) == 2
        for win in windows:
            qtbot.waitUntil(lambda w=win: w.doc.sketch is not None, timeout=10000)
        assert [w.doc.sketch_path for w in windows] == [a, b]
        assert windows[1].doc.sketch is not None and windows[1].doc.sketch.shape == (80, 100)
    finally:
        for win in windows:
            win.doc.mark_saved()
            win.close()
            win.deleteLater()


def test_the_unsaved_prompt_names_the_project_not_the_sketch() -> None:
    from paintassist.gui.file_actions import unsaved_question

    assert unsaved_question(Path("/p/page 3.paintassist"), Path("/p/page 3.png")) == (
        "Save the changes to the project page 3.paintassist?"
    )
    text = unsaved_question(None, Path("/p/page 3.png"))
    assert "page 3.paintassist" in text and "not changed" in text


def test_the_window_fits_a_laptop_screen(window) -> None:  # type: ignore[no-untyped-def]
    """The docks scroll instead of adding up their contents' heights (1,001 px before): the
    window fits 1366 × 768 with a taskbar."""
    hint = window.minimumSizeHint()
    assert hint.height() <= 700 and hint.width() <= 1300
    for dock in window.docks:
        assert dock.minimumSizeHint().height() < 200
