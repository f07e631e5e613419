"""Date suggestions: spans of text that name a date, with a normalised value.

Library choice: dates are *found* by a handful of compiled regexes run once over the whole text
(``patterns.py``) and *resolved* with the standard library plus python-dateutil
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

The rules, one module per kind, each documented there with its confidences:
  ``explicit.py``  date-explicit (month names), date-numeric ("2024-08-06"), date-year;
  ``relative.py``  date-relative ("last October", "this year", "nine months ago");
  ``weekday.py``   date-weekday ("on Saturday", "Friday morning", "last Sunday").
The rule ids are the ``RULE_*`` constants of ``common.py``.

Date suggestions never overlap each other: the longest match wins, then the more confident.
"""

from __future__ import annotations

import datetime as dt

from ..model import Suggestion
from . import patterns as P
from .common import (
    LABEL,
    RULE_EXPLICIT,
    RULE_NUMERIC,
    RULE_RELATIVE,
    RULE_WEEKDAY,
    RULE_YEAR,
    Cand,
    month_end,
)
from .explicit import digit_dates, explicit_dates
from .relative import relative_dates
from .weekday import weekday_dates

RULES = (RULE_EXPLICIT, RULE_NUMERIC, RULE_YEAR, RULE_RELATIVE, RULE_WEEKDAY)


def suggest_dates(
    text: str, *, published: dt.date | None = None, openings: P.Openings | None = None
) -> list[Suggestion]:
    """Date spans in ``text``, sorted by start, none overlapping another. ``openings``:
    where P.OPENING_WORDS start in ``text`` (suggest/openings.py), when known."""
    if isinstance(published, dt.datetime):
        published = published.date()
    at = openings
    cands: list[Cand] = []
    cands += explicit_dates(text, published, at)
    cands += digit_dates(text)
    cands += relative_dates(text, published, at)
    cands += weekday_dates(text, published, at)
    kept = _non_overlapping(cands)
    return [
        Suggestion(
            c.start,
            c.end,
            LABEL,
            text[c.start : c.end],
            c.confidence,
            c.rule,
            note=c.note,
            value=c.value,
        )
        for c in kept
    ]


def value_bounds(value: str) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) of a value this package produces."""
    if "/" in value:
        a, b = value.split("/", 1)
        return value_bounds(a)[0], value_bounds(b)[1]
    if len(value) == 4:
        y = int(value)
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if len(value) == 7:
        first = dt.date(int(value[:4]), int(value[5:7]), 1)
        return first, month_end(first)
    d = dt.date.fromisoformat(value)
    return d, d


def _non_overlapping(cands: list[Cand]) -> list[Cand]:
    """Longest first, then most confident, then leftmost; drop what overlaps a kept one.

    Candidates are split into clusters of mutually chained overlaps first, so the greedy
    choice runs on a handful of items at a time (a date-dense MB has ~25k candidates)."""
    cands.sort(key=lambda c: c.start)
    kept: list[Cand] = []
    cluster: list[Cand] = []
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


def _pick(cluster: list[Cand]) -> list[Cand]:
    if len(cluster) == 1:
        return cluster
    chosen: list[Cand] = []
    for c in sorted(cluster, key=lambda c: (c.start - c.end, -c.confidence, c.start)):
        if all(c.end <= k.start or k.end <= c.start for k in chosen):
            chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return chosen


__all__ = ["RULES", "suggest_dates", "value_bounds"]
