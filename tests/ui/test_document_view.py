"""The article view: offsets across UTF-16, what gets drawn, and what clicks and keys do."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QToolTip

from annotator.core.model import Span, SpanStatus
from annotator.core.tagset import load_tagset
from annotator.ui.widgets.document_view import DocumentView

try:
    from annotator.core.textload import normalise_text
except ImportError:  # pragma: no cover - only while textload is being written

    def normalise_text(text: str) -> str:
        return text.replace("\r\n", "\n")


pytestmark = pytest.mark.gui

TAGSET = load_tagset()
COLORS = {label.key: QColor(label.color).rgb() for label in TAGSET.labels}
UNDERLINE = QTextCharFormat.UnderlineStyle

STORY = (
    "Jakob Ingebrigtsen won the 5000m final in Paris on 10 August 2024, beating Ronald Kwemoi "
    "and Grant Fisher. Narve Gilje Nordås took bronze in the 1500m.\n\n"
    "Faith Kipyegon set a world record at the Diamond League meeting in Florence on 2 June "
    "2023. Sifan Hasan finished second.\n"
)

TRICKY_TEXTS = {
    "zwj": "🏃‍♀️ Faith Kipyegon 🏃‍♀️ won; 👩🏽‍🔬 Dr Ruth Chepngetich analysed 🏃‍♀️ it.\n" + STORY,
    "astral": "𝒜𝒷𝒸 𝕏 mathematical letters, then 😀 Mondo Duplantis cleared 6.25 m.\n" + STORY,
    "accents": "Nordås, Gilje-Nordås, Mondo's coach Zoë Åkesson and Ðorđe Šimić ran.\n" + STORY,
    "crlf": normalise_text(
        "Date: 2024-08-10\r\n\r\n🏃‍♀️ Keely Hodgkinson\r\nwon the 800m 😀 in 1:56.72.\r\n" + STORY
    ),
}


def utf16(text: str) -> int:
    """Independent of OffsetMap on purpose: the test must not trust the code under test."""
    return len(text.encode("utf-16-le")) // 2


def make_span(
    text: str,
    needle: str,
    label: str,
    span_id: int,
    *,
    nth: int = 0,
    status: SpanStatus = SpanStatus.ACCEPTED,
    **fields: str,
) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span(start, start + len(needle), label, needle, id=span_id, status=status, **fields)


def drawn(view: DocumentView) -> dict[tuple[int, int], list[QTextCharFormat]]:
    """The spans painted in the viewport as {(utf16 start, utf16 end): [formats]}."""
    out: dict[tuple[int, int], list[QTextCharFormat]] = {}
    for start, end, fmt in view.painted_spans():
        out.setdefault((start, end), []).append(QTextCharFormat(fmt))
    return out


def utf16_range(view: DocumentView, span: Span) -> tuple[int, int]:
    text = view.stored_text()
    return utf16(text[: span.start]), utf16(text[: span.end])


def fill(fmt: QTextCharFormat) -> QColor:
    return fmt.background().color()


@pytest.fixture
def view(qtbot):
    widget = DocumentView(TAGSET)
    qtbot.addWidget(widget)
    widget.resize(760, 420)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def select_utf16(view: DocumentView, start: int, end: int) -> None:
    cursor = QTextCursor(view.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)


def char_center(view: DocumentView, cp: int) -> QPoint:
    """Viewport point in the middle of the character at code point ``cp``."""
    text = view.stored_text()
    left, right = QTextCursor(view.document()), QTextCursor(view.document())
    left.setPosition(utf16(text[:cp]))
    right.setPosition(utf16(text[: cp + 1]))
    a, b = view.cursorRect(left), view.cursorRect(right)
    return QPoint((a.x() + b.x()) // 2, a.center().y())


# -- the widget itself -----------------------------------------------------------------------


def test_widget_is_a_read_only_comfortable_reader(view):
    assert isinstance(view, QPlainTextEdit)
    assert view.objectName() == "documentView"
    assert view.accessibleName() == "Article text"
    assert view.isReadOnly()
    flags = view.textInteractionFlags()
    assert flags & Qt.TextInteractionFlag.TextSelectableByKeyboard
    assert flags & Qt.TextInteractionFlag.TextSelectableByMouse
    assert not flags & Qt.TextInteractionFlag.TextEditable
    assert 11 <= view.font().pointSizeF() <= 13
    assert view.document().documentMargin() >= 20
    assert view.lineWrapMode() == QPlainTextEdit.LineWrapMode.WidgetWidth


def test_long_lines_wrap_inside_the_viewport(view):
    view.set_document("Kipyegon " * 400, [])
    assert view.horizontalScrollBar().maximum() == 0
    view.resize(1600, 420)  # wide windows cap the line length instead of stretching it
    assert view.horizontalScrollBar().maximum() == 0
    assert view.viewport().width() < 1200


# -- offsets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(TRICKY_TEXTS))
def test_selected_range_is_exact_after_astral_and_zwj_text(view, name):
    text = TRICKY_TEXTS[name]
    assert "\r" not in text
    view.set_document(text, [])
    assert view.stored_text() == text
    assert view.document().characterCount() - 1 == utf16(text)
    rng = random.Random(name)
    for _ in range(300):
        start, end = sorted(rng.sample(range(len(text) + 1), 2))
        select_utf16(view, utf16(text[:start]), utf16(text[:end]))
        assert view.selected_range() == (start, end)
        selected = view.textCursor().selectedText().replace("\u2029", "\n")
        assert selected == text[start:end]


@pytest.mark.parametrize("name", sorted(TRICKY_TEXTS))
def test_offset_map_agrees_with_independent_utf16_counts(view, name):
    text = TRICKY_TEXTS[name]
    view.set_document(text, [])
    mapping = view.offset_map()
    for cp in range(len(text) + 1):
        assert mapping.to_utf16(cp) == utf16(text[:cp])
        assert mapping.from_utf16(utf16(text[:cp])) == cp


def test_keyboard_selection_takes_a_whole_zwj_emoji(view, qtbot):
    text = TRICKY_TEXTS["zwj"]
    view.set_document(text, [])
    start = text.index("👩🏽‍🔬")
    cursor = QTextCursor(view.document())
    cursor.setPosition(utf16(text[:start]))
    view.setTextCursor(cursor)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    selected = view.selected_range()
    assert selected is not None
    assert text[selected[0] : selected[1]] == "👩🏽‍🔬"
    for _ in range(len(" Dr Ruth Chepngetich")):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    selected = view.selected_range()
    assert text[selected[0] : selected[1]] == "👩🏽‍🔬 Dr Ruth Chepngetich"


def test_no_selection_means_none(view):
    view.set_document(STORY, [])
    assert view.selected_range() is None


def test_stored_text_with_carriage_returns_keeps_offsets(view, caplog):
    text = "Line one\r\nJakob Ingebrigtsen\r\n"
    span = make_span(text, "Ingebrigtsen", "athlete", 1)
    view.set_document(text, [span])
    select_utf16(view, span.start, span.end)
    assert view.selected_range() == (span.start, span.end)
    assert "carriage returns" in caplog.text


def test_spans_made_from_a_selection_are_stored_and_drawn(app, make_document, view):
    doc_id = make_document(TRICKY_TEXTS["zwj"])
    document = app.documents.get(doc_id)
    view.set_document(document.text, list(document.spans))
    needle = "Dr Ruth Chepngetich"
    start = document.text.index(needle)
    select_utf16(view, utf16(document.text[:start]), utf16(document.text[: start + len(needle)]))
    selected = view.selected_range()
    created = app.annotations.create(
        document_id=doc_id, start=selected[0], end=selected[1], label="athlete"
    )
    assert created.text == needle
    view.upsert_span(created)
    formats = drawn(view)[utf16_range(view, created)]
    assert fill(formats[0]).rgb() == COLORS["athlete"]


# -- spans: lookup, current span, drawing ----------------------------------------------------


def test_spans_are_sorted_and_rejected_ones_are_ignored(view):
    spans = [
        make_span(STORY, "Sifan Hasan", "athlete", 3),
        make_span(STORY, "Jakob Ingebrigtsen", "athlete", 1),
        make_span(STORY, "Ronald Kwemoi", "athlete", 2, status=SpanStatus.REJECTED),
    ]
    view.set_document(STORY, spans)
    assert [s.id for s in view.spans()] == [1, 3]
    assert len(view.painted_spans()) == 2
    view.set_spans(spans[:1])
    assert [s.id for s in view.spans()] == [3]
    view.clear_document()
    assert view.spans() == [] and view.stored_text() == "" and view.painted_spans() == []


def test_span_at_returns_the_innermost_span(view):
    outer = make_span(STORY, "Diamond League meeting in Florence", "event", 1)
    inner = make_span(STORY, "Florence", "athlete", 2)
    view.set_document(STORY, [outer, inner])
    assert view.span_at(outer.start) == 1
    assert view.span_at(inner.start) == 2
    assert view.span_at(inner.end - 1) == 2
    assert view.span_at(outer.start - 1) is None
    assert view.span_at(outer.end) is None  # end exclusive


def test_select_span_scrolls_it_into_view_without_selecting_text(view):
    paragraphs = [f"Paragraph {n}: the heats went to plan.\n" for n in range(400)]
    text = "".join(paragraphs) + "Beatrice Chebet won the 10,000m.\n"
    span = make_span(text, "Beatrice Chebet", "athlete", 7)
    view.set_document(text, [span])
    assert view.verticalScrollBar().value() == 0
    view.select_span(7)
    assert view.current_span_id() == 7
    assert view.selected_range() is None
    cursor = QTextCursor(view.document())
    cursor.setPosition(span.start)
    assert view.cursorRect(cursor).intersects(view.viewport().rect())
    # The current span is emphasised: a stronger fill than an ordinary span.
    (fmt,) = drawn(view)[(span.start, span.end)]
    assert fill(fmt).alpha() > 120
    view.set_document(text, [span])
    assert view.verticalScrollBar().value() == 0 and view.current_span_id() is None


def test_upsert_and_remove_update_what_is_drawn(view):
    view.set_document(STORY, [])
    span = make_span(STORY, "Narve Gilje Nordås", "athlete", 5)
    view.upsert_span(span)
    formats = drawn(view)
    assert list(formats) == [(span.start, span.end)]  # BMP-only text: utf16 == code points
    assert fill(formats[(span.start, span.end)][0]).rgb() == COLORS["athlete"]
    view.upsert_span(span.with_changes(label="error", error_type="misspelled_name"))
    assert fill(drawn(view)[(span.start, span.end)][0]).rgb() == COLORS["error"]
    view.upsert_span(span.with_changes(status=SpanStatus.REJECTED))
    assert drawn(view) == {} and view.spans() == []
    view.upsert_span(span)
    view.remove_span(5)
    assert drawn(view) == {} and view.span_at(span.start) is None
    view.remove_span(5)  # removing twice is harmless


def test_pending_spans_look_different_from_accepted_ones(view):
    accepted = make_span(STORY, "Jakob Ingebrigtsen", "athlete", 1)
    pending = make_span(STORY, "Ronald Kwemoi", "athlete", 2, status=SpanStatus.PENDING)
    view.set_document(STORY, [accepted, pending])
    formats = drawn(view)
    (acc,) = formats[(accepted.start, accepted.end)]
    (pen,) = formats[(pending.start, pending.end)]
    assert pen.underlineStyle() in (UNDERLINE.DashUnderline, UNDERLINE.DotLine)
    assert acc.underlineStyle() == UNDERLINE.NoUnderline
    assert fill(pen).alpha() < fill(acc).alpha() / 2
    assert fill(pen).rgb() == fill(acc).rgb() == COLORS["athlete"]


def test_unknown_labels_are_grey(view):
    span = make_span(STORY, "10 August 2024", "venue", 1)
    view.set_document(STORY, [span])
    (fmt,) = drawn(view)[(span.start, span.end)]
    color = fill(fmt)
    assert color.red() == color.green() == color.blue()


def test_overlapping_spans_are_distinct_and_darker_together(view):
    outer = make_span(STORY, "Diamond League meeting in Florence", "event", 1)
    inner = make_span(STORY, "meeting in", "event", 2)
    view.set_document(STORY, [outer, inner])
    formats = drawn(view)
    assert len(view.painted_spans()) == 2
    (inner_fmt,) = formats[(inner.start, inner.end)]
    assert inner_fmt.underlineStyle() == UNDERLINE.SingleUnderline
    # The inner span is drawn last, so its fill lands on top of the outer one.
    assert view.painted_spans()[-1][0] == inner.start
    image = view.viewport().grab().toImage()
    space_in_both = STORY.index(" in Florence")  # the space before "in": inside both spans
    space_in_outer = STORY.index(" meeting")
    both = image.pixelColor(char_center(view, space_in_both)).lightness()
    outer_only = image.pixelColor(char_center(view, space_in_outer)).lightness()
    plain = image.pixelColor(char_center(view, STORY.index(" the Diamond"))).lightness()
    assert both < outer_only < plain


def test_accepted_errors_get_a_red_wave(view):
    error = make_span(
        STORY, "Sifan Hasan", "error", 1, error_type="misspelled_name", correction="Sifan Hassan"
    )
    same_range = make_span(STORY, "Sifan Hasan", "athlete", 2)
    pending_error = make_span(STORY, "Grant Fisher", "error", 3, status=SpanStatus.PENDING)
    view.set_document(STORY, [error, same_range, pending_error])

    def red_rows(span: Span) -> int:
        """Pixel rows under the span's text holding strong red: a wave spans several rows, a
        dashed underline one."""
        image = view.viewport().grab().toImage()
        ratio = image.devicePixelRatio()
        first, last = char_center(view, span.start), char_center(view, span.end - 1)
        rows = 0
        for y in range(first.y(), first.y() + view.fontMetrics().height()):
            reds = 0
            for x in range(first.x(), last.x()):
                c = image.pixelColor(int(x * ratio), int(y * ratio))
                reds += c.red() > 150 and c.green() < 90 and c.blue() < 90
            rows += reds > 3
        return rows

    assert red_rows(error) >= 3  # not hidden by the athlete span's underline
    # A suggestion's dashes are thick (two rows, to be seen), still a straight line, not a wave.
    assert red_rows(pending_error) <= 2


def test_clicking_a_span_emits_its_id_and_elsewhere_nothing(view, qtbot):
    outer = make_span(STORY, "Diamond League meeting in Florence", "event", 1)
    inner = make_span(STORY, "Florence", "athlete", 2)
    view.set_document(STORY, [outer, inner])
    with qtbot.waitSignal(view.spanActivated) as blocker:
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=char_center(view, inner.start + 3)
        )
    assert blocker.args == [2]
    assert view.current_span_id() == 2
    with qtbot.waitSignal(view.spanActivated) as blocker:
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=char_center(view, outer.start + 1)
        )
    assert blocker.args == [1]
    # The last letter of a span counts, even though the caret lands after it.
    with qtbot.waitSignal(view.spanActivated) as blocker:
        qtbot.mouseClick(
            view.viewport(),
            Qt.MouseButton.LeftButton,
            pos=char_center(view, inner.end - 1) + QPoint(2, 0),
        )
    assert blocker.args == [2]
    with qtbot.assertNotEmitted(view.spanActivated):
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=char_center(view, STORY.index("world"))
        )
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=char_center(view, inner.end)
        )  # the space after the span
        qtbot.mouseClick(
            view.viewport(),
            Qt.MouseButton.LeftButton,
            pos=QPoint(view.viewport().width() - 5, view.viewport().height() - 5),
        )


def test_moving_the_caret_into_a_span_activates_it(view, qtbot):
    span = make_span(STORY, "Jakob Ingebrigtsen", "athlete", 4)
    view.set_document(STORY, [span])
    cursor = QTextCursor(view.document())
    cursor.setPosition(span.end + 1)
    view.setTextCursor(cursor)
    view.setFocus()
    with qtbot.waitSignal(view.spanActivated) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Left)
        qtbot.keyClick(view, Qt.Key.Key_Left)
    assert blocker.args == [4]
    with qtbot.assertNotEmitted(view.spanActivated):
        qtbot.keyClick(view, Qt.Key.Key_Left)  # still inside the same span
        view.select_span(4)  # programmatic, not the user's doing


# The offscreen platform cannot raise the tooltip window; showing it works all the same.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_tooltip_names_the_label_and_the_error_details(view, qtbot):
    error = make_span(
        STORY,
        "Sifan Hasan",
        "error",
        1,
        error_type="misspelled_name",
        correction="Sifan Hassan",
        note="World Athletics <results> page",
    )
    view.set_document(STORY, [error, make_span(STORY, "Sifan Hasan", "athlete", 2)])
    point = char_center(view, error.start + 2)
    tip = view.tooltip_at(point)
    assert "Error" in tip and "Athlete" in tip
    assert "misspelled name" in tip and "Sifan Hassan" in tip
    assert "&lt;results&gt;" in tip  # notes are text, not markup
    assert view.tooltip_at(char_center(view, STORY.index("world"))) is None

    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible)
    assert "Sifan Hassan" in QToolTip.text()
    QToolTip.hideText()


# -- scale -----------------------------------------------------------------------------------


def big_article(n_spans: int = 20_000, n_chars: int = 1_000_000) -> tuple[str, list[Span]]:
    """Race-report sentences; spans (athletes and events) spread evenly over the whole text."""
    rng = random.Random(3)
    names = ["Jakob Ingebrigtsen", "Faith Kipyegon 🏃‍♀️", "Narve Gilje Nordås", "Sifan Hassan"]
    parts, candidates, length = [], [], 0
    while length < n_chars:
        name = rng.choice(names)
        sentence = f"On the day {name} ran the 1500m in 3:28.{rng.randint(10, 99)}. "
        if rng.random() < 0.08:
            sentence += "\n\n"
        for needle, label in ((name, "athlete"), ("1500m", "event")):
            offset = length + sentence.index(needle)
            candidates.append((offset, offset + len(needle), label, needle))
        parts.append(sentence)
        length += len(sentence)
    step = len(candidates) / n_spans
    spans = [Span(*candidates[int(n * step)], id=n + 1) for n in range(n_spans)]
    return "".join(parts), spans


def test_a_huge_article_only_paints_spans_in_the_viewport(view):
    text, spans = big_article()
    assert len(text) >= 1_000_000 and len(spans) == 20_000
    view.set_document(text, spans)
    assert 0 < len(view.painted_spans()) < 2_000
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    ranges = list(drawn(view))
    assert 0 < len(ranges) < 2_000
    last = spans[-1]
    assert max(end for _, end in ranges) >= utf16(text[: last.start])
    # A span added far from the viewport costs nothing to draw, and shows up once scrolled to.
    view.verticalScrollBar().setValue(0)
    late = Span(last.start, last.end, "error", last.text, id=99_999)
    view.upsert_span(late)
    assert (utf16(text[: last.start]), utf16(text[: last.end])) not in drawn(view)
    view.select_span(99_999)
    assert (utf16(text[: last.start]), utf16(text[: last.end])) in drawn(view)


def test_screenshot_is_readable(view, tmp_path):
    text = TRICKY_TEXTS["zwj"]
    spans = [
        make_span(text, "Faith Kipyegon", "athlete", 1),
        make_span(text, "Dr Ruth Chepngetich", "athlete", 2, status=SpanStatus.PENDING),
        make_span(text, "5000m final", "event", 3),
        make_span(text, "10 August 2024", "date", 4),
        make_span(text, "Diamond League meeting in Florence", "event", 5),
        make_span(text, "Florence", "athlete", 6),
        make_span(text, "Sifan Hasan", "error", 7, error_type="misspelled_name"),
        make_span(text, "Sifan Hasan", "athlete", 8),
        make_span(text, "Ronald Kwemoi", "athlete", 9, status=SpanStatus.PENDING),
        make_span(text, "Grant Fisher", "error", 10, status=SpanStatus.PENDING),
    ]
    view.set_document(text, spans)
    view.select_span(2)
    path = tmp_path / "document_view.png"
    assert view.grab().save(str(path))
    assert path.stat().st_size > 5_000
