"""Exporting the corpus as a dataset file (JSONL or CSV).

A corpus can be far larger than memory is comfortable with, so documents are read in pages
(keyset pagination on the id, which stays fast however deep the page) with one span query per
page, written, and dropped. The file is written through ``atomic_writer``: a cancelled or
crashed export leaves the previous file, never half a dataset.

Pages are separate reads, not one long transaction (which would hold back WAL checkpoints for
the whole export): an edit made in the window while an export runs may or may not be in the
file, but each document is always written with one consistent set of its spans.
"""

from __future__ import annotations

import csv
import logging
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Connection, func, select

from annotator.core.atomic import atomic_writer
from annotator.core.formats import CSV_HEADER, SPAN_KEYS, csv_row, document_record, dumps_line
from annotator.core.model import SpanStatus
from annotator.store.database import Database
from annotator.store.models import AnnotationRow, DocumentRow, DocumentTextRow, LabelRow

from .progress import Reporter

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("jsonl", "csv")

#: Documents per page: large enough that query overhead vanishes, small enough that a page of
#: long articles stays a few megabytes.
PAGE_SIZE = 200

_documents = DocumentRow.__table__
_annotations = AnnotationRow.__table__
_texts = DocumentTextRow.__table__
_DOCUMENT_COLUMNS = [
    *(_documents.c[name] for name in ("id", "title", "source", "published", "sha256")),
    _texts.c.text,
]
# The document id, then the span fields in the dataset's order: rows turn into records by
# zip, without a per-field lookup (the export's hot loop).
_SPAN_COLUMNS = [_annotations.c.document_id, *(_annotations.c[name] for name in SPAN_KEYS)]


class UnknownLabel(ValueError):
    """A label filter naming a label the database does not know; the message lists the known
    ones, for the user."""


@dataclass
class ExportReport:
    documents: int
    spans: int
    path: Path


def known_labels(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        return sorted(conn.scalars(select(LabelRow.key)))


def export_dataset(
    db: Database,
    out: Path,
    *,
    format: str,
    include_pending: bool = False,
    labels: Sequence[str] | None = None,
    reporter: Reporter | None = None,
) -> ExportReport:
    """Write the corpus to ``out``. Accepted spans only, unless ``include_pending``; rejected
    suggestions never. ``labels`` keeps spans of those labels (JSONL still lists every
    document). Raises Cancelled (the target is left as it was), UnknownLabel, OSError."""
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r} (use one of {', '.join(FORMATS)})")
    out = Path(out)
    reporter = reporter or Reporter()
    statuses = [SpanStatus.ACCEPTED.value]
    if include_pending:
        statuses.append(SpanStatus.PENDING.value)
    label_filter = _check_labels(db, labels)
    documents = spans = 0
    newline = "" if format == "csv" else "\n"  # csv writes its own \r\n line ends
    with db.engine.connect() as conn, atomic_writer(out, newline=newline) as fh:
        total = conn.scalar(select(func.count()).select_from(_documents)) or 0
        write = _write_jsonl if format == "jsonl" else _csv_writer(fh)
        for doc, doc_spans in _iter_pages(conn, statuses=statuses, labels=label_filter):
            reporter.step(documents, total, doc.title)
            write(fh, doc, doc_spans)
            documents += 1
            spans += len(doc_spans)
        reporter.step(documents, max(total, documents), "")
    log.info("exported %d documents, %d spans to %s", documents, spans, out)
    return ExportReport(documents=documents, spans=spans, path=out)


def _check_labels(db: Database, labels: Sequence[str] | None) -> list[str] | None:
    if labels is None:
        return None
    wanted = list(dict.fromkeys(labels))
    known = known_labels(db)
    unknown = [label for label in wanted if label not in known]
    if unknown:
        raise UnknownLabel(
            f"unknown label {', '.join(map(repr, unknown))} (known labels: {', '.join(known)})"
        )
    return wanted


def _iter_pages(
    conn: Connection, *, statuses: list[str], labels: list[str] | None
) -> Iterator[tuple[Any, list[Any]]]:
    """(document row, its spans as value tuples in SPAN_KEYS order) in id order, one page in
    memory at a time."""
    last_id = 0
    while True:
        page = conn.execute(
            select(*_DOCUMENT_COLUMNS)
            .join(_texts, _texts.c.document_id == _documents.c.id)
            .where(_documents.c.id > last_id)
            .order_by(_documents.c.id)
            .limit(PAGE_SIZE)
        ).all()
        if not page:
            return
        ids = [row.id for row in page]
        stmt = (
            select(*_SPAN_COLUMNS)
            .where(_annotations.c.document_id.in_(ids))
            .where(_annotations.c.status.in_(statuses))
            .order_by(
                _annotations.c.document_id,
                _annotations.c.start,
                _annotations.c.end,
                _annotations.c.id,
            )
        )
        if labels is not None:
            stmt = stmt.where(_annotations.c.label.in_(labels))
        by_document: dict[int, list[Any]] = defaultdict(list)
        for span in conn.execute(stmt):
            by_document[span[0]].append(span[1:])
        for row in page:
            yield row, by_document.pop(row.id, [])
        last_id = ids[-1]
        # Drop this page before the next query builds its successor: otherwise two pages
        # are alive at once and the peak doubles.
        del page, by_document, row


def _write_jsonl(fh: TextIO, doc: Any, spans: list[Any]) -> None:
    record = document_record(
        id=doc.id,
        title=doc.title,
        source=doc.source,
        published=doc.published,
        sha256=doc.sha256,
        text=doc.text,
        spans=spans,
    )
    fh.write(dumps_line(record))
    fh.write("\n")


def _csv_writer(fh: TextIO):
    writer = csv.writer(fh)
    writer.writerow(CSV_HEADER)

    def write(_fh: TextIO, doc: Any, spans: list[Any]) -> None:
        writer.writerows(
            csv_row(
                document_id=doc.id,
                title=doc.title,
                source=doc.source,
                span=dict(zip(SPAN_KEYS, span, strict=True)),
            )
            for span in spans
        )

    return write
