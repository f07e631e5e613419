"""Find in the article (Ctrl+F): hits highlighted and counted, stepped with Enter and F3, the
options on Alt keys, and the fast path Ctrl+F name Enter Esc 1 tagging exactly the hit.
Real windows, real keys, spans read back from the database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLineEdit
from window_helpers import press, select_text, show_window, stored_spans

from annotator.core.offsets import OffsetMap

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier

OSLO = (
    "Ingebrigtsen beat Kerr in Oslo. Kerrigan watched; later Ingebrigtsen said that "
    "INGEBRIGTSEN is a name. Times: 3:26.73 and 12:45.01."
)
EMOJI = "🏃‍♀️🏳️‍🌈 Faith Kipyegon 👩🏽‍🦱 won; 𝒜thens cheered Kipyegon."


@pytest.fixture
def window(qtbot, app, make_document):
    make_document(OSLO, title="A Oslo")
    make_document(EMOJI, title="B Emoji")
    win = show_window(qtbot, app)
    yield win
    win.close()


def _open_find(qtbot, window, query: str = "") -> QLineEdit:
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    field = window.find_bar.field
    qtbot.waitUntil(field.hasFocus)
    if query:
        qtbot.keyClicks(field, query)
    return field


def _count(window) -> str:
    return window.find_bar.count.text()


def _highlighted(window) -> list[tuple[int, int, str]]:
    """The view's extra selections as (UTF-16 start, end, text)."""
    return [
        (s.cursor.selectionStart(), s.cursor.selectionEnd(), s.cursor.selectedText())
        for s in window.view.extraSelections()
    ]


def _positions(text: str, needle: str) -> list[tuple[int, int]]:
    found, start = [], text.find(needle)
    while start >= 0:
        found.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return found


def test_every_hit_is_highlighted_and_counted(qtbot, window):
    _open_find(qtbot, window, "ingebrigtsen")
    assert window.find_bar.isVisible()
    lower = OSLO.lower()
    hits = _positions(lower, "ingebrigtsen")
    assert len(hits) == 3 and window.find_bar.hits() == hits
    assert _count(window) == "1 of 3"
    # Three hits, then the current one again on top in the stronger colour.
    shown = _highlighted(window)
    assert [(a, b) for a, b, _ in shown] == [*hits, hits[0]]
    assert {text for _, _, text in shown} == {"Ingebrigtsen", "INGEBRIGTSEN"}
    # Kept in a name: PySide frees a temporary's format before its colour is read.
    selections = window.view.extraSelections()
    current = QColor(selections[-1].format.background().color())
    others = QColor(selections[0].format.background().color())
    assert current.alpha() == 255 and others.alpha() < 255
    assert window.view.selected_range() == hits[0]


def test_enter_and_f3_step_round_the_article(qtbot, window):
    field = _open_find(qtbot, window, "ingebrigtsen")
    hits = window.find_bar.hits()
    # The first Enter keeps the hit the query landed on; the next ones step.
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert _count(window) == "1 of 3"
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert _count(window) == "2 of 3" and window.view.selected_range() == hits[1]
    qtbot.keyClick(field, Qt.Key.Key_F3)
    assert _count(window) == "3 of 3"
    qtbot.keyClick(field, Qt.Key.Key_F3)
    assert _count(window) == "1 of 3" and window.view.selected_range() == hits[0]
    qtbot.keyClick(field, Qt.Key.Key_Return, SHIFT)
    assert _count(window) == "3 of 3" and window.view.selected_range() == hits[2]
    qtbot.keyClick(field, Qt.Key.Key_F3, SHIFT)
    assert _count(window) == "2 of 3"
    assert field.hasFocus()


def test_whole_words_and_match_case_on_alt_keys(qtbot, window):
    field = _open_find(qtbot, window, "Kerr")
    assert _count(window) == "1 of 2"  # Kerr and Kerrigan
    qtbot.keyClick(field, Qt.Key.Key_W, ALT)
    assert window.find_bar.words.isChecked()
    kerr = OSLO.index("Kerr ")
    assert window.find_bar.hits() == [(kerr, kerr + 4)] and _count(window) == "1 of 1"
    qtbot.keyClick(field, Qt.Key.Key_W, ALT)
    field.selectAll()
    qtbot.keyClicks(field, "Ingebrigtsen")
    assert _count(window) == "1 of 3"
    qtbot.keyClick(field, Qt.Key.Key_C, ALT)
    assert window.find_bar.case.isChecked()
    assert window.find_bar.hits() == _positions(OSLO, "Ingebrigtsen")
    assert _count(window) == "1 of 2"
    assert field.hasFocus()


def test_a_regular_expression_and_a_bad_one(qtbot, window):
    field = _open_find(qtbot, window)
    qtbot.keyClick(field, Qt.Key.Key_R, ALT)
    qtbot.keyClicks(field, r"\d+:\d+\.\d+")
    assert [OSLO[a:b] for a, b in window.find_bar.hits()] == ["3:26.73", "12:45.01"]
    assert _count(window) == "1 of 2"
    qtbot.keyClicks(field, "(")
    assert window.find_bar.hits() == []
    assert _count(window).startswith("Bad regular expression:")
    assert "color" in window.find_bar.count.styleSheet()
    assert window.view.extraSelections() == []
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    assert _count(window) == "1 of 2" and window.find_bar.count.styleSheet() == ""
    qtbot.keyClicks(field, "zzz")
    assert _count(window) == "No results"


def test_emoji_before_a_hit_do_not_shift_it(qtbot, window):
    window.next_document()
    assert window.document is not None and window.document.title == "B Emoji"
    _open_find(qtbot, window, "kipyegon")
    hits = _positions(EMOJI, "Kipyegon")
    assert window.find_bar.hits() == hits
    utf16 = OffsetMap(EMOJI).to_utf16
    assert [(a, b) for a, b, _ in _highlighted(window)][:2] == [
        (utf16(a), utf16(b)) for a, b in hits
    ]
    assert all(text == "Kipyegon" for _, _, text in _highlighted(window))
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_F3)
    assert window.view.selected_range() == hits[1]
    assert window.view.textCursor().selectedText() == "Kipyegon"


def test_esc_returns_to_the_article_and_a_label_key_tags_the_hit(qtbot, app, window):
    window.next_document()
    document = window.current_document_id()
    field = _open_find(qtbot, window, "kipyegon")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.keyClick(field, Qt.Key.Key_Return)  # the second one, after the 𝒜
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()
    assert window.view.hasFocus()
    assert window.view.extraSelections() == []
    press(qtbot, window.view, "1")
    rows = stored_spans(app, document)
    second = _positions(EMOJI, "Kipyegon")[1]
    assert [(r.label, r.text, r.start, r.end) for r in rows] == [("athlete", "Kipyegon", *second)]


def test_selected_text_fills_the_field_and_another_document_searches_again(qtbot, window):
    select_text(window, "Kerr", occurrence=0)
    field = _open_find(qtbot, window)
    assert field.text() == "Kerr" and field.selectedText() == "Kerr"
    assert _count(window) == "1 of 2"
    window.next_document()
    qtbot.waitUntil(lambda: _count(window) == "No results")
    field.selectAll()
    qtbot.keyClicks(field, "Kipyegon")
    assert _count(window) == "1 of 2"
    window.previous_document()
    qtbot.waitUntil(lambda: _count(window) == "No results")
    assert window.find_bar.isVisible() and window.view.extraSelections() == []


def test_ctrl_l_goes_to_the_document_filter(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_L, CTRL)
    box = window.documents_panel.findChild(QLineEdit, "documentFilter")
    qtbot.waitUntil(box.hasFocus)
    assert not window.find_bar.isVisible()


def test_f3_after_esc_keeps_the_query_and_goes_on_from_the_hit(qtbot, window):
    field = _open_find(qtbot, window)
    qtbot.keyClick(field, Qt.Key.Key_R, ALT)
    qtbot.keyClicks(field, r"\d+:\d+\.\d+")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    times = window.find_bar.hits()
    assert window.view.hasFocus() and window.view.selected_range() == times[0]
    qtbot.keyClick(window.view, Qt.Key.Key_F3)
    # The regular expression stays: the selected hit's text does not replace it.
    assert window.find_bar.isVisible() and field.text() == r"\d+:\d+\.\d+"
    assert window.view.selected_range() == times[1] and _count(window) == "2 of 2"
    assert window.view.hasFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F3, SHIFT)
    assert window.view.selected_range() == times[0]


def test_a_markdown_article_finds_only_what_it_shows(qtbot, app, window, tmp_path):
    from annotator.core.textload import load_article
    from annotator.services.importing import import_articles

    markdown = (
        "# Kerr **wins** in Oslo\n\nHe beat [Yared Nuguse](https://x.org/nuguse) "
        "and **Nuguse** was third."
    )
    path = tmp_path / "oslo.md"
    path.write_text(markdown, encoding="utf-8")
    report = import_articles(app.db, [load_article(path)])
    document = report.imported[0][0]
    window.open_document(document)
    field = _open_find(qtbot, window, "nuguse")
    # The URL's "nuguse" is hidden markup: two hits, not three.
    assert window.find_bar.hits() == [
        _positions(markdown, "Nuguse")[0],
        _positions(markdown, "Nuguse")[1],
    ]
    assert _count(window) == "1 of 2"
    assert window.view.textCursor().selectedText() == "Nuguse"
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.view.textCursor().selectedText() == "Nuguse"
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    press(qtbot, window.view, "1")
    second = _positions(markdown, "Nuguse")[1]
    assert [(r.label, r.text, r.start, r.end) for r in stored_spans(app, document)] == [
        ("athlete", "Nuguse", *second)
    ]


def test_a_document_opened_while_the_bar_is_open_keeps_the_selection_it_was_opened_with(
    qtbot, window
):
    _open_find(qtbot, window, "won")
    window.next_document()  # "won" is in the emoji article; the opener picks what to show
    qtbot.waitUntil(lambda: _count(window) == "1 hit")
    qtbot.wait(50)
    assert window.view.selected_range() is None
    assert len(_highlighted(window)) == 1
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_F3)
    assert _count(window) == "1 of 1"
    assert window.view.textCursor().selectedText() == "won"
