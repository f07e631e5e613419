"""Alembic environment. The app passes its own connection; the alembic CLI builds one from
``-x db=...``, ANNOTATOR_DB or the default database."""

from __future__ import annotations

from alembic import context

from annotator.store.database import make_engine, resolve_url
from annotator.store.models import Base

config = context.config
target_metadata = Base.metadata

#: Full-text indexes the ORM cannot declare (migration 0005): an FTS5 table with its shadow
#: tables on SQLite, expression and trigram indexes on PostgreSQL. Autogenerate leaves them be.
SEARCH_INDEXES = ("document_search", "ix_document_texts_words", "ix_document_texts_trigrams")


def _include_name(name, type_, _parents) -> bool:
    return not (type_ in ("table", "index") and name and name.startswith(SEARCH_INDEXES))


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=_include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("db") or config.get_main_option(
        "sqlalchemy.url"
    )
    engine = make_engine(resolve_url(url))
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("annotator migrations run online only")
run_migrations_online()
