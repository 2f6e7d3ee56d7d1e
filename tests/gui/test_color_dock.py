"""The colour dock: the wheel and the fields pick the tool colour, Enter and Escape hand the keys
back, bad hex text changes nothing, a colour set elsewhere is shown without echoing back, recent
colours and the eyedropper."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from paintassist.core.types import RGB
from paintassist.gui.color_dock import ColorDock, invalid_text_colour
from paintassist.gui.color_wheel import hsv_to_rgb, rgb_to_hsv
from paintassist.gui.theme import ICON_COLOURS, make_palette
from paintassist.gui.tool_state import ToolState


class Spy:
    """What the dock said: picked colours and focus requests."""

    def __init__(self, dock: ColorDock) -> None:
        self.picked: list[RGB] = []
        self.focus = 0
        dock.color_picked.connect(self.picked.append)
        dock.focus_canvas_requested.connect(self._focus)

    def _focus(self) -> None:
        self.focus += 1


@pytest.fixture
def state() -> ToolState:
    s = ToolState()
    s.set_color((200, 60, 60))
    return s


@pytest.fixture
def dock(qtbot, state: ToolState) -> ColorDock:  # type: ignore[no-untyped-def]
    d = ColorDock(state)
    d.resize(280, 480)
    d.show()
    qtbot.addWidget(d)
    return d


def _press_drag_release(widget: QWidget, *points: QPointF) -> None:
    button = Qt.MouseButton.LeftButton
    moves = [(QEvent.Type.MouseMove, p) for p in points[1:]]
    steps = [(QEvent.Type.MouseButtonPress, points[0]), *moves]
    for kind, p in [*steps, (QEvent.Type.MouseButtonRelease, points[-1])]:
        held = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else button
        event = QMouseEvent(
            kind, p, widget.mapToGlobal(p), button, held, Qt.KeyboardModifier.NoModifier
        )
        QApplication.sendEvent(widget, event)


def _type(qtbot, field: QWidget, text: str, key: Qt.Key = Qt.Key.Key_Return) -> None:  # type: ignore[no-untyped-def]
    field.setFocus()
    editor = field.lineEdit() if hasattr(field, "lineEdit") else field
    editor.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, key)


def test_dragging_the_ring_turns_the_hue_and_keeps_saturation_and_value(
    dock: ColorDock, state: ToolState
) -> None:
    spy = Spy(dock)
    _, s0, v0 = rgb_to_hsv(state.color)
    w = dock.wheel
    geo = w.wheel_geometry()
    mid = (geo.outer + geo.inner) / 2
    points = [
        QPointF(geo.cx + mid * math.cos(math.radians(a)), geo.cy - mid * math.sin(math.radians(a)))
        for a in (10, 60, 130)
    ]
    _press_drag_release(w, *points)
    end = points[-1]
    hue = math.degrees(math.atan2(-(end.y() - geo.cy), end.x() - geo.cx)) % 360
    assert state.color == hsv_to_rgb(hue, s0, v0) and spy.picked[-1] == state.color
    assert dock.spins["h"].value() == 130 and dock.spins["r"].value() == state.color[0]
    assert dock.hex_edit.text() == "#{:02x}{:02x}{:02x}".format(*state.color)


def test_dragging_in_the_square_sets_saturation_and_value_and_keeps_the_hue_through_black(
    dock: ColorDock, state: ToolState
) -> None:
    dock.set_color(hsv_to_rgb(200.0, 0.5, 0.5))
    hue = dock.hsv()[0]
    sq = dock.wheel.wheel_geometry().square
    at = QPointF(sq.left() + 0.3 * sq.width(), sq.top() + 0.1 * sq.height())
    _press_drag_release(dock.wheel, QPointF(sq.center()), at)
    assert state.color == hsv_to_rgb(hue, 0.3, 0.9)
    # down to black and back up: RGB (0, 0, 0) has no hue, the dock keeps it
    _press_drag_release(dock.wheel, at, QPointF(at.x(), sq.bottom() + 20), at)
    assert state.color == hsv_to_rgb(hue, 0.3, 0.9) and dock.hsv()[0] == hue


def test_a_slider_click_jumps_to_its_value(dock: ColorDock, state: ToolState) -> None:
    slider = dock.sliders["g"]
    x = slider.x_of(200)
    _press_drag_release(slider, QPointF(x, slider.height() / 2))
    assert slider.value() == 200 and state.color == (200, 200, 60)
    assert dock.spins["g"].value() == 200
    assert slider.focusPolicy() == Qt.FocusPolicy.TabFocus


@pytest.mark.parametrize("text", ["c04060", "#C04060", "  #c04060 "])
def test_typing_a_hex_and_enter_sets_the_colour_and_gives_the_keys_back(
    qtbot,
    dock: ColorDock,
    state: ToolState,
    text: str,  # type: ignore[no-untyped-def]
) -> None:
    spy = Spy(dock)
    _type(qtbot, dock.hex_edit, text)
    assert state.color == (192, 64, 96) and spy.picked == [(192, 64, 96)]
    assert dock.hex_edit.text() == "#c04060" and spy.focus == 1


def test_hex_shorthand(qtbot, dock: ColorDock, state: ToolState) -> None:  # type: ignore[no-untyped-def]
    _type(qtbot, dock.hex_edit, "#c46")
    assert state.color == (0xCC, 0x44, 0x66) and dock.hex_edit.text() == "#cc4466"


def test_bad_hex_is_shown_as_bad_and_changes_nothing(
    qtbot, dock: ColorDock, state: ToolState
) -> None:  # type: ignore[no-untyped-def]
    spy = Spy(dock)
    dock.hex_edit.setFocus()
    dock.hex_edit.selectAll()
    qtbot.keyClicks(dock.hex_edit, "#12345z")
    assert dock.hex_edit.property("invalid") is True
    bad = dock.hex_edit.palette().color(QPalette.ColorRole.Text)
    assert bad == invalid_text_colour(dock.palette()) and bad.hsvHue() == 0
    assert bad.saturation() > 100
    assert state.color == (200, 60, 60)
    qtbot.keyClick(dock.hex_edit, Qt.Key.Key_Return)
    assert state.color == (200, 60, 60) and not spy.picked
    assert dock.hex_edit.text() == "#c83c3c" and dock.hex_edit.property("invalid") is False
    assert dock.hex_edit.palette().color(QPalette.ColorRole.Text) == dock.palette().text().color()
    assert spy.focus == 1
    dock.hex_edit.setText("nonsense")  # leaving the field: dropped too
    dock.hex_edit.editingFinished.emit()
    assert state.color == (200, 60, 60) and dock.hex_edit.text() == "#c83c3c"


def test_escape_in_the_hex_field_reverts_and_gives_the_keys_back(
    qtbot,
    dock: ColorDock,
    state: ToolState,  # type: ignore[no-untyped-def]
) -> None:
    spy = Spy(dock)
    _type(qtbot, dock.hex_edit, "00ff00", Qt.Key.Key_Escape)
    assert state.color == (200, 60, 60) and not spy.picked
    assert dock.hex_edit.text() == "#c83c3c" and spy.focus == 1


def test_rgb_spin_boxes_apply_on_enter_and_hand_back_the_keys(
    qtbot,
    dock: ColorDock,
    state: ToolState,  # type: ignore[no-untyped-def]
) -> None:
    spy = Spy(dock)
    _type(qtbot, dock.spins["b"], "12")  # not 1, then 12: the value applies on Enter
    assert state.color == (200, 60, 12) and spy.picked == [(200, 60, 12)] and spy.focus == 1
    assert dock.sliders["b"].value() == 12
    h, s, v = rgb_to_hsv((200, 60, 12))
    assert [dock.spins[k].value() for k in "hsv"] == [round(h), round(s * 100), round(v * 100)]
    _type(qtbot, dock.spins["r"], "99", Qt.Key.Key_Escape)
    assert state.color == (200, 60, 12) and dock.spins["r"].value() == 200
    assert dock.spins["r"].text() == "200" and spy.focus == 2


def test_hsv_spin_boxes_round_trip(qtbot, dock: ColorDock, state: ToolState) -> None:  # type: ignore[no-untyped-def]
    h0, s0, _ = dock.hsv()
    _type(qtbot, dock.spins["v"], "40")
    assert state.color == hsv_to_rgb(h0, s0, 0.4)
    _type(qtbot, dock.spins["s"], "0")  # a grey…
    assert len(set(state.color)) == 1
    _type(qtbot, dock.spins["s"], f"{round(s0 * 100)}")  # …and back: the hue was kept
    assert dock.spins["h"].value() == round(h0)
    assert state.color == hsv_to_rgb(h0, round(s0 * 100) / 100, 0.4)
    _type(qtbot, dock.spins["h"], "120")
    assert QColor(*state.color).hsvHue() == pytest.approx(120, abs=1)


def test_a_colour_set_elsewhere_is_shown_without_echo(dock: ColorDock, state: ToolState) -> None:
    spy = Spy(dock)
    changes: list[RGB] = []
    state.color_changed.connect(changes.append)
    state.set_color((10, 20, 30))  # e.g. a palette swatch
    assert changes == [(10, 20, 30)] and not spy.picked
    assert dock.color() == (10, 20, 30) and dock.hex_edit.text() == "#0a141e"
    assert [dock.spins[k].value() for k in "rgb"] == [10, 20, 30]
    assert dock.wheel.hsv() == dock.hsv()


def test_set_color_sets_the_tool_colour_without_color_picked(
    dock: ColorDock, state: ToolState
) -> None:
    spy = Spy(dock)
    changes: list[RGB] = []
    state.color_changed.connect(changes.append)
    dock.set_color((1, 2, 3))
    dock.set_color((1, 2, 3))
    assert state.color == (1, 2, 3) and changes == [(1, 2, 3)] and not spy.picked
    assert dock.spins["b"].value() == 3


def test_recent_colours_click_picks(qtbot, dock: ColorDock, state: ToolState) -> None:  # type: ignore[no-untyped-def]
    assert dock.recent_hint.isVisibleTo(dock)
    state.remember((1, 2, 3))
    state.remember((40, 50, 60))
    shown = [b for b in dock.recent_buttons if b.isVisibleTo(dock)]
    assert [tuple(b.property("rgb")) for b in shown] == [(40, 50, 60), (1, 2, 3)]
    assert not dock.recent_hint.isVisibleTo(dock)
    spy = Spy(dock)
    qtbot.mouseClick(shown[1], Qt.MouseButton.LeftButton)
    assert state.color == (1, 2, 3) and spy.picked == [(1, 2, 3)]
    assert state.recent == [(40, 50, 60), (1, 2, 3)]  # picking does not reorder the strip


def test_the_eyedropper_arms_the_tool_and_shows_it(
    qtbot, dock: ColorDock, state: ToolState
) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(dock.eyedropper_requested, timeout=1000):
        qtbot.mouseClick(dock.eyedropper, Qt.MouseButton.LeftButton)
    assert state.tool == "eyedropper" and dock.eyedropper.isChecked()
    qtbot.mouseClick(dock.eyedropper, Qt.MouseButton.LeftButton)  # still armed
    assert state.tool == "eyedropper" and dock.eyedropper.isChecked()
    state.set_tool("draft")
    assert not dock.eyedropper.isChecked()


def test_invalid_text_reads_on_light_and_dark_fields() -> None:
    light, dark = make_palette("light"), make_palette("dark")
    assert invalid_text_colour(light).lightness() < 128 < invalid_text_colour(dark).lightness()


def test_the_icon_follows_the_theme(dock: ColorDock) -> None:
    def icon_colour() -> str:
        img = dock.eyedropper.icon().pixmap(20, 20).toImage()
        seen = {
            img.pixelColor(x, y).name()
            for x in range(20)
            for y in range(20)
            if img.pixelColor(x, y).alpha() == 255
        }
        return min(seen)

    dock.setPalette(make_palette("light"))
    assert icon_colour() == ICON_COLOURS["light"][0]
    dock.setPalette(make_palette("dark"))
    assert icon_colour() == ICON_COLOURS["dark"][0]


def test_the_dock_is_compact(dock: ColorDock) -> None:
    assert dock.minimumSizeHint().width() <= 260
    dock.resize(280, dock.sizeHint().height())
    assert dock.wheel.width() >= 240
