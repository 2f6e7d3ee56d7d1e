"""Export from the dialog: full resolution, progress, files written; cancel leaves nothing."""

from __future__ import annotations

import threading
from pathlib import Path

from fakes import BlockingPipeline, InstantPipeline, make_sketch
from PySide6.QtCore import Qt

from paintassist.app.document import Part
from paintassist.core.types import Hint, HintSet
from paintassist.gui.export_dialog import ExportDialog
from paintassist.gui.main_window import MainWindow
from paintassist.gui.worker import PreviewWorker
from paintassist.io.export import read_ora_layers


def test_export_writes_png_folder_and_ora_at_full_resolution(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window.set_sketch(make_sketch(900, 1200))  # larger than the 768 px preview
    window.doc.set_part(Part.HINTS, HintSet((Hint("accurate", 50, 50, (10, 20, 30)),)))
    window.doc.set_part(Part.SETTINGS, window.doc.settings.with_layer("shading", visible=False))
    dialog = window.make_export_dialog()
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(tmp_path / "out"))
    dialog.stem.setText("page1")
    values: list[int] = []
    dialog.bar.valueChanged.connect(values.append)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20000)
    assert "Exported" in dialog.status.text(), dialog.status.text()
    folder, ora = tmp_path / "out" / "page1", tmp_path / "out" / "page1" / "page1.ora"
    assert sorted(dialog.written) == sorted([str(folder), str(ora)])
    assert (folder / "composite.png").is_file() and (folder / "manifest.json").is_file()
    xml, layers = read_ora_layers(ora)
    assert layers["flats"].shape[:2] == (900, 1200)  # full resolution, not the preview's
    assert (
        '<layer name="shading"' in xml
        and 'visibility="hidden"' in xml.split('"shading"')[1].split("/>")[0]
    )
    assert values == sorted(values) and values[-1] == 1000
    assert window.fake_pipeline.runs  # the export used the worker's pipeline


def test_only_ora_and_bad_name(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window.set_sketch(make_sketch())
    dialog = window.make_export_dialog()
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(tmp_path))
    dialog.stem.setText("a/b")
    dialog.start()
    assert dialog.job is None and "name" in dialog.status.text()
    dialog.stem.setText("only")
    dialog.png.setChecked(False)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20000)
    assert [Path(p).name for p in dialog.written] == ["only.ora"]
    dialog.ora.setChecked(False)
    assert not dialog.export_button.isEnabled()


def test_cancel_stops_the_export_and_writes_nothing(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from paintassist.app.document import Document

    doc = Document()
    doc.set_sketch(make_sketch())
    pipeline = BlockingPipeline()
    worker = PreviewWorker(lambda: pipeline)
    worker.start()
    try:
        dialog = ExportDialog(
            lambda: doc.make_request(full_resolution=True), worker.colorize_and_wait, tmp_path, "x"
        )
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.start()
        qtbot.waitUntil(lambda: bool(pipeline.started), timeout=5000)
        assert not dialog.export_button.isEnabled()
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.job is None, timeout=5000)
        assert "cancelled" in dialog.status.text()
        assert pipeline.cancelled == pipeline.started
        assert list(tmp_path.iterdir()) == []
        assert dialog.isVisible()  # the dialog stays open and usable after a cancel
        assert dialog.export_button.isEnabled()
        assert dialog.export_button.isEnabled()
    finally:
        assert worker.stop(5000)


class ThreadRecordingPipeline(InstantPipeline):
    """Records (work_long_side, thread id) of every run: None is the export's full resolution."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[tuple[int | None, int]] = []

    def run(self, request, **kw):  # type: ignore[no-untyped-def]
        self.threads.append((request.options.work_long_side, threading.get_ident()))
        return super().run(request, **kw)


def test_export_and_previews_run_the_pipeline_on_the_same_thread(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pipeline = ThreadRecordingPipeline()
    win = MainWindow(pipeline_factory=lambda: pipeline, recovery=False, debounce_ms=10)
    try:
        win.set_sketch(make_sketch(900, 1200))
        qtbot.waitUntil(lambda: win.last_result is not None and not win.preview.busy, timeout=5000)
        dialog = win.make_export_dialog()
        qtbot.addWidget(dialog)
        dialog.folder.setText(str(tmp_path))
        dialog.png.setChecked(False)
        dialog.start()
        qtbot.waitUntil(lambda: dialog.job is None, timeout=20000)
        assert "Exported" in dialog.status.text(), dialog.status.text()
        win.doc.set_part(Part.HINTS, HintSet((Hint("accurate", 5, 5, (1, 2, 3)),)))
        qtbot.waitUntil(lambda: len(pipeline.threads) >= 3 and not win.preview.busy, timeout=5000)
    finally:
        win.doc.mark_saved()
        win.close()
        win.deleteLater()
    sides = [side for side, _ident in pipeline.threads]
    assert sides.count(None) == 1 and sides.count(768) >= 2  # one export, previews around it
    assert len({ident for _side, ident in pipeline.threads}) == 1
    assert pipeline.threads[0][1] != threading.get_ident()  # the worker's, not the GUI thread


def test_psd_checkbox_writes_the_psd_at_the_sketch_resolution(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json
    from dataclasses import replace

    from psd_tools import PSDImage
    from psd_tools.constants import Resource

    window.set_sketch(replace(make_sketch(300, 400), dpi=(600.0, 600.0)))
    window.doc.set_part(Part.SETTINGS, window.doc.settings.with_layer("lineart", opacity=0.5))
    dialog = window.make_export_dialog()
    qtbot.addWidget(dialog)
    assert not dialog.psd.isChecked()  # off unless asked for
    dialog.folder.setText(str(tmp_path))
    dialog.stem.setText("page")
    dialog.ora.setChecked(False)
    dialog.psd.setChecked(True)
    assert dialog.formats() == ("png", "psd")
    dialog.start()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20000)
    assert "Exported" in dialog.status.text(), dialog.status.text()
    psd_path = tmp_path / "page" / "page.psd"
    assert sorted(dialog.written) == sorted([str(tmp_path / "page"), str(psd_path)])
    psd = PSDImage.open(psd_path)
    assert psd.size == (400, 300)  # full resolution
    layers = {layer.name: layer for layer in psd}
    assert layers["lineart"].opacity == 128  # the layers panel's settings
    assert "shadow" not in layers and "lighting" not in layers  # light pass off
    res = psd.image_resources.get_data(Resource.RESOLUTION_INFO)
    assert res.horizontal / 65536 == 600.0
    manifest = json.loads((tmp_path / "page" / "manifest.json").read_text())
    assert manifest["dpi"] == [600.0, 600.0] and manifest["dpi_source"] == "input"
    dialog.png.setChecked(False)
    assert dialog.export_button.isEnabled()  # the PSD alone is a choice
    dialog.psd.setChecked(False)
    assert not dialog.export_button.isEnabled()
