"""The suggestion engine on every core: worker processes that each build the engine once.

The parent keeps everything that touches the database: it reads each document, sends texts
to the workers in chunks of consecutive documents, and gets back the suggestions in document
order, so it can store one document per transaction exactly as a single-process run does (a
cancel keeps whole documents, and the concurrency rules of ``_store`` hold unchanged).

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

from annotator.core.kb import KnowledgeBase
from annotator.core.suggest.engine import SuggestionEngine
from annotator.core.suggest.misspell import CorpusNames
from annotator.core.suggest.model import Suggestion

#: Characters of text per task: large enough that sending it costs little next to suggesting
#: on it (about 30 ms of work), small enough that both workers stay busy to the end.
CHUNK_CHARS = 60_000
#: Tasks in flight per worker: the workers never wait for the parent, and the parent holds
#: only a few chunks' texts at a time however large the corpus.
AHEAD = 3

#: How much lower the workers' scheduling priority is than the parent's (Unix "nice").
WORKER_NICENESS = 5

Doc = tuple[int, str, dt.date | None, str]  # id, text, published, title

_engine: SuggestionEngine | None = None
_corpus: CorpusNames | None = None


def default_jobs() -> int:
    return os.cpu_count() or 1


def _start(kb: KnowledgeBase, use_spacy: bool | None, corpus: CorpusNames | None,
           spelling: str = "auto") -> None:
    global _engine, _corpus
    if hasattr(os, "nice"):
        # The parent stores every document, one after another: starved of a core by the
        # workers it would hold the whole run back, so it goes first (and so does the window).
        os.nice(WORKER_NICENESS)
    _engine = SuggestionEngine(kb, use_spacy=use_spacy)
    _engine.spelling_variant = spelling
    _corpus = corpus


def _suggest_chunk(docs: list[Doc]) -> list[list[Suggestion]]:
    assert _engine is not None, "the worker was started without its engine"
    return [_engine.suggest(text, published=published, corpus=_corpus)
            for _id, text, published, _title in docs]  # fmt: skip


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
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


def suggest_in_pool(
    docs: Iterable[Doc],
    *,
    kb: KnowledgeBase,
    corpus: CorpusNames | None,
    use_spacy: bool | None,
    jobs: int,
    spelling: str = "auto",
) -> Iterator[tuple[Doc, list[Suggestion]]]:
    """Each document with its suggestions, in the order ``docs`` gives them, computed by
    ``jobs`` worker processes. ``docs`` is read lazily, a few chunks ahead of the results.
    Closing the generator (or an exception in the caller's loop) drops the queued chunks
    and waits only for the ones already running."""
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=_context(), initializer=_start,
        initargs=(kb, use_spacy, corpus, spelling),
    )  # fmt: skip
    pending: deque[tuple[list[Doc], Future[list[list[Suggestion]]]]] = deque()
    chunks = _chunks(docs)

    def submit(chunk: list[Doc]) -> None:
        pending.append((chunk, pool.submit(_suggest_chunk, chunk)))

    try:
        for chunk in chunks:
            submit(chunk)
            if len(pending) >= jobs * AHEAD:
                break
        while pending:
            chunk, future = pending.popleft()
            results = future.result()
            nxt = next(chunks, None)
            if nxt is not None:
                submit(nxt)
            yield from zip(chunk, results, strict=True)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
