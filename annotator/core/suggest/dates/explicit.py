"""Dates written out: month names with a day or a year, numeric dates and years.

  date-explicit  month names: "September 13th", "13 September", "6 August 2024",
                 "August 6, 2024", "Tuesday August 6th" (the weekday is in the span), "Aug. 6",
                 "13-21 September", "13 to 21 September" (interval), "August 2024" (month),
                 "in May" (month).
                 With a year 0.95 (0.8 and a note when the weekday contradicts it); month+day
                 without a year, resolved against ``published``, 0.85; month only 0.75;
                 "August 2024" 0.9. Unresolvable (no year, no ``published``): value None, 0.5.
  date-numeric   "2024-08-06", "2024/08/06" 0.95; "13/09/2025", "13.09.2025" 0.9 only when the
                 order is certain (one number > 12, or both equal); "06/08/2024" is skipped.
  date-year      a year 1900–2100 in temporal use, 0.6: after in/since/until/by/from/during/
                 before/after/through/between/early/late/mid-, after "end of"/"summer of"…,
                 before season/Olympics/Games/championships/world (champion)/title/…,
                 in "(2024)", or continuing a list ("in 1980 and 1984"). Never a quantity
                 ("in 2000 metres", "by 2000 votes"), and "Paris 2024" is left to the event
                 suggester. The span is the year token only.

Years are never guessed for a date without one unless ``published`` is known: in sports news a
date without a year means the current season, so the occurrence of that month/day closest to
``published`` is taken (ties: the published year); a weekday in the span picks among the
candidate years the one on which the date falls on that weekday.

Month names that are everyday words or given names (May, March, April, June, August) need a day,
a year or a preposition; a capitalised word right before "May 5" ("Theresa May 5…") vetoes it.
Month abbreviations (Jan, Aug., Sept) need a day or a year.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from ..scan import finditer_at
from . import patterns as P
from .common import (
    C_EXPLICIT,
    C_MISMATCH,
    C_MONTH,
    C_MONTH_YEAR,
    C_NO_YEAR,
    C_NUMERIC,
    C_NUMERIC_ISO,
    C_UNRESOLVED,
    C_YEAR,
    RULE_EXPLICIT,
    RULE_NUMERIC,
    RULE_YEAR,
    Cand,
    interval,
    is_name_before,
    month_value,
    prev_word,
    quantity_after,
    safe_date,
    weekday_mismatch,
    word_before,
    word_start,
)

# "the end of May": "of" introduces a month only after one of these.
_MONTH_OF_HEADS = frozenset(
    {"end", "start", "beginning", "middle", "rest", "month", "half", "part"}
)


def explicit_dates(text: str, pub: dt.date | None, at: P.Openings | None = None) -> Iterable[Cand]:
    """date-explicit: every month name with what makes it a date. ``at``: where
    P.OPENING_WORDS start in ``text``, when known."""
    for m in finditer_at(P.MONTH, text, at["month"] if at is not None else None):
        s = m.start()
        if not word_start(text, s):
            continue
        mname = m["month"].rstrip(".").lower()
        if m["day"]:
            wd = P.WEEKDAY_BEFORE.search(text, max(0, s - 12), s)
            c = _day_date(
                text,
                pub,
                mname,
                int(m["day"]),
                m["day2"],
                m["year"],
                start=wd.start() if wd else s,
                end=m.end(),
                year_start=m.start("year") if m["year"] else -1,
                weekday=wd["wd"] if wd else None,
                month_first=True,
            )
            if c is not None:
                yield c
                continue
        db = P.DAY_BEFORE.search(text, max(0, s - 40), s)
        if db is not None:
            ya = P.YEAR_AFTER_DAY_MONTH.match(text, m.end("month"))
            c = _day_date(
                text,
                pub,
                mname,
                int(db["day"]),
                db["day2"],
                ya["year"] if ya else None,
                start=db.start("wd") if db["wd"] else db.start("day"),
                end=ya.end() if ya else m.end("month"),
                year_start=ya.start("year") if ya else -1,
                weekday=db["wd"],
                month_first=False,
            )
            if c is not None:
                yield c
                continue
        if m["myear"]:
            if mname in P.AMBIGUOUS_MONTHS and is_name_before(text, s):
                continue
            if quantity_after(text, m.end()):
                continue
            yield Cand(
                s,
                m.end(),
                RULE_EXPLICIT,
                month_value(int(m["myear"]), P.MONTHS[mname]),
                C_MONTH_YEAR,
            )
            continue
        if m["month"] not in P.FULL_MONTH_NAMES:
            continue  # abbreviations only with a day or a year
        c = _month_alone(text, s, m.end("month"), mname, bool(m["poss"]), pub)
        if c is not None:
            yield c


def _day_date(
    text: str,
    pub: dt.date | None,
    mname: str,
    day: int,
    day2_s: str | None,
    year_s: str | None,
    *,
    start: int,
    end: int,
    year_start: int,
    weekday: str | None,
    month_first: bool,
) -> Cand | None:
    month = P.MONTHS[mname]
    day2 = int(day2_s) if day2_s else None
    if day2 is not None and day2 <= day:
        return None
    year = int(year_s) if year_s else None
    if year is not None and (year > 2100 or quantity_after(text, end)):
        year = None  # "May 5, 2000 people": the number after the date was a count
        end = year_start
        while text[end - 1] in " ,\t\n\xa0":
            end -= 1
    if month_first and weekday is None:
        if mname in P.AMBIGUOUS_MONTHS and is_name_before(text, start):
            return None  # "Theresa May 12 ..."
        if year is None and quantity_after(text, end):
            return None  # "In May 12 athletes ..."
    if (
        not month_first
        and year is None
        and mname in P.AMBIGUOUS_MONTHS
        and quantity_after(text, end)
    ):
        return None  # "won 2 May titles"
    wd = P.WEEKDAYS[weekday.lower()] if weekday else None
    last_day = day2 or day
    if year is not None:
        first = safe_date(year, month, day)
        last = safe_date(year, month, last_day)
        if first is None or last is None:
            return Cand(start, end, RULE_EXPLICIT, None, C_UNRESOLVED, "not a calendar date")
        note = None
        conf = C_EXPLICIT
        if wd is not None and first.weekday() != wd:
            note = weekday_mismatch(wd, first)
            conf = C_MISMATCH
        value = first.isoformat() if day2 is None else interval(first, last)
        return Cand(start, end, RULE_EXPLICIT, value, conf, note)
    if pub is None:
        return Cand(start, end, RULE_EXPLICIT, None, C_UNRESOLVED)
    first, note = _nearest_day(month, day, pub, wd)
    if first is None:
        return Cand(start, end, RULE_EXPLICIT, None, C_UNRESOLVED, note)
    conf = C_MISMATCH if note else C_NO_YEAR
    if day2 is None:
        return Cand(start, end, RULE_EXPLICIT, first.isoformat(), conf, note)
    last = safe_date(first.year, month, day2)
    if last is None:
        return None
    return Cand(start, end, RULE_EXPLICIT, interval(first, last), conf, note)


def _nearest_day(
    month: int, day: int, pub: dt.date, weekday: int | None
) -> tuple[dt.date | None, str | None]:
    """The (month, day) closest to ``pub`` in the years around it; a weekday picks the year."""
    cands = [
        d
        for y in (pub.year - 1, pub.year, pub.year + 1)
        if (d := safe_date(y, month, day)) is not None
    ]
    if not cands:
        return None, "not a calendar date"
    matching = [d for d in cands if d.weekday() == weekday]
    best = min(matching or cands, key=lambda d: (abs((d - pub).days), d.year != pub.year))
    if weekday is None or matching:
        return best, None
    return best, weekday_mismatch(weekday, best)


def _nearest_month_year(month: int, pub: dt.date) -> int:
    here = pub.year * 12 + pub.month
    return min(
        (pub.year - 1, pub.year, pub.year + 1),
        key=lambda y: (abs(y * 12 + month - here), y != pub.year),
    )


def _month_alone(
    text: str, start: int, end: int, mname: str, poss: bool, pub: dt.date | None
) -> Cand | None:
    ambiguous = mname in P.AMBIGUOUS_MONTHS
    if text.startswith(("mid-", "Mid-"), max(0, start - 4)):
        ok = True
    else:
        w, wstart = word_before(text, start)
        lw = w.lower()
        if lw == "of":
            ok = prev_word(text, wstart).lower() in _MONTH_OF_HEADS
        else:
            ok = lw in (P.MONTH_PREPS_AMBIGUOUS if ambiguous else P.MONTH_PREPS)
        if not ok and poss and not ambiguous:
            ok = True  # "February's Millrose Games"
    if not ok or P.DIGIT_AFTER.match(text, end):
        return None
    month = P.MONTHS[mname]
    if pub is None:
        return Cand(start, end, RULE_EXPLICIT, None, C_UNRESOLVED)
    y = _nearest_month_year(month, pub)
    return Cand(start, end, RULE_EXPLICIT, month_value(y, month), C_MONTH)


# --- date-numeric and date-year --------------------------------------------------------------


def digit_dates(text: str) -> Iterable[Cand]:
    """date-numeric and date-year: four-digit numbers 1900–2100 as ISO dates, day/month/year
    dates or years."""
    last_end = -1  # end of the last accepted year, for lists ("in 1980 and 1984")
    n = len(text)
    for m in P.YEAR.finditer(text):
        s, e = m.span()
        if s > 0 and text[s - 1].isdigit() or e < n and text[e].isdigit():
            continue
        y = int(m.group())
        if y > 2100:
            continue
        before = text[s - 1] if s else " "
        iso = P.ISO_TAIL.match(text, e)
        if iso is not None:
            if before.isalnum() or before in "./:-":
                continue
            d = safe_date(y, int(iso["m"]), int(iso["d"]))
            if d is not None:
                yield Cand(s, iso.end(), RULE_NUMERIC, d.isoformat(), C_NUMERIC_ISO)
            continue
        if before in "/.":
            head = P.NUMERIC_HEAD.search(text, max(0, s - 8), s)
            if head is not None and not P.NUMERIC_END.match(text, e):
                c = _numeric(head, y, e)
                if c is not None:
                    yield c
            continue
        mid = text.startswith(("mid-", "Mid-"), max(0, s - 4))
        if (
            before.isalnum()
            or before in P.YEAR_BAD_BEFORE
            and not mid
            or P.YEAR_BAD_AFTER.match(text, e)
        ):
            continue
        if _year_in_context(text, s, e, last_end):
            last_end = e
            yield Cand(s, e, RULE_YEAR, m.group(), C_YEAR)


def _numeric(head: re.Match[str], y: int, end: int) -> Cand | None:
    a, b = int(head["a"]), int(head["b"])
    if a > 12 >= b or a == b:
        d = safe_date(y, b, a)
    elif b > 12 >= a:
        d = safe_date(y, a, b)  # US month/day/year
    else:
        return None  # "06/08/2024": 6 August or June 8
    if d is None:
        return None
    return Cand(head.start(), end, RULE_NUMERIC, d.isoformat(), C_NUMERIC)


def _year_in_context(text: str, s: int, e: int, last_end: int) -> bool:
    if s > 0 and text[s - 1] == "(" and text.startswith(")", e):
        return True
    if P.YEAR_AFTER.match(text, e):
        return True
    if quantity_after(text, e):
        return False
    if text.startswith(("mid-", "Mid-"), max(0, s - 4)):
        return True
    w, wstart = word_before(text, s)
    lw = w.lower()
    if lw in P.YEAR_PREPS:
        return True
    if lw == "of":
        return prev_word(text, wstart).lower() in P.OF_HEADS
    if last_end >= 0 and s - last_end <= 8:
        gap = text[last_end:s].strip(" ,").lower()
        return gap in {"", "and", "or", "to", "until", "through"}
    return False
