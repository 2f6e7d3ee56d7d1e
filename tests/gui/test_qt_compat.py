"""The PySide6 6.12.0 / CPython 3.11 ``None`` refcount leak must not kill the app."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QWidget

import paintassist.gui  # noqa: F401  (applies the guard)
from paintassist.gui import qt_compat


def test_many_void_qt_calls_do_not_exhaust_none(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = QWidget()
    qtbot.addWidget(w)
    for _ in range(40_000):  # unguarded, 6.12.0 on 3.11 aborts after ~15,000 of these
        w.setWindowTitle("x")
    assert sys.getrefcount(None) > 1000


def test_guard_applies_only_where_needed() -> None:
    assert qt_compat.protect_none_refcount() == qt_compat._affected()
