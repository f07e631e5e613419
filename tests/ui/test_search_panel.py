"""The corpus search dock (Ctrl+Shift+F) on the real search service: text and span queries,
the count line, Enter on a result opening the document at the hit with the focus left in the
results, Esc back to the article. Real windows, real keys, SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from window_helpers import show_window

from annotator.ui.models.search_results import CONTEXT, CONTEXT_HTML_ROLE

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier

OSLO = "Ingebrigtsen beat Kerr in Oslo. Later Ingebrigtsen spoke to the press."
EMOJI = "🏃‍♀️ Kipyegon 👩🏽‍🦱 won; 𝒜thens saw Ingebrigtsen cheer for Kipyegon."
ROME = "Nothing about that runner here, only the weather in Rome."


@pytest.fixture
def docs(make_document):
    return [
        make_document(OSLO, title="A Oslo"),
        make_document(EMOJI, title="B Emoji"),
        make_document(ROME, title="C Rome"),
    ]


@pytest.fixture
def window(qtbot, app, docs):
    win = show_window(qtbot, app)
    yield win
    win.close()


def _open_search(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL_SHIFT)
    panel = window.search_panel
    qtbot.waitUntil(panel.query.hasFocus)
    assert window.search_dock.isVisible()
    return panel


def _search(qtbot, panel, widget=None) -> None:
    with qtbot.waitSignals([panel.searched], timeout=10000):
        qtbot.keyClick(widget or panel.query, Qt.Key.Key_Return)
    assert not panel.is_running()


def _where(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def test_text_results_and_enter_walks_through_them(qtbot, window, docs):
    panel = _open_search(qtbot, window)
    qtbot.keyClicks(panel.query, "ingebrigtsen")
    _search(qtbot, panel)
    assert panel.count.text() == "3 hits in 2 documents"
    model = panel.model
    rows = [
        (model.index(r, 0).data(), int(model.index(r, 1).data())) for r in range(model.rowCount())
    ]
    assert rows == [
        ("A Oslo", _where(OSLO, "Ingebrigtsen")[0]),
        ("A Oslo", _where(OSLO, "Ingebrigtsen", 1)[0]),
        ("B Emoji", _where(EMOJI, "Ingebrigtsen")[0]),
    ]
    html = model.index(2, CONTEXT).data(CONTEXT_HTML_ROLE)
    assert "<b>Ingebrigtsen</b>" in html and "Kipyegon" in html
    assert (
        model.index(2, CONTEXT).data() == "🏃‍♀️ Kipyegon 👩🏽‍🦱 won; 𝒜thens saw "
        "Ingebrigtsen cheer for Kipyegon."
    )

    results = panel.results
    qtbot.keyClick(panel.query, Qt.Key.Key_Down)
    assert results.hasFocus() and results.currentIndex().row() == 0
    qtbot.keyClick(results, Qt.Key.Key_Down)
    qtbot.keyClick(results, Qt.Key.Key_Return)
    assert window.current_document_id() == docs[0]
    assert window.view.selected_range() == _where(OSLO, "Ingebrigtsen", 1)
    assert results.hasFocus()
    qtbot.keyClick(results, Qt.Key.Key_Down)
    qtbot.keyClick(results, Qt.Key.Key_Return)
    # Another document, emoji before the hit: the article selects exactly the word.
    assert window.current_document_id() == docs[1]
    assert window.view.selected_range() == _where(EMOJI, "Ingebrigtsen")
    assert window.view.textCursor().selectedText() == "Ingebrigtsen"
    assert results.hasFocus()
    qtbot.keyClick(results, Qt.Key.Key_Escape)
    assert window.view.hasFocus()
    assert window.search_dock.isVisible()


def test_span_filters_find_spans_and_enter_selects_the_span(qtbot, app, window, docs):
    start, end = _where(EMOJI, "Kipyegon", 1)
    kipyegon = app.annotations.create(
        document_id=docs[1], start=start, end=end, label="athlete", note="Check the spelling"
    )
    start, end = _where(OSLO, "Oslo")
    app.annotations.create(document_id=docs[0], start=start, end=end, label="event")
    panel = _open_search(qtbot, window)
    panel.label.setCurrentIndex(panel.label.findData("athlete"))
    _search(qtbot, panel)
    assert panel.count.text() == "1 hit in 1 document"
    hit = panel.model.hit(0)
    assert (hit.span_id, hit.match, hit.label) == (kipyegon.id, "Kipyegon", "athlete")
    assert panel.model.index(0, 3).data() == app.tagset.get("athlete").name

    panel.label.setCurrentIndex(0)
    qtbot.keyClicks(panel.note, "SPELLING")
    _search(qtbot, panel, panel.note)
    assert [h.span_id for h in panel.model.hits()] == [kipyegon.id]
    panel.results.setFocus()
    qtbot.waitUntil(panel.results.hasFocus)
    qtbot.keyClick(panel.results, Qt.Key.Key_Return)
    assert window.current_document_id() == docs[1]
    assert window.view.current_span_id() == kipyegon.id
    assert window.inspector.current_span_id() == kipyegon.id
    assert panel.results.hasFocus()

    # Query text with a span filter matches inside the spans' text.
    qtbot.keyClicks(panel.query, "oslo")
    panel.note.clear()
    panel.status.setCurrentIndex(panel.status.findData("accepted"))
    _search(qtbot, panel)
    assert [(h.match, h.label) for h in panel.model.hits()] == [("Oslo", "event")]


def test_whole_words_regex_and_a_bad_regex(qtbot, window):
    panel = _open_search(qtbot, window)
    qtbot.keyClicks(panel.query, "run")
    _search(qtbot, panel)
    assert panel.count.text() == "1 hit in 1 document"  # "runner"
    panel.mode.setCurrentIndex(panel.mode.findData("words"))
    _search(qtbot, panel)
    assert panel.count.text() == "No hits" and panel.model.rowCount() == 0
    panel.mode.setCurrentIndex(panel.mode.findData("regex"))
    panel.query.clear()
    qtbot.keyClicks(panel.query, r"K\w+gon")
    _search(qtbot, panel)
    assert [h.match for h in panel.model.hits()] == ["Kipyegon", "Kipyegon"]
    qtbot.keyClicks(panel.query, "(")
    with qtbot.waitSignal(panel.failed, timeout=10000) as failed:
        qtbot.keyClick(panel.query, Qt.Key.Key_Return)
    assert failed.args[0].startswith("Bad regular expression")
    assert panel.count.text() == failed.args[0] and "color" in panel.count.styleSheet()
    assert panel.model.rowCount() == 0


def test_a_new_search_supersedes_the_running_one(qtbot, window):
    panel = _open_search(qtbot, window)
    shown = []
    panel.searched.connect(shown.append)
    panel.query.setText("Oslo")
    panel.search()
    panel.query.setText("Kipyegon")
    panel.search()
    qtbot.waitUntil(lambda: not panel.is_running() and not panel._retired, timeout=10000)
    assert [h.match for h in panel.model.hits()] == ["Kipyegon", "Kipyegon"]
    assert len(shown) == 1 and shown[0].hits == panel.model.hits()


def test_ctrl_shift_f_again_hides_the_dock_and_returns_to_the_article(qtbot, window):
    panel = _open_search(qtbot, window)
    qtbot.keyClick(panel.query, Qt.Key.Key_F, CTRL_SHIFT)
    assert not window.search_dock.isVisible()
    assert QApplication.focusWidget() is window.view


def test_a_double_click_opens_a_result_and_closing_the_dock_returns_to_the_article(
    qtbot, window, docs
):
    panel = _open_search(qtbot, window)
    qtbot.keyClicks(panel.query, "kipyegon")
    _search(qtbot, panel)
    results = panel.results
    rect = results.visualRect(panel.model.index(1, 0))
    # As a mouse does it: press and release, then the second press; the view ignores a
    # double click on a row it never saw pressed.
    qtbot.mouseClick(results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    # QTest's double click leaves the button down for the application: let go, as a hand
    # does, or the next test's window believes a drag is under way.
    qtbot.mouseRelease(results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_document_id() == docs[1]
    assert window.view.selected_range() == _where(EMOJI, "Kipyegon", 1)
    window.search_dock.close()  # its title bar's close button
    assert not window.search_dock.isVisible()
    assert QApplication.focusWidget() is window.view
