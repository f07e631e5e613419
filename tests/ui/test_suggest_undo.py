"""Running Suggest is one undo step: Ctrl+Z takes the run's suggestions back (so the next run
may propose them again), Ctrl+Shift+Z brings them back as they were, and a suggestion someone
reviewed since stays. Through the real window, worker thread and database (both backends)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from window_helpers import press, show_window, stored_spans

from annotator.core.model import SpanStatus
from annotator.services.app import open_app

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

TIMEOUT_MS = 20_000
KERR = (
    "British runner Josh Kerr has made his feelings known on his rivalry with Jakob "
    "Ingebrigsten ahead of the World Championships in Tokyo, which starts on September 13th."
)
PARIS = ("Cole Hocker took gold in Paris. Josh Kerr secured silver while Jakob Ingebrigtsen "
         "was fourth and Yared Nuguse took bronze.")  # fmt: skip
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def docs(make_document):
    return [make_document(KERR, title="A Kerr"), make_document(PARIS, title="B Paris")]


@pytest.fixture
def window(qtbot, app, docs):
    win = show_window(qtbot, app)
    yield win
    win.close()


def run(qtbot, start):
    with qtbot.waitSignal(start.__self__.suggestFinished, timeout=TIMEOUT_MS) as finished:
        assert start() is not None
    return finished.args[0]


def pending(app, doc):
    return sorted((r.id, r.start, r.end, r.label, r.rule, r.confidence)
                  for r in stored_spans(app, doc) if r.status == "pending")  # fmt: skip


def test_one_ctrl_z_takes_a_run_back_and_redo_restores_it_exactly(qtbot, app, window, docs):
    report = run(qtbot, window.suggestions.suggest_current)
    assert report.added > 0
    before = pending(app, docs[0])
    assert len(before) == report.added and all(rule for *_, rule, _c in before)
    assert window.undo_stack.count() == 1
    assert window.undo_stack.undoText().startswith(f"Suggest: {report.added} suggestion")

    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    assert pending(app, docs[0]) == []
    assert window.table.spans() == [] and window.view.spans() == []
    assert app.documents.info(docs[0]).span_count == 0

    press(qtbot, window.view, Qt.Key.Key_Z, CTRL | SHIFT)
    # The same ids, places, rules and confidences: later steps naming them still apply.
    assert pending(app, docs[0]) == before
    assert sorted(s.id for s in window.table.spans()) == [row[0] for row in before]

    # Undone again, the next run proposes them anew (they were withdrawn, not rejected).
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    again = run(qtbot, window.suggestions.suggest_current)
    assert again.added == report.added


def test_undoing_a_corpus_run_leaves_what_a_colleague_reviewed(qtbot, app, window, docs, db_url):
    report = run(qtbot, window.suggestions.suggest_all)
    assert report.documents == 2 and report.added > 1
    assert window.undo_stack.undoText().endswith("in 2 documents")
    # A colleague accepts one suggestion in the other document meanwhile.
    theirs = next(r for r in stored_spans(app, docs[1]) if r.status == "pending")
    colleague = open_app(db_url, annotator="maria")
    try:
        colleague.annotations.set_statuses([theirs.id], SpanStatus.ACCEPTED)
    finally:
        colleague.close()

    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    left = stored_spans(app, docs[0]) + stored_spans(app, docs[1])
    assert [(r.id, r.status) for r in left] == [(theirs.id, "accepted")]
    assert "1 suggestion was reviewed or changed since, and stayed" in (
        window.statusBar().currentMessage()
    )
    assert window.saved_label.text().startswith("All changes saved")


def test_a_run_that_adds_nothing_leaves_no_undo_step(qtbot, app, window):
    run(qtbot, window.suggestions.suggest_current)
    window.undo_stack.clear()
    again = run(qtbot, window.suggestions.suggest_current)
    assert again.added == 0
    assert window.undo_stack.count() == 0
