"""The real window on X11 (Xvfb + xcb) with real X key and mouse events (xdotool): the keys an
artist presses do what they say — including Ctrl+Shift+Z, which the platform binds for Redo and
the offscreen tests cannot see — and a typed hex colour gives the keys back to the canvas."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        any(shutil.which(t) is None for t in ("Xvfb", "xdotool", "import")),
        reason="needs Xvfb, xdotool and imagemagick (run.sh installs them)",
    ),
]


def test_an_artists_session_in_the_real_x11_window(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "tools" / "x11_session.py"), "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=400,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("SESSION ")]
    assert proc.returncode == 0 and lines, proc.stderr[-3000:]
    r = json.loads(lines[-1][len("SESSION "):])
    assert r["platform"] == "xcb"
    assert r["keys_bound_twice"] == [] and "Ctrl+Shift+Z" in r["redo_keys"]  # xcb's own bindings
    assert r["tool_after_a"] == "accurate" and r["hints_after_dot"] == 1
    assert r["tool_after_d"] == "draft" and r["hints_after_square"] == 2
    assert r["hints_after_undo"] == 1 and r["hints_after_redo"] == 2  # Ctrl+Z, Ctrl+Shift+Z
    assert r["colour_after_hex"] == "#c04060" and r["hex_text"] == "#c04060"
    assert r["tool_after_hex_then_d"] == "draft" and r["focus_on_canvas"]
    assert any(name.endswith("composite.png") for name in r["exported"])
    assert "Ambiguous shortcut" not in proc.stderr
    for shot in ("1_opened.png", "2_dot_and_square.png", "3_after_hex.png", "4_shortcuts.png"):
        assert (tmp_path / shot).stat().st_size > 10_000
