"""The action table: every action built, shortcuts unambiguous, menus and toolbar as listed."""

from __future__ import annotations

from collections import Counter

from fakes import make_sketch
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QTableWidget

from paintassist.gui.actions import (
    ACTIONS,
    MENUS,
    TOOLBAR,
    bound_keys,
    shortcut_rows,
    show_shortcuts,
)


def test_every_spec_becomes_an_action_and_menus_name_only_known_actions(window) -> None:  # type: ignore[no-untyped-def]
    names = {s.name for s in ACTIONS}
    assert set(window.acts) == names
    listed = [i for _title, items in MENUS for i in items] + list(TOOLBAR)
    assert {i for i in listed if i != "-" and not i.startswith("@")} <= names
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == [title for title, _items in MENUS]


def test_no_two_actions_share_a_shortcut(window) -> None:  # type: ignore[no-untyped-def]
    keys = Counter(
        k.toString() for act in window.acts.values() for k in act.shortcuts() if not k.isEmpty()
    )
    assert [k for k, n in keys.items() if n > 1] == []
    redo = window.acts["redo"].shortcuts()
    assert QKeySequence("Ctrl+Shift+Z") in redo and QKeySequence("Ctrl+Y") in redo


def test_bound_keys_expand_standard_keys_and_bind_each_once(qapp) -> None:  # type: ignore[no-untyped-def]
    std = QKeySequence.StandardKey.Redo
    keys = bound_keys((std, "Ctrl+Shift+Z", "Ctrl+Y", "Ctrl+Y"))
    assert len(keys) == len({k.toString() for k in keys})
    assert keys[: len(QKeySequence.keyBindings(std))] == QKeySequence.keyBindings(std)
    assert bound_keys(("",)) == []


def test_the_shortcuts_table_lists_what_is_bound(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    rows = dict((what, keys) for keys, what in shortcut_rows(window.acts))
    assert rows["Draft square"] == "D" and rows["Accurate dot"] == "A"
    assert "Ctrl+Shift+Z" in rows["Redo"]
    dialog = show_shortcuts(window, window.acts)
    qtbot.addWidget(dialog)
    table = dialog.findChild(QTableWidget, "shortcuts-table")
    assert table.rowCount() == len(shortcut_rows(window.acts)) and table.columnCount() == 2


def test_actions_trigger_their_slots_and_wait_for_a_sketch(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    assert not window.acts["save"].isEnabled() and not window.acts["clear"].isEnabled()
    window.set_sketch(make_sketch())
    assert window.acts["save"].isEnabled() and window.acts["export"].isEnabled()
    window.acts["tool:eraser"].trigger()
    assert window.state.tool == "eraser" and window.acts["tool:eraser"].isChecked()
    window.state.set_tool("select")
    assert window.acts["tool:select"].isChecked() and not window.acts["tool:eraser"].isChecked()
    window.acts["view:side"].trigger()
    assert window.canvas.view_mode == "side" and window.acts["view:side"].isChecked()
    window.acts["toggle_preview"].trigger()
    assert window.canvas.view_mode == "preview"
    zoom = window.canvas.zoom
    window.acts["zoom_in"].trigger()
    assert abs(window.canvas.zoom - 1.25 * zoom) < 1e-6
    draft = window.state.draft_size
    window.state.set_tool("draft")
    window.acts["bigger"].trigger()
    assert window.state.draft_size == round(draft * 1.25)
    assert "Ctrl+E" in window.acts["export"].toolTip()
