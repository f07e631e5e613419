"""Migration 0005: the full-text indexes are filled from the documents already there, and the
downgrade takes them (and SQLite's triggers) away again, on both engines."""

from __future__ import annotations

import os
import secrets

from alembic import command
from sqlalchemy import create_engine, inspect, make_url, text

from annotator.core.textload import LoadedArticle
from annotator.services.app import open_app
from annotator.services.importing import import_articles
from annotator.services.search import TextQuery
from annotator.store.database import resolve_url
from annotator.store.migrate import alembic_config

SEARCH_TABLES = {"document_search", "document_search_data", "document_search_idx",
                 "document_search_docsize", "document_search_config"}  # fmt: skip
PG_INDEXES = {"ix_document_texts_words", "ix_document_texts_trigrams"}


def _add(conn, doc: int, body: str) -> None:
    conn.execute(
        text("INSERT INTO documents (id, title, sha256, status) VALUES (:id, :title, :sha, 'new')"),
        {"id": doc, "title": f"Doc {doc}", "sha": f"sha{doc}"},
    )
    conn.execute(
        text("INSERT INTO document_texts (document_id, text) VALUES (:id, :body)"),
        {"id": doc, "body": body},
    )


def _search_objects(engine) -> set[str]:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return {
                r[0]
                for r in conn.execute(
                    text("SELECT name FROM sqlite_master WHERE name LIKE 'document_search%'")
                )
            }
        return {i["name"] for i in inspect(conn).get_indexes("document_texts")} & PG_INDEXES


def test_upgrade_indexes_existing_documents_and_downgrade_drops_the_index(db_url):
    url = resolve_url(db_url)
    cfg = alembic_config(url)
    command.upgrade(cfg, "0004")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            _add(conn, 1, "Faith Kipyegon won in Eugene.")
            _add(conn, 2, "Beatrice Chebet won in Rome.")
        command.upgrade(cfg, "head")
        objects = _search_objects(engine)
        if engine.dialect.name == "sqlite":
            triggers = {f"document_search_{t}" for t in ("insert", "update", "delete")}
            assert objects == SEARCH_TABLES | triggers
            with engine.connect() as conn:
                # The index itself holds the old rows (not a scan that would find them anyway).
                assert conn.execute(
                    text("SELECT rowid FROM document_search WHERE document_search MATCH '\"ebe\"'")
                ).all() == [(2,)]
        else:
            assert objects == PG_INDEXES
        app = open_app(db_url, annotator="tester")
        try:
            assert [h.document_id for h in app.search.text(TextQuery("chebet")).hits] == [2]
        finally:
            app.close()

        command.downgrade(cfg, "0004")
        assert _search_objects(engine) == set()
        with engine.begin() as conn:
            _add(conn, 3, "Chebet again, after the downgrade.")  # no trigger left to fail
        command.upgrade(cfg, "head")
        app = open_app(db_url, annotator="tester")
        try:
            assert [h.document_id for h in app.search.text(TextQuery("chebet")).hits] == [2, 3]
        finally:
            app.close()
    finally:
        engine.dispose()


def test_without_the_right_to_create_pg_trgm_the_upgrade_goes_on(pg_admin, pg_url):
    """A role that owns its schema but not the database may not create extensions: the
    migration keeps the word index, skips the trigram one, and search still finds
    everything."""
    role = f"search_{secrets.token_hex(4)}"
    owner = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with owner.connect() as conn:
        # The password libpq reads from PGPASSWORD, so the role's URL carries none either.
        password = os.environ["PGPASSWORD"].replace("'", "''")
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
        conn.exec_driver_sql(f"ALTER SCHEMA public OWNER TO {role}")
    owner.dispose()
    url = make_url(pg_url).set(username=role).render_as_string(hide_password=False)
    try:
        app = open_app(url, annotator="tester")
        try:
            with app.db.engine.connect() as conn:
                assert _search_objects(app.db.engine) == {"ix_document_texts_words"}
                assert (
                    conn.exec_driver_sql(
                        "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"
                    ).first()
                    is None
                )
            report = import_articles(
                app.db,
                [
                    LoadedArticle(
                        title="Rome",
                        text="Beatrice Chebet won in Rome.",
                        published=None,
                        sha256="rome",
                        source="rome.txt",
                        encoding="utf-8",
                    )
                ],
            )
            doc = report.imported[0][0]
            for query in (
                TextQuery("chebet won", mode="words"),
                TextQuery("ebet"),
                TextQuery(r"Che\w+", mode="regex"),
            ):
                assert [h.document_id for h in app.search.text(query).hits] == [doc]
        finally:
            app.close()
    finally:
        pg_admin.drop_database(make_url(pg_url).database)
        admin = create_engine(pg_admin.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP ROLE {role}")
        admin.dispose()
