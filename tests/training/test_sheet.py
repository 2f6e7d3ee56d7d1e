"""Before/after sheets: one row per sketch, the before and after networks side by side."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from fakes import write_sketch_png

from paintassist.training.sheet import make_compare_sheet


class TintNets:
    """Drafts and refines to one flat colour: what a sheet cell shows is known."""

    def __init__(self, rgb: tuple[int, int, int]) -> None:
        self.rgb = np.array(rgb, np.float32) / 255.0

    def draft(self, ink, hints, references, strength):  # type: ignore[no-untyped-def]
        return np.broadcast_to(self.rgb, (16, 16, 3)).copy()

    def refine(self, ink, draft, hints, should_cancel):  # type: ignore[no-untyped-def]
        return np.broadcast_to(self.rgb, (*ink.shape, 3)).copy()


def test_compare_sheet_puts_before_and_after_side_by_side(tmp_path: Path) -> None:
    files = [write_sketch_png(tmp_path / f"s{i}.png", 90, 120) for i in range(2)]
    red, blue = (200, 40, 40), (40, 40, 200)
    side = 96
    sheet = make_compare_sheet(files, TintNets(red), TintNets(blue), side=side, dots=3)
    assert sheet.shape == (2 * side, 5 * side, 3) and sheet.dtype == np.uint8
    # inside the left box (sketch 120×90 → 96×72 px) of each no-hint cell: the net's colour
    y, x = 36, 24
    before, after = sheet[y, side + x], sheet[y, 2 * side + x]
    assert before[0] > before[2] and after[2] > after[0]
    assert (sheet[:side, :side] == sheet[side:, :side]).all()  # same sketch twice
