"""Database faults in the real window: a clear message, never "All changes saved" over a change
that was not saved, no undo step for it, and no traceback."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt
from window_helpers import press, select_text, show_window, stored_spans

from annotator.services.app import open_app

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

TEXT = "Josh Kerr won the 1500m in Budapest ahead of Jakob Ingebrigsten."


@pytest.mark.sqlite_only
def test_a_read_only_database_refuses_every_change_with_a_clear_line(
    qtbot, db_path, make_document, app
):
    make_document(TEXT)
    app.close()
    db_path.chmod(0o444)
    viewer = open_app(db_path, annotator="viewer")
    try:
        window = show_window(qtbot, viewer)
        assert window.app.db.read_only
        select_text(window, "Josh Kerr")
        press(qtbot, window.view, Qt.Key.Key_1)
        assert stored_spans(viewer) == []
        assert window.undo_stack.count() == 0
        assert "read-only" in window.statusBar().currentMessage()
        saved = window.saved_label.text()
        assert saved.startswith("Not saved") and "read-only" in saved
        window.close()
    finally:
        viewer.close()
        db_path.chmod(0o644)


def test_a_server_whose_driver_is_missing_is_one_message_in_the_window(
    qtbot, app, pg_url, monkeypatch
):
    window = show_window(qtbot, app)
    with monkeypatch.context() as patched:
        patched.setitem(sys.modules, "psycopg", None)  # as when the extra is not installed
        error = window.files.try_open_database(pg_url)
    assert error is not None
    assert "driver for postgresql+psycopg is not installed" in error
    assert "annotator[postgres]" in error and "Traceback" not in error
    assert window.app is app  # the open database stays
    window.close()


def test_a_refused_server_is_one_message_and_the_open_database_stays(qtbot, app, pg_url):
    from sqlalchemy.engine import make_url

    window = show_window(qtbot, app)
    closed = make_url(pg_url).set(port=1).render_as_string(hide_password=False)
    error = window.files.try_open_database(closed)
    assert error is not None and "cannot connect" in error
    assert window.app is app
    window.close()
