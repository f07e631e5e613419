"""Bringing a database to the current schema: checks, a lock, atomic migrations, repairs.

Every migration runs inside one transaction that holds the set-up lock (BEGIN EXCLUSIVE on
SQLite, an advisory lock on PostgreSQL), so thirty clients opening an empty database at once
wait for the first and find the schema built, and a kill at any moment leaves either the old
schema or the new one. Files left half-migrated by earlier versions of annotator, whose SQLite
migrations committed statement by statement, are repaired first without losing data.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from annotator.core.errors import DatabaseError, Problem
from annotator.core.resources import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config

    from .database import Database

log = logging.getLogger(__name__)

#: The newest migration in db/versions (a test keeps the two equal). Knowing it here lets an
#: up-to-date database open without importing Alembic, which costs ~0.4 s of window start-up.
SCHEMA_HEAD = "0007"

#: The tables each revision leaves, and the columns it adds to older tables. Repairs use them
#: to tell a half-applied migration's leftovers from the user's data (a test checks them
#: against the migrations).
TABLES = {
    "0001": {"documents", "document_texts", "labels", "annotations"},
    "0002": {"meta", "kb_athletes", "kb_athlete_aliases", "kb_events", "kb_event_aliases"},
    "0003": {"annotators", "changes"},
    "0004": {"document_progress", "curation_decisions"},
    # SQLite's full-text index and the tables FTS5 keeps it in (PostgreSQL: indexes only).
    "0005": {
        "document_search",
        "document_search_data",
        "document_search_idx",
        "document_search_docsize",
        "document_search_config",
    },
    "0006": {"kb_results", "kb_records"},
    "0007": set(),
}
ADDED_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "0002": {"annotations": ("rule",)},
    "0003": {"annotations": ("layer", "version", "created_by", "updated_by", "reviewed_by",
                             "reviewed_at")},
    "0007": {"documents": ("fetched_at",)},
}  # fmt: skip
#: How long a client waits for another's set-up of a new database (its migration, or seeding
#: the knowledge base): thirty clients opening one at once on a loaded machine queue behind it.
SETUP_WAIT_MS = 120_000


def alembic_config(url: str | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _state(conn: Connection) -> tuple[set[str], str | None]:
    tables = set(inspect(conn).get_table_names())
    current = None
    if "alembic_version" in tables:
        current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return tables, current


def prepare(db: Database, *, migrate: bool = True) -> None:
    """Check the schema and bring it up to date; DatabaseError when that cannot be done."""
    with db.engine.connect() as conn:
        tables, current = _state(conn)
        conn.rollback()
    if current == SCHEMA_HEAD:
        return
    _refuse_foreign(db, tables, current)
    if not migrate:
        raise DatabaseError(f"{db.description} needs a schema upgrade", problem=Problem.NOT_OURS)
    if db.read_only:
        raise DatabaseError(
            f"{db.description} needs a schema upgrade but is read-only", problem=Problem.READ_ONLY
        )
    with db.engine.connect() as conn:
        if db.is_sqlite:
            # Waiting for another client's migration takes longer than an ordinary write.
            conn.execution_options(sqlite_begin="EXCLUSIVE", sqlite_wait_ms=SETUP_WAIT_MS)
        with conn.begin():
            db.lock_setup(conn)
            tables, current = _state(conn)  # another client may have done it meanwhile
            if current == SCHEMA_HEAD:
                return
            _refuse_foreign(db, tables, current)
            if db.is_sqlite:
                _repair(conn, tables, current)
            _upgrade(conn, db.url, current)


def _refuse_foreign(db: Database, tables: set[str], current: str | None) -> None:
    ours = set().union(*TABLES.values()) | {"alembic_version"}
    foreign = {t for t in tables - ours if not t.startswith("_alembic_tmp_")}
    if current is None and foreign:
        raise DatabaseError(
            f"{db.description} is not an annotator database (it holds other tables: "
            f"{', '.join(sorted(foreign)[:5])})",
            problem=Problem.NOT_OURS,
        )
    if current is not None and current not in TABLES:
        raise DatabaseError(
            f"{db.description} was written by a newer version of annotator (schema {current}); "
            "upgrade annotator to open it",
            problem=Problem.NOT_OURS,
        )


def _upgrade(conn: Connection, url: str, current: str | None) -> None:
    from alembic import command

    log.info("migrating the database from %s to %s", current, SCHEMA_HEAD)
    cfg = alembic_config(url)
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


def _repair(conn: Connection, tables: set[str], current: str | None) -> None:
    """Undo what a killed, non-atomic migration of an earlier annotator left behind, so the
    migrations can run again from ``current``."""
    for tmp in sorted(t for t in tables if t.startswith("_alembic_tmp_")):
        original = tmp.removeprefix("_alembic_tmp_")
        if original in tables:
            log.warning("repair: dropping %s (an unfinished table copy)", tmp)
            conn.exec_driver_sql(f'DROP TABLE "{tmp}"')
        else:
            # The copy was complete (it is made before the original is dropped).
            log.warning("repair: %s becomes %s again", tmp, original)
            conn.exec_driver_sql(f'ALTER TABLE "{tmp}" RENAME TO "{original}"')
            tables.add(original)
        tables.discard(tmp)
    order = sorted(TABLES)
    done = order[: order.index(current) + 1] if current else []
    for revision in order:
        if revision in done:
            continue
        for table in sorted(TABLES[revision] & tables):
            if conn.exec_driver_sql(f'SELECT 1 FROM "{table}" LIMIT 1').first() is not None:
                raise DatabaseError(
                    f"the database was left half-upgraded and its table {table} holds data; "
                    "restore it from a backup",
                    problem=Problem.NOT_OURS,
                )
            log.warning("repair: dropping %s (left by an unfinished migration)", table)
            conn.exec_driver_sql(f'DROP TABLE "{table}"')
            tables.discard(table)
        for table, columns in ADDED_COLUMNS.get(revision, {}).items():
            if table not in tables:
                continue
            present = {c["name"] for c in inspect(conn).get_columns(table)}
            for column in columns:
                if column in present:
                    log.warning("repair: dropping %s.%s (an unfinished migration)", table, column)
                    conn.exec_driver_sql(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
