"""The curation view's lanes: the same stretch of the article once per layer, stacked so the
curator reads down the column to compare like with like ("Curated" first, then "1 alice",
"2 bob", …). Each lane fills that layer's spans in their label colours and outlines the
disagreement being settled.

Alignment comes from sameness: every lane shows the same text at the same width, font, margin
and scroll-bar policy, so its lines break at the same words and the outline sits at the same
place in every lane. Two ways to show the text:

- context (the default): the paragraph around the disagreement (a few sentences of it when
  the paragraph is long), each lane as tall as its text, nothing to scroll;
- whole article (W): the full text in every lane, scrolled together, centred on the
  disagreement.

Offsets: spans are code points into the stored text, QTextDocument counts UTF-16 units (an
emoji or a mathematical letter takes two), so every range goes through an ``OffsetMap`` of the
text shown; a lane shows a slice, so the slice's start is taken off first.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QTextEdit, QVBoxLayout, QWidget

from annotator.core.formats.tokens import sentence_bounds
from annotator.core.offsets import OffsetMap
from annotator.core.tagset import Tagset
from annotator.ui.widgets.span_colors import ERROR_KEY, ERROR_WAVE_COLOR, FILL_ALPHA, UNKNOWN_COLOR

#: The lane of the curated result (no person may be called that: it is a reserved layer).
CURATED_LANE = "curated"
#: Context longer than this (characters) is cut to the sentences around the disagreement.
CONTEXT_CHARS = 700
#: An agreed span not yet merged into the curated layer: a faint fill and a dashed underline,
#: so a preview never passes for a stored span.
PREVIEW_ALPHA = 28
OUTLINE_COLOR = "#1f1f1f"
OUTLINE_WIDTH = 2.0
WHOLE_LINES = 6  # a lane's height in whole-article mode, at least, in lines
MAX_HEIGHT = 16777215  # QWIDGETSIZE_MAX


@dataclass(frozen=True, slots=True)
class Mark:
    """One span drawn in a lane (code points into the whole text)."""

    start: int
    end: int
    label: str
    preview: bool = False


@dataclass(frozen=True, slots=True)
class LaneContent:
    header: str  # rich text
    marks: Sequence[Mark]


def context_bounds(text: str, start: int, end: int, limit: int = CONTEXT_CHARS) -> tuple[int, int]:
    """The paragraph holding ``text[start:end]``; in a longer paragraph, whole sentences
    around it while they fit in about ``limit`` characters (the disagreement itself always)."""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    hi = len(text) if hi < 0 else hi
    if hi - lo <= limit:
        return lo, hi
    sentences = [(lo + s, lo + e) for s, e in sentence_bounds(text[lo:hi])]
    inside = [i for i, (s, e) in enumerate(sentences) if e > start and s < end]
    if not inside:
        return max(lo, start - limit // 2), min(hi, end + limit // 2)
    first, last = inside[0], inside[-1]
    a, b = min(sentences[first][0], start), max(sentences[last][1], end)
    grew = True
    while grew:  # one sentence before, then one after, while the window allows
        grew = False
        if first > 0 and b - sentences[first - 1][0] <= limit:
            first -= 1
            a, grew = sentences[first][0], True
        if last + 1 < len(sentences) and sentences[last + 1][1] - a <= limit:
            last += 1
            b, grew = sentences[last][1], True
    return a, b


class LaneText(QTextEdit):
    """Read-only text of one lane; fills by extra selections, the outline painted on top."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.setObjectName(f"laneText_{name}")
        self.setReadOnly(True)
        # Selectable by keyboard so a curator can read a lane with the caret (Enter on the
        # list comes here); Tab moves on to the next lane instead of typing a tab.
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setTabChangesFocus(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self._text = ""
        self._base = 0
        self._map = OffsetMap("")
        self._labels: list[str] = []
        self._outline: tuple[int, int] | None = None
        self._fit = True
        self.set_fit(True)

    def set_fit(self, fit: bool) -> None:
        """Context mode: as tall as the text. Whole article: scrolls (bar always shown so the
        width, and with it every line break, is the same in all lanes)."""
        self._fit = fit
        policy = Qt.ScrollBarPolicy
        self.setVerticalScrollBarPolicy(
            policy.ScrollBarAlwaysOff if fit else policy.ScrollBarAlwaysOn
        )
        if fit:
            self._fit_height()
        else:
            self.setMinimumHeight(self.fontMetrics().lineSpacing() * WHOLE_LINES)
            self.setMaximumHeight(MAX_HEIGHT)

    def show_text(
        self,
        text: str,
        base: int,
        marks: Sequence[tuple[Mark, QTextCharFormat]],
        outline: tuple[int, int] | None,
    ) -> None:
        if (text, base) != (self._text, self._base):
            self._text, self._base, self._map = text, base, OffsetMap(text)
            self.setPlainText(text)
        selections, labels = [], []
        for mark, fmt in marks:
            span = self._local(mark.start, mark.end)
            if span is None:
                continue
            selection = QTextEdit.ExtraSelection()
            selection.cursor = self._cursor(*span)  # type: ignore[attr-defined]
            selection.format = fmt  # type: ignore[attr-defined]
            selections.append(selection)
            labels.append(mark.label)
        self._labels = labels
        self.setExtraSelections(selections)
        self._outline = self._local(*outline) if outline else None
        self._fit_height()
        self.viewport().update()

    def _local(self, start: int, end: int) -> tuple[int, int] | None:
        """A whole-text code-point range as UTF-16 positions in this lane's slice."""
        lo, hi = max(start, self._base) - self._base, min(end, self._base + len(self._text))
        hi -= self._base
        if lo >= hi:
            return None
        return self._map.to_utf16(lo), self._map.to_utf16(hi)

    def _cursor(self, lo: int, hi: int) -> QTextCursor:
        cursor = QTextCursor(self.document())
        cursor.setPosition(lo)
        cursor.setPosition(hi, QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def painted(self) -> list[tuple[int, int, str, str]]:
        """What the lane fills, read back from Qt: (start, end) as code points into the whole
        text, the label, and the characters Qt covers (tests compare them with the span)."""
        found = []
        for selection, label in zip(self.extraSelections(), self._labels, strict=True):
            cursor = selection.cursor  # type: ignore[attr-defined]
            found.append(
                (
                    self._map.from_utf16(cursor.selectionStart()) + self._base,
                    self._map.from_utf16(cursor.selectionEnd()) + self._base,
                    label,
                    cursor.selectedText(),
                )
            )
        return found

    def outline_rects(self) -> list[QRectF]:
        """The outline's boxes in viewport coordinates, one per line it spans."""
        if self._outline is None:
            return []
        lo, hi = self._outline
        doc = self.document()
        layout = doc.documentLayout()
        shift = QPointF(-self.horizontalScrollBar().value(), -self.verticalScrollBar().value())
        rects = []
        block = doc.findBlock(lo)
        while block.isValid() and block.position() < hi:
            origin = layout.blockBoundingRect(block).topLeft() + shift
            text_layout, at = block.layout(), block.position()
            for n in range(text_layout.lineCount()):
                line = text_layout.lineAt(n)
                a = max(lo - at, line.textStart())
                b = min(hi - at, line.textStart() + line.textLength())
                if a < b:
                    # PySide returns (x, position) for cursorToX.
                    x1 = line.cursorToX(a)[0]  # type: ignore[index]
                    x2 = line.cursorToX(b)[0]  # type: ignore[index]
                    rects.append(
                        QRectF(min(x1, x2), line.y(), abs(x2 - x1), line.height()).translated(
                            origin
                        )
                    )
            block = block.next()
        return rects

    def outline_top(self) -> float:
        """Where the outline starts, in document coordinates (for centring)."""
        rects = self.outline_rects()
        return rects[0].top() + self.verticalScrollBar().value() if rects else 0.0

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        rects = self.outline_rects()
        if not rects:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(OUTLINE_COLOR), OUTLINE_WIDTH))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for rect in rects:
            painter.drawRoundedRect(rect.adjusted(-2, -1, 2, 1), 3, 3)
        painter.end()

    def _fit_height(self) -> None:
        if not self._fit:
            return
        doc = self.document()
        doc.setTextWidth(self.viewport().width())
        height = math.ceil(doc.size().height()) + 2 * self.frameWidth()
        if self.height() != height or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        lane = self.parentWidget()
        if isinstance(lane, Lane):
            lane.setProperty("focused", True)
            lane.setStyleSheet(lane.styleSheet())  # re-polish: the frame shows the focus

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        lane = self.parentWidget()
        if isinstance(lane, Lane):
            lane.setProperty("focused", False)
            lane.setStyleSheet(lane.styleSheet())


class Lane(QFrame):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.setObjectName(f"lane_{name}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet('Lane[focused="true"] { border: 2px solid palette(highlight); }')
        self.header = QLabel()
        self.header.setObjectName(f"laneHeader_{name}")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.text = LaneText(name, self)
        self.text.setAccessibleName(f"{'Curated' if name == CURATED_LANE else name} lane")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(3)
        layout.addWidget(self.header)
        layout.addWidget(self.text)


class LanesPanel(QScrollArea):
    """The lanes, one per layer, in the order given (the curated lane first)."""

    def __init__(self, tagset: Tagset, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("curationLanes")
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._tagset = tagset
        self._inner = QWidget()
        self._layout = QVBoxLayout(self._inner)
        self._layout.setContentsMargins(4, 4, 4, 4)
        self.setWidget(self._inner)
        self.lanes: dict[str, Lane] = {}
        self.whole = False
        self._syncing = False
        self._formats: dict[tuple[str, bool], QTextCharFormat] = {}

    def set_names(self, names: Sequence[str], *, force: bool = False) -> None:
        """Rebuild the lanes when the layers differ (another document) or the mode changed."""
        if list(self.lanes) == list(names) and not force:
            return
        for lane in self.lanes.values():
            lane.hide()
            lane.deleteLater()
        self.lanes = {}
        while self._layout.count():
            self._layout.takeAt(0)
        for name in names:
            lane = Lane(name, self._inner)
            lane.text.set_fit(not self.whole)
            lane.text.verticalScrollBar().valueChanged.connect(
                lambda value, name=name: self._scrolled(name, value)
            )
            # Whole article: the lanes share the height. Context: each as tall as its text.
            self._layout.addWidget(lane, 1 if self.whole else 0)
            self.lanes[name] = lane
        if not self.whole:
            self._layout.addStretch(1)

    def set_whole(self, whole: bool) -> None:
        if whole != self.whole:
            self.whole = whole
            self.set_names(list(self.lanes), force=True)

    def show_lanes(
        self, text: str, extent: tuple[int, int] | None, contents: Mapping[str, LaneContent]
    ) -> None:
        if self.whole or extent is None:
            lo, hi = 0, len(text)
        else:
            lo, hi = context_bounds(text, *extent)
        for name, lane in self.lanes.items():
            content = contents.get(name, LaneContent("", ()))
            lane.header.setText(content.header)
            lane.text.show_text(
                text[lo:hi], lo, [(m, self._format(m)) for m in content.marks], extent
            )
        if self.whole and extent is not None:
            self._centre()
            # Lanes built just now get their size only when the scroll area lays them out:
            # centre again then, or a fresh whole-article view would open at the top.
            QTimer.singleShot(0, self, self._centre)

    def _format(self, mark: Mark) -> QTextCharFormat:
        key = (mark.label, mark.preview)
        fmt = self._formats.get(key)
        if fmt is None:
            label = self._tagset.get(mark.label)
            color = QColor(label.color if label is not None else UNKNOWN_COLOR)
            fill = QColor(color)
            fill.setAlpha(PREVIEW_ALPHA if mark.preview else FILL_ALPHA + 20)
            fmt = QTextCharFormat()
            fmt.setBackground(fill)
            if mark.preview:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
                fmt.setUnderlineColor(color.darker(135))
            elif mark.label == ERROR_KEY:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
                fmt.setUnderlineColor(QColor(ERROR_WAVE_COLOR))
            self._formats[key] = fmt
        return fmt

    def _centre(self) -> None:
        first = next(iter(self.lanes.values()), None)
        if first is None:
            return
        bar = first.text.verticalScrollBar()
        target = int(first.text.outline_top() - first.text.viewport().height() / 3)
        bar.setValue(max(bar.minimum(), min(bar.maximum(), target)))
        self._scrolled(first.name, bar.value())

    def _scrolled(self, source: str, value: int) -> None:
        """Whole-article lanes scroll together: the same lines face each other."""
        if self._syncing or not self.whole:
            return
        self._syncing = True
        try:
            for name, lane in self.lanes.items():
                if name != source:
                    lane.text.verticalScrollBar().setValue(value)
        finally:
            self._syncing = False

    def focused_lane(self) -> str | None:
        for name, lane in self.lanes.items():
            if lane.text.hasFocus():
                return name
        return None

    def focus_lane(self, name: str | None = None) -> bool:
        """Into a lane: ``name``'s, else the first annotator's (the curated one if alone)."""
        if name not in self.lanes:
            name = next((n for n in self.lanes if n != CURATED_LANE), None)
            name = name or next(iter(self.lanes), None)
        if name is None:
            return False
        self.lanes[name].text.setFocus(Qt.FocusReason.OtherFocusReason)
        return True
