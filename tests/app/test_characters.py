"""Character palettes across pages: the user library (save, list, load by name or file, delete),
snapping hints to a palette in CIELAB, and a page we coloured before as a reference image —
shown on two pages of the same character."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import cv2
import numpy as np
import pytest

from paintassist.app.characters import (
    CharacterError,
    character_file,
    delete_character,
    list_characters,
    load_character,
    nearest_swatch,
    save_character,
    snap_hints,
)
from paintassist.core.pipeline import Pipeline
from paintassist.core.types import ColorizeOptions, ColorizeRequest, Hint, HintSet, Sketch
from paintassist.io.export import export_result
from paintassist.io.pages import PageError, is_page, page_reference
from paintassist.io.palette_files import Palette, PaletteError, Swatch, write_palette
from paintassist.paths import characters_dir

AKI = {
    "hair": (59, 42, 79),
    "skin": (246, 215, 195),
    "eyes": (40, 150, 90),
    "jacket": (40, 70, 140),
}


def _aki() -> Palette:
    return Palette("Aki", [Swatch(part, rgb) for part, rgb in AKI.items()])


def test_library_save_list_load_and_delete() -> None:
    path = save_character(_aki())
    assert path.parent == characters_dir() and path.name == "aki.json"
    assert json.loads(path.read_text(encoding="utf-8"))["character"] is True
    save_character(Palette("Ren", [Swatch("hair", (200, 60, 40))]))
    assert list_characters() == ["Aki", "Ren"]
    for asked in ("Aki", "aki", "  AKI "):
        pal = load_character(asked)
        assert pal.character and pal.name == "Aki"
        assert {s.name: s.rgb for s in pal.swatches} == AKI
    changed = _aki()
    changed.swatches[0].rgb = (10, 10, 10)
    save_character(changed, "aki")  # the same character, saved again: replaced, not doubled
    assert list_characters() == ["aki", "Ren"]
    assert load_character("Aki").swatches[0].rgb == (10, 10, 10)
    assert delete_character("AKI") and list_characters() == ["Ren"]
    assert not delete_character("Aki")


def test_odd_names_make_safe_files(tmp_path: Path) -> None:
    path = save_character(_aki(), "Aki / winter coat?", folder=tmp_path)
    assert path.parent == tmp_path and "/" not in path.name[:-5] and "?" not in path.name
    assert load_character("Aki / winter coat?", folder=tmp_path).name == "Aki / winter coat?"
    assert character_file("../../etc/passwd", tmp_path).parent == tmp_path


def test_load_character_from_a_palette_file(tmp_path: Path) -> None:
    for suffix in (".gpl", ".kpl", ".ase", ".json"):
        path = write_palette(_aki(), tmp_path / f"aki{suffix}")
        for given in (path, str(path)):
            pal = load_character(given)
            assert pal.character and {s.name: s.rgb for s in pal.swatches} == AKI


def test_unknown_or_empty_characters_are_clear_errors(tmp_path: Path) -> None:
    save_character(_aki())
    with pytest.raises(CharacterError, match=r"no character named 'Nobody'.*known: Aki"):
        load_character("Nobody")
    with pytest.raises(PaletteError, match="file not found"):
        load_character(tmp_path / "missing.gpl")
    with pytest.raises(CharacterError, match="has no colours"):
        save_character(Palette("Empty", []))
    with pytest.raises(CharacterError, match="needs a name"):
        save_character(_aki(), "   ")


def test_snap_hints_picks_the_nearest_colour_in_cielab() -> None:
    from skimage.color import rgb2lab

    rng = np.random.default_rng(5)
    palette = Palette(
        "random",
        [Swatch(f"c{i}", tuple(int(v) for v in rng.integers(0, 256, 3))) for i in range(12)],
    )  # type: ignore[misc]
    hints = HintSet(
        tuple(
            Hint(
                "accurate" if i % 2 else "draft",
                float(i),
                float(2 * i),
                tuple(int(v) for v in rng.integers(0, 256, 3)),
                3.0 + i,
            )  # type: ignore[arg-type]
            for i in range(200)
        )
    )
    snapped = snap_hints(hints, palette)
    theirs = rgb2lab(np.array([s.rgb for s in palette.swatches], np.uint8)[None])[0]
    for before, after in zip(hints, snapped, strict=True):
        lab = rgb2lab(np.array([[before.rgb]], np.uint8))[0, 0]
        want = palette.swatches[int(np.argmin(np.linalg.norm(theirs - lab, axis=1)))].rgb
        assert after.rgb == want
        assert (after.kind, after.x, after.y, after.size) == (
            before.kind,
            before.x,
            before.y,
            before.size,
        )
    assert nearest_swatch((60, 40, 80), _aki()).name == "hair"


def test_snap_hints_leaves_far_colours_and_refuses_an_empty_palette() -> None:
    hints = HintSet((Hint("accurate", 1, 1, (62, 40, 82)), Hint("accurate", 2, 2, (255, 255, 0))))
    snapped = snap_hints(hints, _aki(), max_delta_e=20)
    assert [h.rgb for h in snapped] == [AKI["hair"], (255, 255, 0)]
    assert len(snap_hints(HintSet(), _aki())) == 0
    with pytest.raises(PaletteError, match="no colours"):
        snap_hints(hints, Palette("Empty", []))


# --- two pages of the same character ---------------------------------------------------------------


def _page(dx: int, dy: int, scale: float) -> tuple[Sketch, dict[str, tuple[int, int]]]:
    """A simple figure: hair cap over a round face with an eye, a jacket below. Returns the
    sketch and a point inside each part."""
    h, w = 260, 240
    ink = np.zeros((h, w), np.float32)

    def p(x: float, y: float) -> tuple[int, int]:
        return (round(dx + x * scale), round(dy + y * scale))

    r = round(40 * scale)
    cv2.circle(ink, p(60, 70), r, 1.0, 2)  # face
    cv2.ellipse(ink, p(60, 70), (r, r), 0, 180, 360, 1.0, 2)
    cv2.line(ink, p(20, 60), p(100, 60), 1.0, 2)  # hairline: the cap is above it
    cv2.circle(ink, p(45, 80), round(6 * scale), 1.0, 2)  # an eye
    cv2.rectangle(ink, p(25, 112), p(95, 180), 1.0, 2)  # jacket
    inside = {"hair": p(60, 45), "skin": p(75, 90), "eyes": p(45, 80), "jacket": p(60, 150)}
    return Sketch(ink), inside


def _hints_by_eye(inside: dict[str, tuple[int, int]], jitter: int) -> HintSet:
    """Hints an artist picked by eye: near, not equal to, the character's colours."""
    off = np.array([jitter, -jitter, jitter // 2])
    return HintSet(
        tuple(
            Hint(
                "accurate",
                float(x),
                float(y),
                tuple(int(v) for v in np.clip(np.array(AKI[part]) + off, 0, 255)),
                2.0,
            )  # type: ignore[arg-type]
            for part, (x, y) in inside.items()
        )
    )


def _colorize(sketch: Sketch, hints: HintSet):  # type: ignore[no-untyped-def]
    opts = ColorizeOptions(use_networks=False)
    return Pipeline().run(ColorizeRequest(sketch, hints, options=opts))


def test_two_pages_of_one_character_get_the_same_colours(tmp_path: Path) -> None:
    save_character(_aki())
    aki = load_character("Aki")  # from the library, as `--palette Aki` on the CLI
    page1, inside1 = _page(10, 10, 1.0)
    page2, inside2 = _page(80, 40, 1.3)  # another pose: moved and larger
    hints1, hints2 = _hints_by_eye(inside1, 6), _hints_by_eye(inside2, -5)

    raw1, raw2 = _colorize(page1, hints1), _colorize(page2, hints2)
    for part in AKI:  # by eye, the pages disagree
        (x1, y1), (x2, y2) = inside1[part], inside2[part]
        assert tuple(raw1.flats[y1, x1]) != tuple(raw2.flats[y2, x2])

    out1, out2 = (
        _colorize(page1, snap_hints(hints1, aki)),
        _colorize(page2, snap_hints(hints2, aki)),
    )
    for part, rgb in AKI.items():  # snapped, every part is the character's colour on both pages
        (x1, y1), (x2, y2) = inside1[part], inside2[part]
        assert tuple(out1.flats[y1, x1]) == rgb == tuple(out2.flats[y2, x2])

    # page 1, exported, is the reference for page 2 (`--reference OUT/page1`)
    written = export_result(out1, tmp_path / "out", "page1", ("png", "ora"))
    folder, ora = written
    assert is_page(folder) and is_page(ora) and is_page(folder / "manifest.json")
    for given in (folder, folder / "manifest.json", ora):
        ref = page_reference(given)
        assert ref.dtype == np.uint8 and ref.shape == (*page1.shape, 3)
        assert np.array_equal(ref, out1.flats)
    assert np.array_equal(page_reference(folder, "composite"), out1.composite)
    assert np.array_equal(page_reference(ora, "composite"), out1.composite)
    (folder / "flats.png").unlink()  # a folder without flats falls back to its composite
    assert np.array_equal(page_reference(folder), out1.composite)
    request = ColorizeRequest(page2, snap_hints(hints2, aki), references=(page_reference(ora),))
    assert request.references[0].shape[2] == 3


def test_what_is_not_a_page(tmp_path: Path) -> None:
    plain = tmp_path / "folder"
    plain.mkdir()
    assert not is_page(plain)
    with pytest.raises(PageError, match=r"no manifest\.json"):
        page_reference(plain)
    (plain / "manifest.json").write_text('{"format": "something else"}')
    with pytest.raises(PageError, match="not a paintassist page manifest"):
        page_reference(plain)
    empty_ora = tmp_path / "x.ora"
    with zipfile.ZipFile(empty_ora, "w") as zf:
        zf.writestr("mimetype", "image/openraster")
    with pytest.raises(PageError, match=r"neither data/flats\.png nor mergedimage\.png"):
        page_reference(empty_ora)
    not_zip = tmp_path / "y.ora"
    not_zip.write_bytes(b"nope")
    with pytest.raises(PageError, match="not an OpenRaster file"):
        page_reference(not_zip)
    with pytest.raises(PageError, match="not found"):
        page_reference(tmp_path / "missing")
    with pytest.raises(PageError, match="not an exported page"):
        page_reference(_touch(tmp_path / "image.png"))


def _touch(path: Path) -> Path:
    path.write_bytes(b"x")
    return path
