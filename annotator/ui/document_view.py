"""The article view: read-only text with the spans drawn over it.

Two things shape this module. Offsets: the stored text is indexed in code points, Qt counts
UTF-16 units, so every position crossing the boundary goes through an OffsetMap. Scale: an
article can be a megabyte with tens of thousands of spans, so only the spans near the viewport
become extra selections, rebuilt when the viewport moves past what was built or spans change.
"""

from __future__ import annotations

import logging
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from operator import sub

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QHelpEvent,
    QMouseEvent,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from annotator.core.model import Span, SpanStatus
from annotator.core.offsets import OffsetMap
from annotator.core.tagset import Tagset

from .qt_workarounds import guard_none_refcount
from .span_painter import SpanPainter

log = logging.getLogger(__name__)

# Building selections makes thousands of void Qt calls a minute; see qt_workarounds.
guard_none_refcount()

FONT_POINT_SIZE = 12.0
DOCUMENT_MARGIN = 24
# About 80 characters a line: beyond that the eye loses its place going back to the next line.
MAX_LINE_CHARS = 80
# Build selections this far (UTF-16 units) beyond the viewport at least, so scrolling a few
# lines does not rebuild anything.
MIN_BUILD_MARGIN = 1500

_Key = tuple[int, int, int]  # (start, end, id): the sort order spans() promises


class DocumentView(QPlainTextEdit):
    spanActivated = Signal(int)

    def __init__(self, tagset: Tagset, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentView")
        self.setAccessibleName("Article text")
        self.setReadOnly(True)
        # Read-only must not mean mouse-only: Shift+arrows is how a keyboard user selects.
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setUndoRedoEnabled(False)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        font = QFont(self.font())
        font.setPointSizeF(FONT_POINT_SIZE)
        self.setFont(font)
        self.document().setDocumentMargin(DOCUMENT_MARGIN)
        # The side margins that cap the line length must look like the page, not the window.
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)

        self._painter = SpanPainter(tagset)
        self._text = ""
        self._map = OffsetMap("")
        self._by_id: dict[int, Span] = {}
        self._keys: list[_Key] = []
        self._starts: list[int] = []
        # Never shrinks on removal: a stale, larger value only widens the bisect window.
        self._max_len = 0
        self._current: int | None = None
        self._caret_span: int | None = None
        self._built: tuple[int, int] | None = None  # code-point range the selections cover
        self._refreshing = False
        self._mouse_down = False
        self._programmatic_caret = False
        self._side_margin = 0

        self.verticalScrollBar().valueChanged.connect(self._refresh_visible)
        self.updateRequest.connect(self._on_update_request)
        self.cursorPositionChanged.connect(self._on_caret_moved)

    # -- content -----------------------------------------------------------------------------

    def set_document(self, text: str, spans: Sequence[Span]) -> None:
        self._text = text
        self._map = OffsetMap(text)
        if "\r" in text:
            # Qt would turn "\r\n" into one paragraph break and shift every later offset; a
            # space keeps positions aligned with the stored text (import should prevent this).
            log.warning("stored text contains carriage returns; showing them as spaces")
            text = text.replace("\r", " ")
        self._current = self._caret_span = None
        self._built = None
        self._painter.clear()
        # setPlainText repaints at once: the old spans' offsets may lie past the new text's end.
        self._load_spans([])
        self.setExtraSelections([])
        self._programmatic_caret = True
        try:
            self.setPlainText(text)
            self.moveCursor(QTextCursor.MoveOperation.Start)
        finally:
            self._programmatic_caret = False
        self.verticalScrollBar().setValue(0)
        self._load_spans(spans)
        self._refresh_visible(force=True)

    def clear_document(self) -> None:
        self.set_document("", [])

    def set_spans(self, spans: Sequence[Span]) -> None:
        self._load_spans(spans)
        if self._current not in self._by_id:
            self._current = None
        self._refresh_visible(force=True)

    def upsert_span(self, span: Span) -> None:
        if span.id is None:
            raise ValueError("the view only shows stored spans (span.id is None)")
        old = self._by_id.get(span.id)
        if old is not None:
            self._drop(old)
        touched = [(old.start, old.end)] if old is not None else []
        if self._add(span):
            touched.append((span.start, span.end))
        elif self._current == span.id:
            self._current = None
        self._rebuild_if_touched(touched)

    def remove_span(self, span_id: int) -> None:
        old = self._by_id.get(span_id)
        if old is None:
            return
        self._drop(old)
        if self._current == span_id:
            self._current = None
        self._rebuild_if_touched([(old.start, old.end)])

    def spans(self) -> list[Span]:
        return [self._by_id[key[2]] for key in self._keys]

    def stored_text(self) -> str:
        return self._text

    def offset_map(self) -> OffsetMap:
        return self._map

    def span_at(self, cp: int) -> int | None:
        """The innermost (shortest) span with start <= cp < end."""
        first = bisect_right(self._starts, cp - self._max_len)
        last = bisect_right(self._starts, cp)
        best: _Key | None = None
        for key in self._keys[first:last]:
            if key[1] > cp and (best is None or key[1] - key[0] < best[1] - best[0]):
                best = key
        return best[2] if best is not None else None

    def spans_at(self, cp: int) -> list[Span]:
        """Every span covering ``cp``, innermost first."""
        first = bisect_right(self._starts, cp - self._max_len)
        last = bisect_right(self._starts, cp)
        keys = [key for key in self._keys[first:last] if key[1] > cp]
        keys.sort(key=lambda k: (k[1] - k[0], -k[0], k[2]))
        return [self._by_id[key[2]] for key in keys]

    # -- selection and the current span ------------------------------------------------------

    def selected_range(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return (
            self._map.from_utf16(cursor.selectionStart()),
            self._map.from_utf16(cursor.selectionEnd()),
        )

    def current_span_id(self) -> int | None:
        return self._current

    def select_span(self, span_id: int) -> None:
        span = self._by_id.get(span_id)
        if span is None:
            log.debug("select_span(%s): not shown (unknown or rejected)", span_id)
            return
        self._current = self._caret_span = span_id
        start, end = self._map.to_utf16(span.start), self._map.to_utf16(span.end)
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        self._programmatic_caret = True
        try:
            self.setTextCursor(cursor)
        finally:
            self._programmatic_caret = False
        end_cursor = QTextCursor(self.document())
        end_cursor.setPosition(end)
        viewport = self.viewport().rect()
        if not (
            viewport.contains(self.cursorRect(cursor))
            and viewport.contains(self.cursorRect(end_cursor))
        ):
            # Centred, so the sentence around the span is readable, not glued to an edge.
            self.centerCursor()
        self._refresh_visible(force=True)

    # -- building the extra selections -------------------------------------------------------

    def _load_spans(self, spans: Sequence[Span]) -> None:
        # Comprehensions and map(): this runs over every span of a long article on open.
        rejected = SpanStatus.REJECTED
        self._by_id = {s.id: s for s in spans if s.id is not None and s.status != rejected}
        keys = sorted([(s.start, s.end, s.id) for s in self._by_id.values()])  # type: ignore[misc]
        starts = [key[0] for key in keys]
        ends = [key[1] for key in keys]
        lengths = list(map(sub, ends, starts))
        if keys and (starts[0] < 0 or min(lengths) <= 0 or max(ends) > len(self._text)):
            keys = [key for key in keys if self._fits(self._by_id[key[2]])]
            self._by_id = {key[2]: self._by_id[key[2]] for key in keys}
            starts = [key[0] for key in keys]
            lengths = [end - start for start, end, _ in keys]
        self._keys, self._starts = keys, starts
        self._max_len = max(lengths, default=0)
        self._painter.clear()

    def _fits(self, span: Span) -> bool:
        if span.status == SpanStatus.REJECTED:
            return False
        if not (0 <= span.start < span.end <= len(self._text)):
            log.warning("span %s (%s:%s) lies outside the text; not shown",
                        span.id, span.start, span.end)
            return False
        return True

    def _add(self, span: Span) -> bool:
        if not self._fits(span):
            return False
        assert span.id is not None
        self._by_id[span.id] = span
        key = (span.start, span.end, span.id)
        index = bisect_left(self._keys, key)
        self._keys.insert(index, key)
        self._starts.insert(index, span.start)
        self._max_len = max(self._max_len, span.end - span.start)
        return True

    def _drop(self, span: Span) -> None:
        del self._by_id[span.id]  # type: ignore[arg-type]
        key = (span.start, span.end, span.id)
        index = bisect_left(self._keys, key)  # type: ignore[arg-type]
        del self._keys[index]
        del self._starts[index]

    def _rebuild_if_touched(self, ranges: list[tuple[int, int]]) -> None:
        built = self._built
        if built is None or any(start < built[1] and end > built[0] for start, end in ranges):
            self._refresh_visible(force=True)

    def _visible_range(self) -> tuple[int, int]:
        """Code points from the top-left to the bottom-right of the viewport."""
        rect = self.viewport().rect()
        top = self.cursorForPosition(QPoint(0, 0)).position()
        bottom = self.cursorForPosition(QPoint(rect.width() - 1, rect.height() - 1)).position()
        return self._map.from_utf16(top), self._map.from_utf16(bottom)

    def _refresh_visible(self, *_args: object, force: bool = False) -> None:
        if self._refreshing:
            return
        self._refreshing = True
        try:
            top, bottom = self._visible_range()
            built = self._built
            if not force and built is not None and built[0] <= top and bottom <= built[1]:
                return
            margin = max(bottom - top, MIN_BUILD_MARGIN)
            self._built = (max(0, top - margin), min(len(self._text), bottom + margin))
            self.setExtraSelections(self._selections(*self._built))
        finally:
            self._refreshing = False

    def _selections(self, lo: int, hi: int) -> list[QTextEdit.ExtraSelection]:
        first = bisect_right(self._starts, lo - self._max_len)
        last = bisect_left(self._starts, hi)
        keys = [key for key in self._keys[first:last] if key[1] > lo]
        return self._painter.selections(self, keys, self._by_id, self._map.to_utf16,
                                        self._current)

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        # Caret blinks and our own selection changes also come through here; only scrolls and
        # whole-viewport relayouts can move what is visible.
        if dy or rect.contains(self.viewport().rect()):
            self._refresh_visible()

    # -- events ------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        text_width = self.fontMetrics().averageCharWidth() * MAX_LINE_CHARS + 2 * DOCUMENT_MARGIN
        frame = self.frameWidth() * 2 + self.verticalScrollBar().sizeHint().width()
        side = max(0, (self.width() - frame - text_width) // 2)
        if side != self._side_margin:
            self._side_margin = side
            self.setViewportMargins(side, 0, side, 0)
            # QPlainTextEdit re-wraps only when a resize event says the width changed, and the
            # viewport's own resize never reaches it: tell it, or lines run past the edge.
            super().resizeEvent(QResizeEvent(self.size(), QSize(-1, -1)))
        self._refresh_visible()

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
        span_id = self.span_at(cp) if cp is not None else None
        self._caret_span = span_id
        if span_id is not None:
            self._activate(span_id)

    def _on_caret_moved(self) -> None:
        if self._mouse_down or self._programmatic_caret or self.textCursor().hasSelection():
            return
        span_id = self.span_at(self._map.from_utf16(self.textCursor().position()))
        if span_id != self._caret_span:
            self._caret_span = span_id
            if span_id is not None:
                self._activate(span_id)

    def _activate(self, span_id: int) -> None:
        if span_id != self._current:
            self._current = span_id
            self._refresh_visible(force=True)
        self.spanActivated.emit(span_id)

    def tooltip_at(self, point: QPoint) -> str | None:
        """The tooltip for the spans under ``point`` (viewport coordinates), if any."""
        cp = self._char_at(point)
        spans = self.spans_at(cp) if cp is not None else []
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
        super().paintEvent(event)
        current = self._by_id.get(self._current) if self._current is not None else None
        self._painter.paint_over(self, current, self._map.to_utf16)
