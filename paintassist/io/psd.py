"""Photoshop ``.psd`` of the layer stack, written with psd-tools (a maintained PSD library).

The same stack as the OpenRaster file (:mod:`paintassist.core.layers`): one pixel layer per stack
layer at full resolution, bottom to top, with its name, blend mode (normal, multiply, screen),
opacity and visibility (hidden layers are kept, hidden); ``lineart`` keeps its alpha as layer
transparency. The merged image (what viewers and "Maximize Compatibility" readers show) is our own
composite, the same pixels as ``composite.png``. The file carries the page's resolution (resource
1005) and an sRGB ICC profile (resource 1039). 8 bits per channel, RGB, PackBits (RLE) channels.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms
from psd_tools import PSDImage
from psd_tools.constants import BlendMode, Compression, Resource
from psd_tools.psd.image_resources import ImageResource, ResoulutionInfo

from paintassist.core.layers import LAYER_STACK
from paintassist.io.atomic import atomic_open

_BLEND = {"normal": BlendMode.NORMAL, "multiply": BlendMode.MULTIPLY, "screen": BlendMode.SCREEN}
_PIXELS_PER_INCH, _INCHES = 1, 1  # ResolutionInfo units


def srgb_icc_bytes() -> bytes:
    """An sRGB ICC profile (LittleCMS's built-in sRGB, ~600 bytes)."""
    return bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())


def build_psd(
    layers: Mapping[str, np.ndarray],
    composite: np.ndarray,
    visible: Mapping[str, bool] | None = None,
    opacity: Mapping[str, float] | None = None,
    dpi: tuple[float, float] = (300.0, 300.0),
) -> PSDImage:
    """The document: ``layers`` (name → uint8 (H, W, 3) or (H, W, 4)) in stack order, those
    missing from ``layers`` left out; ``composite`` uint8 (H, W, 3) as the merged image."""
    h, w = composite.shape[:2]
    psd = PSDImage.frompil(Image.fromarray(np.ascontiguousarray(composite), "RGB"))
    for s in LAYER_STACK:
        img = layers.get(s.name)
        if img is None:
            continue
        if img.shape[:2] != (h, w):
            raise ValueError(f"layer {s.name} is {img.shape[:2]}, the page is {(h, w)}")
        alpha = float((opacity or {}).get(s.name, s.opacity))
        level = max(0, min(255, round(255 * alpha)))
        if img.ndim == 3 and img.shape[2] == 4:
            # psd-tools' PIL path would turn alpha into a layer mask in an RGB document; the
            # array path keeps it as the layer's transparency, as painting programs expect.
            layer = psd.create_pixel_layer_from_array(
                np.ascontiguousarray(img), s.name, 0, 0, Compression.RLE, level, _BLEND[s.blend]
            )
        else:
            rgb = Image.fromarray(np.ascontiguousarray(img[..., :3]), "RGB")
            layer = psd.create_pixel_layer(
                rgb, s.name, 0, 0, Compression.RLE, level, _BLEND[s.blend]
            )
        layer.visible = bool((visible or {}).get(s.name, s.visible))
    resources = psd.image_resources
    x, y = (max(1, round(float(d) * 65536)) for d in dpi)  # 16.16 fixed point
    resources[Resource.RESOLUTION_INFO] = ImageResource(
        key=Resource.RESOLUTION_INFO,
        data=ResoulutionInfo(x, _PIXELS_PER_INCH, _INCHES, y, _PIXELS_PER_INCH, _INCHES),  # type: ignore[arg-type]
    )
    resources[Resource.ICC_PROFILE] = ImageResource(key=Resource.ICC_PROFILE, data=srgb_icc_bytes())
    return psd


def write_psd(
    path: Path,
    layers: Mapping[str, np.ndarray],
    composite: np.ndarray,
    visible: Mapping[str, bool] | None = None,
    opacity: Mapping[str, float] | None = None,
    dpi: tuple[float, float] = (300.0, 300.0),
) -> Path:
    """Write the ``.psd`` (atomically); see :func:`build_psd`.

    ``PSDImage.save`` would re-render the merged image with psd-tools' own compositor once layers
    are added; the record is written as built instead, so the merged image stays ours."""
    psd = build_psd(layers, composite, visible, opacity, dpi)
    with atomic_open(path, "wb") as handle:
        psd._record.write(handle)
    return path
