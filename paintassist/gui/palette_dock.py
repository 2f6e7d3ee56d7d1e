"""Palette dock: swatches to click, presets (skin, hair, manga tones…), add / rename / remove,
save / load as JSON. The document's own palette is saved in the project."""

from __future__ import annotations

from pathlib import Path

import qtawesome as qta
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QListView,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from paintassist.app.document import Document, Part, Parts
from paintassist.app.palette import Palette, PaletteError, Swatch, preset_palettes
from paintassist.core.errors import PaintAssistError
from paintassist.gui.qimages import swatch_icon
from paintassist.gui.tool_state import ToolState

DOC_PALETTE = "Document palette"


class PaletteDock(QWidget):
    """Clicking a swatch makes it the current colour. The combo switches between the document's
    palette (editable) and the read-only presets; "+" adds the current colour to the document's.
    error(message) reports a file that could not be read or written."""

    error = Signal(str)

    def __init__(self, doc: Document, state: ToolState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.state = state
        self.presets = preset_palettes()
        self.error_message = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.combo = QComboBox(self)
        self.combo.addItem(DOC_PALETTE)
        for p in self.presets:
            self.combo.addItem(p.name)
        self.combo.currentIndexChanged.connect(lambda _i: self.refresh())
        layout.addWidget(self.combo)
        self.list = QListWidget(self)
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(26, 26))
        self.list.setGridSize(QSize(34, 34))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setUniformItemSizes(True)
        self.list.itemClicked.connect(self._clicked)
        self.list.itemDoubleClicked.connect(lambda _it: self.rename_selected())
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.buttons: dict[str, QToolButton] = {}
        for key, icon, tip, slot in (
            (
                "add",
                "mdi6.plus",
                "Add the current colour to the document palette",
                self.add_current,
            ),
            ("rename", "mdi6.rename-outline", "Rename the selected swatch", self.rename_selected),
            ("remove", "mdi6.minus", "Remove the selected swatch", self.remove_selected),
            (
                "load",
                "mdi6.folder-open-outline",
                "Load a palette file into the document palette",
                self.load_dialog,
            ),
            (
                "save",
                "mdi6.content-save-outline",
                "Save the shown palette to a file",
                self.save_dialog,
            ),
        ):
            b = QToolButton(self)
            b.setIcon(qta.icon(icon))
            b.setToolTip(tip)
            b.clicked.connect(slot)
            row.addWidget(b)
            self.buttons[key] = b
        row.addStretch(1)
        layout.addLayout(row)
        doc.changed.connect(self._on_doc_changed)
        self.refresh()

    def shown_palette(self) -> Palette:
        i = self.combo.currentIndex()
        return self.doc.palette if i <= 0 else self.presets[i - 1]

    def editable(self) -> bool:
        return self.combo.currentIndex() <= 0

    def refresh(self) -> None:
        self.list.clear()
        for sw in self.shown_palette().swatches:
            item = QListWidgetItem(swatch_icon(sw.rgb, 26), "")
            item.setToolTip(f"{sw.name}  {sw.hex}")
            item.setData(Qt.ItemDataRole.UserRole, sw.rgb)
            self.list.addItem(item)
        editable = self.editable()
        for key in ("rename", "remove"):
            self.buttons[key].setEnabled(editable)

    def _on_doc_changed(self, parts: Parts) -> None:
        if Part.PALETTE in parts and self.editable():
            self.refresh()

    def _clicked(self, item: QListWidgetItem) -> None:
        rgb = item.data(Qt.ItemDataRole.UserRole)
        if rgb is not None:
            self.state.set_color(tuple(rgb))  # type: ignore[arg-type]
            self.state.remember(tuple(rgb))  # type: ignore[arg-type]

    def add_current(self) -> None:
        from paintassist.core.types import rgb_to_hex

        rgb = self.state.color
        self.doc.palette.swatches.append(Swatch(rgb_to_hex(rgb), rgb))
        self.combo.setCurrentIndex(0)
        self.doc.palette_edited()

    def rename_selected(self) -> None:
        row = self.list.currentRow()
        if not self.editable() or row < 0:
            return
        sw = self.doc.palette.swatches[row]
        name, ok = QInputDialog.getText(self, "Rename colour", "Name:", text=sw.name)
        if ok and name.strip():
            sw.name = name.strip()
            self.doc.palette_edited()

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if not self.editable() or row < 0:
            return
        del self.doc.palette.swatches[row]
        self.doc.palette_edited()

    def load_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load palette", "", "Palettes (*.json)")
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> bool:
        """Append the file's swatches to the document palette; False (and error_message) if bad."""
        try:
            pal = Palette.load(path)
        except PaletteError as exc:
            self.error_message = str(exc)
            self.error.emit(self.error_message)
            return False
        self.doc.palette.swatches.extend(pal.swatches)
        self.combo.setCurrentIndex(0)
        self.doc.palette_edited()
        return True

    def save_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save palette", "palette.json", "Palettes (*.json)"
        )
        if path:
            try:
                self.shown_palette().save(path)
            except (OSError, PaintAssistError) as exc:
                self.error_message = f"{path}: {exc}"
                self.error.emit(self.error_message)
