"""File ▸ Connect to server…: a team's PostgreSQL database, by host, port, name and user.

The password is typed into a password field and handed to ``open_app`` (which gives it to the
driver only); it never enters the URL, a setting, a log line, a message or a title. Left
empty, libpq looks in PGPASSWORD and ~/.pgpass. The dialog stays open until the connection
works (or the user gives up), each failure shown in one line, so a mistyped password costs
one retype, not a trip through the menu.

The same dialog greets a start whose remembered server wants a password nobody supplied.
"""

from __future__ import annotations

import getpass
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import DatabaseError
from annotator.core.tagset import TagsetError
from annotator.services.app import App, open_app
from annotator.ui.dialogs.export_and_help import open_message

if TYPE_CHECKING:
    from annotator.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

DRIVER = "postgresql+psycopg"
DEFAULT_PORT = 5432
#: The last server connected to (a URL without password), for the dialog's fields even after
#: the window has gone back to a file.
LAST_SERVER = "lastServer"

#: (URL without password, password or None) -> None when opened, else the reason in one line.
Opener = Callable[[str, str | None], str | None]


@dataclass(frozen=True)
class ServerAddress:
    host: str = "localhost"
    port: int = DEFAULT_PORT
    database: str = "annotator"
    user: str = ""

    def url(self) -> str:
        """``postgresql+psycopg://user@host:port/database``, each part quoted (a user name
        with an @, a database name with a space), never with a password."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        user = f"{quote(self.user, safe='')}@" if self.user else ""
        return f"{DRIVER}://{user}{host}:{self.port}/{quote(self.database, safe='')}"

    def label(self) -> str:
        """``user@host:port/database`` for messages."""
        user = f"{self.user}@" if self.user else ""
        return f"{user}{self.host}:{self.port}/{self.database}"

    @classmethod
    def from_url(cls, url: object) -> ServerAddress | None:
        """The fields of a server URL (None for a file path or anything unreadable); a
        password in it is ignored."""
        if not isinstance(url, str) or not url.startswith("postgres"):
            return None
        try:
            parts = urlsplit(url)
            port = parts.port or DEFAULT_PORT
        except ValueError:
            return None
        return cls(host=parts.hostname or "localhost", port=port,
                   database=unquote(parts.path.lstrip("/")) or "annotator",
                   user=unquote(parts.username or ""))  # fmt: skip


class ConnectDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, address: ServerAddress | None = None,
                 opener: Opener, error: str = "") -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("connectDialog")
        self.setWindowTitle("Connect to a server")
        self._opener = opener
        self.last_message_box: QMessageBox | None = None
        address = address or ServerAddress(user=_login_name())

        self.host_edit = self._line("hostEdit", "Host", address.host)
        self.port_spin = QSpinBox()
        self.port_spin.setObjectName("portSpin")
        self.port_spin.setAccessibleName("Port")
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(address.port)
        self.database_edit = self._line("databaseEdit", "Database", address.database)
        self.user_edit = self._line("userEdit", "User name", address.user)
        self.password_edit = self._line("passwordEdit", "Password", "")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("empty: PGPASSWORD or ~/.pgpass")
        self.error_label = QLabel(error)
        self.error_label.setObjectName("connectError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.setVisible(bool(error))

        form = QFormLayout()
        form.addRow("Host", self.host_edit)
        form.addRow("Port", self.port_spin)
        form.addRow("Database", self.database_edit)
        form.addRow("User name", self.user_edit)
        form.addRow("Password", self.password_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Connect")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("A PostgreSQL database the whole team works on."))
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        # Straight to what is most likely missing: the password after a refusal.
        (self.password_edit if error else self.host_edit).setFocus()

    def _line(self, name: str, accessible: str, text: str) -> QLineEdit:
        edit = QLineEdit(text)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        return edit

    def address(self) -> ServerAddress:
        return ServerAddress(host=self.host_edit.text().strip(), port=self.port_spin.value(),
                             database=self.database_edit.text().strip(),
                             user=self.user_edit.text().strip())  # fmt: skip

    def url(self) -> str:
        return self.address().url()

    def accept(self) -> None:
        address = self.address()
        if not address.host or not address.database:
            self._failed("A host and a database name are needed.")
            return
        error = self._opener(address.url(), self.password_edit.text() or None)
        if error:
            # The address as typed, not the URL: that is what the user can correct.
            full = " ".join(error.split())
            log.info("could not connect: %s", full)
            self._failed(f"Cannot connect to {address.label()}: {short_reason(full)}", full)
            return
        self.password_edit.clear()  # the engine has it; the widget need not keep it
        super().accept()

    def reject(self) -> None:
        self.password_edit.clear()
        super().reject()

    def _failed(self, line: str, detail: str = "") -> None:
        self.error_label.setText(line)
        self.error_label.show()
        self.adjustSize()
        self.last_message_box = open_message(self, "Cannot connect", line, detail=detail)
        self.password_edit.selectAll()
        self.password_edit.setFocus()


def short_reason(error: str) -> str:
    """The part of a connection error a person acts on: libpq's messages end with the cause
    after "…port 5432 failed: " ("password authentication failed for user …", "Connection
    refused", "fe_sendauth: no password supplied"). The whole message stays in the details."""
    reason = error.rsplit(" failed: ", 1)[-1].strip()
    return reason.removeprefix("FATAL:").strip() or error


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def open_connect_dialog(window: MainWindow) -> ConnectDialog:
    """The menu's dialog, over the window (not blocking its event loop)."""
    address = (ServerAddress.from_url(window.settings.value("lastDatabase"))
               or ServerAddress.from_url(window.settings.value(LAST_SERVER)))  # fmt: skip

    def opener(url: str, password: str | None) -> str | None:
        error = window.files.try_open_database(url, password=password)
        if error is None:
            window.settings.setValue(LAST_SERVER, url)
        return error

    dialog = ConnectDialog(window, address=address, opener=opener)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def connect_at_start(url: str, error: str, *, tagset: str | None,
                     user: str | None) -> App | None:  # fmt: skip
    """The remembered (or given) server could not be reached as it is: ask, pre-filled,
    showing why. Returns the opened App, or None when the user cancels."""
    opened: list[App] = []

    def opener(target: str, password: str | None) -> str | None:
        try:
            opened.append(open_app(target, tagset=tagset, annotator=user, password=password))
        except (DatabaseError, TagsetError, ValueError) as exc:
            return str(exc)
        return None

    address = ServerAddress.from_url(url) or ServerAddress()
    reason = short_reason(" ".join(error.split()))
    dialog = ConnectDialog(None, address=address, opener=opener,
                           error=f"Cannot connect to {address.label()}: {reason}")  # fmt: skip
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    return opened[0] if accepted and opened else None
