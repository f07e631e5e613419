"""A process killed in the middle of a migration leaves a database that opens, with its data.

Each case forks a child that runs a migration and SIGKILLs itself just before its N-th SQL
statement reaches SQLite; the parent then opens the file as a user would. Forking (not a new
interpreter) keeps each kill point cheap enough to try many of them.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import warnings
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

from annotator.services.app import open_app
from annotator.store.database import open_database
from annotator.store.migrate import SCHEMA_HEAD, alembic_config

pytestmark = pytest.mark.sqlite_only

_UNLIMITED = 10**9


def _in_child(work: Callable[[], None], kill_at: int) -> tuple[bool, int]:
    """Run ``work`` in a forked child killed before statement ``kill_at``; returns (killed,
    statements run). The count comes back through a pipe, the exit through the signal."""
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads, 3.12+
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        os.close(read_end)
        seen = [0]

        def count(*_args: object) -> None:
            seen[0] += 1
            if seen[0] >= kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

        event.listen(Engine, "before_cursor_execute", count)
        try:
            work()
            os.write(write_end, str(seen[0]).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        statements = pipe.read()
    _, status = os.waitpid(pid, 0)
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    return killed, int(statements) if statements else kill_at


def _kill_points(total: int, wanted: int) -> list[int]:
    step = max(1, total // wanted)
    return sorted({*range(1, total + 1, step), total})


def _check_opens(path: Path) -> None:
    app = open_app(path, annotator="checker")
    try:
        with app.db.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == (
                SCHEMA_HEAD
            )
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert app.kb.stats().athletes > 800
    finally:
        app.close()


def test_a_kill_at_any_moment_of_the_first_open_leaves_a_database_that_opens(tmp_path):
    def first_open(path: Path) -> Callable[[], None]:
        return lambda: open_app(path, annotator="first").close()

    _, total = _in_child(first_open(tmp_path / "count.sqlite3"), _UNLIMITED)
    assert total > 20
    for n in _kill_points(total, 25):
        path = tmp_path / f"kill{n}.sqlite3"
        killed, _ = _in_child(first_open(path), n)
        assert killed, n
        _check_opens(path)


def _legacy_upgrade(path: Path, target: str) -> Callable[[], None]:
    """How annotator 0.1 migrated: pysqlite's own transaction handling, which commits DDL
    statement by statement."""

    def work() -> None:
        from alembic import command

        engine = create_engine(f"sqlite:///{path}")
        cfg = alembic_config(f"sqlite:///{path}")
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, target)
        engine.dispose()

    return work


def _database_at_0001_with_work(path: Path) -> None:
    from alembic import command

    command.upgrade(alembic_config(f"sqlite:///{path}"), "0001")
    with closing(sqlite3.connect(path)) as raw, raw:
        raw.execute("INSERT INTO documents (id, title, sha256) VALUES (7, 'Kerr wins', 'abc')")
        raw.execute("INSERT INTO document_texts VALUES (7, 'Josh Kerr won the 1500m.')")
        raw.execute("INSERT INTO labels (key, name, color) VALUES ('athlete', 'Athlete', '#1')")
        raw.execute(
            'INSERT INTO annotations (id, document_id, start, "end", label, text, note)'
            " VALUES (3, 7, 0, 9, 'athlete', 'Josh Kerr', 'checked')"
        )


def test_a_first_open_killed_by_an_older_version_is_repaired(tmp_path):
    _, total = _in_child(_legacy_upgrade(tmp_path / "count.sqlite3", "0002"), _UNLIMITED)
    assert total > 20
    for n in _kill_points(total, 20):
        path = tmp_path / f"legacy{n}.sqlite3"
        _in_child(_legacy_upgrade(path, "0002"), n)
        _check_opens(path)


def test_an_upgrade_killed_by_an_older_version_is_repaired_without_losing_data(tmp_path):
    template = tmp_path / "template.sqlite3"
    _database_at_0001_with_work(template)
    counting = tmp_path / "count.sqlite3"
    counting.write_bytes(template.read_bytes())
    _, total = _in_child(_legacy_upgrade(counting, "0002"), _UNLIMITED)
    assert total > 10
    for n in _kill_points(total, 26):
        path = tmp_path / f"upgrade{n}.sqlite3"
        path.write_bytes(template.read_bytes())
        _in_child(_legacy_upgrade(path, "0002"), n)
        _check_opens(path)
        with closing(sqlite3.connect(path)) as raw:
            assert raw.execute("SELECT title FROM documents").fetchall() == [("Kerr wins",)]
            assert raw.execute("SELECT id, text, note FROM annotations").fetchall() == [
                (3, "Josh Kerr", "checked")
            ]


def test_a_kill_during_the_upgrade_to_the_current_schema_keeps_the_old_one(tmp_path):
    template = tmp_path / "template.sqlite3"
    _database_at_0001_with_work(template)

    def upgrade(path: Path) -> Callable[[], None]:
        return lambda: open_database(path).close()

    counting = tmp_path / "count.sqlite3"
    counting.write_bytes(template.read_bytes())
    _, total = _in_child(upgrade(counting), _UNLIMITED)
    for n in _kill_points(total, 15):
        path = tmp_path / f"atomic{n}.sqlite3"
        path.write_bytes(template.read_bytes())
        killed, _ = _in_child(upgrade(path), n)
        assert killed
        with closing(sqlite3.connect(path)) as raw:
            # Atomic: still exactly the old schema, nothing half-made.
            assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
            tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master "
                                                "WHERE type = 'table'")}  # fmt: skip
            assert tables == {"alembic_version", "documents", "document_texts", "labels",
                              "annotations"}  # fmt: skip
        _check_opens(path)
