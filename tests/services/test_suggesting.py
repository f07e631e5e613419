"""Suggestions stored as pending annotations: on the seed articles, on inline texts, twice,
after a rejection, next to manual spans, cancelled halfway. Real SQLite, the bundled KB."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from annotator.core.model import SpanStatus
from annotator.services import suggest_store
from annotator.services.annotations import NotFound
from annotator.services.app import open_app
from annotator.services.importing import import_paths
from annotator.services.progress import Cancelled, Reporter
from annotator.services.suggesting import SuggestReport, suggest_documents
from annotator.store.models import AnnotationRow

KERR = (
    "British runner Josh Kerr has made his feelings known on his rivalry with Jakob "
    "Ingebrigsten ahead of the World Championships in Tokyo, which starts on September 13th."
)
PARIS = "Cole Hocker took gold in Paris. Josh Kerr secured silver while Ingebrigtsen was fourth."
PLAIN = "Nothing to see here: the weather was mild and the track was wet."


def rows(app, document_id=None) -> list[AnnotationRow]:
    with app.db.sessions() as session:
        stmt = select(AnnotationRow).order_by(AnnotationRow.start, AnnotationRow.id)
        if document_id is not None:
            stmt = stmt.where(AnnotationRow.document_id == document_id)
        return list(session.scalars(stmt))


def run(app, **kw) -> SuggestReport:
    return suggest_documents(app.db, app.kb, tagset=app.tagset, use_spacy=False, **kw)


def find(found, label, text):
    return next(r for r in found if (r.label, r.text) == (label, text))


def assert_offsets_match(app, found):
    texts = {}
    for row in found:
        if row.document_id not in texts:
            texts[row.document_id] = app.documents.get(row.document_id, with_spans=False).text
        assert texts[row.document_id][row.start : row.end] == row.text, row


def test_seed_articles_get_pending_suggestions_with_their_evidence(app, seeds_dir):
    imported = import_paths(app.db, [seeds_dir]).imported
    report = run(app)
    assert report.documents == len(imported) == 5
    found = rows(app)
    assert report.added == len(found) > 0
    assert sum(report.by_label.values()) == report.added
    assert {r.label for r in found} <= {"athlete", "event", "date", "error"}
    for row in found:
        assert (row.origin, row.status, row.annotator) == ("suggested", "pending", "suggester")
        assert row.rule and row.confidence is not None and 0 < row.confidence <= 1
    assert_offsets_match(app, found)
    kerr_doc = imported[0][0]
    error = find(rows(app, kerr_doc), "error", "Ingebrigsten")
    assert (error.error_type, error.correction) == ("misspelled_name", "Ingebrigtsen")
    assert find(rows(app, kerr_doc), "athlete", "Josh Kerr").entity == "athlete:Josh Kerr"
    # Pending suggestions count in the document list like any live span.
    assert app.documents.info(kerr_doc).span_count == len(rows(app, kerr_doc))


def test_an_inline_text_gets_athletes_dates_and_the_misspelling(app, make_document):
    doc = make_document(KERR)
    report = run(app, document_ids=[doc])
    assert report.documents == 1 and report.per_document == [(doc, report.added)]
    found = rows(app, doc)
    kerr = find(found, "athlete", "Josh Kerr")
    assert (kerr.rule, kerr.entity, kerr.confidence) == ("kb-exact", "athlete:Josh Kerr", 0.95)
    error = find(found, "error", "Ingebrigsten")
    assert (error.error_type, error.correction, error.rule) == (
        "misspelled_name",
        "Ingebrigtsen",
        "fuzzy-kb",
    )
    assert "Jakob Ingebrigtsen" in error.note
    assert find(found, "athlete", "Jakob Ingebrigsten").entity == "athlete:Jakob Ingebrigtsen"
    assert find(found, "date", "September 13th").rule.startswith("date")
    assert_offsets_match(app, found)
    summary = report.summary()
    assert summary.startswith(f"{report.added} suggestions added (athlete ")
    assert "already present" not in summary


def test_running_twice_adds_nothing_new(app, make_document):
    docs = [make_document(KERR, title="A"), make_document(PARIS, title="B")]
    first = run(app)
    before = [(r.id, r.start, r.end, r.label, r.status) for r in rows(app)]
    second = run(app)
    assert second.added == 0 and second.documents == 2
    assert second.skipped_existing == first.added
    assert [(r.id, r.start, r.end, r.label, r.status) for r in rows(app)] == before
    assert second.summary() == f"0 suggestions added, {first.added} already present"
    assert {r.document_id for r in rows(app)} == set(docs)


def test_a_rejected_suggestion_is_not_proposed_again(app, make_document):
    doc = make_document(KERR)
    run(app, document_ids=[doc])
    error = find(rows(app, doc), "error", "Ingebrigsten")
    app.annotations.update(error.id, status=SpanStatus.REJECTED)
    again = run(app, document_ids=[doc])
    assert again.added == 0
    same = [r for r in rows(app, doc) if (r.start, r.end, r.label) == (
        error.start, error.end, "error")]  # fmt: skip
    assert [(r.id, r.status) for r in same] == [(error.id, "rejected")]
    # Rejected spans are kept in the database but not shown.
    assert error.id not in {s.id for s in app.documents.get(doc).spans}


def test_a_manual_span_on_the_same_range_prevents_the_suggestion(app, make_document):
    doc = make_document(KERR)
    start = KERR.index("Josh Kerr")
    manual = app.annotations.create(
        document_id=doc, start=start, end=start + 9, label="athlete", note="checked by hand"
    )
    report = run(app, document_ids=[doc])
    assert report.skipped_existing == 1
    same = [r for r in rows(app, doc) if (r.start, r.end, r.label) == (start, start + 9, "athlete")]
    assert [(r.id, r.origin, r.status, r.note) for r in same] == [
        (manual.id, "manual", "accepted", "checked by hand")
    ]
    # Another label on the same characters is another suggestion, and is stored.
    assert any(r.origin == "suggested" for r in rows(app, doc))


def test_cancel_keeps_the_finished_documents_and_reports_them(app, make_document):
    docs = [make_document(t, title=t[:10]) for t in (KERR, PARIS, KERR + " Again.")]
    steps: list[int] = []

    def progress(done: int, total: int, _what: str) -> None:
        if total:
            steps.append(done)

    reporter = Reporter(progress=progress, cancel=lambda: len(steps) >= 2)
    with pytest.raises(Cancelled) as cancelled:
        run(app, reporter=reporter)
    partial = cancelled.value.partial
    assert isinstance(partial, SuggestReport)
    assert partial.documents == 2
    assert [doc for doc, _ in partial.per_document] == docs[:2]
    stored = rows(app)
    assert {r.document_id for r in stored} == set(docs[:2])
    assert len(stored) == partial.added
    # The next run picks up where the cancelled one stopped.
    rest = run(app)
    assert rest.added == len(rows(app, docs[2])) > 0
    assert rest.skipped_existing == partial.added


def test_unknown_document_ids_are_refused_before_any_work(app, make_document):
    doc = make_document(KERR)
    with pytest.raises(NotFound, match="no document with id 999"):
        run(app, document_ids=[doc, 999])
    assert rows(app) == []


def test_a_document_without_names_gets_nothing(app, make_document):
    doc = make_document(PLAIN)
    report = run(app, document_ids=[doc])
    assert (report.documents, report.added) == (1, 0)
    assert report.summary() == "0 suggestions added"


def test_labels_the_tagset_lacks_are_not_stored(tmp_path):
    import hashlib

    from annotator.core.tagset import parse_tagset
    from annotator.core.textload import LoadedArticle
    from annotator.services.importing import import_articles

    tagset = parse_tagset({"label": [
        {"key": "athlete", "name": "Athlete", "color": "#4e79a7", "shortcut": "1"},
    ]})  # fmt: skip
    custom = open_app(tmp_path / "custom.sqlite3", tagset=tagset, annotator="tester")
    try:
        sha = hashlib.sha256(KERR.encode()).hexdigest()
        article = LoadedArticle(
            title="Kerr", text=KERR, published=None, sha256=sha, source="kerr.txt", encoding="utf-8"
        )
        import_articles(custom.db, [article])
        report = run(custom)
        assert report.added > 0
        assert set(report.by_label) == {"athlete"}
        assert {r.label for r in rows(custom)} == {"athlete"}
    finally:
        custom.close()


def test_accept_all_accepts_one_label_of_one_document_in_one_go(app, make_document):
    doc = make_document(KERR)
    other = make_document(PARIS)
    run(app)
    pending_athletes = [r.id for r in rows(app, doc)
                        if r.label == "athlete" and r.status == "pending"]  # fmt: skip
    changed = app.annotations.accept_all(doc, "athlete")
    assert [before.id for before, _ in changed] == pending_athletes
    assert all(before.status == SpanStatus.PENDING for before, _ in changed)
    assert all(after.status == SpanStatus.ACCEPTED for _, after in changed)
    statuses = {(r.document_id, r.label, r.status) for r in rows(app)}
    assert (doc, "athlete", "pending") not in statuses
    assert (doc, "error", "pending") in statuses
    assert (other, "athlete", "pending") in statuses
    # Undo is set_statuses back to pending, all at once.
    app.annotations.set_statuses(pending_athletes, SpanStatus.PENDING)
    assert {r.status for r in rows(app, doc) if r.id in pending_athletes} == {"pending"}
    assert app.annotations.accept_all(doc, "event") != []
    assert app.annotations.accept_all(doc, "event") == []


def test_name_counts_can_be_reused_until_documents_change(app, make_document):
    from annotator.services.suggesting import corpus_key, count_corpus_names

    first = make_document(KERR, title="A")
    key = corpus_key(app.db)
    corpus = count_corpus_names(app.db)
    assert corpus.count("Ingebrigsten") == 1
    reused = suggest_documents(app.db, app.kb, tagset=app.tagset, use_spacy=False,
                               corpus=corpus, document_ids=[first])  # fmt: skip
    assert reused.added == len(rows(app, first)) > 0
    make_document(PARIS, title="B")
    assert corpus_key(app.db) != key


# -- the process pool ---------------------------------------------------------------------

SPAN_FIELDS = (
    "start",
    "end",
    "label",
    "text",
    "error_type",
    "correction",
    "note",
    "value",
    "entity",
    "rule",
    "confidence",
    "origin",
    "status",
)


def stored_by_title(app) -> list[tuple]:
    titles = {d: app.documents.info(d).title for d in {r.document_id for r in rows(app)}}
    return sorted((titles[r.document_id], *(getattr(r, f) for f in SPAN_FIELDS))
                  for r in rows(app))  # fmt: skip


def test_the_pool_stores_exactly_what_one_process_stores(app, tmp_path, seeds_dir, monkeypatch):
    from annotator.services import suggest_pool

    monkeypatch.setattr(suggest_pool, "CHUNK_CHARS", 1)  # one document per task
    texts = [KERR, PARIS, PLAIN, KERR + " Again in Tokio.", PARIS.replace("Paris", "Rome")]
    pooled_ids = import_paths(app.db, [seeds_dir]).imported
    pooled_ids = [doc for doc, *_ in pooled_ids]
    pooled_ids += [make_document_in(app, t, f"inline {n}") for n, t in enumerate(texts)]
    single = open_app(tmp_path / "single.sqlite3", annotator="tester")
    try:
        single_ids = [doc for doc, *_ in import_paths(single.db, [seeds_dir]).imported]
        single_ids += [make_document_in(single, t, f"inline {n}") for n, t in enumerate(texts)]
        order = [4, 0, 9, 2, 7, 1, 3, 8, 5, 6]  # not the id order: results keep this one
        one = run(single, document_ids=[single_ids[i] for i in order], jobs=1)
        many = run(app, document_ids=[pooled_ids[i] for i in order], jobs=2)
        assert [d for d, _ in many.per_document] == [pooled_ids[i] for i in order]
        assert [n for _, n in many.per_document] == [n for _, n in one.per_document]
        assert (many.added, many.by_label) == (one.added, one.by_label)
        assert many.added > 20
        assert stored_by_title(app) == stored_by_title(single)
    finally:
        single.close()


def make_document_in(app, text: str, title: str) -> int:
    import hashlib

    from annotator.core.textload import LoadedArticle
    from annotator.services.importing import import_articles

    article = LoadedArticle(
        title=title,
        text=text,
        published=None,
        source=f"{title}.txt",
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        encoding="utf-8",
    )
    return import_articles(app.db, [article]).imported[0][0]


def test_cancel_with_the_pool_keeps_whole_documents(app, make_document, monkeypatch):
    from annotator.services import suggest_pool

    monkeypatch.setattr(suggest_pool, "CHUNK_CHARS", 1)
    docs = [make_document(f"{t} Part {n}.", title=f"doc {n}")
            for n, t in enumerate([KERR, PARIS] * 8)]  # fmt: skip
    steps: list[str] = []

    def progress(done: int, total: int, what: str) -> None:
        if total:
            steps.append(what)

    reporter = Reporter(progress=progress, cancel=lambda: len(steps) >= 3)
    with pytest.raises(Cancelled) as cancelled:
        run(app, reporter=reporter, jobs=2)
    partial = cancelled.value.partial
    assert isinstance(partial, SuggestReport)
    assert steps == ["doc 0", "doc 1", "doc 2"]  # the progress names each document stored
    # The documents being suggested on when the cancel came are stored whole too, and
    # reported (an undo of the run must find them); the queued ones are not started.
    kept = [doc for doc, _ in partial.per_document]
    assert kept == docs[: len(kept)] and 3 <= len(kept) < len(docs)
    assert {r.document_id for r in rows(app)} == set(kept)
    assert len(rows(app)) == partial.added > 0
    rest = run(app, jobs=2)
    assert rest.skipped_existing == partial.added
    assert all(added == 0 for doc, added in rest.per_document if doc in kept)
    assert {r.document_id for r in rows(app)} == set(docs)


def test_small_runs_with_the_default_jobs_stay_in_this_process(app, make_document):
    from annotator.services.suggesting import POOL_MIN_CHARS, _workers

    docs = [make_document(KERR, title="A"), make_document(PARIS, title="B")]
    assert len(KERR) + len(PARIS) < POOL_MIN_CHARS
    assert _workers(app.db, docs, None) == 1
    assert _workers(app.db, docs, 4) == 2  # asked for: never more workers than documents
    assert _workers(app.db, docs[:1], 4) == 1


def test_the_pool_started_from_a_worker_thread_stores_the_same(app, tmp_path, make_document):
    # The window runs suggest on a worker thread: the workers then come from a fork server,
    # never from forking a process with threads.
    import threading

    texts = [KERR, PARIS, KERR + " Again in Tokio.", PARIS.replace("Paris", "Rome")]
    docs = [make_document(t, title=f"inline {n}") for n, t in enumerate(texts)]
    single = open_app(tmp_path / "single.sqlite3", annotator="tester")
    try:
        for n, t in enumerate(texts):
            make_document_in(single, t, f"inline {n}")
        run(single, jobs=1)
        reports: list[SuggestReport] = []
        worker = threading.Thread(target=lambda: reports.append(run(app, jobs=2)))
        worker.start()
        worker.join(timeout=120)
        assert not worker.is_alive() and len(reports) == 1
        assert [d for d, _ in reports[0].per_document] == docs
        assert stored_by_title(app) == stored_by_title(single) != []
    finally:
        single.close()


def test_a_document_deleted_during_the_run_is_passed_over_and_the_others_are_stored(
    app, make_document, monkeypatch
):
    # Documents are stored a group at a time; one that is gone by then must not cost the
    # other documents of its group their suggestions. One group here, however slow the run.
    monkeypatch.setattr(suggest_store, "GROUP_SECONDS", 600.0)
    docs = [make_document(t, title=t[:10]) for t in (KERR, PARIS, KERR + " Again.")]

    def progress(done: int, total: int, _what: str) -> None:
        if total and done == 2:
            with app.db.engine.begin() as conn:
                if app.db.backend == "sqlite":
                    conn.exec_driver_sql("PRAGMA foreign_keys = ON")
                conn.exec_driver_sql(f"DELETE FROM documents WHERE id = {docs[1]}")

    report = run(app, reporter=Reporter(progress=progress))
    assert [doc for doc, _ in report.per_document] == [docs[0], docs[2]]
    assert {r.document_id for r in rows(app)} == {docs[0], docs[2]}
    assert report.added == len(rows(app)) > 0


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_stored_suggestion_is_logged_once_as_stored(app, make_document, monkeypatch, jobs):
    """The change log's entries are built before the writing transaction: each must still
    name the id the span got and hold the span exactly as a read of it gives."""
    import json

    from annotator.services import changes, suggest_pool
    from annotator.services.layers import SUGGESTER
    from annotator.store.models import ChangeRow

    monkeypatch.setattr(suggest_pool, "CHUNK_CHARS", 1)
    ids = [make_document(t, title=f"doc {n}") for n, t in enumerate([KERR, PARIS, KERR * 2])]
    # Cole Hocker tagged by hand: not suggested again, nor logged as a suggestion.
    manual = app.annotations.create(document_id=ids[1], start=0, end=11, label="athlete")
    report = run(app, document_ids=ids, jobs=jobs, keep_stored=True)
    assert report.skipped_existing == 1
    with app.db.sessions() as session:
        logged = session.execute(
            select(ChangeRow.span_id, ChangeRow.document_id, ChangeRow.actor, ChangeRow.after)
            .where(ChangeRow.action == "suggest").order_by(ChangeRow.id)
        ).all()  # fmt: skip
    spans = {
        s.id: s
        for doc in ids
        for s in app.documents.get(doc, with_spans=True).spans
        if s.id != manual.id
    }
    assert report.added == len(spans) == len(logged) > 10
    assert sorted(ref.id for ref in report.stored) == sorted(spans)
    for span_id, doc_id, actor, after in logged:
        assert (doc_id, actor) == (spans[span_id].document_id, SUGGESTER)
        assert json.loads(after) == changes.span_dict(spans[span_id])
