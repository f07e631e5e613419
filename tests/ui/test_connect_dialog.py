"""File ▸ Connect to server… against the real PostgreSQL test server: a typed password opens
the database and is never written anywhere (settings, messages, titles, logs); a wrong one is
refused in one line and the dialog stays for another try; a start on a remembered server
that wants a password shows the dialog instead of failing."""

from __future__ import annotations

import logging
import os

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit
from sqlalchemy.engine import make_url
from window_helpers import show_window

from annotator.services.app import open_app
from annotator.ui.app import open_or_connect
from annotator.ui.dialogs.connect import (
    LAST_SERVER,
    ConnectDialog,
    ServerAddress,
    open_connect_dialog,
)

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

WRONG = "not-the-password-7f3a"


@pytest.fixture
def password(pg_url, monkeypatch, tmp_path) -> str:
    """The server's password, taken out of the environment (and no ~/.pgpass): from here on
    only the dialog's password field can supply it."""
    secret = os.environ.get("PGPASSWORD")
    if not secret:
        pytest.skip("the test server is reached without a password")
    monkeypatch.delenv("PGPASSWORD")
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no.pgpass"))
    return secret


@pytest.fixture
def local(tmp_path):
    opened = open_app(tmp_path / "local.sqlite3", annotator="alice")
    yield opened
    opened.close()


@pytest.fixture
def window(qtbot, local):
    win = show_window(qtbot, local)
    yield win
    win.close()


def fill(dialog: ConnectDialog, url: str, password: str) -> None:
    parsed = make_url(url)
    dialog.host_edit.setText(parsed.host)
    dialog.port_spin.setValue(parsed.port)
    dialog.database_edit.setText(parsed.database)
    dialog.user_edit.setText(parsed.username)
    dialog.password_edit.setText(password)


def everything_shown(window) -> list[str]:
    texts = [window.windowTitle(), window.statusBar().currentMessage()]
    texts += [label.text() + label.toolTip() for label in window.findChildren(QLabel)]
    return texts


def all_settings() -> list[str]:
    settings = QSettings()
    return [f"{key}={settings.value(key)!r}" for key in settings.allKeys()]


def test_a_typed_password_connects_and_is_kept_nowhere(qtbot, window, pg_url, password, caplog):
    caplog.set_level(logging.DEBUG)
    assert window.actions["connect_server"].text() == "&Connect to server…"
    dialog = open_connect_dialog(window)
    assert dialog.password_edit.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.port_spin.value() == 5432
    fill(dialog, pg_url, WRONG)
    dialog.accept()  # the Connect button
    box = dialog.last_message_box
    assert dialog.isVisible() and box is not None and box.isVisible()
    address = ServerAddress.from_url(pg_url)
    assert box.text().startswith(f"Cannot connect to {address.label()}: password authentication")
    assert "\n" not in box.text() and dialog.error_label.text() == box.text()
    assert WRONG not in box.text() + box.detailedText() + dialog.error_label.text()
    assert window.app.db.is_sqlite  # nothing switched
    box.close()

    dialog.password_edit.clear()
    qtbot.keyClicks(dialog.password_edit, password)
    with qtbot.waitSignal(dialog.finished):
        dialog.accept()
    assert window.app.db.url == pg_url and window.app.user == "alice"
    assert window.findChild(QLabel, "userLabel").text() == "User: alice"
    settings = QSettings()
    assert settings.value("lastDatabase") == pg_url
    assert settings.value(LAST_SERVER) == pg_url
    for secret in (password, WRONG):
        assert not [s for s in all_settings() if secret in s]
        assert not [t for t in everything_shown(window) if secret in t]
        assert not [r for r in caplog.records if secret in r.getMessage()]

    # The next time the fields come back from the remembered server; the password does not.
    again = open_connect_dialog(window)
    assert ServerAddress.from_url(pg_url) == again.address()
    assert again.password_edit.text() == ""
    again.reject()


def test_a_remembered_server_that_wants_a_password_asks_for_it_at_start(qtbot, pg_url, password):
    seen: list[tuple[str, str]] = []

    def answer():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ConnectDialog):
            QTimer.singleShot(20, answer)  # polls for the dialog; the test never sleeps
            return
        seen.append((dialog.url(), dialog.error_label.text()))
        dialog.password_edit.setText(password)
        dialog.accept()

    QTimer.singleShot(0, answer)
    app = open_or_connect(pg_url, tagset=None, user="alice")
    try:
        assert app is not None and app.db.url == pg_url and app.user == "alice"
        assert seen and seen[0][0] == pg_url
        assert "no password supplied" in seen[0][1] and password not in seen[0][1]
    finally:
        if app is not None:
            app.close()


def test_cancelling_the_start_dialog_opens_nothing(qtbot, pg_url, password):
    def cancel():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ConnectDialog):
            QTimer.singleShot(20, cancel)
            return
        dialog.reject()

    QTimer.singleShot(0, cancel)
    assert open_or_connect(pg_url, tagset=None, user="alice") is None


def test_server_urls_are_built_with_every_part_quoted():
    address = ServerAddress(host="db.example.org", port=6543, database="fact check/2025",
                            user="maria@newsroom")  # fmt: skip
    url = address.url()
    assert url == "postgresql+psycopg://maria%40newsroom@db.example.org:6543/fact%20check%2F2025"
    parsed = make_url(url)
    assert (parsed.username, parsed.host, parsed.port, parsed.database) == (
        "maria@newsroom",
        "db.example.org",
        6543,
        "fact check/2025",
    )
    assert ServerAddress.from_url(url) == address
    assert ServerAddress(host="::1", user="").url() == "postgresql+psycopg://[::1]:5432/annotator"
    assert ServerAddress.from_url("/home/maria/annotator.sqlite3") is None
    # A URL with a password (typed by hand into a setting) gives up its fields, not the secret.
    assert ServerAddress.from_url("postgresql://maria:s3cret@db/x") == ServerAddress(
        host="db", port=5432, database="x", user="maria"
    )
