"""Layers in the window: blind mode hides a colleague's spans (on opening and through live
refresh); shared mode shows them, drawn apart from the user's own; a label key on words a
colleague tagged makes the user's own tag; a mode change elsewhere follows at once.

Alice works in a real window; Bob (and Alice on a second machine) are other clients on the
same database, as in test_live_refresh. Waits are on what the window does (the live refresh
batch being shown), never on time.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from window_helpers import press, select_text, settle, show_window

from annotator.services.app import open_app
from annotator.services.suggesting import suggest_documents
from annotator.ui.models.span_layers import Look
from annotator.ui.widgets.annotation_table import BY
from annotator.ui.widgets.span_styler import LOOK_PROPERTY

pytestmark = [pytest.mark.gui]

SEEN_MS = 2500
TEXT = (
    "Faith Kipyegon won the 1500m in Paris on August 10th, ahead of Jessica Hull. "
    "Josh Kerr took the men's title."
)


def span_of(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


@pytest.fixture
def article(add_article):
    return add_article(TEXT, title="Paris")


def tag(app, article: int, needle: str, label: str = "athlete"):
    start, end = span_of(needle)
    return app.annotations.create(document_id=article, start=start, end=end, label=label)


def open_window(qtbot, app, article):
    window = show_window(qtbot, app)
    assert window.current_document_id() == article
    window.live.poll()  # the feed's starting point is now: later changes are "remote"
    return window


def wait_for_batch(qtbot, window, action: str = "create"):
    """Until live refresh has shown a batch holding a change of ``action`` (whatever the
    window made of it): what a test of absence waits for instead of a sleep."""
    with qtbot.waitSignal(
        window.live.changesShown,
        timeout=SEEN_MS,
        check_params_cb=lambda changes: any(c.action == action for c in changes),
    ):
        pass


def by_column(window, span_id: int) -> str:
    model = window.table.model()
    return model.index(model.row_of(span_id), BY).data()


def test_blind_mode_never_shows_a_colleagues_spans(qtbot, alice, bob, article, db_url):
    alice.desk.set_mode("blind")  # no curator on this desk: anyone may set it
    bobs = tag(bob, article, "Faith Kipyegon")
    window = open_window(qtbot, alice, article)
    try:
        assert window.view.spans() == [] and window.table.spans() == []

        # Bob tags more while alice reads: the batch arrives, his span does not.
        later = tag(bob, article, "Jessica Hull")
        wait_for_batch(qtbot, window)
        shown = {s.id for s in window.view.spans()} | {s.id for s in window.table.spans()}
        assert bobs.id not in shown and later.id not in shown

        # Alice's own work from another machine, and bob's suggestions (the shared pool of
        # pending ones), do arrive.
        laptop = open_app(db_url, annotator="alice")
        try:
            hers = tag(laptop, article, "Josh Kerr")
        finally:
            laptop.close()
        report = suggest_documents(bob.db, bob.kb, document_ids=[article], tagset=bob.tagset,
                                   actor="bob")  # fmt: skip
        assert report.added
        qtbot.waitUntil(lambda: window.table.span(hers.id) is not None
                        and any(s.layer == "" for s in window.view.spans()),
                        timeout=SEEN_MS)  # fmt: skip
        assert {s.layer for s in window.view.spans()} == {"alice", ""}
        assert window.view.look_of(hers.id) is Look.OWN
    finally:
        window.close()


def test_shared_mode_draws_a_colleagues_spans_apart(qtbot, alice, bob, article):
    bobs = tag(bob, article, "Faith Kipyegon")
    mine = tag(alice, article, "Jessica Hull")
    window = open_window(qtbot, alice, article)
    try:
        view = window.view
        assert view.look_of(bobs.id) is Look.COLLEAGUE
        assert view.look_of(mine.id) is Look.OWN
        looks = {start: fmt for start, _end, fmt in view.painted_spans()}
        theirs, own = looks[bobs.start], looks[mine.start]
        # Own: a filled band; a colleague's: hatched, in the same label colour.
        assert own.property(LOOK_PROPERTY) == "own"
        assert own.background().style() == Qt.BrushStyle.SolidPattern
        assert theirs.property(LOOK_PROPERTY) == "colleague"
        assert theirs.background().style() == Qt.BrushStyle.BDiagPattern
        assert theirs.background().color().rgb() == own.background().color().rgb()

        assert by_column(window, bobs.id) == "bob"
        assert by_column(window, mine.id) == "you"
        window.select_span(bobs.id)
        assert window.inspector.origin_label.text().startswith("bob's tag")
        left, right = QTextCursor(view.document()), QTextCursor(view.document())
        left.setPosition(bobs.start)  # ASCII text: code points are UTF-16 positions
        right.setPosition(bobs.start + 1)
        a, b = view.cursorRect(left), view.cursorRect(right)
        tip = view.tooltip_at(QPoint((a.x() + b.x()) // 2, a.center().y()))
        assert tip is not None and "<b>Athlete</b> · bob" in tip

        # Bob's later tag arrives through live refresh, drawn as his.
        start, end = span_of("Paris")
        event = bob.annotations.create(document_id=article, start=start, end=end,
                                       label="event")  # fmt: skip
        qtbot.waitUntil(lambda: view.look_of(event.id) is Look.COLLEAGUE, timeout=SEEN_MS)
        assert by_column(window, event.id) == "bob"
    finally:
        window.close()


@pytest.mark.parametrize("how", ["selection", "caret"])
def test_a_label_key_on_a_colleagues_words_makes_the_users_own_tag(qtbot, alice, bob, article, how):
    bobs = tag(bob, article, "Josh Kerr")
    window = open_window(qtbot, alice, article)
    try:
        if how == "selection":
            select_text(window, "Josh Kerr")  # the same characters bob tagged, same label
        else:
            window.select_span(bobs.id)  # his span current, nothing selected
            window.view.setFocus()
        press(qtbot, window.view, "1")
        stored = [s for s in alice.annotations.spans(article) if s.start == bobs.start]
        assert sorted((s.layer, s.label, s.end) for s in stored) == [
            ("alice", "athlete", bobs.end),
            ("bob", "athlete", bobs.end),
        ]
        assert alice.annotations.get(bobs.id) == bobs  # his stays as it was
        mine = next(s for s in stored if s.layer == "alice")
        settle(qtbot, window)
        assert window.view.current_span_id() == mine.id
        assert window.inspector.origin_label.text().startswith("Your tag")
        # A click on the word now picks alice's own tag, drawn as hers, beside bob's.
        assert window.view.span_at(bobs.start) == mine.id
        assert window.view.look_of(mine.id) is Look.OWN
        assert window.view.look_of(bobs.id) is Look.COLLEAGUE

        # The same key again on her own tag changes nothing: it is already there.
        select_text(window, "Josh Kerr")
        press(qtbot, window.view, "1")
        assert len([s for s in alice.annotations.spans(article)
                    if s.start == bobs.start]) == 2  # fmt: skip
        assert "already tagged" in window.statusBar().currentMessage()
    finally:
        window.close()


def test_a_mode_change_elsewhere_changes_what_the_open_document_shows(qtbot, alice, bob, article):
    bobs = tag(bob, article, "Faith Kipyegon")
    mine = tag(alice, article, "Jessica Hull")
    window = open_window(qtbot, alice, article)
    try:
        assert {s.id for s in window.view.spans()} == {bobs.id, mine.id}
        window.select_span(bobs.id)

        bob.desk.set_mode("blind")  # from bob's client: alice's window follows
        qtbot.waitUntil(lambda: window.table.span(bobs.id) is None, timeout=SEEN_MS)
        assert [s.id for s in window.view.spans()] == [mine.id]
        assert window.inspector.current_span_id() is None
        assert window.table.current_span_id() is None  # no row claims a hidden span
        assert "hidden now" in window.statusBar().currentMessage()
        model = window.documents_panel.model()
        assert model.info_at(model.row_of(article)).span_count == 1

        bob.desk.set_mode("shared")
        qtbot.waitUntil(lambda: window.table.span(bobs.id) is not None, timeout=SEEN_MS)
        assert window.view.look_of(bobs.id) is Look.COLLEAGUE
        assert window.current_document_id() == article
    finally:
        window.close()


def test_a_label_key_on_a_suggestion_a_colleague_also_tagged_accepts_it(qtbot, alice, bob, article):
    report = suggest_documents(bob.db, bob.kb, document_ids=[article], tagset=bob.tagset,
                               actor="bob")  # fmt: skip
    assert report.added
    start, end = span_of("Josh Kerr")
    suggested = next(s for s in alice.annotations.spans(article)
                     if (s.start, s.end, s.label) == (start, end, "athlete"))  # fmt: skip
    bobs = tag(bob, article, "Josh Kerr")
    window = open_window(qtbot, alice, article)
    try:
        select_text(window, "Josh Kerr")
        press(qtbot, window.view, "1")
        accepted = alice.annotations.get(suggested.id)
        assert (accepted.layer, accepted.status.value) == ("alice", "accepted")
        assert alice.annotations.get(bobs.id) == bobs
        assert window.view.look_of(suggested.id) is Look.OWN
        assert "Accepted the suggestion" in window.statusBar().currentMessage()
    finally:
        window.close()
