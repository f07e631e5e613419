"""Exporting the corpus as a dataset: any format in services/formats.py.

A corpus can be far larger than memory is comfortable with, so documents are read in pages
(keyset pagination on the id, which stays fast however deep the page) with one span query per
page, handed to the format's writer as native records, and dropped. Output goes through
``atomic_writer`` (or ``atomic_folder`` for brat): a cancelled or crashed export leaves the
previous file, never half a dataset.

Pages are separate reads, not one long transaction (which would hold back WAL checkpoints for
the whole export): an edit made in the window while an export runs may or may not be in the
file, but each document is always written with one consistent set of its spans.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, exists, func, or_, select

from annotator.core.atomic import atomic_folder, atomic_writer
from annotator.core.formats import SPAN_KEYS, document_record
from annotator.core.formats.records import error_labels
from annotator.core.model import SpanStatus
from annotator.core.tagset import Tagset, load_tagset
from annotator.store.database import Database
from annotator.store.models import AnnotationRow, DocumentRow, DocumentTextRow, LabelRow, table

from .export_pending import CLI_HINT, count_pending, pending_notice
from .formats import EXPORT_FORMATS
from .layers import CURATED, POOL
from .progress import Reporter

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = tuple(EXPORT_FORMATS)

#: Documents per page: large enough that query overhead vanishes, small enough that a page of
#: long articles stays a few megabytes.
PAGE_SIZE = 200

_documents = table(DocumentRow)
_annotations = table(AnnotationRow)
_texts = table(DocumentTextRow)
_DOCUMENT_COLUMNS = [
    *(_documents.c[name] for name in ("id", "title", "source", "published", "sha256")),
    _texts.c.text,
]
# The document id, then the span fields in the dataset's order: rows turn into records by
# zip, without a per-field lookup (the export's hot loop).
_SPAN_COLUMNS = [_annotations.c.document_id, *(_annotations.c[name] for name in SPAN_KEYS)]


class UnknownLayer(ValueError):
    """An export naming a layer that holds no spans; the message lists the layers."""


class UnknownLabel(ValueError):
    """A label filter naming a label the database does not know; the message lists the known
    ones, for the user."""


class UnknownDocument(LookupError):
    """A document filter naming ids the database does not hold."""


@dataclass
class ExportReport:
    documents: int
    spans: int
    path: Path
    #: What the format could not carry as asked (see ExportNotes), for the user to read.
    notes: list[str] = field(default_factory=list)
    #: Pending spans matching the export that it left out (see export_pending), why the
    #: format cannot carry them (None: include_pending adds them), and what they are.
    pending_left_out: int = 0
    pending_reason: str | None = None
    pending_what: str = "suggestion"

    def pending_notice(self, hint: str = CLI_HINT) -> str | None:
        """The line "N pending suggestions not exported; HINT" (or why they cannot be
        exported), or None when none were left out."""
        return pending_notice(
            self.pending_left_out, self.pending_reason, hint=hint, what=self.pending_what
        )


def document_count(db: Database) -> int:
    with db.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(_documents)) or 0


def known_labels(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        return sorted(conn.scalars(select(LabelRow.key)))


#: ``layer`` values besides a person's name: every layer, and the default (see span_filter).
ALL_LAYERS = "all"


def span_filter(statuses: list[str], layer: str | None) -> ColumnElement[bool]:
    """Which spans an export writes. ``layer``: None, the default: the curated layer where a
    document has one, else every accepted span (and pending ones, if asked); "all": every
    layer; "curated" or a person's name: that layer only (and pending suggestions, if
    asked)."""
    c = _annotations.c
    wanted = c.status.in_(statuses)
    if layer == ALL_LAYERS:
        return wanted
    if layer is not None:
        pooled = and_(c.layer == POOL, c.status == SpanStatus.PENDING.value)
        return and_(
            wanted,
            or_(c.layer == layer, pooled)
            if SpanStatus.PENDING.value in statuses
            else c.layer == layer,
        )
    other = _annotations.alias("curated_spans")
    curated = exists().where(other.c.document_id == c.document_id, other.c.layer == CURATED)
    return and_(wanted, or_(c.layer == CURATED, ~curated))


def known_layers(db: Database) -> list[str]:
    """The layers an export can name: people's, and "curated" once there is one."""
    with db.engine.connect() as conn:
        return list(
            conn.scalars(
                select(_annotations.c.layer)
                .distinct()
                .where(_annotations.c.layer != POOL)
                .order_by(_annotations.c.layer)
            )
        )


def export_dataset(
    db: Database,
    out: Path,
    *,
    format: str,
    include_pending: bool = False,
    layer: str | None = None,
    labels: Sequence[str] | None = None,
    documents: Sequence[int] | None = None,
    tagset: Tagset | None = None,
    review_url: str | None = None,
    publisher: str | None = None,
    publisher_url: str | None = None,
    reporter: Reporter | None = None,
) -> ExportReport:
    """Write the corpus (or the ``documents`` given) to ``out`` in ``format``. Accepted spans
    only, unless ``include_pending``; rejected suggestions never; ``layer`` as span_filter
    says (an unknown layer raises UnknownLayer). ``labels`` keeps spans of
    those labels (every document is still written). Raises Cancelled (the target is left as it
    was), UnknownLabel, UnknownDocument, FileExistsError (a folder export onto a folder of
    other files), OSError, FormatUnavailable when spaCy is missing for ``spacy``, and
    MissingPublisher for ``claimreview`` without ``publisher`` (the reviewing organisation)."""
    spec = EXPORT_FORMATS.get(format)
    if spec is None:
        raise ValueError(f"unknown export format {format!r} (use one of {', '.join(FORMATS)})")
    out = Path(out)
    reporter = reporter or Reporter()
    tagset = tagset or load_tagset()
    statuses = [SpanStatus.ACCEPTED.value]
    if include_pending and spec.carries_pending:
        statuses.append(SpanStatus.PENDING.value)
    label_filter = _check_labels(db, labels)
    ids = _check_documents(db, documents)
    if layer not in (None, ALL_LAYERS) and layer not in known_layers(db):
        raise UnknownLayer(
            f"no spans in a layer named {layer!r} (layers: "
            f"{', '.join([ALL_LAYERS, *known_layers(db)])})"
        )
    spans_wanted = span_filter(statuses, layer)
    options: dict[str, Any] = {}
    # Which pending spans would count: for ClaimReview only errors (other tags are no claims).
    pending_labels: list[str] | None = label_filter
    if format == "claimreview":
        from annotator.core.formats.claimreview import check_publisher

        publisher, publisher_url = check_publisher(publisher, publisher_url)
        options.update(
            review_url=review_url,
            publisher=publisher,
            publisher_url=publisher_url,
            date_published=dt.date.today(),
        )
        errors = error_labels(tagset)
        pending_labels = [
            lb for lb in (errors if label_filter is None else label_filter) if lb in errors
        ]
    if format == "report":
        options["summary"] = report_summary(
            db,
            statuses=statuses,
            labels=label_filter,
            ids=ids,
            errors=error_labels(tagset),
            wanted=spans_wanted,
        )
        options["generated"] = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    written = spans = 0
    with _target(out, spec.kind) as target, db.engine.connect() as conn:
        writer = spec.make_writer(target, tagset=tagset, **options)
        total = len(ids) if ids is not None else document_count(db)
        pages = _iter_pages(conn, wanted=spans_wanted, labels=label_filter, only=ids)
        for doc, doc_spans in pages:
            reporter.step(written, total, doc.title)
            writer.write(
                document_record(
                    id=doc.id,
                    title=doc.title,
                    source=doc.source,
                    published=doc.published,
                    sha256=doc.sha256,
                    text=doc.text,
                    spans=doc_spans,
                )
            )
            written += 1
            spans += len(doc_spans)
        notes = writer.finish()
        reporter.step(written, max(total, written), "")
    if format == "labelstudio":
        # A Label Studio project needs the labeling config before it can show the tasks.
        from annotator.core.formats.labelstudio import labelstudio_config

        with atomic_writer(labelstudio_config_path(out)) as fh:
            fh.write(labelstudio_config(tagset))
    log.info("exported %d documents, %d spans to %s (%s)", written, spans, out, format)
    report = ExportReport(documents=written, spans=spans, path=out, notes=list(notes.messages))
    if SpanStatus.PENDING.value not in statuses:
        report.pending_left_out = count_pending(db, layer=layer, labels=pending_labels, ids=ids)
        if format == "claimreview":
            report.pending_what = "error suggestion"
            report.pending_reason = (
                "ClaimReview publishes reviewed errors only; accept them to publish them"
            )
        elif not spec.carries_pending:
            report.pending_reason = f"{format} cannot carry pending suggestions"
    return report


def labelstudio_config_path(out: Path) -> Path:
    """Where a Label Studio export's labeling config goes: beside the tasks."""
    return out.with_name(f"{out.stem}.label_config.xml")


@contextlib.contextmanager
def _target(out: Path, kind: str) -> Iterator[Any]:
    if kind == "folder":
        with atomic_folder(out) as folder:
            yield folder
    elif kind == "binary":
        with atomic_writer(out, mode="wb", encoding=None) as fh:
            yield fh
    else:
        # newline="" everywhere: writers put "\n" (or csv's own "\r\n") and mean it.
        with atomic_writer(out, newline="") as fh:
            yield fh


def report_summary(
    db: Database,
    *,
    statuses: list[str],
    labels: list[str] | None,
    ids: list[int] | None,
    errors: frozenset[str],
    wanted: ColumnElement[bool] | None = None,
) -> Any:
    """The report's counts, by SQL, so the report can put them first and still stream."""
    from annotator.core.formats.report import ReportSummary

    with db.engine.connect() as conn:
        documents = len(ids) if ids is not None else document_count(db)
        stmt = (
            select(
                _annotations.c.label, _annotations.c.error_type, _annotations.c.status, func.count()
            )
            .where(wanted if wanted is not None else span_filter(statuses, None))
            .group_by(_annotations.c.label, _annotations.c.error_type, _annotations.c.status)
        )
        if labels is not None:
            stmt = stmt.where(_annotations.c.label.in_(labels))
        if ids is not None:
            stmt = stmt.where(_annotations.c.document_id.in_(ids))
        by_label: dict[str, int] = defaultdict(int)
        by_type: dict[str | None, int] = defaultdict(int)
        pending = 0
        for label, error_type, status, count in conn.execute(stmt):
            by_label[label] += count
            if label in errors:
                by_type[error_type] += count
            if status == SpanStatus.PENDING.value:
                pending += count
    return ReportSummary(
        documents=documents,
        errors_by_type=dict(by_type),
        spans_by_label=dict(by_label),
        pending=pending,
    )


def _check_documents(db: Database, documents: Sequence[int] | None) -> list[int] | None:
    if documents is None:
        return None
    wanted = sorted(set(documents))
    with db.engine.connect() as conn:
        found = set(conn.scalars(select(_documents.c.id).where(_documents.c.id.in_(wanted))))
    missing = [i for i in wanted if i not in found]
    if missing:
        raise UnknownDocument(f"no document with id {', '.join(map(str, missing))}")
    return wanted


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
    conn: Connection,
    *,
    wanted: ColumnElement[bool],
    labels: list[str] | None,
    only: list[int] | None = None,
) -> Iterator[tuple[Any, list[Any]]]:
    """(document row, its spans as value tuples in SPAN_KEYS order) in id order, one page in
    memory at a time."""
    last_id = 0
    while True:
        stmt = (
            select(*_DOCUMENT_COLUMNS)
            .join(_texts, _texts.c.document_id == _documents.c.id)
            .where(_documents.c.id > last_id)
            .order_by(_documents.c.id)
            .limit(PAGE_SIZE)
        )
        if only is not None:
            stmt = stmt.where(_documents.c.id.in_(only))
        page = conn.execute(stmt).all()
        if not page:
            return
        ids = [row.id for row in page]
        stmt = (
            select(*_SPAN_COLUMNS)
            .where(_annotations.c.document_id.in_(ids))
            .where(wanted)
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
