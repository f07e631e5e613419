"""Seeing the annotations: suggestions that stand out from the page in a light and a dark
palette, overlapping spans each on a lane of their own, clicking again to reach the next span
under the mouse, zoom and the theme, both remembered."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QColor, QPalette, QTextCharFormat, QTextCursor, QWheelEvent
from PySide6.QtWidgets import QApplication
from window_helpers import show_window

from annotator.core.model import Span, SpanStatus
from annotator.core.tagset import load_tagset
from annotator.ui.widgets.document_view import FONT_POINT_SIZE, DocumentView
from annotator.ui.widgets.span_colors import contrast_ratio, readable
from annotator.ui.widgets.span_styler import LANE_PROPERTY
from annotator.ui.window.view_prefs import ViewPrefs, apply_theme, dark_palette, light_palette

pytestmark = pytest.mark.gui

TAGSET = load_tagset()
UNDERLINE = QTextCharFormat.UnderlineStyle
STORY = (
    "Jakob Ingebrigtsen won the 5000m final in Paris on 10 August 2024, beating Ronald "
    "Kwemoi and Grant Fisher. Sifan Hasan finished second.\n"
)


def make_span(
    needle: str,
    label: str,
    span_id: int,
    *,
    part: str | None = None,
    status: SpanStatus = SpanStatus.ACCEPTED,
) -> Span:
    start = STORY.index(needle)
    if part is not None:
        start += needle.index(part)
        needle = part
    return Span(start, start + len(needle), label, needle, id=span_id, status=status)


def char_center(view: DocumentView, cp: int) -> QPoint:
    left, right = QTextCursor(view.document()), QTextCursor(view.document())
    left.setPosition(cp)  # ASCII story: code points are UTF-16 positions
    right.setPosition(cp + 1)
    a, b = view.cursorRect(left), view.cursorRect(right)
    return QPoint((a.x() + b.x()) // 2, a.center().y())


def formats(view: DocumentView) -> dict[tuple[int, int], QTextCharFormat]:
    return {(start, end): QTextCharFormat(fmt) for start, end, fmt in view.painted_spans()}


@pytest.fixture
def view(qtbot):
    widget = DocumentView(TAGSET)
    qtbot.addWidget(widget)
    widget.resize(760, 420)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def restore_palette():
    yield
    apply_theme("light")


def test_contrast_ratio_matches_wcag():
    assert contrast_ratio(QColor("black"), QColor("white")) == pytest.approx(21.0)
    assert contrast_ratio(QColor("#777777"), QColor("white")) == pytest.approx(4.48, abs=0.01)
    # The tagset's yellow on white is what vanished; its shaded line does not.
    yellow = QColor("#edc948")
    assert contrast_ratio(yellow, QColor("white")) < 2
    shaded = readable(yellow, QColor("white"))
    assert contrast_ratio(shaded, QColor("white")) >= 3
    assert shaded.hue() == pytest.approx(yellow.hue(), abs=6)  # still the label's hue


@pytest.mark.parametrize("palette", [light_palette, dark_palette], ids=["light", "dark"])
def test_pending_lines_stand_out_from_the_page(view, palette):
    view.setPalette(palette())
    base = view.palette().color(QPalette.ColorRole.Base)
    spans = [
        make_span(needle, label.key, i, status=SpanStatus.PENDING)
        for i, (needle, label) in enumerate(
            zip(
                ["Jakob Ingebrigtsen", "5000m final", "10 August 2024", "Sifan Hasan"],
                TAGSET.labels,
                strict=False,
            ),
            start=1,
        )
    ]
    accepted = make_span("Grant Fisher", "athlete", 9)
    view.set_document(STORY, [*spans, accepted])
    drawn = formats(view)
    for span in spans:
        fmt = drawn[(span.start, span.end)]
        assert fmt.underlineStyle() == UNDERLINE.DashUnderline
        ratio = contrast_ratio(fmt.underlineColor(), base)
        assert ratio >= 3, (span.label, fmt.underlineColor().name(), base.name(), ratio)
        # A tint a reader sees, still lighter than an accepted span's.
        acc = drawn[(accepted.start, accepted.end)]
        assert 0 < fmt.background().color().alpha() < acc.background().color().alpha()
    assert drawn[(accepted.start, accepted.end)].underlineStyle() == UNDERLINE.NoUnderline


def test_dashes_are_drawn_in_the_shaded_colour(view):
    pending = make_span("Ronald Kwemoi", "date", 1, status=SpanStatus.PENDING)  # yellow
    view.set_document(STORY, [pending])
    image = view.viewport().grab().toImage()
    line = formats(view)[(pending.start, pending.end)].underlineColor()
    first, last = char_center(view, pending.start), char_center(view, pending.end - 1)
    seen = {
        image.pixelColor(x, y).rgb()
        for x in range(first.x(), last.x())
        for y in range(first.y(), first.y() + view.fontMetrics().height())
    }
    assert line.rgb() in seen


def test_overlapping_spans_get_a_lane_each(view):
    athlete = make_span("Sifan Hasan", "athlete", 1)
    same_chars = make_span("Sifan Hasan", "error", 2)
    inside = make_span("Sifan Hasan", "error", 3, part="Hasan")
    pending_over = make_span("Sifan Hasan", "athlete", 4, status=SpanStatus.PENDING)
    alone = make_span("Grant Fisher", "athlete", 5)
    view.set_document(STORY, [athlete, same_chars, inside, pending_over, alone])
    # Painted longest first, then by start and id: pair each format with its span that way.
    order = sorted(view.spans(), key=lambda s: (s.start - s.end, s.start, s.id))
    lanes = {
        span.id: fmt.property(LANE_PROPERTY)
        for span, (_start, _end, fmt) in zip(order, view.painted_spans(), strict=True)
    }
    stacked = [lanes[i] for i in (1, 2, 3, 4)]
    assert all(isinstance(lane, int) for lane in stacked)
    assert len(set(stacked)) == 4  # four spans on the same characters: four lanes
    assert lanes[5] is None  # a span alone needs no lane
    for _start, _end, fmt in view.painted_spans():
        if fmt.property(LANE_PROPERTY) is not None:
            assert fmt.underlineStyle() != UNDERLINE.NoUnderline


def test_a_second_click_on_the_same_place_selects_the_next_span(view, qtbot):
    athlete = make_span("Sifan Hasan", "athlete", 1)
    error = make_span("Sifan Hasan", "error", 2, part="Hasan")
    view.set_document(STORY, [athlete, error])
    point = char_center(view, error.start + 2)
    seen = []
    view.spanActivated.connect(seen.append)

    def click() -> None:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
        # Further apart than a double click (that would select the word).
        qtbot.wait(QApplication.doubleClickInterval() + 50)

    click()
    click()
    click()
    assert seen == [2, 1, 2]  # innermost first, then round the spans under the mouse
    # A click elsewhere, then back: the innermost again.
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=char_center(view, athlete.start + 1)
    )
    qtbot.wait(QApplication.doubleClickInterval() + 50)
    click()
    assert seen[-2:] == [1, 2]


def test_zoom_keys_and_wheel_change_the_font_and_are_remembered(qtbot, app, make_document):
    make_document(STORY, title="Zoom")
    settings = QSettings()
    window = show_window(qtbot, app, settings)
    try:
        view = window.view
        assert view.font_size() == FONT_POINT_SIZE
        qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
        assert view.font_size() == FONT_POINT_SIZE + 1
        qtbot.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
        assert view.font_size() == FONT_POINT_SIZE + 2
        qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
        assert view.font_size() == FONT_POINT_SIZE + 1
        qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
        assert view.font_size() == FONT_POINT_SIZE
        center = QPointF(view.viewport().rect().center())
        wheel = QWheelEvent(
            center,
            QPointF(view.mapToGlobal(center.toPoint())),
            QPoint(0, 0),
            QPoint(0, 240),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.ControlModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(view.viewport(), wheel)
        assert view.font_size() == FONT_POINT_SIZE + 2
        assert "Zoom in" in dict((what, keys) for keys, what in window.actions.shortcut_rows())
    finally:
        window.close()
    again = show_window(qtbot, app, QSettings())
    try:
        assert again.view.font_size() == FONT_POINT_SIZE + 2
    finally:
        again.close()


def test_theme_choice_applies_and_is_remembered(qtbot, app, make_document, restore_palette):
    make_document(STORY, title="Theme")
    window = show_window(qtbot, app, QSettings())
    try:
        assert window.actions["theme_system"].isChecked()
        window.actions["theme_dark"].trigger()

        def base() -> QColor:
            return window.view.palette().color(QPalette.ColorRole.Base)

        qtbot.waitUntil(lambda: base().lightness() < 60)
        qtbot.waitUntil(lambda: window.view._painter.styler.base.rgb() == base().rgb())
        assert window.findChild(ViewPrefs).theme() == "dark"
    finally:
        window.close()
    apply_theme("light")
    again = show_window(qtbot, app, QSettings())
    try:
        assert again.actions["theme_dark"].isChecked()
        qtbot.waitUntil(
            lambda: again.view.palette().color(QPalette.ColorRole.Base).lightness() < 60
        )
        again.actions["theme_light"].trigger()
        qtbot.waitUntil(
            lambda: again.view.palette().color(QPalette.ColorRole.Base).lightness() > 200
        )
    finally:
        again.close()
