"""How one span is drawn, as a character format (fill, underline, look and lane), and what
its tooltip says.

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
same characters, read as two tags at a glance.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QTextCharFormat, QTextFormat

from annotator.core.model import Span, SpanStatus
from annotator.core.tagset import Tagset
from annotator.ui.models.span_layers import Look, look_of, who
from annotator.ui.widgets.span_colors import (
    CURRENT_FILL_ALPHA,
    DARK_FILL_SCALE,
    ERROR_KEY,
    FILL_ALPHA,
    HATCH_ALPHA,
    PENDING_FILL_ALPHA,
    UNKNOWN_COLOR,
    is_dark,
    readable,
)

#: The format property holding a span's ``Look`` value (tests and tools read it back).
LOOK_PROPERTY = QTextFormat.Property.UserProperty + 1
#: The format property holding the lane of an overlapping span's underline (absent: none).
LANE_PROPERTY = QTextFormat.Property.UserProperty + 2

_UNDERLINE = QTextCharFormat.UnderlineStyle


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

    def format(self, span: Span, *, inner: bool, current: bool, lane: int = -1) -> QTextCharFormat:
        look = self.look(span)
        key = (span.label, look, inner, current, lane)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = self._formats[key] = self._build(span.label, look, inner, current, lane)
        return fmt

    def _build(
        self, label: str, look: Look, inner: bool, current: bool, lane: int
    ) -> QTextCharFormat:
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
