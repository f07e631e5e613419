"""Reading documents for lists and the article view; changing a document's status."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, func, select, update

from annotator.core.errors import DatabaseError, Problem, changed_by_message
from annotator.core.model import DocStatus, Document, DocumentInfo, SpanStatus
from annotator.store.database import Database
from annotator.store.models import AnnotationRow, ChangeRow, DocumentRow, DocumentTextRow, table

from . import changes as changelog
from .annotations import NotFound, lock_document, select_spans, spans_from_rows


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class DocumentService:
    def __init__(self, db: Database, *, actor: str = "unknown") -> None:
        self._db = db
        self.actor = actor

    def ids(self, *, title_filter: str = "", status: DocStatus | None = None) -> list[int]:
        """Ids in list order. Only ids: the list fetches rows page by page (see rows())."""
        return self.ids_page(title_filter=title_filter, status=status)

    def ids_page(
        self,
        *,
        title_filter: str = "",
        status: DocStatus | None = None,
        after: int | None = None,
        limit: int | None = None,
    ) -> list[int]:
        """Like ids(), but only ids greater than ``after`` and at most ``limit`` of them. List
        order is id order, so a list can show its first page at once and append the rest."""
        stmt = select(DocumentRow.id).order_by(DocumentRow.id)
        if title_filter.strip():
            pattern = _like_pattern(title_filter.strip())
            stmt = stmt.where(DocumentRow.title.ilike(pattern, escape="\\"))
        if status is not None:
            stmt = stmt.where(DocumentRow.status == status.value)
        if after is not None:
            stmt = stmt.where(DocumentRow.id > after)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self._db.engine.connect() as conn:
            # Straight from the DBAPI cursor: building a SQLAlchemy Row per id took three
            # times as long as the query itself for 100,000 ids (integers need no conversion).
            return [doc_id for (doc_id,) in conn.execute(stmt).cursor]

    def rows(self, ids: Sequence[int]) -> dict[int, DocumentInfo]:
        """Metadata and live span counts (rejected suggestions not counted) for some ids."""
        if not ids:
            return {}
        counts = (
            select(func.count(AnnotationRow.id))
            .where(AnnotationRow.document_id == DocumentRow.id)
            .where(AnnotationRow.status != SpanStatus.REJECTED.value)
            .scalar_subquery()
        )
        stmt = select(
            DocumentRow.id,
            DocumentRow.title,
            DocumentRow.status,
            DocumentRow.source,
            DocumentRow.published,
            counts,
        ).where(DocumentRow.id.in_(list(ids)))
        with self._db.sessions() as session:
            return {
                r[0]: DocumentInfo(
                    id=r[0],
                    title=r[1],
                    status=DocStatus(r[2]),
                    source=r[3],
                    published=r[4],
                    span_count=r[5],
                )
                for r in session.execute(stmt)
            }

    def info(self, document_id: int) -> DocumentInfo:
        found = self.rows([document_id])
        if document_id not in found:
            raise NotFound(f"document {document_id} no longer exists")
        return found[document_id]

    def get(self, document_id: int, *, with_spans: bool = True) -> Document:
        with self._db.sessions() as session:
            row = session.get(DocumentRow, document_id)
            if row is None:
                raise NotFound(f"document {document_id} no longer exists")
            spans: tuple = ()
            if with_spans:
                spans = tuple(spans_from_rows(session.execute(select_spans(document_id))))
            return Document(
                id=row.id,
                title=row.title,
                text=session.get(DocumentTextRow, document_id).text,
                status=DocStatus(row.status),
                sha256=row.sha256,
                source=row.source,
                published=row.published,
                spans=spans,
            )

    def set_status(
        self, document_id: int, status: DocStatus, *, expected: DocStatus | None = None
    ) -> DocStatus:
        """Set the status; returns the previous one (for undo). With ``expected``, refused
        when the status is no longer that (someone else changed it since)."""
        wanted = DocStatus(status)

        def work(conn: Connection) -> DocStatus:
            lock_document(conn, document_id)
            documents = table(DocumentRow)
            before = DocStatus(str(conn.scalar(
                select(documents.c.status).where(documents.c.id == document_id))))  # fmt: skip
            if expected is not None and before != expected:
                changes = table(ChangeRow)
                last = conn.execute(
                    select(changes.c.actor, changes.c.at)
                    .where(changes.c.document_id == document_id, changes.c.action == "status")
                    .order_by(changes.c.id.desc()).limit(1)
                ).first()  # fmt: skip
                raise DatabaseError(changed_by_message(
                    f"the status is {before.display} now, set",
                    last.actor if last else None, last.at if last else None,
                ), problem=Problem.CONFLICT)  # fmt: skip
            conn.execute(update(documents).where(documents.c.id == document_id)
                         .values(status=wanted.value))  # fmt: skip
            changelog.record(conn, actor=self.actor, action="status", document_id=document_id,
                             before={"status": before.value},
                             after={"status": wanted.value})  # fmt: skip
            return before

        return self._db.run(work)

    def count(self) -> int:
        with self._db.sessions() as session:
            return session.scalar(select(func.count(DocumentRow.id))) or 0
