"""Two marks said to come one after the other ("her 3:49.04 in Paris, a year after her
3:50.37 in Budapest"), against the dates the knowledge base gives them.

A mark is dated when it is exactly one KB fact: a world record, or a championship medal mark
of an athlete the sentence is about. Only neighbouring marks with "after" or "before" close
between them are read; anything less certain is left alone.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from typing import Protocol

from . import claim_text as T
from .model import Suggestion
from .scan import finditer_at, initial_alternatives

ORDER_WORDS = ("after", "before")
ORDER = re.compile(initial_alternatives(list(ORDER_WORDS), tail=r"\b", ignorecase=True,
                                        group="word"))  # fmt: skip
#: Further apart than this, the word is unlikely to join the two marks.
_MAX_GAP = 60


class Dated(Protocol):
    @property
    def date(self) -> dt.date: ...

    def describe(self) -> str: ...


def order_errors(text: str, marks: Sequence[tuple[int, int, Dated | None]],
                 rule: str) -> list[Suggestion]:  # fmt: skip
    """'A after B' where the KB dates A before B (or the reverse): the order word is wrong."""
    out = []
    for (_, a_end, a), (b_start, _, b) in zip(marks, marks[1:], strict=False):
        between = text[a_end:b_start]
        word = ORDER.search(between)
        if a is None or b is None or word is None or len(between) > _MAX_GAP or a.date == b.date:
            continue
        after = word["word"].lower() == "after"  # "A after B": A is the later one
        if after == (a.date > b.date):
            continue
        right = T.recase(word["word"], "before" if after else "after")
        out.append(T.error(text, a_end + word.start(), a_end + word.end(), "wrong_number",
                           right, f"{a.describe()}; {b.describe()}", rule))  # fmt: skip
    return out


def medal_order(
    text: str,
    bounds: Sequence[tuple[int, int]],
    athletes: Sequence[T.Mention],
    marks_of: Mapping[str, Sequence[tuple[float, Dated]]],
    order_starts: Sequence[int] | None = None,
) -> list[Suggestion]:
    """'after'/'before' between two championship marks of the athletes a sentence is about,
    or of the last athlete named before it when it names none ("Her 3:51.29 came after...").
    ``athletes``: the document's mentions in text order; ``marks_of`` gives each athlete's
    medal marks as (value, result); ``order_starts``: where ORDER_WORDS start in the text, if
    known (openings.py)."""
    if not any(a[2] in marks_of for a in athletes):
        return []  # nobody named here has a medal mark to date
    starts = [ss for ss, _ in bounds]
    hits = finditer_at(ORDER, text, order_starts)
    ordering = {bisect_right(starts, m.start()) - 1 for m in hits}
    mention_starts = [a[0] for a in athletes]
    out: list[Suggestion] = []
    for k in sorted(ordering - {-1}):
        ss, se = bounds[k]
        found = T.marks(text, ss, se)
        if len(found) < 2:
            continue
        first, last = bisect_left(mention_starts, ss), bisect_left(mention_starts, se)
        names = {a[2] for a in athletes[first:last]}
        if not names and first > 0:
            names = {athletes[first - 1][2]}
        rows = [(v, r) for n in names for v, r in marks_of.get(n, ())]
        identified: list[tuple[int, int, Dated | None]] = []
        for start, end, _raw, value in found:
            same = [r for v, r in rows if v == value]
            identified.append((start, end, same[0] if len(same) == 1 else None))
        out += order_errors(text, identified, "kb-result-order")
    return out
