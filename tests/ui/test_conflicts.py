"""Two people, one span: a change based on what a colleague has since changed is refused, the
window says so ("Not saved: … changed by bob at …") and shows the colleague's version, and a
failure is never hidden behind "All changes saved".

Alice's live refresh is stopped in these tests: each one is about the moment before the
colleague's change has reached her window, when only the version check stands between her
and overwriting his work.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from window_helpers import press, select_text, settle, show_window

from annotator.ui.window.layout import MAX_SAVED_WIDTH

pytestmark = pytest.mark.gui

KERR = (
    "British runner Josh Kerr has made his feelings known on his rivalry with Jakob "
    "Ingebrigsten ahead of the World Championships in Tokyo, which starts on September 13th."
)
PARIS = "Cole Hocker took gold in Paris. Kerr secured silver while Ingebrigtsen was fourth."
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def docs(add_article):
    return [add_article(KERR, title="A Kerr"), add_article(PARIS, title="B Paris")]


@pytest.fixture
def window(qtbot, alice, docs):
    win = show_window(qtbot, alice)
    win.live.stop()
    assert win.current_document_id() == docs[0]
    yield win
    win.close()


def where(needle: str, text: str = KERR) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def test_editing_a_note_a_colleague_has_just_changed_is_refused_and_shows_theirs(
    qtbot, alice, bob, docs, window
):
    start, end = where("Ingebrigsten")
    span = alice.annotations.create(document_id=docs[0], start=start, end=end, label="error",
                                    note="checked the entry list")  # fmt: skip
    window.open_document(docs[0])
    window.select_span(span.id)
    settle(qtbot, window)
    bob.annotations.update(span.id, expected_version=span.version,
                           note="bob: the results page spells it Ingebrigtsen")  # fmt: skip

    depth = window.undo_stack.count()
    note = window.inspector.note_edit
    note.setFocus()
    qtbot.waitUntil(note.hasFocus)
    note.selectAll()
    qtbot.keyClicks(note, "alice: see the federation's list")
    press(qtbot, note, Qt.Key.Key_Return, CTRL)

    for shown in (window.saved_label.text(), window.statusBar().currentMessage()):
        assert shown.startswith("Not saved: ")
        assert "changed by bob at " in shown
    bobs = "bob: the results page spells it Ingebrigtsen"
    assert note.toPlainText() == bobs
    assert {s.id: s.note for s in window.view.spans()}[span.id] == bobs
    assert window.table.span(span.id).note == bobs
    assert alice.annotations.get(span.id).note == bobs
    assert window.undo_stack.count() == depth  # nothing to undo: nothing was changed


def test_undo_after_a_colleagues_edit_is_refused_and_keeps_their_edit(
    qtbot, alice, bob, docs, window
):
    start, end = where("Tokyo")
    span = alice.annotations.create(document_id=docs[0], start=start, end=end, label="event")
    window.open_document(docs[0])
    window.select_span(span.id)
    settle(qtbot, window)
    window.view.setFocus()
    press(qtbot, window.view, "3")  # relabel: event -> date
    assert alice.annotations.get(span.id).label == "date"
    depth = window.undo_stack.count()
    assert depth == 1

    relabelled = bob.annotations.get(span.id)
    bob.annotations.update(span.id, expected_version=relabelled.version, value="2025-09-13")
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)

    assert window.saved_label.text().startswith("Not saved: could not undo the change")
    assert "changed by bob at " in window.statusBar().currentMessage()
    stored = alice.annotations.get(span.id)
    assert (stored.label, stored.value) == ("date", "2025-09-13")  # bob's edit kept
    assert window.undo_stack.count() == depth - 1  # the refused step is gone, not retried
    assert window.table.span(span.id).value == "2025-09-13"
    assert window.inspector.value_edit.text() == "2025-09-13"


def test_not_saved_stays_in_sight_until_a_change_is_saved(qtbot, alice, bob, docs, window):
    select_text(window, "Josh Kerr")
    press(qtbot, window.view, "1")
    assert window.saved_label.text().startswith("All changes saved")
    (tagged,) = window.table.spans()
    press(qtbot, window.view, "d")  # on to the next article
    assert window.current_document_id() == docs[1]
    bob.annotations.update(tagged.id, expected_version=tagged.version, note="bob was here")

    # Undo reaches back to the first article: refused, and the window switches there to show
    # bob's version. The switch must not bury the failure under its own message.
    window.view.setFocus()
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    assert window.current_document_id() == docs[0]
    label = window.saved_label
    for shown in (label.text(), window.statusBar().currentMessage()):
        assert shown.startswith("Not saved: could not undo adding the span: ")
        assert "changed by bob at " in shown
    assert alice.annotations.get(tagged.id).note == "bob was here"
    # The whole reason is there for the asking, and a long one never pushes the label wide.
    assert label.toolTip() == label.text()
    assert label.width() <= MAX_SAVED_WIDTH

    # A colleague's change arriving meanwhile is not a save of alice's: still "Not saved".
    start, end = where("Paris", PARIS)
    bob.annotations.create(document_id=docs[1], start=start, end=end, label="event")
    window.live.poll()
    assert label.text().startswith("Not saved:")
    assert window.statusBar().currentMessage().startswith("Not saved:")

    # Her next change that does save clears it.
    select_text(window, "World Championships")
    press(qtbot, window.view, "2")
    assert label.text().startswith("All changes saved")
