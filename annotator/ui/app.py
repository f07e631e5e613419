"""Starting the window: the QApplication, which database to open, files given on the command
line. ``build_main_window`` is the same assembly without an event loop (tests, screenshots)."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.tagset import TagsetError
from annotator.services.app import App, open_app
from annotator.services.app import DatabaseError, default_database_path, resolve_url

from .main_window import MainWindow
from .qt_workarounds import guard_none_refcount

log = logging.getLogger(__name__)

ORGANIZATION = "annotator"
APPLICATION = "annotator"


def build_main_window(app: App, settings: QSettings | None = None) -> MainWindow:
    return MainWindow(app, settings=settings)


def choose_database(db: str | None, settings: QSettings) -> str:
    """Explicit ``db`` > ANNOTATOR_DB > the last database the window used (if its file still
    exists: a deleted file should not be silently recreated empty) > the default path."""
    if db:
        return db
    env = os.environ.get("ANNOTATOR_DB")
    if env:
        return env
    last = settings.value("lastDatabase")
    if isinstance(last, str) and last:
        if "://" in last and not last.startswith("sqlite"):
            return last
        path = resolve_url(last).removeprefix("sqlite:///")
        if Path(path).is_file():
            return last
    return str(default_database_path())


def run(*, db: str | None, tagset: str | None, files: list[str], user: str | None = None) -> int:
    """Open the window; returns the process exit status."""
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt_app, QApplication)
    qt_app.setOrganizationName(ORGANIZATION)
    qt_app.setApplicationName(APPLICATION)
    qt_app.setApplicationDisplayName("annotator")
    guard_none_refcount()
    settings = QSettings()
    target = choose_database(db, settings)
    try:
        remembered = settings.value("userName")
        if not user and not os.environ.get("ANNOTATOR_USER") and isinstance(remembered, str):
            user = remembered
        app = open_app(target, tagset=tagset, annotator=user)
    except (DatabaseError, TagsetError, ValueError) as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        QMessageBox.critical(None, "annotator cannot start", str(exc))
        return 2
    try:
        window = build_main_window(app, settings)
        window.show()
        if files:
            # After the event loop starts, so the progress dialog has a window to sit on.
            QTimer.singleShot(0, lambda: window.files.start_import([Path(f) for f in files]))
        status = qt_app.exec()
        window.close()
        return int(status)
    finally:
        app.close()
