"""Spans as rows: the columns read, the statements that read them, and the document lock that
every write to a document's spans takes first.

Shared by every service that reads or writes spans (annotations, curation, suggesting, the
desk), so all of them build ``Span`` values one way and take locks in one order: the
document's row first, then its spans.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Row, Select, bindparam, case, select, update

from annotator.core.errors import StaleChange, changed_by_message
from annotator.core.model import Origin, Span, SpanStatus
from annotator.store.models import AnnotationRow, ChangeRow, DocumentRow, table

_documents = table(DocumentRow)
_annotations = table(AnnotationRow)
_changes = table(ChangeRow)

#: A span's columns in the order spans_from_rows reads them.
SPAN_COLUMNS = tuple(_annotations.c[name] for name in (
    "id", "document_id", "start", "end", "label", "text", "error_type", "correction", "note",
    "value", "entity", "annotator", "origin", "status", "version", "layer", "confidence", "rule",
))  # fmt: skip
_ORIGINS = {o.value: o for o in Origin}
_STATUSES = {s.value: s for s in SpanStatus}


class NotFound(LookupError):
    """The span or document no longer exists (deleted elsewhere)."""


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def select_spans(
    document_id: int, *, include_rejected: bool = False, layers: Iterable[str] | None = None
) -> Select:
    """Column rows, not ORM objects: an article may carry 20,000 spans, and building ORM
    instances for them costs ten times what building Span values does. ``layers``: only
    spans in these layers (None: every layer)."""
    stmt = select(*SPAN_COLUMNS).where(_annotations.c.document_id == document_id)
    if layers is not None:
        stmt = stmt.where(_annotations.c.layer.in_(list(layers)))
    if not include_rejected:
        stmt = stmt.where(_annotations.c.status != SpanStatus.REJECTED.value)
    return stmt.order_by(_annotations.c.start, _annotations.c.end, _annotations.c.id)


def spans_from_rows(rows: Iterable[Row]) -> list[Span]:
    return [
        Span(
            id=r[0], document_id=r[1], start=r[2], end=r[3], label=r[4], text=r[5],
            error_type=r[6], correction=r[7], note=r[8], value=r[9], entity=r[10],
            annotator=r[11], origin=_ORIGINS[r[12]], status=_STATUSES[r[13]], version=r[14],
            layer=r[15], confidence=r[16], rule=r[17],
        )
        for r in rows
    ]  # fmt: skip


def span_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """The ``Span`` fields of the column values just inserted (its id aside)."""
    fields = {k: values[k] for k in ("document_id", "start", "end", "label", "text",
              "error_type", "correction", "note", "value", "annotator", "version")}  # fmt: skip
    fields["entity"] = values.get("entity")
    fields["layer"] = values.get("layer")
    fields["origin"] = Origin(values["origin"])
    fields["status"] = SpanStatus(values["status"])
    return fields


def lock_document(conn: Connection, document_id: int) -> str:
    """Lock the document's row (the first lock of every write, so all writers take locks in
    one order) and return its sha256; NotFound if it is gone. On SQLite the transaction's
    BEGIN IMMEDIATE already excludes other writers."""
    sha256 = conn.scalar(
        select(_documents.c.sha256).where(_documents.c.id == document_id)
        .with_for_update(key_share=True)
    )  # fmt: skip
    if sha256 is None:
        raise NotFound(f"document {document_id} no longer exists")
    return sha256


# Statements built once: building a statement costs more Python time than running it, and
# these run on every key press of every person at the desk.
_TOUCH = (
    # A first annotation moves a new document to "in progress": what a user expects to see in
    # the list once they have started on an article.
    update(_documents).values(
        updated_at=bindparam("now"),
        status=case((_documents.c.status == "new", "in_progress"), else_=_documents.c.status),
    )
)
_TOUCH_DOCUMENT = _TOUCH.where(_documents.c.id == bindparam("doc")).returning(_documents.c.sha256)
_TOUCH_SPAN_DOCUMENT = _TOUCH.where(_documents.c.id == select(_annotations.c.document_id)
                                    .where(_annotations.c.id == bindparam("span"))
                                    .scalar_subquery()).returning(_documents.c.id)  # fmt: skip
_SELECT_SPAN = select(*SPAN_COLUMNS).where(_annotations.c.id == bindparam("span"))


def touch_document(conn: Connection, document_id: int) -> str:
    """Mark the document changed and so lock its row, the first lock of every change to its
    spans (one lock order for all writers); returns its sha256, NotFound if it is gone. One
    statement: each round trip counts when eight people write at once."""
    sha256 = conn.scalar(_TOUCH_DOCUMENT, {"doc": document_id, "now": now()})
    if sha256 is None:
        raise NotFound(f"document {document_id} no longer exists")
    return sha256


def touch_span_document(conn: Connection, span_id: int) -> int | None:
    """``touch_document`` for the document of a span; None when the span is gone."""
    return conn.scalar(_TOUCH_SPAN_DOCUMENT, {"span": span_id, "now": now()})


def touch_span_documents(conn: Connection, span_ids: Iterable[int]) -> None:
    """``touch_document`` for the documents of several spans, in one statement; a deadlock
    with another such statement is retried by db.run."""
    c = _annotations.c
    conn.execute(
        _TOUCH.where(_documents.c.id.in_(select(c.document_id).where(c.id.in_(list(span_ids))))),
        {"now": now()},
    )


def span_row(conn: Connection, span_id: int) -> Span | None:
    rows = spans_from_rows(conn.execute(_SELECT_SPAN, {"span": span_id}))
    return rows[0] if rows else None


def stale_error(conn: Connection, span_id: int) -> StaleChange | NotFound:
    """Why a write based on an older version of ``span_id`` cannot go ahead."""
    current = span_row(conn, span_id)
    last = conn.execute(
        select(_changes.c.actor, _changes.c.at).where(_changes.c.span_id == span_id)
        .order_by(_changes.c.id.desc()).limit(1)
    ).first()  # fmt: skip
    who, when = (last.actor, last.at) if last is not None else (None, None)
    if current is None:
        if last is None:
            return NotFound(f"span {span_id} no longer exists")
        what = "the span was deleted"
    else:
        what = "the span was changed"
    return StaleChange(changed_by_message(what, who, when), span_id=span_id, current=current)
