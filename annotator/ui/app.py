"""Starting the window: the QApplication, who is working, which database to open (asking for
a server's password when it is needed), files given on the command line.
``build_main_window`` is the same assembly without an event loop or dialogs (tests,
screenshots)."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.errors import Problem
from annotator.core.resources import resource
from annotator.core.tagset import TagsetError
from annotator.services.app import (
    App,
    DatabaseError,
    default_database_path,
    describe_url,
    is_sqlite,
    open_app,
    resolve_url,
)
from annotator.ui.dialogs.connect import connect_at_start
from annotator.ui.qt_workarounds import guard_none_refcount
from annotator.ui.window.main_window import MainWindow
from annotator.ui.window.user_identity import choose_user

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


def is_server_url(target: str) -> bool:
    return "://" in target and not is_sqlite(resolve_url(target))


def open_or_connect(target: str, *, tagset: str | None, user: str | None) -> App | None:
    """Open ``target``; a server that cannot be reached as it stands (a password nobody
    supplied, a wrong one, a server that moved) brings up the connect dialog, pre-filled and
    saying why, instead of ending the program. None: the user cancelled it.

    Raises DatabaseError, TagsetError or ValueError for anything the dialog cannot mend."""
    try:
        return open_app(target, tagset=tagset, annotator=user)
    except DatabaseError as exc:
        if exc.problem is not Problem.CANNOT_CONNECT or not is_server_url(target):
            raise
        log.info("cannot reach %s: %s", describe_url(target), exc)
        return connect_at_start(target, str(exc), tagset=tagset, user=user)


def run(*, db: str | None, tagset: str | None, files: list[str], user: str | None = None) -> int:
    """Open the window; returns the process exit status."""
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt_app, QApplication)
    qt_app.setOrganizationName(ORGANIZATION)
    qt_app.setApplicationName(APPLICATION)
    qt_app.setApplicationDisplayName("annotator")
    # The same name and icon as `annotator install-desktop`'s menu entry, so the desktop
    # shows the window under that entry (Wayland matches the app id to the .desktop file).
    qt_app.setDesktopFileName("annotator")
    qt_app.setWindowIcon(QIcon(str(resource("icons", "annotator.svg"))))
    guard_none_refcount()
    settings = QSettings()
    target = choose_database(db, settings)
    try:
        user = choose_user(user, settings)
        app = open_or_connect(target, tagset=tagset, user=user)
    except (DatabaseError, TagsetError, ValueError) as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        QMessageBox.critical(None, "annotator cannot start", str(exc))
        return 2
    if app is None:
        print("annotator: not connected to the database server", file=sys.stderr)
        return 2
    try:
        window = build_main_window(app, settings)
        window.show()
        if files:
            # After the event loop starts, so the progress dialog has a window to sit on.
            # start_import keeps https:// addresses as they are and makes paths of the rest.
            QTimer.singleShot(0, lambda: window.files.start_import(list(files)))
        status = qt_app.exec()
        window.close()
        return int(status)
    finally:
        app.close()
