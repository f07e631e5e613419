"""Tokens and sentences for the formats that need them (CoNLL, ClaimReview, reports).

Offsets are code-point offsets into the stored text, like every span. Rules are simple and
predictable on purpose: a token is a word (letters, digits, inner hyphens and apostrophes; a
possessive 's is a token of its own, as annotated corpora split it), a number with its
separators (3:43.73, 1,500, 12.5), or one punctuation mark. Sentences come from
``annotator.core.sentences``, the splitter the suggesters use too, so an export and a
suggestion never disagree on where a sentence ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.core.sentences import sentence_bounds

_TOKEN = re.compile(
    r"\d+(?:[.,:]\d+)*"  # 3:43.73, 1,500, 2025
    r"|(?:[^\W\d_][\u0300-\u036f]*)+(?:(?:-|['’](?!s\b))(?:[^\W\d_][\u0300-\u036f]*)+)*(?:\d+)?"
    r"|['’]s\b"  # the possessive: Kerr 's
    r"|\w+"  # anything else word-like (mixed digits and letters, underscores)
    # One punctuation mark or symbol; an emoji keeps its modifiers and ZWJ sequence.
    r"|[^\w\s](?:[\ufe0e\ufe0f\u20e3\U0001F3FB-\U0001F3FF]|\u200d[^\w\s])*",
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


__all__ = ["Token", "sentence_at", "sentence_bounds", "tokenize"]
