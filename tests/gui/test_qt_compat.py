"""The PySide6 6.12.0 / CPython 3.11 ``None`` refcount leak must not kill the app."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtWidgets import QWidget

import paintassist.gui  # noqa: F401  (applies the guard)
from paintassist.gui import qt_compat


def test_void_qt_calls_do_not_leak_none_unless_the_guard_is_on(qtbot) -> None:  # type: ignore[no-untyped-def]
    """On the installed build: either a void Qt call gives back the ``None`` it returns, or the
    guard has been applied (a leaking build that the guard misses aborts after ~15,000 calls)."""
    w = QWidget()
    qtbot.addWidget(w)
    w.setWindowTitle("warm-up")
    before = sys.getrefcount(None)
    for _ in range(5_000):
        w.setWindowTitle("x")
    lost = before - sys.getrefcount(None)
    assert lost < 100 or qt_compat._applied, f"{lost} references to None lost in 5,000 calls"


@pytest.mark.parametrize(
    ("python", "shiboken", "expected"),
    [
        ((3, 11), "6.12.0", True),
        ((3, 11), "6.13.1", True),
        ((3, 11), "6.11.3", False),
        ((3, 12), "6.12.0", False),  # None is immortal from 3.12 on
        ((3, 11), None, False),
        ((3, 11), "6.12rc1", False),  # unparsable minor: not guessed at
    ],
)
def test_guard_is_needed_only_for_the_leaking_combination(
    python: tuple[int, int], shiboken: str | None, expected: bool
) -> None:
    assert qt_compat.needs_guard(python, shiboken) is expected


def test_guard_gives_none_its_ballast_exactly_once() -> None:
    code = (
        "import sys\n"
        "from paintassist.gui import qt_compat\n"
        "qt_compat._affected = lambda: True\n"
        "before = sys.getrefcount(None)\n"
        "assert qt_compat.protect_none_refcount() and qt_compat.protect_none_refcount()\n"
        "print(sys.getrefcount(None) - before - qt_compat._BALLAST)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert abs(int(out.stdout)) < 50  # the ballast, once (plus the odd temporary reference)
