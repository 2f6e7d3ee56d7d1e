"""Peak memory against page size, classical and with the networks: the figures behind
``paintassist.core.memory`` (its coefficients are fitted from this table).

    python bench/bench_memory.py [--mpx 2 4 8 16] [--paths classical networks] [--manga] [--psd]

Each (path, size) runs in a fresh process (peak RSS is a high-water mark): load the page from a
PNG, colorize it with 50 dots and the light pass, export PNG folder + .ora (+ .psd with
``--psd``). Prints peak RSS, the model's estimate and the page time. Synthetic pages from
``bench/common.py`` at the A4 aspect; ``--manga``: toned manga pages of our own
(``paintassist.training.manga_pages``), whose screentone adds the ``tone`` layer.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json, resource, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[4])
import numpy as np
from common import synth_page
from bench_colorize import random_hints
from paintassist.app.services import build_pipeline
from paintassist.core.lineart import ink_to_grey
from paintassist.core.memory import estimate_peak_bytes
from paintassist.core.types import ColorizeOptions, ColorizeRequest, LightSettings
from paintassist.io.export import export_result
from paintassist.io.images import load_sketch
from paintassist.io.png import encode_png
mpx, path = float(sys.argv[1]), sys.argv[2]
manga, psd = "manga" in sys.argv[3], "psd" in sys.argv[3]
h = int(round((mpx * 1e6 * 3508 / 2480) ** 0.5)); w = int(round(mpx * 1e6 / h))
if manga:
    from paintassist.training.manga_pages import make_page
    ink = make_page(0, size=(w, h)).ink
else:
    ink = synth_page(0, (h, w))
hints = random_hints(ink, 50)
with tempfile.TemporaryDirectory() as tmp:
    page = Path(tmp) / "page.png"
    page.write_bytes(encode_png(ink_to_grey(ink)))
    del ink
    pipeline = build_pipeline(use_networks=path == "networks")
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    sketch = load_sketch(page)
    opts = ColorizeOptions(use_networks=path == "networks", light=LightSettings(enabled=True))
    result = pipeline.run(ColorizeRequest(sketch, hints, (), opts))
    formats = ("png", "ora", "psd") if psd else ("png", "ora")
    export_result(result, Path(tmp) / "out", "page", formats)
    seconds = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
est = estimate_peak_bytes(h, w, networks=pipeline.nets is not None, psd=psd,
                          tone=bool((result.tone < 255).any())) / 2**20
print(json.dumps({"h": h, "w": w, "path": path, "nets": pipeline.nets is not None,
                  "tone": bool((result.tone < 255).any()), "base_mb": base,
                  "peak_mb": peak, "estimate_mb": est, "seconds": seconds}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mpx", type=float, nargs="+", default=[2, 4, 8, 16])
    parser.add_argument("--manga", action="store_true", help="toned manga pages")
    parser.add_argument("--psd", action="store_true", help="export a .psd too")
    parser.add_argument("--paths", nargs="+", default=["classical", "networks"])
    args = parser.parse_args()
    here = str(Path(__file__).resolve().parent)
    print(f"{'path':<10} {'page':>12} {'Mpx':>5} {'tone':>5} {'baseline':>9} {'peak RSS':>9} "
          f"{'estimate':>9} {'time':>7}")
    for path in args.paths:
        for mpx in args.mpx:
            proc = subprocess.run(
                [sys.executable, "-c", CHILD, str(mpx), path,
                 ",".join(k for k in ("manga", "psd") if getattr(args, k)), here],
                capture_output=True, text=True, check=False,
            )
            if proc.returncode != 0:
                print(f"{path:<10} {mpx:>5} Mpx: failed\n{proc.stderr[-2000:]}")
                continue
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            print(
                f"{path:<10} {r['w']:>5}x{r['h']:<6} {r['h'] * r['w'] / 1e6:>5.1f} "
                f"{'yes' if r['tone'] else 'no':>5} "
                f"{r['base_mb']:>7.0f}MB {r['peak_mb']:>7.0f}MB {r['estimate_mb']:>7.0f}MB "
                f"{r['seconds']:>6.1f}s"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
