"""Who is working: asked once, remembered, shown in the status bar, kept across databases."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel
from window_helpers import show_window

from annotator.services.app import current_annotator, open_app
from annotator.ui.app import build_main_window
from annotator.ui.window.user_identity import choose_user

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def answer_with(names: list[str | None], seen: list[str]):
    """Answer the name question each time it shows, with the next of ``names`` (None:
    cancel); ``seen`` collects what each question offered."""
    answers = list(names)

    def answer():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog) or not dialog.isVisible():
            QTimer.singleShot(20, answer)  # polls for the dialog; the test never sleeps
            return
        seen.append(dialog.textValue())
        name = answers.pop(0)
        if name is None:
            dialog.reject()
        else:
            dialog.setTextValue(name)
            dialog.accept()
        if answers:
            QTimer.singleShot(0, answer)

    QTimer.singleShot(0, answer)


def test_the_name_is_asked_once_then_remembered(qtbot, monkeypatch):
    monkeypatch.delenv("ANNOTATOR_USER", raising=False)
    settings = QSettings()
    seen: list[str] = []
    answer_with(["  Maria   Rossi "], seen)
    assert choose_user(None, settings) == "Maria Rossi"
    assert seen == [current_annotator()]  # the login name is offered
    assert settings.value("userName") == "Maria Rossi"
    # Asked once: from now on the remembered name, without a question.
    assert choose_user(None, settings) == "Maria Rossi"
    assert len(seen) == 1


def test_an_empty_answer_asks_again_and_cancel_remembers_nothing(qtbot, monkeypatch):
    monkeypatch.delenv("ANNOTATOR_USER", raising=False)
    settings = QSettings()
    seen: list[str] = []
    answer_with(["   ", None], seen)
    assert choose_user(None, settings) is None
    assert len(seen) == 2 and settings.value("userName") is None


def test_user_option_and_environment_come_first(qtbot, monkeypatch):
    settings = QSettings()
    settings.setValue("userName", "maria")
    monkeypatch.setenv("ANNOTATOR_USER", "envname")
    assert choose_user(None, settings) == "envname"
    assert choose_user("bob", settings) == "bob"
    assert settings.value("userName") == "bob"  # --user is remembered
    with pytest.raises(ValueError):
        choose_user("x" * 101, settings)


def test_the_status_bar_shows_who_is_working_across_databases(qtbot, tmp_path):
    alice = open_app(tmp_path / "a.sqlite3", annotator="alice")
    try:
        window = build_main_window(alice)  # no dialog on the way: tests and screenshots
        qtbot.addWidget(window)
        label = window.findChild(QLabel, "userLabel")
        assert label.text() == "User: alice" and label.accessibleName() == "User"
        assert label in window.statusBar().findChildren(QLabel)
        assert window.files.open_database(tmp_path / "b.sqlite3")
        assert window.app.user == "alice" and label.text() == "User: alice"
        window.close()
    finally:
        alice.close()


def test_a_window_shows_its_own_user(qtbot, alice, bob):
    mine, theirs = show_window(qtbot, alice), show_window(qtbot, bob)
    try:
        assert mine.user_label.text() == "User: alice"
        assert theirs.user_label.text() == "User: bob"
    finally:
        theirs.close()
        mine.close()
