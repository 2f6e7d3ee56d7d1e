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


def run_app(paths: list[str]) -> int:
    """Open the window (with the first of ``paths`` — a sketch or a ``.paintassist`` project —
    if given) and run the event loop. Returns the exit code."""
    app = make_app()
    window = MainWindow()
    window.show()
    if paths:
        window.open_path(Path(paths[0]), ask_save=False)
    else:
        window.offer_recovery()
    return int(app.exec())
