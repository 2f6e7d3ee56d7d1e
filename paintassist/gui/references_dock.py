"""References dock: style images as thumbnails, add / remove, and the strength slider.

Added images are decoded on a :class:`~paintassist.gui.background.Loader` thread; the undo step
that adds them is pushed on the GUI thread when they are ready.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import qtawesome as qta
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from paintassist.app.document import Document, Part, Parts, Reference
from paintassist.core.errors import PaintAssistError
from paintassist.core.types import Sketch
from paintassist.gui.background import Loader
from paintassist.gui.commands import push_part
from paintassist.gui.qimages import thumbnail
from paintassist.io.images import SUPPORTED_SUFFIXES as IMAGE_SUFFIXES
from paintassist.io.images import load_rgb

THUMB = 72
#: References are only style cues: keep at most this long side in memory.
MAX_REFERENCE_SIDE = 1024


def shrink(rgb: np.ndarray, long_side: int = MAX_REFERENCE_SIDE) -> np.ndarray:
    """uint8 (h, w, 3) downscaled so its long side is at most ``long_side`` px."""
    h, w = rgb.shape[:2]
    if max(h, w) <= long_side:
        return rgb
    s = long_side / max(h, w)
    return cv2.resize(
        rgb, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA
    )


def read_references(paths: list[Path]) -> tuple[list[Reference], list[str]]:
    """Decode and shrink ``paths`` (Qt-free, for the loader thread): (references, errors)."""
    refs: list[Reference] = []
    errors: list[str] = []
    for path in paths:
        try:
            refs.append(Reference(shrink(load_rgb(path)), path.stem, path))
        except (PaintAssistError, OSError) as exc:
            errors.append(str(exc))
    return refs, errors


class ReferencesDock(QWidget):
    """error(message): an image could not be read. added(count): references were added (after
    their decode finished)."""

    error = Signal(str)
    added = Signal(int)

    def __init__(
        self,
        doc: Document,
        stack: QUndoStack,
        parent: QWidget | None = None,
        loader: Loader | None = None,
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.stack = stack
        self.loader = loader if loader is not None else Loader(self)
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.list = QListWidget(self)
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setMinimumHeight(THUMB + 30)
        self.list.setToolTip("Style reference images — drop images here")
        layout.addWidget(self.list, 1)
        self.empty_hint = QLabel(
            "Drop style images here, or click the image-plus button. "
            "The colours follow them as strongly as the slider says.",
            self,
        )
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setEnabled(False)  # greyed: a hint, not content
        layout.addWidget(self.empty_hint)
        row = QHBoxLayout()
        self.add_button = QToolButton(self)
        self.add_button.setIcon(qta.icon("mdi6.image-plus"))
        self.add_button.setToolTip("Add reference images…")
        self.add_button.clicked.connect(self.add_dialog)
        self.remove_button = QToolButton(self)
        self.remove_button.setIcon(qta.icon("mdi6.image-remove"))
        self.remove_button.setToolTip("Remove the selected reference")
        self.remove_button.clicked.connect(self.remove_selected)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addSpacing(8)
        row.addWidget(QLabel("Strength"))
        self.strength = QSlider(Qt.Orientation.Horizontal, self)
        self.strength.setRange(0, 200)
        self.strength.setToolTip("How strongly the references steer the colours (0–200 %)")
        self.strength.valueChanged.connect(self._strength_changed)
        self.strength.sliderPressed.connect(self._new_scrub)
        self.strength_label = QLabel("100 %")
        self.strength_label.setMinimumWidth(44)
        row.addWidget(self.strength, 1)
        row.addWidget(self.strength_label)
        layout.addLayout(row)
        self._scrub = 0
        self._syncing = False
        doc.changed.connect(self._on_doc_changed)
        self._sync()

    def _new_scrub(self) -> None:
        self._scrub += 1

    def _strength_changed(self, value: int) -> None:
        self.strength_label.setText(f"{value} %")
        if self._syncing:
            return
        settings = replace(self.doc.settings, reference_strength=value / 100.0)
        push_part(
            self.stack,
            self.doc,
            Part.SETTINGS,
            settings,
            "Reference strength",
            ("ref-strength", self._scrub),
        )

    def _on_doc_changed(self, parts: Parts) -> None:
        if parts & {Part.REFERENCES, Part.SETTINGS, Part.SKETCH}:
            self._sync()

    def _sync(self) -> None:
        self._syncing = True
        try:
            self.strength.setValue(round(self.doc.settings.reference_strength * 100))
            self.strength_label.setText(f"{self.strength.value()} %")
            if self.list.count() != len(self.doc.references) or any(
                self.list.item(i).data(Qt.ItemDataRole.UserRole) != id(r)
                for i, r in enumerate(self.doc.references)
            ):
                self.list.clear()
                for ref in self.doc.references:
                    item = QListWidgetItem(QIcon(thumbnail(ref.rgb, THUMB)), ref.name)
                    item.setData(Qt.ItemDataRole.UserRole, id(ref))
                    item.setToolTip(str(ref.path) if ref.path else ref.name)
                    self.list.addItem(item)
            self.empty_hint.setVisible(not self.doc.references)
            self.list.setVisible(bool(self.doc.references))
        finally:
            self._syncing = False

    def add_dialog(self) -> None:
        pattern = " ".join(f"*{s}" for s in IMAGE_SUFFIXES)
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Add reference images", "", f"Images ({pattern})"
        )
        self.add_files([Path(p) for p in paths])

    def add_files(self, paths: list[Path]) -> None:
        """Decode images off the GUI thread, then add them as references (one undo step) and
        emit ``added``. Dropped if another sketch was opened meanwhile."""
        if not paths:
            return
        sketch, paths = self.doc.sketch, list(paths)
        self.loader.run(
            lambda: read_references(paths),
            lambda done: self._add(sketch, *done),
            lambda exc: self.error.emit(str(exc)),
        )

    def _add(self, sketch: Sketch | None, new: list[Reference], errors: list[str]) -> None:
        if self.doc.sketch is not sketch:
            return  # they were meant for the previous artwork
        for message in errors:
            self.error.emit(message)
        if new:
            push_part(
                self.stack,
                self.doc,
                Part.REFERENCES,
                (*self.doc.references, *new),
                "Add reference" if len(new) == 1 else f"Add {len(new)} references",
            )
            self.added.emit(len(new))

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        refs = list(self.doc.references)
        del refs[row]
        push_part(self.stack, self.doc, Part.REFERENCES, tuple(refs), "Remove reference")

    # drag and drop of image files
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        self.add_files([p for p in paths if p.suffix.lower() in IMAGE_SUFFIXES])
        event.acceptProposedAction()
