"""What the import-linter contracts (pyproject.toml, run by ``lint-imports``) cannot see: what an
import *loads*. Importing the CLI, the engine and the Qt-free application loads no model, no torch
and no Qt, so ``paintassist colorize --help`` and the window's first paint stay fast."""

from __future__ import annotations

import subprocess
import sys


def test_importing_engine_app_and_cli_loads_no_qt_and_no_torch() -> None:
    code = (
        "import sys; import paintassist.cli, paintassist.core.pipeline, paintassist.io.export, "
        "paintassist.io.images, paintassist.core.lighting, paintassist.app.document, "
        "paintassist.app.project, paintassist.app.recovery, paintassist.app.services; "
        "bad = [m for m in ('PySide6', 'torch') if m in sys.modules]; print(bad); sys.exit(bool(bad))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
