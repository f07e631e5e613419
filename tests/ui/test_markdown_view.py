"""Markdown articles shown without their markup, paragraphs apart: offsets stay exact against
the stored text, which keeps its Markdown."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QTextCursor
from window_helpers import press, show_window, stored_spans

from annotator.core.markdown_display import find_markup
from annotator.core.model import Span
from annotator.core.tagset import load_tagset
from annotator.core.textload import load_article
from annotator.services.importing import import_articles
from annotator.ui.widgets.document_view import DocumentView

pytestmark = pytest.mark.gui

SHIFT = Qt.KeyboardModifier.ShiftModifier

MARKDOWN = (
    "# Jakob **Ingebrigtsen** wins in Oslo\n"
    "\n"
    "The Norwegian **Jakob** ran 3:29 🏃 and beat [Yared Nuguse](https://x.org/nuguse_(us)) "
    "in the _Dream Mile_.\n"
    "A second paragraph follows on the very next line, with snake_case and 5 * 3 kept."
)
SHOWN = (
    "Jakob Ingebrigtsen wins in Oslo\n"
    "\n"
    "The Norwegian Jakob ran 3:29 🏃 and beat Yared Nuguse in the Dream Mile.\n"
    "A second paragraph follows on the very next line, with snake_case and 5 * 3 kept."
)


def utf16(text: str) -> int:
    """Independent of the maps under test."""
    return len(text.encode("utf-16-le")) // 2


def cursor_at(view: DocumentView, position: int) -> QTextCursor:
    cursor = QTextCursor(view.document())
    cursor.setPosition(position)
    return cursor


def char_center(view: DocumentView, shown_index: int) -> QPoint:
    """Viewport point in the middle of the shown character at code point ``shown_index``."""
    shown = view.toPlainText()
    a = view.cursorRect(cursor_at(view, utf16(shown[:shown_index])))
    b = view.cursorRect(cursor_at(view, utf16(shown[: shown_index + 1])))
    return QPoint((a.x() + b.x()) // 2, a.center().y())


@pytest.fixture
def markdown_doc(app, tmp_path) -> int:
    path = tmp_path / "oslo.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    report = import_articles(app.db, [load_article(path)])
    assert report.imported, report
    return report.imported[0][0]


@pytest.fixture
def window(qtbot, app, markdown_doc):
    win = show_window(qtbot, app)
    win.open_document(markdown_doc)
    yield win
    win.close()


@pytest.fixture
def view(qtbot):
    widget = DocumentView(load_tagset())
    qtbot.addWidget(widget)
    widget.resize(760, 420)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_an_imported_markdown_article_is_shown_without_its_markup(window):
    view = window.view
    assert view.stored_text() == MARKDOWN  # the evidence keeps its Markdown
    assert view.toPlainText() == SHOWN
    # The heading reads as the title: bold and larger than the body.
    heading = cursor_at(view, 1).charFormat().font()
    body = cursor_at(view, SHOWN.index("Norwegian") + 1).charFormat().font()
    assert heading.weight() == QFont.Weight.Bold and body.weight() != QFont.Weight.Bold
    assert heading.pointSizeF() > view.font().pointSizeF()
    assert view.document().firstBlock().layout().lineAt(0).height() > view.fontMetrics().height()


def test_a_word_inside_bold_labelled_with_its_key_stores_exactly_that_word(
    qtbot, app, window, markdown_doc
):
    view = window.view
    qtbot.mouseDClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=char_center(view, SHOWN.index("Jakob ran") + 2),
    )
    assert view.textCursor().selectedText() == "Jakob"
    press(qtbot, view, "1")
    (row,) = stored_spans(app, markdown_doc)
    assert row.text == "Jakob"
    assert MARKDOWN[row.start : row.end] == "Jakob"
    assert row.start == MARKDOWN.index("**Jakob**") + 2


def test_a_selection_across_a_link_stores_the_markdown_between(qtbot, app, window, markdown_doc):
    view = window.view
    start = utf16(SHOWN[: SHOWN.index("Nuguse in the Dream")])
    end = start + utf16("Nuguse in the Dream")
    cursor = cursor_at(view, start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    press(qtbot, view, "1")
    (row,) = stored_spans(app, markdown_doc)
    # Stored offsets are exact; the shown words are all there, the link's URL between them.
    assert MARKDOWN[row.start : row.end] == row.text
    assert row.text == "Nuguse](https://x.org/nuguse_(us)) in the _Dream"


def test_a_span_over_the_markup_draws_on_the_shown_characters(view):
    text = MARKDOWN
    start = text.index("**Jakob**")
    span = Span(start, start + len("**Jakob**"), "athlete", "**Jakob**", id=1)
    view.set_document(text, [span], find_markup(text))
    ((qt_start, qt_end, _fmt),) = view.painted_spans()
    assert view.toPlainText()[qt_start:qt_end] == "Jakob"
    image = view.viewport().grab().toImage()
    tagged = image.pixelColor(char_center(view, SHOWN.index("Jakob ran") + 2)).lightness()
    plain = image.pixelColor(char_center(view, SHOWN.index("Norwegian") + 2)).lightness()
    assert tagged < plain


def test_shift_right_moves_a_span_end_past_hidden_markup(qtbot, app, window, markdown_doc):
    view = window.view
    word = utf16(SHOWN[: SHOWN.index("Jakob ran")])
    cursor = cursor_at(view, word)
    cursor.setPosition(word + 5, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    press(qtbot, view, "1")
    press(qtbot, view, Qt.Key.Key_Right, SHIFT)
    (row,) = stored_spans(app, markdown_doc)
    # One press takes the next shown character (the space), the hidden "**" with it.
    assert row.text == "Jakob** " == MARKDOWN[row.start : row.end]
    start, end, _fmt = view.painted_spans()[0]
    assert view.toPlainText()[start:end] == "Jakob "


def test_plain_paragraphs_are_spaced_apart_and_the_space_follows_zoom(view):
    text = "One paragraph.\nAnother one, a single newline later.\nA third."
    view.set_document(text, [])
    assert view.toPlainText() == text  # not Markdown: nothing hidden
    first = view.document().firstBlock()

    def gap() -> float:
        line = first.layout().lineAt(0).height()
        return view.blockBoundingGeometry(first).height() - line

    assert gap() >= view.fontMetrics().height() / 3
    before = gap()
    view.zoom_by(6)
    assert gap() > before
    # The spacing sits below the text: the second paragraph starts lower than a line down.
    a = view.cursorRect(cursor_at(view, 0))
    b = view.cursorRect(cursor_at(view, text.index("Another")))
    assert b.top() - a.top() > a.height() * 1.3


def test_a_click_in_a_markdown_view_maps_to_the_stored_character(view):
    text = MARKDOWN
    nuguse = text.index("Nuguse")
    span = Span(nuguse, nuguse + len("Nuguse"), "athlete", "Nuguse", id=7)
    view.set_document(text, [span], find_markup(text))
    assert view.span_at(nuguse) == 7
    point = char_center(view, SHOWN.index("Nuguse") + 1)
    assert view.tooltip_at(point) is not None
    assert view.tooltip_at(char_center(view, SHOWN.index("Norwegian"))) is None


def test_an_article_opened_after_a_markdown_one_has_no_heading_format(view):
    view.set_document(MARKDOWN, [], find_markup(MARKDOWN))
    view.set_document("Plain words only.\nMore words.", [])
    block = view.document().firstBlock()
    while block.isValid():
        for fragment_format in (f.charFormat() for f in _fragments(block)):
            assert fragment_format.font().weight() != QFont.Weight.Bold
        block = block.next()


def _fragments(block):
    it = block.begin()
    while not it.atEnd():
        yield it.fragment()
        it += 1


def test_find_matches_the_shown_text_across_hidden_markup_and_tags_the_hit(
    qtbot, app, window, markdown_doc
):
    press(qtbot, window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = window.find_bar
    qtbot.keyClicks(bar.field, "Jakob Ingebrigtsen")
    # Across "**" in the heading; stored offsets run from "Jakob" to the closing "n".
    (hit,) = bar.hits()
    assert MARKDOWN[hit[0] : hit[1]] == "Jakob **Ingebrigtsen"
    assert hit[0] == MARKDOWN.index("Jakob")
    bar.field.setText("nuguse_(us)")  # only in the link's hidden URL
    assert bar.hits() == []
    bar.field.setText("Dream Mile")
    (hit,) = bar.hits()
    press(qtbot, bar.field, Qt.Key.Key_Return)
    press(qtbot, bar.field, Qt.Key.Key_Escape)
    assert window.view.hasFocus()
    press(qtbot, window.view, "2")
    (row,) = stored_spans(app, markdown_doc)
    assert (row.label, row.text) == ("event", "Dream Mile")
    assert MARKDOWN[row.start : row.end] == "Dream Mile"
