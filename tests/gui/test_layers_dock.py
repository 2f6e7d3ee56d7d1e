"""The layers panel: a thumbnail of each layer of the latest preview; light rows only with light,
the tone row only for a result with screentone."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from fakes import make_sketch

from paintassist.app.document import Part
from paintassist.core.types import LightSettings
from paintassist.gui.commands import push_part
from paintassist.gui.layers_dock import THUMB, has_tone, layer_thumbnails


def test_every_layer_row_gets_a_thumbnail_of_the_preview(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.set_sketch(make_sketch())
    qtbot.waitUntil(
        lambda: window.last_result is not None and not window.preview.busy, timeout=3000
    )
    dock = window.layers_dock
    for name, label in dock.thumbs.items():
        pm = label.pixmap()
        assert not pm.isNull(), name
        assert max(pm.width(), pm.height()) == THUMB


def test_thumbnails_are_small_and_show_the_layer(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.set_sketch(make_sketch(400, 600))
    qtbot.waitUntil(lambda: window.last_result is not None, timeout=3000)
    thumbs = layer_thumbnails(window.last_result)
    flats = window.last_result.flats
    assert max(thumbs["flats"].shape[:2]) <= 2 * THUMB + 1
    assert np.allclose(thumbs["flats"].mean((0, 1)), flats.mean((0, 1)), atol=20)
    assert thumbs["lineart"].shape[-1] == 3  # ink over white


def test_light_rows_show_only_while_the_light_is_on(window) -> None:  # type: ignore[no-untyped-def]
    dock = window.layers_dock
    assert not window.doc.settings.light.enabled
    assert dock.checks["shadow"].isHidden() and dock.checks["lighting"].isHidden()
    assert not dock.checks["flats"].isHidden()
    window.set_sketch(make_sketch())
    on = replace(window.doc.settings, light=LightSettings(enabled=True))
    push_part(window.stack, window.doc, Part.SETTINGS, on, "Light on")
    assert not dock.checks["shadow"].isHidden() and not dock.thumbs["lighting"].isHidden()


def test_tone_and_sketch_rows_have_titles(window) -> None:  # type: ignore[no-untyped-def]
    dock = window.layers_dock
    assert dock.checks["tone"].text() == "Tone"
    assert dock.checks["sketch"].text() == "Sketch"


def test_tone_row_shows_only_for_a_result_with_screentone(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    dock = window.layers_dock
    assert dock.checks["tone"].isHidden()  # nothing shown yet
    window.set_sketch(make_sketch())
    qtbot.waitUntil(
        lambda: window.last_result is not None and not window.preview.busy, timeout=3000
    )
    plain = window.last_result
    assert plain.tone is not None and not has_tone(plain)  # the fake's all-white tone
    assert dock.checks["tone"].isHidden() and not dock.tone_row_shown
    toned = np.full_like(plain.tone, 255)
    toned[10:20, 10:20] = 128
    dock.set_result(replace(plain, tone=toned))
    assert dock.tone_row_shown
    for widget in (dock.thumbs, dock.checks, dock.sliders, dock.labels):
        assert not widget["tone"].isHidden()
    h, w = plain.regions.shape
    blank = np.broadcast_to(np.full(3, 255, np.uint8), (h, w, 3))  # as the pipeline's
    dock.set_result(replace(plain, tone=blank))
    assert dock.checks["tone"].isHidden() and dock.sliders["tone"].isHidden()
    dock.set_result(replace(plain, tone=None))
    assert dock.checks["tone"].isHidden()


def test_the_tone_row_is_independent_of_the_light_rows(window) -> None:  # type: ignore[no-untyped-def]
    dock = window.layers_dock
    window.set_sketch(make_sketch())
    on = replace(window.doc.settings, light=LightSettings(enabled=True))
    push_part(window.stack, window.doc, Part.SETTINGS, on, "Light on")  # syncs every row
    assert not dock.checks["shadow"].isHidden() and dock.checks["tone"].isHidden()
