"""Fixtures for the GUI tests: offscreen Qt, private user-data and config folders, fake
pipelines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import InstantPipeline, make_sketch

from paintassist.core.types import Sketch


@pytest.fixture(autouse=True)
def _private_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings and the window layout go to a per-test config folder (never the user's)."""
    folder = tmp_path / "config"
    monkeypatch.setenv("PAINTASSIST_CONFIG_DIR", str(folder))
    return folder


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
