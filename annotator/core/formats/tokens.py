"""Tokens and sentences for the formats that need them (CoNLL, ClaimReview, reports).

Offsets are code-point offsets into the stored text, like every span. Rules are simple and
predictable on purpose: a token is a word (letters, digits, inner hyphens and apostrophes; a
possessive 's is a token of its own, as annotated corpora split it), a number with its
separators (3:43.73, 1,500, 12.5), or one punctuation mark. A sentence ends at a
line break, or after . ! ? (and closing quotes or brackets) followed by space and a capital, a
digit or an opening quote, unless the full stop ends a known abbreviation or an initial.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_TOKEN = re.compile(
    r"\d+(?:[.,:]\d+)*"  # 3:43.73, 1,500, 2025
    r"|(?:[^\W\d_][\u0300-\u036f]*)+(?:(?:-|['’](?!s\b))(?:[^\W\d_][\u0300-\u036f]*)+)*(?:\d+)?"
    r"|['’]s\b"  # the possessive: Kerr 's
    r"|\w+"  # anything else word-like (mixed digits and letters, underscores)
    # One punctuation mark or symbol; an emoji keeps its modifiers and ZWJ sequence.
    r"|[^\w\s](?:[\ufe0e\ufe0f\u20e3\U0001F3FB-\U0001F3FF]|\u200d[^\w\s])*",
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[\d\w])")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr prof vs etc no nos approx est dept gen lt col sgt capt "
    "jan feb mar apr jun jul aug sep sept oct nov dec mt ft".split()
)


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The tokens of ``text[start:end]``, with offsets into ``text``."""
    end = len(text) if end is None else end
    return [Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, end)]


def sentence_bounds(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence, whitespace trimmed; empty lines give none."""
    line_start = 0
    for line in text.split("\n"):
        line_end = line_start + len(line)
        cursor = line_start
        for match in _SENTENCE_END.finditer(text, line_start, line_end):
            if _ends_abbreviation(text, line_start, match.start()):
                continue
            yield from _trimmed(text, cursor, match.end())
            cursor = match.end()
        yield from _trimmed(text, cursor, line_end)
        line_start = line_end + 1


def sentence_at(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence(s) holding ``text[start:end]`` (a span that crosses a
    sentence end gets both sentences)."""
    first = last = None
    for s, e in sentence_bounds(text):
        if e <= start:
            continue
        if s >= end:
            break
        if first is None:
            first = s
        last = e
    if first is None or last is None:
        return start, end
    return min(first, start), max(last, end)


def _ends_abbreviation(text: str, line_start: int, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > line_start and text[word_start - 1].isalpha():
        word_start -= 1
    word = text[word_start:dot]
    # A single capital is an initial ("J. Smith"); a short known word is an abbreviation.
    return (len(word) == 1 and word.isupper()) or word.lower() in _ABBREVIATIONS


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end
