"""Weekdays, with their time of day: "on Saturday", "Friday morning", "last Sunday".

date-weekday   "on Saturday", "Friday morning", "last Sunday", "next Tuesday" (0.7):
               "last X" the latest X strictly before ``published``; "next X" the first X
               strictly after; "this X" and a bare X: ``published`` itself when it is an X,
               else the nearest X within ±6 days, preferring the future unless the nearest
               tense marker in the clause (before the weekday, or just after it when none
               precedes) is past: "said on Thursday" is past, "will race on Saturday" and
               "resumes on Saturday" future. "every Saturday", "that Friday", "Good Friday"
               are not dates. Abbreviated weekdays ("Sat", "Sun") are never read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ...sentences import ends_sentence
from ..scan import finditer_at
from . import patterns as P
from .common import (
    C_RELATIVE,
    C_UNRESOLVED,
    RULE_WEEKDAY,
    Cand,
    is_name_before,
    sentence_start,
    word_before,
    word_start,
)


def weekday_dates(text: str, pub: dt.date | None, at: P.Openings | None = None) -> Iterable[Cand]:
    """``at``: where P.OPENING_WORDS start in ``text``, when known."""
    for m in finditer_at(P.WEEKDAY, text, at["weekday"] if at is not None else None):
        start = m.start()
        if not word_start(text, start):
            continue
        w, wstart = word_before(text, start)
        mod = w.lower()
        if mod in ("last", "next", "this"):
            if w[0].isupper() and not sentence_start(text, wstart):
                continue
            start = wstart
        else:
            mod = ""
            if w.lower() in P.WEEKDAY_VETO or is_name_before(text, start):
                continue  # "every Saturday", "that Friday", "Good Friday"
        if pub is None:
            yield Cand(start, m.end(), RULE_WEEKDAY, None, C_UNRESOLVED)
            continue
        wd = P.WEEKDAYS[m["wd"].lower()]
        ahead = (wd - pub.weekday()) % 7
        back = (pub.weekday() - wd) % 7
        if mod == "last":
            d = pub - dt.timedelta(days=back or 7)
        elif mod == "next":
            d = pub + dt.timedelta(days=ahead or 7)
        elif ahead == 0:
            d = pub
        elif mod != "this" and _clause_is_past(text, m.start(), m.end()):
            d = pub - dt.timedelta(days=back)
        else:
            d = pub + dt.timedelta(days=ahead)
        yield Cand(start, m.end(), RULE_WEEKDAY, d.isoformat(), C_RELATIVE)


def _clause_is_past(text: str, start: int, end: int) -> bool:
    """The nearest tense marker before the weekday in its sentence, else one within 40
    characters after it; no marker reads as future (news: "Kerr races on Saturday")."""
    lo = max(0, start - 250)
    head = text[lo:start]
    # The clause starts after the last mark that breaks one: tried from the end, as most
    # marks before the last break do not matter.
    for i in reversed([b.start() for b in P.SENTENCE_BREAK.finditer(head)]):
        if _breaks_clause(text, lo + i):
            head = head[i + 1 :]
            break
    best: tuple[int, bool] | None = None
    for rx, past in ((P.FUTURE_MARKERS, False), (P.PAST_MARKERS, True)):
        for mk in rx.finditer(head):
            if best is None or mk.start() > best[0]:
                best = (mk.start(), past)
    if best is not None:
        return best[1]
    tail = text[end : end + 40]
    cuts = (b for b in P.SENTENCE_BREAK.finditer(tail) if _breaks_clause(text, end + b.start()))
    cut = next(cuts, None)
    if cut:
        tail = tail[: cut.start()]
    first: tuple[int, bool] | None = None
    for rx, past in ((P.FUTURE_MARKERS, False), (P.PAST_MARKERS, True)):
        hit = rx.search(tail)
        if hit and (first is None or hit.start() < first[0]):
            first = (hit.start(), past)
    return first is not None and first[1]


def _breaks_clause(text: str, i: int) -> bool:
    """A line break or bullet, or a mark the shared splitter ends a sentence at: the decimal
    point of "ran 3:26.73 on Saturday" or the "Mr." of "Mr. Kerr" does not cut the clause."""
    return text[i] in "\n•" or ends_sentence(text, i)
