"""The article and spans the format tests share: an emoji ZWJ sequence (4 code points, 5 UTF-16
units) and accented names before every span, so only code-point offsets land on the right
words; a pending suggestion with an entity, a date with its value, an error with its fields."""

from __future__ import annotations

from annotator.core.model import Origin, Span, SpanStatus

TEXT = (
    "🏃‍♀️ Nordås, Réunion: Cole Hocker won the 1500 m in Paris on 6 August 2024. "
    "Jakob Ingebrigsten was fourth."
)


def span_in(text: str, needle: str, label: str, **fields) -> Span:
    start = text.index(needle)
    return Span(start=start, end=start + len(needle), label=label, text=needle, **fields)


def sample_spans(
    text: str = TEXT,
    *,
    note: str = "World Athletics profile",
    suggester: str | None = "dictionary",
) -> list[Span]:
    """Spans over ``text`` (which must hold the sample's words), sorted by start."""
    return [
        span_in(text, "Cole Hocker", "athlete", origin=Origin.SUGGESTED,
                status=SpanStatus.PENDING, entity="kb:hocker", annotator=suggester),
        span_in(text, "1500 m", "event", annotator="alice"),
        span_in(text, "6 August 2024", "date", value="2024-08-06", origin=Origin.SUGGESTED),
        span_in(text, "Ingebrigsten", "error", error_type="misspelled_name",
                correction="Ingebrigtsen", note=note, annotator="alice"),
    ]  # fmt: skip
