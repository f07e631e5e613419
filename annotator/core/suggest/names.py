"""Athlete mentions: KB names through one Aho-Corasick automaton, unknown people by pattern.

The shared text toolkit (name tokens, stop lists, sentence bounds, ``TextContext``) lives in
``text_helpers``; its names are re-exported here for the modules that import them from here.
"""

from __future__ import annotations

import importlib.metadata
import logging
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from typing import NamedTuple

from ..kb import KnowledgeBase
from .automaton import Automaton
from .model import Suggestion
from .scan import initial_alternatives
from .text_helpers import (
    COMMON_WORDS,
    LOWER_WORD,
    NAME_TOKEN,
    NATIONALITIES,
    PLACE_EVENT_WORDS,
    STOP_WORDS,
    VERB_LIKE_GIVEN_NAMES,
    TextContext,
    as_context,
    at_word_boundary,
    is_word_char,
    pick_non_overlapping,
    sentences,
)

log = logging.getLogger(__name__)


def installed_spacy_pipelines() -> list[str]:
    """Names of installed spaCy pipeline packages, found without importing spaCy: importing
    it takes about a second, which the window's start and every suggestion run would pay
    even when spaCy is only installed for the DocBin export, with no pipeline to load."""
    return sorted(ep.name for ep in importlib.metadata.entry_points(group="spacy_models"))


_LISTING = re.compile(r"\s*(?:\(\s*[A-Z][A-Za-z ]{1,24}\)|,\s*[A-Z][A-Za-z ]{1,24})\s*,\s*\d+x\b")
# "former coach Gjert Ingebrigtsen": the role right before a name says it is not an athlete.
# (?<!\w)(?:coach|…)\s+$, opening with the class of first letters (scan.py).
_NON_ATHLETE_ROLE = re.compile(
    initial_alternatives(
        "coach father mother manager agent president journalist reporter author presenter "
        "commentator promoter chairman chief minister".split(),
        tail=r"\s+$",
        ignorecase=True,
    )
)
# "on May 18", "in June", "May 2024": a KB surname that is also a month is a date there.
_MONTHS = frozenset(
    "January February March April May June July August September October November December".split()
)
_DATE_BEFORE = re.compile(
    r"(?:(?<!\w)(?:in|on|since|until|by|early|late|mid)|\d(?:st|nd|rd|th)?)[ \u00a0]$",
    re.IGNORECASE,
)
_DATE_AFTER = re.compile(r"[ \u00a0]\d{1,4}(?:st|nd|rd|th)?(?!\w)")
_PARTICLES = frozenset("de da di del della der den van von le la du dos das ter ten".split())


def surname_of(name: str) -> str:
    """Last name with its particles: "Andre De Grasse" -> "De Grasse"."""
    toks = name.split()
    i = len(toks) - 1
    while i > 1 and toks[i - 1].lower() in _PARTICLES:
        i -= 1
    return " ".join(toks[i:])


class _Hit(NamedTuple):
    start: int
    end: int
    rule: str
    idxs: tuple[int, ...]


# A NamedTuple's constructor is a Python function; on ~10k hits per MB, building the tuple
# directly saves 4 ms.
_new_tuple = tuple.__new__

_KIND_RANK = {"kb-exact": 0, "kb-alias": 1, "kb-surname": 2}
_CONFIDENCE = {"kb-exact": 0.95, "kb-alias": 0.9, "kb-surname": 0.85}


class NameMatcher:
    """KB athletes' full names, aliases and surnames in one case-sensitive automaton.

    Built once per knowledge base. No lowercase variant: news capitalises names, and matching
    lowercase text would turn surnames that are also words ("bol", "rose") into noise.
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        self.athletes = tuple(kb.athletes)
        self.keys = [a.key for a in self.athletes]  # made once: each mention carries one
        self.index = {key: i for i, key in enumerate(self.keys)}
        self.by_surname: dict[str, list[int]] = defaultdict(list)
        self.given: dict[tuple[str, str], int] = {}  # ("Jakob", "Ingebrigtsen") -> athlete
        self.surnames: list[set[str]] = [set() for _ in self.athletes]
        self.known_tokens: set[str] = set()
        entries: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for i, a in enumerate(self.athletes):
            for n, kind in ((a.name, "kb-exact"), *((al, "kb-alias") for al in a.aliases)):
                n = " ".join(n.split())
                if not n:
                    continue
                entries[n][kind].append(i)
                self.known_tokens.update(n.split())
                if " " in n:
                    sn = surname_of(n)
                    self.surnames[i].add(sn)
                    if i not in self.by_surname[sn]:
                        self.by_surname[sn].append(i)
                    self.given.setdefault((n[: -len(sn)].strip(), sn), i)
        for sn, idxs in self.by_surname.items():
            entries[sn]["kb-surname"].extend(idxs)
        self._auto: Automaton[tuple[tuple[str, tuple[int, ...]], ...]] | None = None
        if entries:
            ranked = {key: sorted(kinds.items(), key=lambda kv: _KIND_RANK[kv[0]])
                      for key, kinds in entries.items()}  # fmt: skip
            self._auto = Automaton({key: tuple((k, tuple(v)) for k, v in kinds)
                                    for key, kinds in ranked.items()})  # fmt: skip
        # Where the engine leaves this automaton's hits on a text (TextContext.memo), found
        # by its joint automaton (engine.py): then find_athletes does not run its own.
        self.hits_key = f"name-hits:{id(self)}"

    def anchors(self, found: Iterable[Suggestion]) -> list[tuple[int, int]]:
        """(position, athlete index) of full-name mentions: what a later bare surname refers to."""
        return sorted(
            (s.start, self.index[s.entity])
            for s in found
            if s.label == "athlete" and s.entity in self.index and s.rule != "kb-surname"
        )

    def find_athletes(
        self, text: str | TextContext, *, anchors: Sequence[tuple[int, int]] = ()
    ) -> list[Suggestion]:
        """KB athletes by full name, alias, and surname where the surname can be resolved.

        ``anchors`` adds full-name mentions found elsewhere (misspelled full names) so that a
        later bare surname can resolve to them.
        """
        ctx = as_context(text)
        if self._auto is None:
            return []
        t = ctx.text
        key = f"names:{id(self)}"
        chosen = ctx.memo.get(key)
        if not isinstance(chosen, list):  # the engine calls twice; the scan is done once
            raw = []
            hits = ctx.memo.get(self.hits_key)
            for start, end, kinds in hits if isinstance(hits, list) else self._auto.iter(t):
                if at_word_boundary(t, start, end):
                    raw.append(_new_tuple(_Hit, (start, end, *kinds[0])))
            raw.sort(key=lambda h: (h.start - h.end, h.start))  # longest first
            chosen = ctx.memo[key] = sorted(pick_non_overlapping(raw))
        marks = sorted(anchors)
        last: dict[str, int] = {}  # surname -> most recent full-name mention
        out: list[Suggestion] = []
        ai = 0
        for h in chosen:
            while ai < len(marks) and marks[ai][0] < h.start:
                for sn in self.surnames[marks[ai][1]]:
                    last[sn] = marks[ai][1]
                ai += 1
            name = t[h.start : h.end]
            if name in _MONTHS and _is_date(t, h.start, h.end):
                continue
            if h.rule == "kb-surname":
                i = last.get(name)
                if self._other_person(ctx, h.start, h.end):
                    continue
                if i is None:
                    if len(h.idxs) != 1 or ctx.is_ordinary(name):
                        continue
                    i = h.idxs[0]
            else:
                if len(h.idxs) != 1:
                    continue
                i = h.idxs[0]
                for sn in self.surnames[i]:
                    last[sn] = i
            out.append(
                Suggestion(
                    h.start,
                    h.end,
                    "athlete",
                    name,
                    _CONFIDENCE[h.rule],
                    h.rule,
                    entity=self.keys[i],
                )
            )
        return out

    def _other_person(self, ctx: TextContext, start: int, end: int) -> bool:
        return _other_person(ctx, start, end)


def _is_date(text: str, start: int, end: int) -> bool:
    return (
        _DATE_AFTER.match(text, end) is not None
        or _DATE_BEFORE.search(text, max(0, start - 8), start) is not None
    )


def _other_person(ctx: TextContext, start: int, end: int) -> bool:
    # "Gjert Ingebrigtsen", "Muhammad Ali": a capitalised non-word next to a surname makes
    # it part of someone else's name, so it must not resolve to a KB athlete.
    toks = ctx.cap_tokens
    i = ctx.cap_index(start)
    if i is None:
        return False
    t = ctx.text
    if i > 0 and toks[i - 1][1] == start - 1 and t[start - 1] == " ":
        if not ctx.is_ordinary(toks[i - 1][2]):
            return True
    if i + 1 < len(toks) and toks[i + 1][0] == end + 1 and t[end] == " ":
        return not ctx.is_ordinary(toks[i + 1][2])
    return False


def find_people(
    ctx: TextContext, *, taken: bytearray | None = None, known: Collection[str] = ()
) -> list[Suggestion]:
    """People not in the KB: runs of 2-3 capitalised name tokens in a sporting sentence.

    ``known`` are tokens of known names (the KB's): never mistaken for a sentence-initial verb.
    """
    text = ctx.text
    toks = ctx.cap_tokens
    out: list[Suggestion] = []
    i, n = 0, len(toks)
    while i < n:
        # Most capitalised words stand alone; only runs of adjacent ones can be a full name.
        j = i
        while j + 1 < n and toks[j + 1][0] == toks[j][1] + 1 and text[toks[j][1]] in " \u00a0":
            j += 1
        # A run whose every word is taken (a KB name, an event) holds no part to emit.
        if j > i and (taken is None or not all(taken[t[0]] for t in toks[i : j + 1])):
            _emit_runs(ctx, toks[i : j + 1], taken, known, out)
        i = j + 1
    return out


def _emit_runs(
    ctx: TextContext,
    run: list[tuple[int, int, str]],
    taken: bytearray | None,
    known: Collection[str],
    out: list[Suggestion],
) -> None:
    # Stop words split a run: "Kenyan Mary Moraa" -> "Mary Moraa".
    part: list[tuple[int, int, str]] = []
    for tok in [*run, None]:
        if tok is not None and name_like(ctx, tok, known):
            part.append(tok)
            continue
        if 2 <= len(part) <= 3:
            s, e = part[0][0], part[-1][1]
            if (
                (taken is None or taken.find(1, s, e) == -1)
                and (ctx.athletic(s) or _LISTING.match(ctx.text, e))
                and not _NON_ATHLETE_ROLE.search(ctx.text, max(0, s - 24), s)
            ):
                out.append(Suggestion(s, e, "athlete", ctx.text[s:e], 0.5, "pattern-name"))
        part = []


def name_like(ctx: TextContext, tok: tuple[int, int, str], known: Collection[str]) -> bool:
    s, _, word = tok
    if len(word) < 2 or word.isupper() or ctx.is_ordinary(word):
        return False
    # A capitalised verb or adverb opening a sentence ("Reflecting", "Surprisingly"), unless
    # it is a known given name ("Winfred", "Kimberly", "Sterling").
    if not word.endswith(("ing", "ed", "ly")):
        return True
    if word in VERB_LIKE_GIVEN_NAMES or word in known:
        return True
    return not ctx.is_sentence_initial(s)


# Adverbs that open a sentence before a name ("Later Ingebrigsten said"): not first names.
_OPENERS = frozenset(
    "afterwards already earlier eventually finally instead later once overall today tonight "
    "ultimately yesterday".split()
)


def first_name_like(ctx: TextContext, tok: tuple[int, int, str], known: Collection[str]) -> bool:
    """Whether a capitalised token right before a surname reads as someone's first name."""
    if not name_like(ctx, tok, known):
        return False
    word = tok[2]
    if word in known or not ctx.is_sentence_initial(tok[0]):
        return True
    return word.lower() not in _OPENERS and not word.endswith("wards")


def find_pattern_mentions(
    ctx: TextContext, people: Iterable[Suggestion], *, taken: bytearray | None = None
) -> list[Suggestion]:
    """Later (or earlier) mentions of people found by pattern: the same full name again, and
    the bare surname ("Kiprono Lemayian ... Lemayian said"), as KB surnames after a full name.
    """
    text = ctx.text
    by_first: dict[str, set[str]] = defaultdict(set)  # first token -> full names
    surnames: set[str] = set()
    for p in people:
        if p.rule != "pattern-name":
            continue
        by_first[p.text.split(" ", 1)[0]].add(p.text)
        sn = surname_of(p.text)
        if " " not in sn and len(sn) >= 3 and not ctx.is_ordinary(sn):
            surnames.add(sn)
    if not by_first:
        return []
    mark = bytearray(taken) if taken is not None else bytearray(len(text))
    out: list[Suggestion] = []
    # One pass over the capitalised tokens: a str.find per name would rescan a long text.
    for s, e, tok in ctx.cap_tokens:
        if mark[s]:
            continue
        for name in by_first.get(tok, ()):
            ne = s + len(name)
            if (
                text.startswith(name, s)
                and mark.find(1, s, ne) == -1
                and at_word_boundary(text, s, ne)
            ):
                out.append(Suggestion(s, ne, "athlete", name, 0.5, "pattern-name"))
                mark[s:ne] = b"\x01" * (ne - s)
                break
        else:
            if tok in surnames and mark.find(1, s, e) == -1 and not _other_person(ctx, s, e):
                out.append(Suggestion(s, e, "athlete", tok, 0.5, "pattern-surname"))
    return out


class SpacyPeople:
    """PERSON entities from an installed spaCy pipeline; never downloads one."""

    def __init__(self) -> None:
        self._nlp = None
        models = installed_spacy_pipelines()
        if not models:
            return
        try:
            import spacy  # optional: the suggester only gains PERSON entities

            self._nlp = spacy.load(models[0], exclude=["lemmatizer", "textcat"])
        except Exception:  # a broken pipeline must not break suggestions
            log.warning(
                "spaCy pipeline could not be loaded; PERSON suggestions are off", exc_info=True
            )

    @property
    def available(self) -> bool:
        return self._nlp is not None

    def find(self, ctx: TextContext, *, taken: bytearray | None = None) -> list[Suggestion]:
        if self._nlp is None:
            return []
        out = []
        for ent in self._nlp(ctx.text).ents:
            s, e = ent.start_char, ent.end_char
            if (
                ent.label_ == "PERSON"
                and " " in ent.text
                and ctx.athletic(s)
                and not _NON_ATHLETE_ROLE.search(ctx.text, max(0, s - 24), s)
            ):
                if taken is None or taken.find(1, s, e) == -1:
                    out.append(Suggestion(s, e, "athlete", ctx.text[s:e], 0.6, "spacy-person"))
        return out


# The text helpers moved to text_helpers; other suggesters still import them from here.
__all__ = [
    "COMMON_WORDS",
    "LOWER_WORD",
    "NAME_TOKEN",
    "NATIONALITIES",
    "PLACE_EVENT_WORDS",
    "STOP_WORDS",
    "VERB_LIKE_GIVEN_NAMES",
    "NameMatcher",
    "SpacyPeople",
    "TextContext",
    "as_context",
    "at_word_boundary",
    "find_pattern_mentions",
    "find_people",
    "first_name_like",
    "installed_spacy_pipelines",
    "is_word_char",
    "name_like",
    "pick_non_overlapping",
    "sentences",
    "surname_of",
]
