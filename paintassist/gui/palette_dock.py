"""Palette dock: swatches to click, presets (skin, hair, manga tones…), the user's characters,
add / rename / remove, import and export (GIMP ``.gpl``, Krita ``.kpl``, Adobe ``.ase``, our
JSON), save the palette as a character and load one, and snap the hints to the shown palette.
The document's own palette is saved in the project.

A character palette's swatches are its parts ("hair", "skin"): the dock lists them with their
part names, the tooltip says the part and the character, and clicking one makes its colour the
current colour.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import qtawesome as qta
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from paintassist.app.characters import list_characters, load_character, save_character, snap_hints
from paintassist.app.document import Document, Part, Parts
from paintassist.app.palette import Palette, PaletteError, Swatch, preset_palettes
from paintassist.app.settings import AppSettings
from paintassist.core.errors import PaintAssistError
from paintassist.core.types import rgb_to_hex
from paintassist.gui.commands import push_part
from paintassist.gui.qimages import swatch_icon
from paintassist.gui.tool_state import ToolState
from paintassist.io.palette_files import FILE_FILTER

DOC_PALETTE = "Document palette"
CHARACTER_SUFFIX = " (character)"
#: Export formats offered by the save dialog: filter text → suffix.
EXPORT_FILTERS: dict[str, str] = {
    "GIMP palette (*.gpl)": ".gpl",
    "Krita palette (*.kpl)": ".kpl",
    "Adobe swatch exchange (*.ase)": ".ase",
    "paintassist palette (*.json)": ".json",
}


def ask_replace_palette(parent: QWidget, character: str, count: int) -> bool:
    """True when the artist lets a character replace the document palette's ``count`` colours
    (tests monkeypatch this)."""
    answer = QMessageBox.question(
        parent,
        "Load character",
        f"Replace the document palette ({count} colours) with {character}'s colours?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Yes,
    )
    return answer == QMessageBox.StandardButton.Yes


class PaletteDock(QWidget):
    """Clicking a swatch makes it the current colour. The combo switches between the document's
    palette (editable), the read-only presets and the user's characters; "+" adds the current
    colour to the document's. error(message) reports a file that could not be read or written.

    stack: the undo stack, for "snap hints to this palette" (hidden without one). settings: the
    app's remembered settings (the import/export folder); ``settings_changed`` is called after
    this dock changed them."""

    error = Signal(str)

    def __init__(
        self,
        doc: Document,
        state: ToolState,
        parent: QWidget | None = None,
        *,
        stack: QUndoStack | None = None,
        settings: AppSettings | None = None,
        settings_changed: Callable[[], None] | None = None,
        library: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.state = state
        self.stack = stack
        self.settings = settings if settings is not None else AppSettings()
        self._settings_changed = settings_changed or (lambda: None)
        self.library = library
        self.presets = preset_palettes()
        self.characters: list[Palette] = []
        self.error_message = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.combo = QComboBox(self)
        self.combo.currentIndexChanged.connect(lambda _i: self.refresh())
        layout.addWidget(self.combo)
        self.list = QListWidget(self)
        self.list.setIconSize(QSize(26, 26))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.itemClicked.connect(self._clicked)
        self.list.itemDoubleClicked.connect(lambda _it: self.rename_selected())
        layout.addWidget(self.list, 1)
        self.buttons: dict[str, QToolButton] = {}
        rows = (
            (
                ("add", "mdi6.plus", "Add the current colour to the document palette",
                 self.add_current),
                ("rename", "mdi6.rename-outline", "Rename the selected swatch (a character's: "
                 "its part)", self.rename_selected),
                ("remove", "mdi6.minus", "Remove the selected swatch", self.remove_selected),
                ("snap", "mdi6.magnet", "Snap every hint's colour to the nearest colour of the "
                 "shown palette", self.snap_hints),
            ),
            (
                ("load", "mdi6.folder-open-outline", "Import a palette (GIMP .gpl, Krita .kpl, "
                 "Adobe .ase, .json) into the document palette", self.load_dialog),
                ("save", "mdi6.content-save-outline", "Export the shown palette (.gpl, .kpl, "
                 ".ase, .json)", self.save_dialog),
                ("save_character", "mdi6.account-plus-outline", "Save the shown palette as a "
                 "character (its swatch names are the parts), for every page", self.save_character_dialog),
                ("load_character", "mdi6.account-arrow-down-outline", "Load a character's "
                 "colours into the document palette", self.load_character_dialog),
            ),
        )  # fmt: skip
        for specs in rows:
            row = QHBoxLayout()
            for key, icon, tip, slot in specs:
                b = QToolButton(self)
                b.setIcon(qta.icon(icon))
                b.setToolTip(tip)
                b.clicked.connect(slot)
                row.addWidget(b)
                self.buttons[key] = b
            row.addStretch(1)
            layout.addLayout(row)
        self.buttons["snap"].setVisible(stack is not None)
        doc.changed.connect(self._on_doc_changed)
        self.combo.activated.connect(self._combo_changed_by_artist)
        self.reload_sources()

    # -- what the combo offers ----------------------------------------------------------------
    def reload_sources(self, select: str | None = None) -> None:
        """Refill the combo (document, presets, the library's characters); ``select`` a
        character by name, else keep the current entry where it still exists."""
        current = self.combo.currentText()
        self.characters = []
        for name in list_characters(self.library):
            try:
                self.characters.append(load_character(name, self.library))
            except PaintAssistError:
                continue
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(DOC_PALETTE)
        for p in self.presets:
            self.combo.addItem(p.name)
        for c in self.characters:
            self.combo.addItem(f"{c.name}{CHARACTER_SUFFIX}")
        wanted = f"{select}{CHARACTER_SUFFIX}" if select is not None else current
        index = self.combo.findText(wanted)
        self._auto_preset = index <= 0 and not self.doc.palette.swatches and bool(self.presets)
        if self._auto_preset:
            index = 1  # first start, nothing of the artist's yet: show a named preset, not a void
        self.combo.setCurrentIndex(max(0, index))
        self.combo.blockSignals(False)
        self.refresh()

    def shown_palette(self) -> Palette:
        i = self.combo.currentIndex()
        if i <= 0:
            return self.doc.palette
        if i <= len(self.presets):
            return self.presets[i - 1]
        return self.characters[i - 1 - len(self.presets)]

    def editable(self) -> bool:
        return self.combo.currentIndex() <= 0

    def refresh(self) -> None:
        palette = self.shown_palette()
        self.list.clear()
        if palette.character or not self.editable():  # parts, presets: a list with names
            self.list.setViewMode(QListView.ViewMode.ListMode)
            self.list.setGridSize(QSize())
            self.list.setUniformItemSizes(False)
        else:
            self.list.setViewMode(QListView.ViewMode.IconMode)
            self.list.setGridSize(QSize(34, 34))
            self.list.setUniformItemSizes(True)
        for sw in palette.swatches:
            named = palette.character or not self.editable()
            item = QListWidgetItem(swatch_icon(sw.rgb, 26), sw.name if named else "")
            item.setToolTip(self._tooltip(palette, sw))
            item.setData(Qt.ItemDataRole.UserRole, sw.rgb)
            self.list.addItem(item)
        editable = self.editable()
        for key in ("rename", "remove"):
            self.buttons[key].setEnabled(editable)
        self.buttons["snap"].setEnabled(bool(palette.swatches))

    @staticmethod
    def _tooltip(palette: Palette, sw: Swatch) -> str:
        group = f" · {sw.group}" if sw.group else ""
        if palette.character:
            return f"{palette.name}: {sw.name}{group}  {sw.hex}"
        return f"{sw.name}{group}  {sw.hex}"

    def _on_doc_changed(self, parts: Parts) -> None:
        if Part.PALETTE not in parts:
            return
        if self.editable():
            self.refresh()
        elif self._auto_preset and self.doc.palette.swatches:
            self.combo.setCurrentIndex(0)  # the artist's own colours now exist: show them

    def _combo_changed_by_artist(self, _index: int) -> None:
        self._auto_preset = False

    def _clicked(self, item: QListWidgetItem) -> None:
        rgb = item.data(Qt.ItemDataRole.UserRole)
        if rgb is not None:
            self.state.set_color(tuple(rgb))  # type: ignore[arg-type]
            self.state.remember(tuple(rgb))  # type: ignore[arg-type]

    def _fail(self, message: str) -> None:
        self.error_message = message
        self.error.emit(message)

    # -- editing the document palette ---------------------------------------------------------
    def add_current(self) -> None:
        rgb = self.state.color
        self.doc.palette.swatches.append(Swatch(rgb_to_hex(rgb), rgb))
        self.combo.setCurrentIndex(0)
        self.doc.palette_edited()

    def rename_selected(self) -> None:
        row = self.list.currentRow()
        if not self.editable() or row < 0:
            return
        sw = self.doc.palette.swatches[row]
        label = "Part:" if self.doc.palette.character else "Name:"
        name, ok = QInputDialog.getText(self, "Rename colour", label, text=sw.name)
        if ok and name.strip():
            sw.name = name.strip()
            self.doc.palette_edited()

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if not self.editable() or row < 0:
            return
        del self.doc.palette.swatches[row]
        self.doc.palette_edited()

    # -- files --------------------------------------------------------------------------------
    def _start_dir(self) -> str:
        return self.settings.folder(self.settings.import_dir)

    def _used_dir(self, path: Path) -> None:
        self.settings.import_dir = str(path.parent)
        self._settings_changed()

    def load_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import palette", self._start_dir(), FILE_FILTER
        )
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> bool:
        """Append the file's swatches (any palette format) to the document palette; False (and
        error_message) if the file is bad."""
        try:
            pal = Palette.load(path)
        except PaletteError as exc:
            self._fail(str(exc))
            return False
        self._used_dir(Path(path))
        self.doc.palette.swatches.extend(pal.swatches)
        self.combo.setCurrentIndex(0)
        self.doc.palette_edited()
        return True

    def save_dialog(self) -> None:
        shown = self.shown_palette()
        start = Path(self._start_dir() or Path.home()) / f"{shown.name or 'palette'}.gpl"
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export palette", str(start), ";;".join(EXPORT_FILTERS)
        )
        if path:
            p = Path(path)
            if p.suffix.lower() not in EXPORT_FILTERS.values():
                p = p.with_name(p.name + EXPORT_FILTERS.get(chosen, ".gpl"))
            self.save_file(p)

    def save_file(self, path: Path) -> bool:
        """Write the shown palette in the format ``path``'s suffix names."""
        try:
            self.shown_palette().save(path)
        except (OSError, PaintAssistError) as exc:
            self._fail(str(exc) if isinstance(exc, PaletteError) else f"{path}: {exc}")
            return False
        self._used_dir(Path(path))
        return True

    # -- characters ---------------------------------------------------------------------------
    def save_character_dialog(self) -> None:
        shown = self.shown_palette()
        default = "" if shown is self.doc.palette and not shown.character else shown.name
        name, ok = QInputDialog.getText(
            self, "Save as character", "Character (its swatch names are the parts):", text=default
        )
        if ok and name.strip():
            self.save_character(name.strip())

    def save_character(self, name: str) -> bool:
        """Keep the shown palette in the character library as ``name`` and show it."""
        try:
            save_character(self.shown_palette(), name, self.library)
        except (OSError, PaintAssistError) as exc:
            self._fail(f"could not save the character {name!r}: {exc}")
            return False
        self.reload_sources(select=" ".join(name.split()))
        return True

    def load_character_dialog(self) -> None:
        names = list_characters(self.library)
        if not names:
            self._fail("no characters yet: save a palette as a character first")
            return
        name, ok = QInputDialog.getItem(self, "Load character", "Character:", names, 0, False)
        if ok and name:
            self.load_character(name, ask=True)

    def load_character(self, name: str, ask: bool = False) -> bool:
        """Make the document palette the character ``name``'s colours (a copy: editing it does
        not change the library). ``ask``: confirm before replacing a non-empty palette."""
        try:
            character = load_character(name, self.library)
        except PaintAssistError as exc:
            self._fail(str(exc))
            return False
        palette = self.doc.palette
        if (
            ask
            and palette.swatches
            and not ask_replace_palette(self, character.name, len(palette.swatches))
        ):
            return False
        palette.name, palette.character = character.name, True
        palette.swatches = [Swatch(s.name, s.rgb, s.group) for s in character.swatches]
        self.combo.setCurrentIndex(0)
        self.doc.palette_edited()
        return True

    # -- hints --------------------------------------------------------------------------------
    def snap_hints(self) -> bool:
        """Snap every hint's colour to the nearest colour of the shown palette (one undo step)."""
        palette = self.shown_palette()
        if self.stack is None or not palette.swatches or not len(self.doc.hints):
            return False
        snapped = snap_hints(self.doc.hints, palette)
        push_part(self.stack, self.doc, Part.HINTS, snapped, f"Snap hints to {palette.name}")
        return True
