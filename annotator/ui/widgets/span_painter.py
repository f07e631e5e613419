"""How spans look in the article view: fills, underlines, the error wave, the current span's
frame and tooltips.

Kept apart from the view so the look can be tuned without touching offsets, the span index
or event handling. Fills are translucent on purpose: they are painted one after another
before the text, so where spans overlap they add up to a visibly darker band while the text,
drawn on top of every fill, stays black and readable.

Whose layer a span is in changes how it is drawn (``span_layers.Look``), so that in shared
mode the user's own work never blends with a colleague's on the same words:

- own: a filled band in the label colour (the look every span had before layers);
- a colleague's: hatching and a thin outline in the label colour, no fill, and a short bar
  before the first letter in a colour of that person's own;
- the curated layer: a fill with a bar along the top, a settled result;
- a pending suggestion: a lighter fill than an accepted span and a thick dashed underline
  in a shade of the label colour that stands out from the page (``readable``), whoever ran
  Suggest.

Where spans overlap, each of them gets a lane: its own underline under the text, one below
the other (``lanes``), so an error inside an athlete's name, or an athlete and an error on the
same characters, read as two tags at a glance. Line colours are shaded against the page colour
(``SpanStyler.base``), so they keep a 3:1 contrast in a light and a dark palette alike.
"""

from __future__ import annotations

import html
import zlib
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QTextCharFormat,
    QTextFormat,
    QTextLayout,
)
from PySide6.QtWidgets import QPlainTextEdit

from annotator.core.model import Span, SpanStatus
from annotator.core.tagset import Tagset
from annotator.ui.models.span_layers import Look, look_of, who

UNKNOWN_COLOR = "#8c8c8c"
ERROR_KEY = "error"
# A spell-checker's red, darker than the error label's fill so the wave reads on top of it.
ERROR_WAVE_COLOR = "#c0161b"

# Alphas out of 255, tuned on screenshots: light enough that two overlapping fills still
# leave black text easy to read, strong enough that one span is obvious at a glance.
FILL_ALPHA = 72
# A suggestion's tint: visible on its own, still under half an accepted span's.
PENDING_FILL_ALPHA = 34
CURRENT_FILL_ALPHA = 150
# On a dark page fills are scaled up by this much (tuned on screenshots of the dark theme).
DARK_FILL_SCALE = 1.5
# A colleague's hatching: its lines are thin, so they take a stronger alpha than a fill to
# read at all; the current one (selected) is hatched denser rather than filled, so it stays
# a colleague's.
HATCH_ALPHA = 150
OUTLINE_ALPHA = 170

#: The format property holding a span's ``Look`` value (tests and tools read it back).
LOOK_PROPERTY = QTextFormat.Property.UserProperty + 1
#: The format property holding the lane of an overlapping span's underline (absent: none).
LANE_PROPERTY = QTextFormat.Property.UserProperty + 2
#: WCAG contrast every line drawn for a span keeps against the page (3:1 is the minimum for
#: graphics; a margin over it survives antialiasing).
MIN_LINE_CONTRAST = 3.5
# A suggestion's dashes are this many times the font's line width: thin dashes get lost.
PENDING_LINE_SCALE = 2.0
# Colours for the bar before a colleague's span, one per person (by a stable hash of the
# name): muted so they never pass for a label colour.
PERSON_COLORS = ("#4a5a8c", "#8c5a2e", "#2e7d6e", "#7a3f7a", "#6b6b2a", "#a23b5a")
PERSON_BAR_WIDTH = 3.0
CURATED_BAR_HEIGHT = 2.0

_UNDERLINE = QTextCharFormat.UnderlineStyle


def luminance(color: QColor) -> float:
    """WCAG relative luminance of ``color`` (alpha ignored)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF())
            + 0.0722 * channel(color.blueF()))


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two opaque colours, 1 (same) to 21 (black on white)."""
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def is_dark(base: QColor) -> bool:
    """A page on which black text would be hard to read: lines get lighter, not darker."""
    return contrast_ratio(base, QColor("white")) > contrast_ratio(base, QColor("black"))


_READABLE: dict[tuple[int, int, float], QColor] = {}


def readable(color: QColor, base: QColor, minimum: float = MIN_LINE_CONTRAST) -> QColor:
    """``color`` mixed towards black (a light page) or white (a dark one), just enough to
    keep ``minimum`` contrast against ``base``: the label's hue, never a pale yellow on white."""
    key = (color.rgb(), base.rgb(), minimum)
    found = _READABLE.get(key)
    if found is None:
        target = QColor("white") if is_dark(base) else QColor("black")
        found = QColor(color)
        found.setAlpha(255)
        step = 0
        while contrast_ratio(found, base) < minimum and step < 20:
            step += 1
            t = step / 20
            found = QColor.fromRgbF(color.redF() + (target.redF() - color.redF()) * t,
                                    color.greenF() + (target.greenF() - color.greenF()) * t,
                                    color.blueF() + (target.blueF() - color.blueF()) * t)
        _READABLE[key] = found
    return QColor(found)


def lanes(spans: Iterable[tuple[int, int, int]]) -> dict[int, int]:
    """A lane (0, 1, …) for every span (given as (start, end, id), sorted by start) that
    overlaps another: overlapping spans never share one, so each draws its own underline.
    Spans that overlap nothing get none (an accepted span alone needs no line)."""
    lane_of: dict[int, int] = {}
    active: list[tuple[int, int]] = []  # (end, id)
    for start, end, span_id in spans:
        active = [a for a in active if a[0] > start]
        if active:
            taken = {lane_of.get(a_id, 0) for _a_end, a_id in active}
            for _a_end, a_id in active:
                lane_of.setdefault(a_id, 0)
            lane = 0
            while lane in taken:
                lane += 1
            lane_of[span_id] = lane
        active.append((end, span_id))
    return lane_of


def person_color(name: str) -> QColor:
    """The same colour for a person in every window and session (``hash`` is salted)."""
    return QColor(PERSON_COLORS[zlib.crc32(name.encode()) % len(PERSON_COLORS)])


class SpanStyler:
    """Builds (and caches) the character format of a span in a given role."""

    def __init__(self, tagset: Tagset) -> None:
        self._tagset = tagset
        self._formats: dict[tuple[str, Look, bool, bool, int], QTextCharFormat] = {}
        #: Whose layer counts as "own" (None: every span is drawn as own).
        self.viewer: str | None = None
        #: The page colour lines are shaded against (``set_base``).
        self.base = QColor("white")

    def set_base(self, base: QColor) -> bool:
        """Shade lines against ``base`` (the view's page colour); True if that changed."""
        if QColor(base).rgb() == self.base.rgb():
            return False
        self.base = QColor(base)
        self._formats.clear()
        return True

    def look(self, span: Span) -> Look:
        return look_of(span, self.viewer)

    def color(self, label: str) -> QColor:
        label_def = self._tagset.get(label)
        return QColor(label_def.color if label_def is not None else UNKNOWN_COLOR)

    def label_name(self, label: str) -> str:
        label_def = self._tagset.get(label)
        return label_def.name if label_def is not None else f"{label} (not in the tagset)"

    def line_color(self, label: str) -> QColor:
        """The label colour shaded to stand out from the page: underlines, frames."""
        return readable(self.color(label), self.base)

    def format(self, span: Span, *, inner: bool, current: bool,
               lane: int = -1) -> QTextCharFormat:
        look = self.look(span)
        key = (span.label, look, inner, current, lane)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = self._formats[key] = self._build(span.label, look, inner, current, lane)
        return fmt

    def _build(self, label: str, look: Look, inner: bool, current: bool,
               lane: int) -> QTextCharFormat:
        color = self.color(label)
        pending = look is Look.PENDING
        fmt = QTextCharFormat()
        fmt.setProperty(LOOK_PROPERTY, look.value)
        if lane >= 0:
            fmt.setProperty(LANE_PROPERTY, lane)
        fill = QColor(color)
        if look is Look.COLLEAGUE:
            fill.setAlpha(255 if current else HATCH_ALPHA)
            style = Qt.BrushStyle.Dense6Pattern if current else Qt.BrushStyle.BDiagPattern
            fmt.setBackground(QBrush(fill, style))
        else:
            if current:
                alpha = CURRENT_FILL_ALPHA
            else:
                alpha = PENDING_FILL_ALPHA if pending else FILL_ALPHA
            if is_dark(self.base):
                # Label colours glow less over a dark page: a stronger tint reads the same.
                alpha = min(255, round(alpha * DARK_FILL_SCALE))
            fill.setAlpha(alpha)
            fmt.setBackground(fill)
        # Qt draws one underline per character, so a suggestion's dashes win over the inner
        # span's line: a suggestion must never pass for an accepted span.
        if pending:
            fmt.setUnderlineStyle(_UNDERLINE.DashUnderline)
            fmt.setUnderlineColor(self.line_color(label))
        elif inner or lane >= 0:
            fmt.setUnderlineStyle(_UNDERLINE.SingleUnderline)
            fmt.setUnderlineColor(self.line_color(label))
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
            elif self.viewer is not None and span.layer is not None:
                head += f" · {html.escape(who(span, self.viewer))}"
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
# A block on screen: (utf16 position, utf16 end incl. separator, left, top, layout).
Block = tuple[int, int, float, float, QTextLayout]
# What one span looks like on screen: (span, format, rects in viewport coordinates, current).
Item = tuple[Span, QTextCharFormat, list[QRectF], bool]


def visible_blocks(edit: QPlainTextEdit, rect: QRect) -> list[Block]:
    """The laid-out blocks of ``edit`` that intersect ``rect`` (viewport coordinates)."""
    offset = edit.contentOffset()
    top, bottom = rect.top(), rect.bottom()
    blocks: list[Block] = []
    block = edit.firstVisibleBlock()
    while block.isValid():
        geometry = edit.blockBoundingGeometry(block).translated(offset)
        if geometry.top() > bottom:
            break
        if block.isVisible() and geometry.bottom() >= top:
            layout = block.layout()
            if layout is not None and layout.lineCount():
                position = block.position()
                blocks.append((position, position + block.length(), geometry.left(),
                               geometry.top(), layout))
        block = block.next()
    return blocks


#: Where a range sits inside one block, relative to the block's top left: (x, y, w, h) per
#: visual line, keyed by (block position, start, end) in UTF-16 units within the block.
LineRects = dict[tuple[int, int, int], list[tuple[float, float, float, float]]]


def range_rects(blocks: Sequence[Block], starts: Sequence[int], start: int,
                end: int, cache: LineRects | None = None) -> list[QRectF]:
    """One rectangle per visual line that UTF-16 range ``start:end`` occupies in ``blocks``
    (whose positions are ``starts``). ``cache`` keeps the in-block geometry between paints:
    asking a layout where a range lies costs tens of Qt calls per span, and a block's lines
    do not move unless the text, width or font changes (the owner clears it then)."""
    rects: list[QRectF] = []
    for index in range(max(0, bisect_right(starts, start) - 1), len(blocks)):
        position, block_end, left, top, layout = blocks[index]
        if position >= end:
            break
        lo, hi = max(start, position) - position, min(end, block_end) - position
        if lo >= hi:
            continue
        key = (position, lo, hi)
        local = cache.get(key) if cache is not None else None
        if local is None:
            local = _line_rects(layout, lo, hi)
            if cache is not None:
                cache[key] = local
        rects.extend(QRectF(left + x, top + y, w, h) for x, y, w, h in local)
    return rects


def _line_rects(layout: QTextLayout, lo: int, hi: int) -> list[tuple[float, float, float, float]]:
    local = []
    n = max(0, layout.lineForTextPosition(lo).lineNumber())
    count = layout.lineCount()
    while n < count:
        line = layout.lineAt(n)
        line_start = line.textStart()
        if line_start >= hi:
            break
        a, b = max(lo, line_start), min(hi, line_start + line.textLength())
        if a < b:
            x1, x2 = line.cursorToX(a)[0], line.cursorToX(b)[0]
            local.append((min(x1, x2), line.y(), abs(x2 - x1), line.height()))
        n += 1
    return local


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

    def items(self, blocks: Sequence[Block], keys: list[_Key], spans: Mapping[int, Span],
              to_utf16: Callable[[int], int], current: int | None) -> list[Item]:
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
            fmt = self.styler.format(span, inner=span_id in inner, current=is_current,
                                     lane=lane_of.get(span_id, -1))
            rects = range_rects(blocks, starts, to_utf16(start), to_utf16(end),
                                self._geometry)
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
        lined = [(fmt.underlineStyle(), fmt, rects) for _span, fmt, rects, _current in items
                 if rects and fmt.underlineStyle() != _UNDERLINE.NoUnderline]
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
                painter.fillRect(QRectF(first.left() - PERSON_BAR_WIDTH - 0.5, first.top(),
                                        PERSON_BAR_WIDTH, first.height()),
                                 person_color(span.layer or ""))
            elif look == Look.CURATED.value:
                bar = self.styler.line_color(span.label)
                for rect in rects:
                    painter.fillRect(QRectF(rect.left(), rect.top(), rect.width(),
                                            CURATED_BAR_HEIGHT), bar)
