"""Studio batches: worker processes, resume, subfolders, JSON summary, stdin hints, a Dask
cluster on 127.0.0.1. Outputs must not depend on how the pages were spread."""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from paintassist.app.batch import BatchSettings, PageJob, plan_pages, run_page, worker_state
from paintassist.cli import _Progress, main


def _page(path: Path, seed: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    ink = np.full((90, 120), 255, np.uint8)
    for _ in range(4):
        x, y = (int(v) for v in rng.integers(5, 80, 2))
        cv2.rectangle(ink, (x, y), (x + 30, y + 25), 0, 2)
    cv2.imwrite(str(path), ink)
    hints = {
        "version": 1,
        "hints": [{"kind": "accurate", "x": 60, "y": 45, "color": f"#{seed * 40 % 256:02x}3060"}],
    }
    path.with_suffix(".json").write_text(json.dumps(hints))
    return path


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*.png"))
    }


@pytest.mark.slow
def test_two_worker_processes_write_what_one_process_writes(tmp_path: Path) -> None:
    pages = [_page(tmp_path / "in" / f"p{i}.png", i) for i in range(4)]
    one, two = tmp_path / "one", tmp_path / "two"
    args = ["colorize", *map(str, pages), "--classical", "--quiet"]
    assert main([*args, "--out", str(one), "--jobs", "1"]) == 0
    assert main([*args, "--out", str(two), "--jobs", "2"]) == 0
    assert _digest(one) == _digest(two) and len(_digest(one)) == 4 * 7  # no light: 7 layers


def test_skip_existing_resumes_an_interrupted_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = [_page(tmp_path / "in" / f"p{i}.png", i) for i in range(3)]
    out = tmp_path / "out"
    base = ["colorize", *map(str, pages), "--out", str(out), "--classical", "--jobs", "1"]
    assert main(base) == 0
    (out / "p1" / "p1.ora").unlink()  # that page was not finished
    before = (out / "p0" / "composite.png").stat().st_mtime_ns
    capsys.readouterr()
    assert main([*base, "--skip-existing"]) == 0
    printed = capsys.readouterr().out
    assert "1 page(s) written, 0 failed, 2 skipped" in printed
    assert (out / "p1" / "p1.ora").is_file()
    assert (out / "p0" / "composite.png").stat().st_mtime_ns == before


def test_recursive_mirrors_the_subfolders(tmp_path: Path) -> None:
    _page(tmp_path / "in" / "ch1" / "page.png", 1)
    _page(tmp_path / "in" / "ch2" / "page.png", 2)
    _page(tmp_path / "in" / "cover.png", 3)
    jobs, problems = plan_pages([tmp_path / "in"], tmp_path / "out", recursive=True)
    assert problems == []
    assert sorted((j.out.relative_to(tmp_path / "out").as_posix(), j.name) for j in jobs) == [
        (".", "cover"),
        ("ch1", "page"),
        ("ch2", "page"),
    ]
    flat, _ = plan_pages([tmp_path / "in"], tmp_path / "out")
    assert [j.name for j in flat] == ["cover"]
    out = tmp_path / "out"
    assert (
        main(["colorize", str(tmp_path / "in"), "-r", "--out", str(out), "--classical", "-j", "1"])
        == 0
    )
    assert (out / "ch1" / "page" / "composite.png").is_file() and (
        out / "ch2" / "page" / "page.ora"
    ).is_file()


def test_json_summary_has_status_error_timings_and_outputs(tmp_path: Path) -> None:
    good = _page(tmp_path / "good.png", 1)
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    summary = tmp_path / "run.json"
    code = main(
        [
            "colorize",
            str(good),
            str(bad),
            "--out",
            str(tmp_path / "o"),
            "--classical",
            "-j",
            "1",
            "--json",
            str(summary),
        ]
    )
    assert code == 1
    data = json.loads(summary.read_text())
    assert (data["ok"], data["failed"], data["skipped"]) == (1, 1, 0)
    pages = {Path(p["sketch"]).name: p for p in data["pages"]}
    assert pages["good.png"]["status"] == "ok" and pages["good.png"]["error"] is None
    assert {"load", "regions", "flats", "export"} <= set(pages["good.png"]["timings"])
    assert any(o.endswith("good.ora") for o in pages["good.png"]["outputs"])
    assert pages["bad.png"]["status"] == "failed" and "bad.png" in pages["bad.png"]["error"]


def test_hints_from_standard_input(tmp_path: Path) -> None:
    page = _page(tmp_path / "p.png", 1)
    page.with_suffix(".json").unlink()
    hints = json.dumps(
        {"version": 1, "hints": [{"kind": "accurate", "x": 60, "y": 45, "color": "#10e020"}]}
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "paintassist",
            "colorize",
            str(page),
            "--hints",
            "-",
            "--out",
            str(tmp_path / "o"),
            "--classical",
        ],
        input=hints.encode(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    flats = cv2.imread(str(tmp_path / "o" / "p" / "flats.png"))
    assert (flats == (0x20, 0xE0, 0x10)).all(axis=2).any()  # BGR of #10e020


def test_hints_from_stdin_are_for_one_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = [_page(tmp_path / f"p{i}.png", i) for i in range(2)]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"version": 1, "hints": []}')))
    assert (
        main(
            [
                "colorize",
                *map(str, pages),
                "--hints",
                "-",
                "--out",
                str(tmp_path / "o"),
                "--classical",
            ]
        )
        == 2
    )


def test_a_mistyped_command_is_an_error_with_a_suggestion(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["colorise", "page.png"]) == 2
    err = capsys.readouterr().err
    assert "unknown command 'colorise'" in err and "did you mean 'colorize'" in err
    assert main(["frobnicate"]) == 2


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_exits_130_without_a_traceback(tmp_path: Path) -> None:
    # Enough pages that the batch is still running when the first one lands (a fast machine
    # does 40 of these tiny pages in under two seconds).
    pages = [_page(tmp_path / f"p{i}.png", i) for i in range(400)]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "paintassist",
            "colorize",
            *map(str, pages),
            "--out",
            str(tmp_path / "o"),
            "--classical",
            "-j",
            "1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 60
    while not (tmp_path / "o" / "p0").exists() and time.time() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Traceback" not in err and "interrupted" in err


def test_progress_shows_each_page_in_flight_with_its_stage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    jobs = [PageJob(i, Path(f"page{i}.png"), Path("out"), f"page{i}") for i in range(3)]
    bar = _Progress(jobs, enabled=True)
    bar.page(0, "refine", 0.5)
    bar.page(1, "load", 0.0)
    text = capsys.readouterr().err
    assert "0/3 pages" in text and "page0.png" in text and "REFINE" in text and "LOAD" in text


def test_run_page_reports_the_stages_in_order(tmp_path: Path) -> None:
    page = _page(tmp_path / "p.png", 1)
    settings = BatchSettings(options=BatchSettings().options.__class__(use_networks=False))
    state = worker_state(settings)
    seen: list[str] = []
    outcome = run_page(
        PageJob(0, page, tmp_path / "o", "p"),
        settings,
        state.pipeline,
        (),
        lambda _i, s, _f: seen.append(s),
    )
    assert outcome.status == "ok"
    order = list(dict.fromkeys(seen))
    assert order == ["load", "regions", "refine", "export"]  # no draft stage without networks


@pytest.mark.slow
def test_a_local_dask_cluster_writes_what_the_local_run_writes(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    pages = [_page(tmp_path / "in" / f"p{i}.png", i) for i in range(4)]
    local, remote = tmp_path / "local", tmp_path / "cluster"
    args = ["colorize", *map(str, pages), "--classical", "--quiet"]
    assert main([*args, "--out", str(local), "--jobs", "1"]) == 0
    env_keep = os.environ.get("PAINTASSIST_MEMORY_BUDGET_MB")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=40,
    ) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        assert main([*args, "--out", str(remote), "--scheduler", cluster.scheduler_address]) == 0
    assert os.environ.get("PAINTASSIST_MEMORY_BUDGET_MB") == env_keep
    assert _digest(local) == _digest(remote) and len(_digest(local)) == 4 * 7


def test_cli_writes_psd_keeps_dpi_and_takes_a_painted_hint_layer_and_a_palette(
    tmp_path: Path,
) -> None:
    from PIL import Image

    from paintassist.core.types import Hint, HintSet
    from paintassist.io.hint_layer import save_hint_layer

    page = _page(tmp_path / "p.png", 1)
    page.with_suffix(".json").unlink()
    Image.open(page).save(page, dpi=(600, 600))
    layer = tmp_path / "layer.png"
    save_hint_layer(layer, HintSet((Hint("accurate", 60, 45, (250, 10, 10), 4),)), (90, 120))
    palette = tmp_path / "aki.gpl"
    palette.write_text("GIMP Palette\nName: Aki\n#\n200  30  40 hair\n 20  40 200 jacket\n")
    out = tmp_path / "o"
    code = main(
        [
            "colorize",
            str(page),
            "--out",
            str(out),
            "--classical",
            "--format",
            "png,psd",
            "--hints-image",
            str(layer),
            "--palette",
            str(palette),
        ]
    )
    assert code == 0
    assert (out / "p" / "p.psd").is_file() and not (out / "p" / "p.ora").exists()
    with Image.open(out / "p" / "composite.png") as im:
        assert round(im.info["dpi"][0]) == 600
    flats = cv2.imread(str(out / "p" / "flats.png"))
    assert (flats == (40, 30, 200)).all(axis=2).any()  # the dot's red snapped to Aki's hair (BGR)


def test_a_page_we_coloured_before_is_a_reference(tmp_path: Path) -> None:
    from paintassist.app.batch import load_reference

    page = _page(tmp_path / "p.png", 2)
    assert main(["colorize", str(page), "--out", str(tmp_path / "o"), "--classical"]) == 0
    for ref in (tmp_path / "o" / "p", tmp_path / "o" / "p" / "p.ora"):
        rgb = load_reference(ref)
        assert rgb.shape == (90, 120, 3) and rgb.dtype == np.uint8


def test_unknown_formats_are_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["colorize", "p.png", "--out", str(tmp_path), "--format", "png,tiff"])
    assert info.value.code == 2


def test_a_dot_on_a_solid_line_is_moved_with_a_warning_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "p.png"
    ink = np.full((90, 120), 255, np.uint8)
    cv2.rectangle(ink, (20, 20), (100, 70), 0, 6)
    cv2.imwrite(str(page), ink)
    page.with_suffix(".json").write_text(
        json.dumps(
            {"version": 1, "hints": [{"kind": "accurate", "x": 20, "y": 45, "color": "#c04060"}]}
        )
    )
    assert (
        main(["colorize", str(page), "--out", str(tmp_path / "o"), "--classical", "-j", "1"]) == 0
    )
    err = capsys.readouterr().err
    assert "warning:" in err and "lies on a line: moved to the nearest paper" in err


def test_the_process_pipeline_follows_the_models_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "models"
    broken.mkdir()
    (broken / "manifest.json").write_text('{"files": {}}')
    settings = BatchSettings()
    monkeypatch.setenv("PAINTASSIST_MODELS", str(broken))
    assert worker_state(settings).pipeline.nets_error is not None
    monkeypatch.delenv("PAINTASSIST_MODELS")
    assert worker_state(settings).pipeline.nets_error is None  # the shipped folder again
