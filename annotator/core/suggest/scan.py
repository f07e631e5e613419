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
from collections.abc import Iterable, Iterator, Mapping, Sequence

# Besides upper and lower case, the only characters re.IGNORECASE pairs with ASCII letters.
_ASCII_EXTRA = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def initial_class(initials: Iterable[str], *, ignorecase: bool) -> str:
    """A character class of ``initials`` (ASCII letters or digits, or ``\\d``), with every
    character ``re.IGNORECASE`` would let each stand for when ``ignorecase``."""
    chars: set[str] = set()
    for c in initials:
        if c == "\\d":
            chars.add(c)
            continue
        if not (c.isascii() and c.isalnum()):
            raise ValueError(f"not an ASCII letter or digit: {c!r}")
        chars.add(c)
        if ignorecase:
            chars |= {c.lower(), c.upper(), *_ASCII_EXTRA.get(c.lower(), "")}
    return "[" + "".join(sorted(chars)) + "]"


def initial_alternatives(
    alternatives: Iterable[str],
    *,
    tail: str = "",
    ignorecase: bool = False,
    group: str | None = None,
) -> str:
    r"""A pattern matching what ``\b(?:a1|a2|…)tail`` matches, that `re` can skip through:
    each alternative is a pattern opening with a literal ASCII letter or digit, or ``\\d``,
    tried in this order. ``group``: the alternatives form that group (``""``: an unnamed one), as in
    ``\b(?P<group>a1|a2|…)tail``. Compile it without ``re.IGNORECASE``: pass ``ignorecase``
    instead, which applies it to the whole."""
    alts = [(a[:2], a[2:]) if a.startswith("\\d") else (a[:1], a[1:]) for a in alternatives]
    for first, _ in alts:
        if not (first == "\\d" or (first.isascii() and first.isalnum())):
            raise ValueError(f"does not open with an ASCII letter or digit: {first!r}")
    flags = "(?i:" if ignorecase else "(?:"
    # After the first character (a word character), \b before it is: no word character
    # before; each alternative's own first character is checked behind the rest.
    head = (
        initial_class((f for f, _ in alts), ignorecase=ignorecase)
        + r"(?<!\w.)"
        + flags
        + "|".join(f"(?<={first}){rest}" for first, rest in alts)
        + ")"
    )
    if group is not None:
        head = f"(?P<{group}>{head})" if group else f"({head})"
    return head + (flags + tail + ")" if tail else "")


def initial_words(words: Iterable[str], *, ignorecase: bool = False) -> str:
    r"""``initial_alternatives`` for ``\b(?:w1|w2|…)``, the words taken literally."""
    return initial_alternatives((re.escape(w) for w in words), ignorecase=ignorecase)


class WordStarts:
    """Where some ASCII strings start in a text: one Aho-Corasick pass, where `re` tries an
    alternation of words that open with common letters at nearly every position (3x the
    time). With ``ignorecase``, compared as ``re.IGNORECASE`` compares them, in the
    lower-cased text. Strings come in named groups, one per pattern, found in one pass.

    Candidates for ``finditer_at``: a superset of where a pattern that opens with one of a
    group's strings matches. None when the text has a character that lower-casing does not
    align with what IGNORECASE matches (then the pattern scans the text itself).
    """

    def __init__(self, groups: Mapping[str, Iterable[str]], *, ignorecase: bool = True) -> None:
        from .automaton import Automaton

        self._ignorecase = ignorecase
        self._groups = tuple(groups)
        keys: dict[str, list[str]] = {}
        for name, words in groups.items():
            for w in words:
                if not (w.isascii() and w):
                    raise ValueError(f"not an ASCII string: {w!r}")
                keys.setdefault(w.lower() if ignorecase else w, []).append(name)
        self._auto = Automaton({key: tuple(dict.fromkeys(names)) for key, names in keys.items()})

    def starts(self, text: str) -> dict[str, list[int]] | None:
        if self._ignorecase:
            low = text.lower()
            # "İ" lowers to two characters; "ı" and "ſ" match "i" and "s" under IGNORECASE but
            # lower to themselves.
            if len(low) != len(text) or "ı" in low or "ſ" in low:
                return None
            text = low
        found: dict[str, set[int]] = {name: set() for name in self._groups}
        for start, _end, names in self._auto.iter(text):
            for name in names:
                found[name].add(start)
        return {name: sorted(at) for name, at in found.items()}


def finditer_at(
    pattern: re.Pattern[str], text: str, starts: Sequence[int] | None
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a non-empty pattern whose every match starts at one of
    ``starts`` (sorted): the leftmost match at or after where the last one ended is the
    first candidate there that ``pattern.match`` accepts. None: scan with the pattern."""
    if starts is None:
        yield from pattern.finditer(text)
        return
    end = 0
    for p in starts:
        if p >= end and (m := pattern.match(text, p)) is not None:
            end = max(m.end(), p + 1)
            yield m


__all__ = ["WordStarts", "finditer_at", "initial_alternatives", "initial_class", "initial_words"]
