"""The app remembers colour, hint sizes, last folders and export choices across restarts, in the
config location (autosaves stay in the data folder); hint layers import (undoably) and export
from the File menu."""

from __future__ import annotations

import json
from pathlib import Path

from fakes import InstantPipeline, make_sketch, write_sketch_png
from PySide6.QtWidgets import QFileDialog

from paintassist.app.document import Part
from paintassist.core.types import Hint, HintSet
from paintassist.gui import file_actions
from paintassist.gui.main_window import MainWindow
from paintassist.io.hint_layer import hints_from_layer, hints_to_layer, save_hint_layer
from paintassist.paths import user_data_dir


def _window(qtbot, recovery: bool = False) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow(pipeline_factory=InstantPipeline, recovery=recovery, debounce_ms=10)
    qtbot.addWidget(win)
    return win


def _close(win: MainWindow) -> None:
    win.doc.mark_saved()
    win.close()


def _open(qtbot, win, path: Path) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(win.files.loaded, timeout=10000) as blocker:
        assert win.open_path(path)
    assert blocker.args[1]


def test_colour_sizes_and_folders_survive_a_restart(
    qtbot, tmp_path, monkeypatch, _private_config
) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "pages").mkdir()
    sketch = write_sketch_png(tmp_path / "pages" / "p1.png", 400, 600)
    first = _window(qtbot)
    _open(qtbot, first, sketch)
    first.state.set_color((12, 34, 56))
    first.state.remember((200, 100, 50))
    first.state.set_sizes(draft=50.0, dot=6.0)
    _close(first)
    saved = json.loads((_private_config / "settings.json").read_text())
    assert saved["color"] == "#0c2238" and saved["folders"]["open"] == str(tmp_path / "pages")
    assert saved["hint_sizes"] == {"draft": 50.0, "dot": 6.0, "page_long_side": 600}
    assert not (user_data_dir() / "settings.json").exists()  # not in the data folder

    second = _window(qtbot)
    assert second.state.color == (12, 34, 56)
    assert second.state.recent[0] == (200, 100, 50)
    starts: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda _w, _t, start, _f: starts.append(start) or ("", "")
    )
    second.files.open_dialog()
    assert starts == [str(tmp_path / "pages")]  # the open dialog starts where we last opened
    second.set_sketch(make_sketch(800, 1200))  # twice the long side: sizes in proportion
    assert (second.state.draft_size, second.state.dot_size) == (100.0, 12.0)
    _close(second)


def test_settings_are_written_soon_after_a_change(qtbot, _private_config) -> None:  # type: ignore[no-untyped-def]
    win = _window(qtbot)
    win.state.set_color((1, 2, 3))
    path = _private_config / "settings.json"
    qtbot.waitUntil(path.exists, timeout=5000)
    assert json.loads(path.read_text())["color"] == "#010203"
    _close(win)


def test_autosaves_stay_in_the_data_folder(qtbot, _private_config) -> None:  # type: ignore[no-untyped-def]
    win = _window(qtbot, recovery=True)
    win.set_sketch(make_sketch())
    win.doc.set_part(Part.HINTS, HintSet((Hint("accurate", 5, 5, (1, 2, 3)),)))
    win.autosave()
    assert win.recovery is not None and user_data_dir() in win.recovery.folder.parents
    assert _private_config not in win.recovery.folder.parents
    _close(win)
    assert (_private_config / "window.ini").is_file()  # the layout is a setting too


def test_the_export_dialog_remembers_folder_and_formats(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    win = _window(qtbot)
    win.set_sketch(make_sketch())
    dialog = win.make_export_dialog()
    qtbot.addWidget(dialog)
    out = tmp_path / "exports"
    dialog.folder.setText(str(out))
    dialog.png.setChecked(False)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20000)
    assert dialog.written
    dialog.reject()
    _close(win)

    again = _window(qtbot)
    again.set_sketch(make_sketch())
    dialog2 = again.make_export_dialog()
    qtbot.addWidget(dialog2)
    assert dialog2.folder.text() == str(out)
    assert not dialog2.png.isChecked() and dialog2.ora.isChecked()
    dialog2.reject()  # closed without exporting: nothing new remembered
    assert again.settings.export_formats == dialog.formats()
    _close(again)


def test_import_hint_layer_from_the_file_menu_is_undoable(
    qtbot, window, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    window.set_sketch(make_sketch(120, 160))
    before = HintSet((Hint("accurate", 5, 5, (9, 9, 9)),))
    window.doc.set_part(Part.HINTS, before)
    painted = HintSet(
        (Hint("draft", 40, 60, (200, 40, 40), 20), Hint("accurate", 120, 60, (20, 40, 200), 4))
    )
    path = save_hint_layer(tmp_path / "hints.png", painted, (120, 160))
    file_menu = window.menuBar().actions()[0].menu()
    assert window.acts["import_hint_layer"] in file_menu.actions()
    assert window.acts["export_hint_layer"] in file_menu.actions()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))
    window.acts["import_hint_layer"].trigger()
    assert window.loader.wait_idle()
    assert [(h.kind, h.rgb) for h in window.doc.hints] == [
        ("draft", (200, 40, 40)),
        ("accurate", (20, 40, 200)),
    ]
    assert window.stack.undoText() == "Import hint layer"
    window.stack.undo()
    assert window.doc.hints == before
    assert window.settings.import_dir == str(tmp_path)


def test_a_hint_layer_of_another_size_is_refused(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window.set_sketch(make_sketch(120, 160))
    path = save_hint_layer(tmp_path / "big.png", HintSet(), (240, 320))
    assert window.import_hint_layer(path)
    assert window.loader.wait_idle()
    assert "320×240 px but the sketch is 160×120" in window.statusBar().currentMessage()
    assert len(window.doc.hints) == 0 and window.stack.count() == 0


def test_export_hint_layer_then_read_it_back(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window.set_sketch(make_sketch(120, 160))
    hints = HintSet((Hint("draft", 40, 60, (1, 2, 3), 20), Hint("accurate", 120, 60, (4, 5, 6), 4)))
    window.doc.set_part(Part.HINTS, hints)
    path = tmp_path / "layer.png"
    assert window.files.export_hint_layer(path)
    back = hints_from_layer(path, expected_shape=(120, 160))
    assert [h.rgb for h in back] == [(1, 2, 3), (4, 5, 6)]
    assert hints_to_layer(back, (120, 160)).shape == (120, 160, 4)


def test_psd_without_a_hints_layer_asks_which(qtbot, window, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import numpy as np
    import pytest

    pytest.importorskip("psd_tools")
    from PIL import Image
    from psd_tools import PSDImage

    window.set_sketch(make_sketch(120, 160))
    layer = hints_to_layer(HintSet((Hint("accurate", 80, 60, (250, 0, 0), 4),)), (120, 160))
    psd = PSDImage.frompil(Image.new("RGB", (160, 120), "white"))
    psd.create_pixel_layer(Image.new("RGB", (160, 120), "white"), "Paper", 0, 0)
    psd.create_pixel_layer_from_array(np.ascontiguousarray(layer), "Layer 2", 0, 0)
    path = tmp_path / "page.psd"
    psd.save(path)
    asked: list[list[str]] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))
    monkeypatch.setattr(
        file_actions, "ask_layer", lambda _w, _p, names: asked.append(names) or "Layer 2"
    )
    window.files.import_hint_layer_dialog()
    assert window.loader.wait_idle()
    assert asked == [["Layer 2", "Paper"]]
    assert [(h.kind, h.rgb) for h in window.doc.hints] == [("accurate", (250, 0, 0))]
