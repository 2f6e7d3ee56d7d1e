"""Our own line extraction for colour images without line art (the anime face crops)."""

from __future__ import annotations

import cv2
import numpy as np


def xdog_ink(rgb: np.ndarray, sigma: float = 0.8, k: float = 1.6, p: float = 20.0,
             eps: float = -0.02, phi: float = 40.0) -> np.ndarray:
    """Extended difference-of-Gaussians line drawing of an RGB image.

    rgb: uint8 (H, W, 3). Returns ink uint8 (H, W), 0 = paper, 255 = full ink.
    """
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255.0
    g1 = cv2.GaussianBlur(grey, (0, 0), sigma)
    g2 = cv2.GaussianBlur(grey, (0, 0), sigma * k)
    d = (1.0 + p) * g1 - p * g2
    paper = np.where(d >= eps, 1.0, 1.0 + np.tanh(phi * (d - eps)))
    return np.clip((1.0 - paper) * 255.0 + 0.5, 0, 255).astype(np.uint8)
