"""Who is working: the name every change is recorded under, chosen once and remembered.

On a shared database the change log, the history panel and "changed by maria" messages are
only as good as the names in them, so a login name like "user" or "admin" on a lab machine
is not silently taken: the first start asks (the login name offered), and QSettings
"userName" remembers the answer. ``--user`` and ANNOTATOR_USER still win.
"""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit, QWidget

from annotator.services.app import current_annotator
from annotator.services.people import check_name

log = logging.getLogger(__name__)

SETTING = "userName"


def show_user(label: QLabel, name: str) -> None:
    label.setText(f"User: {name}")
    label.setToolTip(f"Your changes are recorded as {name}")


def remembered_user(settings: QSettings) -> str | None:
    value = settings.value(SETTING)
    if not isinstance(value, str):
        return None
    try:
        return check_name(value)
    except ValueError:
        return None  # an edited settings file: ask again rather than fail to start


def choose_user(
    explicit: str | None, settings: QSettings, *, parent: QWidget | None = None
) -> str | None:
    """The name to work under: ``explicit`` (--user, then remembered), ANNOTATOR_USER, the
    remembered name, else the answer to a one-time question (remembered). None means the
    services' default (the login name): the question was cancelled.

    Raises ValueError for an unusable ``explicit`` name.
    """
    if explicit:
        name = check_name(explicit)
        settings.setValue(SETTING, name)
        return name
    env = os.environ.get("ANNOTATOR_USER", "").strip()
    if env:
        return check_name(env)
    found = remembered_user(settings)
    if found is not None:
        return found
    asked = ask_user_name(parent, default=current_annotator())
    if asked is not None:
        settings.setValue(SETTING, asked)
        log.info("working as %s (remembered)", asked)
    return asked


def ask_user_name(parent: QWidget | None, *, default: str) -> str | None:
    """Ask until the answer is a usable name; None when cancelled."""
    prompt = ("Your name as colleagues will see it beside your changes\n"
              "(asked once; start with --user NAME to change it):")  # fmt: skip
    text = default
    while True:
        dialog = QInputDialog(parent)
        dialog.setObjectName("userNameDialog")
        dialog.setWindowTitle("Who is annotating?")
        dialog.setLabelText(prompt)
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.setTextValue(text)
        if not dialog.exec():
            return None
        text = dialog.textValue()
        try:
            return check_name(text)
        except ValueError as exc:
            prompt = f"{str(exc).capitalize()}. Please type your name:"
