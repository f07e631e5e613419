"""Opening databases: migrations, connection pragmas, refusing files that are not ours."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
from alembic import command
from sqlalchemy import delete, func, inspect, select, text

from annotator.services.importing import import_paths
from annotator.store.database import (
    DatabaseError,
    alembic_config,
    head_revision,
    open_database,
    resolve_url,
)
from annotator.store.models import AnnotationRow, DocumentRow


@pytest.fixture
def db(db_path):
    opened = open_database(db_path)
    yield opened
    opened.close()


def test_migrations_create_the_schema_and_stamp_the_head(db, db_path):
    with db.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        columns = {c["name"] for c in inspect(conn).get_columns("annotations")}
    assert tables == {
        "alembic_version", "documents", "document_texts", "labels", "annotations", "meta",
        "kb_athletes", "kb_athlete_aliases", "kb_events", "kb_event_aliases", "annotators",
        "changes", "document_progress", "curation_decisions", "document_search",
        "document_search_data", "document_search_idx", "document_search_docsize",
        "document_search_config", "kb_results", "kb_records",
    }  # fmt: skip
    assert version == head_revision()
    assert {"document_id", "start", "end", "label", "status", "origin", "note"} <= columns
    # The file is a plain SQLite database other tools can read.
    with closing(sqlite3.connect(db_path)) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_every_connection_gets_the_pragmas(db):
    # Two connections at once, so the pool cannot hand the same one back twice.
    with db.engine.connect() as first, db.engine.connect() as second:
        for conn in (first, second):
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0


def test_models_and_migrations_agree(db_url):
    """`alembic check`: autogenerate against the migrated schema finds nothing to do, on
    both engines."""
    opened = open_database(db_url)
    opened.close()
    command.check(alembic_config(resolve_url(db_url)))


def test_the_repair_tables_match_the_migrations(tmp_path):
    """store.migrate.TABLES and ADDED_COLUMNS tell a half-applied migration's leftovers from
    user data: they must say what each migration really creates."""
    from annotator.store.migrate import ADDED_COLUMNS, TABLES

    path = tmp_path / "steps.sqlite3"
    cfg = alembic_config(resolve_url(path))
    seen_tables: set[str] = set()
    seen_columns: dict[str, set[str]] = {}
    for revision in sorted(TABLES):
        command.upgrade(cfg, revision)
        with closing(sqlite3.connect(path)) as raw:
            tables = {r[0] for r in raw.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'")}  # fmt: skip
            assert tables - seen_tables == TABLES[revision], revision
            for table in tables & seen_tables:
                columns = {r[1] for r in raw.execute(f'PRAGMA table_info("{table}")')}
                added = columns - seen_columns[table]
                assert added == set(ADDED_COLUMNS.get(revision, {}).get(table, ())), table
            seen_columns = {t: {r[1] for r in raw.execute(f'PRAGMA table_info("{t}")')}
                            for t in tables}  # fmt: skip
        seen_tables = tables


def test_a_text_file_is_not_an_annotator_database(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Shopping list\n- spikes\n- singlet\n" * 50, encoding="utf-8")
    before = notes.read_bytes()
    with pytest.raises(DatabaseError, match="not an annotator database"):
        open_database(notes)
    assert notes.read_bytes() == before  # and it was not touched


def test_a_sqlite_file_of_another_program_is_refused_untouched(tmp_path):
    other = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(other)) as raw, raw:
        raw.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    with pytest.raises(DatabaseError, match="not an annotator database.*moz_places"):
        open_database(other)
    with closing(sqlite3.connect(other)) as raw:
        names = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert names == {"moz_places"}


def test_a_database_from_a_newer_version_is_refused(db_path):
    open_database(db_path).close()
    with closing(sqlite3.connect(db_path)) as raw, raw:
        raw.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    with pytest.raises(DatabaseError, match="newer") as info:
        open_database(db_path)
    assert "ffff_from_the_future" in str(info.value)


def _write_articles(folder):
    folder.mkdir()
    (folder / "kerr.txt").write_text("Josh Kerr won the 1500m.\n", encoding="utf-8")
    (folder / "laros.md").write_text("# Laros\n\nNiels Laros ran 3:29.\n", encoding="utf-8")


def test_importing_the_same_files_twice_does_not_duplicate(db, tmp_path):
    _write_articles(tmp_path / "articles")
    first = import_paths(db, [tmp_path / "articles"])
    second = import_paths(db, [tmp_path / "articles"])
    assert len(first.imported) == 2 and not first.duplicates
    assert second.imported == [] and len(second.duplicates) == 2
    with db.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(DocumentRow)) == 2


def test_deleting_a_document_deletes_its_annotations_in_the_database(app, make_document):
    doc = make_document("Josh Kerr won the 1500m.")
    keep = make_document("Niels Laros ran 3:29.", title="other")
    for start, end in ((0, 4), (5, 9)):
        app.annotations.create(document_id=doc, start=start, end=end, label="athlete")
    app.annotations.create(document_id=keep, start=0, end=5, label="athlete")
    # A Core delete: the cascade must come from the foreign key, not from the ORM.
    with app.db.engine.begin() as conn:
        conn.execute(delete(DocumentRow).where(DocumentRow.id == doc))
    with app.db.engine.connect() as conn:
        left = conn.execute(select(AnnotationRow.document_id)).scalars().all()
    assert left == [keep]


def test_a_span_cannot_point_at_a_missing_document(app):
    from annotator.core.errors import DatabaseError, Problem

    with pytest.raises(DatabaseError) as raised, app.db.engine.begin() as conn:
        conn.execute(
            AnnotationRow.__table__.insert().values(
                document_id=999, start=0, end=1, label="athlete", text="x"
            )
        )
    assert raised.value.problem is Problem.CONFLICT
