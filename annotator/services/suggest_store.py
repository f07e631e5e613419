"""Storing a suggest run's findings: pending annotations, several documents a transaction.

One transaction (and, on SQLite, one fsync) per document cost more than suggesting on it: the
process that stores, which with a worker pool is the only one, became the bottleneck. The
writer keeps finished documents and commits them together once a quarter of a second or 64
documents have gathered, so a run commits a few times a second whatever the disk. A document
is never half stored, and a cancel commits the finished ones (``flush``).

A suggestion is never stored twice and never overwrites: any annotation with the same
(start, end, label) in the document, manual or suggested, in any status, wins.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, bindparam, func, select

from annotator.core.model import Origin, Span, SpanStatus
from annotator.core.suggest.model import Suggestion
from annotator.store.database import Database
from annotator.store.models import AnnotationRow, DocumentRow, table, utcnow
from annotator.store.sql import insert_or_ignore

from . import changes as changelog
from .layers import POOL, SUGGESTER
from .span_rows import SPAN_COLUMNS, spans_from_rows
from .suggestion_undo import SpanRef

if TYPE_CHECKING:
    from .suggesting import SuggestReport

log = logging.getLogger(__name__)

#: A group is committed once it is this old or this large.
GROUP_SECONDS = 0.25
GROUP_DOCUMENTS = 64

_annotations = table(AnnotationRow)
_documents = table(DocumentRow)
_LOCK = (
    select(_documents.c.id).where(_documents.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(_documents.c.id).with_for_update(key_share=True)
)  # fmt: skip
_EXISTING = select(
    _annotations.c.document_id, _annotations.c.start, _annotations.c.end, _annotations.c.label
).where(_annotations.c.document_id.in_(bindparam("ids", expanding=True)))


@dataclass(frozen=True)
class StoredDocument:
    """What storing one document's suggestions did."""

    doc_id: int
    added: int
    skipped: int  # suggestions an annotation already covered
    by_label: Counter[str]
    refs: tuple[SpanRef, ...]  # the spans stored, when asked for (to undo the run)


class SuggestionWriter:
    def __init__(self, db: Database, report: SuggestReport, actor: str, keep: bool) -> None:
        self._db, self._report, self._actor, self._keep = db, report, actor, keep
        self._pending: list[tuple[int, list[Suggestion]]] = []
        self._since = time.monotonic()

    def add(self, doc_id: int, found: list[Suggestion]) -> None:
        """One finished document's suggestions; committed with the group it falls in."""
        self._pending.append((doc_id, found))
        if (len(self._pending) >= GROUP_DOCUMENTS
                or time.monotonic() - self._since >= GROUP_SECONDS):  # fmt: skip
            self.flush()

    def flush(self) -> None:
        """Commit every document added so far."""
        group, self._pending = self._pending, []
        self._since = time.monotonic()
        if not group:
            return
        actor, keep = self._actor, self._keep
        for stored in self._db.run(lambda conn: write_group(conn, group, actor, keep)):
            self._report.record(stored)


def write_group(conn: Connection, group: list[tuple[int, list[Suggestion]]], actor: str,
                keep: bool) -> list[StoredDocument]:  # fmt: skip
    """What was stored for each document of ``group`` (in its order), with
    a handful of statements for the whole group: per document they cost the storing process
    more than the engine's work on it."""
    ids = sorted({doc_id for doc_id, _ in group})
    # Locked in id order (the first lock of the transaction, as every writer does), so two
    # runs storing overlapping groups cannot deadlock; a document deleted while the engine
    # read it is passed over.
    present = set(conn.scalars(_LOCK, {"ids": ids}))
    existing: dict[int, set[tuple[int, int, str]]] = {doc_id: set() for doc_id in present}
    # Read inside the writing transaction, after the locks: a span the user tags while the
    # engine runs still stops its duplicate (the unique index and ON CONFLICT DO NOTHING
    # stop a concurrent run's).
    for doc_id, start, end, label in conn.execute(_EXISTING, {"ids": sorted(present)}):
        existing[doc_id].add((start, end, label))
    rows: list[dict[str, object]] = []
    now = utcnow()  # one time for the group's spans, as they are stored at once
    offered: dict[int, int] = {}
    skipped: dict[int, int] = {}
    for doc_id, found in group:
        if doc_id not in present:
            log.info("document %d was deleted during the suggest run", doc_id)
            continue
        seen = existing[doc_id]
        offered[doc_id] = skipped[doc_id] = 0
        for s in found:
            if s.identity in seen:
                skipped[doc_id] += 1
                continue
            seen.add(s.identity)
            rows.append(_row(doc_id, s, actor, now))
            offered[doc_id] += 1
    stored: dict[int | None, list[Span]] = {doc_id: [] for doc_id in offered}
    if rows:
        for span in spans_from_rows(_insert(conn, rows)):
            stored[span.document_id].append(span)
        changelog.record_many(conn, actor=actor, rows=[
            ("suggest", doc_id, span.id, None, changelog.span_dict(span))
            for doc_id, spans in stored.items() for span in spans
        ])  # fmt: skip
    out = []
    for doc_id, _ in group:
        if doc_id not in offered:
            continue
        spans = stored[doc_id]
        refs = tuple(SpanRef(s.id, doc_id, s.version) for s in spans if s.id is not None)
        out.append(StoredDocument(
            doc_id, len(spans), skipped[doc_id] + offered[doc_id] - len(spans),
            Counter(s.label for s in spans), refs if keep else (),
        ))  # fmt: skip
    return out


def _insert(conn: Connection, rows: list[dict[str, object]]) -> Iterable[Any]:
    """Inserts ``rows`` (an existing span at the same place with the same label and layer
    wins) and gives the inserted ones as SPAN_COLUMNS rows, in order.

    On SQLite the rows go to the driver's executemany with the statement and the values'
    conversions SQLAlchemy compiles: its own per-row work was half of the write
    transaction's time, all of it holding the database's one write lock that the suggest
    workers queue on. The transaction began IMMEDIATE (Database.run) so no other writer can
    add rows meanwhile: the new spans are exactly those with ids past the highest before.
    """
    insert = insert_or_ignore(conn, _annotations)
    if conn.dialect.name != "sqlite":
        return conn.execute(insert.returning(*SPAN_COLUMNS), rows)
    columns = list(rows[0])
    compiled = insert.compile(dialect=conn.dialect, column_keys=columns)
    order = compiled.positiontup or []
    if set(order) != set(columns):  # a column default SQLAlchemy would fill in per row
        return conn.execute(insert.returning(*SPAN_COLUMNS), rows)
    convert = [(key, _annotations.c[key].type.bind_processor(conn.dialect)) for key in order]
    before = conn.scalar(select(func.max(_annotations.c.id))) or 0
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.executemany(
        str(compiled),
        [tuple(f(row[k]) if f else row[k] for k, f in convert) for row in rows],
    )
    return conn.execute(
        select(*SPAN_COLUMNS).where(_annotations.c.id > before).order_by(_annotations.c.id)
    )


def fit_all(suggested: list[Suggestion], text: str,
            allowed: dict[str, frozenset[str] | None]) -> list[Suggestion]:  # fmt: skip
    """The suggestions as they may be stored: labels and error types the database or tagset
    lacks are dropped (the span is still worth a look without its error type)."""
    out = []
    for s in suggested:
        if s.label not in allowed:
            continue
        if not (0 <= s.start < s.end <= len(text)) or text[s.start : s.end] != s.text:
            # A suggester bug; one bad span must not cost a long run the rest of the corpus.
            log.error("suggestion %r (rule %s) does not match the text; not stored", s, s.rule)
            continue
        types = allowed[s.label]
        if s.error_type and types is not None and s.error_type not in types:
            s = replace(s, error_type=None)
        out.append(s)
    return out


def _row(doc_id: int, s: Suggestion, actor: str, now: dt.datetime) -> dict[str, object]:
    return {
        "document_id": doc_id, "start": s.start, "end": s.end, "label": s.label,
        "text": s.text, "error_type": s.error_type, "correction": s.correction,
        "note": s.note, "value": s.value, "entity": s.entity, "annotator": SUGGESTER,
        "origin": Origin.SUGGESTED.value, "status": SpanStatus.PENDING.value,
        "confidence": s.confidence, "rule": s.rule, "layer": POOL, "version": 1,
        "created_by": actor, "updated_by": actor, "created_at": now, "updated_at": now,
    }  # fmt: skip
