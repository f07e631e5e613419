"""Faults a desk meets, each with the message a person can act on and nothing lost: read-only
files and mounts, a full disk, a busy lock, a lost or refused server, a wrong password, a
missing driver. Real files, a real mount, a real server; no driver is mocked."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from annotator.core.errors import ConnectionLost, DatabaseError, Problem
from annotator.services.app import open_app
from annotator.store.errors import classify, mask_secrets

TEXT = "Josh Kerr won the 1500m in Budapest on 23 August 2023."
SECRET = "s3cret-Pw!word"


def _annotate(app) -> int:
    from annotator.core.textload import LoadedArticle
    from annotator.services.importing import import_articles

    report = import_articles(app.db, [LoadedArticle(
        title="Kerr", text=TEXT, published=None, sha256="a" * 64, source="kerr.txt",
        encoding="utf-8")])  # fmt: skip
    doc = report.imported[0][0]
    app.annotations.create(document_id=doc, start=0, end=9, label="athlete")
    return doc


def _sidecars(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name
                  and p.name.startswith(path.name))  # fmt: skip


@pytest.mark.sqlite_only
def test_a_read_only_file_opens_read_only_and_says_so(db_path):
    app = open_app(db_path, annotator="tester")
    doc = _annotate(app)
    app.close()
    assert _sidecars(db_path) == []  # a clean close leaves no WAL behind
    db_path.chmod(0o444)
    try:
        viewer = open_app(db_path, annotator="viewer")
        try:
            assert viewer.db.read_only
            assert [s.text for s in viewer.annotations.spans(doc)] == ["Josh Kerr"]
            with pytest.raises(DatabaseError, match="read-only") as refused:
                viewer.annotations.create(document_id=doc, start=10, end=13, label="event")
            assert refused.value.problem is Problem.READ_ONLY
        finally:
            viewer.close()
        # Nothing was created beside it that would keep it unwritable later.
        assert _sidecars(db_path) == []
    finally:
        db_path.chmod(0o644)
    writer = open_app(db_path, annotator="tester")
    try:
        assert not writer.db.read_only
        writer.annotations.create(document_id=doc, start=14, end=19, label="event")
    finally:
        writer.close()


@pytest.mark.sqlite_only
def test_wal_files_left_read_only_by_an_older_version_do_not_block_writing(db_path):
    app = open_app(db_path, annotator="tester")
    doc = _annotate(app)
    app.close()
    db_path.chmod(0o444)
    # What annotator 0.1 did: a plain read-only open creates -wal and -shm with the file's
    # mode, and they stay read-only after the file's mode is restored.
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as raw:
        raw.execute("SELECT count(*) FROM documents").fetchone()
        assert _sidecars(db_path) == ["annotator.sqlite3-shm", "annotator.sqlite3-wal"]
    db_path.chmod(0o644)
    app = open_app(db_path, annotator="tester")
    try:
        app.annotations.create(document_id=doc, start=14, end=19, label="event")
    finally:
        app.close()


def _in_private_mount(script: str, tmp_path: Path, *, size: str, read_only: bool,
                      seed: Path | None = None) -> subprocess.CompletedProcess:  # fmt: skip
    """Run ``script`` (Python) with MOUNT set to a private tmpfs (seeded with a copy of
    ``seed``), in a mount namespace of its own; the host's mounts are untouched."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.fail("unshare (util-linux) is needed to test mounts")
    mount = tmp_path / "mnt"
    mount.mkdir()
    steps = [f"mount -t tmpfs -o size={size} tmpfs {mount}"]
    if seed is not None:
        steps.append(f"cp {seed} {mount}/")
    if read_only:
        steps.append(f"mount -o remount,ro {mount}")
    steps.append(f'MOUNT={mount} {sys.executable} -c "$SCRIPT"')
    flags = ["-m"] if os.geteuid() == 0 else ["-r", "-m"]
    result = subprocess.run(
        [unshare, *flags, "sh", "-ec", " && ".join(steps)],
        env={**os.environ, "SCRIPT": textwrap.dedent(script)},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if "Operation not permitted" in result.stderr and not os.environ.get("CI"):
        pytest.skip("this machine does not allow private mounts")
    return result


@pytest.mark.sqlite_only
def test_a_database_on_a_read_only_mount_can_be_read(db_path, tmp_path):
    app = open_app(db_path, annotator="tester")
    doc = _annotate(app)
    app.close()
    script = f"""
        import os
        from annotator.services.app import open_app
        from annotator.core.errors import DatabaseError
        app = open_app(os.path.join(os.environ["MOUNT"], "annotator.sqlite3"), annotator="v")
        print("read_only", app.db.read_only)
        print("spans", [s.text for s in app.annotations.spans({doc})])
        try:
            app.annotations.create(document_id={doc}, start=10, end=13, label="event")
        except DatabaseError as exc:
            print("refused", exc.problem.value, exc)
        app.close()
        print("files", sorted(os.listdir(os.environ["MOUNT"])))
    """
    result = _in_private_mount(script, tmp_path, size="8m", read_only=True, seed=db_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "read_only True" in out and "spans ['Josh Kerr']" in out
    assert "refused read_only" in out and "read-only" in out
    assert "files ['annotator.sqlite3']" in out


@pytest.mark.sqlite_only
def test_a_full_disk_is_reported_and_what_was_saved_stays(tmp_path):
    script = """
        import os
        from annotator.services.app import open_app
        from annotator.core.errors import DatabaseError
        path = os.path.join(os.environ["MOUNT"], "desk.sqlite3")
        app = open_app(path, annotator="tester")
        from annotator.core.textload import LoadedArticle
        from annotator.services.importing import import_articles
        text = "Josh Kerr won the 1500m. " * 40
        doc = import_articles(app.db, [LoadedArticle(title="t", text=text, published=None,
            sha256="b" * 64, source="t.txt", encoding="utf-8")]).imported[0][0]
        span = app.annotations.create(document_id=doc, start=0, end=9, label="athlete")
        saved = 0
        try:
            for n in range(10_000):
                _, span = app.annotations.update(span.id, expected_version=span.version,
                                                 note=str(n) + "x" * 200_000)
                saved = n
        except DatabaseError as exc:
            print("refused", exc.problem.value, exc)
        app.close()
        again = open_app(path, annotator="tester")
        note = again.annotations.get(span.id).note
        print("kept", note.split("x")[0] == str(saved))
        again.close()
    """
    result = _in_private_mount(script, tmp_path, size="12m", read_only=False)
    assert result.returncode == 0, result.stderr
    assert "refused disk_full the disk is full" in result.stdout
    assert "kept True" in result.stdout


def test_a_busy_sqlite_lock_is_classified_from_the_real_error(tmp_path):
    path = tmp_path / "busy.sqlite3"
    with closing(sqlite3.connect(path, isolation_level=None)) as holder:
        holder.execute("PRAGMA journal_mode = WAL")
        holder.execute("CREATE TABLE t (x)")
        holder.execute("BEGIN IMMEDIATE")
        with closing(sqlite3.connect(path, timeout=0, isolation_level=None)) as other:
            with pytest.raises(sqlite3.OperationalError) as raised:
                other.execute("BEGIN IMMEDIATE")
        holder.execute("ROLLBACK")
    error = classify(raised.value)
    assert error.problem is Problem.BUSY and "busy" in str(error)


def test_secrets_are_masked_in_messages():
    assert SECRET not in mask_secrets(f"postgresql+psycopg://maria:{SECRET}@db:5432/desk")
    assert "maria:***@db" in mask_secrets(f"postgresql://maria:{SECRET}@db/desk")
    assert SECRET not in mask_secrets(f"host=db password={SECRET} user=maria")


# -- PostgreSQL ------------------------------------------------------------------------------


def _with_password(url: str, password: str) -> str:
    return make_url(url).set(password=password).render_as_string(hide_password=False)


def test_a_wrong_password_is_one_clear_line_without_the_password(pg_url, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", os.devnull)
    with pytest.raises(DatabaseError) as refused:
        open_app(_with_password(pg_url, SECRET), annotator="tester")
    assert refused.value.problem is Problem.CANNOT_CONNECT
    assert "password authentication failed" in str(refused.value)
    assert SECRET not in str(refused.value)


def test_a_password_given_apart_from_the_url_connects(pg_url, monkeypatch):
    password = os.environ["PGPASSWORD"]
    monkeypatch.delenv("PGPASSWORD")
    monkeypatch.setenv("PGPASSFILE", os.devnull)
    app = open_app(pg_url, annotator="tester", password=password)
    try:
        assert password not in app.db.url and password not in app.db.description
        assert app.documents.count() == 0
    finally:
        app.close()


def test_a_refused_connection_is_one_clear_line(pg_url):
    closed = make_url(pg_url).set(port=1, password=SECRET).render_as_string(hide_password=False)
    with pytest.raises(DatabaseError) as refused:
        open_app(closed, annotator="tester")
    assert refused.value.problem is Problem.CANNOT_CONNECT
    assert "cannot connect" in str(refused.value) and SECRET not in str(refused.value)


def test_the_cli_never_prints_the_password(pg_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PGPASSWORD"}
    env["PGPASSFILE"] = os.devnull
    for args in (["stats"], ["-vv", "stats"], ["-vv", "log"]):
        result = subprocess.run(
            [sys.executable, "-m", "annotator.cli.main", "--db", _with_password(pg_url, SECRET),
             *args], env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 2
        assert SECRET not in result.stdout + result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert "password authentication failed" in result.stderr


def test_a_missing_driver_is_one_clear_line(pg_url):
    script = ("import sys; sys.modules['psycopg'] = None\n"
              "from annotator.cli.main import main\n"
              "raise SystemExit(main(sys.argv[1:]))")  # fmt: skip
    result = subprocess.run([sys.executable, "-c", script, "--db", pg_url, "stats"],
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "driver for postgresql+psycopg is not installed" in result.stderr
    assert "annotator[postgres]" in result.stderr


def test_a_dropped_connection_is_replaced_by_itself(pg_url, pg_admin):
    app = open_app(pg_url, annotator="tester")
    try:
        _annotate(app)
        name = make_url(pg_url).database
        pg_admin._connection().execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (name,))  # fmt: skip
        assert app.documents.count() == 1  # the pool pings and reconnects
    finally:
        app.close()


def test_a_connection_lost_inside_a_change_says_so_and_saves_nothing(pg_url):
    app = open_app(pg_url, annotator="tester")
    try:
        doc = _annotate(app)

        def work(conn):
            conn.execute(text("UPDATE documents SET title = 'half' WHERE id = :d"), {"d": doc})
            conn.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))

        with pytest.raises(ConnectionLost, match="connection to the database server was lost"):
            app.db.run(work)
        assert app.documents.info(doc).title == "Kerr"
    finally:
        app.close()


def test_value_too_long_and_deadlocks_are_classified_from_real_server_errors(pg_url):
    app = open_app(pg_url, annotator="tester")
    try:
        with app.db.engine.begin() as conn:
            conn.execute(text("CREATE TABLE probe (id int PRIMARY KEY, v varchar(5))"))
            conn.execute(text("INSERT INTO probe VALUES (1, 'a'), (2, 'b')"))
        with pytest.raises(DatabaseError) as long_value, app.db.engine.begin() as conn:
            conn.execute(text("INSERT INTO probe VALUES (3, 'far too long')"))
        assert long_value.value.problem is Problem.VALUE_TOO_LONG
        assert "too long" in str(long_value.value)

        problems: list[Problem] = []
        barrier = threading.Barrier(2)

        def lock(first: int, second: int) -> None:
            try:
                with app.db.engine.begin() as conn:
                    conn.execute(text("SELECT * FROM probe WHERE id = :i FOR UPDATE"),
                                 {"i": first})  # fmt: skip
                    barrier.wait()
                    conn.execute(text("SELECT * FROM probe WHERE id = :i FOR UPDATE"),
                                 {"i": second})  # fmt: skip
            except DatabaseError as exc:
                problems.append(exc.problem)

        threads = [threading.Thread(target=lock, args=(1, 2)),
                   threading.Thread(target=lock, args=(2, 1))]  # fmt: skip
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert problems == [Problem.RETRY]  # one of the two, and retryable
    finally:
        app.close()


@contextmanager
def _write_lock_held(db_path: Path, *, seconds: float) -> Iterator[sqlite3.Connection]:
    """A colleague's client holding the file's write lock for ``seconds`` from now (its
    connection, free again after that, is yielded)."""
    holder = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(seconds, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        yield holder
    finally:
        release.join()
        holder.close()


@pytest.mark.sqlite_only
def test_a_writer_waits_for_a_colleagues_lock_then_goes_ahead(db_path):
    app = open_app(db_path, annotator="tester")
    try:
        doc = _annotate(app)
        with _write_lock_held(db_path, seconds=0.3):
            started = time.monotonic()
            app.annotations.create(document_id=doc, start=14, end=19, label="event")
            assert time.monotonic() - started >= 0.25  # it waited, and was not refused
    finally:
        app.close()


@pytest.mark.sqlite_only
def test_a_lock_held_past_the_busy_timeout_is_a_busy_error(db_path):
    app = open_app(db_path, annotator="tester")
    try:
        with closing(sqlite3.connect(db_path, isolation_level=None)) as holder:
            holder.execute("BEGIN IMMEDIATE")
            with app.db.writer.connect() as conn:
                conn.connection.driver_connection.execute("PRAGMA busy_timeout = 300")
                started = time.monotonic()
                with pytest.raises(DatabaseError) as refused, conn.begin():
                    pass
                assert 0.25 <= time.monotonic() - started < 3
                # The connection keeps its own timeout for the next transaction.
                assert (
                    conn.connection.driver_connection.execute("PRAGMA busy_timeout").fetchone()[0]
                    == 300
                )
            holder.execute("ROLLBACK")
        assert refused.value.problem is Problem.BUSY
    finally:
        app.close()


@pytest.mark.sqlite_only
def test_seeding_a_new_database_waits_past_the_busy_timeout_for_a_colleagues_set_up(
    db_path, monkeypatch
):
    # Thirty clients opening one new database at once queue behind the one seeding the
    # knowledge base, longer than an ordinary write may wait: seeding waits SETUP_WAIT_MS.
    from annotator.store import database
    from annotator.store.database import open_database

    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)
    open_database(db_path).close()  # the schema, not yet the knowledge base
    with _write_lock_held(db_path, seconds=1.2) as holder:
        started = time.monotonic()
        app = open_app(db_path, annotator="tester")
        try:
            assert time.monotonic() - started >= 1.0
            assert app.kb.stats().athletes > 800
            # An ordinary write still gives up after the busy timeout.
            holder.execute("BEGIN IMMEDIATE")
            with pytest.raises(DatabaseError) as refused, app.db.transaction():
                pass
            holder.execute("ROLLBACK")
            assert refused.value.problem is Problem.BUSY
        finally:
            app.close()


@pytest.mark.sqlite_only
def test_migrating_a_new_database_waits_past_the_busy_timeout_for_a_colleagues_lock(
    db_path, monkeypatch
):
    from annotator.store import database
    from annotator.store.database import open_database

    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)
    with closing(sqlite3.connect(db_path)) as empty:
        empty.execute("PRAGMA journal_mode = WAL")  # a new file, no schema yet
    with _write_lock_held(db_path, seconds=1.2):
        started = time.monotonic()
        db = open_database(db_path)
        try:
            assert time.monotonic() - started >= 1.0
            with db.engine.connect() as conn:
                assert conn.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar() == 1
        finally:
            db.close()
