"""The synthetic manga page generator: tones of the pitches asked, balloons with text, files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from paintassist.training.manga_pages import dot_screen, line_screen, main, make_page


def test_screens_cover_what_they_are_asked_at_their_pitch() -> None:
    for screen in (dot_screen, line_screen):
        for coverage in (0.1, 0.3, 0.6):
            ink = screen((240, 240), 8.0, 15.0, coverage)
            assert abs(float(ink.mean()) - coverage) < 0.03
    ink = dot_screen((64, 64), 8.0, 0.0, 0.3)
    assert np.allclose(ink[:, :56], ink[:, 8:], atol=1e-3)  # repeats every 8 px
    crop = dot_screen((16, 16), 8.0, 15.0, 0.3, origin=(40, 24))
    assert np.allclose(crop, dot_screen((40, 56), 8.0, 15.0, 0.3)[24:40, 40:56], atol=1e-4)


def test_a_page_has_tone_balloons_and_lines() -> None:
    page = make_page(1, (600, 850))
    assert page.ink.shape == (850, 600) and page.ink.dtype == np.float32
    assert 0.05 < page.tone_area.mean() < 0.8
    assert page.tone.any() and not (page.tone & ~page.tone_area).any()
    assert page.balloons
    for x0, y0, x1, y1 in page.balloons:
        cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
        assert not page.tone_area[cy, cx]  # balloons are paper
        assert page.ink[y0:y1, x0:x1].max() > 0.9  # with text in them
    assert {t["kind"] for t in page.tones} <= {"dots", "lines", "gradient"}
    assert np.array_equal(make_page(1, (600, 850)).ink, page.ink)  # deterministic


def test_the_command_writes_pages_truth_and_descriptions(tmp_path: Path) -> None:
    assert main(["--out", str(tmp_path), "--count", "2", "--size", "400x560"]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["manga_00.png", "manga_00_tone.png", "manga_00_truth.json",
                     "manga_01.png", "manga_01_tone.png", "manga_01_truth.json"]
    meta = json.loads((tmp_path / "manga_00_truth.json").read_text())
    assert meta["size"] == [400, 560] and meta["tones"]


def test_each_panel_records_its_face_on_paper() -> None:
    page = make_page(3, size=(800, 1130))
    assert len(page.faces) >= 3
    h, w = page.ink.shape
    for cx, cy, r in page.faces:
        assert 0 < cx < w and 0 < cy < h and r > 10
        assert page.ink[round(cy) + round(0.4 * r), round(cx)] < 0.1  # the cheek is paper
        assert not page.tone[round(cy) + round(0.4 * r), round(cx)]
