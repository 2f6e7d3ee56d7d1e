"""G'MIC line-art colorization filters, run in-process through the PyPI ``gmic`` module.

* :func:`smart_coloring` — ``fx_colorize_lineart_smart`` (G'MIC's "Smart Coloring": its own
  segmentation, colours from spots, or random colours without spots): the segmentation peer.
* :func:`propagation` — ``fx_colorize_lineart`` in Propagation mode: hint colours spread over the
  paper up to the lines; the hint-quality peer.

Both take our ink map (float32 (H, W), 0 = paper, 1 = ink) and a :class:`HintSet`, hand G'MIC a
black-on-white line image plus an RGBA "spots" image (alpha 255 where a hint is: accurate dots as
discs of radius ``size``, draft squares as squares of side ``size``), and return uint8 (H, W, 3)
RGB.
The filter command lines are those measured in ``/work/shared/design/MEASURED.md``.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import cv2
import numpy as np

from paintassist.core.types import HintSet

#: fx_colorize_lineart_smart parameters after the mode (the MEASURED.md command line).
SMART_PARAMS = "95,0,0,1,24,200,0,75,2,60,20,90,1,10,1,0"
#: fx_colorize_lineart parameters: Propagation mode.
PROPAGATION_PARAMS = "0,0,0,0.05"


class PeerUnavailableError(RuntimeError):
    """The peer tool is not installed or failed to run."""


def _gmic() -> ModuleType:
    try:
        # imported by name: the package's type stub does not parse under mypy
        gmic = importlib.import_module("gmic")
    except ImportError as exc:
        raise PeerUnavailableError(
            f"G'MIC not available: the Python module 'gmic' cannot be imported ({exc}); "
            "install it with `pip install gmic`"
        ) from exc
    return gmic


def available() -> bool:
    """True when the ``gmic`` module imports."""
    try:
        _gmic()
    except PeerUnavailableError:
        return False
    return True


def line_image(ink: np.ndarray) -> np.ndarray:
    """float32 (H, W, 3) black-on-white line art in 0..255 from an ink map float (H, W) 0..1."""
    if ink.ndim != 2:
        raise ValueError(f"ink must be (H, W), got {ink.shape}")
    grey = (1.0 - np.clip(ink.astype(np.float32), 0.0, 1.0)) * np.float32(255.0)
    return np.repeat(grey[..., None], 3, axis=2)


def spots_image(shape: tuple[int, int], hints: HintSet) -> np.ndarray:
    """float32 (H, W, 4) RGBA in 0..255: hint colours with alpha 255 where a hint is, 0 elsewhere.
    Drawn in order, so later hints cover earlier ones."""
    h, w = shape
    spots = np.zeros((h, w, 4), np.float32)
    for hint in hints:
        colour = (*map(float, hint.rgb), 255.0)
        cx, cy = round(hint.x), round(hint.y)
        if hint.kind == "accurate":
            cv2.circle(spots, (cx, cy), max(0, round(hint.size)), colour, -1, cv2.LINE_8)
        else:
            half = max(0, round(hint.size / 2))
            cv2.rectangle(spots, (cx - half, cy - half), (cx + half, cy + half), colour, -1)
    return spots


def _run(command: str, images: list[np.ndarray]) -> list[np.ndarray]:
    gmic = _gmic()
    gimages: Any = gmic.ImageList([gmic.Image.from_yxc(np.ascontiguousarray(a)) for a in images])
    try:
        out = gmic.run(f"-v -1 {command}", gimages)
    except Exception as exc:  # gmic raises its own exception type for filter errors
        raise PeerUnavailableError(f"G'MIC failed running {command.split()[0]}: {exc}") from exc
    return [np.asarray(im.to_numpy())[:, :, 0, :].transpose(1, 0, 2) for im in out]


def _to_rgb_u8(img: np.ndarray) -> np.ndarray:
    """(H, W, C) float 0..255 → uint8 RGB; alpha (C = 2 or 4) composited over white."""
    rgb = img[..., :3] if img.shape[2] >= 3 else np.repeat(img[..., :1], 3, axis=2)
    if img.shape[2] in (2, 4):
        alpha = img[..., -1:] / 255.0
        rgb = rgb * alpha + 255.0 * (1.0 - alpha)
    return np.clip(rgb + 0.5, 0, 255).astype(np.uint8)


def smart_coloring(ink: np.ndarray, hints: HintSet | None = None) -> np.ndarray:
    """G'MIC Smart Coloring of the line art: uint8 (H, W, 3), the colour layer multiplied by the
    lines. Colours come from the hints' spots; without hints G'MIC picks random colours per region
    (auto-fill), which is what the segmentation benchmark times."""
    hints = hints if hints is not None else HintSet()
    mode = 1 if len(hints) else 0
    out = _run(
        f"fx_colorize_lineart_smart {mode},{SMART_PARAMS}",
        [spots_image(ink.shape, hints), line_image(ink)],
    )
    colours = _to_rgb_u8(out[-1]).astype(np.float32)
    lines = 1.0 - np.clip(ink.astype(np.float32), 0.0, 1.0)
    return np.clip(colours * lines[..., None] + 0.5, 0, 255).astype(np.uint8)


def propagation(ink: np.ndarray, hints: HintSet) -> np.ndarray:
    """G'MIC Colorize Lineart in Propagation mode on the same hints: uint8 (H, W, 3) with lines."""
    out = _run(
        f"fx_colorize_lineart {PROPAGATION_PARAMS}",
        [spots_image(ink.shape, hints), line_image(ink)],
    )
    return _to_rgb_u8(out[0])
