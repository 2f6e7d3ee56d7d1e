"""What the canvas shows for a result: the layer stack composed with the layers panel's values
(the same :func:`paintassist.core.layers.compose` the export's composite uses)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from paintassist.core.layers import compose, is_default, stack_of
from paintassist.core.types import ColorizeResult


def preview_image(
    result: ColorizeResult, visible: Mapping[str, bool], opacity: Mapping[str, float]
) -> np.ndarray:
    """uint8 (h, w, 3) to display; ``result.composite`` when the panel is at its defaults."""
    if is_default(visible, opacity):
        return result.composite
    return compose(stack_of(result, with_regions=visible.get("regions", False)), visible, opacity)
