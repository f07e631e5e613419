"""Plain value types shared by every layer.

They mirror the dataset contract in DESIGN.md: offsets are code-point indices into the
stored (normalised) text, end exclusive.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum


class DocStatus(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    def next(self) -> DocStatus:
        order = list(DocStatus)
        return order[(order.index(self) + 1) % len(order)]

    @property
    def display(self) -> str:
        return {"new": "New", "in_progress": "In progress", "done": "Done"}[self.value]


class Origin(StrEnum):
    MANUAL = "manual"
    SUGGESTED = "suggested"


class SpanStatus(StrEnum):
    ACCEPTED = "accepted"
    PENDING = "pending"
    REJECTED = "rejected"


ERROR_TYPES: tuple[str, ...] = (
    "misspelled_name",
    "misspelling",
    "wrong_date",
    "wrong_number",
    "wrong_fact",
    "other",
)


@dataclass(frozen=True, slots=True)
class Span:
    """One annotation. ``id`` is None until the store has assigned one."""

    start: int
    end: int
    label: str
    text: str
    id: int | None = None
    document_id: int | None = None
    error_type: str | None = None
    correction: str | None = None
    note: str | None = None
    value: str | None = None
    entity: str | None = None
    annotator: str | None = None
    origin: Origin = Origin.MANUAL
    status: SpanStatus = SpanStatus.ACCEPTED
    #: The stored version this value was read at (raised by every change). Not part of
    #: equality: two reads of the same tag are the same span whatever their versions.
    version: int = field(default=1, compare=False)
    #: Whose layer holds it: an annotator's name, "curated", or "" for the suggestion pool.
    #: None where unknown (a span not read from the store).
    layer: str | None = field(default=None, compare=False)
    #: A suggestion's score (0-1) and the suggester rule that proposed it ("kb-alias", ...);
    #: None for manual spans. Shown to reviewers, not part of equality.
    confidence: float | None = field(default=None, compare=False)
    rule: str | None = field(default=None, compare=False)

    def with_changes(self, **changes: object) -> Span:
        return replace(self, **changes)  # type: ignore[arg-type]


#: Span fields a user may edit after creation (the inspector and undo commands use these).
EDITABLE_FIELDS: tuple[str, ...] = ("label", "error_type", "correction", "note", "value", "status")


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """A document's metadata without its text (what lists show)."""

    id: int
    title: str
    status: DocStatus
    span_count: int = 0
    source: str | None = None
    published: dt.date | None = None
    #: In the viewer's queue: assigned to them and not done by them yet.
    assigned: bool = False
    #: Of the people on the document (those assigned; with nobody assigned, those who
    #: started), how many are done: a curator's "2 of 3 done".
    done: int = 0
    people: int = 0
    #: When a document imported by its web address was downloaded (UTC, naive).
    fetched: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Document:
    id: int
    title: str
    text: str
    status: DocStatus
    sha256: str
    source: str | None = None
    published: dt.date | None = None
    spans: tuple[Span, ...] = field(default=())
    #: When a document imported by its web address was downloaded (UTC, naive).
    fetched: dt.datetime | None = None


class SpanError(ValueError):
    """A span that does not fit its document's text."""


def check_span(text: str, start: int, end: int, span_text: str | None = None) -> None:
    """Raise SpanError unless ``start:end`` is a non-empty range of ``text`` (and matches)."""
    if not (0 <= start < end <= len(text)):
        raise SpanError(f"span {start}:{end} lies outside the text (length {len(text)})")
    if span_text is not None and text[start:end] != span_text:
        raise SpanError(
            f"span {start}:{end} reads {text[start:end]!r} in the text, not {span_text!r}"
        )
