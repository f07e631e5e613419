"""Reading another annotator database (a colleague's SQLite file) as dataset records, so
``annotator import colleague.sqlite3`` merges it like any dataset.

The file is never touched: a snapshot is copied with SQLite's backup API (consistent even
while its owner is writing) and that copy is upgraded to this version's schema and read. Each
span keeps its layer, so the colleague's tags land in their own layer beside ours.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

from sqlalchemy import select

from annotator.core.formats.records import Record
from annotator.store.database import open_database
from annotator.store.models import AnnotationRow, DocumentRow, DocumentTextRow, table

_documents = table(DocumentRow)
_texts = table(DocumentTextRow)
_annotations = table(AnnotationRow)
SQLITE_HEADER = b"SQLite format 3\x00"
_SPAN_FIELDS = (
    "start",
    "end",
    "label",
    "text",
    "error_type",
    "correction",
    "note",
    "value",
    "entity",
    "annotator",
    "origin",
    "status",
    "confidence",
    "rule",
    "layer",
)
PAGE_SIZE = 200


def is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def iter_database_records(path: Path, progress: dict[str, int]) -> Iterator[Record]:
    """Every document of the database at ``path`` with all its spans (rejected suggestions
    too: a merge loses nothing); ``progress`` gets "done" and "total" documents."""
    with tempfile.TemporaryDirectory(prefix="annotator-merge-") as folder:
        copy = Path(folder) / "snapshot.sqlite3"
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        with closing(source), closing(sqlite3.connect(copy)) as target:
            source.backup(target)
        db = open_database(copy)
        try:
            with db.engine.connect() as conn:
                ids = list(conn.scalars(select(_documents.c.id).order_by(_documents.c.id)))
                progress["total"] = len(ids)
                for first in range(0, len(ids), PAGE_SIZE):
                    page = ids[first : first + PAGE_SIZE]
                    spans: dict[int, list[dict]] = {doc: [] for doc in page}
                    columns = [
                        _annotations.c.document_id,
                        *(_annotations.c[n] for n in _SPAN_FIELDS),
                    ]
                    for row in conn.execute(
                        select(*columns)
                        .where(_annotations.c.document_id.in_(page))
                        .order_by(_annotations.c.start, _annotations.c.id)
                    ):
                        spans[row[0]].append(dict(zip(_SPAN_FIELDS, row[1:], strict=True)))
                    for row in conn.execute(
                        select(
                            _documents.c.id,
                            _documents.c.title,
                            _documents.c.source,
                            _documents.c.published,
                            _documents.c.sha256,
                            _texts.c.text,
                        )
                        .join(_texts, _texts.c.document_id == _documents.c.id)
                        .where(_documents.c.id.in_(page))
                        .order_by(_documents.c.id)
                    ):
                        progress["done"] += 1
                        yield {
                            "id": row.id,
                            "title": row.title,
                            "source": row.source,
                            "published": row.published.isoformat() if row.published else None,
                            "sha256": row.sha256,
                            "text": row.text,
                            "spans": spans[row.id],
                        }
        finally:
            db.close()
