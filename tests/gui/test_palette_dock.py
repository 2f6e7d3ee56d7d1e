"""The palette dock: import and export GIMP/Krita/Adobe palettes, characters (save the palette
as one, show one with its parts, load one into the document), snap hints to the palette."""

from __future__ import annotations

from fakes import make_sketch
from PySide6.QtCore import Qt

from paintassist.app.characters import list_characters, load_character
from paintassist.app.document import Part
from paintassist.core.types import Hint, HintSet
from paintassist.gui import palette_dock
from paintassist.io.palette_files import Palette, Swatch, read_palette, write_palette

AKI = [("hair", (59, 42, 79)), ("skin", (246, 215, 195)), ("jacket", (40, 70, 140))]


def _aki() -> Palette:
    return Palette("Aki", [Swatch(n, rgb) for n, rgb in AKI])


def test_import_each_format_into_the_document_palette(window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dock = window.palette_dock
    for i, suffix in enumerate((".gpl", ".kpl", ".ase", ".json")):
        path = write_palette(_aki(), tmp_path / f"aki{suffix}")
        assert dock.load_file(path)
        assert [(s.name, s.rgb) for s in window.doc.palette.swatches] == AKI * (i + 1)
    assert dock.list.count() == 12 and dock.editable()
    assert window.settings.import_dir == str(tmp_path)


def test_a_bad_palette_file_is_reported_with_its_name(window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "broken.ase"
    bad.write_bytes(b"ASEF nonsense")
    messages: list[str] = []
    window.palette_dock.error.connect(messages.append)
    assert not window.palette_dock.load_file(bad)
    assert messages and str(bad) in messages[0]
    assert str(bad) in window.statusBar().currentMessage()


def test_export_the_shown_palette(window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dock = window.palette_dock
    dock.combo.setCurrentIndex(1)  # a preset
    shown = dock.shown_palette()
    for suffix in (".gpl", ".kpl", ".ase"):
        assert dock.save_file(tmp_path / f"preset{suffix}")
        back = read_palette(tmp_path / f"preset{suffix}")
        assert [(s.name, s.rgb) for s in back.swatches] == [(s.name, s.rgb) for s in shown.swatches]
    assert not dock.save_file(tmp_path / "preset.txt") and ".gpl" in dock.error_message


def test_save_as_character_then_pick_its_parts(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    dock = window.palette_dock
    window.doc.palette.swatches.extend(_aki().swatches)
    window.doc.palette_edited()
    assert dock.save_character("Aki")
    assert list_characters() == ["Aki"] and load_character("Aki").character
    assert dock.combo.currentText() == "Aki (character)" and not dock.editable()
    labels = [dock.list.item(i).text() for i in range(dock.list.count())]
    assert labels == ["hair", "skin", "jacket"]  # a character's swatches carry their parts
    item = dock.list.item(1)
    assert "Aki: skin" in item.toolTip() and "#f6d7c3" in item.toolTip()
    rect = dock.list.visualItemRect(item)
    qtbot.mouseClick(dock.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.state.color == (246, 215, 195)
    assert window.state.recent[0] == (246, 215, 195)


def test_load_a_character_into_the_document_palette(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from paintassist.app.characters import save_character

    save_character(_aki())
    dock = window.palette_dock
    dock.reload_sources()
    assert dock.combo.findText("Aki (character)") > 0
    window.doc.palette.swatches.append(Swatch("mine", (1, 2, 3)))
    asked: list[int] = []
    monkeypatch.setattr(
        palette_dock, "ask_replace_palette", lambda _p, _n, count: asked.append(count) or False
    )
    assert not dock.load_character("Aki", ask=True)  # the artist said no: nothing changes
    assert asked == [1] and window.doc.palette.swatches[0].name == "mine"
    assert dock.load_character("Aki")
    pal = window.doc.palette
    assert pal.character and pal.name == "Aki" and [(s.name, s.rgb) for s in pal.swatches] == AKI
    assert dock.editable() and [dock.list.item(i).text() for i in range(3)] == [
        "hair",
        "skin",
        "jacket",
    ]
    pal.swatches[0].rgb = (0, 0, 0)  # a copy: the library keeps its colours
    assert load_character("Aki").swatches[0].rgb == AKI[0][1]
    assert not dock.load_character("Nobody") and "no character named 'Nobody'" in dock.error_message


def test_snap_hints_to_the_shown_palette_is_one_undo_step(window) -> None:  # type: ignore[no-untyped-def]
    window.set_sketch(make_sketch())
    hints = HintSet(
        (Hint("accurate", 20, 20, (62, 40, 82)), Hint("draft", 90, 50, (240, 210, 190), 20))
    )
    window.doc.set_part(Part.HINTS, hints)
    window.doc.palette.swatches.extend(_aki().swatches)
    window.doc.palette_edited()
    assert window.palette_dock.snap_hints()
    assert [h.rgb for h in window.doc.hints] == [(59, 42, 79), (246, 215, 195)]
    assert [(h.kind, h.x, h.y, h.size) for h in window.doc.hints] == [
        (h.kind, h.x, h.y, h.size) for h in hints
    ]
    assert window.stack.undoText() == "Snap hints to My colours"
    window.stack.undo()
    assert window.doc.hints == hints


def test_first_start_shows_a_named_preset_not_an_empty_palette(window) -> None:  # type: ignore[no-untyped-def]
    dock = window.palette_dock
    assert not window.doc.palette.swatches
    assert dock.combo.currentIndex() == 1 and dock.list.count() > 0
    names = [dock.list.item(i).text() for i in range(dock.list.count())]
    assert all(names) and names == [s.name for s in dock.shown_palette().swatches]
