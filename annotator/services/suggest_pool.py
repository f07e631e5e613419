"""The suggestion engine on every core: worker processes that each build the engine once and
store what they find.

The parent reads the documents and sends them to the workers in chunks of consecutive
documents. Each worker suggests on its chunk, adds what the desk taught (learning), and stores
the chunk's suggestions in one transaction through its own connection (suggest_store, the same
rules and statements a single-process run uses), then tells the parent what it stored. Storing
is as much work as suggesting: done by the parent alone it held the whole run back.

A cancel drops the chunks not yet started and waits for the running ones, whose documents are
committed whole and reported (``PoolRun.close``), so an undo of the run finds every span.

Workers are forked when this process has a single thread (the command line): they start at
once with the engine's code and the knowledge base already in memory. A process with other
threads (the window runs this on a worker thread of a Qt process) must not fork, as the child
could inherit a lock another thread holds: there a fork server starts them (spawn where there
is none), which costs about a second more.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.synchronize import Lock

from annotator.core.kb import KnowledgeBase
from annotator.core.suggest.engine import SuggestionEngine
from annotator.core.suggest.misspell import CorpusNames
from annotator.store.database import Database, is_sqlite, open_database

from .learning import Learning, load_learning
from .suggest_store import StoredDocument, fit_all, store_group

#: Characters of text per task: large enough that sending it costs little next to suggesting
#: on it (about 30 ms of work), small enough that both workers stay busy to the end.
CHUNK_CHARS = 60_000
#: Tasks in flight per worker: the workers never wait for the parent, and the parent holds
#: only a few chunks' texts at a time however large the corpus.
AHEAD = 3

#: How much lower the workers' scheduling priority is than the parent's (Unix "nice").
WORKER_NICENESS = 5

Doc = tuple[int, str, dt.date | None, str]  # id, text, published, title


@dataclass(frozen=True)
class StoreTarget:
    """Where and as whom the workers store: the parent's database and identity."""

    url: str
    password: str | None = field(repr=False)
    client: str  # the parent's, so its windows skip these changes as their own
    actor: str
    allowed: dict[str, frozenset[str] | None]
    keep: bool  # report each stored span (for the window's undo)


_engine: SuggestionEngine | None = None
_corpus: CorpusNames | None = None
_db: Database | None = None
_target: StoreTarget | None = None
_learning: Learning | None = None
_turn: Lock | None = None


def default_jobs() -> int:
    return os.cpu_count() or 1


def _start(kb: KnowledgeBase, use_spacy: bool | None, corpus: CorpusNames | None,
           spelling: str, target: StoreTarget, turn: Lock | None) -> None:  # fmt: skip
    global _engine, _corpus, _db, _target, _learning, _turn
    if hasattr(os, "nice"):
        # The parent reads the documents and reports progress: starved of a core by the
        # workers it would keep them waiting, so it goes first (and so does the window).
        os.nice(WORKER_NICENESS)
    _engine = SuggestionEngine(kb, use_spacy=use_spacy)
    _engine.spelling_variant = spelling
    _corpus = corpus
    _db = open_database(target.url, migrate=False, password=target.password)
    _db.client = target.client
    _db.act_as(target.actor)
    _target = target
    _learning = load_learning(_db)
    _turn = turn


def _suggest_chunk(docs: list[Doc]) -> list[StoredDocument]:
    assert _engine is not None and _db is not None and _target is not None
    assert _learning is not None, "the worker was started without its engine"
    group = []
    for doc_id, text, published, _title in docs:
        suggested = _engine.suggest(text, published=published, corpus=_corpus)
        suggested = _learning.apply(text, suggested)
        group.append((doc_id, fit_all(suggested, text, _target.allowed)))
    return store_group(_db, group, _target.actor, _target.keep, turn=_turn)


def forks() -> bool:
    """Whether worker processes are forked from this one: only where it has a single thread,
    as a child could inherit a lock another thread held."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if forks():
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        # Imported once in the server, so every worker forks with the engine's code loaded.
        ctx.set_forkserver_preload(["annotator.core.suggest.engine"])
        return ctx
    return multiprocessing.get_context("spawn")


def _chunks(docs: Iterable[Doc]) -> Iterator[list[Doc]]:
    chunk: list[Doc] = []
    size = 0
    for doc in docs:
        chunk.append(doc)
        size += len(doc[1])
        if size >= CHUNK_CHARS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


class PoolRun:
    """Chunks of ``docs`` suggested on and stored by ``jobs`` worker processes. Iterating
    gives each chunk with what was stored, in the order ``docs`` gives them (read lazily, a
    few chunks ahead). ``close`` (always call it) drops the chunks not started, waits for
    the running ones and returns those that were stored meanwhile."""

    def __init__(self, docs: Iterable[Doc], *, kb: KnowledgeBase, corpus: CorpusNames | None,
                 use_spacy: bool | None, jobs: int, spelling: str,
                 target: StoreTarget) -> None:  # fmt: skip
        context = _context()
        # On SQLite the workers take turns at the database's one write lock through a lock
        # of their own: SQLite's busy handler polls with growing sleeps (up to 0.1 s), so a
        # worker waiting there would start late and idle. PostgreSQL wakes a waiter at once
        # and lets workers write different documents side by side.
        turn = context.Lock() if is_sqlite(target.url) else None
        self._pool = ProcessPoolExecutor(
            max_workers=jobs, mp_context=context, initializer=_start,
            initargs=(kb, use_spacy, corpus, spelling, target, turn),
        )  # fmt: skip
        self._pending: deque[tuple[list[Doc], Future[list[StoredDocument]]]] = deque()
        self._chunks = _chunks(docs)
        for chunk in self._chunks:
            self._submit(chunk)
            if len(self._pending) >= jobs * AHEAD:
                break

    def _submit(self, chunk: list[Doc]) -> None:
        self._pending.append((chunk, self._pool.submit(_suggest_chunk, chunk)))

    def __iter__(self) -> Iterator[tuple[list[Doc], list[StoredDocument]]]:
        while self._pending:
            chunk, future = self._pending[0]
            stored = future.result()
            self._pending.popleft()
            nxt = next(self._chunks, None)
            if nxt is not None:
                self._submit(nxt)
            yield chunk, stored

    def close(self) -> list[tuple[list[Doc], list[StoredDocument]]]:
        for _, future in self._pending:
            future.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)
        done = []
        for chunk, future in self._pending:
            if not future.cancelled() and future.exception() is None:
                done.append((chunk, future.result()))
        self._pending.clear()
        return done
