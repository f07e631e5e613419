"""SQL that differs between the engines, written once."""

from __future__ import annotations

from sqlalchemy import Connection, Table
from sqlalchemy.sql.dml import Insert


def insert_or_ignore(conn: Connection, table: Table) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING: a row that would break a unique rule is skipped, not an
    error, so concurrent clients storing the same row store it once."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).on_conflict_do_nothing()
