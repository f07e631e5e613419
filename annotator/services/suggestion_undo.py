"""Taking a suggestion run back, and bringing it again: undo and redo of Suggest in the window.

A run's spans are withdrawn only while they are still what the run left: pending, at the
version it stored. A suggestion someone has reviewed or edited since stays where it is and the
caller is told how many did, so nobody's work disappears unseen.

Withdrawn spans are deleted, not rejected: a rejection is remembered so that the next run does
not propose the span again, and taking a run back must leave the next run free to. Reinstating
puts them back with their ids, versions, rule and confidence (commands further up the undo
stack name those versions), except where the same characters got the same label meanwhile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import Connection, delete, select, update

from annotator.core.model import Span, SpanStatus
from annotator.store.database import Database
from annotator.store.models import AnnotationRow, DocumentRow, table
from annotator.store.sql import insert_or_ignore

from . import changes as changelog
from .annotations import POOL, SPAN_COLUMNS, spans_from_rows

_annotations = table(AnnotationRow)
_documents = table(DocumentRow)

#: Ids per statement: well under SQLite's bound-parameter limit, and a corpus run may have
#: stored tens of thousands of spans.
CHUNK = 500


class SpanRef(NamedTuple):
    """A stored span as a run left it: all undo needs, a tenth of a Span's memory."""

    id: int
    document_id: int
    version: int


@dataclass(frozen=True)
class Withdrawn:
    spans: list[Span]  # as they were: what ``reinstate`` puts back
    kept: int  # reviewed, edited or deleted by someone since: left as they are


def _chunks(items: Sequence[int]) -> Iterator[list[int]]:
    for i in range(0, len(items), CHUNK):
        yield list(items[i : i + CHUNK])


def _touch(conn: Connection, document_ids: set[int]) -> None:
    """Lock and mark changed every document touched, in id order (one lock order for all
    writers), so colleagues' windows see the change."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for chunk in _chunks(sorted(document_ids)):
        conn.execute(update(_documents).where(_documents.c.id.in_(chunk)).values(updated_at=now))


def withdraw(db: Database, refs: Sequence[SpanRef], *, actor: str) -> Withdrawn:
    """Delete the spans named still pending at the version given, in one transaction."""
    expected = {r.id: r.version for r in refs}
    ids = sorted(expected)
    doc_ids = {r.document_id for r in refs}

    def work(conn: Connection) -> Withdrawn:
        _touch(conn, doc_ids)
        c = _annotations.c
        found: list[Span] = []
        for chunk in _chunks(ids):
            found += spans_from_rows(conn.execute(select(*SPAN_COLUMNS).where(c.id.in_(chunk))))
        still = [s for s in found if s.id is not None and s.status is SpanStatus.PENDING
                 and s.version == expected[s.id]]  # fmt: skip
        gone = [s.id for s in still if s.id is not None]
        for chunk in _chunks(gone):
            conn.execute(delete(_annotations).where(c.id.in_(chunk)))
        changelog.record_many(conn, actor=actor, rows=[
            ("delete", s.document_id, s.id, changelog.span_dict(s), None) for s in still
        ])  # fmt: skip
        return Withdrawn(spans=still, kept=len(ids) - len(still))

    return db.run(work)


def reinstate(db: Database, spans: Sequence[Span], *, actor: str) -> list[Span]:
    """Put withdrawn spans back as they were; returns those stored (a span whose characters
    and label someone has tagged since in the same layer is left out)."""
    rows = [_row(s, actor) for s in spans if s.id is not None and s.document_id is not None]
    doc_ids = {int(str(r["document_id"])) for r in rows}

    def work(conn: Connection) -> list[Span]:
        existing = {d for chunk in _chunks(sorted(doc_ids)) for d in conn.scalars(
            select(_documents.c.id).where(_documents.c.id.in_(chunk)))}  # fmt: skip
        _touch(conn, existing)
        wanted = [r for r in rows if r["document_id"] in existing]
        stored: list[Span] = []
        for i in range(0, len(wanted), CHUNK):
            stored += spans_from_rows(conn.execute(
                insert_or_ignore(conn, _annotations).returning(*SPAN_COLUMNS),
                wanted[i : i + CHUNK],
            ))  # fmt: skip
        changelog.record_many(conn, actor=actor, rows=[
            ("restore", s.document_id, s.id, None, changelog.span_dict(s)) for s in stored
        ])  # fmt: skip
        return stored

    return db.run(work)


def _row(span: Span, actor: str) -> dict[str, object]:
    return {
        "id": span.id, "document_id": span.document_id, "start": span.start, "end": span.end,
        "label": span.label, "text": span.text, "error_type": span.error_type,
        "correction": span.correction, "note": span.note, "value": span.value,
        "entity": span.entity, "annotator": span.annotator, "origin": span.origin.value,
        "status": span.status.value, "confidence": span.confidence, "rule": span.rule,
        "layer": span.layer if span.layer is not None else POOL, "version": span.version,
        "created_by": span.annotator, "updated_by": actor,
    }  # fmt: skip


class SuggestionUndo:
    """``withdraw`` and ``reinstate`` for one database and the person acting."""

    def __init__(self, db: Database, actor: str) -> None:
        self._db = db
        self._actor = actor

    def withdraw(self, refs: Sequence[SpanRef]) -> Withdrawn:
        return withdraw(self._db, refs, actor=self._actor)

    def reinstate(self, spans: Sequence[Span]) -> list[Span]:
        return reinstate(self._db, spans, actor=self._actor)
