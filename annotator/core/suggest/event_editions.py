"""Which edition of an event a mention means: the year and host city written next to it, the
host city named in its sentence, a relative date bound to it ("last year's World
Championships") and the publication date.

A mixin of EventMatcher (events.py), which finds the mentions and keeps the KB's host cities
(``city_of``: each spelling a text may use, "Zurich" as well as "Zürich", to the KB's).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..kb import Event
from .scan import initial_words
from .text_helpers import TextContext, at_word_boundary

if TYPE_CHECKING:
    from .events import EventMention

#: The regular-expression parts of a capitalised word and of a year, shared with events.py.
CAP_REST = r"[a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?"
CAP = rf"[A-Z]{CAP_REST}"
YEAR = r"(?:19|20)\d\d"
_TRAIL_CITY = re.compile(rf" (?:in|at) (?P<city>{CAP})")
_TRAIL_YEAR = re.compile(
    rf"(?: (?:in|at) {CAP}(?:, {CAP})?)?,? (?:in|of|back in) (?P<year>{YEAR})\b"
)
_PREFIX_YEAR = re.compile(rf"(?P<year>{YEAR})(?:'s)? $")
_PREFIX_CITY = re.compile(r"([A-Z][\w-]+) $")
_REL = (
    r"(?P<rel>last|this|next) (?P<unit>year|season|summer|winter|spring|autumn|January|"
    r"February|March|April|May|June|July|August|September|October|November|December)"
)
_REL_AFTER = re.compile(rf"(?: (?:in|at) {CAP})?,? {_REL}\b")
_REL_BEFORE = re.compile(rf"{_REL}(?:'s|’s) (?:the )?$")
# \b(?:ahead of|…)\b, opening with the class of first letters (scan.py).
_AHEAD = re.compile(
    initial_words(
        [
            "ahead of",
            "upcoming",
            "build-up to",
            "run-up to",
            "next",
            "will",
            "set to",
            "looking to",
        ],
        ignorecase=True,  # "Ahead of the Worlds, ..."
    )
    + r"\b"
)
# A coordinated clause of its own after the mention: its "will" is not the mention's ("ran at
# the London Marathon in April and will run Berlin").
_NEXT_CLAUSE = re.compile(r";| and | but ")


@dataclass(frozen=True, slots=True)
class Qualifier:
    start: int
    end: int
    kind: str  # prefix-year | prefix-city | year | city
    value: str | int


def year_matches(e: Event, year: int) -> bool:
    years = {e.year, e.start.year if e.start else None, e.end.year if e.end else None}
    # "Tokyo 2020" happened in 2021: a year an alias carries is not a contradiction.
    return year in years or any(str(year) in a for a in (e.name, *e.aliases))


class EditionResolver:
    city_of: Mapping[str, str]

    def _resolve(self, ctx: TextContext, m: EventMention, published: dt.date | None) -> None:
        t = ctx.text
        quals: list[Qualifier] = []
        # A city inside the name narrows a shared alias, but is never itself a contradiction.
        cities = self.city_of
        name_city = next((cities[w] for w in m.text.split() if w in cities), None)
        if name_city and len(m.candidates) > 1:
            quals.append(Qualifier(m.start, m.end, "prefix-city", name_city))
        if py := _PREFIX_YEAR.search(t, max(0, m.start - 8), m.start):
            quals.append(Qualifier(py.start(), py.start() + 4, "prefix-year", int(py["year"])))
        pc = _PREFIX_CITY.search(t, max(0, m.start - 24), m.start)
        if pc and pc.group(1) in cities:
            city = cities[pc.group(1)]
            quals.append(Qualifier(m.start - len(pc.group(0)), m.start - 1, "prefix-city", city))
        trail_city = _TRAIL_CITY.match(t, m.end)
        if trail_city and trail_city["city"] in cities:
            c = trail_city
            quals.append(Qualifier(c.start("city"), c.end("city"), "city", cities[c["city"]]))
        trail_year = _TRAIL_YEAR.match(t, m.end)
        if trail_year:
            y = trail_year
            quals.append(Qualifier(y.start("year"), y.end("year"), "year", int(y["year"])))
        cands = list(m.candidates)
        if len(cands) == 1:
            m.fixed_by = "name"
        order = ("prefix-year", "prefix-city", "year", "city")
        for q in sorted(quals, key=lambda q: order.index(q.kind)):
            if isinstance(q.value, int):
                kept = [ev for ev in cands if year_matches(ev, q.value)]
            else:
                kept = [ev for ev in cands if ev.city == q.value]
            if kept:
                cands = kept
                if len(cands) == 1 and m.fixed_by is None:
                    m.fixed_by = q.kind
            elif len(cands) == 1 and m.fixed_by is not None:
                m.conflicts.append(q)
        if len(cands) > 1:
            cands = self._by_context(ctx, m, cands, published)
        if len(cands) == 1:
            m.event = cands[0]
            self._extend(ctx, m, quals)

    def _by_context(
        self, ctx: TextContext, m: EventMention, cands: list[Event], published: dt.date | None
    ) -> list[Event]:
        s, e = ctx.sentence_at(m.start)
        sentence = ctx.text[s:e]
        in_city = [ev for ev in cands if ev.city and _mentions(sentence, ev.city)]
        if in_city:
            cands = in_city
        if published is None or len(cands) == 1:
            return cands
        # Only a relative date bound to the mention counts: "the Worlds in Budapest last
        # August", "last year's World Championships"; not "since last September" elsewhere.
        rel = _REL_AFTER.match(ctx.text, m.end) or _REL_BEFORE.search(
            ctx.text, max(s, m.start - 24), m.start
        )
        if rel:
            year = published.year + {"last": -1, "this": 0, "next": 1}[rel["rel"]]
            if rel["rel"] == "last" and rel["unit"] in _MONTH_NAMES:
                month = _MONTH_NAMES.index(rel["unit"]) + 1
                year = published.year - (1 if month >= published.month else 0)
            # "last year" with no edition last year rules the others out too: leave it unlinked.
            return [ev for ev in cands if year_matches(ev, year)]
        # Previews are written days before a meeting and "ahead of ..." looks further forward;
        # otherwise an article means the latest edition that had started by its date.
        ahead = _looks_ahead(sentence, m.start - s, m.end - s)
        horizon = published + dt.timedelta(days=366 if ahead else 14)
        upcoming = [ev for ev in cands if published < _first_day(ev) <= horizon]
        if upcoming:
            return [min(upcoming, key=_first_day)]
        past = [ev for ev in cands if _first_day(ev) <= published]
        return [max(past, key=_first_day)] if past else cands

    def _extend(self, ctx: TextContext, m: EventMention, quals: Sequence[Qualifier]) -> None:
        # A qualifier that agrees with the edition is part of the mention: "the 2024 Paris
        # Olympics", "Budapest World Championships", "World Championships in Tokyo".
        ev = m.event
        assert ev is not None
        for q in quals:
            agrees = year_matches(ev, q.value) if isinstance(q.value, int) else ev.city == q.value
            if not agrees or q in m.conflicts:
                continue
            if q.kind.startswith("prefix") and q.start < m.start:
                m.start = q.start
            elif q.kind == "city" and q.end > m.end:
                m.end = q.end
        m.text = ctx.text[m.start : m.end]


def _looks_ahead(sentence: str, start: int, end: int) -> bool:
    """Whether the sentence looks forward to the mention at sentence[start:end]: a word such
    as "will" or "ahead of" before it, or after it in the same clause."""
    for a in _AHEAD.finditer(sentence):
        if a.group() == "Will" and sentence[a.end() + 1 : a.end() + 2].isupper():
            continue  # a name: "Will Claye jumped at the Worlds"
        if a.start() < start or not _NEXT_CLAUSE.search(sentence, end, a.start()):
            return True
    return False


def _first_day(ev: Event) -> dt.date:
    return ev.start or dt.date(ev.year or 1, 1, 1)


def _mentions(sentence: str, word: str) -> bool:
    i = sentence.find(word)
    return i >= 0 and at_word_boundary(sentence, i, i + len(word))


_MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()
