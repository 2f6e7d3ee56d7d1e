"""The networks' input layouts, built in this one place for training and for inference.

Training samples (:mod:`paintassist.training.data`) and :class:`~paintassist.nets.inference.
TorchColorNets` both call these functions, so a net is served exactly the channels it learned on.
Arrays are float32 (H, W, C), channel last; ``torch.from_numpy(x).permute(2, 0, 1)`` is already a
channels_last tensor. Colours are RGB in 0..1, ink 0..1 with 1 = full ink.

DraftNet input (:data:`DRAFT_CHANNELS` = 9) at DraftNet's own size (long side ≤ 256 px)::

    0      ink
    1-3    draft squares' colour (0 where no square)
    4      draft squares' mask, 1 = covered
    5-7    the squares spread over the image (:func:`~paintassist.core.hint_maps.spread`)
    8      spread confidence 0..1

RefineNet input (:data:`REFINE_CHANNELS` = 12) at the working resolution::

    0      ink
    1-3    draft colours, bilinearly resized to the ink's size and clipped to 0..1
    4-6    accurate dots' colour (0 where no dot)
    7      accurate dots' mask, 1 = covered
    8-10   the dots spread over the image
    11     spread confidence 0..1

Input layout versions (the manifest's ``inputs``, a net class's ``INPUT_VERSION``): the channels are
the same in 1 and 2; only how the hints are spread differs.

- **1** (the shipped 0.1.x nets): :func:`~paintassist.core.hint_maps.spread`, a normalised
  convolution that ignores the lines;
- **2** (DraftNet ``draft-bins-v2`` and later): :func:`~paintassist.core.hint_maps.
  spread_along_lines`, which keeps each hint's colour inside the areas the ink encloses;
- **3** (RefineNet ``refine-v3``, :data:`REFINE_CHANNELS_V3` = 16): both, the spread along the
  lines in channels 8-11 and the spread across them in 12-15. With the along-lines spread alone
  a dot's colour never reached the next strand of the same hair (a closed area of its own), which
  then took the draft's colour; with the across-lines one alone the net cannot tell a
  neighbouring area from the dot's own, and the colour bled over lines.
"""

from __future__ import annotations

import numpy as np
import torch
from torch.nn import functional

from paintassist.core.hint_maps import accurate_map, draft_map, spread, spread_along_lines
from paintassist.core.types import HintSet

DRAFT_CHANNELS = 9
REFINE_CHANNELS = 12
REFINE_CHANNELS_V3 = 16
INPUT_VERSIONS = (1, 2, 3)


def spread_for(version: int, hmap: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """The hint spread of input layout ``version`` (1: across lines, 2: along them, 3: along
    them then across them, float32 (H, W, 8))."""
    if version == 1:
        return spread(hmap)
    if version == 2:
        return spread_along_lines(hmap, ink)
    if version == 3:
        return np.concatenate([spread_along_lines(hmap, ink), spread(hmap)], axis=2)
    raise ValueError(f"unknown input layout version {version!r}; known: {INPUT_VERSIONS}")


def draft_input(ink: np.ndarray, squares: HintSet, scale: float = 1.0,
                version: int = 1) -> np.ndarray:
    """DraftNet's input: float32 (h, w, 9) in the layout above, layout ``version``.

    ink: float32 (h, w) 0..1, already at DraftNet's input size. squares: hints (only the draft
    squares are drawn) in coordinates that ``scale`` (ink px per hint px) maps onto ``ink``.
    """
    _check_ink(ink)
    if version == 3:
        raise ValueError("input layout 3 is RefineNet's only; DraftNet takes layout 1 or 2")
    hmap = draft_map(squares, ink.shape, scale)
    return np.concatenate([ink[..., None], hmap, spread_for(version, hmap, ink)], axis=2)


def refine_input(ink: np.ndarray, draft: np.ndarray, dots: HintSet,
                 version: int = 1) -> np.ndarray:
    """RefineNet's input: float32 (H, W, 12) in the layout above, layout ``version`` ((H, W, 16)
    for layout 3).

    ink: float32 (H, W) 0..1. draft: float (h, w, 3) 0..1 of any size (DraftNet's own, or already
    (H, W)), see :func:`resize_draft`. dots: hints in ink pixels (only the accurate dots are drawn).
    """
    _check_ink(ink)
    amap = accurate_map(dots, ink.shape, 1.0)
    up = resize_draft(draft, ink.shape)
    return np.concatenate([ink[..., None], up, amap, spread_for(version, amap, ink)], axis=2)


def resize_draft(draft: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """float (h, w, 3) 0..1 → float32 (H, W, 3) clipped to 0..1: bilinear with half-pixel centres
    (``torch`` ``interpolate(..., align_corners=False)``); a no-op resize when (h, w) == ``shape``."""
    if draft.ndim != 3 or draft.shape[2] != 3:
        raise ValueError(f"draft must be (h, w, 3), got {draft.shape}")
    d = torch.from_numpy(np.ascontiguousarray(draft, np.float32)).permute(2, 0, 1)[None]
    if tuple(draft.shape[:2]) != tuple(shape):
        d = functional.interpolate(d, size=tuple(shape), mode="bilinear", align_corners=False)
    return d.clamp(0, 1)[0].permute(1, 2, 0).numpy()


def _check_ink(ink: np.ndarray) -> None:
    if ink.ndim != 2 or ink.dtype != np.float32:
        raise ValueError(f"ink must be float32 (H, W), got {ink.dtype} {ink.shape}")
