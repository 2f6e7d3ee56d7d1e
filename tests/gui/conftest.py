"""Fixtures for the GUI tests: offscreen Qt, a private user-data folder, fake pipelines."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fakes import InstantPipeline, make_sketch

from paintassist.core.types import Sketch


@pytest.fixture
def sketch() -> Sketch:
    return make_sketch()


@pytest.fixture
def window(qtbot, monkeypatch) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A main window on an :class:`InstantPipeline`, no recovery files, closed cleanly.
    The unsaved-changes prompt answers "Discard" unless a test patches it."""
    from PySide6.QtWidgets import QMessageBox

    from paintassist.gui import file_actions
    from paintassist.gui.main_window import MainWindow

    monkeypatch.setattr(file_actions, "ask_unsaved", lambda *_a: QMessageBox.StandardButton.Discard)
    pipeline = InstantPipeline()
    win = MainWindow(pipeline_factory=lambda: pipeline, recovery=False, debounce_ms=10)
    win.fake_pipeline = pipeline  # type: ignore[attr-defined]
    win.resize(1000, 700)
    win.show()
    yield win
    win.doc.mark_saved()  # no unsaved-changes prompt at teardown
    win.close()
    assert not win.worker.isRunning()
    win.deleteLater()
