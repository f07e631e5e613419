"""Repeated words ("the the", "brothers brothers"): `other` errors whose correction is the
word once. Found by one regular-expression scan, on the lower-cased text where that is exact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .model import Suggestion

RULE_REPEATED = "spelling.repeated-word"
REPEATED_CONFIDENCE = 0.9

# Repeated words: the same word twice with only spaces (one line break at most) between.
# Possessive: a shorter first word or less space can never match, so `re` need not try them.
_REPEAT = re.compile(r"\b([^\W\d_]++)\s++(\1)\b", re.IGNORECASE)
# The same, from the non-word character before it: opening with a class, `re` tries it only
# after spaces and punctuation, not at every letter (-20%). The text's start, where nothing
# precedes, is tried with _REPEAT itself.
_REPEAT_AFTER = re.compile(r"\W([^\W\d_]++)\s++(\1)\b", re.IGNORECASE)
# Doubled words that are grammatical ("what it is is", "he had had enough", "so that that
# record stands") or set phrases; a doubled word is only an error outside these.
_GRAMMATICAL_REPEATS = frozenset({"had", "that", "is", "bye", "no", "so", "very", "ha", "now"})


def repeated_words(text: str) -> list[Suggestion]:
    """ "the the" → "the": the span covers both words, the correction is the word once."""
    out = []
    for start, end, first, second in _repeats(text):
        span = text[start:end]
        if first.lower() in _GRAMMATICAL_REPEATS or span.count("\n") > 1:
            continue  # a blank line between: a heading and the paragraph starting with it
        if second[0].isupper():
            continue  # names such as "Duran Duran", or a heading followed by its first word
        out.append(Suggestion(
            start, end, "error", span, REPEATED_CONFIDENCE, RULE_REPEATED,
            error_type="other", correction=first, note="word repeated",
        ))  # fmt: skip
    return out


def _repeats(text: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, first word, second word) of each ``_REPEAT.finditer(text)`` match."""
    low = _lowered(text)
    if low is None:
        return _repeats_in(text, _REPEAT, _REPEAT_AFTER, text)
    at_start, after = _table_patterns()
    return _repeats_in(low, at_start, after, text)


def _repeats_in(
    scanned: str, at_start: re.Pattern[str], after: re.Pattern[str], text: str
) -> Iterator[tuple[int, int, str, str]]:
    pos = 0
    if (m := at_start.match(scanned)) is not None:
        yield m.start(), m.end(), text[m.start(1) : m.end(1)], text[m.start(2) : m.end(2)]
        pos = m.end()
    # A later match starts after a non-word character at or past the previous one's end
    # (which is a letter), so the scans agree.
    for m in after.finditer(scanned, pos):
        yield m.start(1), m.end(), text[m.start(1) : m.end(1)], text[m.start(2) : m.end(2)]


# The same scan on the lower-cased text, where a plain backreference does what IGNORECASE
# does, with the letter and word classes written out for the Basic Multilingual Plane: `re`
# tests a character against such a class with one table lookup, not Unicode category calls
# (a third less time). Exact where lower-casing keeps every character in its place ("İ"
# becomes two, and "Σ" lowers by context) and no letter or digit lies past the BMP (emoji
# do, and are non-word characters either way).
_ASTRAL_WORD = re.compile(r"(?=[\U00010000-\U0010FFFF])\w")
_table_scan: tuple[re.Pattern[str], re.Pattern[str]] | None = None


def _lowered(text: str) -> str | None:
    low = text.lower()
    if len(low) != len(text) or "Σ" in text:
        return None
    astral = len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)
    if astral and _ASTRAL_WORD.search(text) is not None:
        return None
    return low


def _table_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """_REPEAT and _REPEAT_AFTER for lower-cased text, built on first use (10 ms)."""
    global _table_scan
    if _table_scan is None:
        bmp = "".join(map(chr, range(0x10000)))
        letter, word = _ranges(r"[^\W\d_]+", bmp), _ranges(r"\w+", bmp)
        _table_scan = (
            re.compile(rf"([{letter}]++)\s++(\1)\b"),
            re.compile(rf"[^{word}]([{letter}]++)\s++(\1)\b"),
        )
    return _table_scan


def _ranges(runs: str, chars: str) -> str:
    """The characters of ``chars`` that ``runs`` matches, as the inside of a ``[...]``."""
    out = []
    for m in re.finditer(runs, chars):
        first, last = re.escape(m.group()[0]), re.escape(m.group()[-1])
        out.append(first if first == last else f"{first}-{last}")
    return "".join(out)


__all__ = ["REPEATED_CONFIDENCE", "RULE_REPEATED", "repeated_words"]
