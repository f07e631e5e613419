"""Undo acts on its own span, in the state it left it, whatever happened in between: in the
real window, with real key presses, on both engines."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from window_helpers import press, select_text, show_window, stored_spans

from annotator.core.model import SpanStatus
from annotator.services.app import open_app

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

KERR = (
    "British runner Josh Kerr has made his feelings known on his rivalry with Jakob "
    "Ingebrigsten ahead of the World Championships in Tokyo, which starts on September 13th."
)
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot, app, make_document):
    make_document(KERR, title="Kerr")
    win = show_window(qtbot, app)
    yield win
    win.close()


def _suggest(qtbot, window) -> None:
    with qtbot.waitSignal(window.suggestions.suggestFinished, timeout=20_000):
        window.suggestions.suggest_current()
    qtbot.waitUntil(window.view.hasFocus)


def test_undo_through_a_suggest_run_brings_every_suggestion_back_untouched(qtbot, window, app):
    select_text(window, "Josh Kerr")
    press(qtbot, window.view, Qt.Key.Key_1)  # athlete
    (tagged,) = stored_spans(app)
    press(qtbot, window.view, Qt.Key.Key_2)  # relabel: event
    press(qtbot, window.view, Qt.Key.Key_Delete)
    assert stored_spans(app) == []
    _suggest(qtbot, window)
    suggestions = {r.id: (r.label, r.status, r.version) for r in stored_spans(app)}
    assert suggestions and tagged.id not in suggestions  # ids are never reused
    # The run is the top step: one Ctrl+Z takes it back, three more the manual steps.
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    assert stored_spans(app) == []
    for _ in range(3):
        press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    assert stored_spans(app) == []  # the manual span is gone again (undo of its add)
    assert "Not saved" not in window.statusBar().currentMessage()
    for _ in range(3):
        press(qtbot, window.view, Qt.Key.Key_Y, CTRL)
    assert stored_spans(app) == []  # added, relabelled, deleted again
    press(qtbot, window.view, Qt.Key.Key_Y, CTRL)
    # The suggestions are back with their ids and versions, as the run left them.
    assert {r.id: (r.label, r.status, r.version) for r in stored_spans(app)} == suggestions


def test_undo_of_a_change_a_colleague_changed_since_is_refused(qtbot, window, app, db_url):
    select_text(window, "Josh Kerr")
    press(qtbot, window.view, Qt.Key.Key_1)
    press(qtbot, window.view, Qt.Key.Key_2)  # relabel to event: the step we will undo
    (span,) = stored_spans(app)
    colleague = open_app(db_url, annotator="bob")
    try:
        current = colleague.annotations.get(span.id)
        colleague.annotations.update(span.id, expected_version=current.version,
                                     note="bob checked this")  # fmt: skip
    finally:
        colleague.close()
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    (row,) = stored_spans(app)
    assert (row.label, row.note) == ("event", "bob checked this")  # bob's work kept
    assert "changed by bob" in window.statusBar().currentMessage()
    assert window.table.span(span.id).note == "bob checked this"  # the window shows it
    # The refused step left the stack: another Ctrl+Z undoes the step before it.
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    assert stored_spans(app)[0].status == SpanStatus.ACCEPTED.value
