"""What every date rule shares: rule ids, confidences, the candidate type, calendar arithmetic
and the look at the words around a match."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from . import patterns as P

LABEL = "date"

# Rule ids: stored with every suggested span, shown in the inspector and counted in the
# statistics, so their values never change.
RULE_EXPLICIT = "date-explicit"
RULE_NUMERIC = "date-numeric"
RULE_YEAR = "date-year"
RULE_RELATIVE = "date-relative"
RULE_WEEKDAY = "date-weekday"

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

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Cand:
    start: int
    end: int
    rule: str
    value: str | None
    confidence: float
    note: str | None = None


# --- formatting and calendar helpers ---------------------------------------------------------


def month_value(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def interval(a: dt.date, b: dt.date) -> str:
    return f"{a.isoformat()}/{b.isoformat()}"


def month_end(first: dt.date) -> dt.date:
    """The last day of ``first``'s month (what relativedelta(day=31) gives, in a tenth of the
    time: every month and season a text names asks for one)."""
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def add_months(d: dt.date, k: int) -> dt.date:
    """The first day of the month ``k`` months after ``d``'s: the month of
    ``d + relativedelta(months=k)`` without building one (a tenth of the time, and "last summer"
    asks for four)."""
    y, m = divmod(d.month - 1 + k, 12)
    return dt.date(d.year + y, m + 1, 1)


def month_interval(d: dt.date) -> str:
    first = d.replace(day=1)
    return interval(first, month_end(first))


def week(d: dt.date) -> tuple[dt.date, dt.date]:
    monday = d - dt.timedelta(days=d.weekday())
    return monday, monday + dt.timedelta(days=6)


def safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def weekday_mismatch(wd: int, d: dt.date) -> str:
    return (
        f"{P.WEEKDAY_NAMES[wd]} does not match {d.isoformat()} (a {P.WEEKDAY_NAMES[d.weekday()]})"
    )


# --- word context ----------------------------------------------------------------------------


def prev_word(text: str, start: int) -> str:
    """The word right before ``start`` (only blanks between), as written; '' if none."""
    i = start
    lo = max(0, start - 40)
    while i > lo and text[i - 1] in " \t\xa0":
        i -= 1
    j = i
    while j > lo and (text[j - 1].isalpha() or text[j - 1] in "'’"):
        j -= 1
    return text[j:i]


def word_before(text: str, start: int) -> tuple[str, int]:
    """Like ``prev_word`` and where that word starts."""
    w = prev_word(text, start)
    if not w:
        return "", start
    i = start
    while text[i - 1] in " \t\xa0":
        i -= 1
    return w, i - len(w)


def is_name_before(text: str, start: int) -> bool:
    """A capitalised word that is not a function word right before ``start``."""
    w = prev_word(text, start)
    return bool(w) and w[0].isupper() and w.lower() not in P.CAPITALISED_FUNCTION_WORDS


def quantity_after(text: str, end: int) -> bool:
    return P.QUANTITY_AFTER.match(text, end) is not None


def word_start(text: str, i: int) -> bool:
    return i == 0 or not text[i - 1].isalnum()


def sentence_start(text: str, start: int) -> bool:
    """Only blanks and opening quotes between ``start`` and the previous break mark."""
    i = start
    while i > 0 and text[i - 1] in " \t\xa0\"'“‘(":
        i -= 1
    return i == 0 or text[i - 1] in ".!?\n:•"
