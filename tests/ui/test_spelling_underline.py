"""Misspelled words get a wave in the article view while reading, before any suggestion run:
at the shown characters of the word (Markdown hidden, emoji before), never under a KB name."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QTextCursor
from window_helpers import show_window

from annotator.core.textload import load_article
from annotator.services.importing import import_articles
from annotator.services.spelling import SpellingSettings

pytestmark = pytest.mark.gui

MARKDOWN = (
    "# Chebet **recieved** 🥇 her medal\n"
    "\n"
    "The crowd 🏃🏽‍♀️ cheered the chebet-style kick, and Kerr's favourite run.\n"
)


@pytest.fixture
def article(app, tmp_path) -> int:
    path = tmp_path / "chebet.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    report = import_articles(app.db, [load_article(path)])
    assert report.imported, report
    return report.imported[0][0]


def shown_slice(view, start: int, end: int) -> str:
    """The shown characters between UTF-16 positions, as Qt has them."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText()


def marks_after_open(qtbot, window, doc_id):
    with qtbot.waitSignal(window.spelling.checked, timeout=10_000):
        window.open_document(doc_id)
    view = window.view
    view.viewport().repaint()
    return view


def test_a_misspelling_is_waved_at_its_characters_and_a_kb_name_is_not(qtbot, app, article):
    window = show_window(qtbot, app)
    view = marks_after_open(qtbot, window, article)
    text = view.stored_text()
    assert [text[start:end] for start, end, _fix in view.spelling_marks.marks()] == ["recieved"]
    # What was painted: the shown word, though the stored text has "**" before it.
    assert [shown_slice(view, a, b) for a, b in view.spelling_marks.painted] == ["recieved"]
    # Hovering the word names the correction; no span was stored for it.
    a, b = view.spelling_marks.painted[0]
    cursor = QTextCursor(view.document())
    cursor.setPosition(a + 2)
    rect = view.cursorRect(cursor)
    assert view.tooltip_at(QPoint(rect.x(), rect.center().y())) == (
        "Spelling: did you mean “received”?"
    )
    assert not [s for s in app.annotations.spans(article) if s.label == "error"]
    window.close()


def test_the_marks_follow_the_spelling_setting_and_the_article_on_show(
    qtbot, app, article, make_document
):
    SpellingSettings(app.db, actor="tester").set_variant("en_US")
    window = show_window(qtbot, app)
    view = marks_after_open(qtbot, window, article)
    text = view.stored_text()
    assert sorted(text[s:e] for s, e, _ in view.spelling_marks.marks()) == ["favourite", "recieved"]
    clean = make_document("Nothing here is misspelled at all.")
    window.documents_panel.reload()
    view = marks_after_open(qtbot, window, clean)
    assert view.spelling_marks.marks() == []
    assert view.spelling_marks.painted == []
    window.close()
