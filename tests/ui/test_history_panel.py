"""The History dock: who did what to the current span, from the change log, kept current with
the user's own changes and a colleague's (arriving through live refresh)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget
from window_helpers import press, select_text, settle, show_window

from annotator.core.model import SpanStatus
from annotator.core.timefmt import when_text
from annotator.services.suggesting import suggest_documents

pytestmark = pytest.mark.gui

SEEN_MS = 2500
KERR = (
    "British runner Josh Kerr has made his feelings known on his rivalry with Jakob "
    "Ingebrigsten ahead of the World Championships in Tokyo, which starts on September 13th."
)


@pytest.fixture
def doc(add_article):
    return add_article(KERR, title="Kerr")


@pytest.fixture
def window(qtbot, alice, doc):
    win = show_window(qtbot, alice)
    yield win
    win.close()


def test_history_lists_suggestion_edit_and_acceptance_with_who_did_each(
    qtbot, alice, bob, doc, window
):
    dock = window.findChild(QDockWidget, "historyPanel")
    assert dock is window.history_dock and dock.windowTitle() == "History"
    assert dock.isVisible()
    assert window.history.rows() == []

    # Bob runs the suggesters; his pending spans reach alice's window.
    report = suggest_documents(bob.db, bob.kb, document_ids=[doc], tagset=bob.tagset,
                               actor="bob")  # fmt: skip
    assert report.added
    qtbot.waitUntil(lambda: len(window.table.spans()) == report.added, timeout=SEEN_MS)
    target = next(s for s in window.table.spans() if s.text == "Ingebrigsten")
    assert target.status == SpanStatus.PENDING
    window.select_span(target.id)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: len(window.history.rows()) == 1)
    assert window.history.rows()[0][1:] == ("bob", f"suggest {target.label} “Ingebrigsten”")

    # Bob adds evidence while alice looks at it: the history grows by itself.
    bob.annotations.update(target.id, expected_version=target.version, note="KB: Ingebrigtsen")
    qtbot.waitUntil(lambda: len(window.history.rows()) == 2, timeout=SEEN_MS)

    # Alice accepts it (A on a pending suggestion).
    press(qtbot, window.view, Qt.Key.Key_A)
    assert alice.annotations.get(target.id).status == SpanStatus.ACCEPTED
    window.select_span(target.id)
    qtbot.waitUntil(lambda: len(window.history.rows()) == 3)
    rows = window.history.rows()
    assert [who for _when, who, _what in rows] == ["bob", "bob", "alice"]
    assert rows[1][2].startswith("edit note ") and rows[1][2].endswith("→ “KB: Ingebrigtsen”")
    assert "status “pending” → “accepted”" in rows[2][2]
    today = when_text(dt.datetime.now(dt.UTC).replace(tzinfo=None))
    assert all(len(when) == len(today) for when, _who, _what in rows)  # local time of day


def test_history_follows_the_current_span_and_its_toggle_is_in_the_view_menu(
    qtbot, alice, doc, window
):
    select_text(window, "Josh Kerr")
    press(qtbot, window.view, "1")
    qtbot.waitUntil(lambda: [r[1:] for r in window.history.rows()]
                    == [("alice", "create athlete “Josh Kerr”")])  # fmt: skip
    select_text(window, "Tokyo")
    press(qtbot, window.view, "2")
    qtbot.waitUntil(lambda: [r[2] for r in window.history.rows()] == ["create event “Tokyo”"])
    press(qtbot, window.view, "3")  # relabel Tokyo: event -> date
    qtbot.waitUntil(lambda: len(window.history.rows()) == 2)
    assert window.history.rows()[1][2] == "edit label “event” → “date”"

    toggle = window.actions["history"]
    assert toggle.shortcut().toString() == "Ctrl+H"
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert toggle in view_menu.actions()
    assert ("Ctrl+H", "History") in window.actions.shortcut_rows()
    toggle.trigger()
    assert not window.history_dock.isVisible()
    window.select_span(None)
    toggle.trigger()
    qtbot.waitUntil(lambda: window.history.rows() == [])
