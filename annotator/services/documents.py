"""Reading documents for lists and the article view; changing a document's status."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, func, or_, select

from annotator.core.model import DocStatus, Document, DocumentInfo, SpanStatus
from annotator.store.database import Database
from annotator.store.models import AnnotationRow, DocumentRow, DocumentTextRow

from .desk import Desk, own_status, queue_rank, visible_layers
from .span_rows import NotFound, select_spans, spans_from_rows


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class DocumentService:
    def __init__(self, db: Database, *, actor: str = "unknown") -> None:
        self._db = db
        self.actor = actor
        self._desk = Desk(db, actor=actor)

    @property
    def desk(self) -> Desk:
        """The desk as this actor sees it (the document list asks it for the viewer's role)."""
        return self._desk

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
        queue_only: bool = False,
    ) -> list[int]:
        """Like ids(), but only ids after ``after`` in list order and at most ``limit`` of
        them, so a list can show its first page at once and append the rest. List order: the
        actor's queue (assigned to them, not done by them) first, then the rest, each by id.
        ``status`` filters on the actor's own status; ``queue_only`` keeps only the queue."""
        rank = queue_rank(self.actor)
        stmt = select(DocumentRow.id).order_by(rank, DocumentRow.id)
        if queue_only:
            stmt = stmt.where(rank == 0)
        if title_filter.strip():
            pattern = _like_pattern(title_filter.strip())
            stmt = stmt.where(DocumentRow.title.ilike(pattern, escape="\\"))
        if status is not None:
            stmt = stmt.where(own_status(self.actor) == status.value)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self._db.engine.connect() as conn:
            if after is not None:
                after_rank = conn.scalar(select(rank).where(DocumentRow.id == after))
                if after_rank is None:
                    after_rank = 1
                stmt = stmt.where(
                    or_(rank > after_rank, and_(rank == after_rank, DocumentRow.id > after))
                )
            # Straight from the DBAPI cursor: building a SQLAlchemy Row per id took three
            # times as long as the query itself for 100,000 ids (integers need no conversion).
            return [doc_id for (doc_id,) in conn.execute(stmt).cursor.fetchall()]

    def rows(self, ids: Sequence[int]) -> dict[int, DocumentInfo]:
        """Metadata, the actor's own status and queue place, the desk's progress, and live
        counts of the spans the actor sees (rejected suggestions not counted) for some ids."""
        if not ids:
            return {}
        with self._db.engine.connect() as conn:
            layers = visible_layers(conn, self.actor)
        counted = (
            select(func.count(AnnotationRow.id))
            .where(AnnotationRow.document_id == DocumentRow.id)
            .where(AnnotationRow.status != SpanStatus.REJECTED.value)
        )
        if layers is not None:
            counted = counted.where(AnnotationRow.layer.in_(layers))
        counts = counted.scalar_subquery()
        progress = self._desk.progress(ids)
        stmt = select(
            DocumentRow.id,
            DocumentRow.title,
            DocumentRow.status,
            DocumentRow.source,
            DocumentRow.published,
            counts,
            DocumentRow.fetched_at,
        ).where(DocumentRow.id.in_(list(ids)))
        with self._db.sessions() as session:
            return {
                r[0]: DocumentInfo(
                    id=r[0],
                    title=r[1],
                    status=progress[r[0]].status,
                    source=r[3],
                    published=r[4],
                    span_count=r[5],
                    assigned=progress[r[0]].assigned and progress[r[0]].status != DocStatus.DONE,
                    done=progress[r[0]].done,
                    people=progress[r[0]].people,
                    fetched=r[6],
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
            text_row = session.get(DocumentTextRow, document_id)
            if text_row is None:
                raise NotFound(f"document {document_id} no longer exists")
            spans: tuple = ()
            if with_spans:
                layers = visible_layers(session.connection(), self.actor)
                spans = tuple(
                    spans_from_rows(session.execute(select_spans(document_id, layers=layers)))
                )
            return Document(
                id=row.id,
                title=row.title,
                text=text_row.text,
                status=self._desk.status(document_id),
                sha256=row.sha256,
                source=row.source,
                published=row.published,
                spans=spans,
                fetched=row.fetched_at,
            )

    def set_status(
        self, document_id: int, status: DocStatus, *, expected: DocStatus | None = None
    ) -> DocStatus:
        """Set the actor's own status; returns the previous one (for undo). With ``expected``,
        refused when the status is no longer that (changed in another window since)."""
        return self._desk.set_status(document_id, status, expected=expected)

    def count(self) -> int:
        with self._db.sessions() as session:
            return session.scalar(select(func.count(DocumentRow.id))) or 0

    def pending_count(self) -> int:
        """Pending suggestions the actor sees across the corpus: one COUNT, for the review
        progress in the status bar (the open document's share is counted from its spans)."""
        stmt = select(func.count(AnnotationRow.id)).where(
            AnnotationRow.status == SpanStatus.PENDING.value
        )
        with self._db.engine.connect() as conn:
            layers = visible_layers(conn, self.actor)
            if layers is not None:
                stmt = stmt.where(AnnotationRow.layer.in_(layers))
            return conn.scalar(stmt) or 0
