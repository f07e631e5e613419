"""search index

Full-text indexes over the article texts, so a corpus search reads only the documents that
may hold the query. They live in the database and are kept current by it, so documents that
any client or process imports are found at once.

- SQLite: ``document_search``, an FTS5 table over ``document_texts.text`` (external content:
  the text is not stored twice) with the ``trigram`` tokenizer, which folds case and finds any
  substring of three or more characters, and so serves words, phrases and regular expressions
  with a literal part alike. ``detail=none`` keeps the index at about 0.7 times the text (full
  detail: 2.7 times); it loses phrase queries, which the search does not need: it asks for
  documents holding every trigram of the query and checks each candidate's text itself.
  Triggers on ``document_texts`` keep the index current.
- PostgreSQL: a GIN index on ``to_tsvector('simple', text)`` for words, and a trigram GIN
  index for substrings when the database owner may create the pg_trgm extension (trusted
  since PostgreSQL 13); without it substring search scans.
- ``ix_annotations_layer_status`` serves span searches filtered by annotator.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 07:50:00
"""

from __future__ import annotations

import logging

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

SQLITE_UP = [
    "CREATE VIRTUAL TABLE document_search USING fts5(text, content='document_texts', "
    "content_rowid='document_id', tokenize='trigram', detail=none)",
    "CREATE TRIGGER document_search_insert AFTER INSERT ON document_texts BEGIN "
    "INSERT INTO document_search(rowid, text) VALUES (new.document_id, new.text); END",
    "CREATE TRIGGER document_search_delete AFTER DELETE ON document_texts BEGIN "
    "INSERT INTO document_search(document_search, rowid, text) "
    "VALUES ('delete', old.document_id, old.text); END",
    "CREATE TRIGGER document_search_update AFTER UPDATE ON document_texts BEGIN "
    "INSERT INTO document_search(document_search, rowid, text) "
    "VALUES ('delete', old.document_id, old.text); "
    "INSERT INTO document_search(rowid, text) VALUES (new.document_id, new.text); END",
    "INSERT INTO document_search(document_search) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER document_search_update",
    "DROP TRIGGER document_search_delete",
    "DROP TRIGGER document_search_insert",
    "DROP TABLE document_search",
]


def upgrade() -> None:
    op.create_index("ix_annotations_layer_status", "annotations", ["layer", "status"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_UP:
            op.execute(statement)
        return
    op.execute(
        "CREATE INDEX ix_document_texts_words ON document_texts "
        "USING gin (to_tsvector('simple', text))"
    )
    # A savepoint: a refused CREATE EXTENSION must not abort the migration's transaction.
    savepoint = bind.begin_nested()
    try:
        bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # noqa: BLE001 - any refusal means "search without it"
        savepoint.rollback()
        log.warning(
            "no pg_trgm (%s): substring search will scan the texts", str(exc).splitlines()[0]
        )
        return
    savepoint.commit()
    op.execute(
        "CREATE INDEX ix_document_texts_trigrams ON document_texts USING gin (text gin_trgm_ops)"
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(statement)
    else:
        op.execute("DROP INDEX IF EXISTS ix_document_texts_trigrams")
        op.execute("DROP INDEX ix_document_texts_words")
    op.drop_index("ix_annotations_layer_status", table_name="annotations")
