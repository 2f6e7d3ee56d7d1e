"""Faults during writing: two processes exporting one page, kill -9 in the middle of an export
and of a project save, links and leftovers in the output folder. The previous complete output
always survives whole, never a mix."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from paintassist.core.types import ColorizeResult
from paintassist.io import export
from paintassist.io.export import ExportError, export_result
from paintassist.io.png import decode_png

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and flock")

# The results here have the light pass off: no shadow.png / lighting.png (io.export.written_layers).
LAYERS = ("composite", "lineart", "flats", "color", "shading", "regions")

# A child that exports page "p" into argv[1] again and again, the flats colour cycling with the
# round, so that every complete folder names its round in every layer and in its .ora.
CHILD = r"""
import sys, time
from pathlib import Path
import numpy as np
from paintassist.core.types import ColorizeResult
from paintassist.io import export
out, start, rounds, exchange = Path(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
if exchange == "no":
    export._exchange = lambda a, b: False  # the two-rename path of other platforms
while time.time() < start:
    time.sleep(0.001)
h, w = 600, 800
for r in range(rounds):
    v = (r * 37 + int(sys.argv[5])) % 250
    flat = np.full((h, w, 3), v, np.uint8)
    res = ColorizeResult(0, np.zeros((h, w, 4), np.uint8), flat, flat.copy(), np.full((h, w, 3), 255, np.uint8),
                         np.full((h, w, 3), 255, np.uint8), np.zeros((h, w, 3), np.uint8), flat.copy(),
                         np.zeros((h, w), np.int32))
    try:
        export.export_result(res, out, "p", ("png", "ora"), source=f"round {v}")
        print("ok", v, flush=True)
    except export.ExportBusy:
        print("busy", flush=True)
"""


def _child(
    out: Path, rounds: int, exchange: str = "yes", seed: int = 0, start: float = 0.0
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(out), str(start), str(rounds), exchange, str(seed)],
        stdout=subprocess.PIPE,
        text=True,
    )


def _assert_whole(folder: Path) -> int:
    """The page folder is one complete export: every layer, the manifest and the .ora, all of
    one round. Returns that round's grey value."""
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([*(f"{n}.png" for n in LAYERS), "manifest.json", "p.ora"]), names
    value = int(decode_png((folder / "flats.png").read_bytes())[0, 0, 0])
    assert int(decode_png((folder / "composite.png").read_bytes())[0, 0, 0]) == value
    assert f'"round {value}"' in (folder / "manifest.json").read_text()
    with zipfile.ZipFile(folder / "p.ora") as zf:
        assert int(decode_png(zf.read("data/flats.png"))[0, 0, 0]) == value
    return value


def _flat_result(v: int, h: int = 40, w: int = 50) -> ColorizeResult:
    flat = np.full((h, w, 3), v, np.uint8)
    white = np.full((h, w, 3), 255, np.uint8)
    return ColorizeResult(
        0,
        np.zeros((h, w, 4), np.uint8),
        flat,
        flat.copy(),
        white,
        white.copy(),
        np.zeros((h, w, 3), np.uint8),
        flat.copy(),
        np.zeros((h, w), np.int32),
    )


@pytest.mark.slow
def test_two_processes_exporting_one_page_never_interleave(tmp_path: Path) -> None:
    out = tmp_path / "out"
    start = time.time() + 1.5  # both import first, then start together
    a, b = _child(out, 6, seed=0, start=start), _child(out, 6, seed=1, start=start)
    outs = [p.communicate(timeout=120)[0].split("\n") for p in (a, b)]
    assert a.returncode == 0 and b.returncode == 0
    lines = [line for o in outs for line in o if line]
    assert all(line.startswith(("ok", "busy")) for line in lines), lines
    last = _assert_whole(out / "p")
    assert any(line == f"ok {last}" for line in lines)
    assert sorted(p.name for p in out.iterdir()) == ["p"]  # no staging, lock or .old left


@pytest.mark.slow
@pytest.mark.parametrize("exchange", ["yes", "no"])
def test_kill_9_at_random_points_of_an_export_leaves_a_whole_page(
    tmp_path: Path, exchange: str
) -> None:
    out = tmp_path / "out"
    export_result(_flat_result(3), out, "p", source="round 3")
    rng = random.Random(7)
    for trial in range(8):
        child = _child(out, 50, exchange, seed=trial)
        time.sleep(rng.uniform(0.3, 1.5))  # python start-up + a few exports, then anywhere
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        # The next export's first step puts an interrupted two-rename swap back; do that alone.
        with export._page_lock(out, "p"):
            export._tidy(out, out / "p")
        _assert_whole(out / "p")
        assert [p.name for p in out.iterdir()] == ["p"]


PROJECT_CHILD = r"""
import sys
from pathlib import Path
import numpy as np
from paintassist.app.document import Document
from paintassist.app.project import save_project
from paintassist.core.types import Hint, HintSet, Sketch
doc = Document()
ink = np.zeros((900, 1200), np.float32); ink[::7] = 1.0
doc.set_sketch(Sketch(ink))
for r in range(10_000):
    doc.hints = HintSet((Hint("accurate", 5, 5, (r % 256, 0, 0), 3),))
    save_project(doc, Path(sys.argv[1]))
    print(r, flush=True)
"""


@pytest.mark.slow
def test_kill_9_during_project_saves_leaves_a_whole_project(tmp_path: Path) -> None:
    from paintassist.app.project import load_project

    path = tmp_path / "work.paintassist"
    rng = random.Random(3)
    for _ in range(6):
        child = subprocess.Popen(
            [sys.executable, "-c", PROJECT_CHILD, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        child.stdout.readline()  # one save completed
        time.sleep(rng.uniform(0.0, 0.4))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        data = load_project(path)
        assert len(data.hints) == 1 and data.sketch.shape == (900, 1200)
        assert [
            p.name
            for p in tmp_path.iterdir()
            if p.name != path.name and not p.name.endswith(".part")
        ] == []
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]
    assert (
        len(leftovers) <= 6
    )  # a kill mid-write can leave its own temp file, never a broken project


def test_a_symlinked_page_folder_is_refused_and_left_alone(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("not ours")
    (out / "p").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(ExportError, match="symbolic link"):
        export_result(_flat_result(9), out, "p")
    assert (out / "p").is_symlink() and (elsewhere / "keep.txt").read_text() == "not ours"
    assert sorted(p.name for p in out.iterdir()) == ["p"]


def test_unsafe_page_names_are_refused_by_the_export_itself(tmp_path: Path) -> None:
    for name in (".", "..", "../x", ".hidden", "a/b"):
        with pytest.raises(ExportError, match="not a safe page name"):
            export_result(_flat_result(9), tmp_path / "out", name)
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_stale_staging_and_an_interrupted_swap_are_tidied_under_the_lock(tmp_path: Path) -> None:
    out = tmp_path / "out"
    export_result(_flat_result(5), out, "p", source="round 5")
    stale = out / ".p.0123abcd.partial"
    stale.mkdir()
    (stale / "flats.png").write_bytes(b"half")
    other = out / ".p.x.89abcdef.partial"  # page "p.x" (another process) is writing
    other.mkdir()
    (out / ".p.aaaa.lock").write_text("")  # not a staging folder: untouched
    os.replace(out / "p", out / ".p.old")  # a kill between the two renames of a swap
    export_result(_flat_result(7), out, "q", source="round 7")  # another page: p is not touched
    assert (out / ".p.old").is_dir()
    export_result(_flat_result(9), out, "p", source="round 9")
    assert not stale.exists() and not (out / ".p.old").exists()
    assert other.is_dir() and (out / ".p.aaaa.lock").exists()
    assert _assert_whole_small(out / "p") == 9


def _assert_whole_small(folder: Path) -> int:
    value = int(decode_png((folder / "flats.png").read_bytes())[0, 0, 0])
    with zipfile.ZipFile(folder / "p.ora") as zf:
        assert int(decode_png(zf.read("data/flats.png"))[0, 0, 0]) == value
    return value


def test_a_held_lock_makes_the_second_writer_report_busy(tmp_path: Path) -> None:
    out = tmp_path / "out"
    export_result(_flat_result(1), out, "p", source="round 1")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from paintassist.io import export\n"
            "with export._page_lock(Path(sys.argv[1]), 'p'):\n    print('held', flush=True); time.sleep(30)",
            str(out),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(export.ExportBusy, match="another paintassist is writing this page"):
            export_result(_flat_result(2), out, "p")
        assert _assert_whole_small(out / "p") == 1
    finally:
        holder.kill()
        holder.wait()
    export_result(_flat_result(2), out, "p")  # the lock died with its holder
    assert _assert_whole_small(out / "p") == 2
