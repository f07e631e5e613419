"""View ▸ Spelling: which English the spelling checker reads articles in, from the window.

The setting lives in the database (``annotator spelling --variant`` sets the same one), so a
desk checks alike whoever changes it; choosing here re-checks the article on show at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from annotator.core.errors import DatabaseError
from annotator.core.suggest.spelling_variant import AUTO, EN_GB, EN_US
from annotator.services.spelling import SpellingSettings

if TYPE_CHECKING:
    from annotator.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

CHOICES = (
    (
        AUTO,
        "As each &article spells",
        "British or American, as the article's own spellings say (British when they do not)",
    ),
    (EN_GB, "&British English", "Check every article against the British dictionary"),
    (EN_US, "&American English", "Check every article against the American dictionary"),
)


class SpellingMenu:
    def __init__(self, window: MainWindow, add: Callable[..., QAction], view_menu: QMenu) -> None:
        self._window = window
        menu = view_menu.addMenu("&Spelling")
        # Read each time it opens: a colleague (or the CLI) may have changed it.
        menu.aboutToShow.connect(self.show_current)
        group = QActionGroup(window)
        group.setExclusive(True)
        self.actions: dict[str, QAction] = {}
        for variant, text, tip in CHOICES:
            action = add(menu, f"spelling_{variant}", text,
                         lambda chosen=variant: self.choose(chosen), tip=tip)  # fmt: skip
            action.setCheckable(True)
            group.addAction(action)
            self.actions[variant] = action

    def _settings(self) -> SpellingSettings:
        app = self._window.app
        return SpellingSettings(app.db, actor=app.user)

    def show_current(self) -> None:
        try:
            current = self._settings().variant()
        except DatabaseError as exc:
            log.info("spelling setting not read: %s", exc)
            return
        self.actions[current].setChecked(True)

    def choose(self, variant: str) -> None:
        window = self._window
        try:
            self._settings().set_variant(variant)
        except DatabaseError as exc:
            window.display.failed(f"spelling setting not saved: {exc}")
            self.show_current()
            return
        self.actions[variant].setChecked(True)
        name = next(text for key, text, _tip in CHOICES if key == variant).replace("&", "")
        window.show_message(f"Spelling: {name} (for everyone on this database)")
        if window.document is not None:
            window.spelling.check(window.app, window.document.text)
