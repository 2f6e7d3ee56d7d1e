"""GUI benchmarks (offscreen): edit → preview latency, start-up, idle CPU, 1,000 rapid edits,
and canvas repaint cost on an A4 300-dpi page. Prints figures; asserts nothing.

    python bench/bench_gui.py                 # the first bundled sample
    python bench/bench_gui.py --sketch PATH   # any sketch
    python bench/bench_gui.py --quick         # fewer repetitions

Latency is measured through the real worker thread, the real pipeline and Qt's queued signals,
from just before the edit to the first paint of the canvas that shows the new preview.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PAINTASSIST_NO_AUTOSAVE_DIALOG", "1")
# Recent files and window layout of the benchmark runs go to a throw-away folder.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="paintassist-bench-")

import itertools

import numpy as np
from PySide6.QtCore import QEventLoop, QPointF, QTimer

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def default_sketch() -> Path | None:
    from paintassist.paths import sample_sketches

    samples = sample_sketches()
    return samples[0] if samples else None


def wait_events(app: object, ms: int) -> None:
    """Run the event loop for ``ms`` without spinning (so CPU use is real idle use)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(app, cond, timeout_s: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    """Run the event loop until ``cond()``, sleeping between events. (``processEvents(flags,
    ms)`` ignores WaitForMoreEvents and returns at once when idle: a loop of it spun one of the
    two cores and halved the worker's torch speed, which the measured latencies then showed.)"""
    end = time.perf_counter() + timeout_s
    while not cond():
        if time.perf_counter() > end:
            return False
        wait_events(app, 3)
    return True


# -- start-up (child process) ----------------------------------------------------------------------
def startup_child(sketch: str) -> None:
    t_import = time.perf_counter()
    from paintassist.gui.app import make_app
    from paintassist.gui.main_window import MainWindow

    app = make_app()
    win = MainWindow(recovery=False)
    win.show()
    if sketch != "-":
        win.open_path(Path(sketch), ask_save=False)  # decoded on the loader thread
        win.loader.wait_idle(60)
    app.processEvents()
    print(f"READY {time.perf_counter() - t_import:.3f}", flush=True)
    shown = wait_until(app, lambda: win.last_result is not None, 60)
    print(f"PREVIEW {time.perf_counter() - t_import:.3f} {int(shown)}", flush=True)
    nets = win.status_bar.nets_label
    print(f"STATUS {nets.toolTip() or nets.text()}", flush=True)
    win.doc.mark_saved()
    win.close()


def bench_startup(sketch: Path | None, runs: int) -> None:
    ready, preview = [], []
    status = ""
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, __file__, "--startup-child", str(sketch) if sketch else "-"],
            stdout=subprocess.PIPE, text=True, cwd=REPO)
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("READY"):
                ready.append(time.perf_counter() - t0)
            elif line.startswith("PREVIEW"):
                preview.append(time.perf_counter() - t0)
            elif line.startswith("STATUS"):
                status = line[7:].strip()
        proc.wait()
    print(f"start-up, process launch → window shown with the sample loaded: "
          f"median {statistics.median(ready):.2f} s (runs: {', '.join(f'{r:.2f}' for r in ready)})")
    print(f"start-up, process launch → first colour preview on screen: "
          f"median {statistics.median(preview):.2f} s  [{status}]")


# -- in-process benchmarks -------------------------------------------------------------------------
def open_window(sketch_path: Path | None):  # type: ignore[no-untyped-def]
    from paintassist.app.services import build_pipeline
    from paintassist.gui.app import make_app
    from paintassist.gui.main_window import MainWindow

    app = make_app()
    win = MainWindow(pipeline_factory=build_pipeline, recovery=False)
    win.resize(1400, 900)
    win.show()
    status: list[str] = []
    win.worker.pipeline_ready.connect(status.append)
    if sketch_path is not None:
        win.open_path(sketch_path, ask_save=False)  # with <stem>.json beside it, if any
        win.loader.wait_idle(60)
    else:
        from common import synth_page  # type: ignore[import-not-found]

        from paintassist.core.types import Sketch

        win.set_sketch(Sketch(synth_page(1, (1100, 1400))))
    wait_until(app, lambda: bool(status) and win.last_result is not None
               and not win.preview.busy, 120)
    wait_events(app, 300)
    return app, win, status[0] if status else "?"


def region_points(win, n: int, rng: random.Random) -> list[tuple[float, float]]:  # type: ignore[no-untyped-def]
    """Random points on paper (not on ink) of the sketch."""
    ink = win.doc.sketch.ink
    h, w = ink.shape
    pts: list[tuple[float, float]] = []
    while len(pts) < n:
        x, y = rng.uniform(0, w - 1), rng.uniform(0, h - 1)
        if ink[int(y), int(x)] < 0.2:
            pts.append((x, y))
    return pts


def bench_latency(app, win, kind: str, runs: int, rng: random.Random) -> list[float]:  # type: ignore[no-untyped-def]
    shown: dict[int, float] = {}
    win.canvas.preview_shown.connect(lambda rid, _stage, t: shown.setdefault(rid, t))
    win.state.set_tool(kind)
    out: list[float] = []
    for x, y in region_points(win, runs, rng):
        win.state.set_color((rng.randrange(256), rng.randrange(256), rng.randrange(256)))
        t0 = time.perf_counter()
        win.tools.press(x, y)
        win.tools.release(x, y)
        rid = win.preview.latest_id
        if not wait_until(app, lambda rid=rid: rid in shown, 30):
            print(f"  {kind}: no preview within 30 s")
            continue
        out.append(shown[rid] - t0)
        wait_until(app, lambda: not win.preview.busy, 30)
        wait_events(app, 200)  # let the debounce window pass: the next edit is a fresh one
    return out


def bench_idle(app, seconds: float = 3.0) -> float:  # type: ignore[no-untyped-def]
    c0, t0 = time.process_time(), time.perf_counter()
    wait_events(app, int(seconds * 1000))
    return 100.0 * (time.process_time() - c0) / (time.perf_counter() - t0)


def bench_rapid_edits(app, win, n: int, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    from paintassist.gui.tool_state import TOOLS

    requests: dict[int, object] = {}
    orig_submit = win.worker.submit

    def submit(req) -> None:  # type: ignore[no-untyped-def]
        requests[req.id] = req.hints
        orig_submit(req)

    win.worker.submit = submit  # type: ignore[method-assign]
    shown: list[int] = []
    stale_shown = 0

    def on_ready(result) -> None:  # type: ignore[no-untyped-def]
        nonlocal stale_shown
        if result.request_id != win.preview.latest_id:
            stale_shown += 1
        shown.append(result.request_id)

    win.preview.preview_ready.connect(on_ready)
    gc.collect()
    rss0 = rss_mb()
    pts = region_points(win, 400, rng)
    t0 = time.perf_counter()
    for _i in range(n):
        op = rng.random()
        x, y = rng.choice(pts)
        if op < 0.05 and win.stack.canUndo():
            win.stack.undo()
        elif op < 0.12 and len(win.doc.hints):
            win.state.set_tool("eraser")
            h = win.doc.hints[rng.randrange(len(win.doc.hints))]
            win.tools.press(h.x, h.y)
            win.tools.release(h.x, h.y)
        elif op < 0.30 and len(win.doc.hints):
            win.state.set_tool("select")
            h = win.doc.hints[rng.randrange(len(win.doc.hints))]
            win.tools.press(h.x, h.y)
            for k in range(1, 4):
                win.tools.move(h.x + (x - h.x) * k / 3, h.y + (y - h.y) * k / 3)
            win.tools.release(x, y)
            if rng.random() < 0.3:
                win.state.set_color((rng.randrange(256), rng.randrange(256), rng.randrange(256)))
        else:
            win.state.set_tool("accurate" if op < 0.85 else "draft")
            win.state.set_color((rng.randrange(256), rng.randrange(256), rng.randrange(256)))
            win.tools.press(x, y)
            win.tools.release(x, y)
        if rng.random() < 0.1:
            win.canvas.zoom_by(rng.choice([0.8, 1.25]), QPointF(300, 300))
        app.processEvents()
        time.sleep(0.002)  # ~2-3 ms between input events, faster than any hand
    t_edit = time.perf_counter() - t0
    wait_until(app, lambda: not win.preview.busy and win.preview.shown_id == win.preview.latest_id,
               60)
    wait_events(app, 300)
    gc.collect()
    rss1 = rss_mb()
    final_ok = (win.last_result is not None
                and win.last_result.request_id == win.preview.latest_id
                and requests.get(win.last_result.request_id) == win.doc.hints)
    monotonic = all(a <= b for a, b in itertools.pairwise(shown))
    print(f"{n} rapid random edits in {t_edit:.1f} s: {len(requests)} requests submitted, "
          f"{win.worker.completed_count} completed, {win.worker.cancelled_count} cancelled, "
          f"{win.preview.stale_dropped} stale results dropped in the GUI")
    print(f"  frames shown {len(shown)}; stale frames shown: {stale_shown}; ids monotonic: "
          f"{monotonic}; final frame = final document: {final_ok}; hints at end "
          f"{len(win.doc.hints)}; undo steps {win.stack.count()}")
    print(f"  memory: RSS {rss0:.0f} MB → {rss1:.0f} MB (growth {rss1 - rss0:+.0f} MB)")
    del TOOLS


def bench_a4_canvas(app, win) -> None:  # type: ignore[no-untyped-def]
    from common import A4_300DPI, synth_page  # type: ignore[import-not-found]

    ink = synth_page(2, A4_300DPI)
    win.preview.enabled = False  # only the canvas is measured here
    win.sharp.enabled = False
    win.canvas.set_sketch(ink)
    small = (np.random.default_rng(0).integers(0, 255, (768, 543, 3))).astype(np.uint8)
    win.canvas.set_preview(small)
    vp = win.canvas.viewport()
    for label, zoom in (("fit", None), ("25 %", 0.25), ("100 %", 1.0), ("400 %", 4.0)):
        if zoom is None:
            win.canvas.fit()
        else:
            win.canvas.set_zoom(zoom)
        times = []
        for i in range(12):
            win.canvas._scroll_by(37 if i % 2 else -29, 23)
            t = time.perf_counter()
            vp.repaint()
            times.append(time.perf_counter() - t)
        print(f"  A4 300-dpi canvas, pan step + repaint at {label:>5}: median "
              f"{1000 * statistics.median(times):.1f} ms, max {1000 * max(times):.1f} ms")
    for mode in ("sketch", "side"):
        win.canvas.set_view_mode(mode)
        t = time.perf_counter()
        vp.repaint()
        print(f"  A4 canvas repaint in {mode!r} view: {1000 * (time.perf_counter() - t):.1f} ms")


class StallMeter:
    """Longest gap between ticks of a 10-ms timer on the GUI thread: how long the window froze."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.worst = 0.0
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def start(self) -> None:
        self.last, self.worst = time.perf_counter(), 0.0
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return self.worst


def bench_big_page(app, win, rng: random.Random, runs: int) -> None:  # type: ignore[no-untyped-def]
    """A 5-MP page: opening it (the window must not freeze), a dot and a draft square on it, and
    the sharp tiles of the view at 100 %."""
    from common import synth_page  # type: ignore[import-not-found]

    from paintassist.core.lineart import ink_to_grey
    from paintassist.core.sharp import tiles_in_view
    from paintassist.io.png import encode_png

    path = Path(tempfile.mkdtemp(prefix="paintassist-bench-")) / "page_5mp.png"
    path.write_bytes(encode_png(ink_to_grey(synth_page(7, (2500, 2000)))))
    meter = StallMeter()
    meter.start()
    t0 = time.perf_counter()
    win.open_path(path, ask_save=False)
    wait_until(app, lambda: win.doc.sketch is not None and win.doc.sketch.shape == (2500, 2000)
               and win.last_result is not None and not win.preview.busy, 120)
    t_open = time.perf_counter() - t0
    stall = meter.stop()
    print(f"5-MP page (2000×2500 PNG): open → first preview {t_open:.2f} s; longest GUI freeze "
          f"{1000 * stall:.0f} ms (decoding on the loader thread)")
    for kind, target in (("accurate", 150), ("draft", 400)):
        meter.start()
        lat = bench_latency(app, win, kind, runs, rng)
        stall = meter.stop()
        if lat:
            print(f"  5-MP {kind:8} edit → first preview pixels: median "
                  f"{1000 * statistics.median(lat):.0f} ms (target ≤ {target} ms at 768 px); "
                  f"longest GUI freeze {1000 * stall:.0f} ms")
    w, h = win.canvas.sketch_size
    win.canvas.zoom_100()
    win.canvas.centerOn(w / 2, h / 3)
    t0 = time.perf_counter()

    def sharp() -> bool:
        view = win.canvas.visible_rect()
        return view is not None and set(tiles_in_view(view, w, h)) <= set(win.canvas.tiles)

    ok = wait_until(app, sharp, 120)
    n = len(win.canvas.tiles)
    print(f"  100 % zoom: the view's {n} full-resolution tiles on screen after "
          f"{time.perf_counter() - t0:.2f} s" + ("" if ok else " (not all within 120 s)"))
    win.canvas.fit()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sketch", type=Path, default=None)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--edits", type=int, default=1000)
    ap.add_argument("--skip-big", action="store_true", help="skip the 5-MP page")
    ap.add_argument("--startup-child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.startup_child is not None:
        startup_child(args.startup_child)
        return
    sketch = args.sketch or default_sketch()
    runs = 5 if args.quick else 15
    print(f"sketch: {sketch or 'synthetic 1100×1400 page'}; {os.cpu_count()} CPUs; "
          f"Qt platform {os.environ['QT_QPA_PLATFORM']}")
    bench_startup(sketch, 2 if args.quick else 3)
    app, win, status = open_window(sketch)
    h, w = win.doc.sketch.shape
    print(f"pipeline: {status}; preview long side {win.doc.settings.preview_long_side} px "
          f"(sketch {w}×{h}); {len(win.doc.hints)} hints loaded")
    rng = random.Random(1)
    for kind, target in (("accurate", 150), ("draft", 400)):
        lat = bench_latency(app, win, kind, runs, rng)
        if lat:
            print(f"edit → first preview pixels on screen, {kind:8} hint: median "
                  f"{1000 * statistics.median(lat):.0f} ms, max {1000 * max(lat):.0f} ms "
                  f"over {len(lat)} edits (target ≤ {target} ms)")
    print(f"idle CPU with the window open: {bench_idle(app):.2f} % of one core")
    if not args.skip_big:
        bench_big_page(app, win, rng, 3 if args.quick else 7)
        win.open_path(sketch, ask_save=False) if sketch else None
        win.loader.wait_idle(60)
        wait_until(app, lambda: win.last_result is not None and not win.preview.busy, 60)
    bench_rapid_edits(app, win, args.edits if not args.quick else min(args.edits, 300), rng)
    bench_a4_canvas(app, win)
    print(f"idle CPU after all that: {bench_idle(app):.2f} % of one core")
    win.doc.mark_saved()
    win.close()


if __name__ == "__main__":
    main()
