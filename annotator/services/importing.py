"""Importing article files (and folders of them) into the database.

Each file is loaded and checked completely before anything is written, so a bad file never
leaves half a document; good files are inserted in small batches, each batch one transaction.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select

from annotator.core.textload import (
    LoadedArticle,
    LoadError,
    NotAnArticle,
    iter_article_paths,
    load_article,
)
from annotator.core.webfetch import TIMEOUT_S, is_address, load_address
from annotator.store.database import Database
from annotator.store.models import DocumentRow, DocumentTextRow, table
from annotator.store.sql import insert_or_ignore

from . import changes as changelog
from .progress import Cancelled, Reporter

log = logging.getLogger(__name__)

#: Commit at least this often, so an interrupted import keeps what it finished.
BATCH_FILES = 1000
BATCH_SECONDS = 1.0

_documents = table(DocumentRow)
_texts = table(DocumentTextRow)


@dataclass
class ImportReport:
    imported: list[tuple[int, str]] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)
    #: Files in the folders walked that are not article types (images, databases...).
    passed_over: list[NotAnArticle] = field(default_factory=list)
    #: Spans that came in with datasets; of those, spans added to documents already stored.
    spans: int = 0
    merged_spans: int = 0
    #: What the user should know that is not a failure (a tool's export that left data out).
    notes: list[str] = field(default_factory=list)

    @property
    def first_id(self) -> int | None:
        return self.imported[0][0] if self.imported else None

    def summary(self) -> str:
        parts = [f"{len(self.imported)} imported"]
        if self.spans:
            parts[0] += f" with {self.spans} spans"
        if self.duplicates:
            merged = f" ({self.merged_spans} spans added to them)" if self.merged_spans else ""
            parts.append(f"{len(self.duplicates)} already in the database{merged}")
        if self.passed_over:
            parts.append(f"{len(self.passed_over)} other files passed over")
        if self.errors:
            parts.append(f"{len(self.errors)} failed")
        return ", ".join(parts)


def import_paths(
    db: Database,
    paths: Iterable[Path | str],
    *,
    reporter: Reporter | None = None,
    timeout: float = TIMEOUT_S,
) -> ImportReport:
    """Import files and folders (recursively) and web pages by address (fetched within
    ``timeout`` seconds each). Raises Cancelled if the reporter says so; what was committed
    before stays."""
    reporter = reporter or Reporter()
    report = ImportReport()
    found: list[Path | str | LoadError] = []
    for given in paths:
        if isinstance(given, str) and is_address(given):
            found.append(given.strip())
        else:
            found.extend(iter_article_paths([given]))
    total = len(found)
    batch: list[LoadedArticle] = []
    last_commit = time.monotonic()
    for done, item in enumerate(found):
        try:
            reporter.step(done, total, str(item.path if isinstance(item, LoadError) else item))
        except Cancelled:
            # Files already read in full are kept: the report then matches what is stored.
            if batch:
                _insert_batch(db, batch, report)
            raise Cancelled(report) from None
        if isinstance(item, NotAnArticle):
            report.passed_over.append(item)
            continue
        if isinstance(item, LoadError):
            report.errors.append(item)
            continue
        try:
            if isinstance(item, str):
                batch.append(_fetch(item, done, total, timeout, reporter))
            else:
                batch.append(load_article(item))
        except Cancelled:
            if batch:
                _insert_batch(db, batch, report)
            raise Cancelled(report) from None
        except LoadError as exc:
            report.errors.append(exc)
            continue
        if len(batch) >= BATCH_FILES or time.monotonic() - last_commit > BATCH_SECONDS:
            _insert_batch(db, batch, report)
            batch.clear()
            last_commit = time.monotonic()
    if batch:
        _insert_batch(db, batch, report)
    reporter.step(total, total, "")
    return report


def _fetch(
    address: str, done: int, total: int, timeout: float, reporter: Reporter
) -> LoadedArticle:
    def check(_received: int, _expected: int) -> None:
        # Called every tenth of a second while the page downloads: a cancel is seen at once
        # even when the site is silent.
        reporter.step(done, total, address)

    return load_address(address, timeout=timeout, check=check)


def import_articles(db: Database, articles: Iterable[LoadedArticle]) -> ImportReport:
    """Insert already-loaded articles (used by tests and benchmarks with generated text)."""
    report = ImportReport()
    _insert_batch(db, list(articles), report)
    return report


def _insert_batch(db: Database, batch: list[LoadedArticle], report: ImportReport) -> None:
    # Core, not the ORM: plain rows need no identity map or unit of work, and skipping them
    # takes about a fifth off each batch (see tests/benchmarks/bench_export_import.py).
    with db.transaction() as conn:
        shas = [a.sha256 for a in batch]
        existing = set(
            conn.scalars(select(_documents.c.sha256).where(_documents.c.sha256.in_(shas)))
        )
        rows = []
        texts = []
        shas_kept = []
        for article in batch:
            if article.sha256 in existing:
                report.duplicates.append(article.source)
                continue
            existing.add(article.sha256)
            shas_kept.append(article.sha256)
            texts.append(article.text)
            rows.append(
                {
                    "title": article.title[:500],
                    "source": article.source[:2000] if article.source else None,
                    "published": article.published,
                    "fetched_at": article.fetched.replace(tzinfo=None) if article.fetched else None,
                    "sha256": article.sha256,
                    "status": "new",
                }
            )
        if not rows:
            return
        # ON CONFLICT DO NOTHING: a second client importing the same folder at the same moment
        # stores each file once, and neither loses its batch to the other's.
        result = conn.execute(
            insert_or_ignore(conn, _documents).returning(
                _documents.c.id,
                _documents.c.source,
                _documents.c.sha256,
                sort_by_parameter_order=True,
            ),
            rows,
        )
        inserted = result.all()
        text_of = dict(zip(shas_kept, texts, strict=True))
        if inserted:
            conn.execute(insert(_texts), [
                {"document_id": row.id, "text": text_of[row.sha256]} for row in inserted
            ])  # fmt: skip
        changelog.record_many(conn, rows=[
            ("import", row.id, None, None, {"source": row.source}) for row in inserted
        ])  # fmt: skip
        stored = {row.sha256 for row in inserted}
        report.duplicates.extend(a.source for a in batch
                                 if a.sha256 in shas_kept and a.sha256 not in stored)  # fmt: skip
        report.imported.extend((row.id, row.source) for row in inserted)
