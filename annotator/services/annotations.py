"""Creating, editing, deleting and restoring spans. Each call is one committed transaction and
returns plain ``Span`` values, so the undo layer can replay them without touching the ORM."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection, Row, Select, Update, case, insert, select, update
from sqlalchemy.orm import Session

from annotator.core.model import EDITABLE_FIELDS, Origin, Span, SpanError, SpanStatus, check_span
from annotator.core.tagset import Tagset
from annotator.store.database import Database
from annotator.store.models import AnnotationRow, DocumentRow, DocumentTextRow


def span_from_row(row: AnnotationRow) -> Span:
    return Span(
        id=row.id,
        document_id=row.document_id,
        start=row.start,
        end=row.end,
        label=row.label,
        text=row.text,
        error_type=row.error_type,
        correction=row.correction,
        note=row.note,
        value=row.value,
        entity=row.entity,
        annotator=row.annotator,
        origin=Origin(row.origin),
        status=SpanStatus(row.status),
    )


_SPAN_COLUMNS = (
    AnnotationRow.id,
    AnnotationRow.document_id,
    AnnotationRow.start,
    AnnotationRow.end,
    AnnotationRow.label,
    AnnotationRow.text,
    AnnotationRow.error_type,
    AnnotationRow.correction,
    AnnotationRow.note,
    AnnotationRow.value,
    AnnotationRow.entity,
    AnnotationRow.annotator,
    AnnotationRow.origin,
    AnnotationRow.status,
)


def select_spans(document_id: int, *, include_rejected: bool = False) -> Select:
    """Column rows, not ORM objects: an article may carry 20,000 spans, and building ORM
    instances for them costs ten times what building Span values does."""
    stmt = select(*_SPAN_COLUMNS).where(AnnotationRow.document_id == document_id)
    if not include_rejected:
        stmt = stmt.where(AnnotationRow.status != SpanStatus.REJECTED.value)
    return stmt.order_by(AnnotationRow.start, AnnotationRow.end, AnnotationRow.id)


def spans_from_rows(rows: Iterable[Row]) -> list[Span]:
    origins = {o.value: o for o in Origin}
    statuses = {s.value: s for s in SpanStatus}
    return [
        Span(
            id=r[0], document_id=r[1], start=r[2], end=r[3], label=r[4], text=r[5],
            error_type=r[6], correction=r[7], note=r[8], value=r[9], entity=r[10],
            annotator=r[11], origin=origins[r[12]], status=statuses[r[13]],
        )
        for r in rows
    ]


_documents = DocumentRow.__table__
_texts = DocumentTextRow.__table__
_annotations = AnnotationRow.__table__
#: Article texts kept in memory for span creation: the open one and a few recent ones.
_TEXTS_KEPT = 4


class NotFound(LookupError):
    """The span or document no longer exists (deleted elsewhere)."""


class AnnotationService:
    def __init__(self, db: Database, tagset: Tagset, *, annotator: str | None = None) -> None:
        self._db = db
        self._tagset = tagset
        self.annotator = annotator
        self._texts: dict[tuple[int, str], str] = {}

    def spans(self, document_id: int, *, include_rejected: bool = False) -> list[Span]:
        with self._db.sessions() as session:
            return spans_from_rows(
                session.execute(select_spans(document_id, include_rejected=include_rejected))
            )

    def get(self, span_id: int) -> Span:
        with self._db.sessions() as session:
            row = session.get(AnnotationRow, span_id)
            if row is None:
                raise NotFound(f"span {span_id} no longer exists")
            return span_from_row(row)

    def create(
        self,
        *,
        document_id: int,
        start: int,
        end: int,
        label: str,
        error_type: str | None = None,
        correction: str | None = None,
        note: str | None = None,
        value: str | None = None,
    ) -> Span:
        self._check_fields(label, error_type)
        if start < 0 or end <= start:
            raise SpanError(f"span {start}:{end} is empty or reversed")
        with self._db.engine.begin() as conn:
            # Core statements, not the ORM: this runs on every label key press, and the unit
            # of work costs more than the SQL here.
            sha256 = conn.scalar(_touch_document_stmt(document_id).returning(_documents.c.sha256))
            if sha256 is None:
                raise NotFound(f"document {document_id} no longer exists")
            text = self._text(conn, document_id, sha256)
            check_span(text, start, end)
            values = {
                "document_id": document_id,
                "start": start,
                "end": end,
                "label": label,
                "text": text[start:end],
                "error_type": error_type,
                "correction": correction,
                "note": note,
                "value": value,
                "annotator": self.annotator,
                "origin": Origin.MANUAL.value,
                "status": SpanStatus.ACCEPTED.value,
            }
            span_id = conn.scalar(insert(_annotations).returning(_annotations.c.id), values)
        return Span(id=span_id, **{**values, "origin": Origin.MANUAL,
                                   "status": SpanStatus.ACCEPTED})

    def _text(self, conn: Connection, document_id: int, sha256: str) -> str:
        """A document's text, from memory when it was read before. Article text never changes
        once imported, and reading a megabyte article (or SQLite walking it for substr and
        length) took longer than the rest of a key press; the hash guards against a
        reused id."""
        key = (document_id, sha256)
        text = self._texts.get(key)
        if text is None:
            text = conn.scalar(
                select(_texts.c.text).where(_texts.c.document_id == document_id)
            ) or ""
            self._texts[key] = text
            while len(self._texts) > _TEXTS_KEPT:
                del self._texts[next(iter(self._texts))]
        return text

    def update(self, span_id: int, **changes: object) -> tuple[Span, Span]:
        """Apply field changes; returns (before, after)."""
        unknown = set(changes) - set(EDITABLE_FIELDS)
        if unknown:
            raise ValueError(f"cannot edit {', '.join(sorted(unknown))}")
        with self._db.sessions.begin() as session:
            row = session.get(AnnotationRow, span_id)
            if row is None:
                raise NotFound(f"span {span_id} no longer exists")
            before = span_from_row(row)
            label = str(changes.get("label", row.label))
            error_type = changes.get("error_type", row.error_type)
            self._check_fields(label, error_type if isinstance(error_type, str) else None)
            for name, val in changes.items():
                if name == "status" and val is not None:
                    val = SpanStatus(val).value
                setattr(row, name, val)
            _touch_document(session, row.document_id)
            session.flush()
            return before, span_from_row(row)

    def accept_all(self, document_id: int, label: str) -> list[tuple[Span, Span]]:
        """Accept every pending ``label`` suggestion of a document, in one transaction;
        returns (before, after) per span, in text order."""
        with self._db.sessions() as session:
            ids = list(session.scalars(
                select(AnnotationRow.id)
                .where(AnnotationRow.document_id == document_id)
                .where(AnnotationRow.label == label)
                .where(AnnotationRow.status == SpanStatus.PENDING.value)
                .order_by(AnnotationRow.start, AnnotationRow.end, AnnotationRow.id)
            ))  # fmt: skip
        return self.set_statuses(ids, SpanStatus.ACCEPTED)

    def set_statuses(self, span_ids: Iterable[int], status: SpanStatus) -> list[tuple[Span, Span]]:
        """One status for several spans, all or none (undo and redo of "accept all");
        returns (before, after) per span, in the order given."""
        wanted = list(span_ids)
        with self._db.sessions.begin() as session:
            rows = {row.id: row for row in session.scalars(
                select(AnnotationRow).where(AnnotationRow.id.in_(wanted))
            )}  # fmt: skip
            missing = [i for i in wanted if i not in rows]
            if missing:
                raise NotFound(f"span {missing[0]} no longer exists")
            changed = []
            for span_id in wanted:
                row = rows[span_id]
                before = span_from_row(row)
                row.status = SpanStatus(status).value
                changed.append((before, row))
            for document_id in {row.document_id for row in rows.values()}:
                _touch_document(session, document_id)
            session.flush()
            return [(before, span_from_row(row)) for before, row in changed]

    def delete(self, span_id: int) -> Span:
        """Delete and return the span as it was, so undo can restore it."""
        with self._db.sessions.begin() as session:
            row = session.get(AnnotationRow, span_id)
            if row is None:
                raise NotFound(f"span {span_id} no longer exists")
            before = span_from_row(row)
            _touch_document(session, row.document_id)
            session.delete(row)
            return before

    def restore(self, span: Span) -> Span:
        """Re-insert a deleted span with its old id (undo of delete, redo of create)."""
        if span.id is None or span.document_id is None:
            raise ValueError("only a stored span can be restored")
        with self._db.sessions.begin() as session:
            doc = session.get(DocumentTextRow, span.document_id)
            if doc is None:
                raise NotFound(f"document {span.document_id} no longer exists")
            check_span(doc.text, span.start, span.end, span.text)
            if session.get(AnnotationRow, span.id) is not None:
                raise SpanError(f"span {span.id} already exists")
            row = AnnotationRow(
                id=span.id,
                document_id=span.document_id,
                start=span.start,
                end=span.end,
                label=span.label,
                text=span.text,
                error_type=span.error_type,
                correction=span.correction,
                note=span.note,
                value=span.value,
                entity=span.entity,
                annotator=span.annotator,
                origin=span.origin.value,
                status=span.status.value,
            )
            session.add(row)
            _touch_document(session, doc.document_id)
            session.flush()
            return span_from_row(row)

    def _check_fields(self, label: str, error_type: str | None) -> None:
        label_def = self._tagset.get(label)
        if label_def is None:
            raise ValueError(f"unknown label {label!r}")
        if error_type is not None and error_type not in label_def.error_types:
            raise ValueError(f"error type {error_type!r} is not allowed for label {label!r}")


def _touch_document(session: Session, document_id: int) -> None:
    session.execute(_touch_document_stmt(document_id))


def _touch_document_stmt(document_id: int) -> Update:
    # A first annotation moves a new document to "in progress": what a user expects to see in
    # the list once they have started on an article. One UPDATE, without loading the text.
    return (
        update(_documents)
        .where(_documents.c.id == document_id)
        .values(
            updated_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            status=case((_documents.c.status == "new", "in_progress"), else_=_documents.c.status),
        )
    )
