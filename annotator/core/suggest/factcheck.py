"""First fact-checks: a year or host city next to an event that the KB says is wrong.

Only mentions whose edition was pinned before the contradicting qualifier was read are
checked ("the Paris Olympics in 2021": the name fixes 2024, so 2021 is wrong; "World
Championships in Eugene in 2023": the year fixes Budapest, so Eugene is wrong). A mention
whose edition was only guessed from the publication date is never the basis of an error.
"""

from __future__ import annotations

from collections.abc import Iterable

from .events import EventMention, describe_event
from .model import Suggestion
from .names import TextContext, as_context

YEAR_CONFIDENCE = 0.8
CITY_CONFIDENCE = 0.7


def check_events(text: str | TextContext, mentions: Iterable[EventMention]) -> list[Suggestion]:
    ctx = as_context(text)
    out: list[Suggestion] = []
    for m in mentions:
        ev = m.event
        if ev is None or m.fixed_by is None:
            continue
        for q in m.conflicts:
            if ctx.sentence_index(q.start) != ctx.sentence_index(m.start):
                continue
            note = f"KB: {describe_event(ev)}"
            if isinstance(q.value, int):
                if ev.year is None:
                    continue
                out.append(
                    Suggestion(
                        q.start,
                        q.end,
                        "error",
                        ctx.text[q.start : q.end],
                        YEAR_CONFIDENCE,
                        "kb-event-year",
                        error_type="wrong_date",
                        correction=str(ev.year),
                        note=note,
                        entity=ev.key,
                    )
                )
            elif ev.city:
                out.append(
                    Suggestion(
                        q.start,
                        q.end,
                        "error",
                        ctx.text[q.start : q.end],
                        CITY_CONFIDENCE,
                        "kb-event-city",
                        error_type="wrong_fact",
                        correction=ev.city,
                        note=note,
                        entity=ev.key,
                    )
                )
    return out
