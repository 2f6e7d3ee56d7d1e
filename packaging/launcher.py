"""Entry script of the frozen bundle's ``paintassist`` executable (same as the console script)."""

from __future__ import annotations

import multiprocessing

from paintassist.cli import main

if __name__ == "__main__":
    # A frozen child process re-runs this script: freeze_support() turns it back into the worker.
    multiprocessing.freeze_support()
    raise SystemExit(main())
