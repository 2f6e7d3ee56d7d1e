"""Layering rules: only paintassist.gui imports Qt; importing the engine loads no model and no Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "paintassist"
QT_FREE = ("core", "io", "nets", "training", "peers")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_engine_packages_never_import_qt() -> None:
    offenders = []
    for sub in QT_FREE:
        for path in (PACKAGE / sub).rglob("*.py"):
            bad = {
                n
                for n in _imports(path)
                if n.split(".")[0] in ("PySide6", "qtawesome", "shiboken6")
                or n.startswith("paintassist.gui")
            }
            if bad:
                offenders.append(f"{path.relative_to(PACKAGE)}: {sorted(bad)}")
    assert offenders == []


def test_importing_engine_and_cli_loads_no_qt_and_no_torch() -> None:
    code = (
        "import sys; import paintassist.cli, paintassist.core.pipeline, paintassist.io.export, "
        "paintassist.io.images, paintassist.core.lighting; "
        "bad = [m for m in ('PySide6', 'torch') if m in sys.modules]; print(bad); sys.exit(bool(bad))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
