"""The layers panel: a thumbnail of each layer of the latest preview; light rows only with light."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from fakes import make_sketch

from paintassist.app.document import Part
from paintassist.core.types import LightSettings
from paintassist.gui.commands import push_part
from paintassist.gui.layers_dock import THUMB, layer_thumbnails


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
