"""Render SVG drawings to colour and exactly matching line-art images with ``rsvg-convert``.

Line art is never edge-detected: the line image is the same SVG rendered again with every
non-dark paint (fill or stroke) replaced by ``none``, so lines sit on exactly the same pixels as
in the colour image.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import cv2
import numpy as np

SIZE = 256
_DARK_LUMA = 80.0  # paints at or below this luma (0..255) count as ink

_HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
_PAINT_ATTR = re.compile(r"""\b(fill|stroke)\s*=\s*(["'])([^"']*)\2""")
_PAINT_STYLE = re.compile(r"""\b(fill|stroke)\s*:\s*([^;"'}]+)""")
_RGB_FN = re.compile(r"rgb\(\s*(\d+)%?\s*,\s*(\d+)%?\s*,\s*(\d+)%?\s*\)")
_NAMED = {
    "black": (0, 0, 0),
    "white": (255, 255, 255),
    "red": (255, 0, 0),
    "green": (0, 128, 0),
    "blue": (0, 0, 255),
    "yellow": (255, 255, 0),
    "gray": (128, 128, 128),
    "grey": (128, 128, 128),
    "orange": (255, 165, 0),
    "navy": (0, 0, 128),
    "maroon": (128, 0, 0),
    "purple": (128, 0, 128),
    "brown": (165, 42, 42),
    "pink": (255, 192, 203),
    "silver": (192, 192, 192),
}


def have_renderer() -> bool:
    """True when ``rsvg-convert`` (Debian ``librsvg2-bin``) is on PATH."""
    return shutil.which("rsvg-convert") is not None


def parse_colour(value: str) -> tuple[int, int, int] | None:
    """``"#a0b"``, ``"#aabbcc"``, ``"rgb(1,2,3)"`` or a basic colour name → RGB; None otherwise."""
    v = value.strip().lower()
    m = _HEX.fullmatch(v)
    if m:
        s = m.group(1)
        if len(s) == 3:
            s = "".join(c * 2 for c in s)
        return int(s[0:2], 16), int(s[2:4], 16), int(s[4:6], 16)
    m = _RGB_FN.fullmatch(v)
    if m:
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    return _NAMED.get(v)


def is_dark(rgb: tuple[int, int, int]) -> bool:
    """Near-black or dark grey (saturated dark blues/reds are colours, not ink)."""
    r, g, b = rgb
    return 0.299 * r + 0.587 * g + 0.114 * b <= _DARK_LUMA and max(rgb) - min(rgb) <= 60


def line_only_svg(svg: str) -> str:
    """The SVG with every non-dark fill/stroke paint set to ``none`` (dark paints and unparsable
    values such as ``url(#…)`` are kept; callers reject gradient SVGs beforehand)."""

    def attr(m: re.Match[str]) -> str:
        rgb = parse_colour(m.group(3))
        if rgb is not None and not is_dark(rgb):
            return f'{m.group(1)}={m.group(2)}none{m.group(2)}'
        return m.group(0)

    def style(m: re.Match[str]) -> str:
        rgb = parse_colour(m.group(2))
        if rgb is not None and not is_dark(rgb):
            return f"{m.group(1)}:none"
        return m.group(0)

    return _PAINT_STYLE.sub(style, _PAINT_ATTR.sub(attr, svg))


def render(svg: str, size: int = SIZE, timeout_s: float = 20.0) -> np.ndarray | None:
    """Render SVG text onto white, fitted and centred in a ``size`` square.

    Returns uint8 (size, size, 3) RGB, or None when the renderer fails or times out.
    """
    try:
        proc = subprocess.run(
            ["rsvg-convert", "-a", "-w", str(size), "-h", str(size), "-b", "white", "-f", "png"],
            input=svg.encode("utf-8"),
            capture_output=True,
            timeout=timeout_s,
            check=False,
        )
    except (subprocess.TimeoutExpired, OSError):
        return None
    if proc.returncode != 0 or not proc.stdout:
        return None
    img = cv2.imdecode(np.frombuffer(proc.stdout, np.uint8), cv2.IMREAD_COLOR)
    if img is None:
        return None
    img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
    h, w = img.shape[:2]
    if h > size or w > size:
        scale = size / max(h, w)
        img = cv2.resize(img, (max(1, round(w * scale)), max(1, round(h * scale))),
                         interpolation=cv2.INTER_AREA)
        h, w = img.shape[:2]
    out = np.full((size, size, 3), 255, np.uint8)
    y0, x0 = (size - h) // 2, (size - w) // 2
    out[y0 : y0 + h, x0 : x0 + w] = img
    return out


def ink_from_render(rgb: np.ndarray) -> np.ndarray:
    """Line render uint8 (H, W, 3) on white → ink uint8 (H, W), 0 = paper, 255 = full ink."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    return (255 - grey).astype(np.uint8)
