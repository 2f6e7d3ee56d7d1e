"""Augmentations that move clean clip-art line art towards real manga sketches, and colour jitter of
the target so the nets learn to follow hints rather than memorise clip-art palettes.

All functions take a ``numpy.random.Generator`` and work on uint8/float32 numpy arrays.
"""

from __future__ import annotations

import cv2
import numpy as np

from paintassist.core.lineart import ink_to_grey


def jitter_colours(rgb: np.ndarray, rng: np.random.Generator, strength: float = 1.0) -> np.ndarray:
    """Random hue rotation and saturation/value scaling; paper white and ink stay (low saturation
    is barely changed). rgb uint8 (H, W, 3) → uint8 (H, W, 3)."""
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV_FULL).astype(np.float32)
    hsv[..., 0] = (hsv[..., 0] + rng.uniform(0, 256) * strength) % 256
    hsv[..., 1] = np.clip(hsv[..., 1] * rng.uniform(0.7, 1.25), 0, 255)
    hsv[..., 2] = np.clip(hsv[..., 2] * rng.uniform(0.9, 1.08), 0, 255)
    return cv2.cvtColor(hsv.astype(np.uint8), cv2.COLOR_HSV2RGB_FULL)


def crop_scale(
    color: np.ndarray, ink: np.ndarray, out: int, rng: np.random.Generator,
    min_frac: float = 0.45,
) -> tuple[np.ndarray, np.ndarray]:
    """Random square crop (side = frac × image side), resized to ``out``; random flip.
    color uint8 (H, W, 3), ink uint8 (H, W) → (out, out, 3), (out, out)."""
    h, w = ink.shape
    side = round(min(h, w) * rng.uniform(min_frac, 1.0))
    y0 = int(rng.integers(0, h - side + 1))
    x0 = int(rng.integers(0, w - side + 1))
    c = color[y0 : y0 + side, x0 : x0 + side]
    k = ink[y0 : y0 + side, x0 : x0 + side]
    interp = cv2.INTER_AREA if side > out else cv2.INTER_LINEAR
    c = cv2.resize(c, (out, out), interpolation=interp)
    k = cv2.resize(k, (out, out), interpolation=interp)
    if rng.random() < 0.5:
        c, k = c[:, ::-1], k[:, ::-1]
    return np.ascontiguousarray(c), np.ascontiguousarray(k)


def sketchify(ink: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Degrade clean ink like a scanned pencil/pen sketch.

    ink uint8 (H, W) 0 = paper → float32 (H, W) 0..1: random line weight (erode/dilate), breaks,
    grey pencil strength, blur, screentone patch, paper texture, scan noise and JPEG artefacts.
    """
    k = ink.copy()
    r = rng.random()
    if r < 0.25:
        k = cv2.dilate(k, np.ones((2, 2), np.uint8))
    elif r < 0.45:
        k = cv2.erode(k, np.ones((2, 2), np.uint8))
    f = k.astype(np.float32) / 255.0
    h, w = f.shape
    if rng.random() < 0.4:  # line breaks: small holes along the strokes
        holes = np.zeros((h, w), np.uint8)
        for _ in range(int(rng.integers(3, 25))):
            cv2.circle(holes, (int(rng.integers(0, w)), int(rng.integers(0, h))),
                       int(rng.integers(1, 3)), 1, -1)
        f = f * (1 - holes)
    if rng.random() < 0.5:  # pencil: grey, uneven strokes
        strength = rng.uniform(0.45, 0.95)
        grain = cv2.GaussianBlur(rng.random((h, w)).astype(np.float32), (0, 0), 1.0)
        f = f * strength * (0.75 + 0.5 * grain)
    if rng.random() < 0.4:
        f = np.asarray(cv2.GaussianBlur(f, (0, 0), rng.uniform(0.4, 1.0)), np.float32)
    if rng.random() < 0.15:  # screentone patch
        y0, x0 = int(rng.integers(0, h // 2)), int(rng.integers(0, w // 2))
        ph, pw = int(rng.integers(h // 8, h // 2)), int(rng.integers(w // 8, w // 2))
        period = int(rng.integers(3, 6))
        yy, xx = np.mgrid[0:ph, 0:pw]
        dots = (((yy % period) == 0) & ((xx % period) == 0)).astype(np.float32) * 0.6
        f[y0 : y0 + ph, x0 : x0 + pw] = np.maximum(f[y0 : y0 + ph, x0 : x0 + pw], dots)
    if rng.random() < 0.5:  # paper texture + scan noise
        paper = cv2.GaussianBlur(rng.random((h, w)).astype(np.float32), (0, 0), 3.0)
        f = f + (paper - 0.5) * rng.uniform(0.0, 0.12) + rng.normal(0, 0.02, (h, w))
    f = np.clip(f, 0, 1)
    if rng.random() < 0.3:
        q = int(rng.integers(40, 90))
        ok, buf = cv2.imencode(".jpg", ink_to_grey(f), [cv2.IMWRITE_JPEG_QUALITY, q])
        decoded = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE) if ok else None
        if decoded is not None:
            f = 1.0 - decoded.astype(np.float32) / 255.0
    return f.astype(np.float32)


def simulated_draft(color: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """What a DraftNet draft looks like: low resolution, blurred, colours a little off.

    color uint8 (H, W, 3) → float32 (H, W, 3) 0..1 at the same size.
    """
    h, w = color.shape[:2]
    f = float(rng.uniform(3, 10))
    sh, sw = max(4, round(h / f)), max(4, round(w / f))
    small = cv2.resize(color, (sw, sh), interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
    small = np.asarray(cv2.GaussianBlur(small, (0, 0), rng.uniform(0.3, 1.2)), np.float32)
    noise = cv2.resize(rng.normal(0, rng.uniform(0.02, 0.12), (max(2, sh // 4), max(2, sw // 4), 3))
                       .astype(np.float32), (sw, sh), interpolation=cv2.INTER_LINEAR)
    small = small + noise
    if rng.random() < 0.3:  # washed-out draft
        grey = small.mean(axis=2, keepdims=True)
        small = grey + (small - grey) * rng.uniform(0.2, 0.8)
    up = cv2.resize(np.clip(small, 0, 1), (w, h), interpolation=cv2.INTER_LINEAR)
    return up.astype(np.float32)
