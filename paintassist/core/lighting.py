"""The light pass: a ``shadow`` (multiply) and a ``lighting`` (screen) layer from a light direction.

The surface comes from :func:`estimate_shape` (see :mod:`paintassist.core.shape`), computed once per
sketch/regions and cached by the pipeline. :func:`render_light` is what runs when only the light
changes: it evaluates the lighting model once per *quantised normal* (a 255×255 table, ~65 k
entries) and then looks every pixel up in that table, so a whole A4 page re-lights in a fraction of
a second.

Lighting model (n = surface normal, L = direction toward the light, V = toward the viewer):

* shadow: a soft terminator on ``n·L`` (form shadow on the side turned away), strength
  ``intensity × (1 − ambient)``, tinted cool/complementary to the light colour and deepened by the
  flat colour itself (shadows on skin go warm-saturated, not grey);
* lighting: a soft Blinn–Phong highlight (a smooth step on ``n·H``) plus a rim light on outlines
  that face the light (a Fresnel-like ``1 − nz``), in the light colour, strength ``intensity``;
* balance −1 keeps only the shadow, +1 only the lighting.

Also here: the ``--light`` command-line form and the JSON form of :class:`LightSettings`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import cv2
import numpy as np

from paintassist.core.errors import InputError
from paintassist.core.shape import (
    NORMAL_LEVELS,
    UNLIT_INDEX,
    Shape,
    estimate_shape,
    normal_table,
    unlit_mask,
)
from paintassist.core.types import RGB, LightSettings, hex_to_rgb, rgb_to_hex

__all__ = [
    "LightSettingsError",
    "Shape",
    "estimate_shape",
    "light_direction",
    "light_from_dict",
    "light_to_dict",
    "parse_light_spec",
    "render_light",
]

#: Terminator of the form shadow on n·L: fully shadowed below the first value, unshadowed above the
#: second. Wide on purpose (soft, painterly); a frontal surface under a 35° light has n·L ≈ 0.57.
_TERMINATOR = (-0.2, 0.55)
#: Darkest the shadow gets at full strength, as the fraction of the way to its tint colour.
_SHADOW_DEPTH = 1.0
#: How much of the flat colour goes into the shadow's tint (0 = tint only, 1 = tint × flat).
_SHADOW_SATURATION = 0.85
#: n·H where the highlight starts (cos 22°); it peaks where the surface faces the half vector.
_SPECULAR_START = 0.93
_SPECULAR_WEIGHT = 0.45
_RIM_WEIGHT = 0.5
#: Rim light starts where the surface turns this far from the viewer (1 − nz).
_RIM_START = (0.45, 0.85)


class LightSettingsError(InputError, ValueError):
    """Bad light settings in a project or hints file; ``str()`` reads ``"<where>: <problem>"``."""


# -- rendering -------------------------------------------------------------------------------------
def light_direction(settings: LightSettings) -> tuple[float, float, float]:
    """Unit vector toward the light in image axes (x right, y down, z toward the viewer)."""
    az = math.radians(settings.azimuth_deg)
    el = math.radians(min(90.0, max(0.0, settings.elevation_deg)))
    return (math.cos(el) * math.cos(az), -math.cos(el) * math.sin(az), math.sin(el))


def render_light(
    shape: Shape,
    base_rgb: np.ndarray,
    settings: LightSettings,
    *,
    unlit: Iterable[int] = frozenset(),
) -> tuple[np.ndarray, np.ndarray]:
    """Render the light pass.

    shape: from :func:`estimate_shape` at (H, W). base_rgb: uint8 (H, W, 3), the flats.
    unlit: region ids to leave unlit besides those the shape already excludes (the background),
    e.g. marked by the artist; cheap, no new shape needed.
    Returns ``(lighting, shadow)``: lighting uint8 (H, W, 3), a screen layer (black = no change);
    shadow uint8 (H, W, 3), a multiply layer (white = no change). Unlit pixels are exactly black /
    white; so is everything when the intensity is 0. ``settings.enabled`` is not looked at: the
    caller decides whether the pass runs. Raises ValueError for a base image of another size or
    settings out of range.
    """
    h, w = shape.size
    if base_rgb.shape != (h, w, 3) or base_rgb.dtype != np.uint8:
        raise ValueError(
            f"base image must be uint8 ({h}, {w}, 3) like the shape, got {base_rgb.dtype} "
            f"{base_rgb.shape}"
        )
    _check_settings(settings, "light")
    table = _light_table(settings)
    # One gather of 4 bytes a pixel: lighting RGB + shadow strength.
    index = shape.index
    off = unlit_mask(shape.labels, -1, unlit)
    if off is not None:
        index = np.where(off, np.uint16(UNLIT_INDEX), index)
    packed = table.view(np.uint32).ravel()[index]
    both = packed.view(np.uint8).reshape(h, w, 4)
    lighting = np.ascontiguousarray(both[..., :3])
    strength = np.ascontiguousarray(both[..., 3])
    shadow = _shadow_layer(strength, base_rgb, settings.rgb)
    return lighting, shadow


def _light_table(settings: LightSettings) -> np.ndarray:
    """uint8 (NORMAL_LEVELS² + 1, 4): lighting RGB and shadow strength (0..255) for every
    quantised normal, plus the unlit entry (all zero) last."""
    n = normal_table()
    lx, ly, lz = light_direction(settings)
    nx, ny, nz = n[:, 0], n[:, 1], n[:, 2]
    lam = nx * lx + ny * ly + nz * lz

    intensity = float(settings.intensity)
    shadow_amount = min(1.0, intensity * (1.0 - float(settings.ambient))) * min(
        1.0, 1.0 - float(settings.balance)
    )
    light_amount = min(2.0, intensity) * min(1.0, 1.0 + float(settings.balance))

    lo, hi = _TERMINATOR
    shade = 1.0 - _smoothstep(lo, hi, lam)
    strength = shade * (shadow_amount * _SHADOW_DEPTH)

    # Blinn–Phong half vector between the light and the viewer (0, 0, 1).
    hx, hy, hz = lx, ly, lz + 1.0
    norm = math.sqrt(hx * hx + hy * hy + hz * hz)
    n_dot_h = np.clip((nx * hx + ny * hy + nz * hz) / norm, 0.0, 1.0)
    # A highlight spot where the surface faces the half vector; the frontal middle of every region
    # stays clear unless the light is nearly frontal (a uniform veil would just wash colours out).
    spec = _smoothstep(_SPECULAR_START, 1.0, n_dot_h) * _smoothstep(0.0, 0.3, lam)
    # Rim: outlines turned away from the viewer whose outward side faces the light's azimuth.
    planar = math.hypot(lx, ly)
    if planar > 1e-6:
        side = np.sqrt(nx * nx + ny * ny)
        facing = (nx * lx + ny * ly) / (np.maximum(side, 1e-6) * planar)
        rim = _smoothstep(*_RIM_START, 1.0 - nz) * np.clip(facing, 0.0, 1.0) ** 1.5 * planar
    else:
        rim = np.zeros_like(lam)
    glow = np.clip((spec * _SPECULAR_WEIGHT + rim * _RIM_WEIGHT) * light_amount, 0.0, 1.0)

    colour = np.asarray(settings.rgb, np.float32)
    table = np.zeros((NORMAL_LEVELS * NORMAL_LEVELS + 1, 4), np.uint8)
    table[:UNLIT_INDEX, :3] = np.clip(glow[:, None] * colour + 0.5, 0, 255).astype(np.uint8)
    table[:UNLIT_INDEX, 3] = np.clip(strength * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return table


def _shadow_layer(strength: np.ndarray, base_rgb: np.ndarray, light_rgb: RGB) -> np.ndarray:
    """Multiply layer ``255 − strength × (255 − target)``; target: shadow tint × (some of) the flat.

    strength: uint8 (H, W); base_rgb: uint8 (H, W, 3). Returns uint8 (H, W, 3).
    """
    tint = shadow_tint(light_rgb)
    ramp = np.arange(256, dtype=np.float32) / 255.0
    per_channel = tint[None, :] * (1.0 - _SHADOW_SATURATION + _SHADOW_SATURATION * ramp[:, None])
    lut = np.clip(255.0 - per_channel * 255.0 + 0.5, 0, 255).astype(np.uint8)  # 255 − target
    depth = cv2.LUT(base_rgb, lut.reshape(1, 256, 3))
    darken = cv2.multiply(depth, cv2.merge([strength, strength, strength]), scale=1.0 / 255.0)
    return np.asarray(cv2.bitwise_not(darken))


def shadow_tint(light_rgb: RGB) -> np.ndarray:
    """float32 (3,) in 0..1: the colour shadows lean to under a light of colour ``light_rgb``.

    Complementary to the light around a cool grey: a warm light gives blue-violet shadows, a blue
    light warm ones, white light a slightly cool grey.
    """
    light = np.asarray(light_rgb, np.float32) / 255.0
    cool = np.array([-0.03, -0.01, 0.05], np.float32)
    return np.asarray(np.clip(0.76 + 0.6 * (light.mean() - light) + cool, 0.25, 1.0), np.float32)


def _smoothstep(lo: float, hi: float, x: np.ndarray) -> np.ndarray:
    t = np.clip((x - lo) / (hi - lo), 0.0, 1.0)
    return np.asarray(t * t * (3.0 - 2.0 * t))


# -- settings: command line and JSON ---------------------------------------------------------------
_RANGES: dict[str, tuple[float, float, str]] = {
    "elevation": (0.0, 90.0, " degrees"),
    "intensity": (0.0, 2.0, ""),
    "ambient": (0.0, 1.0, ""),
    "balance": (-1.0, 1.0, ""),
}


def parse_light_spec(text: str) -> LightSettings:
    """``"AZIMUTH,ELEVATION[,COLOR[,INTENSITY]]"`` (degrees, ``#rrggbb``, 0..2) → enabled settings.

    Example: ``"135,35,#fff4d6,0.8"``. Raises ValueError naming the bad part.
    """
    parts = [p.strip() for p in str(text).split(",")]
    if not 2 <= len(parts) <= 4 or any(not p for p in parts):
        raise ValueError(
            f"light must be AZIMUTH,ELEVATION[,COLOR[,INTENSITY]] (e.g. 135,35,#fff4d6,0.8), "
            f"got {text!r}"
        )
    defaults = LightSettings()
    azimuth = _number(parts[0], "azimuth")
    elevation = _checked("elevation", _number(parts[1], "elevation"))
    rgb = defaults.rgb
    if len(parts) >= 3:
        try:
            rgb = hex_to_rgb(parts[2])
        except ValueError:
            raise ValueError(f"light colour must be #rrggbb, got {parts[2]!r}") from None
    intensity = defaults.intensity
    if len(parts) == 4:
        intensity = _checked("intensity", _number(parts[3], "intensity"))
    return LightSettings(
        enabled=True,
        azimuth_deg=azimuth % 360.0,
        elevation_deg=elevation,
        rgb=rgb,
        intensity=intensity,
        ambient=defaults.ambient,
        balance=defaults.balance,
    )


def light_to_dict(settings: LightSettings) -> dict[str, Any]:
    """The JSON form: ``{"azimuth", "elevation", "color", "intensity", "ambient", "balance",
    "enabled"}`` (degrees, ``#rrggbb``, plain numbers)."""
    return {
        "azimuth": float(settings.azimuth_deg),
        "elevation": float(settings.elevation_deg),
        "color": rgb_to_hex(settings.rgb),
        "intensity": float(settings.intensity),
        "ambient": float(settings.ambient),
        "balance": float(settings.balance),
        "enabled": bool(settings.enabled),
    }


def light_from_dict(d: Mapping[str, Any], where: str) -> LightSettings:
    """Inverse of :func:`light_to_dict`; missing keys take the defaults.

    where: what to name in errors (e.g. ``"project.json: light"``). Raises
    :class:`LightSettingsError` (a ValueError and an InputError) naming ``where`` and the key.
    """
    if not isinstance(d, Mapping):
        raise LightSettingsError(where, f"light settings must be an object, got {type(d).__name__}")
    known = {"azimuth", "elevation", "color", "intensity", "ambient", "balance", "enabled"}
    unknown = sorted(str(k) for k in d if k not in known)
    if unknown:
        raise LightSettingsError(
            where,
            f"unknown light setting(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})",
        )
    defaults = LightSettings()
    values: dict[str, float] = {
        "azimuth": defaults.azimuth_deg,
        "elevation": defaults.elevation_deg,
        "intensity": defaults.intensity,
        "ambient": defaults.ambient,
        "balance": defaults.balance,
    }
    for key in values:
        if key not in d:
            continue
        raw = d[key]
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
            raise LightSettingsError(where, f"'{key}' must be a number, got {raw!r}")
        problem = _range_problem(key, float(raw))
        if problem:
            raise LightSettingsError(where, f"'{key}' {problem}")
        values[key] = float(raw)
    rgb = defaults.rgb
    if "color" in d:
        raw = d["color"]
        try:
            rgb = hex_to_rgb(raw) if isinstance(raw, str) else _bad_colour(raw)
        except ValueError:
            raise LightSettingsError(where, f"'color' must be \"#rrggbb\", got {raw!r}") from None
    enabled = defaults.enabled
    if "enabled" in d:
        if not isinstance(d["enabled"], bool):
            raise LightSettingsError(
                where, f"'enabled' must be true or false, got {d['enabled']!r}"
            )
        enabled = d["enabled"]
    return LightSettings(
        enabled=enabled,
        azimuth_deg=values["azimuth"] % 360.0,
        elevation_deg=values["elevation"],
        rgb=rgb,
        intensity=values["intensity"],
        ambient=values["ambient"],
        balance=values["balance"],
    )


def _bad_colour(raw: object) -> RGB:
    raise ValueError(f"not a colour: {raw!r}")


def _number(text: str, name: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"light {name} must be a number, got {text!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"light {name} must be a finite number, got {text!r}")
    return value


def _range_problem(name: str, value: float) -> str | None:
    """``"must be between …, got …"`` when ``value`` is out of the setting's range, else None."""
    lo, hi, unit = _RANGES.get(name, (-math.inf, math.inf, ""))
    if lo <= value <= hi:
        return None
    return f"must be between {lo:g} and {hi:g}{unit}, got {value:g}"


def _checked(name: str, value: float) -> float:
    problem = _range_problem(name, value)
    if problem:
        raise ValueError(f"{name} {problem}")
    return value


def _check_settings(settings: LightSettings, where: str) -> None:
    """Reject settings built in code with out-of-range values (the parsers already check)."""
    if not math.isfinite(settings.azimuth_deg):
        raise ValueError(f"{where}: azimuth must be a finite number, got {settings.azimuth_deg}")
    for name, value in (
        ("elevation", settings.elevation_deg),
        ("intensity", settings.intensity),
        ("ambient", settings.ambient),
        ("balance", settings.balance),
    ):
        try:
            _checked(name, float(value))
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
    if len(settings.rgb) != 3 or any(not 0 <= int(c) <= 255 for c in settings.rgb):
        raise ValueError(f"{where}: colour must be three values in 0..255, got {settings.rgb!r}")
