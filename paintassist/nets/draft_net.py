"""DraftNet: sketch + draft-hint map + reference style → colour draft at ≤ 256 px."""

from __future__ import annotations

import torch
from torch import nn

from paintassist.nets.blocks import ConvBlock, Up, check_input
from paintassist.nets.style import StyleEncoder

IN_CHANNELS = 9  # ink, hint RGB, hint mask, spread hint RGB, spread confidence
HEAD_BIAS = 3.5


class DraftNet(nn.Module):
    """A small U-Net (÷16) with FiLM style conditioning at the bottleneck.

    forward(x, style, strength):
      x: float (B, 9, H, W) — ink 0..1, draft-hint RGB 0..1 and mask, and the hints spread by
         :func:`paintassist.core.hint_maps.spread` (RGB, confidence); H, W multiples of 16;
      style: float (B, FEATURE_DIM) from :func:`paintassist.nets.style.style_features`;
      strength: float (B,) reference strength (0..1).
    Returns float (B, 3, H, W) RGB in 0..1.
    """

    MULTIPLE = 16

    def __init__(self, width: int = 24) -> None:
        super().__init__()
        c1, c2, c3, c4 = width, width * 2, width * 4, width * 6
        self.width = width
        self.e0 = ConvBlock(IN_CHANNELS, c1)
        self.e1 = ConvBlock(c1, c2, stride=2)
        self.e2 = ConvBlock(c2, c3, stride=2)
        self.e3 = ConvBlock(c3, c4, stride=2)
        self.e4 = ConvBlock(c4, c4, stride=2)
        self.mid = nn.Sequential(ConvBlock(c4, c4, dilation=2), ConvBlock(c4, c4, dilation=4))
        self.style = StyleEncoder(c4)
        self.d3 = Up(c4, c4, c3)
        self.d2 = Up(c3, c3, c2)
        self.d1 = Up(c2, c2, c1)
        self.d0 = Up(c1, c1, c1)
        self.head = nn.Conv2d(c1, 3, 1)
        # Start near paper white (sigmoid(3.5) ≈ 0.97): most target pixels are white, and from 0.5
        # every pixel pushed the un-normalised ReLU chain the same way until it blew up and died
        # (no-faces runs went all-white within 50 steps). Only fresh training sees this value.
        assert self.head.bias is not None
        nn.init.constant_(self.head.bias, HEAD_BIAS)

    def forward(self, x: torch.Tensor, style: torch.Tensor, strength: torch.Tensor) -> torch.Tensor:
        check_input("DraftNet", x, IN_CHANNELS, self.MULTIPLE)
        s0 = self.e0(x)
        s1 = self.e1(s0)
        s2 = self.e2(s1)
        s3 = self.e3(s2)
        b = self.mid(self.e4(s3))
        film = self.style(style.to(b.dtype), strength.to(b.dtype))
        gamma, beta = film.chunk(2, dim=1)
        b = b * (1.0 + gamma[:, :, None, None]) + beta[:, :, None, None]
        y = self.d3(b, s3)
        y = self.d2(y, s2)
        y = self.d1(y, s1)
        y = self.d0(y, s0)
        # sigmoid in float32: under bf16 autocast a saturated logit rounds to exactly 1.0 and its
        # gradient to 0, which froze a no-faces run on an all-white output from step 100
        return torch.sigmoid(self.head(y).float())
