"""The settings panel's line-colour combo and screentone check box: each change is one undo
step that reaches the colorization, and the controls follow the document (undo, new document)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fakes import make_sketch
from PySide6.QtGui import QUndoStack

from paintassist.app.document import Document, Part, Settings
from paintassist.core.types import LINE_COLORS, ColorizeOptions
from paintassist.gui.settings_dock import SettingsDock


@pytest.fixture
def dock(qtbot) -> SettingsDock:  # type: ignore[no-untyped-def]
    doc = Document()
    doc.set_sketch(make_sketch())
    widget = SettingsDock(doc, QUndoStack())
    qtbot.addWidget(widget)
    return widget


def _request_options(dock: SettingsDock) -> ColorizeOptions:
    request = dock.doc.make_request()
    assert request is not None
    return request.options


def test_line_colour_combo_offers_every_line_colour(dock: SettingsDock) -> None:
    combo = dock.line_color
    assert [combo.itemData(i) for i in range(combo.count())] == list(LINE_COLORS)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Auto — keep coloured ink",
        "Keep the ink's colour",
        "Black",
    ]
    assert combo.currentData() == "auto" and combo.toolTip()
    assert dock.screentone.text() == "Screentone is tone" and dock.screentone.toolTip()
    assert dock.screentone.isChecked()


def test_choosing_a_line_colour_is_one_undo_step(dock: SettingsDock) -> None:
    key = dock.doc.settings.colorize_key()
    dock.line_color.setCurrentIndex(dock.line_color.findData("black"))
    assert dock.doc.settings.line_color == "black"
    assert _request_options(dock).line_color == "black"
    assert dock.doc.settings.colorize_key() != key
    assert dock.stack.count() == 1 and dock.stack.undoText() == "Line colour"
    dock.line_color.setCurrentIndex(dock.line_color.findData("keep"))
    assert dock.stack.count() == 2  # another choice, another step
    dock.stack.undo()
    assert dock.doc.settings.line_color == "black" and dock.line_color.currentData() == "black"
    dock.stack.undo()
    assert dock.doc.settings.line_color == "auto" and dock.line_color.currentData() == "auto"
    assert dock.doc.settings.colorize_key() == key
    dock.stack.redo()
    assert dock.line_color.currentData() == "black"


def test_toggling_screentone_is_one_undo_step(dock: SettingsDock) -> None:
    dock.screentone.setChecked(False)
    assert dock.doc.settings.screentone is False
    assert _request_options(dock).screentone is False
    assert dock.stack.count() == 1 and dock.stack.undoText() == "Screentone on/off"
    dock.stack.undo()
    assert dock.doc.settings.screentone is True and dock.screentone.isChecked()
    assert _request_options(dock).screentone is True
    assert dock.stack.count() == 1 and dock.stack.index() == 0


def test_controls_follow_a_new_document_without_pushing(dock: SettingsDock) -> None:
    other = replace(Settings(), line_color="keep", screentone=False)
    dock.doc.set_part(Part.SETTINGS, other)
    assert dock.line_color.currentData() == "keep" and not dock.screentone.isChecked()
    dock.doc.load(make_sketch(), None, None, settings=Settings())  # File ▸ New / open
    assert dock.line_color.currentData() == "auto" and dock.screentone.isChecked()
    assert dock.stack.count() == 0  # showing the document is no edit
