"""Soak: 1,000 random edits in the real window (tools, drags, undo/redo, colours, settings) on
the classical pipeline, with the live preview running. Prints the RSS growth; fails on an
exception or on growth that only a leak explains."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from fakes import make_sketch

from paintassist.app.document import Part
from paintassist.app.services import classical_pipeline
from paintassist.gui.main_window import MainWindow


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


@pytest.mark.slow
def test_a_thousand_random_edits(qtbot, capsys) -> None:  # type: ignore[no-untyped-def]
    win = MainWindow(pipeline_factory=classical_pipeline, recovery=False, debounce_ms=1)
    qtbot.addWidget(win)
    win.files.set_sketch(make_sketch(300, 400))
    tools, state, stack, doc = win.tools, win.state, win.stack, win.doc
    rng = random.Random(11)
    rss: list[float] = []
    for i in range(1000):
        op = rng.random()
        x, y = rng.uniform(0, 400), rng.uniform(0, 300)
        if op < 0.35:
            state.set_tool(rng.choice(["draft", "accurate"]))
            state.set_color(tuple(rng.randrange(256) for _ in range(3)))
            tools.press(x, y)
            tools.move(x + rng.uniform(-30, 30), y + rng.uniform(-30, 30))
            tools.release(x, y)
        elif op < 0.5:
            state.set_tool("select")
            tools.press(x, y, tolerance=8)
            tools.move(x + 5, y + 5, tolerance=8)
            tools.release(x + 5, y + 5, tolerance=8)
        elif op < 0.6:
            state.set_tool("eraser")
            tools.press(x, y, tolerance=10)
            tools.release(x, y, tolerance=10)
        elif op < 0.75:
            stack.undo()
        elif op < 0.85:
            stack.redo()
        elif op < 0.95:
            settings = replace(doc.settings, gap_px=rng.randrange(0, 12))
            doc.set_part(Part.SETTINGS, settings)
        else:
            doc.set_part(
                Part.SETTINGS, doc.settings.with_layer("shading", visible=rng.random() < 0.5)
            )
        if i % 25 == 0:
            qtbot.wait(5)  # let previews run and land
        if i in (200, 999):
            rss.append(_rss_mb())
    qtbot.waitUntil(lambda: win.last_result is not None, timeout=10000)
    growth = rss[-1] - rss[0]
    with capsys.disabled():
        print(
            f"\nsoak: 1000 edits, {len(doc.hints)} hints, undo stack {stack.count()}, RSS {rss[0]:.0f} -> {rss[-1]:.0f} MB (+{growth:.0f} MB)"
        )
    assert growth < 150, growth
    doc.mark_saved()
    win.close()
