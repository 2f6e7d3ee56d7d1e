"""Make ``docs/images/result.png`` for the README: each bundled sample as sketch → colorized
composite → composite with the light pass, through the same pipeline the CLI runs.

    python tools/make_readme_result.py [--out docs/images/result.png] [--height 560]
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np

from paintassist.app.services import build_pipeline
from paintassist.core.types import ColorizeOptions, ColorizeRequest, LightSettings
from paintassist.io.hints_file import load_hints
from paintassist.io.images import load_rgb, load_sketch
from paintassist.io.png import encode_png
from paintassist.paths import sample_sketches

LIGHT = LightSettings(enabled=True, azimuth_deg=135, elevation_deg=35, intensity=0.9)


def _fit(img: np.ndarray, height: int) -> np.ndarray:
    h, w = img.shape[:2]
    return cv2.resize(img, (round(w * height / h), height), interpolation=cv2.INTER_AREA)


def _label(img: np.ndarray, text: str) -> np.ndarray:
    out = img.copy()
    cv2.rectangle(out, (0, 0), (12 + 11 * len(text), 26), (255, 255, 255), -1)
    cv2.putText(out, text, (6, 19), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (40, 40, 40), 1, cv2.LINE_AA)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/images/result.png"))
    parser.add_argument("--height", type=int, default=560)
    args = parser.parse_args()
    pipeline = build_pipeline()
    rows = []
    for path in sample_sketches():
        sketch = load_sketch(path)
        hints = load_hints(path.with_suffix(".json")).hints
        opts = ColorizeOptions()
        plain = pipeline.run(ColorizeRequest(sketch, hints, options=opts))
        lit = pipeline.run(ColorizeRequest(sketch, hints, options=replace(opts, light=LIGHT)))
        tiles = [
            _label(_fit(load_rgb(path), args.height), "sketch + hints file"),
            _label(_fit(plain.composite, args.height), "colorized"),
            _label(_fit(lit.composite, args.height), "with light 135/35"),
        ]
        rows.append(np.hstack(tiles))
    width = max(r.shape[1] for r in rows)
    sheet = np.vstack([np.pad(r, ((0, 8), (0, width - r.shape[1]), (0, 0)), constant_values=255)
                       for r in rows])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(encode_png(sheet, compression=9))
    print(f"wrote {args.out} ({sheet.shape[1]}x{sheet.shape[0]}) with {pipeline.nets_status}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
