"""The command line: batch colorize with a corrupt page, hints folders, version and errors."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from paintassist import __version__
from paintassist.cli import main
from paintassist.io.export import decode_png


def draw_sketch(path: Path, size: tuple[int, int] = (90, 120)) -> None:
    """Two boxes side by side, black lines on white."""
    h, w = size
    img = np.full((h, w), 255, np.uint8)
    cv2.rectangle(img, (5, 5), (w // 2 - 2, h - 6), 0, 2)
    cv2.rectangle(img, (w // 2 + 2, 5), (w - 6, h - 6), 0, 2)
    cv2.imwrite(str(path), img)


def write_hints(path: Path, x: float, y: float, color: str) -> None:
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "hints": [{"kind": "accurate", "x": x, "y": y, "color": color, "size": 3}],
            }
        )
    )


def test_batch_skips_corrupt_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    draw_sketch(pages / "a.png")
    draw_sketch(pages / "c.png")
    (pages / "b.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 10)
    hints = tmp_path / "hints"
    hints.mkdir()
    write_hints(hints / "a.json", 20, 40, "#ff0000")
    write_hints(hints / "c.json", 80, 40, "#0000ff")
    out = tmp_path / "out"
    code = main(
        ["colorize", str(pages), "--hints", str(hints), "--out", str(out), "--classical", "-q"]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert "b.png" in captured.err
    assert "2 page(s) written, 1 failed" in captured.out
    for stem in ("a", "c"):
        assert (out / stem / "composite.png").is_file()
        assert (out / stem / f"{stem}.ora").is_file()  # everything of a page in its folder
    assert not (out / "b").exists()
    flats_a = decode_png((out / "a" / "flats.png").read_bytes())
    assert tuple(flats_a[40, 20]) == (255, 0, 0)
    flats_c = decode_png((out / "c" / "flats.png").read_bytes())
    assert tuple(flats_c[40, 80]) == (0, 0, 255)


def test_single_page_png_only(tmp_path: Path) -> None:
    draw_sketch(tmp_path / "p.png")
    write_hints(tmp_path / "p_hints.json", 20, 40, "#00ff00")
    code = main(
        [
            "colorize",
            str(tmp_path / "p.png"),
            "--hints",
            str(tmp_path / "p_hints.json"),
            "--out",
            str(tmp_path / "o"),
            "--format",
            "png",
            "--classical",
            "-q",
            "--gap",
            "3",
        ]
    )
    assert code == 0
    assert (tmp_path / "o" / "p" / "manifest.json").is_file()
    assert not (tmp_path / "o" / "p" / "p.ora").exists()


def test_bad_hints_file_fails_only_that_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draw_sketch(tmp_path / "p.png")
    (tmp_path / "bad.json").write_text('{"version": 1, "hints": [{"kind": "dot"}]}')
    code = main(
        [
            "colorize",
            str(tmp_path / "p.png"),
            "--hints",
            str(tmp_path / "bad.json"),
            "--out",
            str(tmp_path / "o"),
            "--classical",
            "-q",
        ]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "bad.json" in err and "hint 0" in err


def test_missing_file_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["colorize", str(tmp_path / "nope.png"), "--out", str(tmp_path / "o"), "-q"])
    assert code == 1
    assert "nope.png" in capsys.readouterr().err


def test_version_names_app_and_models(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert __version__ in out and "models" in out


@pytest.mark.parametrize("spec", ["abc", "90", "0,120", "0,45,#zzzzzz", "0,45,#ffffff,-1"])
def test_bad_light_argument_is_a_usage_error(
    spec: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["colorize", "x.png", "--out", str(tmp_path), "--light", spec])
    assert info.value.code == 2
    assert "--light" in capsys.readouterr().err


def test_no_display_explains_headless_use(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr("sys.platform", "linux")
    assert main([]) == 2
    assert "paintassist demo" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "2.5", "x"])
def test_reference_strength_must_be_a_number_from_0_to_2(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["colorize", "page.png", "--reference-strength", value])
    assert exc.value.code == 2
    assert "--reference-strength" in capsys.readouterr().err


def _page(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    ink = np.full((40, 50), 255, np.uint8)
    cv2.rectangle(ink, (5, 5), (40, 30), 0, 2)
    cv2.imwrite(str(path), ink)
    return path


def test_same_stems_in_one_batch_get_their_own_folders(tmp_path: Path) -> None:
    a = _page(tmp_path / "a" / "page.png")
    b = _page(tmp_path / "b" / "page.png")
    c = _page(tmp_path / "page.jpg")
    out = tmp_path / "out"
    assert main(["colorize", str(a), str(b), str(c), "--out", str(out), "--classical"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["page", "page-2", "page-3"]
    assert (out / "page-2" / "page-2.ora").is_file()
    sources = {
        json.loads((out / n / "manifest.json").read_text())["source"]
        for n in ("page", "page-2", "page-3")
    }
    assert sources == {str(a), str(b), str(c)}


def test_a_sketch_named_dot_png_never_replaces_the_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("the artist's own file")
    dot = _page(tmp_path / "..png")
    other = _page(tmp_path / "other.png")
    oradot = _page(tmp_path / "other.ora.png")
    assert (
        main(["colorize", str(dot), str(other), str(oradot), "--out", str(out), "--classical"]) == 0
    )
    assert (out / "mine.txt").read_text() == "the artist's own file"
    assert sorted(p.name for p in out.iterdir()) == ["_", "mine.txt", "other", "other_ora"]
    assert (out / "other_ora" / "other_ora.ora").is_file() and (out / "_" / "_.ora").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == ["..png"]  # the input
    # A second run finds everything in place and replaces only its own outputs.
    assert (
        main(["colorize", str(dot), str(other), str(oradot), "--out", str(out), "--classical"]) == 0
    )
    assert (out / "mine.txt").is_file() and (out / "other" / "composite.png").is_file()


def test_device_cuda_without_cuda_is_an_error_not_a_silent_fallback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    page = _page(tmp_path / "p.png")
    code = main(["colorize", str(page), "--out", str(tmp_path / "out"), "--device", "cuda"])
    err = capsys.readouterr().err
    assert code == 2
    assert "--device cuda" in err and "CUDA" in err
    assert not (tmp_path / "out" / "p").exists()


def test_broken_weights_are_a_warning_on_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    models = tmp_path / "models"
    models.mkdir()
    (models / "manifest.json").write_text('{"files": {}}')
    monkeypatch.setenv("PAINTASSIST_MODELS", str(models))
    page = _page(tmp_path / "p.png")
    assert main(["colorize", str(page), "--out", str(tmp_path / "out")]) == 0
    assert "warning: the networks could not be used" in capsys.readouterr().err
    assert main(["models"]) == 1


def test_a_page_over_the_memory_budget_fails_alone_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from paintassist.core import memory

    small = _page(tmp_path / "small.png")
    big = tmp_path / "big.png"
    cv2.imwrite(str(big), np.full((1200, 1600), 255, np.uint8))
    budget = memory.estimate_peak_bytes(40, 50, networks=False) // 2**20 + 2
    monkeypatch.setenv("PAINTASSIST_MEMORY_BUDGET_MB", str(budget))
    code = main(
        [
            "colorize",
            str(big),
            str(small),
            "--out",
            str(tmp_path / "out"),
            "--classical",
            "--jobs",
            "1",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "big.png: page is 1600×1200" in err and "needs about" in err
    assert (tmp_path / "out" / "small" / "composite.png").is_file()


def test_a_networks_fallback_is_in_the_json_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    models = tmp_path / "models"
    models.mkdir()
    (models / "manifest.json").write_text('{"files": {}}')
    monkeypatch.setenv("PAINTASSIST_MODELS", str(models))
    page = _page(tmp_path / "p.png")
    summary = tmp_path / "s.json"
    assert (
        main(["colorize", str(page), "--out", str(tmp_path / "out"), "--json", str(summary)]) == 0
    )
    data = json.loads(summary.read_text())
    assert data["warnings"] and "networks not used" in data["warnings"][0]
    assert data["colorized_by"][0].startswith("classical path")


def test_palette_command_imports_lists_and_exports_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gpl = tmp_path / "aki.gpl"
    gpl.write_text("GIMP Palette\nName: Aki\n#\n200  30  40 hair\n240 200 180 skin\n")
    assert main(["palette", "import", str(gpl)]) == 0
    capsys.readouterr()
    assert main(["palette", "list"]) == 0
    assert "Aki: hair #c81e28, skin #f0c8b4" in capsys.readouterr().out
    for suffix in (".kpl", ".ase", ".json"):
        out = tmp_path / f"aki{suffix}"
        assert main(["palette", "export", "aki", str(out)]) == 0
        assert out.is_file()
    from paintassist.io.palette_files import read_palette

    assert [s.rgb for s in read_palette(tmp_path / "aki.ase").swatches] == [
        (200, 30, 40),
        (240, 200, 180),
    ]
    assert main(["palette", "export", "nobody", str(tmp_path / "x.gpl")]) == 2


def test_brown_line_art_keeps_its_colour_and_the_switch_makes_it_black(tmp_path: Path) -> None:
    img = np.full((90, 120, 3), 255, np.uint8)
    cv2.rectangle(img, (5, 5), (100, 80), (30, 60, 110), 3)  # BGR: a brown ink
    cv2.imwrite(str(tmp_path / "brown.png"), img)
    for flag, out in (([], "auto"), (["--line-color", "black"], "black")):
        args = ["colorize", str(tmp_path / "brown.png"), "--out", str(tmp_path / out)]
        assert main([*args, "--classical", "--format", "png", "-q", *flag]) == 0
        lines = decode_png((tmp_path / out / "brown" / "lineart.png").read_bytes())
        core = lines[lines[..., 3] > 200][:, :3]
        if out == "auto":
            assert np.abs(np.median(core, axis=0) - (110, 60, 30)).max() <= 12
        else:
            assert (core == 0).all()
        manifest = json.loads((tmp_path / out / "brown" / "manifest.json").read_text())
        sketch = manifest["layers"][-1]
        assert sketch["name"] == "sketch" and sketch["visible"] is False
        stored = decode_png((tmp_path / out / "brown" / "sketch.png").read_bytes())
        assert np.array_equal(stored, img[..., ::-1])  # the sketch itself, full resolution


def test_no_screentone_keeps_the_dots_in_the_line_art(tmp_path: Path) -> None:
    from paintassist.training.manga_pages import dot_screen

    ink = np.zeros((300, 300), np.float32)
    ink[40:260, 40:260] = dot_screen((220, 220), 6.0, 45.0, 0.3)
    cv2.imwrite(str(tmp_path / "toned.png"), np.rint(255 - ink * 255).astype(np.uint8))
    for flag, out in (([], "on"), (["--no-screentone"], "off")):
        args = ["colorize", str(tmp_path / "toned.png"), "--out", str(tmp_path / out)]
        assert main([*args, "--classical", "--format", "png", "-q", *flag]) == 0
        folder = tmp_path / out / "toned"
        assert (folder / "tone.png").exists() is (out == "on")
        lines = decode_png((folder / "lineart.png").read_bytes())
        dots = ink[60:240, 60:240] > 0.5
        alpha = lines[60:240, 60:240, 3][dots].mean()
        assert alpha > 200 if out == "off" else alpha < 20


def test_a_hints_file_with_a_gap_stroke_keeps_the_colour_inside_an_open_shape(
    tmp_path: Path,
) -> None:
    img = np.full((200, 300), 255, np.uint8)
    cv2.rectangle(img, (60, 40), (240, 160), 0, 2)
    img[80:120, 58:63] = 255  # a 40-px opening in the left side, far wider than any closing
    cv2.imwrite(str(tmp_path / "open.png"), img)
    dot = {"kind": "accurate", "x": 150, "y": 100, "color": "#ff0000", "size": 3}
    gap = {"kind": "gap", "points": [[60, 70], [60, 130]], "width": 2}
    for name, entries in (("plain", [dot]), ("closed", [dot, gap])):
        hints = tmp_path / f"{name}.json"
        hints.write_text(json.dumps({"version": 2, "hints": entries}))
        out = tmp_path / name
        args = ["colorize", str(tmp_path / "open.png"), "--hints", str(hints), "--out", str(out)]
        assert main([*args, "--classical", "--format", "png", "-q"]) == 0
        flats = decode_png((out / "open" / "flats.png").read_bytes())
        lines = decode_png((out / "open" / "lineart.png").read_bytes())
        assert tuple(flats[100, 150]) == (255, 0, 0)
        page_red = tuple(flats[10, 10]) == (255, 0, 0)
        assert page_red == (name == "plain")  # without the stroke the page is inside the shape
        assert lines[100, 60, 3] == 0  # the stroke is not in the line art


def test_refine_size_takes_pixels_or_full_and_refuses_anything_else(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from paintassist.cli import _refine_size

    assert _refine_size("2048") == 2048 and _refine_size("FULL") is None
    for bad in ("12", "big"):
        with pytest.raises(SystemExit) as exc:
            main(["colorize", "x.png", "--out", "o", "--refine-size", bad])
        assert exc.value.code == 2
        assert "--refine-size" in capsys.readouterr().err
