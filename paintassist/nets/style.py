"""Reference style: our own colour-statistics encoder (no pretrained backbone).

A reference image is summarised by numpy into a fixed feature vector of Lab colour statistics
(:func:`style_features`); :class:`StyleEncoder` maps it to a style code that conditions DraftNet by
FiLM. Paper-white and ink-dark pixels are left out, so a coloured page and a colour sample of the
same palette give similar features.
"""

from __future__ import annotations

import cv2
import numpy as np
import torch
from torch import nn

AB_BINS = 6
L_BINS = 6
FEATURE_DIM = AB_BINS * AB_BINS + L_BINS + 6 + 1  # ab histogram, L histogram, mean/std Lab, present
_AB_RANGE = 80.0


def style_features(image: np.ndarray | None, max_side: int = 128) -> np.ndarray:
    """Lab statistics of a reference image.

    image: uint8 (H, W, 3) RGB, or None for "no reference". Returns float32 (FEATURE_DIM,):
    normalised a*b* histogram (6×6 over ±80), L histogram (6), Lab means/stds (scaled to ~0..1)
    and a last element 1.0 when a reference is present (all zeros for None).
    """
    feats = np.zeros(FEATURE_DIM, np.float32)
    if image is None:
        return feats
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ValueError(f"reference must be uint8 (H, W, 3), got {image.dtype} {image.shape}")
    h, w = image.shape[:2]
    if max(h, w) > max_side:
        s = max_side / max(h, w)
        image = cv2.resize(image, (max(1, round(w * s)), max(1, round(h * s))),
                           interpolation=cv2.INTER_AREA)
    lab = cv2.cvtColor(image.astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB).reshape(-1, 3)
    chroma = np.hypot(lab[:, 1], lab[:, 2])
    keep = ~(((lab[:, 0] > 92) & (chroma < 6)) | (lab[:, 0] < 12))
    if keep.sum() < 16:
        keep[:] = True
    lab = lab[keep]
    ab = np.clip((lab[:, 1:] + _AB_RANGE) / (2 * _AB_RANGE), 0, 0.999) * AB_BINS
    idx = ab[:, 0].astype(np.int64) * AB_BINS + ab[:, 1].astype(np.int64)
    hist_ab = np.bincount(idx, minlength=AB_BINS * AB_BINS).astype(np.float32) / len(lab)
    lidx = np.clip(lab[:, 0] / 100.0, 0, 0.999) * L_BINS
    hist_l = np.bincount(lidx.astype(np.int64), minlength=L_BINS).astype(np.float32) / len(lab)
    mean = lab.mean(axis=0) / np.array([100.0, 64.0, 64.0], np.float32)
    std = lab.std(axis=0) / np.array([50.0, 32.0, 32.0], np.float32)
    feats[: AB_BINS * AB_BINS] = hist_ab * 4.0
    feats[AB_BINS * AB_BINS : AB_BINS * AB_BINS + L_BINS] = hist_l * 2.0
    feats[-7:-4] = mean
    feats[-4:-1] = std
    feats[-1] = 1.0
    return feats


def combined_features(references: tuple[np.ndarray, ...]) -> np.ndarray:
    """Mean of the features of several references (zeros when there are none); (FEATURE_DIM,)."""
    if not references:
        return style_features(None)
    return np.mean([style_features(r) for r in references], axis=0).astype(np.float32)


class StyleEncoder(nn.Module):
    """MLP from style features to FiLM parameters.

    forward(feats (B, FEATURE_DIM), strength (B,)) → (B, 2 × film_channels): per-channel
    (gamma_delta, beta) already multiplied by strength (0 = no effect, 1 = full).
    """

    def __init__(self, film_channels: int, hidden: int = 64) -> None:
        super().__init__()
        self.film_channels = film_channels
        self.mlp = nn.Sequential(
            nn.Linear(FEATURE_DIM, hidden),
            nn.ReLU(inplace=True),
            nn.Linear(hidden, hidden),
            nn.ReLU(inplace=True),
            nn.Linear(hidden, 2 * film_channels),
        )
        last = self.mlp[-1]
        assert isinstance(last, nn.Linear)
        nn.init.zeros_(last.weight)
        nn.init.zeros_(last.bias)

    def forward(self, feats: torch.Tensor, strength: torch.Tensor) -> torch.Tensor:
        if feats.ndim != 2 or feats.shape[1] != FEATURE_DIM:
            raise ValueError(f"style features must be (B, {FEATURE_DIM}), got {tuple(feats.shape)}")
        present = feats[:, -1:]  # no reference → no modulation, whatever the MLP learned
        return self.mlp(feats) * strength.view(-1, 1) * present
