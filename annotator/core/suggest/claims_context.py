"""Whether a sentence that names no championship is about the article's own one.

A report from the Paris Olympics says "Kerr took bronze" without naming the Games again. Such
a sentence is read against the article's championship only when nothing in it points
elsewhere: a year, a word such as "ago" or "next", another kind of championship, or another
host city.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from ..kb import Event, KnowledgeBase
from ..kbcsv import fold
from . import claim_text as T
from .scan import finditer_at, initial_alternatives, initial_words

#: Words naming each kind of championship ("\bOlympic", "\bworld\b(?! indoor)", "\bworld
#: indoor", case ignored), opening with a character class (see claim_text.MARK).
SERIES_RE = {
    kind: re.compile(initial_alternatives([word], tail=tail, ignorecase=True))
    for kind, word, tail in (
        ("olympics", "Olympic", ""),
        ("world_championships", "world", r"\b(?! indoor)"),
        ("world_indoors", "world indoor", ""),
    )
}
_ELSEWHEN_WORDS = "ago|last year|previous|earlier|before|former|since|once|next|will|would"
ELSEWHEN = re.compile(
    initial_alternatives(
        _ELSEWHEN_WORDS.replace("previous", r"previous\w*").replace("former", r"former\w*")
        .split("|"),
        tail=r"\b",
        ignorecase=True,
    )
)  # fmt: skip
_ELSEWHEN_TERMS = tuple(_ELSEWHEN_WORDS.split("|"))
#: Where lower-casing a sentence differs from what re.IGNORECASE matches: a word looked for in
#: the lower-cased sentence first (a cheap test most sentences fail) may hide there.
LOOSE = "ſı\u0307"


class ArticleContext:
    def __init__(self, kb: KnowledgeBase) -> None:
        names = {r.city for r in kb.records} | {e.city for e in kb.events if e.city}
        names |= {fold(n).title() for n in names}  # "Zurich" for "Zürich"
        ordered = sorted(names, key=len, reverse=True)
        #: The host cities looked for, for the engine's shared automaton pass ("city").
        self.city_words = tuple(ordered)
        if ordered and all(n[:1].isascii() and n[:1].isalnum() for n in ordered):
            # Opening with the class of initials, `re` tries the 60-odd names only at a
            # capital after a non-word character, not at every position (scan.py).
            self.city_names = re.compile(initial_words(ordered) + r"\b")
        else:
            self.city_names = re.compile(r"\b(?:" + "|".join(map(re.escape, ordered)) + r")\b")

    def plain(self, text: str, ss: int, se: int, event: Event,
              city_starts: Sequence[int] | None = None) -> bool:  # fmt: skip
        """Whether the sentence text[ss:se] can be read against ``event``. ``city_starts``:
        where ``city_words`` start in the text, when known."""
        sentence = text[ss:se]
        if T.YEAR.search(sentence):
            return False
        low = sentence.lower()
        loose = any(map(low.__contains__, LOOSE))
        if (loose or any(map(low.__contains__, _ELSEWHEN_TERMS))) and ELSEWHEN.search(sentence):
            return False
        if (loose or "olympic" in low or "world" in low) and any(
            k != event.kind and p.search(sentence) for k, p in SERIES_RE.items()
        ):
            return False
        named = self.cities_in(text, ss, se, city_starts)
        if not named:
            return True
        own = fold(event.city or "")
        return all(fold(name) == own for name in named)

    def cities_in(self, text: str, ss: int, se: int,
                  starts: Sequence[int] | None) -> list[str]:  # fmt: skip
        """What ``city_names.finditer(text[ss:se])`` finds, tried only where a city's name
        starts when that is known (a sentence starts after a blank, so the pattern's look
        before its first letter sees the same there)."""
        if starts is not None:
            found = []
            within = starts[bisect_right(starts, ss - 1) : bisect_right(starts, se - 1)]
            for m in finditer_at(self.city_names, text, within):
                if m.end() > se:
                    break  # a name running past the sentence: read the sentence alone
                found.append(m.group())
            else:
                return found
        return [m.group() for m in self.city_names.finditer(text[ss:se])]


__all__ = ["ELSEWHEN", "LOOSE", "SERIES_RE", "ArticleContext"]
