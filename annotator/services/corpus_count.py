"""How every article of a corpus spells each name (``CorpusNames``), counted before a suggest
run: a rare misspelling is judged against the whole corpus.

Counting reads every text once, about a tenth of what suggesting on it costs, and nothing
can be suggested before it ends. On a run that starts worker processes anyway, the workers
count too: each reads a share of the texts itself (by id range, of about equal size) and
sends back its counts, which add up to what one process counts. They are forked, so this
is done only where suggest_pool forks (a process with a single thread: the command line).
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
from collections import Counter
from collections.abc import Iterator

from sqlalchemy import func, select

from annotator.core.suggest.misspell import CorpusNames
from annotator.store.database import Database, open_database
from annotator.store.models import DocumentTextRow

from .progress import Reporter
from .suggest_pool import forks

#: Texts read per query: memory stays flat however many documents there are.
PAGE_SIZE = 200
#: Below this much text a run counts in this process: starting workers costs more.
PARALLEL_MIN_CHARS = 1_000_000
#: How often a parallel count looks at the reporter (a cancel, the window's progress).
POLL_SECONDS = 0.2

_WHAT = "counting names across the corpus"


def iter_texts(db: Database, first: int | None = None, last: int | None = None) -> Iterator[str]:
    """The texts of the documents with ids in [first, last] (None: no bound), in id order,
    read a page at a time."""
    after = -1 if first is None else first - 1
    while True:
        query = (
            select(DocumentTextRow.document_id, DocumentTextRow.text)
            .where(DocumentTextRow.document_id > after)
            .order_by(DocumentTextRow.document_id)
            .limit(PAGE_SIZE)
        )
        if last is not None:
            query = query.where(DocumentTextRow.document_id <= last)
        with db.engine.connect() as conn:
            page = conn.execute(query).all()
        if not page:
            return
        for _doc_id, text in page:
            yield text
        after = page[-1][0]


def count_corpus_names(
    db: Database, reporter: Reporter | None = None, *, jobs: int = 1
) -> CorpusNames:
    """How every article spells each name. Costs a read of the whole corpus (about a second
    per thousand articles), which is why the window keeps the result between runs. ``jobs``:
    worker processes that may share the count (used where forking is safe and the corpus
    large enough to repay them)."""
    reporter = reporter or Reporter()
    reporter.step(0, 0, _WHAT)
    if jobs > 1 and forks():
        ranges = _ranges(db, jobs)
        if len(ranges) > 1:
            return _count_in_workers(db, ranges, reporter)
    corpus = CorpusNames()
    for n, text in enumerate(iter_texts(db)):
        if n % PAGE_SIZE == 0:
            reporter.step(0, 0, _WHAT)  # and a chance to cancel
        corpus.add_text(text)
    return corpus


def _ranges(db: Database, parts: int) -> list[tuple[int, int]]:
    """Up to ``parts`` (first id, last id) ranges holding about equal amounts of text; one
    range (count here) when the corpus is too small to share."""
    with db.engine.connect() as conn:
        sizes = conn.execute(
            select(DocumentTextRow.document_id, func.length(DocumentTextRow.text)).order_by(
                DocumentTextRow.document_id
            )
        ).all()
    total = sum(size or 0 for _, size in sizes)
    if not sizes or total < PARALLEL_MIN_CHARS:
        return [(0, 0)]
    ranges: list[tuple[int, int]] = []
    first: int | None = None
    running = 0
    for doc_id, size in sizes:
        if first is None:
            first = doc_id
        running += size or 0
        if len(ranges) < parts - 1 and running * parts >= total * (len(ranges) + 1):
            ranges.append((first, doc_id))
            first = None
    if first is not None:
        ranges.append((first, sizes[-1][0]))
    return ranges


def _count_in_workers(
    db: Database, ranges: list[tuple[int, int]], reporter: Reporter
) -> CorpusNames:
    pool = cf.ProcessPoolExecutor(
        max_workers=len(ranges),
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start,
        initargs=(db.url, db.password),
    )
    try:
        futures = [pool.submit(_count_range, first, last) for first, last in ranges]
        pending = set(futures)
        while pending:
            reporter.step(0, 0, _WHAT)  # raises Cancelled: the finally drops the rest
            _done, pending = cf.wait(pending, timeout=POLL_SECONDS)
        corpus = CorpusNames()
        for future in futures:  # range order: the counts' insertion order is the serial one
            corpus.add_counts(*future.result())
        return corpus
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_db: Database | None = None


def _start(url: str, password: str | None) -> None:
    global _db
    _db = open_database(url, migrate=False, password=password)


def _count_range(first: int, last: int) -> tuple[Counter[str], Counter[str]]:
    assert _db is not None, "the worker was started without its database"
    corpus = CorpusNames()
    for text in iter_texts(_db, first, last):
        corpus.add_text(text)
    return corpus.counts()


__all__ = ["PAGE_SIZE", "count_corpus_names", "iter_texts"]
