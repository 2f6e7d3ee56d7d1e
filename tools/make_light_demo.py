"""Make the README pictures of the light pass: a sketch's flats before, and lit from two directions.

    python tools/make_light_demo.py --sketch resources/samples/chibi_girl.png --out docs/images/

Writes into ``--out``: ``<name>_demo.png`` (before | light A | light B, side by side, each labelled)
and ``<name>_layers.png`` (the shadow and lighting layers of light A; the lighting on black, as a
screen layer looks). The sketch is cropped to its drawing, scaled to ``--long-side`` and coloured
from its hints file (``<sketch>.json`` next to it, or ``--hints``); without hints every region
gets a pastel colour of its own. Regions, flats, the light pass and the composite come from the same
functions the pipeline uses.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

from paintassist.core import flatten, layers, lighting, lineart, regions
from paintassist.core.errors import PaintAssistError
from paintassist.core.types import HintSet, LightSettings
from paintassist.io.hints_file import load_hints
from paintassist.io.images import load_sketch
from paintassist.io.png import encode_png


def crop_box(ink: np.ndarray, margin: float = 0.04) -> tuple[int, int, int, int]:
    """(y0, y1, x0, x1) of the drawing's bounding box plus a margin (fraction of its long side)."""
    ys, xs = np.nonzero(ink > 0.35)
    h, w = ink.shape
    if ys.size == 0:
        return 0, h, 0, w
    pad = round(margin * max(ys.max() - ys.min(), xs.max() - xs.min()))
    return (max(0, int(ys.min()) - pad), min(h, int(ys.max()) + pad + 1),
            max(0, int(xs.min()) - pad), min(w, int(xs.max()) + pad + 1))


def pastel_palette(count: int, background: int, seed: int = 7) -> np.ndarray:
    """uint8 (count, 3): a soft colour per region, white background."""
    rng = np.random.default_rng(seed)
    hsv = np.stack([rng.integers(0, 180, count), rng.integers(40, 110, count),
                    rng.integers(200, 250, count)], axis=1).astype(np.uint8)
    rgb = cv2.cvtColor(hsv[None], cv2.COLOR_HSV2RGB)[0]
    if background >= 0:
        rgb[background] = 255
    return rgb


def label(img: np.ndarray, text: str) -> np.ndarray:
    """Copy of uint8 (H, W, 3) with ``text`` in a white box at the top left."""
    out = img.copy()
    scale = max(0.5, img.shape[0] / 900)
    (tw, th), base = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, 1)
    cv2.rectangle(out, (0, 0), (tw + 16, th + base + 14), (255, 255, 255), -1)
    cv2.putText(out, text, (8, th + 7), cv2.FONT_HERSHEY_SIMPLEX, scale, (40, 40, 40), 1,
                cv2.LINE_AA)
    return out


def describe(s: LightSettings) -> str:
    return f"light {s.azimuth_deg:g} deg, elevation {s.elevation_deg:g}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sketch", type=Path, required=True)
    parser.add_argument("--hints", type=Path, help="hints file (default: <sketch>.json if present)")
    parser.add_argument("--out", type=Path, default=Path("docs/images"))
    parser.add_argument("--name", default=None, help="file name prefix (default: light_<stem>)")
    parser.add_argument("--long-side", type=int, default=720, help="px of each panel's long side")
    parser.add_argument("--light", action="append", default=None, metavar="AZ,EL[,COLOR[,I]]",
                        help="two lights (default: 135,35 and 330,30,#ffe2b8)")
    parser.add_argument("--no-crop", action="store_true", help="keep the whole page")
    args = parser.parse_args(argv)

    specs = args.light or ["135,35", "330,30,#ffe2b8"]
    if len(specs) != 2:
        parser.error("give --light exactly twice (or not at all)")
    try:
        lights = [lighting.parse_light_spec(s) for s in specs]
        sketch = load_sketch(args.sketch)
        hints_path = args.hints or args.sketch.with_suffix(".json")
        hints = load_hints(hints_path).hints if hints_path.is_file() else None
    except (PaintAssistError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    ink = sketch.ink
    y0, y1, x0, x1 = (0, ink.shape[0], 0, ink.shape[1]) if args.no_crop else crop_box(ink)
    ink = ink[y0:y1, x0:x1]
    scale = min(1.0, args.long_side / max(ink.shape))
    size = (max(1, round(ink.shape[1] * scale)), max(1, round(ink.shape[0] * scale)))
    ink = np.ascontiguousarray(cv2.resize(ink, size, interpolation=cv2.INTER_AREA))
    regmap = regions.segment(ink, gap_px=max(1, round(6 * scale)),
                             min_region_px=max(1, round(24 * scale * scale)))
    if hints is not None:
        moved = HintSet(tuple(h.moved(h.x - x0, h.y - y0) for h in hints
                              if x0 <= h.x < x1 and y0 <= h.y < y1)).scaled(scale)
        palette = flatten.classical_palette(regmap, moved)
    else:
        palette = pastel_palette(regmap.count, regmap.background)
    flats = flatten.paint(regmap, palette)
    ink_layer = lineart.lineart_layer(ink)
    shape = lighting.estimate_shape(regmap)

    panels = [label(layers.compose({"flats": flats, "lineart": ink_layer}), "flats, no light")]
    first: tuple[np.ndarray, np.ndarray] | None = None
    for s in lights:
        lit, shadow = lighting.render_light(shape, flats, s)
        first = first or (lit, shadow)
        comp = layers.compose({"flats": flats, "shadow": shadow, "lighting": lit,
                               "lineart": ink_layer})
        panels.append(label(comp, describe(s)))
    assert first is not None
    gap = np.full((panels[0].shape[0], 6, 3), 255, np.uint8)
    demo = np.hstack([panels[0], gap, panels[1], gap, panels[2]])
    lit, shadow = first
    layer_view = np.hstack([label(shadow, "shadow (multiply)"), gap,
                            label(lit, "lighting (screen)")])

    args.out.mkdir(parents=True, exist_ok=True)
    name = args.name or f"light_{args.sketch.stem}"
    for suffix, img in (("demo", demo), ("layers", layer_view)):
        path = args.out / f"{name}_{suffix}.png"
        path.write_bytes(encode_png(img, compression=9))
        print(f"wrote {path} ({img.shape[1]}x{img.shape[0]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
