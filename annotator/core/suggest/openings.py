"""The words several whole-article scans open with, found in one automaton pass per document.

The claim checks' triggers and disciplines, the date rules' anchors and the British and
American spellings were each looked for by a pass of their own over every article. An
Aho-Corasick pass costs about 12 ms per MB whatever it looks for, so the engine makes one,
over the lower-cased text (scan.WordStarts), and hands each its groups; every pattern is
then confirmed where its words start. Each of them still works without, scanning the text
itself. ``DocumentScan`` adds the knowledge base's athlete and event names to that pass.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .automaton import Automaton
from .claim_text import DISCIPLINE_OPENINGS, TRIGGER_WORDS
from .claims_order import ORDER_WORDS
from .dates.patterns import OPENING_WORDS as DATE_WORDS
from .event_patterns import OPENING_WORDS as EVENT_WORDS
from .scan import WordStarts
from .spelling_variant import AMERICAN, BRITISH

GROUPS: dict[str, list[str]] = {
    "trigger": list(TRIGGER_WORDS),
    "order": list(ORDER_WORDS),
    "discipline": list(DISCIPLINE_OPENINGS),
    **DATE_WORDS,
    **EVENT_WORDS,
    "variant": sorted(BRITISH | AMERICAN),
}
OPENINGS = WordStarts(GROUPS)

Hit = tuple[int, int, Any]  # (start, end, the matcher's automaton value), as its own gives


class DocumentScan:
    """GROUPS' words and the KB's names (key -> (athlete value, event value), the name and
    event matchers' automata joined) found in one pass over the lower-cased text: one pass
    costs about what each of two did. The names are case-sensitive: a hit counts only where
    the text has the name as written, so each matcher gets exactly its automaton's hits, in
    its order (by end, longest first)."""

    def __init__(
        self,
        names: Mapping[str, tuple[Any, Any]],
        extra: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        """``extra``: more groups of words (the KB's host cities), compared lower-cased too."""
        groups = {**GROUPS, **(extra or {})}
        self._groups = tuple(groups)
        # lower-cased string -> (its groups, the names written that way)
        entries: dict[str, tuple[list[str], list[tuple[str, Any, Any]]]] = {}
        for group, words in groups.items():
            for w in words:
                entries.setdefault(w.lower(), ([], []))[0].append(group)
        for key, (athlete, event) in names.items():
            low = key.lower()
            if len(low) == len(key):  # "İ..." only in texts that are scanned the other way
                entries.setdefault(low, ([], []))[1].append((key, athlete, event))
        self._auto = Automaton(
            {
                low: (tuple(dict.fromkeys(groups)), tuple(kb))
                for low, (groups, kb) in entries.items()
            }
        )

    def scan(self, text: str) -> tuple[dict[str, Sequence[int]], list[Hit], list[Hit]] | None:
        """(where each group's words start, athlete hits, event hits), or None when
        lower-casing does not align the text with what IGNORECASE matches (scan.WordStarts):
        then every scan runs on its own."""
        low = text.lower()
        if len(low) != len(text) or "ı" in low or "ſ" in low:
            return None
        # Most groups have no word in a short article: their sets are made as they fill.
        found: defaultdict[str, set[int]] = defaultdict(set)
        athletes: list[Hit] = []
        events: list[Hit] = []
        values = self._auto.values
        for index, start, end in self._auto.matches(low):
            groups, kb = values[index]
            for group in groups:
                found[group].add(start)
            if kb:  # most words are no one's name
                for key, athlete, event in kb:
                    if text.startswith(key, start):
                        if athlete is not None:
                            athletes.append((start, end, athlete))
                        if event is not None:
                            events.append((start, end, event))
        starts: dict[str, Sequence[int]] = dict.fromkeys(self._groups, ())
        starts.update((group, sorted(at)) for group, at in found.items())
        return starts, athletes, events


__all__ = ["GROUPS", "OPENINGS", "DocumentScan"]
