"""Which characters of a Markdown article are markup, so the view can show it without them.

The stored text keeps its Markdown (span offsets index into it), and the view hides the markup:
ATX heading markers and closing ``#``s, setext underlines, blockquote ``>`` markers, emphasis
delimiters (``*``, ``_``, ``**``, ``__``, ``~~``) that pair up, code-span backticks, a link's
``[`` and ``](url)`` and an image's ``![`` and ``](url)``, and the backslash of an escape. List
bullets, numbers, fenced code, tables and anything unrecognised stay as they are.

Why a recogniser of our own: hiding needs each marker's exact character offsets, and
markdown-it-py (the maintained CommonMark parser at hand) gives only line ranges (``Token.map``),
and none at all for inline tokens. What follows implements the CommonMark rules that matter for
not hiding too much: delimiter runs open and close by their flanking (so ``snake_case``,
``5 * 3`` and ``2**n`` in prose keep their characters) and pair by the delimiter-stack
algorithm. Its limits are on the safe side: emphasis and links never span lines, and reference
links, raw HTML and indented code are shown as written. A marker this module misses stays
visible; it never hides text that is not markup.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath

MARKDOWN_SUFFIXES = (".md", ".markdown")

Range = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading line's content (stored offsets, markers excluded) and its level (1-6)."""

    start: int
    end: int
    level: int


@dataclass(frozen=True, slots=True)
class Markup:
    hidden: tuple[Range, ...] = ()
    headings: tuple[Heading, ...] = field(default=())


NO_MARKUP = Markup()


def is_markdown(source: str | None) -> bool:
    return bool(source) and PurePath(str(source)).suffix.lower() in MARKDOWN_SUFFIXES


def markup_for(source: str | None, text: str) -> Markup:
    """The markup to hide in a document imported from ``source`` (none unless Markdown)."""
    return find_markup(text) if is_markdown(source) else NO_MARKUP


_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_QUOTE = re.compile(r" {0,3}> ?")
_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+|$)")
_ATX_CLOSE = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_LIST_ITEM = re.compile(r" {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
_SPECIAL = re.compile(r"[\\`*_~\[\]!]")
_ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def find_markup(text: str) -> Markup:
    """Hidden ranges (sorted, code-point ``[start, end)``) and headings of Markdown ``text``."""
    hidden: list[Range] = []
    headings: list[Heading] = []
    fence: str | None = None
    # (start, end) of the current paragraph's lines: a setext underline makes them a heading.
    paragraph: list[Range] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if fence is not None:
            m = _FENCE.match(line)
            if (
                m
                and m[1][0] == fence[0]
                and len(m[1]) >= len(fence)
                and not line[m.end() :].strip()
            ):
                fence = None
            continue
        body = start
        while m := _QUOTE.match(text, body, end):
            hidden.append((body, m.end()))
            body = m.end()
        content = text[body:end]
        if m := _FENCE.match(content):
            fence = m[1]
            paragraph = []
            continue
        if not content.strip():
            paragraph = []
            continue
        if (
            paragraph
            and (m := _SETEXT.match(content))
            and not _LIST_ITEM.match(text, paragraph[-1][0], paragraph[-1][1])
        ):
            hidden.append((paragraph[-1][1], end))  # the line break before it too
            level = 1 if m[1][0] == "=" else 2
            headings.extend(Heading(s, e, level) for s, e in paragraph)
            paragraph = []
            continue
        if m := _ATX.match(content):
            level = len(m[1])
            hidden.append((body, body + m.end()))
            body += m.end()
            close = _ATX_CLOSE.search(text, body, end)
            if close is not None:
                hidden.append((close.start(), end))
                end = close.start()
            if end > body:
                headings.append(Heading(body, end, level))
                hidden.extend(inline_markup(text, body, end))
            paragraph = []
            continue
        paragraph.append((body, end))
        hidden.extend(inline_markup(text, body, end))
    hidden.sort()
    return Markup(tuple(hidden), tuple(headings))


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _is_punct(ch: str) -> bool:
    return ch != "" and unicodedata.category(ch)[0] in "PS"


@dataclass(slots=True)
class _Run:
    """A run of emphasis delimiters; ``start:end`` shrinks from the inside as pairs are used."""

    char: str
    start: int
    end: int
    can_open: bool
    can_close: bool

    @property
    def count(self) -> int:
        return self.end - self.start


def _delimiter_run(text: str, i: int, j: int, lo: int, hi: int) -> _Run:
    before = text[i - 1] if i > lo else ""
    after = text[j] if j < hi else ""
    left = not _is_space(after) and (not _is_punct(after) or _is_space(before) or _is_punct(before))
    right = not _is_space(before) and (
        not _is_punct(before) or _is_space(after) or _is_punct(after)
    )
    char = text[i]
    if char == "_":
        # Intraword underscores (snake_case, file_name_v2) never emphasise.
        return _Run(
            char,
            i,
            j,
            left and (not right or _is_punct(before)),
            right and (not left or _is_punct(after)),
        )
    return _Run(char, i, j, left, right)


def _pair_emphasis(runs: list[_Run], hidden: list[Range]) -> None:
    """CommonMark's delimiter-stack pairing; the used delimiters of each pair go to ``hidden``."""
    stack: list[_Run] = []
    for closer in runs:
        while closer.can_close and closer.count:
            for k in range(len(stack) - 1, -1, -1):
                opener = stack[k]
                if opener.char != closer.char or not opener.count:
                    continue
                both = opener.can_close or closer.can_open
                if (
                    both
                    and (opener.count + closer.count) % 3 == 0
                    and (opener.count % 3 or closer.count % 3)
                ):
                    continue  # the "rule of three": ***a** b* pairs as CommonMark says
                break
            else:
                break
            use = 2 if opener.count >= 2 and closer.count >= 2 else 1
            if opener.char == "~":
                use = 2
            hidden.append((opener.end - use, opener.end))
            hidden.append((closer.start, closer.start + use))
            opener.end -= use
            closer.start += use
            del stack[k + 1 :]  # delimiters between a pair can no longer pair outside it
            if not opener.count:
                del stack[k]
        if closer.can_open and closer.count:
            stack.append(closer)


def _link_end(text: str, i: int, hi: int) -> int | None:
    """End of the ``(destination "title")`` starting at ``text[i] == "("``, or None."""
    depth = 0
    j = i
    while j < hi:
        ch = text[j]
        if ch == "\\":
            j += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return None


def inline_markup(text: str, lo: int, hi: int) -> list[Range]:
    """Hidden ranges of the inline markup in ``text[lo:hi]`` (one line)."""
    hidden: list[Range] = []
    runs: list[_Run] = []
    # Open brackets: (position of "[" or "!", index into runs when it opened).
    brackets: list[tuple[int, int]] = []
    i = lo
    while i < hi:
        ch = text[i]
        if ch == "\\" and i + 1 < hi and text[i + 1] in _ASCII_PUNCT:
            hidden.append((i, i + 1))
            i += 2
        elif ch == "`":
            j = i
            while j < hi and text[j] == "`":
                j += 1
            ticks = text[i:j]
            close = _closing_ticks(text, ticks, j, hi)
            if close is None:
                i = j
                continue
            hidden.extend([(i, j), (close, close + len(ticks))])
            i = close + len(ticks)
        elif ch in "*_~":
            j = i
            while j < hi and text[j] == ch:
                j += 1
            if ch != "~" or j - i == 2:
                runs.append(_delimiter_run(text, i, j, lo, hi))
            i = j
        elif ch == "[" or (ch == "!" and i + 1 < hi and text[i + 1] == "["):
            brackets.append((i, len(runs)))
            i += 1 if ch == "[" else 2
        elif ch == "]" and brackets:
            opener, first_run = brackets.pop()
            end = _link_end(text, i + 1, hi) if i + 1 < hi and text[i + 1] == "(" else None
            if end is None:
                i += 1
                continue
            hidden.extend([(opener, opener + (2 if text[opener] == "!" else 1)), (i, end)])
            # Emphasis pairs inside a link's text, never across its brackets.
            _pair_emphasis(runs[first_run:], hidden)
            del runs[first_run:]
            brackets = [b for b in brackets if b[1] <= first_run]
            i = end
        else:
            # Plain text: jump to the next character that can start markup (a scan in C).
            special = _SPECIAL.search(text, i + 1, hi)
            i = special.start() if special else hi
    _pair_emphasis(runs, hidden)
    return hidden


def _closing_ticks(text: str, ticks: str, i: int, hi: int) -> int | None:
    """Start of the next backtick run exactly as long as ``ticks`` in ``text[i:hi]``."""
    while (k := text.find(ticks, i, hi)) != -1:
        j = k + len(ticks)
        if (k == 0 or text[k - 1] != "`") and (j >= hi or text[j] != "`"):
            return k
        while j < hi and text[j] == "`":
            j += 1
        i = j
    return None
