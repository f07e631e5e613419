"""Many strings found in one pass over a text (Aho-Corasick), each with a value.

ahocorasick_rs does the search (it goes through an article in about half the time
pyahocorasick took with the knowledge base's thousands of names). This keeps each string's
value beside it and gives the hits as the suggesters read them: every occurrence, overlapping
ones included, by where it ends and the longest first among those ending at one place.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Generic, TypeVar

import ahocorasick_rs

V = TypeVar("V")


class Automaton(Generic[V]):
    def __init__(self, strings: Mapping[str, V]) -> None:
        self._keys = list(strings)
        self.values = list(strings.values())  # the value of the string at each index
        self._search = ahocorasick_rs.AhoCorasick(
            self._keys, matchkind=ahocorasick_rs.MatchKind.Standard
        )

    def __len__(self) -> int:
        return len(self._keys)

    def items(self) -> Iterator[tuple[str, V]]:
        return zip(self._keys, self.values, strict=True)

    def matches(self, text: str) -> list[tuple[int, int, int]]:
        """(index of the string, start, end) of every occurrence in ``text``, in code points."""
        return self._search.find_matches_as_indexes(text, overlapping=True)

    def iter(self, text: str) -> Iterator[tuple[int, int, V]]:
        """(start, end, value) of every occurrence, in code points."""
        values = self.values
        for index, start, end in self.matches(text):
            yield start, end, values[index]


__all__ = ["Automaton"]
