"""Application entry point: ``run_app(paths)`` creates the QApplication and the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from paintassist import __version__
from paintassist.gui.main_window import APP_NAME, MainWindow, app_icon


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else [sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setWindowIcon(app_icon())
    return app


def open_windows(paths: list[str]) -> list[MainWindow]:
    """One window per file given (a sketch or a ``.paintassist`` project), as a file manager's
    "Open with" (the desktop entry's ``%F``) passes them; one empty window, which offers crash
    recovery, when there are none. The windows are shown and returned (keep them alive)."""
    if not paths:
        window = MainWindow()
        window.show()
        window.offer_recovery()
        return [window]
    windows = []
    for i, path in enumerate(paths):
        window = MainWindow()
        window.move(window.x() + 40 * i, window.y() + 40 * i)  # a cascade, not a stack
        window.show()
        window.open_path(Path(path), ask_save=False)
        windows.append(window)
    return windows


def run_app(paths: list[str]) -> int:
    """Open a window per file in ``paths`` (or an empty one) and run the event loop."""
    app = make_app()
    windows = open_windows(paths)
    code = int(app.exec())
    del windows
    return code
