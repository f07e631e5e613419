"""The PostgreSQL test fixtures: a server that answers, a new empty database per test, no
password in any URL, and db_url/app running every test on both engines."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

SEEN: list[str] = []


def _query(url: str, sql: str):
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def test_the_server_answers_as_a_superuser(pg_url):
    assert _query(pg_url, "SHOW server_version_num").isdigit()
    assert _query(pg_url, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user") is True
    assert _query(pg_url, "SHOW server_encoding") == "UTF8"


def test_the_urls_carry_no_password(pg_admin_url, pg_url):
    password = os.environ.get("PGPASSWORD")
    for url in (pg_admin_url, pg_url):
        assert make_url(url).password is None
        assert make_url(url).drivername == "postgresql+psycopg"
        if password:
            assert password not in url


@pytest.mark.parametrize("run", [1, 2])
def test_each_test_gets_a_new_empty_database(pg_url, pg_admin_url, run):
    name = make_url(pg_url).database
    assert name not in SEEN
    assert name != make_url(pg_admin_url).database
    assert _query(pg_url, "SELECT current_database()") == name
    engine = create_engine(pg_url)
    try:
        with engine.begin() as conn:
            assert inspect(conn).get_table_names() == []
            # Left behind on purpose: the next run must not see it.
            conn.execute(text("CREATE TABLE left_behind (id integer)"))
    finally:
        engine.dispose()
    SEEN.append(name)


def test_the_databases_of_earlier_tests_are_dropped(pg_url):
    existing = _query(
        pg_url, "SELECT coalesce(string_agg(datname, ' '), '') FROM pg_database"
    ).split()
    assert make_url(pg_url).database in existing
    assert not set(SEEN) & set(existing)


def test_db_url_is_a_fresh_database_of_the_backend(backend, db_url, tmp_path):
    from annotator.store.database import open_database

    db = open_database(db_url)
    try:
        assert db.engine.dialect.name == backend
        if backend == "sqlite":
            assert db_url == str(tmp_path / "annotator.sqlite3")
        else:
            assert make_url(db_url).password is None
    finally:
        db.close()


def test_app_runs_on_the_backend(backend, app):
    assert app.db.engine.dialect.name == backend


def test_a_test_using_db_path_runs_on_sqlite_only(backend, db_path, request):
    assert backend == "sqlite"
    assert request.node.callspec.id == "sqlite"


@pytest.mark.sqlite_only
def test_a_test_marked_sqlite_only_runs_on_sqlite_only(backend, request):
    assert backend == "sqlite"
    assert request.node.callspec.id == "sqlite"
