"""The main window's actions, menus and main toolbar as data, and the one function that builds
them (:func:`build_actions`).

A slot is named by its attribute path from the window (``"canvas.fit"``, ``"files.save"``) and
called with the spec's ``args``; ``"@undo"`` / ``"@redo"`` are the undo stack's own actions, whose
text follows the next step ("Undo Add hint").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import qtawesome as qta
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from paintassist.gui.tool_state import TOOLS, ToolName

Shortcut = str | QKeySequence.StandardKey
_K = QKeySequence.StandardKey

#: tool → (label, qtawesome icon, shortcut, tooltip)
TOOL_INFO: dict[ToolName, tuple[str, str, str, str]] = {
    "draft": (
        "Draft square",
        "mdi6.square-rounded-outline",
        "D",
        "Draft hint: sets the colour mood of the area it covers",
    ),
    "accurate": (
        "Accurate dot",
        "mdi6.circle-medium",
        "A",
        "Accurate hint: this exact colour, in the region under the dot",
    ),
    "gap": (
        "Gap closer",
        "mdi6.vector-polyline",
        "G",
        "Draw across a gap in the line art to close it, or across an area to split it: "
        "the region map changes, the output never shows the stroke",
    ),
    "link": (
        "Link areas",
        "mdi6.link-variant",
        "L",
        "Drag from one area to another: they become one area of one colour",
    ),
    "eraser": ("Eraser", "mdi6.eraser", "E", "Remove hints, gap strokes and links (click or drag over them)"),
    "eyedropper": (
        "Eyedropper",
        "mdi6.eyedropper",
        "I",
        "Pick a colour from the preview or the sketch (Alt+click in any tool)",
    ),
    "select": (
        "Select / move",
        "mdi6.cursor-default-outline",
        "V",
        "Select a hint to drag it, recolour it or change its size; Delete removes it",
    ),
}
#: view mode → (label, icon, shortcut)
VIEW_INFO: dict[str, tuple[str, str, str]] = {
    "preview": ("Preview", "mdi6.palette-outline", "1"),
    "sketch": ("Sketch only", "mdi6.draw", "2"),
    "side": ("Side by side", "mdi6.view-split-vertical", "3"),
}


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One QAction. ``group``: checkable, exclusive within the group. ``needs_sketch``: disabled
    while no sketch is open. ``checkable``: an on/off switch outside any group."""

    name: str
    text: str
    slot: str
    args: tuple[object, ...] = ()
    icon: str | None = None
    shortcuts: tuple[Shortcut, ...] = ()
    tip: str = ""
    group: str | None = None
    needs_sketch: bool = False
    checkable: bool = False


A = ActionSpec
ACTIONS: tuple[ActionSpec, ...] = (
    A("open", "&Open…", "files.open_dialog", (), "mdi6.folder-open-outline", (_K.Open,),
      "Open a sketch or a project"),
    A("save", "&Save", "files.save", (), "mdi6.content-save-outline", (_K.Save,),
      "Save the project", needs_sketch=True),
    A("save_as", "Save &as…", "files.save_as", shortcuts=(_K.SaveAs,), needs_sketch=True),
    A("export", "&Export layers…", "files.export_dialog", (), "mdi6.export", ("Ctrl+E",),
      "Export layered PNGs / OpenRaster at full resolution", needs_sketch=True),
    A("import_hints", "&Import hints…", "files.import_hints_dialog", needs_sketch=True),
    A("export_hints", "Export &hints…", "files.export_hints_dialog", needs_sketch=True),
    A("import_hint_layer", "Import hint &layer…", "files.import_hint_layer_dialog", (), None, (),
      "Hints from a layer painted in Krita, CSP… (dots and strokes on transparency, PNG or PSD)",
      needs_sketch=True),
    A("export_hint_layer", "Export hint la&yer…", "files.export_hint_layer_dialog", (), None, (),
      "The hints as a transparent PNG layer, to paint over in another program",
      needs_sketch=True),
    A("quit", "&Quit", "close", shortcuts=(_K.Quit,)),
    A("undo", "&Undo", "@undo", icon="mdi6.undo", shortcuts=(_K.Undo,)),
    # The platform's Redo (Ctrl+Shift+Z on X11 and macOS, Ctrl+Y on Windows) plus the other one:
    # bound_keys() drops whichever the platform already has, never binding a key twice.
    A("redo", "&Redo", "@redo", icon="mdi6.redo", shortcuts=(_K.Redo, "Ctrl+Shift+Z", "Ctrl+Y")),
    A("clear", "&Clear hints", "tools.clear_hints", (), "mdi6.delete-sweep-outline", (),
      "Remove every hint", needs_sketch=True),
    A("delete", "&Delete hint", "tools.delete_selected", shortcuts=(_K.Delete,)),
    A("fit", "&Fit to window", "canvas.fit", (), "mdi6.fit-to-screen-outline", ("Ctrl+0",)),
    A("zoom_100", "&Actual pixels (100 %)", "canvas.zoom_100", (), "mdi6.numeric-1-box-outline",
      ("Ctrl+1",)),
    A("zoom_in", "Zoom &in", "canvas.zoom_by", (1.25,), "mdi6.magnify-plus-outline",
      (_K.ZoomIn,)),
    A("zoom_out", "Zoom &out", "canvas.zoom_by", (0.8,), "mdi6.magnify-minus-outline",
      (_K.ZoomOut,)),
    A("smaller", "Smaller hint", "step_size", (1 / 1.25,), shortcuts=("[",)),
    A("bigger", "Bigger hint", "step_size", (1.25,), shortcuts=("]",)),
    *(
        A(f"tool:{t}", label, "state.set_tool", (t,), icon, (key,), tip, group="tool")
        for t, (label, icon, key, tip) in TOOL_INFO.items()
    ),
    *(
        A(f"view:{m}", label, "set_view_mode", (m,), icon, (key,), f"View: {label.lower()}",
          group="view")
        for m, (label, icon, key) in VIEW_INFO.items()
    ),
    A("toggle_preview", "Toggle preview / sketch", "toggle_preview", shortcuts=("\\",)),
    A("suggest", "&Where to hint next", "show_suggestions", (), "mdi6.lightbulb-on-outline",
      ("N",), "Number the three areas where one more dot would help most", checkable=True),
    *(
        A(f"theme:{t}", label, "set_theme", (t,), group="theme")
        for t, label in (("auto", "Theme: follow the &system"), ("dark", "Theme: &dark"),
                         ("light", "Theme: &light"))
    ),
    A("shortcuts", "&Keyboard shortcuts", "show_shortcuts"),
)  # fmt: skip
_TOOLS = tuple(f"tool:{t}" for t in TOOLS)
_VIEWS = tuple(f"view:{m}" for m in VIEW_INFO)
#: Menus: action names; "-" a separator, "@recent" the recent-files submenu, "@docks" the docks.
MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("&File", ("open", "@recent", "-", "save", "save_as", "-", "import_hints", "export_hints",
               "import_hint_layer", "export_hint_layer", "-", "export", "-", "quit")),
    ("&Edit", ("undo", "redo", "-", "delete", "clear")),
    ("&Tools", (*_TOOLS, "-", "smaller", "bigger")),
    ("&View", (*_VIEWS, "toggle_preview", "suggest", "-", "fit", "zoom_100", "zoom_in", "zoom_out", "-",
               "@docks", "-", "theme:auto", "theme:dark", "theme:light")),
    ("&Help", ("shortcuts",)),
)  # fmt: skip
TOOLBAR: tuple[str, ...] = (
    "open", "save", "export", "-", "undo", "redo", "-", *_TOOLS, "clear", "-", *_VIEWS, "suggest",
    "-", "fit", "zoom_100",
)  # fmt: skip


@dataclass(slots=True)
class BuiltActions:
    """What :func:`build_actions` made: actions by name, the exclusive groups, the recent-files
    submenu (filled on show by the caller) and the main toolbar."""

    actions: dict[str, QAction]
    groups: dict[str, QActionGroup]
    recent_menu: QMenu
    toolbar: QToolBar

    def needing_sketch(self, specs: Sequence[ActionSpec] = ACTIONS) -> list[QAction]:
        return [self.actions[s.name] for s in specs if s.needs_sketch]


def _slot(window: QMainWindow, spec: ActionSpec) -> Callable[..., object]:
    fn: object = window
    for name in spec.slot.split("."):
        fn = getattr(fn, name)
    if not callable(fn):
        raise TypeError(f"action {spec.name!r}: {spec.slot} is not callable")
    return lambda _checked=False: fn(*spec.args)


def bound_keys(shortcuts: Sequence[Shortcut]) -> list[QKeySequence]:
    """The key sequences ``shortcuts`` bind on this platform, each once: a standard key expands to
    all of the platform's bindings for it (``QKeySequence.keyBindings``), empty ones are dropped
    (Quit is unbound on some desktops) and a sequence already bound is not bound again — a key
    registered twice on one action is an "Ambiguous shortcut overload" that does nothing."""
    keys: list[QKeySequence] = []
    for k in shortcuts:
        seqs = QKeySequence.keyBindings(k) if isinstance(k, QKeySequence.StandardKey) else [
            QKeySequence(k)
        ]
        for seq in seqs:
            if not seq.isEmpty() and seq not in keys:
                keys.append(seq)
    return keys


def _make(window: QMainWindow, stack: QUndoStack, spec: ActionSpec) -> QAction:
    if spec.slot == "@undo":
        act = stack.createUndoAction(window, spec.text)
    elif spec.slot == "@redo":
        act = stack.createRedoAction(window, spec.text)
    else:
        act = QAction(spec.text, window)
        act.triggered.connect(_slot(window, spec))
    if spec.icon:
        act.setIcon(qta.icon(spec.icon))
    keys = bound_keys(spec.shortcuts)
    if keys:
        act.setShortcuts(keys)
    if spec.slot[0] != "@" and (spec.tip or spec.shortcuts):
        first = keys[0].toString(QKeySequence.SequenceFormat.NativeText) if keys else ""
        tip = spec.tip or spec.text
        act.setToolTip(f"{tip}  ({first})" if first else tip)
    window.addAction(act)  # shortcuts work even where the action is in no visible menu
    return act


def _add(target: QMenu | QToolBar, item: str, actions: dict[str, QAction]) -> None:
    if item == "-":
        target.addSeparator()
    else:
        target.addAction(actions[item])


def build_actions(
    window: QMainWindow,
    stack: QUndoStack,
    docks: Sequence[QDockWidget],
    specs: Sequence[ActionSpec] = ACTIONS,
    menus: Sequence[tuple[str, Sequence[str]]] = MENUS,
    toolbar: Sequence[str] = TOOLBAR,
) -> BuiltActions:
    """Create every action of ``specs`` on ``window`` (slots resolved from it now), its menu bar
    from ``menus`` and its main toolbar from ``toolbar``."""
    actions: dict[str, QAction] = {}
    groups: dict[str, QActionGroup] = {}
    for spec in specs:
        act = actions[spec.name] = _make(window, stack, spec)
        if spec.checkable:
            act.setCheckable(True)
        if spec.group is not None:
            act.setCheckable(True)
            groups.setdefault(spec.group, QActionGroup(window)).addAction(act)
    recent_menu: QMenu | None = None
    for title, items in menus:
        menu = window.menuBar().addMenu(title)
        for item in items:
            if item == "@recent":
                recent_menu = menu.addMenu("Open &recent")
            elif item == "@docks":
                for dock in docks:
                    menu.addAction(dock.toggleViewAction())
            else:
                _add(menu, item, actions)
    bar = QToolBar("Main", window)
    bar.setObjectName("main-toolbar")
    bar.setIconSize(QSize(20, 20))
    for item in toolbar:
        _add(bar, item, actions)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    if recent_menu is None:
        recent_menu = QMenu("Open &recent", window)
    return BuiltActions(actions, groups, recent_menu, bar)


def refresh_icons(actions: dict[str, QAction], specs: Sequence[ActionSpec] = ACTIONS) -> None:
    """Remake the actions' icons in the current theme's colours (after a theme change)."""
    from paintassist.gui.theme import themed_icon

    for spec in specs:
        if spec.icon and spec.name in actions:
            actions[spec.name].setIcon(themed_icon(spec.icon))


#: Named keys a keyboard has; other names in the platform's bindings are media or special keys
#: ("Undo", "Zoom In", "F14") that the shortcuts table leaves out.
_KEYBOARD_NAMES = frozenset(
    {"Del", "Backspace", "Esc", "Return", "Enter", "Space", "Tab", "Home", "End", "PgUp",
     "PgDown", "Ins", "Left", "Right", "Up", "Down", *(f"F{i}" for i in range(1, 13))}
)


def _on_keyboard(text: str) -> bool:
    key = text.rsplit("+", 1)[-1] if not text.endswith("+") else "+"
    return len(key) == 1 or key in _KEYBOARD_NAMES


def key_text(act: QAction) -> str:
    """The action's keys as the platform writes them ("Ctrl+Shift+Z, Ctrl+Y"), keyboard keys
    only; "" when none."""
    fmt = QKeySequence.SequenceFormat.NativeText
    keys = (k.toString(fmt) for k in act.shortcuts() if not k.isEmpty())
    return ", ".join(k for k in keys if _on_keyboard(k))


#: Keys that are not actions (mouse and modifier gestures), for the shortcuts table.
GESTURES: tuple[tuple[str, str], ...] = (
    ("Alt+click", "Pick a colour with any tool"),
    ("Space+drag, middle drag", "Pan"),
    ("Wheel, pinch", "Zoom"),
    ("Enter, Escape in a field", "Give the keys back to the canvas"),
)


def shortcut_rows(actions: dict[str, QAction]) -> list[tuple[str, str]]:
    """(keys, what they do) for every action that has keys, in table order, then the gestures —
    read from the actions themselves, so the table shows what is really bound."""
    rows = []
    for spec in ACTIONS:
        act = actions.get(spec.name)
        if act is None or not (keys := key_text(act)):
            continue
        rows.append((keys, spec.text.replace("&", "").rstrip("…")))
    return rows + list(GESTURES)


def show_shortcuts(parent: QWidget, actions: dict[str, QAction]) -> QDialog:
    """The keyboard shortcuts as a two-column table (keys, action) in a non-modal dialog."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("Keyboard shortcuts")
    rows = shortcut_rows(actions)
    table = QTableWidget(len(rows), 2, dialog)
    table.setObjectName("shortcuts-table")
    table.setHorizontalHeaderLabels(["Keys", "Action"])
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    for r, (keys, what) in enumerate(rows):
        table.setItem(r, 0, QTableWidgetItem(keys))
        table.setItem(r, 1, QTableWidgetItem(what))
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.close)
    layout = QVBoxLayout(dialog)
    layout.addWidget(table)
    layout.addWidget(buttons)
    dialog.resize(max(420, table.horizontalHeader().length() + 60), 560)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
