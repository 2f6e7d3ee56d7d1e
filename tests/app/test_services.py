"""app.services: the one pipeline builder and reading a sketch with the hints beside it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import write_sketch_png

from paintassist.app.services import build_pipeline, read_sketch
from paintassist.core.errors import SketchLoadError


def test_read_sketch_takes_the_hints_file_beside_it(tmp_path: Path) -> None:
    path = write_sketch_png(tmp_path / "page.png")
    (tmp_path / "page.json").write_text(
        '{"version": 1, "hints": [{"kind": "accurate", "x": 30, "y": 40, "color": "#102030"}]}'
    )
    opened = read_sketch(path)
    assert opened.sketch.shape == (120, 160) and opened.sketch.source == path
    assert opened.data == path.read_bytes()
    assert opened.hints is not None and opened.hints[0].rgb == (16, 32, 48)
    assert opened.warnings == []


def test_read_sketch_reports_a_bad_hints_file_and_keeps_the_sketch(tmp_path: Path) -> None:
    path = write_sketch_png(tmp_path / "page.png")
    (tmp_path / "page.json").write_text("{broken")
    opened = read_sketch(path)
    assert opened.hints is None
    assert len(opened.warnings) == 1 and "hints not loaded" in opened.warnings[0]


def test_read_sketch_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SketchLoadError, match=r"missing\.png: file not found"):
        read_sketch(tmp_path / "missing.png")


def test_build_pipeline_without_networks_is_the_classical_path() -> None:
    pipeline = build_pipeline(use_networks=False)
    assert pipeline.nets is None and "disabled" in pipeline.nets_status
