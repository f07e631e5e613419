"""Searching the corpus: text (substrings, whole words, regular expressions) and spans (by
label, error type, status, annotator, rule, note or text), with context for each hit.

Text search narrows the documents with the full-text indexes (search_text.py) and matches
the stored texts in Python, so offsets are code points into the stored text, as spans' are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, Row, Select, func, select

from annotator.core.model import SpanStatus
from annotator.store.database import Database
from annotator.store.models import AnnotationRow, DocumentRow, DocumentTextRow, table

from .annotations import POOL, SUGGESTER, AnnotationService
from .progress import Reporter
from .search_text import (
    BATCH,
    SearchError,
    SearchMode,
    TextQuery,
    candidate_pages,
    compile_query,
    has_trigram_index,
    read_texts,
    scan_filter,
    scan_window,
    scan_windows,
)

__all__ = ["Hit", "SearchError", "SearchMode", "SearchResult", "SearchService", "SpanQuery",
           "TextQuery"]  # fmt: skip

#: Characters of context shown on each side of a hit.
CONTEXT = 40

_documents = table(DocumentRow)
_texts = table(DocumentTextRow)
_annotations = table(AnnotationRow)


@dataclass(frozen=True)
class SpanQuery:
    """Every field optional; all given ones must match."""

    label: str | None = None
    error_type: str | None = None
    status: str | None = None  # "accepted" | "pending" | "rejected"
    annotator: str | None = None  # the span's layer / annotator name
    rule: str | None = None  # suggester rule id (Span.rule)
    note: str | None = None  # substring of the note, case-insensitive
    text: str | None = None  # substring of the span text, case-insensitive

    def is_empty(self) -> bool:
        return all(not v for v in vars(self).values())


@dataclass(frozen=True)
class Hit:
    document_id: int
    title: str
    start: int  # code-point offsets into the stored text
    end: int
    before: str  # up to CONTEXT characters before, on one line
    match: str  # text[start:end]
    after: str  # up to CONTEXT characters after, on one line
    span_id: int | None = None  # set for span hits
    label: str | None = None  # set for span hits


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]  # in document order (documents by id, then position)
    #: Documents with at least one hit: exact when not truncated, else those found before
    #: the search stopped (counting them all would read every document).
    documents: int
    truncated: bool  # more hits exist than the limit


def _one_line(s: str) -> str:
    return s.replace("\r", " ").replace("\t", " ")


def context(text: str, start: int, end: int) -> tuple[str, str]:
    """The text around a hit, cut at line ends: a result list shows one line per hit."""
    before = text[max(0, start - CONTEXT) : start].rsplit("\n", 1)[-1]
    after = text[end : end + CONTEXT].split("\n", 1)[0]
    return _one_line(before), _one_line(after)


class SearchService:
    def __init__(self, db: Database, annotations: AnnotationService) -> None:
        self._db = db
        self._annotations = annotations
        self._trigrams: bool | None = None  # PostgreSQL's pg_trgm index, once looked up

    # -- text -------------------------------------------------------------------------------

    def text(
        self, query: TextQuery, *, limit: int = 500, reporter: Reporter | None = None
    ) -> SearchResult:
        """Every match of the query in the stored texts, in document order; SearchError for
        a bad regular expression. ``reporter`` hears progress (through the documents, by id)
        and may cancel (progress.Cancelled). When truncated, ``documents`` counts those
        found before the search stopped."""
        if not query.text.strip():
            return SearchResult([], 0, truncated=False)
        pattern = compile_query(query)
        reporter = reporter or Reporter()
        found: list[tuple[int, int, int, str]] = []  # document, start, end, text
        documents = 0
        with self._db.engine.connect() as conn:
            for doc_id, body in self._texts_to_check(conn, query, reporter):
                matched = False
                for m in pattern.finditer(body):
                    if m.end() == m.start():
                        continue  # a pattern that can match nothing finds nothing here
                    if len(found) == limit:
                        return self._text_result(
                            conn, found, documents + (not matched), truncated=True
                        )
                    found.append((doc_id, m.start(), m.end(), body))
                    if not matched:
                        documents += 1
                        matched = True
            return self._text_result(conn, found, documents, truncated=False)

    def _pg_trigrams(self, conn: Connection) -> bool:
        if self._trigrams is None:
            self._trigrams = has_trigram_index(conn)
        return self._trigrams

    def _texts_to_check(
        self, conn: Connection, query: TextQuery, reporter: Reporter
    ) -> Iterator[tuple[int, str]]:
        """(document id, text) of each document that may match, in id order."""
        low, high = scan_windows(conn)
        span = max(high - low + 1, 1)
        pages = candidate_pages(conn, query, self._pg_trigrams(conn))
        if pages is not None:
            for page in pages:
                reporter.step(page[0] - low, span, "searching")
                yield from read_texts(conn, page)
        else:
            condition, params = scan_filter(conn, query)
            for window in range(low, high + 1, BATCH * 4):
                reporter.step(window - low, span, "searching")
                yield from scan_window(conn, window, window + BATCH * 4 - 1, condition, params)
        reporter.step(span, span, "searching")

    def _text_result(
        self,
        conn: Connection,
        found: list[tuple[int, int, int, str]],
        documents: int,
        *,
        truncated: bool,
    ) -> SearchResult:
        titles = self._titles(conn, {f[0] for f in found})
        hits = []
        for doc_id, start, end, body in found:
            before, after = context(body, start, end)
            hits.append(
                Hit(doc_id, titles.get(doc_id, ""), start, end, before, body[start:end], after)
            )
        return SearchResult(hits, documents, truncated)

    @staticmethod
    def _titles(conn: Connection, ids: Iterable[int]) -> dict[int, str]:
        wanted = sorted(set(ids))
        titles: dict[int, str] = {}
        for i in range(0, len(wanted), BATCH):
            stmt = select(_documents.c.id, _documents.c.title).where(
                _documents.c.id.in_(wanted[i : i + BATCH])
            )
            titles.update({r[0]: r[1] for r in conn.execute(stmt)})
        return titles

    # -- spans ------------------------------------------------------------------------------

    def spans(self, query: SpanQuery, *, limit: int = 500) -> SearchResult:
        """The spans matching every given field that this person may see (blind mode hides
        the other annotators' layers), in document order. Rejected suggestions are found
        only when asked for by status. When truncated, ``documents`` counts those found
        before the search stopped."""
        if query.is_empty():
            return SearchResult([], 0, truncated=False)
        from .desk import visible_layers

        with self._db.engine.connect() as conn:
            stmt = self._span_filter(
                select(
                    _annotations.c.id,
                    _annotations.c.document_id,
                    _annotations.c.start,
                    _annotations.c.end,
                    _annotations.c.label,
                    _annotations.c.note,
                    _annotations.c.text,
                ),
                query,
                visible_layers(conn, self._annotations.annotator),
            ).order_by(
                _annotations.c.document_id,
                _annotations.c.start,
                _annotations.c.end,
                _annotations.c.id,
            )
            rows: list[Row] = []
            truncated = False
            for row in conn.execute(stmt):
                if not _folded_match(query, note=row.note, text=row.text):
                    continue
                if len(rows) == limit:
                    truncated = True
                    break
                rows.append(row)
            documents = len({r.document_id for r in rows})
            texts = dict(read_texts(conn, sorted({r.document_id for r in rows}))) if rows else {}
            titles = self._titles(conn, texts)
        hits = []
        for r in rows:
            body = texts[r.document_id]
            before, after = context(body, r.start, r.end)
            hits.append(
                Hit(
                    r.document_id,
                    titles.get(r.document_id, ""),
                    r.start,
                    r.end,
                    before,
                    body[r.start : r.end],
                    after,
                    span_id=r.id,
                    label=r.label,
                )
            )
        return SearchResult(hits, documents, truncated)

    @staticmethod
    def _span_filter(stmt: Select, query: SpanQuery, layers: tuple[str, ...] | None) -> Select:
        c = _annotations.c
        if layers is not None:
            stmt = stmt.where(c.layer.in_(layers))
        if query.status:
            stmt = stmt.where(c.status == query.status)
        else:
            stmt = stmt.where(c.status != SpanStatus.REJECTED.value)
        for column, value in (
            (c.label, query.label),
            (c.error_type, query.error_type),
            (c.rule, query.rule),
        ):
            if value:
                stmt = stmt.where(column == value)
        if query.annotator:
            # A person's spans are their layer (ix_annotations_layer_status); the suggestion
            # pool's carry the suggester's name.
            layer = POOL if query.annotator == SUGGESTER else query.annotator
            stmt = stmt.where(c.layer == layer)
        for column, needle in ((c.note, query.note), (c.text, query.text)):
            # SQL folds ASCII case only: other needles are checked in Python (_folded_match).
            if needle and needle.isascii():
                stmt = stmt.where(func.lower(column).contains(needle.lower(), autoescape=True))
            elif needle:
                stmt = stmt.where(column.is_not(None))
        return stmt


def _folded_match(query: SpanQuery, *, note: str | None, text: str | None) -> bool:
    for needle, value in ((query.note, note), (query.text, text)):
        if needle and needle.casefold() not in (value or "").casefold():
            return False
    return True
