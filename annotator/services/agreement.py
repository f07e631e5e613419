"""Reading each annotator's layer for the agreement measures (which live in the core).

An annotator's layer on a document is the accepted spans in it: what they tagged, and the
suggestions they accepted. The curated layer is the result of comparing them, not one of
them. Until documents are assigned and marked done per person, an annotator counts as having
annotated a document when their layer there holds a span.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import select

from annotator.core.agreement import DocumentLayers, Mark
from annotator.core.model import SpanStatus
from annotator.store.database import Database
from annotator.store.models import AnnotationRow, DocumentRow, DocumentTextRow, table

from .layers import CURATED, POOL
from .span_rows import NotFound

_annotations = table(AnnotationRow)
_texts = table(DocumentTextRow)
_documents = table(DocumentRow)
#: Documents read per query: memory stays flat over a large corpus.
PAGE_SIZE = 200

_c = _annotations.c
# In document order only: a layer's spans are sorted in Python (a few each), and asking the
# database for (start, end, label) order makes SQLite walk the unique index instead of the
# (document, status) one, a third slower.
_SPANS = (
    select(_c.document_id, _c.layer, _c.start, _c.end, _c.label, _c.error_type, _c.correction)
    .where(_c.status == SpanStatus.ACCEPTED.value, _c.layer.not_in((POOL, CURATED)))
    .order_by(_c.document_id)
)


def gather_layers(
    db: Database,
    *,
    document_ids: Sequence[int] | None = None,
    annotators: Sequence[str] | None = None,
) -> Iterator[DocumentLayers]:
    """Each document that at least one of ``annotators`` (None: anyone) annotated, with every
    such annotator's accepted spans, in document order (the order of ``document_ids`` when
    given). A document deleted meanwhile is left out."""
    spans = _SPANS.where(_c.layer.in_(list(annotators))) if annotators else _SPANS
    names: dict[str, str] = {}  # one string per annotator, not one per span
    for page, contiguous in _pages(db, document_ids):
        if contiguous:  # every document between the first and the last: a range is cheaper
            stmt = spans.where(_c.document_id.between(page[0], page[-1]))
        else:
            stmt = spans.where(_c.document_id.in_(page))
        layers: dict[int, dict[str, list[Mark]]] = {}
        with db.engine.connect() as conn:
            current = None
            # Row by row, not .all(): a page of rows held at once sets off the garbage
            # collector over and over, which costs more than fetching them one at a time.
            for doc, layer, start, end, label, error_type, correction in conn.execute(stmt):
                if doc != current:
                    current, by_layer = doc, layers.setdefault(doc, {})
                marks = by_layer.get(layer)
                if marks is None:
                    marks = by_layer[names.setdefault(layer, layer)] = []
                marks.append(Mark(start, end, label, error_type, correction))
            wanted = [doc for doc in page if doc in layers]
            texts = dict(
                conn.execute(
                    select(_texts.c.document_id, _texts.c.text).where(
                        _texts.c.document_id.in_(wanted)
                    )
                ).all()
            )
        for doc in wanted:
            if doc in texts:
                by_layer = layers[doc]
                for marks in by_layer.values():
                    marks.sort()  # (start, end, label): a layer holds each of those once
                yield DocumentLayers(document_id=doc, text=texts[doc], layers=by_layer)


def _pages(db: Database, wanted: Sequence[int] | None) -> Iterator[tuple[list[int], bool]]:
    """The document ids in pages of PAGE_SIZE, each with whether it holds every document
    from its first id to its last."""
    if wanted is not None:
        ids = _known(db, wanted)
        for first in range(0, len(ids), PAGE_SIZE):
            yield ids[first : first + PAGE_SIZE], False
        return
    # Keyset paging: the list of every id is never held at once.
    after = None
    page_ids = select(_documents.c.id).order_by(_documents.c.id).limit(PAGE_SIZE)
    while True:
        with db.engine.connect() as conn:
            stmt = page_ids if after is None else page_ids.where(_documents.c.id > after)
            page = list(conn.scalars(stmt))
        if not page:
            return
        yield page, True
        after = page[-1]


def _known(db: Database, wanted: Sequence[int]) -> list[int]:
    with db.engine.connect() as conn:
        known = set(conn.scalars(select(_documents.c.id).where(_documents.c.id.in_(wanted))))
    missing = [str(i) for i in wanted if i not in known]
    if missing:
        raise NotFound(f"no document with id {', '.join(missing)}")
    return list(dict.fromkeys(wanted))
