"""Importing datasets (native JSONL, doccano, Label Studio, brat): documents with their spans.

Readers in core/formats stream records and turn a bad one into a ``Rejected``; here each
record is checked against what the database accepts (known labels, statuses), then records
are inserted in small batches, one transaction each, so an interrupted import keeps whole
documents and never half of one. A document already in the database (same sha256 and text)
is not duplicated: the spans it lacks are added to it, which is how a colleague's work on the
same articles comes in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import time
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, String, insert, select

from annotator.core.formats.records import Notice, Record, Rejected
from annotator.core.model import Origin, SpanError, SpanStatus, check_span
from annotator.core.textload import LoadError
from annotator.core.webfetch import TIMEOUT_S, is_address
from annotator.store.database import Database
from annotator.store.models import AnnotationRow, DocumentRow, DocumentTextRow, LabelRow, table
from annotator.store.sql import insert_or_ignore

from . import changes as changelog
from .dataset_read import NotADataset, detect_format, open_records
from .formats import IMPORT_FORMATS
from .importing import ImportReport, import_paths
from .layers import POOL
from .progress import Cancelled, Reporter

log = logging.getLogger(__name__)

BATCH_RECORDS = 200
BATCH_SECONDS = 0.5

_documents = table(DocumentRow)
_texts = table(DocumentTextRow)
_annotations = table(AnnotationRow)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_SPAN_FIELDS = ("error_type", "correction", "note", "value", "entity", "annotator")
# SQLite does not enforce declared lengths; checking them here keeps the rows valid for a
# database that does (PostgreSQL).
_LIMITS = {
    key: col_type.length
    for key in _SPAN_FIELDS
    if isinstance(col_type := _annotations.c[key].type, String) and col_type.length
}


def import_any(
    db: Database,
    paths: Iterable[Path | str],
    *,
    format: str | None = None,
    reporter: Reporter | None = None,
    timeout: float = TIMEOUT_S,
) -> ImportReport:
    """Import article files and folders, web pages by address (each fetched within
    ``timeout`` seconds) and datasets, each path by what it is (``format`` forces one dataset
    format for all). One report for everything."""
    reporter = reporter or Reporter()
    report = ImportReport()
    articles: list[Path | str] = []
    for raw in paths:
        if isinstance(raw, str) and is_address(raw):
            articles.append(raw)  # Path() would fold "https://" into "https:/"
            continue
        path = Path(raw)
        try:
            fmt = format or detect_format(path)
        except NotADataset as exc:
            report.errors.append(LoadError(str(path), str(exc).removeprefix(f"{path}: ")))
            continue
        except OSError as exc:
            report.errors.append(LoadError(str(path), exc.strerror or str(exc)))
            continue
        if fmt is None:
            articles.append(path)
            continue
        try:
            import_dataset(db, path, format=fmt, reporter=reporter, report=report)
        except Cancelled:
            raise Cancelled(report) from None
        except NotADataset as exc:
            report.errors.append(LoadError(str(path), str(exc).removeprefix(f"{path}: ")))
    if articles:
        try:
            found = import_paths(db, articles, reporter=reporter, timeout=timeout)
        except Cancelled as exc:
            partial = exc.partial
            if isinstance(partial, ImportReport):
                _merge(report, partial)
            raise Cancelled(report) from None
        _merge(report, found)
    return report


def import_dataset(
    db: Database,
    path: Path,
    *,
    format: str,
    reporter: Reporter | None = None,
    report: ImportReport | None = None,
) -> ImportReport:
    """Import one dataset file (or brat folder). Raises Cancelled (what was committed stays,
    ``args[0]`` is the report so far) and NotADataset for a file that cannot be read as
    ``format`` at all; single bad records are listed in ``report.errors``."""
    if format not in IMPORT_FORMATS:
        raise ValueError(f"cannot import {format!r} (use one of {', '.join(IMPORT_FORMATS)})")
    reporter = reporter or Reporter()
    report = report if report is not None else ImportReport()
    known = _known_labels(db)
    batch: list[Record] = []
    last_commit = time.monotonic()
    seen = 0
    with open_records(path, format) as (records, progress):
        try:
            for item in records:
                seen += 1
                done, total = progress()
                reporter.step(done, total, str(path))
                if isinstance(item, Rejected):
                    report.errors.append(LoadError(item.where, item.reason))
                    continue
                if isinstance(item, Notice):
                    report.notes.append(str(item))
                    continue
                try:
                    batch.append(_clean(item, path=path, known=known))
                except ValueError as exc:
                    report.errors.append(LoadError(_name(item, path), str(exc)))
                    continue
                if len(batch) >= BATCH_RECORDS or time.monotonic() - last_commit > BATCH_SECONDS:
                    _insert(db, batch, report)
                    batch.clear()
                    last_commit = time.monotonic()
        except Cancelled:
            if batch:
                _insert(db, batch, report)
            raise Cancelled(report) from None
        except (ValueError, UnicodeDecodeError) as exc:
            # A file broken beyond one record (a JSON array cut short, bytes that are not
            # UTF-8): what came before it is kept, and the file is named.
            if batch:
                _insert(db, batch, report)
                batch.clear()
            report.errors.append(LoadError(str(path), _one_line(exc)))
        if batch:
            _insert(db, batch, report)
    if not seen and not any(e.path == str(path) for e in report.errors):
        report.errors.append(LoadError(str(path), "no records in it (an empty file or folder)"))
    return report


# -- checking --------------------------------------------------------------------------------


def _clean(record: Record, *, path: Path, known: set[str]) -> Record:
    """The record as rows will hold it: CR line ends normalised (offsets moved with them),
    metadata checked; raises ValueError with the reason for the user."""
    text = record["text"]
    if not text.strip():
        raise ValueError("the document's text is empty")
    spans = [dict(span) for span in record.get("spans", [])]
    if "\r" in text:
        text, spans = _normalise_newlines(text, spans)
    for number, span in enumerate(spans, start=1):
        try:
            check_span(text, span["start"], span["end"])
        except SpanError as exc:
            raise ValueError(f"span {number}: {exc}") from None
        label = span.get("label")
        if label not in known:
            raise ValueError(
                f"span {number} has label {label!r}, which this database does not know "
                f"(known: {', '.join(sorted(known))}; a --tagset that defines it adds it)"
            )
        status = span.get("status") or SpanStatus.ACCEPTED.value
        if status not in {s.value for s in SpanStatus}:
            raise ValueError(f"span {number} has status {status!r}")
        origin = span.get("origin") or Origin.MANUAL.value
        if origin not in {o.value for o in Origin}:
            raise ValueError(f"span {number} has origin {origin!r}")
        span["status"], span["origin"] = status, origin
        span["text"] = text[span["start"] : span["end"]]
        for key in _SPAN_FIELDS:
            value = span.get(key)
            if value is not None and not isinstance(value, str):
                value = str(value)
            if value is not None and key in _LIMITS and len(value) > _LIMITS[key]:
                raise ValueError(f"span {number}: {key} is longer than {_LIMITS[key]} characters")
            span[key] = value
    sha = record.get("sha256")
    if not (isinstance(sha, str) and _SHA256.match(sha)):
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    title = record.get("title")
    if not isinstance(title, str) or not title.strip():
        title = path.stem
    # A record that says it has no source keeps none (a round trip stays exact); one from a
    # tool that has no such field is named after the file it came in.
    source = record["source"] if "source" in record else str(path)
    return {
        "where": _name(record, path),
        "title": title.strip()[:500],
        "source": source[:2000] if isinstance(source, str) else None,
        "published": _date(record.get("published")),
        "sha256": sha,
        "text": text,
        "spans": spans,
    }


def _normalise_newlines(text: str, spans: list[dict[str, Any]]) -> tuple[str, list[dict]]:
    # The stored text has "\n" line ends (DESIGN.md); brat and Windows files count each "\r"
    # of "\r\n", so every offset after one moves back by one.
    removed = [i for i, ch in enumerate(text) if ch == "\r" and text[i + 1 : i + 2] == "\n"]

    def moved(offset: int) -> int:
        return offset - bisect_left(removed, offset)

    for span in spans:
        span["start"], span["end"] = moved(span["start"]), moved(span["end"])
    return text.replace("\r\n", "\n").replace("\r", "\n"), spans


def _date(value: object) -> dt.date | None:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _known_labels(db: Database) -> set[str]:
    with db.engine.connect() as conn:
        return set(conn.scalars(select(LabelRow.key)))


def _name(record: Mapping[str, Any], path: Path) -> str:
    title = record.get("title") or record.get("id")
    return f"{path} ({title})" if title else str(path)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


# -- writing ---------------------------------------------------------------------------------


def _insert(db: Database, batch: Sequence[Record], report: ImportReport) -> None:
    with db.transaction() as conn:
        shas = list({r["sha256"] for r in batch})
        existing = {
            row.sha256: row.id
            for row in conn.execute(
                select(_documents.c.sha256, _documents.c.id).where(_documents.c.sha256.in_(shas))
            )
        }
        for record in batch:
            document_id = existing.get(record["sha256"])
            if document_id is None:
                document_id = _insert_document(conn, record)
                if document_id is not None:
                    existing[record["sha256"]] = document_id
                    report.imported.append((document_id, record["source"] or record["where"]))
                    report.spans += _insert_spans(conn, document_id, record["spans"], set())
                    changelog.record(conn, action="import", document_id=document_id,
                                     after={"source": record["source"],
                                            "spans": len(record["spans"])})  # fmt: skip
                    continue
                # Another client stored the same file a moment ago: merge into theirs.
                theirs = conn.scalar(
                    select(_documents.c.id).where(_documents.c.sha256 == record["sha256"])
                )
                assert theirs is not None  # the conflict was on this very sha256
                document_id = existing[record["sha256"]] = int(theirs)
            stored = conn.scalar(select(_texts.c.text).where(_texts.c.document_id == document_id))
            if stored != record["text"]:
                report.errors.append(
                    LoadError(
                        record["where"],
                        f"document {document_id} has the same sha256 but another text; not merged",
                    )
                )
                continue
            have = set(
                map(
                    tuple,
                    conn.execute(
                        select(
                            _annotations.c.start,
                            _annotations.c.end,
                            _annotations.c.label,
                            _annotations.c.layer,
                        ).where(_annotations.c.document_id == document_id)
                    ),
                )
            )
            added = _insert_spans(conn, document_id, record["spans"], have)
            if added:
                changelog.record(
                    conn,
                    action="merge",
                    document_id=document_id,
                    after={"source": record["source"], "spans": added},
                )
            report.duplicates.append(record["source"] or record["where"])
            report.spans += added
            report.merged_spans += added


def _insert_document(conn: Connection, record: Record) -> int | None:
    """The new document's id; None when another client stored the same file meanwhile."""
    document_id = conn.scalar(
        insert_or_ignore(conn, _documents).returning(_documents.c.id),
        {
            "title": record["title"],
            "source": record["source"],
            "published": record["published"],
            "sha256": record["sha256"],
            "status": "new",
        },
    )
    if document_id is None:
        return None
    conn.execute(insert(_texts), {"document_id": document_id, "text": record["text"]})
    return int(document_id)


def _insert_spans(
    conn: Connection,
    document_id: int,
    spans: Iterable[Mapping[str, Any]],
    have: set[tuple[int, int, str, str]],
) -> int:
    """Insert the spans not already there. The key includes the layer: a colleague's tag on
    the same characters is theirs, not a duplicate of ours."""
    rows = []
    for span in spans:
        pooled = span["origin"] == Origin.SUGGESTED.value and span["status"] != "accepted"
        layer = POOL if pooled else span.get("annotator") or POOL
        if isinstance(span.get("layer"), str):
            layer = span["layer"]  # from another annotator database: kept as it was
        key = (span["start"], span["end"], span["label"], layer)
        if key in have:
            continue
        have.add(key)
        rows.append(
            {
                "document_id": document_id,
                "start": span["start"],
                "end": span["end"],
                "label": span["label"],
                "text": span["text"],
                "origin": span["origin"],
                "status": span["status"],
                **{k: span.get(k) for k in _SPAN_FIELDS},
                "layer": layer,
                "created_by": span.get("annotator"),
                "updated_by": span.get("annotator"),
            }
        )
    if not rows:
        return 0
    return len(
        conn.execute(insert_or_ignore(conn, _annotations).returning(_annotations.c.id), rows).all()
    )


def _merge(into: ImportReport, other: ImportReport) -> None:
    into.imported.extend(other.imported)
    into.duplicates.extend(other.duplicates)
    into.errors.extend(other.errors)
    into.passed_over.extend(other.passed_over)
    into.spans += other.spans
    into.merged_spans += other.merged_spans
    into.notes.extend(other.notes)


__all__ = ["NotADataset", "detect_format", "import_any", "import_dataset"]
