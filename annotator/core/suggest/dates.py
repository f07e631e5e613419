"""Date suggestions: spans of text that name a date, with a normalised value.

Library choice: dates are *found* by a handful of compiled regexes run once over the whole text
(``date_patterns.py``) and *resolved* with the standard library plus python-dateutil
(``dateutil.relativedelta`` for month arithmetic). dateparser is not used: it is built to parse
one string someone already isolated, costs about a millisecond per call, and guesses freely
("May" alone, "2000 metres"), while this suggester must scan ≥ 1 MB/s and prefers a missed date
to a wrong one.

Values (``Suggestion.value``), all ISO 8601:
  "2024-08-06" a day; "2024-08" a month; "2024" a year;
  "2023-10-01/2023-10-31" an interval of days, both ends inclusive.
``value_bounds`` turns any of them into (first day, last day). Granularity follows the text: a
month *named with its year or a preposition* ("August 2024", "in May") is "YYYY-MM"; a month
*reached by inference* ("last October", "nine months ago") is the interval of its days, so a
consumer can tell a stated month from a computed one.

Rules and confidences:
  date-explicit  month names: "September 13th", "13 September", "6 August 2024",
                 "August 6, 2024", "Tuesday August 6th" (the weekday is in the span), "Aug. 6",
                 "13-21 September" (interval), "August 2024" (month), "in May" (month).
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
  date-weekday   "on Saturday", "Friday morning", "last Sunday", "next Tuesday" (0.7):
                 "last X" the latest X strictly before ``published``; "next X" the first X
                 strictly after; "this X" and a bare X: ``published`` itself when it is an X,
                 else the nearest X within ±6 days, preferring the future unless the nearest
                 tense marker in the clause (before the weekday, or just after it when none
                 precedes) is past: "said on Thursday" is past, "will race on Saturday" and
                 "resumes on Saturday" future. "every Saturday", "that Friday", "Good Friday"
                 are not dates. Abbreviated weekdays ("Sat", "Sun") are never read.

Years are never guessed for a date without one unless ``published`` is known: in sports news a
date without a year means the current season, so the occurrence of that month/day closest to
``published`` is taken (ties: the published year); a weekday in the span picks among the
candidate years the one on which the date falls on that weekday.

Month names that are everyday words or given names (May, March, April, June, August) need a day,
a year or a preposition; a capitalised word right before "May 5" ("Theresa May 5…") vetoes it.
Month abbreviations (Jan, Aug., Sept) need a day or a year. Date suggestions never overlap each
other: the longest match wins, then the more confident.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from . import date_patterns as P
from .model import Suggestion

LABEL = "date"
C_EXPLICIT = 0.95
C_NUMERIC_ISO = 0.95
C_NUMERIC = 0.9
C_MONTH_YEAR = 0.9
C_NO_YEAR = 0.85
C_MONTH = 0.75
C_RELATIVE = 0.7
C_FUZZY = 0.6
C_YEAR = 0.6
C_MISMATCH = 0.8
C_UNRESOLVED = 0.5

_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class _Cand:
    start: int
    end: int
    rule: str
    value: str | None
    confidence: float
    note: str | None = None


def suggest_dates(text: str, *, published: dt.date | None = None) -> list[Suggestion]:
    """Date spans in ``text``, sorted by start, none overlapping another."""
    if isinstance(published, dt.datetime):
        published = published.date()
    cands: list[_Cand] = []
    cands += _explicit(text, published)
    cands += _digits(text)
    cands += _relative(text, published)
    cands += _weekdays(text, published)
    kept = _non_overlapping(cands)
    return [
        Suggestion(c.start, c.end, LABEL, text[c.start : c.end], c.confidence, c.rule,
                   note=c.note, value=c.value)
        for c in kept
    ]


def value_bounds(value: str) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) of a value this module produces."""
    if "/" in value:
        a, b = value.split("/", 1)
        return value_bounds(a)[0], value_bounds(b)[1]
    if len(value) == 4:
        y = int(value)
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if len(value) == 7:
        first = dt.date(int(value[:4]), int(value[5:7]), 1)
        return first, _month_end(first)
    d = dt.date.fromisoformat(value)
    return d, d


# --- formatting and calendar helpers ---------------------------------------------------------

def _month_value(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _interval(a: dt.date, b: dt.date) -> str:
    return f"{a.isoformat()}/{b.isoformat()}"


def _month_end(first: dt.date) -> dt.date:
    return first + relativedelta(day=31)


def _month_interval(d: dt.date) -> str:
    first = d.replace(day=1)
    return _interval(first, _month_end(first))


def _week(d: dt.date) -> tuple[dt.date, dt.date]:
    monday = d - dt.timedelta(days=d.weekday())
    return monday, monday + dt.timedelta(days=6)


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _nearest_day(
    month: int, day: int, pub: dt.date, weekday: int | None
) -> tuple[dt.date | None, str | None]:
    """The (month, day) closest to ``pub`` in the years around it; a weekday picks the year."""
    cands = [d for y in (pub.year - 1, pub.year, pub.year + 1)
             if (d := _safe_date(y, month, day)) is not None]
    if not cands:
        return None, "not a calendar date"
    matching = [d for d in cands if d.weekday() == weekday]
    best = min(matching or cands, key=lambda d: (abs((d - pub).days), d.year != pub.year))
    if weekday is None or matching:
        return best, None
    return best, (f"{P.WEEKDAY_NAMES[weekday]} does not match {best.isoformat()} "
                  f"(a {P.WEEKDAY_NAMES[best.weekday()]})")


def _nearest_month_year(month: int, pub: dt.date) -> int:
    here = pub.year * 12 + pub.month
    return min((pub.year - 1, pub.year, pub.year + 1),
               key=lambda y: (abs(y * 12 + month - here), y != pub.year))


# --- word context ----------------------------------------------------------------------------

def _prev_word(text: str, start: int) -> str:
    """The word right before ``start`` (only blanks between), as written; '' if none."""
    i = start
    lo = max(0, start - 40)
    while i > lo and text[i - 1] in " \t\xa0":
        i -= 1
    j = i
    while j > lo and (text[j - 1].isalpha() or text[j - 1] in "'’"):
        j -= 1
    return text[j:i]


def _word_before(text: str, start: int) -> tuple[str, int]:
    """Like ``_prev_word`` and where that word starts."""
    w = _prev_word(text, start)
    if not w:
        return "", start
    i = start
    while text[i - 1] in " \t\xa0":
        i -= 1
    return w, i - len(w)


def _is_name_before(text: str, start: int) -> bool:
    """A capitalised word that is not a function word right before ``start``."""
    w = _prev_word(text, start)
    return bool(w) and w[0].isupper() and w.lower() not in P.CAPITALISED_FUNCTION_WORDS


def _quantity_after(text: str, end: int) -> bool:
    return P.QUANTITY_AFTER.match(text, end) is not None


# --- date-explicit ---------------------------------------------------------------------------

def _word_start(text: str, i: int) -> bool:
    return i == 0 or not text[i - 1].isalnum()


def _explicit(text: str, pub: dt.date | None) -> Iterable[_Cand]:
    for m in P.MONTH.finditer(text):
        s = m.start()
        if not _word_start(text, s):
            continue
        mname = m["month"].rstrip(".").lower()
        if m["day"]:
            wd = P.WEEKDAY_BEFORE.search(text, max(0, s - 12), s)
            c = _day_date(text, pub, mname, int(m["day"]), m["day2"], m["year"],
                          start=wd.start() if wd else s, end=m.end(),
                          year_start=m.start("year") if m["year"] else -1,
                          weekday=wd["wd"] if wd else None, month_first=True)
            if c is not None:
                yield c
                continue
        db = P.DAY_BEFORE.search(text, max(0, s - 40), s)
        if db is not None:
            ya = P.YEAR_AFTER_DAY_MONTH.match(text, m.end("month"))
            c = _day_date(text, pub, mname, int(db["day"]), db["day2"],
                          ya["year"] if ya else None,
                          start=db.start("wd") if db["wd"] else db.start("day"),
                          end=ya.end() if ya else m.end("month"),
                          year_start=ya.start("year") if ya else -1,
                          weekday=db["wd"], month_first=False)
            if c is not None:
                yield c
                continue
        if m["myear"]:
            if mname in P.AMBIGUOUS_MONTHS and _is_name_before(text, s):
                continue
            if _quantity_after(text, m.end()):
                continue
            yield _Cand(s, m.end(), "date-explicit",
                        _month_value(int(m["myear"]), P.MONTHS[mname]), C_MONTH_YEAR)
            continue
        if m["month"] not in P.FULL_MONTH_NAMES:
            continue  # abbreviations only with a day or a year
        c = _month_alone(text, s, m.end("month"), mname, bool(m["poss"]), pub)
        if c is not None:
            yield c


def _day_date(
    text: str, pub: dt.date | None, mname: str, day: int, day2_s: str | None,
    year_s: str | None, *, start: int, end: int, year_start: int, weekday: str | None,
    month_first: bool,
) -> _Cand | None:
    month = P.MONTHS[mname]
    day2 = int(day2_s) if day2_s else None
    if day2 is not None and day2 <= day:
        return None
    year = int(year_s) if year_s else None
    if year is not None and (year > 2100 or _quantity_after(text, end)):
        year = None  # "May 5, 2000 people": the number after the date was a count
        end = year_start
        while text[end - 1] in " ,\t\n\xa0":
            end -= 1
    if month_first and weekday is None:
        if mname in P.AMBIGUOUS_MONTHS and _is_name_before(text, start):
            return None  # "Theresa May 12 ..."
        if year is None and _quantity_after(text, end):
            return None  # "In May 12 athletes ..."
    if not month_first and year is None and mname in P.AMBIGUOUS_MONTHS \
            and _quantity_after(text, end):
        return None  # "won 2 May titles"
    wd = P.WEEKDAYS[weekday.lower()] if weekday else None
    last_day = day2 or day
    if year is not None:
        first = _safe_date(year, month, day)
        last = _safe_date(year, month, last_day)
        if first is None or last is None:
            return _Cand(start, end, "date-explicit", None, C_UNRESOLVED, "not a calendar date")
        note = None
        conf = C_EXPLICIT
        if wd is not None and first.weekday() != wd:
            note = (f"{P.WEEKDAY_NAMES[wd]} does not match {first.isoformat()} "
                    f"(a {P.WEEKDAY_NAMES[first.weekday()]})")
            conf = C_MISMATCH
        value = first.isoformat() if day2 is None else _interval(first, last)
        return _Cand(start, end, "date-explicit", value, conf, note)
    if pub is None:
        return _Cand(start, end, "date-explicit", None, C_UNRESOLVED)
    first, note = _nearest_day(month, day, pub, wd)
    if first is None:
        return _Cand(start, end, "date-explicit", None, C_UNRESOLVED, note)
    conf = C_MISMATCH if note else C_NO_YEAR
    if day2 is None:
        return _Cand(start, end, "date-explicit", first.isoformat(), conf, note)
    last = _safe_date(first.year, month, day2)
    if last is None:
        return None
    return _Cand(start, end, "date-explicit", _interval(first, last), conf, note)


def _month_alone(
    text: str, start: int, end: int, mname: str, poss: bool, pub: dt.date | None
) -> _Cand | None:
    ambiguous = mname in P.AMBIGUOUS_MONTHS
    if text.startswith(("mid-", "Mid-"), max(0, start - 4)):
        ok = True
    else:
        w, wstart = _word_before(text, start)
        lw = w.lower()
        if lw == "of":
            ok = _prev_word(text, wstart).lower() in {"end", "start", "beginning", "middle",
                                                      "rest", "month", "half", "part"}
        else:
            ok = lw in (P.MONTH_PREPS_AMBIGUOUS if ambiguous else P.MONTH_PREPS)
        if not ok and poss and not ambiguous:
            ok = True  # "February's Millrose Games"
    if not ok or P.DIGIT_AFTER.match(text, end):
        return None
    month = P.MONTHS[mname]
    if pub is None:
        return _Cand(start, end, "date-explicit", None, C_UNRESOLVED)
    y = _nearest_month_year(month, pub)
    return _Cand(start, end, "date-explicit", _month_value(y, month), C_MONTH)


# --- date-numeric and date-year --------------------------------------------------------------

def _digits(text: str) -> Iterable[_Cand]:
    """Four-digit numbers 1900–2100: ISO dates, day/month/year dates, years."""
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
            d = _safe_date(y, int(iso["m"]), int(iso["d"]))
            if d is not None:
                yield _Cand(s, iso.end(), "date-numeric", d.isoformat(), C_NUMERIC_ISO)
            continue
        if before in "/.":
            head = P.NUMERIC_HEAD.search(text, max(0, s - 8), s)
            if head is not None and not P.NUMERIC_END.match(text, e):
                c = _numeric(head, y, e)
                if c is not None:
                    yield c
            continue
        mid = text.startswith(("mid-", "Mid-"), max(0, s - 4))
        if before.isalnum() or before in P.YEAR_BAD_BEFORE and not mid \
                or P.YEAR_BAD_AFTER.match(text, e):
            continue
        if _year_in_context(text, s, e, last_end):
            last_end = e
            yield _Cand(s, e, "date-year", m.group(), C_YEAR)


def _numeric(head, y: int, end: int) -> _Cand | None:
    a, b = int(head["a"]), int(head["b"])
    if a > 12 >= b or a == b:
        d = _safe_date(y, b, a)
    elif b > 12 >= a:
        d = _safe_date(y, a, b)  # US month/day/year
    else:
        return None  # "06/08/2024": 6 August or June 8
    if d is None:
        return None
    return _Cand(head.start(), end, "date-numeric", d.isoformat(), C_NUMERIC)


def _year_in_context(text: str, s: int, e: int, last_end: int) -> bool:
    if s > 0 and text[s - 1] == "(" and text.startswith(")", e):
        return True
    if P.YEAR_AFTER.match(text, e):
        return True
    if _quantity_after(text, e):
        return False
    if text.startswith(("mid-", "Mid-"), max(0, s - 4)):
        return True
    w, wstart = _word_before(text, s)
    lw = w.lower()
    if lw in P.YEAR_PREPS:
        return True
    if lw == "of":
        return _prev_word(text, wstart).lower() in P.OF_HEADS
    if last_end >= 0 and s - last_end <= 8:
        gap = text[last_end:s].strip(" ,").lower()
        return gap in {"", "and", "or", "to", "until", "through"}
    return False


# --- date-relative ---------------------------------------------------------------------------

_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}


def _season(name: str, y: int) -> tuple[dt.date, dt.date]:
    first = dt.date(y, _SEASONS[name], 1)
    return first, _month_end(first + relativedelta(months=2))


def _relative(text: str, pub: dt.date | None) -> Iterable[_Cand]:
    for m in P.RELATIVE.finditer(text):
        s = m.start()
        if not _word_start(text, s):
            continue
        mod = m["mod"].lower()
        adv = ""
        if mod in ("earlier", "later"):
            if not m["this"]:
                continue
            adv, mod = mod, "this"
        elif m["this"]:
            continue
        if m["mod"][0].isupper() and not _sentence_start(text, s):
            continue  # "Last Chance Meeting"
        unit = m["unit"].lower()
        if mod in ("last", "next") and not adv:
            if _prev_word(text, s).lower() in P.LAST_NEXT_VETO:
                continue  # "over the last year", "his last season"
        if unit == "night" and (mod != "last" or adv):
            continue
        if unit == "weekend" and (mod == "next" or adv):
            continue
        if adv and unit not in ("year", "month", "week"):
            continue
        conf = C_FUZZY if unit == "season" else C_RELATIVE
        if pub is None:
            yield _Cand(s, m.end(), "date-relative", None, C_UNRESOLVED)
            continue
        if unit == "night":
            value: str | None = (pub - _ONE_DAY).isoformat()
        else:
            value = _resolve_relative(mod, adv, unit, pub)
        if value is not None:
            yield _Cand(s, m.end(), "date-relative", value, conf)
    for m in P.DAY_WORD.finditer(text):
        s = m.start()
        if not _word_start(text, s):
            continue
        w = m.group().lower()
        if m.group()[0].isupper() and not _sentence_start(text, s):
            continue  # "USA Today", "the Today programme"
        if _prev_word(text, s).lower() in {"the", "of", "a"}:
            continue
        if w == "today" and P.TODAY_GENERIC.match(text, m.end()):
            continue  # "in today's game"
        if pub is None:
            yield _Cand(s, m.end(), "date-relative", None, C_UNRESOLVED)
            continue
        shift = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0}[w]
        yield _Cand(s, m.end(), "date-relative",
                    (pub + dt.timedelta(days=shift)).isoformat(), C_RELATIVE)
    for m in P.AGO.finditer(text):
        s = m.start()
        if not _word_start(text, s):
            continue
        head = P.COUNT_BEFORE.search(text, max(0, s - 32), s)
        if head is not None:
            c = _count_ago(head, m.group() == "out", m.end(), pub)
            if c is not None:
                yield c


def _sentence_start(text: str, start: int) -> bool:
    i = start
    while i > 0 and text[i - 1] in " \t\xa0\"'“‘(":
        i -= 1
    return i == 0 or text[i - 1] in ".!?\n:•"


def _resolve_relative(mod: str, adv: str, unit: str, pub: dt.date) -> str | None:
    step = {"this": 0, "last": -1, "next": 1}[mod]
    if unit == "year" or unit == "season":
        if adv == "earlier":
            return _interval(dt.date(pub.year, 1, 1), pub)
        if adv == "later":
            return _interval(pub, dt.date(pub.year, 12, 31))
        return f"{pub.year + step:04d}"
    if unit == "month":
        if adv == "earlier":
            return _interval(pub.replace(day=1), pub)
        if adv == "later":
            return _interval(pub, _month_end(pub))
        return _month_interval(pub + relativedelta(months=step))
    if unit == "week":
        monday, sunday = _week(pub)
        if adv == "earlier":
            return _interval(monday, pub)
        if adv == "later":
            return _interval(pub, sunday)
        monday += dt.timedelta(weeks=step)
        return _interval(monday, monday + dt.timedelta(days=6))
    if unit == "weekend":
        if mod == "this":
            sat = pub - _ONE_DAY if pub.weekday() == 6 else pub + dt.timedelta(5 - pub.weekday())
        else:  # last: the latest Sunday strictly before pub
            sun = pub - dt.timedelta(days=(pub.weekday() + 1) % 7 or 7)
            sat = sun - _ONE_DAY
        return _interval(sat, sat + _ONE_DAY)
    if unit in _SEASONS:
        if adv:
            return None
        if mod == "this":
            y = pub.year - 1 if unit == "winter" and pub.month <= 2 else pub.year
            return _interval(*_season(unit, y))
        years = range(pub.year - 2, pub.year + 2)
        spans = [_season(unit, y) for y in years]
        if mod == "last":
            a, b = max((s for s in spans if s[1] < pub), key=lambda s: s[0])
        else:
            a, b = min((s for s in spans if s[0] > pub), key=lambda s: s[0])
        return _interval(a, b)
    month = P.MONTHS[unit]
    if adv:
        return None
    if mod == "last":
        y = pub.year if month < pub.month else pub.year - 1
    elif mod == "next":
        y = pub.year if month > pub.month else pub.year + 1
    else:
        y = pub.year
    return _month_interval(dt.date(y, month, 1))


def _count_ago(m, out: bool, end: int, pub: dt.date | None) -> _Cand | None:
    raw = " ".join(m["n"].lower().split())
    unit = m["unit"].lower().rstrip("s")
    fuzzy = {"couple of": 2, "a couple of": 2, "a few": 3}.get(raw)
    n = fuzzy or (int(raw) if raw.isdigit() else P.NUMBER_WORDS[raw])
    if n == 0 or (raw.isdigit() and n > 60):
        return None
    conf = C_FUZZY if fuzzy else C_RELATIVE
    if pub is None:
        return _Cand(m.start(), end, "date-relative", None, C_UNRESOLVED)
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
            a, b = a.replace(day=1), _month_end(b.replace(day=1))
        elif unit == "year":
            a, b = dt.date(a.year, 1, 1), dt.date(b.year, 12, 31)
        return _Cand(m.start(), end, "date-relative", _interval(a, b), conf)
    d = shifted(n)
    if unit == "day":
        value = d.isoformat()
    elif unit == "week":
        value = _interval(*_week(d))
    elif unit == "month":
        value = _month_interval(d)
    else:
        value = f"{d.year:04d}"
    return _Cand(m.start(), end, "date-relative", value, conf)


# --- date-weekday ----------------------------------------------------------------------------

def _weekdays(text: str, pub: dt.date | None) -> Iterable[_Cand]:
    for m in P.WEEKDAY.finditer(text):
        start = m.start()
        if not _word_start(text, start):
            continue
        w, wstart = _word_before(text, start)
        mod = w.lower()
        if mod in ("last", "next", "this"):
            if w[0].isupper() and not _sentence_start(text, wstart):
                continue
            start = wstart
        else:
            mod = ""
            if w.lower() in P.WEEKDAY_VETO or _is_name_before(text, start):
                continue  # "every Saturday", "that Friday", "Good Friday"
        if pub is None:
            yield _Cand(start, m.end(), "date-weekday", None, C_UNRESOLVED)
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
        yield _Cand(start, m.end(), "date-weekday", d.isoformat(), C_RELATIVE)


def _clause_is_past(text: str, start: int, end: int) -> bool:
    """The nearest tense marker before the weekday in its sentence, else one within 40
    characters after it; no marker reads as future (news: "Kerr races on Saturday")."""
    lo = max(0, start - 250)
    head = text[lo:start]
    breaks = list(P.SENTENCE_BREAK.finditer(head))
    if breaks:
        head = head[breaks[-1].end():]
    best: tuple[int, bool] | None = None
    for rx, past in ((P.FUTURE_MARKERS, False), (P.PAST_MARKERS, True)):
        for mk in rx.finditer(head):
            if best is None or mk.start() > best[0]:
                best = (mk.start(), past)
    if best is not None:
        return best[1]
    tail = text[end : end + 40]
    cut = P.SENTENCE_BREAK.search(tail)
    if cut:
        tail = tail[: cut.start()]
    first: tuple[int, bool] | None = None
    for rx, past in ((P.FUTURE_MARKERS, False), (P.PAST_MARKERS, True)):
        mk = rx.search(tail)
        if mk and (first is None or mk.start() < first[0]):
            first = (mk.start(), past)
    return first is not None and first[1]


# --- overlaps --------------------------------------------------------------------------------

def _non_overlapping(cands: list[_Cand]) -> list[_Cand]:
    """Longest first, then most confident, then leftmost; drop what overlaps a kept one.

    Candidates are split into clusters of mutually chained overlaps first, so the greedy
    choice runs on a handful of items at a time (a date-dense MB has ~25k candidates)."""
    cands.sort(key=lambda c: c.start)
    kept: list[_Cand] = []
    cluster: list[_Cand] = []
    reach = -1
    for c in cands:
        if cluster and c.start >= reach:
            kept += _pick(cluster)
            cluster = []
        cluster.append(c)
        reach = max(reach, c.end) if len(cluster) > 1 else c.end
    if cluster:
        kept += _pick(cluster)
    return kept


def _pick(cluster: list[_Cand]) -> list[_Cand]:
    if len(cluster) == 1:
        return cluster
    chosen: list[_Cand] = []
    for c in sorted(cluster, key=lambda c: (c.start - c.end, -c.confidence, c.start)):
        if all(c.end <= k.start or k.end <= c.start for k in chosen):
            chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return chosen


__all__ = ["suggest_dates", "value_bounds"]
