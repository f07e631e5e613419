"""How the article looks to the person reading it: the zoom (Ctrl+= / Ctrl+- / Ctrl+0 and
Ctrl+wheel) and the theme (follow the system, or always light, or always dark), both
remembered in the window's QSettings and applied when a window opens.

The theme is an application palette: Qt 6.5+ tells the system's colour scheme
(``QStyleHints.colorScheme``, ``colorSchemeChanged``), but a platform theme does not always
follow it with a palette of its own (a bare X11 session), so a dark choice sets a dark Fusion
palette itself. The article view shades span lines against whatever page colour results.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QColor, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QMenu

if TYPE_CHECKING:
    from annotator.ui.window.main_window import MainWindow
    from annotator.ui.window.menus import WindowActions

log = logging.getLogger(__name__)

FONT_SIZE_KEY = "view/fontSize"
THEME_KEY = "view/theme"
THEMES = ("system", "light", "dark")

AddAction = Callable[..., QAction]

_ROLE = QPalette.ColorRole
_GROUP = QPalette.ColorGroup


def dark_palette() -> QPalette:
    """A calm dark palette: a near-black page, light grey text, a muted blue selection."""
    palette = QPalette()
    colors = {
        _ROLE.Window: "#2b2b2b", _ROLE.WindowText: "#e6e6e6", _ROLE.Base: "#1e1e1e",
        _ROLE.AlternateBase: "#262626", _ROLE.ToolTipBase: "#333333",
        _ROLE.ToolTipText: "#e6e6e6", _ROLE.PlaceholderText: "#8c8c8c", _ROLE.Text: "#e6e6e6",
        _ROLE.Button: "#333333", _ROLE.ButtonText: "#e6e6e6", _ROLE.BrightText: "#ff6b6b",
        _ROLE.Light: "#454545", _ROLE.Midlight: "#3a3a3a", _ROLE.Mid: "#2f2f2f",
        _ROLE.Dark: "#181818", _ROLE.Shadow: "#000000", _ROLE.Highlight: "#3d6fa8",
        _ROLE.HighlightedText: "#ffffff", _ROLE.Link: "#7fb2ec", _ROLE.LinkVisited: "#b49ce0",
    }  # fmt: skip
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    for role in (_ROLE.WindowText, _ROLE.Text, _ROLE.ButtonText):
        palette.setColor(_GROUP.Disabled, role, QColor("#7a7a7a"))
    return palette


def light_palette() -> QPalette:
    style = QApplication.style()
    return style.standardPalette() if style is not None else QPalette()


def _is_dark(palette: QPalette) -> bool:
    return palette.color(_ROLE.Base).lightness() < 128


def system_is_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def apply_theme(theme: str) -> None:
    """Give the application the palette of ``theme`` ("system", "light" or "dark")."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    hints = QGuiApplication.styleHints()
    if theme == "system":
        if hasattr(hints, "unsetColorScheme"):  # Qt 6.8+
            hints.unsetColorScheme()
        # Back to the platform's own palette (an empty resolve mask resets it); a dark one of
        # ours only where the system is dark and the platform theme did not follow it.
        app.setPalette(QPalette())
        if system_is_dark() and not _is_dark(QGuiApplication.palette()):
            app.setPalette(dark_palette())
        return
    if hasattr(hints, "setColorScheme"):  # Qt 6.8+: native parts follow too
        hints.setColorScheme(Qt.ColorScheme.Dark if theme == "dark" else Qt.ColorScheme.Light)
    app.setPalette(dark_palette() if theme == "dark" else light_palette())


class ViewPrefs(QObject):
    """The window's zoom and theme, read from and written to its QSettings (a child of the
    window, found with ``window.findChild(ViewPrefs)``)."""

    def __init__(self, window: MainWindow, settings: QSettings) -> None:
        super().__init__(window)
        self.setObjectName("viewPrefs")
        self._window = window
        self._settings = settings
        self.theme_actions: dict[str, QAction] = {}
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_scheme)
        window.view.fontSizeChanged.connect(self._save_font_size)

    def theme(self) -> str:
        value = str(self._settings.value(THEME_KEY, "system"))
        return value if value in THEMES else "system"

    def set_theme(self, theme: str) -> None:
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r}")
        self._settings.setValue(THEME_KEY, theme)
        apply_theme(theme)
        action = self.theme_actions.get(theme)
        if action is not None:
            action.setChecked(True)

    def restore(self) -> None:
        apply_theme(self.theme())
        action = self.theme_actions.get(self.theme())
        if action is not None:
            action.setChecked(True)
        size = self._settings.value(FONT_SIZE_KEY)
        if size is not None:
            try:
                self._window.view.set_font_size(float(size))
            except (TypeError, ValueError):
                log.info("ignoring a saved font size of %r", size)

    def _save_font_size(self, size: float) -> None:
        self._settings.setValue(FONT_SIZE_KEY, size)

    def _on_system_scheme(self, _scheme: Qt.ColorScheme) -> None:
        try:
            if self.theme() == "system":
                apply_theme("system")
        except RuntimeError:  # the window is gone; its settings object with it
            pass


def add_view_actions(
    window: MainWindow, add: AddAction, actions: WindowActions, view_menu: QMenu
) -> ViewPrefs:
    """Zoom and theme entries in the View menu; applies the remembered ones."""
    prefs = ViewPrefs(window, window.settings)
    view = window.view
    view_menu.addSeparator()
    # Ctrl+= as well as Ctrl++: on most keyboards "+" needs Shift, "=" is the same key.
    add(
        view_menu,
        "zoom_in",
        "Zoom &in",
        lambda: view.zoom_by(1),
        ["Ctrl+=", QKeySequence.StandardKey.ZoomIn],
        "A larger article font",
    )
    add(
        view_menu,
        "zoom_out",
        "Zoom &out",
        lambda: view.zoom_by(-1),
        [QKeySequence.StandardKey.ZoomOut],
        "A smaller article font",
    )
    add(
        view_menu,
        "zoom_reset",
        "&Reset zoom",
        view.reset_zoom,
        ["Ctrl+0"],
        "The article font at its usual size",
    )
    theme_menu = view_menu.addMenu("&Theme")
    group = QActionGroup(window)
    group.setExclusive(True)
    for theme, text in (("system", "Follow the &system"), ("light", "&Light"), ("dark", "&Dark")):
        action = add(
            theme_menu,
            f"theme_{theme}",
            text,
            lambda chosen=theme: prefs.set_theme(chosen),
            tip=f"{text.replace('&', '')} colours for the window and the article",
        )
        action.setCheckable(True)
        group.addAction(action)
        prefs.theme_actions[theme] = action
    prefs.restore()
    return prefs
