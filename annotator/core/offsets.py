"""Offsets: code points (what we store) versus UTF-16 code units (what Qt counts).

Stored offsets are Python ``str`` indices into the normalised text. Qt's text classes count
UTF-16 code units, so every character outside the Basic Multilingual Plane (emoji, some CJK,
mathematical letters) takes two Qt positions. QTextDocument also turns each ``\\n`` into a
paragraph separator, but that stays one position, so newlines need no conversion as long as the
stored text has no ``\\r`` (import normalises line ends).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class OffsetMap:
    """Converts between code-point and UTF-16 offsets of one text in O(log n)."""

    __slots__ = ("_astral", "_astral_utf16", "length", "utf16_length")

    def __init__(self, text: str) -> None:
        # Only astral characters shift positions; most articles have none, so the maps are empty.
        # A regex scan runs in C: ~5 ms on 1 MB against ~100 ms for a Python loop.
        self._astral: list[int] = [m.start() for m in _ASTRAL.finditer(text)]
        self._astral_utf16: list[int] = [cp + n for n, cp in enumerate(self._astral)]
        self.length = len(text)
        self.utf16_length = len(text) + len(self._astral)

    def to_utf16(self, cp: int) -> int:
        if not self._astral:
            return cp
        return cp + bisect_left(self._astral, cp)

    def from_utf16(self, pos: int) -> int:
        """Code-point index of a UTF-16 position; a position inside a surrogate pair maps to
        the start of its character, so a selection never splits one."""
        if not self._astral:
            return pos
        # n astral characters start before pos; each added one extra unit. When pos is the
        # low surrogate of the last of them, pos - n is exactly that character's start.
        return pos - bisect_left(self._astral_utf16, pos)


def utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


_JOINERS = {"\u200d", "\ufe0e", "\ufe0f"}


def _is_word_char(ch: str) -> bool:
    if ch.isalnum() or ch == "_":
        return True
    cat = unicodedata.category(ch)
    return cat.startswith("M")  # combining accents belong to their letter


_WORD_JOINERS = {"'", "\u2019", "-", "\u2010", "\u2011"}
_NUMBER_JOINERS = {".", ",", ":"}


def _joins(before: str, mid: str, after: str) -> bool:
    """Whether ``mid`` between two characters belongs inside one token: "Nordås's",
    "Gilje-Nordås", "1,500", "3:26.73" (but not "Kerr,Hocker")."""
    if mid in _WORD_JOINERS:
        return _is_word_char(before) and _is_word_char(after)
    if mid in _NUMBER_JOINERS:
        return before.isdigit() and after.isdigit()
    return False


def _is_cluster_tail(ch: str) -> bool:
    return (
        ch in _JOINERS
        or unicodedata.category(ch) in ("Mn", "Me", "Sk")
        or (0x1F3FB <= ord(ch) <= 0x1F3FF)
    )


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow ``start:end`` to whole words and trim surrounding spaces and punctuation.

    A drag that starts or ends mid-word ("ngebrigs") becomes the whole word; apostrophes,
    hyphens and decimal points inside a word ("Nordås's", "Gilje-Nordås", "3:26.73") stay part
    of it. A selection holding no word character (an emoji alone) is only trimmed of spaces,
    and never ends inside an emoji ZWJ sequence.
    Returns the original range if it would otherwise become empty.
    """
    n = len(text)
    start, end = max(0, min(start, n)), max(0, min(end, n))
    if start > end:
        start, end = end, start
    if start == end:
        return start, end
    if not any(_is_word_char(ch) for ch in text[start:end]):
        s, e = start, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        # Never end inside an emoji sequence: take joiners, modifiers and the joined emoji.
        while e < n and (_is_cluster_tail(text[e]) or text[e - 1] == "\u200d"):
            e += 1
        return (s, e) if s < e else (start, end)
    s, e = start, end
    # Trim leading/trailing non-word characters of the selection itself.
    while s < e and not _is_word_char(text[s]):
        s += 1
    while e > s and not _is_word_char(text[e - 1]):
        e -= 1
    # Grow outwards to word boundaries, allowing inner punctuation between word characters.
    while s > 0 and (
        _is_word_char(text[s - 1]) or (s > 1 and _joins(text[s - 2], text[s - 1], text[s]))
    ):
        s -= 1
    while e < n and (
        _is_word_char(text[e]) or (e + 1 < n and _joins(text[e - 1], text[e], text[e + 1]))
    ):
        e += 1
    return s, e
