"""The memory budget: a page that would not fit is refused before any work, with how much."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from paintassist.core import memory
from paintassist.core.errors import MemoryBudgetError
from paintassist.core.pipeline import Pipeline
from paintassist.core.types import ColorizeOptions, ColorizeRequest, Sketch


def test_the_estimate_grows_with_pixels_and_with_the_networks() -> None:
    small = memory.estimate_peak_bytes(1000, 1000, networks=False)
    assert (
        memory.estimate_peak_bytes(2000, 2000, networks=False)
        > 3 * small - 3 * memory.BASE_BYTES[False]
    )
    assert memory.estimate_peak_bytes(1000, 1000, networks=True) > small


def test_budget_from_the_environment_or_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAINTASSIST_MEMORY_BUDGET_MB", "512")
    assert memory.memory_budget_bytes() == 512 * 2**20
    monkeypatch.delenv("PAINTASSIST_MEMORY_BUDGET_MB")
    assert memory.memory_budget_bytes() > 2**30  # any machine that runs the tests


def test_a_page_over_the_budget_is_refused_naming_it_and_the_need(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PAINTASSIST_MEMORY_BUDGET_MB", "300")
    with pytest.raises(MemoryBudgetError) as info:
        memory.check_memory(10900, 10900, networks=True, name=Path("big.png"))
    text = str(info.value)
    assert text.startswith("big.png: page is 10900×10900 = 119 Mpx")
    assert "GB" in text and "PAINTASSIST_MEMORY_BUDGET_MB" in text


def test_the_classical_path_is_suggested_when_it_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    need = memory.estimate_peak_bytes(4000, 4000, networks=False)
    monkeypatch.setenv("PAINTASSIST_MEMORY_BUDGET_MB", str(need // 2**20 + 1))
    memory.check_memory(4000, 4000, networks=False)
    with pytest.raises(MemoryBudgetError, match="--classical"):
        memory.check_memory(4000, 4000, networks=True)


def test_the_pipeline_checks_before_it_allocates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAINTASSIST_MEMORY_BUDGET_MB", "100")
    sketch = Sketch(np.zeros((800, 600), np.float32), source=Path("page.png"))
    with pytest.raises(MemoryBudgetError, match=r"page\.png"):
        Pipeline(None).run(ColorizeRequest(sketch, options=ColorizeOptions(use_networks=False)))
    # A preview works on its downscaled image, whose estimate is what counts.
    monkeypatch.setenv(
        "PAINTASSIST_MEMORY_BUDGET_MB",
        str(memory.estimate_peak_bytes(400, 300, networks=False) // 2**20 + 1),
    )
    preview = ColorizeOptions(use_networks=False, work_long_side=400)
    Pipeline(None).run(ColorizeRequest(sketch, options=preview))


def test_a_photoshop_export_adds_to_the_estimate() -> None:
    plain = memory.estimate_peak_bytes(3508, 2480, networks=True)
    with_psd = memory.estimate_peak_bytes(3508, 2480, networks=True, psd=True)
    assert 300 * 2**20 < with_psd - plain < 400 * 2**20  # measured: +330 MB on an A4 page


def test_a_toned_page_is_checked_again_once_its_tone_is_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from paintassist.training.manga_pages import dot_screen

    ink = dot_screen((600, 600), 6.0, 45.0, 0.3)
    plain = memory.estimate_peak_bytes(600, 600, networks=False)
    toned = memory.estimate_peak_bytes(600, 600, networks=False, tone=True)
    assert toned > plain
    monkeypatch.setenv("PAINTASSIST_MEMORY_BUDGET_MB", str((plain + toned) // 2 // 2**20))
    options = ColorizeOptions(use_networks=False)
    Pipeline(None).run(ColorizeRequest(Sketch(np.zeros((600, 600), np.float32)), options=options))
    with pytest.raises(MemoryBudgetError, match="screentone"):
        Pipeline(None).run(ColorizeRequest(Sketch(ink), options=options))


def test_refining_at_full_resolution_costs_more_than_at_the_cap() -> None:
    # measured 2026-12-03 with RefineNet capped at 1536 px: A4 300 dpi (8.7 Mpx) peaked at
    # 1007-1455 MB; at full resolution (2026-12-02) 1721 MB at 8 Mpx
    capped = memory.estimate_peak_bytes(3508, 2480, networks=True)
    full = memory.estimate_peak_bytes(3508, 2480, networks=True, full_refine=True)
    assert 1100 * 2**20 < capped < 1400 * 2**20 < full
    assert memory.estimate_peak_bytes(3508, 2480, networks=False, full_refine=True) == (
        memory.estimate_peak_bytes(3508, 2480, networks=False))


def test_the_pipeline_checks_full_resolution_refinement_against_its_own_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Nets:
        def draft(self, ink, hints, references, strength):  # type: ignore[no-untyped-def]
            return np.full((16, 16, 3), 0.5, np.float32)

        def refine(self, ink, draft, hints, should_cancel):  # type: ignore[no-untyped-def]
            return np.full((*ink.shape, 3), 0.5, np.float32)

    h, w = 3000, 2000
    capped = memory.estimate_peak_bytes(h, w, networks=True)
    assert memory.estimate_peak_bytes(h, w, networks=True, full_refine=True) > capped
    monkeypatch.setenv("PAINTASSIST_MEMORY_BUDGET_MB", str(capped // 2**20 + 1))
    sketch = Sketch(np.zeros((h, w), np.float32), source=Path("page.png"))
    with pytest.raises(MemoryBudgetError, match=r"page\.png"):
        Pipeline(Nets()).run(ColorizeRequest(  # type: ignore[arg-type]
            sketch, options=ColorizeOptions(refine_long_side=None)))
    small = memory.estimate_peak_bytes(800, 600, networks=True)
    assert memory.estimate_peak_bytes(800, 600, networks=True, full_refine=True) == small
