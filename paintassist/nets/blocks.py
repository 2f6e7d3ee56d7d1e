"""Small building blocks shared by DraftNet and RefineNet (no normalisation layers: nothing to fold,
and the nets behave the same per tile and per image, which tiled inference relies on)."""

from __future__ import annotations

import torch
from torch import nn


class ConvBlock(nn.Sequential):
    """Two 3×3 convolutions with ReLU: (B, cin, H, W) → (B, cout, H/stride, W/stride)."""

    def __init__(self, cin: int, cout: int, stride: int = 1, dilation: int = 1) -> None:
        super().__init__(
            nn.Conv2d(cin, cout, 3, stride=stride, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(cout, cout, 3, padding=dilation, dilation=dilation),
            nn.ReLU(inplace=True),
        )


class Up(nn.Module):
    """×2 nearest upsampling of ``x`` then a ConvBlock on ``[x, skip]``.

    x: (B, cin, h, w), skip: (B, cskip, 2h, 2w) → (B, cout, 2h, 2w).
    """

    def __init__(self, cin: int, cskip: int, cout: int) -> None:
        super().__init__()
        self.block = ConvBlock(cin + cskip, cout)

    def forward(self, x: torch.Tensor, skip: torch.Tensor) -> torch.Tensor:
        x = nn.functional.interpolate(x, size=skip.shape[-2:], mode="nearest")
        return self.block(torch.cat([x, skip], dim=1))


def check_input(name: str, x: torch.Tensor, channels: int, multiple: int) -> None:
    """Raise ValueError unless ``x`` is (B, channels, H, W) with H, W multiples of ``multiple``."""
    if x.ndim != 4 or x.shape[1] != channels:
        raise ValueError(f"{name}: expected (B, {channels}, H, W), got {tuple(x.shape)}")
    if x.shape[2] % multiple or x.shape[3] % multiple:
        raise ValueError(f"{name}: H and W must be multiples of {multiple}, got {tuple(x.shape)}")
    if not x.is_floating_point():
        raise ValueError(f"{name}: expected a floating-point tensor, got {x.dtype}")


def logit(p: torch.Tensor, eps: float = 1e-3) -> torch.Tensor:
    """Inverse sigmoid of p clamped to [eps, 1 - eps]."""
    p = p.clamp(eps, 1.0 - eps)
    return torch.log(p) - torch.log1p(-p)
