"""Where the article view scrolls to: a span jumped to is centred rather than left on the
edge line, and the current span stays put across a re-wrap (a window, dock or splitter resize).

QPlainTextEdit scrolls by visual lines: its scroll bar's value is the number of the first
line shown. After a re-wrap it only knows the line counts of blocks it has laid out again
(the rest count one line each), so a scroll by pixels lands wrong; lines are counted here on
blocks laid out first, from the target up to the top of the viewport.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

#: A span this many lines or fewer from the top or bottom edge is centred when jumped to:
#: on the edge line the sentence around it, which the fact-checker must read, is cut off.
EDGE_LINES = 2


@dataclass(frozen=True)
class Anchor:
    """A position the reader was looking at, and how far down the viewport it sat."""

    position: int  # UTF-16
    y: int  # top of its line in viewport coordinates before the re-wrap


def _rect_at(view: QPlainTextEdit, position: int) -> QRect:
    cursor = QTextCursor(view.document())
    cursor.setPosition(min(max(0, position), view.document().characterCount() - 1))
    return view.cursorRect(cursor)


def _line_height(view: QPlainTextEdit) -> int:
    return max(1, view.fontMetrics().lineSpacing())


def range_rect(view: QPlainTextEdit, start: int, end: int) -> QRect:
    """From the top of ``start``'s line to the bottom of ``end``'s (UTF-16, viewport)."""
    return _rect_at(view, start).united(_rect_at(view, end))


def near_edge(view: QPlainTextEdit, rect: QRect, lines: int = EDGE_LINES) -> bool:
    """Whether ``rect`` is out of view or within ``lines`` lines of the top or bottom edge."""
    margin = lines * _line_height(view)
    viewport = view.viewport().rect()
    return rect.top() < viewport.top() + margin or rect.bottom() > viewport.bottom() - margin


def scroll_to(view: QPlainTextEdit, position: int, y: int) -> None:
    """Scroll so the line holding ``position`` (UTF-16) has its top near ``y`` (viewport
    coordinates), as near as the document's start and end allow."""
    line = _line_height(view)
    doc = view.document()
    layout = doc.documentLayout()
    block = doc.findBlock(position)
    if not block.isValid():
        return
    layout.blockBoundingRect(block)  # lays the block out: its line count is then exact
    line_in_block = max(0, block.layout().lineForTextPosition(position - block.position())
                        .lineNumber())  # fmt: skip
    above = max(0, y // line)  # whole lines to show above the target line
    top, top_line = block, line_in_block - above
    while top_line < 0 and top.previous().isValid():
        top = top.previous()
        layout.blockBoundingRect(top)
        top_line += top.lineCount()
    bar = view.verticalScrollBar()
    bar.setValue(top.firstLineNumber() + max(0, top_line))
    # Margins and the first block's offset are not whole lines: settle on the nearest one.
    for _ in range(4):
        dy = _rect_at(view, position).top() - y
        if abs(dy) <= line // 2:
            return
        before = bar.value()
        bar.setValue(before + (1 if dy > 0 else -1))
        if bar.value() == before:
            return


def centre_range(view: QPlainTextEdit, start: int, end: int) -> None:
    """Scroll so the lines of ``start:end`` sit in the middle of the viewport; a range taller
    than the viewport starts at its top, so the span's beginning is what is read first."""
    viewport = view.viewport().rect()
    rect = range_rect(view, start, end)
    if rect.height() >= viewport.height() - 2 * _line_height(view):
        scroll_to(view, start, viewport.top() + _line_height(view))
        return
    scroll_to(view, start, viewport.center().y() - rect.height() // 2)


def reveal_range(view: QPlainTextEdit, start: int, end: int) -> None:
    """A jump to ``start:end``: left where it is when comfortably inside the viewport (the
    text does not move under the reader's eyes), centred when out of view or near an edge."""
    if near_edge(view, range_rect(view, start, end)):
        centre_range(view, start, end)


def anchor(view: QPlainTextEdit, position: int | None, grown: int = 0) -> Anchor | None:
    """Remember ``position`` (UTF-16) before a re-wrap, if the reader could see it before
    the viewport's height changed by ``grown`` pixels; a span scrolled out of sight on
    purpose is not pulled back by a resize."""
    if position is None:
        return None
    rect = _rect_at(view, position)
    viewport = view.viewport().rect()
    if rect.bottom() < viewport.top() or rect.top() > viewport.bottom() - grown:
        return None
    return Anchor(position, rect.top())


def restore(view: QPlainTextEdit, kept: Anchor | None) -> None:
    """After a re-wrap: put the anchored line back about where it was, and in any case
    inside the viewport (a narrower column pushes later lines down, out of sight)."""
    if kept is None:
        return
    viewport = view.viewport().rect()
    line = _line_height(view)
    wanted = min(max(kept.y, viewport.top()), max(viewport.top(), viewport.bottom() - line))
    scroll_to(view, kept.position, wanted)
    bar = view.verticalScrollBar()
    for _ in range(3):  # a line cut by the bottom edge is not in view
        rect = _rect_at(view, kept.position)
        if rect.bottom() <= viewport.bottom() or rect.top() - line < viewport.top():
            return
        bar.setValue(bar.value() + 1)
