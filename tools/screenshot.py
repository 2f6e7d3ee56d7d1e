"""Run the real window under Xvfb (xcb platform) with a bundled sample and its hints, and save a
screenshot of the screen (default ``docs/images/screenshot.png``).

    python tools/screenshot.py [--out PATH] [--sketch PATH] [--view preview|side|sketch]

Starts its own Xvfb server when ``DISPLAY`` is unset (Debian: ``xvfb``, ``libxcb-icccm4``,
``libxcb-keysyms1``, ``libxcb-cursor0``). Nothing is written except the screenshot.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SIZE = (1600, 1000)


def start_xvfb() -> subprocess.Popen[bytes]:
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        sys.exit("Xvfb not found: install the Debian package 'xvfb'")
    for display in range(91, 120):
        if Path(f"/tmp/.X11-unix/X{display}").exists() or Path(f"/tmp/.X{display}-lock").exists():
            continue
        proc = subprocess.Popen(
            [xvfb, f":{display}", "-screen", "0", f"{SIZE[0]}x{SIZE[1]}x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            if Path(f"/tmp/.X11-unix/X{display}").exists():
                os.environ["DISPLAY"] = f":{display}"
                return proc
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        proc.kill()
    sys.exit("could not start Xvfb")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "images" / "screenshot.png")
    ap.add_argument("--sketch", type=Path, default=None)
    ap.add_argument("--view", default="preview", choices=["preview", "side", "sketch"])
    args = ap.parse_args()

    xvfb = start_xvfb() if not os.environ.get("DISPLAY") else None
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    os.environ["PAINTASSIST_NO_AUTOSAVE_DIALOG"] = "1"
    # A fresh settings folder: the picture must not depend on this user's saved window layout.
    settings_dir = tempfile.mkdtemp(prefix="paintassist-shot-")
    os.environ["XDG_DATA_HOME"] = settings_dir
    try:
        return shoot(args.out, args.sketch, args.view)
    finally:
        shutil.rmtree(settings_dir, ignore_errors=True)
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(5)


def shoot(out: Path, sketch: Path | None, view: str) -> int:
    from PySide6.QtCore import QEventLoop, QTimer

    from paintassist.gui.app import make_app
    from paintassist.gui.main_window import MainWindow
    from paintassist.paths import sample_sketches

    app = make_app()
    win = MainWindow(recovery=False)
    win.setGeometry(0, 0, *SIZE)
    win.show()
    samples = sample_sketches()
    if sketch is None and samples:
        sketch = samples[0]
    if sketch is not None:
        win.open_path(sketch, ask_save=False)  # loads <stem>.json beside it, as the CLI does
        win.loader.wait_idle()  # the decode runs off the GUI thread, its result lands here
    else:  # no bundled samples: a synthetic page
        sys.path.insert(0, str(REPO / "bench"))
        from common import synth_page  # type: ignore[import-not-found]

        from paintassist.core.types import Sketch

        win.set_sketch(Sketch(synth_page(3, (1100, 1400))))
    win.palette_dock.combo.setCurrentIndex(2)  # show a preset (hair) in the palette dock
    if len(win.doc.hints):
        win.state.set_tool("select")
        win.tools.select(len(win.doc.hints) - 1)
    win.set_view_mode(view)

    def spin(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    deadline = time.time() + 90

    def settled() -> bool:  # networks (if shipped) loaded and their preview on screen
        loading = "loading" in win.status_bar.nets_label.toolTip()
        return not loading and win.last_result is not None and not win.preview.busy

    while not settled() and time.time() < deadline:
        spin(100)
    spin(500)
    out.parent.mkdir(parents=True, exist_ok=True)
    screen = app.primaryScreen()
    image = screen.grabWindow(0, 0, 0, *SIZE)
    if not image.save(str(out)):
        print(f"could not write {out}", file=sys.stderr)
        return 1
    print(
        f"saved {out} ({image.width()}×{image.height()}); preview: "
        f"{'yes' if win.last_result is not None else 'NO'}; {win.status_bar.nets_label.toolTip()}"
    )
    win.doc.mark_saved()
    win.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
