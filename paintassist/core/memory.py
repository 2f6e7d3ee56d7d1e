"""How much memory a colorization needs, checked before it runs.

Peak resident memory grows linearly with the page's pixels; the coefficients below are fitted to
``bench/bench_memory.py`` (load + pipeline with 50 dots and the light pass + PNG/ORA export, one
fresh process per page). A page whose estimate is over the budget is refused with a clear error
before any work starts, instead of driving the machine into swap or the OOM killer.
"""

from __future__ import annotations

import os
from pathlib import Path

from paintassist.core.errors import MemoryBudgetError

MB = 2**20
#: Fixed part (bytes): the interpreter, numpy/OpenCV, torch and the loaded networks, and with
#: the networks RefineNet's activations, which no longer grow with the page: it runs at most at
#: ``ColorizeOptions.refine_long_side`` (1536 px) and its colours are upsampled.
#: Measured peak RSS (bench_memory, this 2-core machine, 2026-12-03), classical / networks:
#: 2 Mpx (toned) 302 / 683 MB, 8 Mpx 615 / 1007, 16 Mpx 1133 / 1450, 32 Mpx 2088 / 2504: lines of
#: ~125 MB + 61 B/px and ~510 MB + 62 B/px. The model errs on the safe side by 6-19 %.
BASE_BYTES = {False: 200 * MB, True: 650 * MB}
#: Bytes per page pixel at the peak (all layers at full resolution, the export's encodings).
#: The sketch's own pixels (kept for the ink's colour and the ``sketch`` layer) and that layer
#: added +4 B/px (classical, 2026-12-03: 8 Mpx 581 → 615 MB, 2 Mpx 274 → 297 MB).
BYTES_PER_PIXEL = {False: 66.0, True: 70.0}
#: With RefineNet at the page's full resolution (``refine_long_side=None``, CLI ``--refine-size
#: full``) its activations grow with the page: measured 2026-12-02 at 2-32 Mpx, ~420 MB + 158
#: B/px, modelled as 500 MB + 184 B/px.
FULL_REFINE_BASE_BYTES = 500 * MB
FULL_REFINE_BYTES_PER_PIXEL = 184.0
#: Bytes per pixel a page with screentone adds (the ink without the tone, the tone and its area
#: kept per sketch, the tone layer and its encoding; classical 8 Mpx manga page 578 → 762 MB).
#: Known only once the tone is found: the pipeline checks again then.
TONE_BYTES_PER_PIXEL = 20.0
#: Bytes per pixel a Photoshop file adds to the export's peak (psd-tools converts the layers to
#: float; +330 MB on an A4 300-dpi page, measured when the PSD export was added).
PSD_BYTES_PER_PIXEL = 40.0
#: Share of the machine's physical memory one page may use by default.
BUDGET_SHARE = 0.75


def estimate_peak_bytes(
    height: int, width: int, *, networks: bool, psd: bool = False, tone: bool = False,
    full_refine: bool = False,
) -> int:
    """Estimated peak resident bytes of colorizing and exporting an (height, width) page
    (``psd``: the export writes a Photoshop file too; ``tone``: the page has screentone;
    ``full_refine``: with the networks, RefineNet runs at the page's full resolution)."""
    extra = (PSD_BYTES_PER_PIXEL if psd else 0.0) + (TONE_BYTES_PER_PIXEL if tone else 0.0)
    px = height * width
    need = BASE_BYTES[networks] + (BYTES_PER_PIXEL[networks] + extra) * px
    if networks and full_refine:  # never less than the capped refinement (small pages)
        need = max(need, FULL_REFINE_BASE_BYTES + (FULL_REFINE_BYTES_PER_PIXEL + extra) * px)
    return int(need)


def memory_budget_bytes() -> int:
    """Bytes one page may use: ``PAINTASSIST_MEMORY_BUDGET_MB`` when set, else
    :data:`BUDGET_SHARE` of the physical memory (no limit where the OS does not say)."""
    override = os.environ.get("PAINTASSIST_MEMORY_BUDGET_MB")
    if override:
        return int(float(override) * MB)
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # not POSIX: no estimate of our own
        return 2**62
    return int(total * BUDGET_SHARE)


def check_memory(
    height: int,
    width: int,
    *,
    networks: bool,
    psd: bool = False,
    tone: bool = False,
    full_refine: bool = False,
    name: str | Path | None = None,
) -> None:
    """MemoryBudgetError (naming ``name``, the sketch) when the page would not fit."""
    need = estimate_peak_bytes(height, width, networks=networks, psd=psd, tone=tone,
                               full_refine=full_refine)
    budget = memory_budget_bytes()
    if need <= budget:
        return
    mpx = height * width / 1e6
    path = "with the networks" if networks else "on the classical path"
    if tone:
        path += " (it has screentone)"
    hint = ""
    if networks and estimate_peak_bytes(height, width, networks=False, tone=tone) <= budget:
        hint = "; the classical path would fit (--classical)"
    raise MemoryBudgetError(
        name,
        f"page is {width}×{height} = {mpx:.0f} Mpx: colorizing it {path} needs about "
        f"{need / 2**30:.1f} GB, more than the {budget / 2**30:.1f} GB this machine allows one "
        f"page (PAINTASSIST_MEMORY_BUDGET_MB changes it){hint}",
    )
