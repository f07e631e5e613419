"""The article view: read-only text with the spans drawn over it.

Two things shape this module. Offsets: the stored text is indexed in code points, Qt counts
UTF-16 units, and Markdown markup is not shown at all, so every position crossing the boundary
goes through a DisplayMap. Scale: an article can be a megabyte with tens of thousands of
spans, so the view keeps them in a sorted index (span_index) and each paint draws only the
spans inside the exposed rectangle (span_painter); a change to a span repaints just the lines
it sits on.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QToolTip, QWidget

from annotator.core.display_map import DisplayMap
from annotator.core.markdown_display import NO_MARKUP, Markup
from annotator.core.model import Span
from annotator.core.tagset import Tagset
from annotator.ui.models.span_index import SpanIndex
from annotator.ui.models.span_layers import Look, is_mine
from annotator.ui.qt_workarounds import guard_none_refcount
from annotator.ui.widgets.article_format import style_headings
from annotator.ui.widgets.article_page import DOCUMENT_MARGIN, FONT_POINT_SIZE, ArticlePage
from annotator.ui.widgets.span_painter import Item, SpanPainter, range_rects, visible_blocks
from annotator.ui.widgets.spelling_marks import Mark, SpellingMarks
from annotator.ui.widgets.spelling_marks import tooltip as spelling_tooltip
from annotator.ui.widgets.view_scrolling import anchor, restore, reveal_range

__all__ = ["DOCUMENT_MARGIN", "FONT_POINT_SIZE", "DocumentView"]

log = logging.getLogger(__name__)

# Painting spans makes thousands of void Qt calls a minute; see qt_workarounds.
guard_none_refcount()

# Pixels round a span's lines repainted when it changes: the frame and the wave stick out.
REPAINT_MARGIN = 4


class DocumentView(ArticlePage):
    spanActivated = Signal(int)

    def __init__(self, tagset: Tagset, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentView")
        self.setAccessibleName("Article text")

        self._painter = SpanPainter(tagset)
        self._painter.styler.set_base(self.palette().color(QPalette.ColorRole.Base))
        self._text = ""
        self._map = DisplayMap("")
        self._index = SpanIndex()
        self._spelling = SpellingMarks()
        self._current: int | None = None
        self._caret_span: int | None = None
        # Where the last click landed (code point): a second click there picks the next span.
        self._last_click: int | None = None
        self._mouse_down = False
        self._programmatic_caret = False
        # Bumped whenever new text is shown: cached span geometry belongs to one text.
        self._generation = 0

        self.cursorPositionChanged.connect(self._on_caret_moved)

    # -- content -----------------------------------------------------------------------------

    def set_document(self, text: str, spans: Sequence[Span], markup: Markup = NO_MARKUP) -> None:
        """Show ``text`` less ``markup.hidden`` (Markdown shown without its markup)."""
        self._generation += 1
        self._text = text
        self._spelling.clear()  # they belong to the previous text
        self._map = DisplayMap(text, markup.hidden)
        text = self._map.shown_text()
        if "\r" in text:
            # Qt would turn "\r\n" into one paragraph break and shift every later offset; a
            # space keeps positions aligned with the stored text (import should prevent this).
            log.warning("stored text contains carriage returns; showing them as spaces")
            text = text.replace("\r", " ")
        self._current = self._caret_span = None
        # setPlainText repaints at once: the old spans' offsets may lie past the new text's end.
        self._index.load([], len(text))
        self._programmatic_caret = True
        try:
            # Qt inserts new text in the caret's format: that of the last article's heading.
            self.setCurrentCharFormat(QTextCharFormat())
            self.setPlainText(text)
            style_headings(self.document(), markup.headings, self._map.to_utf16)
            self.moveCursor(QTextCursor.MoveOperation.Start)
        finally:
            self._programmatic_caret = False
        self.verticalScrollBar().setValue(0)
        self._index.load(spans, len(self._text))
        self.viewport().update()

    def clear_document(self) -> None:
        self.set_document("", [])

    def set_viewer(self, name: str | None) -> None:
        """Whose layer is drawn as the user's own (None: every span is)."""
        if name != self._painter.styler.viewer:
            self._painter.styler.viewer = name
            self.viewport().update()

    def look_of(self, span_id: int) -> Look | None:
        """How a shown span is drawn, by whose layer holds it (None: not shown)."""
        span = self._index.by_id.get(span_id)
        return self._painter.styler.look(span) if span is not None else None

    def set_spans(self, spans: Sequence[Span]) -> None:
        self._index.load(spans, len(self._text))
        if self._current not in self._index.by_id:
            self._current = None
        self.viewport().update()

    def upsert_span(self, span: Span) -> None:
        if span.id is None:
            raise ValueError("the view only shows stored spans (span.id is None)")
        old = self._index.by_id.get(span.id)
        if old is not None:
            self._index.drop(old)
        touched = [(old.start, old.end)] if old is not None else []
        if self._index.add(span):
            touched.append((span.start, span.end))
        elif self._current == span.id:
            self._current = None
        self._repaint_ranges(touched)

    def remove_span(self, span_id: int) -> None:
        old = self._index.by_id.get(span_id)
        if old is None:
            return
        self._index.drop(old)
        if self._current == span_id:
            self._current = None
        self._repaint_ranges([(old.start, old.end)])

    def spans(self) -> list[Span]:
        return [self._index.by_id[key[2]] for key in self._index.keys]

    def shown_span(self, span_id: int) -> Span | None:
        """The span with this id as drawn now (None: not shown)."""
        return self._index.by_id.get(span_id)

    def set_spelling_marks(self, marks: Sequence[Mark]) -> None:
        """Words of the text on show the spelling checker doubts: (start, end, correction)
        in code points, drawn as a small wave until the text changes."""
        self._spelling.set(marks)
        self.viewport().update()

    @property
    def spelling_marks(self) -> SpellingMarks:
        return self._spelling

    def stored_text(self) -> str:
        return self._text

    def offset_map(self) -> DisplayMap:
        return self._map

    def _mine(self, span: Span) -> bool:
        return is_mine(span, self._painter.styler.viewer)

    def span_at(self, cp: int) -> int | None:
        """The innermost (shortest) span with start <= cp < end; of equally short ones, the
        user's own (a click on words a colleague tagged too picks the user's tag)."""
        return self._index.at(cp, self._mine)

    def spans_at(self, cp: int) -> list[Span]:
        """Every span covering ``cp``, innermost first (the user's own first among equals)."""
        return self._index.all_at(cp, self._mine)

    # -- selection and the current span ------------------------------------------------------

    def selected_range(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return (
            self._map.from_utf16(cursor.selectionStart()),
            self._map.end_from_utf16(cursor.selectionEnd()),
        )

    def current_span_id(self) -> int | None:
        return self._current

    def select_span(self, span_id: int) -> None:
        span = self._index.by_id.get(span_id)
        if span is None:
            log.debug("select_span(%s): not shown (unknown or rejected)", span_id)
            return
        self._set_current(span_id)
        self._caret_span = span_id
        start, end = self._map.to_utf16(span.start), self._map.to_utf16(span.end)
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        self._programmatic_caret = True
        try:
            self.setTextCursor(cursor)
        finally:
            self._programmatic_caret = False
        # Centred when near an edge, so the sentence around the span is readable.
        reveal_range(self, start, end)

    def _items(self, rect: QRect) -> list[Item]:
        """How the spans inside ``rect`` (viewport coordinates) are to be painted."""
        if not self._index.keys:
            return []
        blocks = visible_blocks(self, rect)
        if not blocks:
            return []
        self._painter.layout_changed(
            (
                self._generation,
                self.viewport().width(),
                self.font().key(),
                self.document().documentMargin(),
            )
        )
        lo = self._map.from_utf16(blocks[0][0])
        hi = self._map.from_utf16(min(blocks[-1][1], self._map.utf16_length))
        keys = self._index.between(lo, hi + 1)
        return self._painter.items(
            blocks, keys, self._index.by_id, self._map.to_utf16, self._current
        )

    def painted_spans(self) -> list[tuple[int, int, QTextCharFormat]]:
        """The spans drawn in the viewport, in painting order (outer before inner): UTF-16
        start, end and the format that says how (fill colour, underline)."""
        to_utf16 = self._map.to_utf16
        return [
            (to_utf16(span.start), to_utf16(span.end), fmt)
            for span, fmt, _rects, _current in self._items(self.viewport().rect())
        ]

    def _repaint_ranges(self, ranges: list[tuple[int, int]]) -> None:
        """Schedule a repaint of the lines that spans over code points in ``ranges`` sit on,
        overlapping spans included (whether a span is inner depends on its neighbours)."""
        if not ranges:
            return
        viewport = self.viewport()
        blocks = visible_blocks(self, viewport.rect())
        if not blocks:
            return
        lo = self._map.from_utf16(blocks[0][0])
        hi = self._map.from_utf16(min(blocks[-1][1], self._map.utf16_length))
        starts = [block[0] for block in blocks]
        to_utf16 = self._map.to_utf16
        area = QRectF()
        for start, end in ranges:
            if start > hi or end < lo:
                continue  # off screen: painted when scrolled to
            for key in self._index.between(start, end):
                start, end = min(start, key[0]), max(end, key[1])
            for rect in range_rects(blocks, starts, to_utf16(start), to_utf16(end)):
                area = area.united(rect)
        if not area.isEmpty():
            m = REPAINT_MARGIN
            viewport.update(area.toAlignedRect().adjusted(-m, -m, m, m))

    def _set_current(self, span_id: int | None) -> None:
        old = self._current
        if span_id == old:
            return
        self._current = span_id
        ranges = []
        for changed in (old, span_id):
            span = self._index.by_id.get(changed) if changed is not None else None
            if span is not None:
                ranges.append((span.start, span.end))
        self._repaint_ranges(ranges)

    # -- events ------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        # The re-wrap moves lines: the current span (or the caret) must not slip out of view.
        grown = event.size().height() - event.oldSize().height() if event.oldSize().isValid() else 0
        kept = anchor(self, self._anchor_position(), grown)
        super().resizeEvent(event)
        restore(self, kept)

    def _anchor_position(self) -> int | None:
        span = self._index.by_id.get(self._current) if self._current is not None else None
        return self._map.to_utf16(span.start) if span is not None else self.textCursor().position()

    def _char_at(self, point: QPoint) -> int | None:
        """Code point of the character drawn under ``point`` (viewport coordinates), if any:
        the caret position alone cannot tell the last letter of a span from the space after."""
        caret = self.cursorForPosition(point)
        pos = caret.position()
        utf16 = pos - 1 if point.x() < self.cursorRect(caret).x() else pos
        if utf16 < 0 or utf16 >= self._map.utf16_length:
            return None
        cp = self._map.from_utf16(utf16)
        left, right = QTextCursor(self.document()), QTextCursor(self.document())
        left.setPosition(self._map.to_utf16(cp))
        right.setPosition(self._map.to_utf16(cp + 1))
        a, b = self.cursorRect(left), self.cursorRect(right)
        if not (a.top() <= point.y() <= a.bottom()):
            return None
        # The last character of a wrapped line has its right edge on the next line.
        x_end = b.x() if b.top() == a.top() else a.x() + self.fontMetrics().averageCharWidth()
        return cp if min(a.x(), x_end) <= point.x() <= max(a.x(), x_end) else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._mouse_down = True
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        self._mouse_down = False
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return  # a drag selects text to label; it must not also jump to a span
        cp = self._char_at(event.position().toPoint())
        span_id = self._span_for_click(cp)
        self._caret_span = span_id
        if span_id is not None:
            self._activate(span_id)

    def _span_for_click(self, cp: int | None) -> int | None:
        """The innermost span at ``cp``; clicked again at the same place, the next span
        covering it, round and round (overlapping spans are each reachable by mouse)."""
        last, self._last_click = self._last_click, cp
        if cp is None:
            return None
        if cp == last and self._current is not None:
            ids = [span.id for span in self.spans_at(cp)]
            if self._current in ids and len(ids) > 1:
                return ids[(ids.index(self._current) + 1) % len(ids)]
        return self.span_at(cp)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        painter = getattr(self, "_painter", None)  # None while __init__ sets the font
        if (
            event.type() == QEvent.Type.PaletteChange
            and painter is not None
            and painter.styler.set_base(self.palette().color(QPalette.ColorRole.Base))
        ):
            self.viewport().update()

    def _on_caret_moved(self) -> None:
        if self._mouse_down or self._programmatic_caret or self.textCursor().hasSelection():
            return
        span_id = self.span_at(self._map.from_utf16(self.textCursor().position()))
        if span_id != self._caret_span:
            self._caret_span = span_id
            if span_id is not None:
                self._activate(span_id)

    def _activate(self, span_id: int) -> None:
        self._set_current(span_id)
        self.spanActivated.emit(span_id)

    def tooltip_at(self, point: QPoint) -> str | None:
        """The tooltip for the spans under ``point`` (viewport coordinates), if any."""
        cp = self._char_at(point)
        spans = self.spans_at(cp) if cp is not None else []
        if not spans and cp is not None and (mark := self._spelling.at(cp)) is not None:
            return spelling_tooltip(mark)
        return self._painter.styler.tooltip(spans) if spans else None

    def viewportEvent(self, event: QEvent) -> bool:
        # Tooltip events reach the viewport, not the scroll area, so event() never sees them.
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        # The viewport has already been filled with the page colour (autoFillBackground) and
        # the base class draws only text and the user's selection: fills go in between.
        items = self._items(event.rect())
        if items:
            painter = QPainter(self.viewport())
            painter.setClipRect(event.rect())
            self._painter.paint_under(painter, items)
            painter.end()
        super().paintEvent(event)
        if items:
            painter = QPainter(self.viewport())
            painter.setClipRect(event.rect())
            self._painter.paint_over(painter, items, self.font())
            painter.end()
        self._spelling.paint(self, event.rect(), self._map, self._painter.styler.base)
