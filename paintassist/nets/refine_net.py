"""RefineNet: sketch at working resolution + upsampled draft + accurate-hint map → refined
colours."""

from __future__ import annotations

import torch
from torch import nn

from paintassist.nets.blocks import ConvBlock, Up, check_input, logit

IN_CHANNELS = 12  # ink, draft RGB, accurate-hint RGB + mask, spread dots RGB + confidence


class RefineNet(nn.Module):
    """A small fully convolutional U-Net that corrects the draft.

    The input is folded 2×2 into channels (pixel unshuffle) so no convolution runs at full
    resolution, and the correction is unfolded back (pixel shuffle): full-resolution detail stays
    representable while whole pages stay cheap. Output = sigmoid(logit(draft) + delta), so an
    untrained net returns the draft.

    forward(x): x float (B, 12, H, W) — ink 0..1, draft RGB 0..1, accurate-hint RGB and mask, and
    the dots spread by :func:`paintassist.core.hint_maps.spread` (RGB, confidence); H, W multiples
    of 8. Returns float32 (B, 3, H, W) in 0..1. Receptive field: ±RECEPTIVE px,
    which tiled inference must overlap by.
    """

    ARCH = "refine-v1"
    INPUT_VERSION = 1  # paintassist.nets.inputs layout: dots spread across lines
    IN_CHANNELS = IN_CHANNELS
    MULTIPLE = 8
    RECEPTIVE = 72
    OVERLAP = 80  # tile margin (px): ≥ RECEPTIVE, a multiple of MULTIPLE

    def __init__(self, width: int = 16) -> None:
        super().__init__()
        c1, c2, c3 = width, width * 2, width * 4
        self.width = width
        self.fold = nn.PixelUnshuffle(2)
        self.stem = nn.Sequential(nn.Conv2d(self.IN_CHANNELS * 4, c1, 3, padding=1),
                                  nn.ReLU(True))
        self.e0 = ConvBlock(c1, c1)
        self.e1 = ConvBlock(c1, c2, stride=2)
        self.e2 = ConvBlock(c2, c3, stride=2)
        self.mid = ConvBlock(c3, c3, dilation=2)
        self.d1 = Up(c3, c2, c2)
        self.d0 = Up(c2, c1, c1)
        self.head = nn.Conv2d(c1, 3 * 4, 3, padding=1)
        self.unfold = nn.PixelShuffle(2)
        nn.init.zeros_(self.head.weight)
        if self.head.bias is not None:
            nn.init.zeros_(self.head.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_input("RefineNet", x, self.IN_CHANNELS, self.MULTIPLE)
        s0 = self.e0(self.stem(self.fold(x)))
        s1 = self.e1(s0)
        b = self.mid(self.e2(s1))
        y = self.d1(b, s1)
        y = self.d0(y, s0)
        delta = self.unfold(self.head(y)).float()
        draft = x[:, 1:4].float()
        return torch.sigmoid(logit(draft) + delta)


class RefineNetV2(RefineNet):
    """:class:`RefineNet`'s layers on input layout 2 (:mod:`paintassist.nets.inputs`): the dots
    spread along the lines (:func:`~paintassist.core.hint_maps.spread_along_lines`), so their
    colour reaches RefineNet inside the areas the ink closes, not through the lines. Trained on
    real anime art as well as clip art (:class:`~paintassist.training.data.MixedRefineSamples`);
    a v1 state dict loads into it (``--init``), which then learns the new spread."""

    ARCH = "refine-v2"
    INPUT_VERSION = 2


class RefineNetV3(RefineNet):
    """:class:`RefineNet`'s layers on input layout 3: 16 channels, the dots spread along the
    lines *and* across them (:func:`~paintassist.nets.inputs.spread_for`), so the net knows both
    what colour the dot's own area takes and which colour lies nearest across a line (the next
    strand of the same hair). :func:`widen_state` turns a v1/v2 state dict into a v3 one that
    computes the same function (the new channels' weights zero)."""

    ARCH = "refine-v3"
    INPUT_VERSION = 3
    IN_CHANNELS = 16


def widen_state(state: dict[str, torch.Tensor], in_channels: int) -> dict[str, torch.Tensor]:
    """``state`` of a RefineNet with fewer input channels, its stem widened to ``in_channels``:
    the old channels' weights kept (PixelUnshuffle puts channel c at inputs 4c..4c+3), the new
    ones zero. A state that already fits is returned as it is."""
    weight = state["stem.0.weight"]
    have = weight.shape[1] // 4
    if have == in_channels:
        return state
    if have > in_channels:
        raise ValueError(f"cannot narrow a RefineNet stem from {have} to {in_channels} inputs")
    wide = torch.zeros(weight.shape[0], in_channels * 4, *weight.shape[2:], dtype=weight.dtype)
    wide[:, : have * 4] = weight
    return {**state, "stem.0.weight": wide}


#: RefineNet architectures by the manifest's ``arch``
ARCHITECTURES: dict[str, type[RefineNet]] = {
    RefineNet.ARCH: RefineNet,
    RefineNetV2.ARCH: RefineNetV2,
    RefineNetV3.ARCH: RefineNetV3,
}
