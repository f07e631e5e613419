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

import logging
import time
from collections import Counter
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, bindparam, func, select
from sqlalchemy.engine import Dialect

from annotator.core.model import Origin, SpanStatus
from annotator.core.suggest.model import Suggestion
from annotator.store.database import Database
from annotator.store.models import AnnotationRow, DocumentRow, table, utcnow
from annotator.store.sql import bulk_insert, insert_or_ignore

from . import changes as changelog
from .layers import POOL, SUGGESTER
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
        for stored in store_group(self._db, group, self._actor, self._keep):
            self._report.record(stored)


def store_group(db: Database, group: list[tuple[int, list[Suggestion]]], actor: str,
                keep: bool, turn: AbstractContextManager[Any] | None = None,
                ) -> list[StoredDocument]:  # fmt: skip
    """Stores ``group`` (document id, suggestions) in one transaction and says what was
    stored for each document, in the group's order. The rows and their change-log entries
    are built first: only the statements run while holding the write lock. ``turn``: held
    around the transaction (the pool's workers take turns with it)."""
    prepared = prepare_group(db.engine.dialect, group, actor)
    with turn or nullcontext():
        return db.run(lambda conn: write_prepared(conn, prepared, keep))


@dataclass(frozen=True, slots=True)
class _Candidate:
    key: tuple[int, int, str]  # start, end, label: any annotation there wins
    params: tuple[object, ...] | dict[str, object]  # the row as the insert takes it
    change: str | None  # the span as the change log records it


@dataclass(frozen=True)
class PreparedGroup:
    """A group's rows and change-log entries, built before its transaction."""

    actor: str
    documents: list[tuple[int, list[_Candidate]]]


def prepare_group(dialect: Dialect, group: list[tuple[int, list[Suggestion]]],
                  actor: str) -> PreparedGroup:  # fmt: skip
    now = utcnow()  # one time for the group's spans, as they are stored at once
    same = {**_SAME, "created_by": actor, "updated_by": actor, "created_at": now,
            "updated_at": now}  # fmt: skip
    bulk = bulk_insert(dialect, _annotations, _ROW_KEYS, or_ignore=True)
    documents = []
    for doc_id, found in group:
        rows = [_row(doc_id, s) for s in found]
        params: Sequence[tuple[object, ...] | dict[str, object]] = (
            bulk.params(rows, same) if bulk is not None else [{**same, **row} for row in rows]
        )
        candidates = [
            _Candidate(s.identity, p, _logged(row))
            for s, row, p in zip(found, rows, params, strict=True)
        ]
        documents.append((doc_id, candidates))
    return PreparedGroup(actor, documents)


def write_prepared(conn: Connection, prepared: PreparedGroup, keep: bool) -> list[StoredDocument]:
    """Stores a prepared group with a handful of statements for the whole group: per document
    they cost the storing process more than the engine's work on it."""
    ids = sorted({doc_id for doc_id, _ in prepared.documents})
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
    offered: list[tuple[int, _Candidate]] = []
    counts: dict[int, int] = {}
    for doc_id, candidates in prepared.documents:
        if doc_id not in present:
            log.info("document %d was deleted during the suggest run", doc_id)
            continue
        seen = existing[doc_id]
        counts[doc_id] = len(candidates)
        for c in candidates:
            if c.key not in seen:
                seen.add(c.key)
                offered.append((doc_id, c))
    inserted = _insert(conn, [c.params for _, c in offered]) if offered else {}
    stored: dict[int, list[tuple[int, str]]] = {doc_id: [] for doc_id in counts}
    changes = []
    for doc_id, c in offered:
        span_id = inserted.get((doc_id, *c.key))
        if span_id is not None:
            stored[doc_id].append((span_id, c.key[2]))
            changes.append(("suggest", doc_id, span_id, None, c.change))
    changelog.record_dumped(conn, actor=prepared.actor, rows=changes)
    out = []
    for doc_id, _ in prepared.documents:
        if doc_id not in counts:
            continue
        spans = stored[doc_id]
        refs = tuple(SpanRef(span_id, doc_id, 1) for span_id, _ in spans) if keep else ()
        out.append(StoredDocument(
            doc_id, len(spans), counts[doc_id] - len(spans),
            Counter(label for _, label in spans), refs,
        ))  # fmt: skip
    return out


_INSERTED = (_annotations.c.id, _annotations.c.document_id, _annotations.c.start,
             _annotations.c.end, _annotations.c.label)  # fmt: skip


def _insert(conn: Connection, params: list[Any]) -> dict[tuple[int, int, int, str], int]:
    """Inserts the rows (an existing span at the same place with the same label and layer
    wins) and gives the id of each one inserted by (document, start, end, label).

    On SQLite the transaction began IMMEDIATE (Database.run), so no other writer can add
    rows meanwhile: the new spans are exactly those with ids past the highest before."""
    bulk = bulk_insert(conn.dialect, _annotations, _ROW_KEYS, or_ignore=True)
    if bulk is None:
        rows = conn.execute(insert_or_ignore(conn, _annotations).returning(*_INSERTED), params)
    else:
        before = conn.scalar(select(func.max(_annotations.c.id))) or 0
        bulk.execute(conn, params)
        rows = conn.execute(select(*_INSERTED).where(_annotations.c.id > before))
    return {(doc_id, start, end, label): span_id for span_id, doc_id, start, end, label in rows}


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


#: The columns every suggestion stores alike (with who stored it and when).
_SAME: dict[str, object] = {
    "annotator": SUGGESTER, "origin": Origin.SUGGESTED.value,
    "status": SpanStatus.PENDING.value, "layer": POOL, "version": 1,
}  # fmt: skip
_ROW_KEYS = ("document_id", "start", "end", "label", "text", "error_type", "correction", "note",
             "value", "entity", "confidence", "rule", *_SAME, "created_by", "updated_by",
             "created_at", "updated_at")  # fmt: skip
#: The change log's fields of a stored suggestion that are not in its row.
_LOGGED = {k: v for k, v in _SAME.items() if k in changelog.SPAN_FIELDS}
_OWN_LOGGED = tuple(k for k in changelog.SPAN_FIELDS if k not in _SAME)


def _logged(row: dict[str, object]) -> str | None:
    """The span as the change log records it: changes.span_dict of the span once stored."""
    return changelog.dump({**_LOGGED, **{k: row[k] for k in _OWN_LOGGED}})


def _row(doc_id: int, s: Suggestion) -> dict[str, object]:
    """The columns that are the suggestion's own."""
    return {
        "document_id": doc_id, "start": s.start, "end": s.end, "label": s.label,
        "text": s.text, "error_type": s.error_type, "correction": s.correction,
        "note": s.note, "value": s.value, "entity": s.entity, "confidence": s.confidence,
        "rule": s.rule,
    }  # fmt: skip
