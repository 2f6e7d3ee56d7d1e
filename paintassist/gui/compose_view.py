"""What the canvas shows for a result: the layer stack composed with the layers panel's values
(the same :func:`paintassist.core.layers.compose` the export's composite uses)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from paintassist.core.layers import LAYER_STACK, compose
from paintassist.core.types import ColorizeResult


def regions_rgb(labels: np.ndarray) -> np.ndarray:
    """int32 (H, W) labels → uint8 (H, W, 3), a stable pseudo-random colour per label."""
    h = labels.astype(np.uint32) * np.uint32(2654435761)
    rgb = np.stack([(h >> 8) & 255, (h >> 16) & 255, (h >> 24) & 255], axis=-1)
    return (rgb.astype(np.uint8) // 2 + 100).astype(np.uint8)


def _is_default(visible: Mapping[str, bool], opacity: Mapping[str, float]) -> bool:
    return all(
        bool(visible.get(s.name, s.visible)) == s.visible
        and abs(float(opacity.get(s.name, s.opacity)) - s.opacity) < 1e-6
        for s in LAYER_STACK
    )


def preview_image(
    result: ColorizeResult, visible: Mapping[str, bool], opacity: Mapping[str, float]
) -> np.ndarray:
    """uint8 (h, w, 3) to display; ``result.composite`` when the panel is at its defaults."""
    if _is_default(visible, opacity):
        return result.composite
    stack: dict[str, np.ndarray] = {
        "flats": result.flats,
        "color": result.color,
        "shading": result.shading,
        "shadow": result.shadow,
        "lighting": result.lighting,
        "lineart": result.lineart,
    }
    if visible.get("regions", False):
        stack["regions"] = regions_rgb(result.regions)
    return compose(stack, visible, opacity)
