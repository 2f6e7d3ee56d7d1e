"""Shared fixtures. Qt tests run offscreen; nothing here needs a display or a GPU."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PAINTASSIST_NO_AUTOSAVE_DIALOG", "1")


@pytest.fixture(autouse=True)
def _private_user_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Recovery files, recent files and palettes go to a per-test folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("PAINTASSIST_NO_AUTOSAVE_DIALOG", "1")
