"""Live refresh: a colleague's changes on the same database reach the window by themselves.

Alice works in a real window on her own App; Bob is another client on the same database
(SQLite file or PostgreSQL server) writing through his services, as another machine would.
Nothing here sleeps: every wait is ``waitUntil`` on what alice would see.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from window_helpers import press, select_text, settle, show_window

from annotator.core.model import DocStatus

pytestmark = [
    pytest.mark.gui,
    # The connection notice is a QMessageBox, which the offscreen plugin warns about.
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

#: Live refresh polls every 500 ms; anything slower than this is a failure.
SEEN_MS = 2500

LONG = "\n\n".join(
    f"Heat {i}: Josh Kerr beat Jakob Ingebrigsten over 1500m in Tokyo on September 13th, "
    f"with Yared Nuguse third and Cole Hocker fourth in the heat."
    for i in range(60)
)


def occurrence(text: str, needle: str, n: int) -> tuple[int, int]:
    start = -1
    for _ in range(n + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def row_info(window, doc_id):
    model = window.documents_panel.model()
    row = model.row_of(doc_id)
    return None if row is None else model.info_at(row)


@pytest.fixture
def article(add_article):
    return add_article(LONG, title="Heats")


@pytest.fixture
def window(qtbot, alice, article):
    win = show_window(qtbot, alice)
    assert win.current_document_id() == article
    yield win
    win.close()


def test_a_colleagues_changes_appear_without_disturbing_the_user(
    qtbot, alice, bob, article, window
):
    def span(needle, n, label, **fields):
        start, end = occurrence(LONG, needle, n)
        return alice.annotations.create(document_id=article, start=start, end=end,
                                         label=label, **fields)  # fmt: skip

    relabelled = span("Yared Nuguse", 30, "athlete")
    deleted = span("Cole Hocker", 31, "athlete")
    current = span("Ingebrigsten", 32, "error", error_type="misspelled_name")
    window.open_document(article)  # spans made before the window's feed started
    window.select_span(current.id)
    # Alice selects some text, scrolls to it and starts typing a correction (not saved yet).
    selection = select_text(window, "Josh Kerr", occurrence=33)
    bar = window.view.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2)
    scrolled = bar.value()
    window.inspector.correction_edit.setFocus()
    qtbot.waitUntil(window.inspector.correction_edit.hasFocus)
    qtbot.keyClicks(window.inspector.correction_edit, "Ingebrigtsen")

    # Bob, elsewhere: a new span, a relabel, a delete, a note on alice's current span, and
    # the document marked done for himself (alice's own status stays hers).
    start, end = occurrence(LONG, "Tokyo", 50)
    added = bob.annotations.create(document_id=article, start=start, end=end, label="event")
    bob.annotations.update(relabelled.id, expected_version=relabelled.version, label="event")
    bob.annotations.delete(deleted.id, expected_version=deleted.version)
    bob.annotations.update(current.id, expected_version=current.version,
                           note="World Athletics results page")  # fmt: skip
    bob.documents.set_status(article, DocStatus.DONE)

    table = window.table
    qtbot.waitUntil(lambda: table.span(added.id) is not None
                    and table.span(deleted.id) is None
                    and table.span(relabelled.id).label == "event"
                    and window.inspector.note_edit.toPlainText() == "World Athletics results page"
                    and row_info(window, article).done == 1,
                    timeout=SEEN_MS)  # fmt: skip
    assert row_info(window, article).status is DocStatus.IN_PROGRESS
    shown = {s.id: s for s in window.view.spans()}
    assert shown[added.id].label == "event" and deleted.id not in shown
    assert shown[relabelled.id].label == "event"
    assert row_info(window, article).span_count == 3
    assert "by bob" in window.statusBar().currentMessage()

    # Nothing alice was doing moved.
    assert window.view.selected_range() == selection
    assert bar.value() == scrolled
    assert window.inspector.current_span_id() == current.id
    assert window.table.current_span_id() == current.id
    assert window.inspector.correction_edit.hasFocus()
    assert window.inspector.correction_edit.text() == "Ingebrigtsen"

    # Bob changed the note, not the correction: alice's typing saves on top of his version.
    press(qtbot, window.inspector.correction_edit, Qt.Key.Key_Return)
    stored = alice.annotations.get(current.id)
    assert (stored.correction, stored.note) == ("Ingebrigtsen", "World Athletics results page")
    assert window.saved_label.text().startswith("All changes saved")


def test_typing_over_a_colleagues_change_to_the_same_field_is_refused_on_commit(
    qtbot, alice, bob, article, window
):
    start, end = occurrence(LONG, "Ingebrigsten", 2)
    span = alice.annotations.create(document_id=article, start=start, end=end, label="error",
                                    note="first look")  # fmt: skip
    window.open_document(article)
    window.select_span(span.id)
    note = window.inspector.note_edit
    note.setFocus()
    qtbot.waitUntil(note.hasFocus)
    note.selectAll()
    qtbot.keyClicks(note, "my evidence")

    bob.annotations.update(span.id, expected_version=span.version, note="bob's evidence",
                           correction="Ingebrigtsen")  # fmt: skip
    qtbot.waitUntil(lambda: window.inspector.correction_edit.text() == "Ingebrigtsen",
                    timeout=SEEN_MS)  # fmt: skip
    assert note.toPlainText() == "my evidence"  # the field being typed in is left alone

    depth = window.undo_stack.count()
    press(qtbot, note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "changed by bob at" in window.saved_label.text()
    assert window.saved_label.text().startswith("Not saved:")
    assert note.toPlainText() == "bob's evidence"
    assert alice.annotations.get(span.id).note == "bob's evidence"
    assert window.undo_stack.count() == depth
    note.undo()  # alice's words are not lost: one Ctrl+Z in the field brings them back
    assert note.toPlainText() == "my evidence"


def test_an_article_imported_elsewhere_joins_the_list(qtbot, alice, bob, add_article, window):
    assert window.documents_panel.model().rowCount() == 1
    new = add_article("Faith Kipyegon won the 1500m in Tokyo.", title="Kipyegon", db=bob.db)
    bob.annotations.create(document_id=new, start=0, end=14, label="athlete")
    qtbot.waitUntil(lambda: row_info(window, new) is not None, timeout=SEEN_MS)
    assert row_info(window, new).title == "Kipyegon" and row_info(window, new).span_count == 1
    assert window.current_document_id() != new  # the user is not moved


def test_an_empty_window_opens_the_first_article_a_colleague_brings(qtbot, alice, bob, add_article):
    window = show_window(qtbot, alice)
    try:
        assert window.current_document_id() is None
        doc = add_article("Faith Kipyegon won the 1500m in Tokyo.", title="Kipyegon", db=bob.db)
        bob.annotations.create(document_id=doc, start=0, end=14, label="athlete")
        qtbot.waitUntil(lambda: window.current_document_id() == doc, timeout=SEEN_MS)
        assert [s.text for s in window.view.spans()] == ["Faith Kipyegon"]
    finally:
        window.close()


@pytest.mark.sqlite_only
def test_two_windows_on_one_file_see_each_others_work(qtbot, alice, bob, article):
    mine = show_window(qtbot, alice)
    theirs = show_window(qtbot, bob)
    try:
        mine.activateWindow()
        qtbot.waitUntil(mine.isActiveWindow)
        mine.view.setFocus()
        select_text(mine, "Josh Kerr", occurrence=5)
        press(qtbot, mine.view, "1")
        (tagged,) = [s for s in mine.table.spans()]
        qtbot.waitUntil(lambda: theirs.table.span(tagged.id) is not None, timeout=SEEN_MS)
        assert {s.id for s in theirs.view.spans()} == {tagged.id}
        assert "1 change by alice" in theirs.statusBar().currentMessage()

        theirs.actions["cycle_status"].trigger()  # bob's own status: new -> in progress
        theirs.select_span(tagged.id)
        theirs.actions["delete_span"].trigger()
        # Two people on the article now, neither done; alice's own status is still hers.
        qtbot.waitUntil(lambda: mine.table.spans() == []
                        and row_info(mine, article).people == 2,
                        timeout=SEEN_MS)  # fmt: skip
        assert row_info(mine, article).status is DocStatus.IN_PROGRESS
        assert mine.view.spans() == []
        assert mine.inspector.current_span_id() is None
    finally:
        theirs.close()
        mine.close()


@pytest.mark.parametrize("backend", ["postgresql"], ids=["pg"], indirect=True)
def test_a_lost_server_is_shown_and_the_window_reconnects(
    qtbot, alice, bob, article, window, pg_admin, db_url
):
    from sqlalchemy.engine import make_url

    label = window.findChild(QLabel, "connectionLabel")
    assert not label.isVisible()
    window.live.poll()  # the feed is listening (its first poll may not have come yet)
    # Every connection to the database dropped, as a server restart would.
    pg_admin._connection().execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid()",
        [make_url(db_url).database],
    )
    qtbot.waitUntil(label.isVisible, timeout=SEEN_MS)
    assert label.text() == "Connection to the server lost — reconnecting…"
    notice = window.live.notice
    assert notice is not None and notice.isVisible() and not notice.isModal()
    assert notice.objectName() == "connectionNotice"

    qtbot.waitUntil(lambda: not label.isVisible(), timeout=2 * SEEN_MS)
    assert window.statusBar().currentMessage() == "Reconnected to the server"
    assert window.live.notice is None  # closed by itself

    start, end = occurrence(LONG, "Tokyo", 3)
    added = bob.annotations.create(document_id=article, start=start, end=end, label="event")
    qtbot.waitUntil(lambda: window.table.span(added.id) is not None, timeout=3 * SEEN_MS)


def test_the_feed_follows_the_window_to_another_database(
    qtbot, alice, window, tmp_path, add_article
):
    from annotator.services.app import open_app

    other = tmp_path / "other.sqlite3"
    assert window.files.open_database(other)
    assert window.app.user == "alice"
    assert window.findChild(QLabel, "userLabel").text() == "User: alice"
    assert window.live.timer.isActive()
    carol = open_app(other, annotator="carol")
    try:
        doc = add_article("Beatrice Chebet ran 13:58 in Eugene.", title="Chebet", db=carol.db)
        carol.annotations.create(document_id=doc, start=0, end=15, label="athlete")
        qtbot.waitUntil(lambda: row_info(window, doc) is not None, timeout=SEEN_MS)
        assert window.statusBar().currentMessage().endswith("by carol")
    finally:
        carol.close()
    window.close()
    assert not window.live.timer.isActive()  # a closed window polls no more


def test_the_current_span_deleted_elsewhere_leaves_the_inspector_empty(
    qtbot, alice, bob, article, window
):
    start, end = occurrence(LONG, "Josh Kerr", 0)
    span = alice.annotations.create(document_id=article, start=start, end=end, label="athlete")
    window.open_document(article)
    window.select_span(span.id)
    settle(qtbot, window)
    bob.annotations.delete(span.id, expected_version=span.version)
    qtbot.waitUntil(lambda: window.inspector.current_span_id() is None, timeout=SEEN_MS)
    assert window.view.current_span_id() is None and window.table.spans() == []
    assert "which you had selected, is gone" in window.statusBar().currentMessage()
