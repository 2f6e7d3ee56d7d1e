"""Tiled inference with overlap (Real-ESRGAN style) for fully convolutional nets on whole pages.

Each tile is run with a margin of at least the net's receptive field, and only its centre is kept,
so the stitched result equals the untiled one up to floating-point rounding: no visible seam.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch.nn import functional

from paintassist.core.progress import CancelFn, check_cancel, never_cancel


def run_tiled(
    net: Callable[[torch.Tensor], torch.Tensor],
    x: torch.Tensor,
    out_channels: int,
    tile: int = 512,
    overlap: int = 48,
    multiple: int = 4,
    should_cancel: CancelFn = never_cancel,
) -> torch.Tensor:
    """Apply ``net`` to x (1, C, H, W) in tiles of ``tile`` px with ``overlap`` px margins.

    The image is first padded (replicate) to a multiple of ``multiple``; tile origins are
    multiples of ``multiple`` so strided layers see the same pixel grid as untiled. Returns float32
    (1, out_channels, H, W). Checks ``should_cancel`` between tiles.
    """
    if x.ndim != 4 or x.shape[0] != 1:
        raise ValueError(f"run_tiled expects (1, C, H, W), got {tuple(x.shape)}")
    if tile % multiple or overlap % multiple or tile <= 0:
        raise ValueError("tile and overlap must be positive multiples of `multiple`")
    _, _, h, w = x.shape
    ph, pw = (-h) % multiple, (-w) % multiple
    if ph or pw:
        x = functional.pad(x, (0, pw, 0, ph), mode="replicate")
    hp, wp = x.shape[-2:]
    if hp <= tile + 2 * overlap and wp <= tile + 2 * overlap:
        return net(x).float()[..., :h, :w]
    out = torch.empty((1, out_channels, hp, wp), dtype=torch.float32, device=x.device)
    for y0 in range(0, hp, tile):
        for x0 in range(0, wp, tile):
            check_cancel(should_cancel)
            y1, x1 = min(y0 + tile, hp), min(x0 + tile, wp)
            ya, xa = max(0, y0 - overlap), max(0, x0 - overlap)
            yb, xb = min(hp, y1 + overlap), min(wp, x1 + overlap)
            res = net(x[..., ya:yb, xa:xb]).float()
            out[..., y0:y1, x0:x1] = res[..., y0 - ya : y1 - ya, x0 - xa : x1 - xa]
    return out[..., :h, :w]
