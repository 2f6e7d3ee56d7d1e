"""Shading layer: the refined colours relative to the flats, as a multiply layer."""

from __future__ import annotations

import numpy as np


def shading_layer(color: np.ndarray, flats: np.ndarray) -> np.ndarray:
    """Multiply layer ``s`` with ``flats × s ≈ color``.

    color, flats: uint8 (H, W, 3). Returns uint8 (H, W, 3); white (255) means "no change". Where the
    refined colour is brighter than the flat (highlights), multiply cannot brighten, so ``s`` is
    clipped to white there; the light pass's screen layer carries highlights.
    The ratio is taken on luminance and applied to all channels, so shading never tints the flats
    (hue comes from the flats; the artist can recolour a flat without the shading fighting back).
    """
    c = color.astype(np.float32)
    f = flats.astype(np.float32)
    lum_c = c @ np.array([0.299, 0.587, 0.114], np.float32)
    lum_f = f @ np.array([0.299, 0.587, 0.114], np.float32)
    ratio = (lum_c + 1.0) / (lum_f + 1.0)
    s = np.clip(ratio * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return np.repeat(s[..., None], 3, axis=2)
