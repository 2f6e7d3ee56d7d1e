"""Entry script of the frozen bundle's ``paintassist-gui`` executable (no console on Windows)."""

from __future__ import annotations

import multiprocessing

from paintassist.cli import gui_main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    raise SystemExit(gui_main())
