"""PNG bytes from and to uint8 arrays: the one encoder behind exports, projects and the tools."""

from __future__ import annotations

import cv2
import numpy as np

from paintassist.core.errors import PaintAssistError

#: Default zlib level: 1 is ~5x faster than 6 and ~15 % larger on line art.
PNG_COMPRESSION = 1


def encode_png(img: np.ndarray, compression: int = PNG_COMPRESSION) -> bytes:
    """uint8 (H, W) grey, (H, W, 3) RGB or (H, W, 4) RGBA → PNG bytes at zlib level
    ``compression`` (0..9)."""
    if img.dtype != np.uint8:
        raise ValueError(f"image must be uint8, got {img.dtype}")
    if img.ndim == 3 and img.shape[2] == 3:
        img = cv2.cvtColor(img, cv2.COLOR_RGB2BGR)
    elif img.ndim == 3 and img.shape[2] == 4:
        img = cv2.cvtColor(img, cv2.COLOR_RGBA2BGRA)
    elif img.ndim != 2:
        raise ValueError(f"image must be (H, W), (H, W, 3) or (H, W, 4), got {img.shape}")
    ok, buf = cv2.imencode(".png", img, [cv2.IMWRITE_PNG_COMPRESSION, compression])
    if not ok:
        raise PaintAssistError(f"PNG encoder failed on a {img.shape} image")
    return buf.tobytes()


def decode_png(data: bytes) -> np.ndarray:
    """PNG bytes → uint8 RGB/RGBA/grey array (the inverse of :func:`encode_png`)."""
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    if img is None:
        raise ValueError("not a PNG")
    if img.ndim == 3 and img.shape[2] == 3:
        return cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
    if img.ndim == 3 and img.shape[2] == 4:
        return cv2.cvtColor(img, cv2.COLOR_BGRA2RGBA)
    return img
