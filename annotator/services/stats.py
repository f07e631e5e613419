"""Corpus counts for `annotator stats` and the window's summary: computed by GROUP BY in the
database, so they cost the same for ten documents or a million."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from annotator.core.model import DocStatus
from annotator.store.database import Database
from annotator.store.models import AnnotationRow, DocumentRow


@dataclass(frozen=True)
class CorpusStats:
    #: Every document status, in workflow order, zero included.
    documents_by_status: dict[str, int]
    #: (label, span status) -> count, only the pairs that occur; rejected spans included.
    spans_by_label_status: dict[tuple[str, str], int]
    documents: int
    #: All stored spans, whatever their status.
    spans: int


def corpus_stats(db: Database) -> CorpusStats:
    with db.engine.connect() as conn:
        by_status = {
            status: count
            for status, count in conn.execute(
                select(DocumentRow.status, func.count()).group_by(DocumentRow.status)
            )
        }
        spans = {
            (label, status): count
            for label, status, count in conn.execute(
                select(AnnotationRow.label, AnnotationRow.status, func.count())
                .group_by(AnnotationRow.label, AnnotationRow.status)
                .order_by(AnnotationRow.label, AnnotationRow.status)
            )
        }
    documents_by_status = {status.value: by_status.pop(status.value, 0) for status in DocStatus}
    documents_by_status.update(by_status)  # a status this version does not know still counts
    return CorpusStats(
        documents_by_status=documents_by_status,
        spans_by_label_status=spans,
        documents=sum(documents_by_status.values()),
        spans=sum(spans.values()),
    )
