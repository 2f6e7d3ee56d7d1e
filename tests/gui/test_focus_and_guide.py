"""Keys back to the canvas after Enter/Escape in a field; the first-run guide; the tool line in the
status bar; the themes."""

from __future__ import annotations

from fakes import make_sketch
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLineEdit, QSpinBox

from paintassist.app.document import Part
from paintassist.core.types import Hint
from paintassist.gui.commands import push_part
from paintassist.gui.theme import PALETTES, resolve


def _field(window, cls):  # type: ignore[no-untyped-def]
    field = cls(window.palette_dock)
    field.show()
    return field


def test_enter_in_a_field_gives_the_keys_back_to_the_canvas(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.set_sketch(make_sketch())
    field = _field(window, QLineEdit)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClicks(field, "c04060")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(window.canvas.hasFocus)
    assert field.text() == "c04060"  # Enter applies what was typed
    qtbot.keyClick(window.canvas, Qt.Key.Key_D)
    assert window.state.tool == "draft" and field.text() == "c04060"


def test_escape_reverts_the_field_and_gives_the_keys_back(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    field = _field(window, QLineEdit)
    field.setText("#112233")
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClicks(field, "zz")
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert window.canvas.hasFocus() and field.text() == "#112233"


def test_enter_in_a_spin_box_gives_the_keys_back(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    box = _field(window, QSpinBox)
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Enter)
    qtbot.waitUntil(window.canvas.hasFocus)


def test_the_guide_says_how_to_start_and_goes_after_the_first_hint(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    assert "Open a sketch" in window.canvas.guide_text
    window.set_sketch(make_sketch())
    assert "accurate dot" in window.canvas.guide_text and "draft square" in window.canvas.guide_text
    hints = window.doc.hints.with_added(Hint("accurate", 10, 10, (200, 40, 40), 3.0))
    push_part(window.stack, window.doc, Part.HINTS, hints, "Add accurate dot")
    assert window.canvas.guide_text == "" and window.settings.guide_done
    window.stack.undo()  # no hints again: the artist has learnt it, the guide stays away
    assert window.canvas.guide_text == ""


def test_the_status_bar_names_the_tool_and_what_it_does(window) -> None:  # type: ignore[no-untyped-def]
    window.state.set_tool("draft")
    assert "Draft square (D)" in window.status_bar.tool_label.text()
    window.state.set_tool("eraser")
    assert "Eraser (E)" in window.status_bar.tool_label.text()


def test_themes_switch_the_palette_and_are_remembered(window) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    window.set_theme("light")
    light = app.palette().color(QPalette.ColorRole.Window)
    assert light.getRgb()[:3] == PALETTES["light"][QPalette.ColorRole.Window]
    assert window.acts["theme:light"].isChecked() and window.settings.theme == "light"
    window.set_theme("dark")
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert resolve("dark") == "dark" and resolve("auto") in ("dark", "light")
