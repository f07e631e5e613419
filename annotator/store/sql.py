"""SQL that differs between the engines, written once."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Table
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.dml import Insert


def insert_or_ignore(conn: Connection | Dialect, table: Table) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING: a row that would break a unique rule is skipped, not an
    error, so concurrent clients storing the same row store it once."""
    dialect = conn.dialect if isinstance(conn, Connection) else conn
    if dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).on_conflict_do_nothing()


@dataclass(frozen=True)
class BulkInsert:
    """An INSERT compiled once for SQLite, its rows handed to the driver's executemany as
    tuples. SQLAlchemy's own per-row work (parameters, conversions) was half the time of a
    large write: on SQLite all of it under the database's one write lock, which other writers
    (a suggest run's workers) queue on."""

    sql: str
    columns: tuple[str, ...]
    convert: tuple[Callable[[Any], Any] | None, ...]

    def params(self, rows: Iterable[Mapping[str, object]],
               same: Mapping[str, object]) -> list[tuple[object, ...]]:  # fmt: skip
        """The rows' values as the driver takes them (build them before the transaction):
        each row's own, and ``same``'s, converted once, for the columns every row shares."""
        fixed = {k: f(same[k]) if f else same[k]
                 for k, f in zip(self.columns, self.convert, strict=True) if k in same}  # fmt: skip
        plan = [(k, k in fixed, f) for k, f in zip(self.columns, self.convert, strict=True)]
        return [
            tuple(fixed[k] if shared else f(row[k]) if f else row[k] for k, shared, f in plan)
            for row in rows
        ]

    def execute(self, conn: Connection, params: Sequence[tuple[object, ...]]) -> None:
        driver = conn.connection.driver_connection
        assert driver is not None
        driver.executemany(self.sql, params)


def bulk_insert(dialect: Dialect, table: Table, columns: Sequence[str], *,
                or_ignore: bool = False) -> BulkInsert | None:  # fmt: skip
    """The INSERT (``or_ignore``: insert_or_ignore's) of rows holding exactly ``columns`` into
    ``table``, as a BulkInsert compiled once per database; None where the driver path does
    not apply (not SQLite, or a column default SQLAlchemy would fill in per row): execute
    through SQLAlchemy there."""
    if dialect.name != "sqlite":
        return None
    made = _BULK.setdefault(dialect, {})
    key = (table.name, tuple(columns), or_ignore)
    if key not in made:
        insert = insert_or_ignore(dialect, table) if or_ignore else table.insert()
        compiled = insert.compile(dialect=dialect, column_keys=list(columns))
        order = tuple(compiled.positiontup or ())
        convert = tuple(table.c[k].type.bind_processor(dialect) for k in order)
        made[key] = (
            BulkInsert(str(compiled), order, convert) if set(order) == set(columns) else None
        )
    return made[key]


_BULK: WeakKeyDictionary[Dialect, dict[tuple[str, tuple[str, ...], bool], BulkInsert | None]] = (
    WeakKeyDictionary()
)
