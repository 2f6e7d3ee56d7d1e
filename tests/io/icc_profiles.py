"""ICC profiles built in the tests (no system profile is needed), and the maths to check them."""

from __future__ import annotations

import struct

import numpy as np

#: D50-adapted colorants (XYZ of each primary, columns r, g, b) as ICC profiles store them.
SRGB_COLORANTS = np.array(
    [[0.4360747, 0.3850649, 0.1430804], [0.2225045, 0.7168786, 0.0606169],
     [0.0139322, 0.0971045, 0.7141733]]
)  # fmt: skip
ADOBE_RGB_COLORANTS = np.array(
    [[0.6097559, 0.2052401, 0.1492240], [0.3111145, 0.6256561, 0.0632197],
     [0.0194702, 0.0608868, 0.7448387]]
)  # fmt: skip
ADOBE_RGB_GAMMA = 563 / 256  # 2.19921875, as Adobe RGB (1998) stores it (u8Fixed8)
D50 = (0.9642, 1.0, 0.8249)


def _s15(v: float) -> bytes:
    return struct.pack(">i", round(v * 65536))


def _xyz(values: tuple[float, float, float]) -> bytes:
    return b"XYZ \0\0\0\0" + b"".join(_s15(v) for v in values)


def _desc(text: str) -> bytes:
    ascii_ = text.encode("ascii") + b"\0"
    body = b"desc\0\0\0\0" + struct.pack(">I", len(ascii_)) + ascii_
    return body + struct.pack(">II", 0, 0) + struct.pack(">HB", 0, 0) + b"\0" * 67


def _curve(gamma: float) -> bytes:
    return b"curv\0\0\0\0" + struct.pack(">IH", 1, round(gamma * 256)) + b"\0\0"


def rgb_icc_profile(colorants: np.ndarray, gamma: float, name: str) -> bytes:
    """A minimal ICC v2 matrix/TRC display profile: the given D50 colorants, one pure-gamma
    curve for the three channels, white point D50."""
    curve = _curve(gamma)
    tags = [
        (b"desc", _desc(name)),
        (b"cprt", b"text\0\0\0\0" + b"public domain\0"),
        (b"wtpt", _xyz(D50)),
        (b"rXYZ", _xyz(tuple(colorants[:, 0]))),
        (b"gXYZ", _xyz(tuple(colorants[:, 1]))),
        (b"bXYZ", _xyz(tuple(colorants[:, 2]))),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    return _profile(b"RGB ", tags)


def grey_icc_profile(gamma: float, name: str) -> bytes:
    """A minimal ICC v2 grey display profile: one pure-gamma curve, white point D50."""
    tags = [
        (b"desc", _desc(name)),
        (b"cprt", b"text\0\0\0\0" + b"public domain\0"),
        (b"wtpt", _xyz(D50)),
        (b"kTRC", _curve(gamma)),
    ]
    return _profile(b"GRAY", tags)


def _profile(space: bytes, tags: list[tuple[bytes, bytes]]) -> bytes:
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for sig, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += sig + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = (
        struct.pack(">I", size)
        + b"\0\0\0\0"
        + struct.pack(">I", 0x02100000)
        + b"mntr"
        + space
        + b"XYZ "
        + struct.pack(">6H", 2024, 1, 1, 0, 0, 0)
        + b"acsp"
        + b"\0" * 24
        + struct.pack(">I", 0)  # rendering intent: perceptual
        + b"".join(_s15(v) for v in D50)
        + b"\0" * 48
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data


def to_srgb_expected(rgb: np.ndarray, colorants: np.ndarray, gamma: float) -> np.ndarray:
    """What a colour-managed conversion of ``rgb`` (uint8 (..., 3) in the profile's space) to
    sRGB gives, computed here from the matrices (relative colorimetric: out of gamut clips)."""
    linear = (rgb.astype(np.float64) / 255.0) ** gamma
    srgb_linear = linear @ (np.linalg.inv(SRGB_COLORANTS) @ colorants).T
    return srgb_encode(srgb_linear)


def srgb_encode(linear: np.ndarray) -> np.ndarray:
    """Linear light 0..1 → sRGB 0..255 integers."""
    c = np.clip(linear, 0.0, 1.0)
    encoded = np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1 / 2.4) - 0.055)
    return np.rint(encoded * 255.0).astype(np.int64)
