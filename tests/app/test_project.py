"""Project files and crash recovery."""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fakes import make_sketch, write_sketch_png

from paintassist.app.document import Document, Part, Parts, Reference
from paintassist.app.palette import Swatch
from paintassist.app.project import ProjectError, apply_project, load_project, save_project
from paintassist.app.recovery import RecoverySession, find_orphans, recover_into
from paintassist.core.types import Hint, HintSet, LightSettings
from paintassist.io.images import load_sketch


def _rich_doc(tmp_path: Path) -> Document:
    src = write_sketch_png(tmp_path / "page.png")
    doc = Document()
    doc.set_sketch(load_sketch(src), src.read_bytes(), src)
    doc.set_part(
        Part.HINTS,
        HintSet(
            (Hint("draft", 20.5, 30, (200, 10, 10), 24), Hint("accurate", 100, 60.25, (1, 2, 3), 4))
        ),
    )
    ref = np.zeros((20, 30, 3), np.uint8)
    ref[:, :15] = (250, 0, 0)
    doc.set_part(Part.REFERENCES, (Reference(ref, "red", tmp_path / "red.png"),))
    doc.set_part(
        Part.SETTINGS,
        replace(
            doc.settings,
            gap_px=11,
            reference_strength=0.5,
            light=LightSettings(enabled=True, azimuth_deg=10.0),
        ).with_layer("shading", visible=False),
    )
    doc.palette.swatches.append(Swatch("Skin", (240, 200, 180)))
    return doc


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    doc = _rich_doc(tmp_path)
    path = save_project(doc, tmp_path / "work.paintassist")
    data = load_project(path)
    assert data.hints == doc.hints
    assert data.settings.to_json() == doc.settings.to_json()
    assert [s.rgb for s in data.palette.swatches] == [(240, 200, 180)]
    assert np.array_equal(data.references[0].rgb, doc.references[0].rgb)
    assert data.references[0].name == "red"
    assert np.array_equal(data.sketch.ink, doc.sketch.ink)  # type: ignore[union-attr]
    assert data.sketch_path == tmp_path / "page.png"
    assert data.warnings == []
    fresh = Document()
    apply_project(fresh, data, path)
    assert fresh.hints == doc.hints and not fresh.dirty and fresh.project_path == path


def test_apply_project_notifies_once_with_every_part(tmp_path: Path) -> None:
    data = load_project(save_project(_rich_doc(tmp_path), tmp_path / "work.paintassist"))
    fresh = Document()
    fresh.set_part(Part.HINTS, HintSet((Hint("accurate", 1, 1, (9, 9, 9)),)))
    seen: list[Parts] = []
    fresh.changed.connect(seen.append)
    apply_project(fresh, data, tmp_path / "work.paintassist")
    assert seen == [frozenset(Part)]  # one notification: sketch, hints, …, saved, colorize
    assert fresh.hints == data.hints and fresh.palette is data.palette and not fresh.dirty


def test_project_survives_the_sketch_being_deleted_or_changed(tmp_path: Path) -> None:
    doc = _rich_doc(tmp_path)
    path = save_project(doc, tmp_path / "work.paintassist")
    write_sketch_png(tmp_path / "page.png", 50, 50)  # the artist overwrote the file
    data = load_project(path)
    assert data.sketch.shape == (120, 160)
    assert any("changed since" in w for w in data.warnings)
    os.unlink(tmp_path / "page.png")
    assert load_project(path).sketch.shape == (120, 160)


def test_hints_in_the_project_use_the_cli_format(tmp_path: Path) -> None:
    path = save_project(_rich_doc(tmp_path), tmp_path / "p.paintassist")
    with zipfile.ZipFile(path) as zf:
        meta = json.loads(zf.read("project.json"))
    assert meta["hints"]["version"] == 2  # the hints file format, version 2 (gap strokes and links)
    assert meta["hints"]["hints"][0] == {
        "kind": "draft",
        "x": 20.5,
        "y": 30.0,
        "color": "#c80a0a",
        "size": 24.0,
    }


@pytest.mark.parametrize("damage", ["not a zip", "no json", "bad hint", "newer"])
def test_bad_project_files_give_errors_naming_the_file(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "bad.paintassist"
    if damage == "not a zip":
        path.write_text("hello")
    else:
        good = save_project(_rich_doc(tmp_path), tmp_path / "good.paintassist")
        with zipfile.ZipFile(good) as zf:
            meta = json.loads(zf.read("project.json"))
            files = {n: zf.read(n) for n in zf.namelist() if n != "project.json"}
        if damage == "bad hint":
            meta["hints"]["hints"][0]["color"] = "#zz"
        if damage == "newer":
            meta["version"] = 99
        with zipfile.ZipFile(path, "w") as zf:
            for n, b in files.items():
                zf.writestr(n, b)
            if damage != "no json":
                zf.writestr("project.json", json.dumps(meta))
    with pytest.raises(ProjectError) as err:
        load_project(path)
    assert str(path) in str(err.value)


def test_synthetic_sketch_is_embedded(tmp_path: Path) -> None:
    doc = Document()
    doc.set_sketch(make_sketch())
    data = load_project(save_project(doc, tmp_path / "s.paintassist"))
    assert np.abs(data.sketch.ink - doc.sketch.ink).max() < 0.01  # type: ignore[union-attr]


def test_crash_leaves_an_autosave_that_recovers_everything(tmp_path: Path) -> None:
    folder = tmp_path / "recovery"
    doc = _rich_doc(tmp_path)
    session = RecoverySession(folder)
    session.write(doc)
    # Pretend the writer died: give the metadata a pid that cannot be alive.
    meta = json.loads(session.meta_file.read_text())
    meta["pid"] = 2**22 + 12345
    session.meta_file.write_text(json.dumps(meta))
    orphans = find_orphans(folder)
    assert len(orphans) == 1 and "page.png" in orphans[0].describe()
    fresh = Document()
    seen: list[Parts] = []
    fresh.changed.connect(seen.append)
    recover_into(fresh, orphans[0])
    assert len(seen) == 1  # recovered and left dirty in one notification
    assert fresh.hints == doc.hints and fresh.dirty
    assert fresh.settings.to_json() == doc.settings.to_json()
    assert find_orphans(folder) == []  # adopted: offered only once


def test_live_and_cleanly_closed_sessions_are_not_offered(tmp_path: Path) -> None:
    folder = tmp_path / "recovery"
    session = RecoverySession(folder)
    session.write(_rich_doc(tmp_path))
    assert find_orphans(folder) == []  # our own process is alive
    session.clear()
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("kind", ["fifo", "folder", "no-image-suffix"])
def test_only_a_regular_image_file_at_the_recorded_path_is_looked_at(
    tmp_path: Path, kind: str
) -> None:
    """A recorded sketch path that is a FIFO, a folder or not an image opens the embedded copy
    without reading it (a FIFO would block, /dev/zero would never end)."""
    doc = Document()
    doc.set_sketch(make_sketch())
    recorded = tmp_path / ("orig.png" if kind != "no-image-suffix" else "orig")
    doc.sketch_path = recorded
    path = save_project(doc, tmp_path / "p.paintassist")
    if kind == "fifo":
        os.mkfifo(recorded)
    elif kind == "folder":
        recorded.mkdir()
    else:
        recorded.write_bytes(b"changed")
    data = load_project(path)
    assert data.sketch.shape == (120, 160) and data.warnings == []


def _rewrite_settings(src: Path, dst: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    """A copy of project ``src`` at ``dst`` whose project.json settings went through ``edit``."""
    with zipfile.ZipFile(src) as zf:
        meta = json.loads(zf.read("project.json"))
        files = {n: zf.read(n) for n in zf.namelist() if n != "project.json"}
    edit(meta["settings"])
    with zipfile.ZipFile(dst, "w") as zf:
        for n, b in files.items():
            zf.writestr(n, b)
        zf.writestr("project.json", json.dumps(meta))
    return dst


def test_line_colour_and_screentone_round_trip(tmp_path: Path) -> None:
    doc = _rich_doc(tmp_path)
    doc.set_part(Part.SETTINGS, replace(doc.settings, line_color="black", screentone=False))
    data = load_project(save_project(doc, tmp_path / "work.paintassist"))
    assert (data.settings.line_color, data.settings.screentone) == ("black", False)
    assert data.settings.colorize_key() == doc.settings.colorize_key()


def test_an_older_project_without_them_loads_with_the_defaults(tmp_path: Path) -> None:
    doc = _rich_doc(tmp_path)
    doc.set_part(Part.SETTINGS, replace(doc.settings, line_color="keep", screentone=False))
    good = save_project(doc, tmp_path / "new.paintassist")

    def drop(settings: dict[str, Any]) -> None:
        del settings["line_color"], settings["screentone"]

    data = load_project(_rewrite_settings(good, tmp_path / "old.paintassist", drop))
    assert (data.settings.line_color, data.settings.screentone) == ("auto", True)
    assert data.settings.gap_px == 11 and data.warnings == []  # the rest as saved


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [("line_color", "purple", "line_color must be one of"), ("screentone", 1, "screentone")],
)
def test_a_bad_line_colour_or_screentone_is_a_project_error(
    tmp_path: Path, key: str, value: object, message: str
) -> None:
    good = save_project(_rich_doc(tmp_path), tmp_path / "good.paintassist")
    bad = _rewrite_settings(
        good, tmp_path / "bad.paintassist", lambda settings: settings.update({key: value})
    )
    with pytest.raises(ProjectError) as err:
        load_project(bad)
    assert str(bad) in str(err.value) and message in str(err.value)
