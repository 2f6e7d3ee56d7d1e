"""Qt's own file dialog (used where the desktop offers no native one, e.g. plain X11) opens small,
in list view, and cuts long page names ("chapter_03_page_0…"). :class:`FileDialogSizer` gives
every such dialog of the application room: at least 960×600, the detail view, and a name column
wide enough for the names. The static ``QFileDialog.get…`` calls stay as they are."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QFileDialog, QTreeView

MIN_SIZE = (960, 600)
NAME_COLUMN = 520


class FileDialogSizer(QObject):
    """Application event filter: sizes each Qt file dialog when it is first shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        shown = event.type() == QEvent.Type.Show and isinstance(watched, QFileDialog)
        if shown and not watched.property("paintassist_sized"):
            watched.setProperty("paintassist_sized", True)
            size_file_dialog(watched)  # type: ignore[arg-type]
        return False


def size_file_dialog(dialog: QFileDialog) -> None:
    dialog.resize(max(dialog.width(), MIN_SIZE[0]), max(dialog.height(), MIN_SIZE[1]))
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    for view in dialog.findChildren(QTreeView):
        view.setColumnWidth(0, NAME_COLUMN)
        view.setTextElideMode(view.textElideMode().ElideMiddle)
