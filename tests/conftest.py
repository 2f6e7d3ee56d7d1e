"""Shared fixtures. Qt tests run offscreen; nothing here needs a display or a GPU."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PAINTASSIST_NO_AUTOSAVE_DIALOG", "1")
