"""DraftNet: sketch + draft-hint map + reference style → colour draft at ≤ 256 px.

Two architectures share one trunk (:class:`DraftTrunk`, a small U-Net with FiLM style
conditioning) and differ in the head:

- :class:`DraftNet` (architecture ``draft-v1``, input layout v1): RGB by regression (sigmoid),
  trained with L1 — the shipped 0.1.x weights;
- :class:`DraftNetBins` (``draft-bins-v2``, input layout v2): a*b* class logits over the in-gamut
  bins of :mod:`paintassist.nets.color_bins` plus lightness L by regression; decoded by the
  annealed mean, so colours stay vivid where regression averages them to beige.

Both have :meth:`predict_rgb` (float32 (B, 3, H, W) RGB 0..1), which is what inference calls.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional

from paintassist.nets import color_bins
from paintassist.nets.blocks import ConvBlock, Up, check_input
from paintassist.nets.style import StyleEncoder

IN_CHANNELS = 9  # ink, hint RGB, hint mask, spread hint RGB, spread confidence
HEAD_BIAS = 3.5


class DraftTrunk(nn.Module):
    """A small U-Net (÷16) with FiLM style conditioning at the bottleneck; :meth:`features` gives
    (B, width, H, W) features for a head.

    x: float (B, 9, H, W) — ink 0..1, draft-hint RGB 0..1 and mask, and the hints spread by
    :mod:`paintassist.core.hint_maps` (RGB, confidence; which spread is the input layout's
    version, :data:`INPUT_VERSION`); H, W multiples of 16. style: float (B, FEATURE_DIM) from
    :func:`paintassist.nets.style.style_features`; strength: float (B,) reference strength 0..1.
    """

    MULTIPLE = 16
    ARCH = "trunk"
    INPUT_VERSION = 1

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

    def features(self, x: torch.Tensor, style: torch.Tensor,
                 strength: torch.Tensor) -> torch.Tensor:
        """(B, width, H, W) features at full resolution."""
        return self.features2(x, style, strength)[1]

    def features2(self, x: torch.Tensor, style: torch.Tensor,
                  strength: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(features (B, width, H/2, W/2) of the last up-step but one, features (B, width, H, W))."""
        check_input(type(self).__name__, x, IN_CHANNELS, self.MULTIPLE)
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
        half = self.d1(y, s1)
        return half, self.d0(half, s0)

    def predict_rgb(self, x: torch.Tensor, style: torch.Tensor,
                    strength: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError


class DraftNet(DraftTrunk):
    """Architecture ``draft-v1``: forward(x, style, strength) → float32 (B, 3, H, W) RGB 0..1."""

    ARCH = "draft-v1"
    INPUT_VERSION = 1

    def __init__(self, width: int = 24) -> None:
        super().__init__(width)
        self.head = nn.Conv2d(width, 3, 1)
        # Start near paper white (sigmoid(3.5) ≈ 0.97): most target pixels are white, and from 0.5
        # every pixel pushed the un-normalised ReLU chain the same way until it blew up and died
        # (no-faces runs went all-white within 50 steps). Only fresh training sees this value.
        assert self.head.bias is not None
        nn.init.constant_(self.head.bias, HEAD_BIAS)

    def forward(self, x: torch.Tensor, style: torch.Tensor, strength: torch.Tensor) -> torch.Tensor:
        y = self.features(x, style, strength)
        # sigmoid in float32: under bf16 autocast a saturated logit rounds to exactly 1.0 and its
        # gradient to 0, which froze a no-faces run on an all-white output from step 100
        return torch.sigmoid(self.head(y).float())

    def predict_rgb(self, x: torch.Tensor, style: torch.Tensor,
                    strength: torch.Tensor) -> torch.Tensor:
        return self.forward(x, style, strength)


class DraftNetBins(DraftTrunk):
    """Architecture ``draft-bins-v2``: a*b* classes + lightness.

    forward(x, style, strength) → (logits float32 (B, K, H/2, W/2) over :attr:`bins`, lightness
    float32 (B, 1, H, W) as L/100 in 0..1). :meth:`predict_rgb` decodes the annealed mean at
    temperature :attr:`temperature`, upsamples it bilinearly and adds the lightness. The colour
    classes are predicted at half resolution (colour is smooth, lightness carries the edges): at
    full resolution the 261-way head and its loss took 3/4 of a training step on the CPU. ``bins`` (K, 2) is a buffer saved with the weights, so a
    state dict of another bin set does not load.
    """

    ARCH = "draft-bins-v2"
    INPUT_VERSION = 2
    bins: torch.Tensor

    def __init__(self, width: int = 24, temperature: float = color_bins.ANNEAL_T) -> None:
        super().__init__(width)
        bins = torch.from_numpy(color_bins.gamut_bins())
        self.register_buffer("bins", bins)
        self.temperature = temperature
        self.head_ab = nn.Conv2d(width, len(bins), 1)
        self.head_l = nn.Conv2d(width, 1, 1)
        assert self.head_l.bias is not None
        nn.init.constant_(self.head_l.bias, HEAD_BIAS)  # paper white, as DraftNet v1

    @property
    def classes(self) -> int:
        return int(self.bins.shape[0])

    def forward(self, x: torch.Tensor, style: torch.Tensor,
                strength: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        half, full = self.features2(x, style, strength)
        return self.head_ab(half).float(), torch.sigmoid(self.head_l(full).float())

    def decode(self, logits: torch.Tensor, lightness: torch.Tensor,
               temperature: float | None = None) -> torch.Tensor:
        """(logits (B, K, h, w), L/100 (B, 1, H, W)) → float32 RGB (B, 3, H, W) 0..1."""
        t = self.temperature if temperature is None else temperature
        # float32 throughout, also under autocast: bf16 einsums would round colours by ~1 %
        with torch.autocast(logits.device.type, enabled=False):
            ab = color_bins.annealed_mean(logits.float(), self.bins.float(), t)
            if ab.shape[-2:] != lightness.shape[-2:]:
                ab = functional.interpolate(ab, size=lightness.shape[-2:], mode="bilinear",
                                            align_corners=False)
            lab = torch.cat([lightness.float() * 100.0, ab], dim=1)
            return color_bins.lab_to_rgb(lab).float()

    def predict_rgb(self, x: torch.Tensor, style: torch.Tensor,
                    strength: torch.Tensor) -> torch.Tensor:
        logits, lightness = self.forward(x, style, strength)
        return self.decode(logits, lightness)


#: architecture name (the manifest's ``arch``) → class
ARCHITECTURES: dict[str, type[DraftTrunk]] = {
    DraftNet.ARCH: DraftNet,
    DraftNetBins.ARCH: DraftNetBins,
}
