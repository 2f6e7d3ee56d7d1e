"""The colour dock: the wheel picks hue and saturation/value where it is clicked, the fields
round-trip, the current colour is followed both ways, recent colours and the eyedropper."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor

from paintassist.gui.color_picker import RING, ColorPickerDock
from paintassist.gui.tool_state import ToolState


def _dock(qtbot):  # type: ignore[no-untyped-def]
    state = ToolState()
    dock = ColorPickerDock(state)
    dock.resize(280, 380)
    dock.show()
    qtbot.addWidget(dock)
    return state, dock


def test_the_wheel_picks_saturation_and_value_in_the_square(qtbot) -> None:  # type: ignore[no-untyped-def]
    state, dock = _dock(qtbot)
    state.set_color((255, 0, 0))  # hue 0
    sq = dock.wheel.square()
    qtbot.mouseClick(dock.wheel, Qt.MouseButton.LeftButton,
                     pos=QPointF(sq.right() - 1, sq.top() + 1).toPoint())
    r, g, b = state.color
    assert r > 240 and g < 15 and b < 15  # full saturation, full value, red
    qtbot.mouseClick(dock.wheel, Qt.MouseButton.LeftButton,
                     pos=QPointF(sq.left() + sq.width() / 2, sq.bottom() - 1).toPoint())
    assert max(state.color) < 10  # bottom edge: black


def test_the_ring_picks_the_hue_at_its_angle(qtbot) -> None:  # type: ignore[no-untyped-def]
    state, dock = _dock(qtbot)
    state.set_color((255, 0, 0))
    w = dock.wheel
    c = QPointF(w.width() / 2, w.height() / 2)
    r = min(w.width(), w.height()) / 2 - 2
    mid = r * (1 - RING / 2)
    a = math.radians(120)  # green, counter-clockwise from 3 o'clock
    qtbot.mouseClick(w, Qt.MouseButton.LeftButton,
                     pos=QPointF(c.x() + mid * math.cos(a), c.y() - mid * math.sin(a)).toPoint())
    assert abs(QColor(*state.color).hsvHue() - 120) <= 3


def test_fields_round_trip_and_follow_the_current_colour(qtbot) -> None:  # type: ignore[no-untyped-def]
    state, dock = _dock(qtbot)
    state.set_color((192, 64, 96))
    assert [b.value() for b in dock.rgb_boxes] == [192, 64, 96]
    h, s, v = (b.value() for b in dock.hsv_boxes)
    assert (h, s, v) == (QColor(192, 64, 96).hsvHue(), QColor(192, 64, 96).hsvSaturation(), 192)
    dock.rgb_boxes[1].setValue(200)
    assert state.color == (192, 200, 96)
    dock.hsv_boxes[2].setValue(0)
    assert state.color == (0, 0, 0)


def test_a_colour_set_elsewhere_does_not_echo_back(qtbot) -> None:  # type: ignore[no-untyped-def]
    state, _ = _dock(qtbot)
    seen: list[tuple[int, int, int]] = []
    state.color_changed.connect(seen.append)
    state.set_color((10, 20, 30))
    assert seen == [(10, 20, 30)]


def test_recent_colours_and_the_eyedropper(qtbot) -> None:  # type: ignore[no-untyped-def]
    state, dock = _dock(qtbot)
    state.remember((1, 2, 3))
    state.remember((200, 100, 50))
    shown = [b for b in dock.recent_buttons if not b.isHidden()]
    assert len(shown) == 2
    state.set_color((0, 0, 0))
    target = next(b for b in shown if tuple(b.property("rgb")) == (1, 2, 3))
    target.click()
    assert state.color == (1, 2, 3)
    with qtbot.waitSignal(dock.eyedropper_requested, timeout=1000):
        dock.eyedropper.click()


def test_the_hex_field_takes_short_and_long_forms_and_ignores_junk(qtbot) -> None:  # type: ignore[no-untyped-def]
    state, dock = _dock(qtbot)
    for text, rgb in (("c04060", (192, 64, 96)), ("#C46", (204, 68, 102)), ("#0a0b0c", (10, 11, 12))):
        dock.hex_edit.setText(text)
        dock.hex_edit.editingFinished.emit()
        assert state.color == rgb
    dock.hex_edit.setText("#zzz")
    dock.hex_edit.editingFinished.emit()
    assert state.color == (10, 11, 12) and dock.hex_edit.text() == "#0a0b0c"
