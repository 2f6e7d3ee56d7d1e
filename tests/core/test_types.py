"""Sketch fingerprints (computed once, never keeping a sketch alive) and the hint sets' strokes."""

from __future__ import annotations

import gc
import os
import weakref
from pathlib import Path

import cv2
import numpy as np
import pytest

from paintassist.core.lineart import ink_to_grey
from paintassist.core.types import Sketch
from paintassist.io.png import encode_png


def _ink(seed: int, shape: tuple[int, int] = (60, 80)) -> np.ndarray:
    return np.random.default_rng(seed).random(shape, dtype=np.float32)


def test_fingerprint_is_a_content_hash_computed_once() -> None:
    a, b = Sketch(_ink(0)), Sketch(_ink(0))
    assert a.fingerprint == b.fingerprint and len(a.fingerprint) == 32
    assert a.fingerprint is a.fingerprint  # cached on the object, not recomputed
    assert Sketch(_ink(1)).fingerprint != a.fingerprint
    # same bytes, other shape: another sketch
    assert Sketch(a.ink.reshape(80, 60)).fingerprint != a.fingerprint
    assert "_fingerprint" not in repr(a)


def test_a_fingerprinted_sketch_dies_with_its_last_reference() -> None:
    ink = _ink(2)
    sketch = Sketch(ink)
    assert sketch.fingerprint
    ref = weakref.ref(ink)  # Sketch has slots and no weakref slot: watch its ink (the memory)
    del sketch, ink
    gc.collect()
    assert ref() is None


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _write_pages(folder: Path, n: int, shape: tuple[int, int] = (1400, 1000)) -> list[Path]:
    """``n`` different line-art pages (boxes), grey PNGs of ``shape`` (H, W)."""
    pages = []
    for i in range(n):
        ink = np.zeros(shape, np.float32)
        for k in range(6):
            x0, y0 = 40 + 25 * ((i + k) % 7), 40 + 200 * k
            cv2.rectangle(ink, (x0, y0), (x0 + 600 + 10 * i, y0 + 150), 1.0, 3)
        path = folder / f"page{i:02d}.png"
        path.write_bytes(encode_png(ink_to_grey(ink)))
        pages.append(path)
    return pages


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc (Linux)")
def test_cli_batch_memory_does_not_grow_per_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """20 pages of 1000×1400: resident memory after page 20 is within 40 MB of page 5's.

    Measured on the classical path: +85 MB while a module cache kept the last 64 sketches (5.6 MB
    of ink each) alive, +0 MB with the fingerprint on the sketch itself.
    """
    import paintassist.app.batch as batch_module
    from paintassist.cli import colorize_pages

    export_result = batch_module.export_result
    rss: list[float] = []

    def export_and_measure(*args: object, **kwargs: object) -> object:
        written = export_result(*args, **kwargs)  # type: ignore[arg-type]
        gc.collect()
        rss.append(_rss_mb())
        return written

    monkeypatch.setattr(batch_module, "export_result", export_and_measure)
    pages = _write_pages(tmp_path, 20)
    outcomes, _ = colorize_pages(
        pages, tmp_path / "out", formats=("png",), classical=True, progress=False
    )
    assert all(o.ok for o in outcomes), [o.message for o in outcomes if not o.ok]
    assert len(rss) == 20
    growth = rss[19] - rss[4]
    assert growth < 40.0, f"resident memory grew {growth:.0f} MB from page 5 to page 20: {rss}"


# -- strokes: the region-map edits ----------------------------------------------------------------
def test_strokes_ride_along_every_hint_edit_and_scale() -> None:
    from paintassist.core.types import Hint, HintSet, Stroke

    gap = Stroke("gap", ((0, 0), (10, 4)), 3.0)
    link = Stroke("link", ((1, 1), (20, 20)))
    hints = HintSet((Hint("accurate", 5, 5, (1, 2, 3)),), (gap, link))
    dot = Hint("draft", 9, 9, (4, 5, 6))
    for edited in (hints.with_added(dot), hints.replaced(0, dot), hints.without(0)):
        assert edited.strokes == (gap, link)
    assert len(hints) == 1 and list(hints) == [hints[0]]  # the colour hints only
    assert hints.gaps == (gap,) and hints.links == (link,)
    assert hints.accurate.strokes == ()
    half = hints.scaled(0.5)
    assert half.gaps[0].points == ((0.0, 0.0), (5.0, 2.0)) and half.gaps[0].width == 1.5
    assert hints.without_stroke(0).strokes == (link,)
    assert hints.replaced_stroke(1, gap).strokes == (gap, gap)
    assert hash(hints) == hash(HintSet(hints.hints, (gap, link)))  # usable as a cache key


@pytest.mark.parametrize(
    "kind, points, width, message",
    [
        ("line", ((0, 0), (1, 1)), 3.0, "stroke kind"),
        ("link", ((0, 0), (1, 1), (2, 2)), 3.0, "exactly two"),
        ("gap", ((0, 0),), 3.0, "needs 2"),
        ("gap", ((0, 0), (float("nan"), 1)), 3.0, "finite"),
        ("gap", ((0, 0), (1, 1)), 0.0, "width"),
    ],
)
def test_bad_strokes_are_refused(
    kind: str, points: tuple[tuple[float, float], ...], width: float, message: str
) -> None:
    from paintassist.core.types import Stroke

    with pytest.raises(ValueError, match=message):
        Stroke(kind, points, width)  # type: ignore[arg-type]
