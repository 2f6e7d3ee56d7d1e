"""Dark and light themes: the Fusion style with a palette, and the qtawesome icon colours to match.

``"auto"`` follows the system's colour scheme (``QStyleHints.colorScheme``, which follows the
desktop's setting live) and is dark when the system states none: artists' tools (Krita, Clip
Studio, Photoshop) are dark by default, and a dark surround does not tint how colours are judged
the way a white one does.
"""

from __future__ import annotations

import qtawesome as qta
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from paintassist.app.settings import THEMES

_R = QPalette.ColorRole
_G = QPalette.ColorGroup

#: role → colour of each theme (RGB).
PALETTES: dict[str, dict[QPalette.ColorRole, tuple[int, int, int]]] = {
    "dark": {
        _R.Window: (50, 52, 56),
        _R.WindowText: (218, 220, 224),
        _R.Base: (36, 38, 41),
        _R.AlternateBase: (44, 46, 50),
        _R.ToolTipBase: (30, 32, 35),
        _R.ToolTipText: (230, 230, 230),
        _R.PlaceholderText: (130, 134, 140),
        _R.Text: (222, 224, 228),
        _R.Button: (58, 61, 66),
        _R.ButtonText: (222, 224, 228),
        _R.BrightText: (255, 110, 110),
        _R.Light: (80, 84, 90),
        _R.Midlight: (66, 69, 74),
        _R.Mid: (44, 46, 50),
        _R.Dark: (30, 32, 35),
        _R.Shadow: (12, 12, 14),
        _R.Highlight: (64, 128, 200),
        _R.HighlightedText: (255, 255, 255),
        _R.Link: (110, 170, 240),
        _R.LinkVisited: (170, 140, 230),
    },
    "light": {
        _R.Window: (239, 239, 241),
        _R.WindowText: (24, 24, 26),
        _R.Base: (255, 255, 255),
        _R.AlternateBase: (245, 245, 247),
        _R.ToolTipBase: (255, 255, 225),
        _R.ToolTipText: (20, 20, 20),
        _R.PlaceholderText: (120, 120, 125),
        _R.Text: (20, 20, 22),
        _R.Button: (232, 232, 235),
        _R.ButtonText: (20, 20, 22),
        _R.BrightText: (200, 0, 0),
        _R.Light: (255, 255, 255),
        _R.Midlight: (220, 220, 224),
        _R.Mid: (180, 180, 186),
        _R.Dark: (150, 150, 156),
        _R.Shadow: (90, 90, 96),
        _R.Highlight: (48, 116, 200),
        _R.HighlightedText: (255, 255, 255),
        _R.Link: (20, 90, 190),
        _R.LinkVisited: (110, 60, 170),
    },
}
#: (icon colour, disabled icon colour) per theme.
ICON_COLOURS: dict[str, tuple[str, str]] = {
    "dark": ("#d4d6da", "#6c7076"),
    "light": ("#3a3c40", "#a8aaae"),
}


def resolve(choice: str) -> str:
    """``"dark"`` or ``"light"`` for a theme choice (``"auto"``: the system's, else dark)."""
    if choice not in THEMES:
        raise ValueError(f"unknown theme {choice!r} (choose from {', '.join(THEMES)})")
    if choice != "auto":
        return choice
    scheme = QGuiApplication.styleHints().colorScheme()
    return "light" if scheme == Qt.ColorScheme.Light else "dark"


def make_palette(theme: str) -> QPalette:
    palette = QPalette()
    for role, rgb in PALETTES[theme].items():
        palette.setColor(role, QColor(*rgb))
    muted = QColor(*PALETTES[theme][_R.PlaceholderText])
    for role in (_R.WindowText, _R.Text, _R.ButtonText):
        palette.setColor(_G.Disabled, role, muted)
    return palette


def apply_theme(app: QApplication, choice: str) -> str:
    """Apply ``choice`` to ``app`` (Fusion style, palette, default icon colours) and return the
    resolved theme. Icons made before keep their colour: callers remake theirs."""
    theme = resolve(choice)
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setPalette(make_palette(theme))
    color, disabled = ICON_COLOURS[theme]
    qta.set_defaults(color=color, color_disabled=disabled)
    app.setProperty("paintassist_theme", theme)
    return theme


def themed_icon(name: str) -> QIcon:
    """``qta.icon(name)`` in the current theme's colours. qtawesome caches icons by their
    arguments and ignores changed defaults, so the colours are passed explicitly."""
    color, disabled = ICON_COLOURS[current_theme()]
    return qta.icon(name, color=color, color_disabled=disabled)


def current_theme() -> str:
    """The theme applied last (``"dark"`` before any)."""
    app = QApplication.instance()
    value = app.property("paintassist_theme") if app is not None else None
    return value if value in PALETTES else "dark"
