"""Event mentions: KB names and aliases, generic event patterns, and which edition is meant.

KB events share aliases across editions ("World Championships" is every one of them), so a
mention is matched first and its edition resolved second, from qualifiers next to it (a year,
a host city, "last August") or else from the article's publication date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..kb import Event, KnowledgeBase
from ..kbcsv import fold
from .automaton import Automaton
from .event_editions import CAP, CAP_REST, YEAR, EditionResolver, Qualifier, year_matches
from .event_patterns import (
    ANCHOR,
    DIAMOND_TAIL,
    RACE_TAIL,
    national_championships,
    races,
    trailing_place,
)
from .model import Suggestion
from .scan import finditer_at
from .text_helpers import (
    PLACE_EVENT_WORDS,
    STOP_WORDS,
    TextContext,
    as_context,
    at_word_boundary,
    pick_non_overlapping,
)


def _anchor_kind(word: str) -> tuple[str, str]:
    """What event an event_patterns.ANCHOR match ends: (kind, what precedes the anchor):
    "city" required, "city?" optional, "name" one or two capitalised words, "" nothing."""
    # Bare "Olympics", "Worlds" and "Diamond League" are events too (the guide): the edition
    # is left to the qualifiers and the publication date.
    if word.startswith("Olympic"):
        return ("olympics", "city?")
    if word.startswith("World"):
        return ("world_indoors", "") if "Indoor" in word else ("world_championships", "city?")
    if word.startswith("Diamond"):
        return (
            ("diamond_league", "city?")
            if word == "Diamond League"
            else ("diamond_league_final", "")
        )
    return {
        "Commonwealth Games": ("commonwealth_games", ""),
        "Marathon": ("marathon_major", "city"),
        "Half Marathon": ("named_race", "name"),
    }.get(
        word,
        ("continental_championships", "")
        if word.startswith("European")
        else ("named_race", "name"),
    )


# One or two capitalised words right before an anchor (searched up to it): "<Cap> <Cap> $"
# after no word character or hyphen, that check made on the first letter so that `re` skips
# to capitals (scan.py).
_CAPS_BEFORE = re.compile(rf"[A-Z](?<![\w\-].){CAP_REST}(?: {CAP})? $")
_HOST_KINDS = ("olympics", "world_championships", "world_indoors", "commonwealth_games")
# Capitalised words that open a phrase but never an event's name ("The", "At", "Olympic").
_NOT_A_NAME = STOP_WORDS - PLACE_EVENT_WORDS | {"olympic", "commonwealth", "the", "world"}
_TITLE_AFTER = re.compile(r" (?:title|trophy|crown|champions?|standings|points|leader)\b")


@dataclass(slots=True)
class EventMention:
    start: int
    end: int
    text: str
    rule: str  # kb-event | pattern-event
    kind: str | None
    candidates: tuple[Event, ...]  # editions the name alone allows
    event: Event | None = None
    fixed_by: str | None = None  # what pinned the edition uniquely, if anything did
    conflicts: list[Qualifier] = field(default_factory=list)  # qualifiers the edition rejects

    def suggestion(self) -> Suggestion:
        conf = 0.9 if self.rule == "kb-event" else 0.6
        return Suggestion(
            self.start,
            self.end,
            "event",
            self.text,
            conf,
            self.rule,
            note=f"KB: {describe_event(self.event)}" if self.event else None,
            entity=self.event.key if self.event else None,
        )


_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def describe_event(e: Event) -> str:
    """'Paris Olympics, 1–11 Aug 2024 (Paris)': the evidence a fact-checker reads in a note."""
    when = str(e.year or "")
    if e.start and e.end and e.start.year == e.end.year:
        s, t = e.start, e.end
        if s == t:
            when = f"{s.day} {_MONTHS[s.month - 1]} {s.year}"
        elif s.month == t.month:
            when = f"{s.day}–{t.day} {_MONTHS[s.month - 1]} {s.year}"
        else:
            when = f"{s.day} {_MONTHS[s.month - 1]} – {t.day} {_MONTHS[t.month - 1]} {t.year}"
    elif e.start:
        when = f"{e.start.day} {_MONTHS[e.start.month - 1]} {e.start.year}"
    out = f"{e.name}, {when}" if when else e.name
    return f"{out} ({e.city})" if e.city else out


class EventMatcher(EditionResolver):
    def __init__(self, kb: KnowledgeBase) -> None:
        self.events = tuple(kb.events)
        # Each host city as a text may spell it: "Zurich" for "Zürich", "Torun" for "Toruń".
        self.city_of = {
            spelling: city
            for city in {e.city for e in self.events if e.city}
            for spelling in (fold(city).title(), city)  # the KB's own spelling wins
        }
        self._by_kind: dict[str, list[Event]] = defaultdict(list)
        keys: dict[str, list[Event]] = defaultdict(list)
        for e in self.events:
            self._by_kind[e.kind].append(e)
            for n in {e.name, *e.aliases}:
                keys[" ".join(n.split())].append(e)
        self._auto: Automaton[tuple[Event, ...]] | None = None
        if keys:
            self._auto = Automaton({k: tuple(evs) for k, evs in keys.items()})
        # As NameMatcher.hits_key: this automaton's hits, left by the engine.
        self.hits_key = f"event-hits:{id(self)}"
        hosts = sorted({ev.city for k in _HOST_KINDS for ev in self._by_kind.get(k, ()) if ev.city})
        self.host_cities = hosts  # what every _city_year match opens with
        self._city_year = (
            re.compile(rf"(?:{'|'.join(map(re.escape, hosts))}) {YEAR}") if hosts else None
        )

    def find(
        self,
        text: str | TextContext,
        *,
        published: dt.date | None = None,
        openings: Mapping[str, Sequence[int]] | None = None,
    ) -> list[EventMention]:
        """The event mentions of a text, resolved to KB editions where they can be.
        ``openings``: where event_patterns.OPENING_WORDS and ``host_cities`` start
        (suggest/openings.py), when known."""
        ctx = as_context(text)
        t = ctx.text
        found: list[EventMention] = []
        if self._auto is not None:
            hits = ctx.memo.get(self.hits_key)
            for s, e, evs in hits if isinstance(hits, list) else self._auto.iter(t):
                if at_word_boundary(t, s, e):
                    kinds = {ev.kind for ev in evs}
                    kind = kinds.pop() if len(kinds) == 1 else None
                    found.append(EventMention(s, e, t[s:e], "kb-event", kind, evs))
        at = openings["anchor"] if openings is not None else None
        for m in finditer_at(ANCHOR, t, at):
            if (mention := self._pattern(ctx, m)) is not None:
                found.append(mention)
        for kind, scan, group in (
            ("race", races, "race_end"),
            ("national_championships", national_championships, "national_end"),
        ):
            at = openings[group] if openings is not None else None
            found += (
                EventMention(*m.span(), m.group(), "pattern-event", kind, ()) for m in scan(t, at)
            )
        for mention in found:
            _take_tail(t, mention)
        if self._city_year is not None:
            at = openings.get("host") if openings is not None else None
            for m in finditer_at(self._city_year, t, at):
                if (mention := self._host_year(ctx, m)) is not None:
                    found.append(mention)
        # KB names first, then longer spans: a pattern never overrides a KB name it overlaps.
        found.sort(key=lambda m: (m.rule != "kb-event", m.start - m.end, m.start))
        kept = sorted(pick_non_overlapping(found), key=lambda m: m.start)
        for mention in kept:
            self._resolve(ctx, mention, published)
        for i, mention in enumerate(kept):
            self._trailing_place(t, mention, kept[i + 1].start if i + 1 < len(kept) else len(t))
        return kept

    def _trailing_place(self, t: str, m: EventMention, limit: int) -> None:
        # A linked edition took its agreeing host city in _extend; an unlinked mention takes
        # the place it is said to be in ("Kenyan trials in Nairobi", "5000m final in Oslo").
        if m.event is not None:
            return
        end = trailing_place(t, m.end, self.city_of.keys())
        if end is not None and end <= limit:
            m.end = end
            m.text = t[m.start : m.end]

    def _pattern(self, ctx: TextContext, m: re.Match[str]) -> EventMention | None:
        t = ctx.text
        s, e = m.span()
        if not at_word_boundary(t, s, e):
            return None
        kind, before = _anchor_kind(m.group())
        if _TITLE_AFTER.match(t, e):
            return None  # "Diamond League trophy", "Worlds title": a title, not the event
        if (s == 0 or t[s - 1] == "\n") and (e == len(t) or t[e] in "\r\n"):
            return None  # a line of its own: a page's category tag ("Olympics"), not a mention
        city = None
        if before:
            pm = _CAPS_BEFORE.search(t, max(0, s - 60), s)
            words = t[pm.start() : s - 1].split(" ") if pm else []
            while words and words[0].lower() in _NOT_A_NAME:  # "The Bowerman Mile"
                words.pop(0)
            if before == "name":
                if not words:
                    return None  # "The Mile"
                s -= len(" ".join(words)) + 1
            elif words:
                # Every capitalised word before the anchor is part of the name, not only the
                # last one; the host city is all of them if the KB knows it, else the last.
                joined = " ".join(words)
                city = self.city_of.get(joined, words[-1])
                s -= len(joined) + 1
            elif before == "city":
                return None  # "the Olympics" names no edition
        # A named race absent from the KB stays unlinked: its name says nothing of an edition;
        # nor does the bare "Diamond League", the series rather than one meeting.
        if kind == "named_race" or (kind == "diamond_league" and city is None):
            cands: tuple[Event, ...] = ()
        else:
            cands = tuple(self._by_kind.get(kind, ()))
        if city:  # the host city is part of the name
            cands = tuple(ev for ev in cands if ev.city == city)
        return EventMention(s, e, t[s:e], "pattern-event", kind, cands)

    def _host_year(self, ctx: TextContext, m: re.Match[str]) -> EventMention | None:
        # "Paris 2024" is an event only when exactly one KB championship fits city and year.
        s, e = m.span()
        city, year = m.group()[:-5], int(m.group()[-4:])
        cands = tuple(
            ev
            for k in _HOST_KINDS
            for ev in self._by_kind.get(k, ())
            if ev.city == city and year_matches(ev, year)
        )
        if len(cands) != 1 or not at_word_boundary(ctx.text, s, e):
            return None
        return EventMention(s, e, m.group(), "pattern-event", cands[0].kind, cands)


def _take_tail(t: str, m: EventMention) -> None:
    """ "Diamond League 1500m", "Diamond League meeting", "Paris Olympics 1500m final": the
    race or meeting named right after an event's name is part of its span."""
    tail = (DIAMOND_TAIL if m.text.endswith("Diamond League") else RACE_TAIL).match(t, m.end)
    if tail is not None:
        m.end = tail.end()
        m.text = t[m.start : m.end]
