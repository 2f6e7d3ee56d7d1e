"""An artist's session in the real window on X11 (Xvfb, the xcb platform), with real key and mouse
events from ``xdotool`` (XTEST): open a sketch, dot, square, undo, redo with Ctrl+Shift+Z, type a
colour in the hex field + Enter then press a tool key, export. Prints one JSON line of what the
window did after each step and saves four screenshots of the screen (``import -window root``).

    python tools/x11_session.py --out DIR [--sketch PATH]

Needs Debian ``xvfb``, ``xdotool``, ``imagemagick`` and Qt's xcb libraries; starts its own Xvfb.
The test ``tests/gui/test_x11_session.py`` runs it and checks the JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))


def _xdo(*args: str) -> None:
    subprocess.run(["xdotool", *args], check=True, timeout=20)


def child(out: Path, sketch: Path) -> None:
    """Runs inside the X session: the app, the events, the checks."""
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest

    from paintassist.core.pipeline import Pipeline
    from paintassist.core.types import rgb_to_hex
    from paintassist.gui.app import make_app
    from paintassist.gui.main_window import MainWindow

    app = make_app()
    win = MainWindow(pipeline_factory=Pipeline, recovery=False, debounce_ms=30)
    win.resize(1500, 950)
    win.move(0, 0)
    win.show()
    report: dict[str, object] = {"platform": app.platformName()}
    bound = [k.toString() for a in win.acts.values() for k in a.shortcuts() if not k.isEmpty()]
    report["keys_bound_twice"] = sorted({k for k in bound if bound.count(k) > 1})
    report["redo_keys"] = [k.toString() for k in win.acts["redo"].shortcuts()]

    def wait(ms: int) -> None:
        QTest.qWait(ms)

    def until(cond, timeout_s: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
        end = time.time() + timeout_s
        while not cond() and time.time() < end:
            QTest.qWait(20)
        return bool(cond())

    def shot(name: str) -> None:
        wait(300)
        subprocess.run(["import", "-window", "root", str(out / name)], check=True, timeout=30)

    def screen(x: float, y: float) -> QPoint:
        """Sketch px → global screen px of the canvas."""
        return win.canvas.viewport().mapToGlobal(win.canvas.view_point(x, y).toPoint())

    def click(p: QPoint) -> None:
        _xdo("mousemove", str(p.x()), str(p.y()))
        wait(80)
        _xdo("click", "1")
        wait(150)

    wait(500)
    report["guide_before"] = win.canvas.guide_text[:40]
    win.open_path(sketch, ask_save=False)
    until(lambda: win.doc.sketch is not None and win.last_result is not None)
    h, w = win.doc.sketch.shape if win.doc.sketch is not None else (0, 0)
    n0 = len(win.doc.hints)
    shot("1_opened.png")
    centre = screen(-w * 0.04, h * 0.5)  # on the canvas, beside the page: no hint
    click(centre)  # focus the canvas (no window manager)
    _xdo("key", "a")
    wait(150)
    report["tool_after_a"] = win.state.tool
    click(screen(w * 0.45, h * 0.3))
    report["hints_after_dot"] = len(win.doc.hints) - n0
    _xdo("key", "d")
    wait(150)
    report["tool_after_d"] = win.state.tool
    p0, p1 = screen(w * 0.3, h * 0.7), screen(w * 0.4, h * 0.78)
    _xdo("mousemove", str(p0.x()), str(p0.y()), "mousedown", "1")
    wait(100)
    _xdo("mousemove", str(p1.x()), str(p1.y()))
    wait(100)
    _xdo("mouseup", "1")
    wait(200)
    report["hints_after_square"] = len(win.doc.hints) - n0
    until(lambda: not win.preview.busy)
    shot("2_dot_and_square.png")
    _xdo("key", "ctrl+z")
    wait(200)
    report["hints_after_undo"] = len(win.doc.hints) - n0
    _xdo("key", "ctrl+shift+z")
    wait(200)
    report["hints_after_redo"] = len(win.doc.hints) - n0
    # The hex field: click it, select all, type, Enter; then D must be the tool key again.
    hexf = win.options.color_bar.hex_edit
    click(hexf.mapToGlobal(hexf.rect().center()))
    _xdo("key", "ctrl+a")
    _xdo("type", "#c04060")
    _xdo("key", "Return")
    wait(200)
    report["colour_after_hex"] = rgb_to_hex(win.state.color)
    win.state.set_tool("accurate")
    _xdo("mousemove", str(centre.x()), str(centre.y()))  # keys go to the window under the pointer
    wait(100)
    _xdo("key", "d")
    wait(200)
    report["tool_after_hex_then_d"] = win.state.tool
    report["hex_text"] = hexf.text()
    report["focus_on_canvas"] = win.canvas.hasFocus()
    shot("3_after_hex.png")
    win.acts["shortcuts"].trigger()
    wait(300)
    shot("4_shortcuts.png")
    from paintassist.io.export import export_result

    until(lambda: not win.preview.busy)
    request = win.doc.make_request(full_resolution=True)
    assert request is not None
    result = win.worker.colorize_and_wait(request)
    export_result(result, out / "export", sketch.stem)
    report["exported"] = sorted(str(p.relative_to(out / "export")) for p in
                                (out / "export").rglob("*") if p.is_file())[:20]
    print("SESSION " + json.dumps(report), flush=True)
    win.doc.mark_saved()
    win.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--sketch", type=Path, default=None)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.sketch is None:
        from paintassist.paths import sample_sketches

        args.sketch = sample_sketches()[0]
    if args.child:
        child(args.out, args.sketch)
        return
    for tool in ("Xvfb", "xdotool", "import"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} not found: apt-get install xvfb xdotool imagemagick")
    from screenshot import start_xvfb  # type: ignore[import-not-found]

    xvfb = start_xvfb()
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", PAINTASSIST_NO_AUTOSAVE_DIALOG="1")
    home = tempfile.mkdtemp(prefix="paintassist-x11-")
    env.update(PAINTASSIST_CONFIG_DIR=f"{home}/config", XDG_DATA_HOME=f"{home}/data")
    try:
        proc = subprocess.run(
            [sys.executable, __file__, "--child", "--out", str(args.out), "--sketch",
             str(args.sketch)],
            env=env, capture_output=True, text=True, timeout=300,
        )
    finally:
        xvfb.terminate()
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr[-4000:])
    sys.exit(proc.returncode)


if __name__ == "__main__":
    main()
