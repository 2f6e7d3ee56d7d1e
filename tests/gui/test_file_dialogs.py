"""Qt's own file dialog opens large enough for page names, in the detail view."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QTreeView

from paintassist.gui.file_dialogs import MIN_SIZE, NAME_COLUMN


def test_the_windows_file_dialogs_open_wide_in_detail_view(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / ("chapter_03_page_0042_final_inks_for_colour" + ".png")).write_bytes(b"")
    dialog = QFileDialog(window, "Open", str(tmp_path))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() >= MIN_SIZE[0] and dialog.height() >= MIN_SIZE[1]
    assert dialog.viewMode() == QFileDialog.ViewMode.Detail
    tree = [v for v in dialog.findChildren(QTreeView) if v.isVisible()]
    assert tree and tree[0].columnWidth(0) == NAME_COLUMN
    dialog.close()
