"""Where text ranges sit on screen in a QPlainTextEdit: the laid-out blocks in a rectangle,
and one rectangle per visual line a range occupies (cached, since asking a layout is costly)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import cast

from PySide6.QtCore import QRect, QRectF
from PySide6.QtGui import QTextCharFormat, QTextLayout, QTextLine
from PySide6.QtWidgets import QPlainTextEdit

from annotator.core.model import Span

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
                blocks.append(
                    (position, position + block.length(), geometry.left(), geometry.top(), layout)
                )
        block = block.next()
    return blocks


#: Where a range sits inside one block, relative to the block's top left: (x, y, w, h) per
#: visual line, keyed by (block position, start, end) in UTF-16 units within the block.
LineRects = dict[tuple[int, int, int], list[tuple[float, float, float, float]]]


def range_rects(
    blocks: Sequence[Block],
    starts: Sequence[int],
    start: int,
    end: int,
    cache: LineRects | None = None,
) -> list[QRectF]:
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
            x1, x2 = _cursor_x(line, a), _cursor_x(line, b)
            local.append((min(x1, x2), line.y(), abs(x2 - x1), line.height()))
        n += 1
    return local


def _cursor_x(line: QTextLine, pos: int) -> float:
    # PySide6 returns (x, pos) here; its stubs only say ``object``.
    return cast(tuple[float, int], line.cursorToX(pos))[0]
