"""Several clients on one database, on SQLite and on PostgreSQL: nothing duplicated, nothing
overwritten unseen, no deadlock or lock error reaching a person, ids never reused."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest
from sqlalchemy import func, select

from annotator.core.errors import StaleChange
from annotator.core.model import SpanStatus
from annotator.services.annotations import NotFound
from annotator.services.app import open_app
from annotator.services.suggesting import suggest_documents
from annotator.store.models import AnnotationRow, ChangeRow, DocumentRow

TEXT = (
    "Jakob Ingebrigsten won the 1500m at the Paris Olympics on 6 August 2024, "
    "ahead of Josh Kerr and Yared Nuguse."
)


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


@pytest.fixture
def bob(db_url, app):
    """A second person on the same database, with a connection pool of their own."""
    other = open_app(db_url, annotator="bob")
    yield other
    other.close()


def _cli(db_url: str, *args: str, user: str = "tester") -> subprocess.Popen:
    env = {**os.environ, "ANNOTATOR_DB": db_url, "ANNOTATOR_USER": user}
    return subprocess.Popen(
        [sys.executable, "-m", "annotator.cli.main", *args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_a_stale_edit_is_refused_with_who_changed_it(app, bob, make_document):
    doc = make_document(TEXT)
    start, end = _span(TEXT, "Ingebrigsten")
    mine = app.annotations.create(document_id=doc, start=start, end=end, label="error")
    _, theirs = bob.annotations.update(mine.id, expected_version=mine.version,
                                       note="KB: Jakob Ingebrigtsen")  # fmt: skip
    with pytest.raises(StaleChange) as refused:
        app.annotations.update(mine.id, expected_version=mine.version, note="my note")
    assert "changed by bob" in str(refused.value)
    assert refused.value.current is not None
    assert refused.value.current.note == "KB: Jakob Ingebrigtsen"
    assert app.annotations.get(mine.id).note == "KB: Jakob Ingebrigtsen"  # theirs kept
    # Based on the version now stored, the edit goes through.
    _, after = app.annotations.update(mine.id, expected_version=theirs.version, note="mine")
    assert after.version == theirs.version + 1


def test_undo_after_a_colleagues_edit_is_refused(app, bob, make_document):
    doc = make_document(TEXT)
    start, end = _span(TEXT, "Josh Kerr")
    created = app.annotations.create(document_id=doc, start=start, end=end, label="athlete")
    bob.annotations.update(created.id, expected_version=created.version, note="checked")
    # The undo of the create would delete the span; it names the version it created.
    with pytest.raises(StaleChange, match="changed by bob"):
        app.annotations.delete(created.id, expected_version=created.version)
    assert app.annotations.get(created.id).note == "checked"


def test_a_delete_by_a_colleague_makes_an_edit_say_so(app, bob, make_document):
    doc = make_document(TEXT)
    start, end = _span(TEXT, "Josh Kerr")
    span = app.annotations.create(document_id=doc, start=start, end=end, label="athlete")
    bob.annotations.delete(span.id, expected_version=span.version)
    with pytest.raises(StaleChange, match="deleted by bob") as refused:
        app.annotations.update(span.id, expected_version=span.version, label="event")
    assert refused.value.current is None


def test_span_ids_are_never_reused(app, make_document):
    doc = make_document(TEXT)
    start, end = _span(TEXT, "Josh Kerr")
    first = app.annotations.create(document_id=doc, start=start, end=end, label="athlete")
    app.annotations.delete(first.id)
    second = app.annotations.create(document_id=doc, start=start, end=end, label="athlete")
    assert second.id > first.id


def test_undo_never_acts_on_a_span_that_took_a_deleted_ones_place(app, make_document):
    """Tag, relabel, delete, let Suggest store new spans, then undo three times: the undo of
    the relabel must not touch a suggestion."""
    doc = make_document(TEXT)
    start, end = _span(TEXT, "Ingebrigsten")
    tagged = app.annotations.create(document_id=doc, start=start, end=end, label="athlete")
    _, relabelled = app.annotations.update(tagged.id, expected_version=tagged.version,
                                           label="error")  # fmt: skip
    deleted = app.annotations.delete(tagged.id, expected_version=relabelled.version)
    suggest_documents(app.db, app.kb, tagset=app.tagset, use_spacy=False, actor="tester")
    suggestions = app.annotations.spans(doc)
    assert suggestions and all(s.id != tagged.id for s in suggestions)
    restored = app.annotations.restore(deleted)  # undo of the delete
    assert restored.id == tagged.id
    app.annotations.update(tagged.id, expected_version=restored.version, label="athlete")
    assert {s.id: s for s in app.annotations.spans(doc)}.keys() >= {s.id for s in suggestions}
    assert all(app.annotations.get(s.id) == s for s in suggestions)


def test_one_layer_never_holds_the_same_tag_twice(app, bob, make_document):
    doc = make_document(TEXT)
    start, end = _span(TEXT, "Josh Kerr")
    app.annotations.create(document_id=doc, start=start, end=end, label="athlete")
    with pytest.raises(Exception, match="already tagged athlete"):
        app.annotations.create(document_id=doc, start=start, end=end, label="athlete")
    # A colleague's layer is their own.
    bob.annotations.create(document_id=doc, start=start, end=end, label="athlete")
    assert len(app.annotations.spans(doc)) == 2


def test_concurrent_creates_of_the_same_tag_store_it_once(db_url, app, make_document):
    doc = make_document(TEXT)
    start, end = _span(TEXT, "Yared Nuguse")
    clients = [open_app(db_url, annotator="tester") for _ in range(4)]
    outcomes: list[str] = []
    barrier = threading.Barrier(len(clients))

    def tag(client) -> None:
        barrier.wait()
        try:
            client.annotations.create(document_id=doc, start=start, end=end, label="athlete")
            outcomes.append("stored")
        except Exception as exc:  # noqa: BLE001 - the refusal is what is checked
            outcomes.append(type(exc).__name__ + ": " + str(exc))

    threads = [threading.Thread(target=tag, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for c in clients:
        c.close()
    assert outcomes.count("stored") == 1, outcomes
    assert all("already tagged" in o or "conflicts" in o for o in outcomes if o != "stored")
    assert len(app.annotations.spans(doc)) == 1


def test_edits_racing_deletes_never_deadlock_or_fail_at_the_user(db_url, app, make_document):
    """One client edits spans while another deletes them, in opposite orders: every call
    either succeeds or says the span is gone; no deadlock or lock error escapes."""
    doc = make_document(TEXT * 3)
    text = TEXT * 3
    spans = []
    for n in range(0, len(text) - 8, 9):
        spans.append(app.annotations.create(document_id=doc, start=n, end=n + 4,
                                            label="athlete"))  # fmt: skip
    editor = open_app(db_url, annotator="editor")
    remover = open_app(db_url, annotator="remover")
    unexpected: list[str] = []

    def edit() -> None:
        for span in spans:
            try:
                current = editor.annotations.get(span.id)
                editor.annotations.update(span.id, expected_version=current.version, note="x")
            except (NotFound, StaleChange):
                pass
            except Exception as exc:  # noqa: BLE001
                unexpected.append(f"edit: {type(exc).__name__}: {exc}")

    def remove() -> None:
        for span in reversed(spans):
            try:
                remover.annotations.delete(span.id)
            except (NotFound, StaleChange):
                pass
            except Exception as exc:  # noqa: BLE001
                unexpected.append(f"delete: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=edit), threading.Thread(target=remove)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    editor.close()
    remover.close()
    assert unexpected == []
    assert app.annotations.spans(doc) == []


def test_concurrent_suggest_runs_store_each_suggestion_once(db_url, app, make_document):
    for n in range(6):
        make_document(TEXT.replace("1500m", f"{1500 + n}m"), title=f"race {n}")
    runs = [_cli(db_url, "suggest", user=f"checker{n}") for n in range(3)]
    for run in runs:
        _out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    with app.db.engine.connect() as conn:
        total = conn.scalar(select(func.count()).select_from(AnnotationRow))
        distinct = conn.execute(
            select(AnnotationRow.document_id, AnnotationRow.start, AnnotationRow.end,
                   AnnotationRow.label).distinct()
        ).all()  # fmt: skip
        creators = set(conn.scalars(select(AnnotationRow.created_by)))
        logged = conn.scalar(
            select(func.count()).select_from(ChangeRow).where(ChangeRow.action == "suggest")
        )
    assert total > 0 and total == len(distinct)
    # Each suggestion is credited to the one person whose run stored it, and logged once.
    assert creators <= {"checker0", "checker1", "checker2"}
    assert logged == total


def test_two_imports_of_one_folder_at_once_store_each_file_once(db_url, app, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for n in range(60):
        (folder / f"a{n}.txt").write_text(f"Article {n}: {TEXT}", encoding="utf-8")
    runs = [_cli(db_url, "import", str(folder)) for _ in range(2)]
    for run in runs:
        _out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        assert "Traceback" not in err
    with app.db.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(DocumentRow)) == 60


def test_thirty_clients_opening_an_empty_database_at_once_all_succeed(db_url, tmp_path):
    script = (
        "import sys\n"
        "from annotator.services.app import open_app\n"
        "app = open_app(sys.argv[1], annotator=sys.argv[2])\n"
        "print(app.kb.stats().athletes)\n"
        "app.close()\n"
    )
    env = {**os.environ}
    procs = [
        subprocess.Popen([sys.executable, "-c", script, db_url, f"client{n}"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(30)
    ]  # fmt: skip
    results = [(p.wait(timeout=600), *p.communicate()) for p in procs]
    failures = [err for code, _out, err in results if code != 0]
    assert failures == []
    counts = {out.strip() for _code, out, _err in results}
    assert len(counts) == 1 and int(counts.pop()) > 800  # seeded once, fully, for everyone
    app = open_app(db_url, annotator="checker")
    try:
        assert len(app.people.all()) == 31
    finally:
        app.close()


def test_long_values_are_stored_whole(app, make_document):
    doc = make_document(TEXT)
    start, end = _span(TEXT, "6 August 2024")
    span = app.annotations.create(document_id=doc, start=start, end=end, label="date")
    long_value = "2024-08-06/" + "x" * 5000
    long_note = "evidence " * 3000
    _, after = app.annotations.update(span.id, expected_version=span.version,
                                      value=long_value, note=long_note)  # fmt: skip
    assert app.annotations.get(span.id).value == long_value
    assert after.note == long_note


def test_accepting_a_suggestion_credits_the_person(app, bob, make_document):
    doc = make_document(TEXT)
    suggest_documents(app.db, app.kb, tagset=app.tagset, use_spacy=False, actor="tester")
    pending = [s for s in app.annotations.spans(doc) if s.status is SpanStatus.PENDING]
    assert pending
    target = pending[0]
    _, accepted = bob.annotations.update(target.id, expected_version=target.version,
                                         status=SpanStatus.ACCEPTED)  # fmt: skip
    assert accepted.annotator == "bob"
    with app.db.engine.connect() as conn:
        row = conn.execute(select(AnnotationRow.created_by, AnnotationRow.reviewed_by,
                                  AnnotationRow.layer)
                           .where(AnnotationRow.id == target.id)).one()  # fmt: skip
    assert tuple(row) == ("tester", "bob", "bob")
    history = [(c.actor, c.action) for c in app.changes.entries(span_id=target.id)]
    assert history == [("tester", "suggest"), ("bob", "edit")]


def test_every_change_is_logged_with_who_and_what(app, bob, make_document):
    doc = make_document(TEXT)
    start, end = _span(TEXT, "Josh Kerr")
    span = app.annotations.create(document_id=doc, start=start, end=end, label="athlete")
    _, edited = bob.annotations.update(span.id, expected_version=span.version, note="ok")
    app.annotations.delete(span.id, expected_version=edited.version)
    log = app.changes.entries(document_ids=[doc])[1:]
    assert app.changes.entries(document_ids=[doc])[0].action == "import"
    assert [(c.actor, c.action, c.span_id) for c in log] == [
        ("tester", "create", span.id),
        ("bob", "edit", span.id),
        ("tester", "delete", span.id),
    ]
    assert log[1].before["note"] is None and log[1].after["note"] == "ok"
    assert "note ∅ → “ok”" in log[1].describe()


def test_the_change_feed_shows_other_clients_changes_only(app, bob, make_document):
    from annotator.services.changes import ChangeFeed

    doc = make_document(TEXT)
    feed = ChangeFeed(app.db)
    try:
        start, end = _span(TEXT, "Josh Kerr")
        app.annotations.create(document_id=doc, start=start, end=end, label="athlete")
        theirs = bob.annotations.create(document_id=doc, start=start, end=end, label="athlete")
        seen = []
        for _ in range(20):  # PostgreSQL delivers the notification asynchronously
            seen += feed.poll()
            if seen:
                break
            threading.Event().wait(0.05)
        assert [(c.actor, c.span_id) for c in seen] == [("bob", theirs.id)]
        assert feed.poll() == []
    finally:
        feed.close()


def test_each_person_keeps_their_own_status_and_undo_sees_only_theirs(
    app, bob, make_document, db_url
):
    from annotator.core.errors import DatabaseError
    from annotator.core.model import DocStatus

    doc = make_document(TEXT)
    before = app.documents.set_status(doc, DocStatus.DONE)
    bob.documents.set_status(doc, DocStatus.IN_PROGRESS)
    # A colleague's status is theirs: alice's stays done, and her undo still applies.
    assert app.documents.info(doc).status is DocStatus.DONE
    assert bob.documents.info(doc).status is DocStatus.IN_PROGRESS
    app.documents.set_status(doc, DocStatus.DONE)
    # The same person in a second window changed it since: that undo is refused.
    second = open_app(db_url, annotator=app.user)
    try:
        second.documents.set_status(doc, DocStatus.IN_PROGRESS)
    finally:
        second.close()
    with pytest.raises(DatabaseError, match="your status is In progress now"):
        app.documents.set_status(doc, before, expected=DocStatus.DONE)
    assert app.documents.info(doc).status is DocStatus.IN_PROGRESS


def test_the_feed_delivers_a_change_that_commits_after_a_later_numbered_one(pg_url):
    """PostgreSQL draws a change's id when its row is written: an earlier id can commit
    after a later one, and the feed must not skip it."""
    from annotator.services import changes as changelog
    from annotator.services.changes import ChangeFeed

    alice, bob, carol = (open_app(pg_url, annotator=n) for n in ("alice", "bob", "carol"))
    feed = ChangeFeed(carol.db)
    try:
        from annotator.core.textload import LoadedArticle
        from annotator.services.importing import import_articles

        doc = import_articles(alice.db, [LoadedArticle(
            "t", TEXT, None, "0" * 64, "t.txt", "utf-8")]).imported[0][0]  # fmt: skip
        feed.poll()
        with alice.db.transaction() as conn:
            changelog.record(conn, action="create", document_id=doc, after={"n": 1})
            bob.annotations.create(document_id=doc, start=0, end=5, label="athlete")
            first = _poll_until(feed, lambda seen: seen)
        assert [c.actor for c in first] == ["bob"]
        late = _poll_until(feed, lambda seen: seen)
        assert [c.actor for c in late] == ["alice"]
        assert feed.poll() == []
    finally:
        feed.close()
        for client in (alice, bob, carol):
            client.close()


def _poll_until(feed, done, *, seconds: float = 10.0):
    import time

    seen: list = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        seen += feed.poll()
        if done(seen):
            return seen
        time.sleep(0.02)
    return seen
