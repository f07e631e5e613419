"""The suggestion engine: every suggester over one document, matchers built once per KB.

Build one ``SuggestionEngine`` per knowledge base and call ``suggest`` for each document; the
automata and fuzzy indexes are the expensive part and are reused.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any

from ..kb import KnowledgeBase
from .automaton import Automaton
from .claims import ClaimChecker
from .events import EventMatcher
from .factcheck import check_events
from .misspell import CorpusNames, MisspellingMatcher
from .model import Suggestion
from .name_typos import find_surname_typos
from .names import (
    NameMatcher,
    SpacyPeople,
    TextContext,
    find_pattern_mentions,
    find_people,
    pick_non_overlapping,
    surname_of,
)
from .names import sentences as sentences
from .openings import DocumentScan
from .spelling import SpellChecker

log = logging.getLogger(__name__)

DatesFn = Callable[..., Iterable[Suggestion]]


def _dates_suggester() -> DatesFn | None:
    # The dates suggester is written alongside this module; until it lands the engine runs
    # without it. Only its absence is tolerated: an ImportError inside it is a bug and raises.
    try:
        from .dates import suggest_dates
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.dates":
            raise
        log.info("annotator.core.suggest.dates is absent; no date suggestions")
        return None
    return suggest_dates


# Among equally long athlete spans: KB evidence, then fuzzy KB, then NER, then shape.
_ATHLETE_RANK = {
    "kb-exact": 0,
    "kb-alias": 1,
    "fuzzy-kb-athlete": 2,
    "kb-surname": 3,
    "spacy-person": 4,
    "fuzzy-corpus-athlete": 5,
    "pattern-name": 6,
    "pattern-surname": 7,
}


class SuggestionEngine:
    def __init__(self, kb: KnowledgeBase, *, use_spacy: bool | None = None) -> None:
        """``use_spacy``: None uses an installed spaCy pipeline if there is one (slow: it
        takes the engine well below 1 MB/s); False never does."""
        self.kb = kb
        self.names = NameMatcher(kb)
        self.misspellings = MisspellingMatcher(kb, self.names)
        self.events = EventMatcher(kb)
        self._dates = _dates_suggester()
        people = SpacyPeople() if use_spacy is not False else None
        self._spacy = people if people is not None and people.available else None
        self.claims = ClaimChecker(kb)
        self.spelling = SpellChecker(kb)
        self.spelling_variant = "auto"  # or en_GB / en_US: the database's spelling setting
        names = _kb_names(self.names, self.events)
        # The names in an automaton of their own, for texts DocumentScan cannot take.
        self._kb_names = Automaton(names) if names is not None else None
        self._scan = DocumentScan(
            names or {}, {"city": self.claims.context.city_words, "host": self.events.host_cities}
        )

    def suggest(
        self,
        text: str,
        *,
        published: dt.date | None = None,
        corpus: CorpusNames | None = None,
    ) -> list[Suggestion]:
        """Pending spans for one document, sorted by (start, end, label), one per identity.

        The cyclic garbage collector looks only at objects made during the call. The
        engine's automata, indexes and the knowledge base are hundreds of thousands of
        objects that live as long as the engine. A full collection, which a document's
        allocations set off about once per MB, walked them all: 4% of the engine's time on
        short articles, 9% on one long text. They are set aside (gc.freeze) while a document
        is read and handed back after, so nothing the process frees later is kept. The
        suggesters never freeze objects otherwise (gc.get_freeze_count walks them all).
        Written out rather than as a context manager, which cost 1% on short articles.
        """
        if not gc.isenabled():
            return self._suggest(text, published=published, corpus=corpus)
        gc.freeze()
        try:
            return self._suggest(text, published=published, corpus=corpus)
        finally:
            gc.unfreeze()

    def _suggest(
        self, text: str, *, published: dt.date | None, corpus: CorpusNames | None
    ) -> list[Suggestion]:
        ctx = TextContext(text)
        # One automaton pass for the KB's names and the words the claim, date and
        # spelling-variant scans open with (openings.py). None when lower-casing would
        # misalign the text: the names are then found on their own, the scans scan.
        scan = self._scan.scan(text)
        openings = scan[0] if scan is not None else None
        if self._kb_names is not None:
            if scan is not None:
                athlete_hits, event_hits = scan[1], scan[2]
            else:
                athlete_hits, event_hits = [], []
                for start, end, (athlete, event) in self._kb_names.iter(text):
                    if athlete is not None:
                        athlete_hits.append((start, end, athlete))
                    if event is not None:
                        event_hits.append((start, end, event))
            ctx.memo[self.names.hits_key] = athlete_hits
            ctx.memo[self.events.hits_key] = event_hits
        athletes = self.names.find_athletes(ctx)
        fuzzy, fuzzy_anchors = self.misspellings.find(
            ctx, anchors=self.names.anchors(athletes), corpus=corpus
        )
        if fuzzy_anchors:  # a bare surname may now resolve to a misspelled full name
            athletes = self.names.find_athletes(ctx, anchors=fuzzy_anchors)
        mentions = self.events.find(ctx, published=published, openings=openings)
        events = [m.suggestion() for m in mentions]
        found = [*athletes, *(s for s in fuzzy if s.label == "athlete")]
        taken = bytearray(len(text))
        for s in (*found, *events):
            taken[s.start : s.end] = b"\x01" * (s.end - s.start)
        people = find_people(ctx, taken=taken, known=self.names.known_tokens)
        if self._spacy is not None:
            people += self._spacy.find(ctx, taken=taken)
        for s in people:
            taken[s.start : s.end] = b"\x01" * (s.end - s.start)
        found += people
        found += self._corpus_athletes(fuzzy, found, taken)
        slipped = find_surname_typos(ctx, found, known=self.names.known_tokens)
        found += (s for s in slipped if s.label == "athlete")
        found += find_pattern_mentions(ctx, people, taken=taken)
        # Longest first ("Mondo Duplantiss" over the alias "Mondo"), then by evidence.
        found.sort(key=lambda s: (s.start - s.end, _ATHLETE_RANK.get(s.rule, 9), s.start))
        out = [
            *pick_non_overlapping(found),
            *(s for s in fuzzy if s.label != "athlete"),
            *events,
            *check_events(ctx, mentions),
            *(s for s in slipped if s.label == "error"),
        ]
        if self._dates is not None:
            out += self._dates(text, published=published, openings=openings)
        out += self.claims.check(ctx, out, mentions, published=published, openings=openings)
        out += self.spelling.suggest(
            text,
            variant=self.spelling_variant,
            corpus=corpus,
            variant_starts=openings["variant"] if openings else None,
            chunks=ctx.chunks,
        )
        return dedupe(out)

    def _corpus_athletes(
        self, fuzzy: Iterable[Suggestion], found: Iterable[Suggestion], taken: bytearray
    ) -> list[Suggestion]:
        """Athlete spans for corpus-only misspellings ("Lemayain") whose dominant spelling is
        an athlete's surname: a KB one, or that of someone this document names in full."""
        errors = [s for s in fuzzy if s.rule == "fuzzy-corpus" and s.correction]
        if not errors:
            return []
        surnames = {surname_of(s.text) for s in found if s.label == "athlete" and " " in s.text}
        out = []
        for err in errors:
            sn = err.correction
            assert sn is not None
            kb = self.names.by_surname.get(sn, ())
            if (sn not in surnames and not kb) or taken.find(1, err.start, err.end) != -1:
                continue
            entity = self.names.athletes[kb[0]].key if len(kb) == 1 else None
            out.append(
                Suggestion(
                    err.start,
                    err.end,
                    "athlete",
                    err.text,
                    err.confidence,
                    "fuzzy-corpus-athlete",
                    entity=entity,
                )
            )
        return out


def _kb_names(names: NameMatcher, events: EventMatcher) -> dict[str, tuple[Any, Any]] | None:
    """The athlete and event matchers' automata as one mapping, each key's value the pair of
    theirs (None where a key is only one's): a pass over a text costs about the same
    whatever the automaton holds, so one pass serves both. Hits come in the same order as
    from each automaton: by end, longest key first."""
    if names._auto is None or events._auto is None:
        return None
    values: dict[str, list[Any]] = {}
    for key, value in names._auto.items():
        values.setdefault(key, [None, None])[0] = value
    for key, editions in events._auto.items():
        values.setdefault(key, [None, None])[1] = editions
    return {key: (athlete, event) for key, (athlete, event) in values.items()}


def dedupe(items: Iterable[Suggestion]) -> list[Suggestion]:
    """One suggestion per (start, end, label), the most confident, sorted by that key."""
    best: dict[tuple[int, int, str], Suggestion] = {}
    for s in items:
        key = _identity(s)  # Suggestion.identity, without a property call per item
        old = best.get(key)
        if old is None or s.confidence > old.confidence:
            best[key] = s
    return sorted(best.values(), key=_identity)


_identity = attrgetter("start", "end", "label")


__all__ = ["CorpusNames", "SuggestionEngine", "dedupe", "sentences"]
