"""How spans look in the article view: fills, underlines, the error wave, the current span's
frame and tooltips.

Kept apart from the view so the look can be tuned without touching offsets, the span index
or event handling. Fills are translucent on purpose: they are painted one after another
before the text, so where spans overlap they add up to a visibly darker band while the text,
drawn on top of every fill, stays black and readable.

The look is split by what it holds: ``span_colors`` (colours and contrast), ``span_styler``
(a span's format and tooltip, by layer and lane) and ``span_geometry`` (where a range sits on
screen); this module draws. Their public names stay importable from here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QTextCharFormat,
)

from annotator.core.model import Span
from annotator.core.tagset import Tagset
from annotator.ui.models.span_layers import Look
from annotator.ui.widgets.span_colors import (
    CURRENT_FILL_ALPHA,
    DARK_FILL_SCALE,
    ERROR_KEY,
    ERROR_WAVE_COLOR,
    FILL_ALPHA,
    HATCH_ALPHA,
    MIN_LINE_CONTRAST,
    OUTLINE_ALPHA,
    PENDING_FILL_ALPHA,
    PERSON_COLORS,
    UNKNOWN_COLOR,
    contrast_ratio,
    is_dark,
    luminance,
    person_color,
    readable,
)
from annotator.ui.widgets.span_geometry import (
    Block,
    Item,
    LineRects,
    range_rects,
    visible_blocks,
)
from annotator.ui.widgets.span_styler import (
    LANE_PROPERTY,
    LOOK_PROPERTY,
    SpanStyler,
    inner_ids,
    lanes,
)

__all__ = [
    "CURATED_BAR_HEIGHT",
    "CURRENT_FILL_ALPHA",
    "DARK_FILL_SCALE",
    "ERROR_KEY",
    "ERROR_WAVE_COLOR",
    "FILL_ALPHA",
    "HATCH_ALPHA",
    "LANE_PROPERTY",
    "LOOK_PROPERTY",
    "MIN_LINE_CONTRAST",
    "OUTLINE_ALPHA",
    "PENDING_FILL_ALPHA",
    "PENDING_LINE_SCALE",
    "PERSON_BAR_WIDTH",
    "PERSON_COLORS",
    "UNKNOWN_COLOR",
    "Block",
    "Item",
    "LineRects",
    "SpanPainter",
    "SpanStyler",
    "contrast_ratio",
    "inner_ids",
    "is_dark",
    "lanes",
    "luminance",
    "person_color",
    "range_rects",
    "readable",
    "visible_blocks",
    "wave_path",
]

# A suggestion's dashes are this many times the font's line width: thin dashes get lost.
PENDING_LINE_SCALE = 2.0
PERSON_BAR_WIDTH = 3.0
CURATED_BAR_HEIGHT = 2.0

_UNDERLINE = QTextCharFormat.UnderlineStyle
_Key = tuple[int, int, int]  # (start, end, id) in code points


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


class SpanPainter:
    """Paints the spans on screen straight onto the viewport: the fills under the text, then
    over it what sits on top (underlines, the error wave, the current span's frame).

    No extra selections: QPlainTextEdit walks every one of them for every block it paints,
    and rebuilding them on each change costs a full relayout of the selection list. Here a
    paint only looks at the spans inside the exposed rectangle."""

    def __init__(self, tagset: Tagset) -> None:
        self.styler = SpanStyler(tagset)
        self._geometry: LineRects = {}
        self._geometry_stamp: object = None

    def layout_changed(self, stamp: object) -> None:
        """Forget cached span geometry unless ``stamp`` (what the layout depends on: the text,
        the wrap width, the font) is the one it was computed under."""
        if stamp != self._geometry_stamp:
            self._geometry.clear()
            self._geometry_stamp = stamp

    def items(
        self,
        blocks: Sequence[Block],
        keys: list[_Key],
        spans: Mapping[int, Span],
        to_utf16: Callable[[int], int],
        current: int | None,
    ) -> list[Item]:
        """What ``keys`` (sorted by start) look like in ``blocks``, outer spans first."""
        inner = inner_ids(keys)
        lane_of = lanes(keys)
        # Longer spans first: an inner span's fill and underline must land on top.
        ordered = sorted(keys, key=lambda k: (k[0] - k[1], k[0], k[2]))
        starts = [block[0] for block in blocks]
        items: list[Item] = []
        for start, end, span_id in ordered:
            span = spans[span_id]
            is_current = span_id == current
            fmt = self.styler.format(
                span, inner=span_id in inner, current=is_current, lane=lane_of.get(span_id, -1)
            )
            rects = range_rects(blocks, starts, to_utf16(start), to_utf16(end), self._geometry)
            items.append((span, fmt, rects, is_current))
        return items

    def paint_under(self, painter: QPainter, items: Sequence[Item]) -> None:
        """The translucent fills and hatching, before the text: where spans overlap they add
        up darker."""
        painter.setPen(Qt.PenStyle.NoPen)
        for _span, fmt, rects, _current in items:
            brush = fmt.background()
            for rect in rects:
                painter.fillRect(rect, brush)

    def paint_over(self, painter: QPainter, items: Sequence[Item], font: QFont) -> None:
        """After the text: inner spans' underlines, suggestions' dashes, waves under accepted
        errors, and a frame round the current span (a fill alone is easy to lose)."""
        metrics = QFontMetricsF(font)
        width = max(1.0, metrics.lineWidth())
        below = metrics.ascent() + metrics.underlinePos() + width / 2
        painter.setBrush(Qt.BrushStyle.NoBrush)
        thick = width * PENDING_LINE_SCALE
        # Lanes stack downwards from the usual underline position, each a thick line apart.
        gap = thick + max(1.0, width)
        lined = [
            (fmt.underlineStyle(), fmt, rects)
            for _span, fmt, rects, _current in items
            if rects and fmt.underlineStyle() != _UNDERLINE.NoUnderline
        ]
        # Solid lines first, dashes last: a suggestion must never pass for an accepted span.
        for wanted in (_UNDERLINE.SingleUnderline, _UNDERLINE.DashUnderline):
            for style, fmt, rects in lined:
                if style != wanted:
                    continue
                pen = QPen(fmt.underlineColor())
                dashed = wanted == _UNDERLINE.DashUnderline
                pen.setWidthF(thick if dashed else width)
                pen.setCapStyle(Qt.PenCapStyle.FlatCap)
                if dashed:
                    pen.setStyle(Qt.PenStyle.CustomDashLine)
                    pen.setDashPattern([2.5, 1.5])
                painter.setPen(pen)
                lane = fmt.property(LANE_PROPERTY)
                drop = gap * lane if isinstance(lane, int) and lane > 0 else 0.0
                for rect in rects:
                    y = min(rect.top() + below + drop, rect.bottom() - pen.widthF() / 2)
                    painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
        self._paint_layer_marks(painter, items, width)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        wave_pen = QPen(readable(QColor(ERROR_WAVE_COLOR), self.styler.base))
        wave_pen.setWidthF(1.3)
        painter.setPen(wave_pen)
        for span, _fmt, rects, _current in items:
            if self.styler.needs_wave(span):
                for rect in rects:
                    painter.drawPath(wave_path(rect))
        for span, _fmt, rects, is_current in items:
            if is_current:
                frame = self.styler.color(span.label)
                base = self.styler.base
                frame = frame.lighter(150) if is_dark(base) else frame.darker(150)
                pen = QPen(readable(frame, base))
                pen.setWidthF(1.5)
                painter.setPen(pen)
                for rect in rects:
                    painter.drawRoundedRect(rect.adjusted(-1.5, 0.5, 1.5, -0.5), 3, 3)

    def _paint_layer_marks(self, painter: QPainter, items: Sequence[Item], width: float) -> None:
        """A colleague's outline and person bar, the curated layer's top bar."""
        for span, fmt, rects, _current in items:
            if not rects:
                continue
            look = fmt.property(LOOK_PROPERTY)
            if look == Look.COLLEAGUE.value:
                outline = readable(self.styler.color(span.label), self.styler.base, 2.0)
                outline.setAlpha(OUTLINE_ALPHA)
                pen = QPen(outline)
                pen.setWidthF(width)
                painter.setPen(pen)
                for rect in rects:
                    painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
                # Before the first letter, in the gap a word leaves, not over a glyph.
                first = rects[0]
                painter.fillRect(
                    QRectF(
                        first.left() - PERSON_BAR_WIDTH - 0.5,
                        first.top(),
                        PERSON_BAR_WIDTH,
                        first.height(),
                    ),
                    person_color(span.layer or ""),
                )
            elif look == Look.CURATED.value:
                bar = self.styler.line_color(span.label)
                for rect in rects:
                    painter.fillRect(
                        QRectF(rect.left(), rect.top(), rect.width(), CURATED_BAR_HEIGHT), bar
                    )
