from __future__ import annotations

from pathlib import Path

import pytest

from paintassist.app.palette import Palette, PaletteError, Swatch, preset_palettes


def test_presets_are_bundled_and_valid() -> None:
    names = {p.name for p in preset_palettes()}
    assert {"Skin", "Hair", "Manga tones"} <= names
    assert all(len(p.swatches) >= 8 for p in preset_palettes())


def test_save_load_round_trip(tmp_path: Path) -> None:
    pal = Palette("Mine", [Swatch("Cheek", (240, 170, 160)), Swatch("Ink", (10, 10, 20))])
    back = Palette.load(pal.save(tmp_path / "mine.json"))
    assert back.name == "Mine" and [(s.name, s.rgb) for s in back.swatches] == [
        ("Cheek", (240, 170, 160)),
        ("Ink", (10, 10, 20)),
    ]


@pytest.mark.parametrize(
    "text,problem",
    [
        ("{", "cannot read"),
        ('{"colors": 3}', "not a palette"),
        ('{"colors": [{"hex": "#12"}]}', "colour 0"),
    ],
)
def test_bad_files_name_file_and_problem(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(PaletteError) as err:
        Palette.load(path)
    assert str(path) in str(err.value) and problem in str(err.value)


def test_every_preset_swatch_has_its_own_name() -> None:
    for palette in preset_palettes():
        names = [s.name for s in palette.swatches]
        assert all(n.strip() and not n.startswith("#") for n in names), palette.name
        assert len(set(names)) == len(names), palette.name


def test_presets_cover_skin_hair_eyes_and_fabrics() -> None:
    by_name = {p.name: {s.name for s in p.swatches} for p in preset_palettes()}
    assert {"Fair", "Tan"} <= by_name["Skin"]
    assert {"Black shine", "Blonde"} <= by_name["Hair"]
    assert {"Amber eyes", "Eye highlight"} <= by_name["Eyes"]
    assert {"Denim", "School uniform navy", "White shirt", "Red ribbon"} <= by_name["Fabrics"]
