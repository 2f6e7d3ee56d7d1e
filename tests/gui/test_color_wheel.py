"""The HSV wheel: the ring picks the hue at its angle, the square saturation (→) and value (↑),
a drag stays on the part it started on, the keys step, and the square is rendered only when the
hue changes."""

from __future__ import annotations

import colorsys
import math

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from paintassist.gui.color_wheel import ColorWheel, hsv_to_rgb, rgb_to_hsv

SIZE = 240


@pytest.fixture
def wheel(qtbot) -> ColorWheel:  # type: ignore[no-untyped-def]
    w = ColorWheel()
    w.resize(SIZE, SIZE)
    w.show()
    qtbot.addWidget(w)
    return w


def _mouse(widget: ColorWheel, kind: QEvent.Type, pos: QPointF) -> None:
    button = Qt.MouseButton.LeftButton
    held = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else button
    event = QMouseEvent(
        kind, pos, widget.mapToGlobal(pos), button, held, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, event)


def _drag(widget: ColorWheel, *points: QPointF) -> None:
    _mouse(widget, QEvent.Type.MouseButtonPress, points[0])
    for p in points[1:]:
        _mouse(widget, QEvent.Type.MouseMove, p)
    _mouse(widget, QEvent.Type.MouseButtonRelease, points[-1])


def _on_ring(degrees: float) -> QPointF:
    """A point halfway across the ring at ``degrees`` (counter-clockwise from 3 o'clock),
    computed here from the ring's proportions, not with the widget's own helpers."""
    outer = SIZE / 2 - 2
    mid = outer - max(10.0, outer * 0.16) / 2
    a = math.radians(degrees)
    return QPointF(SIZE / 2 + mid * math.cos(a), SIZE / 2 - mid * math.sin(a))


def test_hsv_conversions_round_trip_and_greys_keep_their_hue() -> None:
    assert hsv_to_rgb(0, 1, 1) == (255, 0, 0) and hsv_to_rgb(120, 1, 1) == (0, 255, 0)
    assert hsv_to_rgb(360, 1, 1) == (255, 0, 0)
    for rgb in ((192, 64, 96), (10, 200, 30), (255, 255, 255), (0, 0, 0), (1, 2, 3)):
        assert hsv_to_rgb(*rgb_to_hsv(rgb)) == rgb
    assert rgb_to_hsv((128, 128, 128), keep=(200.0, 0.5, 0.9))[0] == 200.0
    assert rgb_to_hsv((0, 0, 0), keep=(200.0, 0.5, 0.9))[:2] == (200.0, 0.5)
    assert rgb_to_hsv((0, 0, 0))[:2] == (0.0, 0.0)


def test_a_drag_on_the_ring_sets_the_hue_at_its_angle(wheel: ColorWheel) -> None:
    wheel.set_hsv(0.0, 0.6, 0.8)
    seen: list[tuple[float, float, float]] = []
    wheel.hsv_changed.connect(lambda h, s, v: seen.append((h, s, v)))
    _drag(wheel, _on_ring(30), _on_ring(90), _on_ring(200))
    end = _on_ring(200)
    expected = math.degrees(math.atan2(-(end.y() - SIZE / 2), end.x() - SIZE / 2)) % 360
    h, s, v = wheel.hsv()
    assert h == pytest.approx(expected) and h == pytest.approx(200, abs=0.5)
    assert (s, v) == (0.6, 0.8)  # the ring changes the hue only
    assert [round(x[0]) for x in seen] == [30, 90, 200]


def test_a_click_in_the_square_sets_saturation_and_value(wheel: ColorWheel) -> None:
    wheel.set_hsv(240.0, 0.0, 1.0)
    sq = wheel.wheel_geometry().square
    assert sq.width() == sq.height() > 100
    at = QPointF(sq.left() + 0.75 * sq.width(), sq.top() + 0.75 * sq.height())
    _drag(wheel, at)
    h, s, v = wheel.hsv()
    assert h == 240.0 and s == pytest.approx(0.75) and v == pytest.approx(0.25)
    r, g, b = colorsys.hsv_to_rgb(240 / 360, 0.75, 0.25)
    assert hsv_to_rgb(h, s, v) == (round(r * 255), round(g * 255), round(b * 255))


def test_a_drag_stays_on_its_part_and_clamps(wheel: ColorWheel) -> None:
    wheel.set_hsv(100.0, 0.5, 0.5)
    sq = wheel.wheel_geometry().square
    # from the square out across the ring and beyond: hue untouched, s and v clamp at the edge
    _drag(wheel, QPointF(sq.center()), _on_ring(45), QPointF(SIZE + 50, -50))
    assert wheel.hsv() == (100.0, 1.0, 1.0)
    # from the ring into the square: still the hue
    inside = QPointF(SIZE / 2 + 1, SIZE / 2 - 30)
    _drag(wheel, _on_ring(300), inside)
    h, s, v = wheel.hsv()
    assert (s, v) == (1.0, 1.0) and h == pytest.approx(math.degrees(math.atan2(30, 1)))


def test_keys_step_saturation_value_and_hue(qtbot, wheel: ColorWheel) -> None:  # type: ignore[no-untyped-def]
    assert wheel.focusPolicy() == Qt.FocusPolicy.TabFocus  # a click leaves the canvas its keys
    wheel.set_hsv(10.0, 0.5, 0.5)
    qtbot.keyClick(wheel, Qt.Key.Key_Right)
    qtbot.keyClick(wheel, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(wheel, Qt.Key.Key_PageDown)
    qtbot.keyClick(wheel, Qt.Key.Key_PageDown)
    qtbot.keyClick(wheel, Qt.Key.Key_PageDown)
    h, s, v = wheel.hsv()
    assert h == pytest.approx(355.0) and s == pytest.approx(0.51) and v == pytest.approx(0.6)


def test_set_hsv_is_silent(wheel: ColorWheel) -> None:
    seen: list[float] = []
    wheel.hsv_changed.connect(lambda h, _s, _v: seen.append(h))
    wheel.set_hsv(400.0, 2.0, -1.0)
    assert wheel.hsv() == (40.0, 1.0, 0.0) and not seen


def test_the_square_is_rendered_only_when_the_hue_changes(wheel: ColorWheel) -> None:
    wheel.set_hsv(10.0, 0.2, 0.3)
    wheel.grab()
    renders = wheel.square_renders
    for s in (0.1, 0.5, 0.9):
        wheel.set_hsv(10.0, s, 1.0 - s)
        wheel.grab()
    assert wheel.square_renders == renders
    wheel.set_hsv(50.0, 0.9, 0.1)
    wheel.grab()
    assert wheel.square_renders == renders + 1


def test_the_painted_colours_are_the_picked_colours(wheel: ColorWheel) -> None:
    wheel.set_hsv(200.0, 0.5, 0.5)
    img = wheel.grab().toImage()
    geo = wheel.wheel_geometry()
    for s, v in ((0.2, 0.9), (0.8, 0.6), (0.6, 0.3)):
        p = geo.sv_point(s, v).toPoint()
        c = img.pixelColor(p)
        expected = hsv_to_rgb(200.0, s, v)
        assert (
            max(abs(a - b) for a, b in zip((c.red(), c.green(), c.blue()), expected, strict=True))
            <= 6
        )
    for degrees in (20.0, 75.0, 160.0, 250.0, 330.0):
        c = img.pixelColor(_on_ring(degrees).toPoint())
        assert abs(c.hsvHue() - degrees) <= 4 and c.hsvSaturation() > 240
