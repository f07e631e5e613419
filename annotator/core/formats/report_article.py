"""The article part of the fact-check report: paragraphs with spans highlighted and errors
numbered, as HTML that both browsers and Qt's rich-text engine (the PDF) render the same.

Overlapping spans (an error inside an athlete's name) are cut at every boundary, so no tag
ever straddles another and the markup stays well-formed however spans nest.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from typing import NamedTuple

# From a non-space to the last non-space before a blank line (or the end of the text).
_PARAGRAPH = re.compile(r"\S(?:.*?\S)??(?=\s*\n[^\S\n]*\n|\s*\Z)", re.DOTALL)


class Mark(NamedTuple):
    """One span as the article shows it."""

    start: int
    end: int
    rank: int  # 0 confirmed error, 1 pending error, 2 other label: the lowest rank shows
    css: str
    title: str
    number: str | None  # an error's number as printed: "3", or "3?" when pending


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: text between blank lines, surrounding space trimmed."""
    return [match.span() for match in _PARAGRAPH.finditer(text)]


def article_html(text: str, marks: list[Mark], *, anchor: str) -> str:
    """The article as ``<p>`` paragraphs (single line breaks kept as ``<br>``) with ``marks``
    (sorted by start) highlighted and each error's number after its last character.

    Segments run between consecutive span boundaries, so no tag ever straddles another."""
    points = sorted({p for m in marks for p in (m.start, m.end)})
    numbered = sorted((m for m in marks if m.number), key=lambda m: (m.end, m.start))
    out: list[str] = []
    active: list[Mark] = []
    taken = done = 0  # marks activated so far; numbers printed so far

    def numbers_until(limit: int) -> None:
        nonlocal done
        while done < len(numbered) and numbered[done].end <= limit:
            n = numbered[done].number or ""
            out.append(f'<sup class="n"><a href="#{anchor}-e{n.rstrip("?")}">[{n}]</a></sup>')
            done += 1

    paragraphs = _paragraphs(text)
    for index, (start, end) in enumerate(paragraphs):
        out.append("<p>")
        cuts = [start, *points[bisect_right(points, start) : bisect_left(points, end)], end]
        for a, b in zip(cuts, cuts[1:], strict=False):
            while taken < len(marks) and marks[taken].start <= a:
                active.append(marks[taken])
                taken += 1
            active = [m for m in active if m.end > a]
            body = html.escape(text[a:b]).replace("\n", "<br>")
            if active:
                top = min(active, key=lambda m: (m.rank, m.end - m.start))
                title = _attr("; ".join(m.title for m in active))
                body = f'<span class="{top.css}" title="{title}">{body}</span>'
            out.append(body)
            if b < end:
                numbers_until(b)
        # An error ending in the blank lines after this paragraph gets its number here.
        numbers_until(paragraphs[index + 1][0] if index + 1 < len(paragraphs) else len(text))
        out.append("</p>\n")
    if done < len(numbered):  # spans of blank text only: keep their numbers visible
        out.append("<p>")
        numbers_until(len(text))
        out.append("</p>\n")
    return "".join(out)


def _attr(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)
