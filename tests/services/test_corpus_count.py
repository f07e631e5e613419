"""Counting the corpus's names before a suggest run, in this process or shared by workers."""

from __future__ import annotations

import pytest

from annotator.services import corpus_count
from annotator.services.corpus_count import count_corpus_names
from annotator.services.progress import Cancelled, Reporter

TEXTS = [
    "Jakob Ingebrigtsen won in Oslo. Ingebrigtsen said the the race was hard.",
    "Ingebrigsten was second. Josh Kerr, the Scot, beat him; Kerr smiled.",
    "Femke Bol ran 50.37 in Zürich, and Bol won again. colour and color.",
    "Ingebrigtsen and Ingebrigtsen's brothers trained in Sandnes with Kerr.",
    "Beatrice Chebet won the 5000m. Chebet won the 10,000m too, a colour double.",
    "Faith Kipyegon set a world record; Kipyegon, Chebet and Bol were named.",
]


def _state(corpus) -> tuple:
    counts, lower_docs = corpus.counts()
    # insertion order included: ties between spellings are read in that order
    return list(counts.items()), list(lower_docs.items())


@pytest.fixture
def corpus_docs(make_document) -> list[int]:
    return [make_document(text * (n + 1), title=f"doc {n}") for n, text in enumerate(TEXTS)]


def test_workers_count_what_one_process_counts(app, corpus_docs, monkeypatch):
    assert corpus_count._ranges(app.db, 2) == [(0, 0)]  # too little text to share: counted here
    monkeypatch.setattr(corpus_count, "PARALLEL_MIN_CHARS", 1)
    ranges = corpus_count._ranges(app.db, 3)
    # Consecutive id ranges covering every document once, each holding some text.
    assert len(ranges) == 3
    assert ranges[0][0] == corpus_docs[0] and ranges[-1][1] == corpus_docs[-1]
    assert all(a[1] < b[0] for a, b in zip(ranges, ranges[1:], strict=False))
    assert all(first <= last for first, last in ranges)
    shared = corpus_count._count_in_workers(app.db, ranges, Reporter())
    alone = count_corpus_names(app.db)
    assert _state(shared) == _state(alone)
    assert shared.count("Ingebrigtsen") == alone.count("Ingebrigtsen") > 5
    assert shared.documents_with("colour") == 2
    assert shared.dominant_variant("Ingebrigsten") == alone.dominant_variant("Ingebrigsten")


def test_ranges_hold_about_equal_text(app, make_document, monkeypatch):
    monkeypatch.setattr(corpus_count, "PARALLEL_MIN_CHARS", 1)
    sizes = [100, 100, 100, 100, 400, 100, 100]
    ids = [make_document("x" * n, title=f"d{i}") for i, n in enumerate(sizes)]
    ranges = corpus_count._ranges(app.db, 2)
    by_id = dict(zip(ids, sizes, strict=True))
    halves = [sum(n for i, n in by_id.items() if first <= i <= last) for first, last in ranges]
    # The first range ends at the document that takes it to half the text (or past it).
    assert halves == [800, 200]


def test_a_count_in_workers_can_be_cancelled(app, corpus_docs, monkeypatch):
    monkeypatch.setattr(corpus_count, "PARALLEL_MIN_CHARS", 1)
    polls: list[int] = []
    reporter = Reporter(cancel=lambda: polls.append(1) or True)  # cancelled once started
    with pytest.raises(Cancelled):
        corpus_count._count_in_workers(app.db, corpus_count._ranges(app.db, 2), reporter)
    assert polls == [1]  # and the pool is shut down by then: nothing left running
    assert count_corpus_names(app.db, jobs=2).count("Kerr") > 0  # and a new count works


def test_a_suggest_run_with_workers_counts_in_them(app, corpus_docs, monkeypatch):
    from annotator.services.suggesting import suggest_documents

    monkeypatch.setattr(corpus_count, "PARALLEL_MIN_CHARS", 1)
    shared: list[object] = []
    real = corpus_count._count_in_workers

    def spy(db, ranges, reporter):
        shared.append(ranges)
        return real(db, ranges, reporter)

    monkeypatch.setattr(corpus_count, "_count_in_workers", spy)
    report = suggest_documents(app.db, app.kb, tagset=app.tagset, use_spacy=False, jobs=2)
    # Counted by two workers exactly where the pool forks (this process has one thread, as
    # the command line has), here otherwise.
    assert [len(ranges) for ranges in shared] == ([2] if corpus_count.forks() else [])
    assert report.documents == len(corpus_docs) and report.added > 0
