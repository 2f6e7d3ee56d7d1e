from __future__ import annotations

from dataclasses import replace

import pytest
from fakes import make_sketch

from paintassist.app.document import Document, Part, Parts, Settings, needs_colorize
from paintassist.core.types import Hint, HintSet, LightSettings


def test_settings_json_round_trip() -> None:
    s = Settings(
        gap_px=9,
        preview_long_side=None,
        reference_strength=1.5,
        use_networks=False,
        light=LightSettings(enabled=True, azimuth_deg=200.0, rgb=(1, 2, 3)),
    )
    s = s.with_layer("shading", visible=False, opacity=0.25)
    back = Settings.from_json(s.to_json())
    assert back.to_json() == s.to_json()
    assert back.light.rgb == (1, 2, 3)
    assert back.layer_visible["shading"] is False
    assert back.layer_opacity["shading"] == pytest.approx(0.25)


def test_settings_from_json_fills_defaults_and_ignores_unknown() -> None:
    s = Settings.from_json({"gap_px": 3, "bogus": 1, "light": {"enabled": True, "nope": 2}})
    assert s.gap_px == 3 and s.light.enabled and s.preview_long_side == 768


def test_layer_opacity_is_clamped() -> None:
    assert Settings().with_layer("flats", opacity=3.0).layer_opacity["flats"] == 1.0


def test_request_uses_preview_or_full_resolution() -> None:
    doc = Document()
    assert doc.make_request() is None
    doc.set_sketch(make_sketch())
    assert doc.make_request().options.work_long_side == 768  # type: ignore[union-attr]
    assert doc.make_request(full_resolution=True).options.work_long_side is None  # type: ignore[union-attr]


def test_changed_reports_parts_and_colorize_only_when_needed() -> None:
    doc = Document()
    seen: list[Parts] = []
    doc.changed.connect(seen.append)
    doc.set_sketch(make_sketch())
    assert Part.SKETCH in seen[-1] and not doc.dirty
    doc.set_part(Part.HINTS, HintSet((Hint("accurate", 1, 2, (1, 2, 3)),)))
    assert seen[-1] == {Part.HINTS} and doc.dirty and needs_colorize(seen[-1])
    doc.set_part(Part.SETTINGS, doc.settings.with_layer("flats", visible=False))
    assert seen[-1] == {Part.SETTINGS} and not needs_colorize(seen[-1])
    doc.set_part(Part.SETTINGS, replace(doc.settings, gap_px=11))
    assert needs_colorize(seen[-1])


def test_load_replaces_everything_in_one_notification() -> None:
    doc = Document()
    doc.set_part(Part.SETTINGS, replace(doc.settings, gap_px=9))
    seen: list[Parts] = []
    doc.changed.connect(seen.append)
    hints = HintSet((Hint("accurate", 1, 2, (1, 2, 3)),))
    doc.load(make_sketch(), None, None, hints=hints)
    assert seen == [frozenset(Part)] and not doc.dirty
    assert doc.hints == hints and doc.settings.gap_px == 9  # settings None: kept
    doc.load(make_sketch(), None, None, saved=False)
    assert doc.dirty and len(doc.hints) == 0 and len(seen) == 2


def test_set_part_rejects_wrong_types() -> None:
    doc = Document()
    with pytest.raises(TypeError):
        doc.set_part(Part.HINTS, [])
    with pytest.raises(ValueError):
        doc.set_part(Part.PALETTE, doc.palette)  # changed in place, not replaced
    with pytest.raises(ValueError):
        doc.set_part("nonsense", 1)


def test_model_modules_do_not_import_qt() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import paintassist.app.document, paintassist.app.project, "
        "paintassist.app.recovery, paintassist.app.recent, paintassist.app.palette; "
        "print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_settings_light_uses_the_hints_file_form_and_reads_the_older_project_form() -> None:
    s = Settings(light=LightSettings(enabled=True, azimuth_deg=40.0, rgb=(10, 20, 30)))
    light = s.to_json()["light"]
    assert light["azimuth"] == 40.0 and light["color"] == "#0a141e"  # as in a hints file
    old = {
        "light": {"enabled": True, "azimuth_deg": 40.0, "elevation_deg": 20.0, "rgb": [10, 20, 30]}
    }
    back = Settings.from_json(old).light
    assert (back.azimuth_deg, back.elevation_deg, back.rgb, back.enabled) == (
        40.0,
        20.0,
        (10, 20, 30),
        True,
    )


def test_settings_light_is_validated() -> None:
    with pytest.raises(ValueError, match="elevation"):
        Settings.from_json({"light": {"elevation": 400}}, where="p.paintassist: settings")


def test_line_colour_and_screentone_change_the_colorization_and_reach_the_options() -> None:
    base = Settings()
    assert (base.line_color, base.screentone) == ("auto", True)
    black = replace(base, line_color="black")
    flat = replace(base, screentone=False)
    keys = {base.colorize_key(), black.colorize_key(), flat.colorize_key()}
    assert len(keys) == 3
    assert black.options().line_color == "black" and black.options().screentone is True
    assert flat.options(full_resolution=True).screentone is False
    doc = Document()
    doc.set_sketch(make_sketch())
    seen: list[Parts] = []
    doc.changed.connect(seen.append)
    doc.set_part(Part.SETTINGS, replace(doc.settings, line_color="keep", screentone=False))
    assert needs_colorize(seen[-1])
    options = doc.make_request().options  # type: ignore[union-attr]
    assert (options.line_color, options.screentone) == ("keep", False)


def test_line_colour_and_screentone_json_round_trip_default_and_validate() -> None:
    s = replace(Settings(), line_color="keep", screentone=False)
    data = s.to_json()
    assert (data["line_color"], data["screentone"]) == ("keep", False)
    back = Settings.from_json(data)
    assert (back.line_color, back.screentone) == ("keep", False)
    old = Settings.from_json({"gap_px": 4})  # written before these settings existed
    assert (old.line_color, old.screentone) == ("auto", True)
    with pytest.raises(ValueError, match=r"p: line_color must be one of auto, keep, black"):
        Settings.from_json({"line_color": "purple"}, where="p")
    with pytest.raises(ValueError, match=r"p: screentone must be true or false"):
        Settings.from_json({"screentone": "yes"}, where="p")
