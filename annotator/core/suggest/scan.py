"""Patterns written so that `re` can skip ahead to the places where they might match.

`re` jumps through a text in C only to where a pattern's first character can be: a literal,
or a character class compared case-sensitively. A pattern that opens with ``\\b``, a
lookbehind, a lookahead or a case-insensitive letter is tried at every position instead,
3 to 10 times slower over an article. ``initial_words`` writes ``\\b(?:word|word…)`` as the
class of the words' first letters (every case ``re.IGNORECASE`` pairs with them spelled out),
the boundary checked one character late, and each word's rest behind a lookbehind naming its
first letter: the same matches, in the same order of preference.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

# Besides upper and lower case, the only characters re.IGNORECASE pairs with ASCII letters.
_ASCII_EXTRA = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def initial_class(initials: Iterable[str], *, ignorecase: bool) -> str:
    """A character class of ``initials`` (ASCII letters or digits), with every character
    ``re.IGNORECASE`` would let each stand for when ``ignorecase``."""
    chars: set[str] = set()
    for c in initials:
        if not (c.isascii() and c.isalnum()):
            raise ValueError(f"not an ASCII letter or digit: {c!r}")
        chars.add(c)
        if ignorecase:
            chars |= {c.lower(), c.upper(), *_ASCII_EXTRA.get(c.lower(), "")}
    return "[" + "".join(sorted(chars)) + "]"


def initial_words(words: Iterable[str], *, ignorecase: bool = False) -> str:
    r"""A pattern matching what ``\b(?:w1|w2|…)`` matches (the words as literals, tried in
    this order), that `re` can skip through. Compile it without ``re.IGNORECASE``: pass
    ``ignorecase`` instead, which applies it inside."""
    words = list(words)
    rest = "|".join(f"(?<={re.escape(w[0])}){re.escape(w[1:])}" for w in words)
    # After the first letter (a word character), \b before it is: no word character before.
    return (initial_class((w[0] for w in words), ignorecase=ignorecase) + r"(?<!\w.)"
            + ("(?i:" if ignorecase else "(?:") + rest + ")")


class WordStarts:
    """Where some ASCII words start in a text, compared as ``re.IGNORECASE`` compares them:
    one Aho-Corasick pass over the lower-cased text, where an alternation of words that open
    with common letters is tried by `re` at nearly every position (3x the time).

    Candidates only, a superset of where a pattern reading these words matches: the caller
    confirms each with the pattern's ``match``. None when the text has a character that
    lower-casing would not align with what IGNORECASE matches (then scan with the pattern).
    """

    def __init__(self, words: Iterable[str]) -> None:
        import ahocorasick  # the suggesters' automata library; imported with them

        self._auto = ahocorasick.Automaton()
        for w in words:
            if not (w.isascii() and w.isalpha()):
                raise ValueError(f"not an ASCII word: {w!r}")
            self._auto.add_word(w.lower(), len(w))
        self._auto.make_automaton()

    def starts(self, text: str) -> list[int] | None:
        low = text.lower()
        # "İ" lowers to two characters; "ı" and "ſ" match "i" and "s" but lower to themselves.
        if len(low) != len(text) or "ı" in low or "ſ" in low:
            return None
        return sorted({end - size + 1 for end, size in self._auto.iter(low)})


def finditer_at(pattern: re.Pattern[str], text: str,
                finder: WordStarts) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern whose every match starts with one of the
    finder's words and that cannot match twice within one word (it opens with ``\\b``)."""
    starts = finder.starts(text)
    if starts is None:
        yield from pattern.finditer(text)
        return
    end = 0
    for p in starts:
        if p >= end and (m := pattern.match(text, p)) is not None:
            end = max(m.end(), p + 1)
            yield m


__all__ = ["WordStarts", "finditer_at", "initial_class", "initial_words"]
