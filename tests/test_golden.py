"""Golden test: the **shipped** networks, through the real CLI, on a bundled sample sketch.

The composite is compared with a committed small reference (``tests/golden/``), downscaled so the
file stays a few kB and torch's thread-count jitter averages out. When the weights or the pipeline
change on purpose, look at the new output first, then refresh the reference with
``PAINTASSIST_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and commit it with the change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import cv2
import numpy as np
import pytest

from paintassist.cli import main
from paintassist.paths import models_dir, resources_dir

GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLE = "chibi_girl"
#: Long side (px) of the stored reference.
SIDE = 160
#: Mean absolute difference (0..255, over all pixels and channels) allowed against the reference.
MEAN_TOLERANCE = 0.5
#: Share of pixels allowed to differ by more than 24 levels in some channel.
OUTLIER_SHARE = 0.002


def _small(rgb: np.ndarray) -> np.ndarray:
    h, w = rgb.shape[:2]
    s = SIDE / max(h, w)
    return cv2.resize(rgb, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)


@pytest.mark.slow
def test_shipped_networks_colorize_the_sample_as_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not (models_dir() / "manifest.json").is_file():
        pytest.skip("no weights shipped in this checkout")
    sketch = resources_dir() / "samples" / f"{SAMPLE}.png"
    code = main(["colorize", str(sketch), "--out", str(tmp_path), "--format", "png"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "networks loaded" in err  # the golden run must not fall back to the classical path
    bgr = cv2.imread(str(tmp_path / SAMPLE / "composite.png"), cv2.IMREAD_COLOR)
    assert bgr is not None
    got = _small(bgr)
    ref_path = GOLDEN / f"{SAMPLE}_composite.png"
    meta_path = GOLDEN / f"{SAMPLE}.json"
    if os.environ.get("PAINTASSIST_UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        cv2.imwrite(str(ref_path), got)
        manifest = json.loads((models_dir() / "manifest.json").read_text(encoding="utf-8"))
        meta_path.write_text(json.dumps({"weights": manifest["version"], "side": SIDE}) + "\n")
    ref = cv2.imread(str(ref_path), cv2.IMREAD_COLOR)
    assert ref is not None, f"missing {ref_path}: run with PAINTASSIST_UPDATE_GOLDEN=1"
    assert ref.shape == got.shape
    diff = np.abs(got.astype(np.int16) - ref.astype(np.int16))
    mean = float(diff.mean())
    outliers = float((diff.max(axis=2) > 24).mean())
    assert mean <= MEAN_TOLERANCE and outliers <= OUTLIER_SHARE, (mean, outliers)
    # The composite is coloured, not a grey wash or blank paper.
    hsv = cv2.cvtColor(got, cv2.COLOR_BGR2HSV)
    assert float((hsv[..., 1] > 60).mean()) > 0.05
