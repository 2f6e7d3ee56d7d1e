"""Shared fixtures and options. Qt tests run offscreen; nothing here needs a display or a GPU.

Markers: ``gui`` is added automatically to every test under ``tests/gui`` (run the engine alone
with ``-m "not gui"``); ``slow`` marks tests of more than a few seconds (``-m "not slow"`` for a
quick loop). ``--device`` / ``--dtype`` choose where the network tests run (kornia-style), e.g.
``pytest tests/nets --device cuda --dtype bfloat16`` on a GPU machine.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PAINTASSIST_NO_AUTOSAVE_DIALOG", "1")

_GUI_TESTS = Path(__file__).resolve().parent / "gui"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("paintassist")
    group.addoption("--device", default="cpu", help="torch device of the network tests (cpu, cuda)")
    group.addoption(
        "--dtype",
        default="float32",
        choices=("float32", "bfloat16", "float16"),
        help="torch dtype of the network tests",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    del config
    for item in items:
        if _GUI_TESTS in item.path.resolve().parents:
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _private_user_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Recovery files, recent files, palettes and settings go to a per-test folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("PAINTASSIST_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PAINTASSIST_NO_AUTOSAVE_DIALOG", "1")
