"""The colour dock in the window: it follows the current colour, its eyedropper arms the tool,
and a theme change recolours the actions' icons."""

from __future__ import annotations

from paintassist.gui.actions import ACTIONS


def test_the_window_has_the_colour_dock_and_its_eyedropper_arms_the_tool(window) -> None:  # type: ignore[no-untyped-def]
    window.color_dock.eyedropper.click()
    assert window.state.tool == "eyedropper"
    window.state.set_color((12, 34, 56))
    assert [b.value() for b in window.color_dock.rgb_boxes] == [12, 34, 56]
    assert window.color_dock.hex_edit.text().lower() == "#0c2238"


def test_a_theme_change_recolours_the_icons(window) -> None:  # type: ignore[no-untyped-def]
    name = next(s.name for s in ACTIONS if s.icon)
    window.set_theme("dark")
    dark = window.acts[name].icon().pixmap(20, 20).toImage()
    window.set_theme("light")
    light = window.acts[name].icon().pixmap(20, 20).toImage()
    assert dark != light
