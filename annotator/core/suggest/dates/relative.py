"""Dates counted from the publication date: "last October", "this year", "nine months ago".

  date-relative  resolved against ``published`` (0.7; value None and 0.5 without it):
                 "this/last/next year" -> year; "earlier/later this year|month|week" ->
                 interval up to/from ``published``; "last/this/next month|week" -> interval;
                 "last October" -> the latest October strictly before the published month
                 (interval), "next October" the first one strictly after, "this October" the
                 published year's; "this weekend" -> the Sat–Sun of the published week (the
                 one just begun if published on a Sunday), "last weekend" -> the latest Sat–Sun
                 ending before ``published`` ("next weekend" is ambiguous: skipped);
                 "last summer" -> the latest Jun–Aug that ended before ``published`` (so the
                 previous year's when published before September; likewise spring Mar–May,
                 autumn Sep–Nov, winter Dec–Feb), "this summer" the published year's,
                 "next summer" the first one starting after ``published``;
                 "this/last/next season" -> the calendar year (0.6: athletics seasons follow
                 it, winter ones do not); "yesterday/today/tomorrow/tonight/last night";
                 "nine months ago" (month arithmetic with relativedelta: days -> day, weeks ->
                 the Mon–Sun week, months -> that month as an interval, years -> year);
                 "a couple of weeks ago" / "a few days ago" -> interval (2±1, 3±1 units, 0.6);
                 "two months out from <event>" -> the month two months *after* published,
                 i.e. when the event is said to be (what a fact-checker verifies).
                 "the last year", "his last season" are durations, not dates: skipped.

A month *reached by inference* ("last October", "nine months ago") is the interval of its days,
not "YYYY-MM", so a consumer can tell a stated month from a computed one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from dateutil.relativedelta import relativedelta

from ..scan import finditer_at
from . import patterns as P
from .common import (
    C_FUZZY,
    C_RELATIVE,
    C_UNRESOLVED,
    ONE_DAY,
    RULE_RELATIVE,
    Cand,
    add_months,
    interval,
    month_end,
    month_interval,
    prev_word,
    sentence_start,
    week,
    word_start,
)

_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}
_DAY_SHIFT = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0}
_FUZZY_COUNTS = {"couple of": 2, "a couple of": 2, "a few": 3}


def relative_dates(text: str, pub: dt.date | None, at: P.Openings | None = None) -> Iterable[Cand]:
    """date-relative: "last/this/next <unit>", "yesterday"…, "<n> <units> ago". ``at``:
    where P.OPENING_WORDS start in ``text``, when known."""
    yield from _modified_units(text, pub, at["relative"] if at is not None else None)
    yield from _day_words(text, pub, at["day_word"] if at is not None else None)
    for m in finditer_at(P.AGO, text, at["ago"] if at is not None else None):
        s = m.start()
        if not word_start(text, s):
            continue
        head = P.COUNT_BEFORE.search(text, max(0, s - 32), s)
        if head is not None:
            c = _count_ago(head, m.group() == "out", m.end(), pub)
            if c is not None:
                yield c


def _modified_units(text: str, pub: dt.date | None, starts: Sequence[int] | None) -> Iterable[Cand]:
    for m in finditer_at(P.RELATIVE, text, starts):
        s = m.start()
        if not word_start(text, s):
            continue
        mod = m["mod"].lower()
        adv = ""
        if mod in ("earlier", "later"):
            if not m["this"]:
                continue
            adv, mod = mod, "this"
        elif m["this"]:
            continue
        if m["mod"][0].isupper() and not sentence_start(text, s):
            continue  # "Last Chance Meeting"
        unit = m["unit"].lower()
        if mod in ("last", "next") and not adv:
            if prev_word(text, s).lower() in P.LAST_NEXT_VETO:
                continue  # "over the last year", "his last season"
        if unit == "night" and (mod != "last" or adv):
            continue
        if unit == "weekend" and (mod == "next" or adv):
            continue
        if adv and unit not in ("year", "month", "week"):
            continue
        conf = C_FUZZY if unit == "season" else C_RELATIVE
        if pub is None:
            yield Cand(s, m.end(), RULE_RELATIVE, None, C_UNRESOLVED)
            continue
        if unit == "night":
            value: str | None = (pub - ONE_DAY).isoformat()
        else:
            value = _resolve_relative(mod, adv, unit, pub)
        if value is not None:
            yield Cand(s, m.end(), RULE_RELATIVE, value, conf)


def _day_words(text: str, pub: dt.date | None, starts: Sequence[int] | None) -> Iterable[Cand]:
    for m in finditer_at(P.DAY_WORD, text, starts):
        s = m.start()
        if not word_start(text, s):
            continue
        w = m.group().lower()
        if m.group()[0].isupper() and not sentence_start(text, s):
            continue  # "USA Today", "the Today programme"
        if prev_word(text, s).lower() in {"the", "of", "a"}:
            continue
        if w == "today" and P.TODAY_GENERIC.match(text, m.end()):
            continue  # "in today's game"
        if pub is None:
            yield Cand(s, m.end(), RULE_RELATIVE, None, C_UNRESOLVED)
            continue
        yield Cand(
            s,
            m.end(),
            RULE_RELATIVE,
            (pub + dt.timedelta(days=_DAY_SHIFT[w])).isoformat(),
            C_RELATIVE,
        )


def _season(name: str, y: int) -> tuple[dt.date, dt.date]:
    first = dt.date(y, _SEASONS[name], 1)
    return first, month_end(add_months(first, 2))


def _resolve_relative(mod: str, adv: str, unit: str, pub: dt.date) -> str | None:
    step = {"this": 0, "last": -1, "next": 1}[mod]
    if unit == "year" or unit == "season":
        if adv == "earlier":
            return interval(dt.date(pub.year, 1, 1), pub)
        if adv == "later":
            return interval(pub, dt.date(pub.year, 12, 31))
        return f"{pub.year + step:04d}"
    if unit == "month":
        if adv == "earlier":
            return interval(pub.replace(day=1), pub)
        if adv == "later":
            return interval(pub, month_end(pub))
        return month_interval(add_months(pub, step))
    if unit == "week":
        monday, sunday = week(pub)
        if adv == "earlier":
            return interval(monday, pub)
        if adv == "later":
            return interval(pub, sunday)
        monday += dt.timedelta(weeks=step)
        return interval(monday, monday + dt.timedelta(days=6))
    if unit == "weekend":
        if mod == "this":
            sat = pub - ONE_DAY if pub.weekday() == 6 else pub + dt.timedelta(5 - pub.weekday())
        else:  # last: the latest Sunday strictly before pub
            sun = pub - dt.timedelta(days=(pub.weekday() + 1) % 7 or 7)
            sat = sun - ONE_DAY
        return interval(sat, sat + ONE_DAY)
    if unit in _SEASONS:
        if adv:
            return None
        if mod == "this":
            y = pub.year - 1 if unit == "winter" and pub.month <= 2 else pub.year
            return interval(*_season(unit, y))
        years = range(pub.year - 2, pub.year + 2)
        spans = [_season(unit, y) for y in years]
        if mod == "last":
            a, b = max((s for s in spans if s[1] < pub), key=lambda s: s[0])
        else:
            a, b = min((s for s in spans if s[0] > pub), key=lambda s: s[0])
        return interval(a, b)
    month = P.MONTHS[unit]
    if adv:
        return None
    if mod == "last":
        y = pub.year if month < pub.month else pub.year - 1
    elif mod == "next":
        y = pub.year if month > pub.month else pub.year + 1
    else:
        y = pub.year
    return month_interval(dt.date(y, month, 1))


def _count_ago(m: re.Match[str], out: bool, end: int, pub: dt.date | None) -> Cand | None:
    raw = " ".join(m["n"].lower().split())
    unit = m["unit"].lower().rstrip("s")
    fuzzy = _FUZZY_COUNTS.get(raw)
    n = fuzzy or (int(raw) if raw.isdigit() else P.NUMBER_WORDS[raw])
    if n == 0 or (raw.isdigit() and n > 60):
        return None
    conf = C_FUZZY if fuzzy else C_RELATIVE
    if pub is None:
        return Cand(m.start(), end, RULE_RELATIVE, None, C_UNRESOLVED)
    sign = 1 if out else -1

    def shifted(k: int) -> dt.date:
        if unit == "day":
            return pub + dt.timedelta(days=sign * k)
        if unit == "week":
            return pub + dt.timedelta(weeks=sign * k)
        if unit == "month":
            return pub + relativedelta(months=sign * k)
        return pub + relativedelta(years=sign * k)

    if fuzzy:
        a, b = sorted((shifted(n - 1), shifted(n + 1)))
        if unit == "month":
            a, b = a.replace(day=1), month_end(b.replace(day=1))
        elif unit == "year":
            a, b = dt.date(a.year, 1, 1), dt.date(b.year, 12, 31)
        return Cand(m.start(), end, RULE_RELATIVE, interval(a, b), conf)
    d = shifted(n)
    if unit == "day":
        value = d.isoformat()
    elif unit == "week":
        value = interval(*week(d))
    elif unit == "month":
        value = month_interval(d)
    else:
        value = f"{d.year:04d}"
    return Cand(m.start(), end, RULE_RELATIVE, value, conf)
