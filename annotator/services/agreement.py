"""Reading each annotator's layer for the agreement measures (which live in the core).

An annotator's layer on a document is the accepted spans in it: what they tagged, and the
suggestions they accepted. The curated layer is the result of comparing them, not one of them. Until documents are assigned and marked done per person,
an annotator counts as having annotated a document when their layer there holds a span.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from sqlalchemy import select

from annotator.core.agreement import DocumentLayers, Mark
from annotator.core.model import SpanStatus
from annotator.store.database import Database
from annotator.store.models import AnnotationRow, DocumentRow, DocumentTextRow, table

from .annotations import CURATED, POOL, NotFound

_annotations = table(AnnotationRow)
_texts = table(DocumentTextRow)
_documents = table(DocumentRow)
#: Documents read per query: memory stays flat over a large corpus.
PAGE_SIZE = 200


def gather_layers(
    db: Database,
    *,
    document_ids: Sequence[int] | None = None,
    annotators: Sequence[str] | None = None,
) -> Iterator[DocumentLayers]:
    """Each document that at least one of ``annotators`` (None: anyone) annotated, with every
    such annotator's accepted spans, in document order."""
    ids = _document_ids(db, document_ids)
    for first in range(0, len(ids), PAGE_SIZE):
        page = ids[first : first + PAGE_SIZE]
        c = _annotations.c
        stmt = (
            select(c.document_id, c.layer, c.start, c.end, c.label, c.error_type,
                   c.correction)
            .where(c.document_id.in_(page), c.status == SpanStatus.ACCEPTED.value,
                   c.layer.not_in((POOL, CURATED)))
        )  # fmt: skip
        if annotators:
            stmt = stmt.where(c.layer.in_(list(annotators)))
        layers: dict[int, dict[str, set[Mark]]] = defaultdict(lambda: defaultdict(set))
        with db.engine.connect() as conn:
            for row in conn.execute(stmt):
                layers[row.document_id][row.layer].add(
                    Mark(row.start, row.end, row.label, row.error_type, row.correction))
            wanted = [doc for doc in page if doc in layers]
            texts = {row.document_id: row.text for row in conn.execute(
                select(_texts.c.document_id, _texts.c.text)
                .where(_texts.c.document_id.in_(wanted)))}  # fmt: skip
        for doc in wanted:
            yield DocumentLayers(
                document_id=doc, text=texts[doc],
                layers={name: sorted(marks, key=_order) for name, marks in layers[doc].items()},
            )  # fmt: skip


def _order(mark: Mark) -> tuple[int, int, str]:
    return mark.start, mark.end, mark.label


def _document_ids(db: Database, wanted: Sequence[int] | None) -> list[int]:
    with db.engine.connect() as conn:
        if wanted is None:
            return list(conn.scalars(select(_documents.c.id).order_by(_documents.c.id)))
        known = set(conn.scalars(select(_documents.c.id).where(_documents.c.id.in_(wanted))))
    missing = [str(i) for i in wanted if i not in known]
    if missing:
        raise NotFound(f"no document with id {', '.join(missing)}")
    return list(dict.fromkeys(wanted))
