"""How spans look in the article view: fills, underlines, extra selections, the error wave,
the current span's frame and tooltips.

Kept apart from the view so the look can be tuned without touching offsets, the span index
or event handling. Fills are translucent on purpose: QTextLayout paints each extra selection
in turn, so where spans overlap the fills add up to a visibly darker band while the text,
redrawn on top of every fill, stays black and readable.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from annotator.core.model import Span, SpanStatus
from annotator.core.tagset import Tagset

UNKNOWN_COLOR = "#8c8c8c"
ERROR_KEY = "error"
# A spell-checker's red, darker than the error label's fill so the wave reads on top of it.
ERROR_WAVE_COLOR = "#c0161b"

# Alphas out of 255, tuned on screenshots: light enough that two overlapping fills still
# leave black text easy to read, strong enough that one span is obvious at a glance.
FILL_ALPHA = 72
PENDING_FILL_ALPHA = 20
CURRENT_FILL_ALPHA = 150

_UNDERLINE = QTextCharFormat.UnderlineStyle


class SpanStyler:
    """Builds (and caches) the character format of a span in a given role."""

    def __init__(self, tagset: Tagset) -> None:
        self._tagset = tagset
        self._formats: dict[tuple[str, bool, bool, bool], QTextCharFormat] = {}

    def color(self, label: str) -> QColor:
        label_def = self._tagset.get(label)
        return QColor(label_def.color if label_def is not None else UNKNOWN_COLOR)

    def label_name(self, label: str) -> str:
        label_def = self._tagset.get(label)
        return label_def.name if label_def is not None else f"{label} (not in the tagset)"

    def format(self, span: Span, *, inner: bool, current: bool) -> QTextCharFormat:
        pending = span.status == SpanStatus.PENDING
        key = (span.label, pending, inner, current)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = self._formats[key] = self._build(span.label, pending, inner, current)
        return fmt

    def _build(self, label: str, pending: bool, inner: bool, current: bool) -> QTextCharFormat:
        color = self.color(label)
        fmt = QTextCharFormat()
        fill = QColor(color)
        if current:
            fill.setAlpha(CURRENT_FILL_ALPHA)
        else:
            fill.setAlpha(PENDING_FILL_ALPHA if pending else FILL_ALPHA)
        fmt.setBackground(fill)
        # Qt draws one underline per character, so a suggestion's dashes win over the inner
        # span's line: a suggestion must never pass for an accepted span.
        if pending:
            fmt.setUnderlineStyle(_UNDERLINE.DashUnderline)
            fmt.setUnderlineColor(color.darker(135))
        elif inner:
            fmt.setUnderlineStyle(_UNDERLINE.SingleUnderline)
            fmt.setUnderlineColor(color.darker(130))
        return fmt

    def needs_wave(self, span: Span) -> bool:
        return span.label == ERROR_KEY and span.status != SpanStatus.PENDING

    def tooltip(self, spans: Sequence[Span]) -> str:
        """Rich text describing ``spans`` (innermost first)."""
        parts = []
        for span in spans:
            head = f"<b>{html.escape(self.label_name(span.label))}</b>"
            if span.status == SpanStatus.PENDING:
                head += " <i>(suggestion, not yet accepted)</i>"
            lines = [head]
            fields = (
                ("Error type", span.error_type and span.error_type.replace("_", " ")),
                ("Correction", span.correction),
                ("Note", span.note),
                ("Value", span.value),
            )
            lines += [f"{name}: {html.escape(value)}" for name, value in fields if value]
            parts.append("<br>".join(lines))
        return "<qt>" + "<hr>".join(parts) + "</qt>"


def wave_path(rect: QRectF, amplitude: float = 1.6, wavelength: float = 5.0) -> QPainterPath:
    """A spell-check wave along the bottom of ``rect``. Painted by the view rather than left
    to a WaveUnderline format: Qt's wave is a pixel high at reading sizes and an overlapping
    span's underline, drawn in the same place, hides it."""
    path = QPainterPath()
    y = rect.bottom() - amplitude - 0.5
    x, end = rect.left(), rect.right()
    path.moveTo(x, y)
    up = True
    while x < end:
        step = min(wavelength / 2, end - x)
        path.quadTo(x + step / 2, y + (-amplitude if up else amplitude) * 2, x + step, y)
        x += step
        up = not up
    return path


def inner_ids(spans: Iterable[tuple[int, int, int]]) -> set[int]:
    """Ids of spans (given as (start, end, id), sorted by start) that overlap a longer or
    earlier one: they get the underline that tells two stacked fills apart."""
    inner: set[int] = set()
    active: list[tuple[int, int, int]] = []
    for start, end, span_id in spans:
        active = [a for a in active if a[1] > start]
        for a_start, a_end, a_id in active:
            # The shorter of the two is the inner one; on a tie the later-starting one.
            if end - start <= a_end - a_start:
                inner.add(span_id)
            else:
                inner.add(a_id)
        active.append((start, end, span_id))
    return inner


_Key = tuple[int, int, int]  # (start, end, id) in code points


class SpanPainter:
    """Turns the spans near the viewport into extra selections, and paints over the text
    what a character format cannot draw well (the error wave, the current span's frame)."""

    def __init__(self, tagset: Tagset) -> None:
        self.styler = SpanStyler(tagset)
        self._cache: dict[int, tuple[Span, bool, bool, QTextEdit.ExtraSelection]] = {}
        self._wave_spans: list[Span] = []  # accepted errors among the last selections built

    def clear(self) -> None:
        """Forget built selections: their cursors belong to the text they were made for."""
        self._cache.clear()
        self._wave_spans = []

    def selections(self, edit: QPlainTextEdit, keys: list[_Key], spans: Mapping[int, Span],
                   to_utf16: Callable[[int], int],
                   current: int | None) -> list[QTextEdit.ExtraSelection]:
        """Extra selections for ``keys`` (sorted by start), outer spans before inner ones."""
        inner = inner_ids(keys)
        # Longer spans first: an inner span's underline and fill must land on top.
        ordered = sorted(keys, key=lambda k: (k[0] - k[1], k[0], k[2]))
        document = edit.document()
        selections = []
        cache: dict[int, tuple[Span, bool, bool, QTextEdit.ExtraSelection]] = {}
        self._wave_spans = []
        for start, end, span_id in ordered:
            span = spans[span_id]
            is_inner, is_current = span_id in inner, span_id == current
            cached = self._cache.get(span_id)
            if cached is not None and cached[0] is span and cached[1:3] == (is_inner, is_current):
                selection = cached[3]
            else:
                # Reused across rebuilds (the text never changes under a selection), so an
                # added span costs one new cursor, not one per span on screen.
                selection = QTextEdit.ExtraSelection()
                cursor = QTextCursor(document)
                cursor.setPosition(to_utf16(start))
                cursor.setPosition(to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
                selection.cursor = cursor
                selection.format = self.styler.format(span, inner=is_inner, current=is_current)
            cache[span_id] = (span, is_inner, is_current, selection)
            selections.append(selection)
            if self.styler.needs_wave(span):
                self._wave_spans.append(span)
        self._cache = cache
        return selections

    def paint_over(self, edit: QPlainTextEdit, current: Span | None,
                   to_utf16: Callable[[int], int]) -> None:
        """Called after the text is painted: waves under accepted errors, a frame round the
        current span (a fill alone is easy to lose among other spans)."""
        if current is None and not self._wave_spans:
            return
        painter = QPainter(edit.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        wave_pen = QPen(QColor(ERROR_WAVE_COLOR))
        wave_pen.setWidthF(1.3)
        painter.setPen(wave_pen)
        for span in self._wave_spans:
            for rect in line_rects(edit, to_utf16(span.start), to_utf16(span.end)):
                painter.drawPath(wave_path(rect))
        if current is not None:
            pen = QPen(self.styler.color(current.label).darker(150))
            pen.setWidthF(1.5)
            painter.setPen(pen)
            for rect in line_rects(edit, to_utf16(current.start), to_utf16(current.end)):
                painter.drawRoundedRect(rect.adjusted(-1.5, 0.5, 1.5, -0.5), 3, 3)
        painter.end()


def line_rects(edit: QPlainTextEdit, start: int, end: int) -> list[QRectF]:
    """One rectangle (viewport coordinates) per visual line that UTF-16 range ``start:end``
    occupies, for the lines on screen only."""
    height = edit.viewport().height()
    offset = edit.contentOffset()
    rects: list[QRectF] = []
    block = edit.document().findBlock(start)
    while block.isValid() and block.position() < end:
        geometry = edit.blockBoundingGeometry(block).translated(offset)
        if geometry.top() > height:
            break
        layout = block.layout()
        if block.isVisible() and geometry.bottom() >= 0 and layout is not None:
            base = block.position()
            for n in range(layout.lineCount()):
                line = layout.lineAt(n)
                lo = max(start, base + line.textStart())
                hi = min(end, base + line.textStart() + line.textLength())
                if lo >= hi:
                    continue
                x1, x2 = line.cursorToX(lo - base)[0], line.cursorToX(hi - base)[0]
                rects.append(QRectF(geometry.left() + min(x1, x2), geometry.top() + line.y(),
                                    abs(x2 - x1), line.height()))
        block = block.next()
    return rects
