"""Words the spelling checker doubts, drawn under the article text while reading.

These are not spans: nothing is stored until the user accepts a suggestion. So they get a
look of their own, apart from an error span's (a full-height red wave with a fill): a thin,
short wave in a lighter red, like a word processor's, which an error span drawn over the same
word still shows above it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence

from PySide6.QtCore import QPointF, QRect, QRectF
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QPlainTextEdit

from annotator.core.display_map import DisplayMap
from annotator.ui.widgets.span_colors import readable
from annotator.ui.widgets.span_geometry import Block, range_rects, visible_blocks

SPELLING_WAVE_COLOR = "#e8474c"
#: (start, end, correction) in code points of the stored text; correction may be None.
Mark = tuple[int, int, str | None]


def spelling_wave(rect: QRectF, amplitude: float = 0.9, wavelength: float = 3.0) -> QPainterPath:
    """A small wave along the very bottom of ``rect``, below an error span's wave."""
    path = QPainterPath()
    y = rect.bottom() - amplitude - 0.2
    x, end = rect.left(), rect.right()
    path.moveTo(x, y)
    up = True
    while x < end:
        step = min(wavelength / 2, end - x)
        path.quadTo(
            QPointF(x + step / 2, y + (-amplitude if up else amplitude) * 2), QPointF(x + step, y)
        )
        x += step
        up = not up
    return path


class SpellingMarks:
    """The marks of the document on show, sorted by start."""

    def __init__(self) -> None:
        self._marks: list[Mark] = []
        self._starts: list[int] = []
        #: UTF-16 (start, end) of each mark drawn by the last paint: what the user sees.
        self.painted: list[tuple[int, int]] = []

    def set(self, marks: Sequence[Mark]) -> None:
        self._marks = sorted(marks)
        self._starts = [m[0] for m in self._marks]

    def clear(self) -> None:
        self.set([])

    def marks(self) -> list[Mark]:
        return list(self._marks)

    def between(self, lo: int, hi: int) -> list[Mark]:
        """Marks starting before ``hi`` and ending after ``lo`` (words are short: a mark
        starting more than a line before ``lo`` cannot reach it)."""
        i = bisect_left(self._starts, lo - 64)
        return [m for m in self._marks[i : bisect_left(self._starts, hi)] if m[1] > lo]

    def at(self, cp: int) -> Mark | None:
        found = self.between(cp, cp + 1)
        return found[0] if found else None

    def paint(self, edit: QPlainTextEdit, rect: QRect, shown: DisplayMap, base: QColor) -> None:
        """Draw the marks on the lines of ``edit`` inside ``rect`` (viewport coordinates)."""
        self.painted = []
        if not self._marks:
            return
        blocks = visible_blocks(edit, rect)
        if not blocks:
            return
        lo = shown.from_utf16(blocks[0][0])
        hi = shown.from_utf16(min(blocks[-1][1], shown.utf16_length))
        painter = QPainter(edit.viewport())
        painter.setClipRect(rect)
        try:
            self._paint(painter, blocks, lo, hi + 1, shown.to_utf16, base)
        finally:
            painter.end()

    def _paint(
        self,
        painter: QPainter,
        blocks: Sequence[Block],
        lo: int,
        hi: int,
        to_utf16: Callable[[int], int],
        base: QColor,
    ) -> None:
        marks = self.between(lo, hi)
        starts = [block[0] for block in blocks]
        pen = QPen(readable(QColor(SPELLING_WAVE_COLOR), base))
        pen.setWidthF(1.0)
        painter.setPen(pen)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for start, end, _fix in marks:
            rects = range_rects(blocks, starts, to_utf16(start), to_utf16(end))
            for rect in rects:
                painter.drawPath(spelling_wave(rect))
            if rects:
                self.painted.append((to_utf16(start), to_utf16(end)))


def tooltip(mark: Mark) -> str:
    fix = mark[2]
    return f"Spelling: did you mean “{fix}”?" if fix else "Spelling: not in the dictionary"
