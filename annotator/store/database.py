"""Opening a database: URL resolution, SQLite pragmas, schema checks and migrations."""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from annotator.core.resources import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

#: The newest migration in db/versions (a test keeps the two equal). Knowing it here lets an
#: up-to-date database open without importing Alembic, which costs ~0.4 s of window start-up.
SCHEMA_HEAD = "0002"

BUSY_TIMEOUT_MS = 5000


class DatabaseError(Exception):
    """A database problem the user can act on; the message is meant for them."""


def default_database_path() -> Path:
    return Path(user_data_dir("annotator", appauthor=False)) / "annotator.sqlite3"


def resolve_url(db: str | os.PathLike[str] | None) -> str:
    """``--db`` takes a path or a SQLAlchemy URL; ANNOTATOR_DB is the fallback, then the
    user data directory."""
    if db is None:
        db = os.environ.get("ANNOTATOR_DB") or default_database_path()
    db = str(db)
    if "://" in db:
        return db
    path = Path(db).expanduser().resolve()
    return f"sqlite:///{path}"


def describe_url(url: str) -> str:
    """What the status bar and messages call the database: a path for SQLite, else the URL
    without its password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return parsed.render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    # WAL + NORMAL is durable against a killed process (only power loss can drop the last
    # commits), and keeps each per-action commit cheap.
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(f"cannot create folder {folder}: {exc.strerror}") from None
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


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


@dataclass
class Database:
    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def description(self) -> str:
        return describe_url(self.url)

    def close(self) -> None:
        self.engine.dispose()


def open_database(db: str | os.PathLike[str] | None = None, *, migrate: bool = True) -> Database:
    """Open (and create or upgrade) an annotator database; raise DatabaseError with a message
    for the user when the file is not ours, is from a newer version, or cannot be opened."""
    url = resolve_url(db)
    where = describe_url(url)
    engine = make_engine(url)
    try:
        _check_and_migrate(engine, url, where, migrate=migrate)
    except DatabaseError:
        engine.dispose()
        raise
    except OperationalError as exc:
        engine.dispose()
        raise DatabaseError(f"cannot open database {where}: {exc.orig}") from None
    except SADatabaseError as exc:
        engine.dispose()
        raise DatabaseError(f"{where} is not an annotator database ({exc.orig})") from None
    sessions = sessionmaker(engine, expire_on_commit=False)
    return Database(url=url, engine=engine, sessions=sessions)


def _check_and_migrate(engine: Engine, url: str, where: str, *, migrate: bool) -> None:
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        current = None
        if "alembic_version" in tables:
            current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if current == SCHEMA_HEAD:
        return
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    if current is None and tables - {"alembic_version"}:
        raise DatabaseError(
            f"{where} is not an annotator database (it holds other tables: "
            f"{', '.join(sorted(tables)[:5])})"
        )
    if current is not None:
        try:
            script.get_revision(current)
        except Exception:
            raise DatabaseError(
                f"{where} was written by a newer version of annotator (schema {current}); "
                "upgrade annotator to open it"
            ) from None
    if current == script.get_current_head():
        return
    if not migrate:
        raise DatabaseError(f"{where} needs a schema upgrade")
    log.info("migrating %s from %s to head", where, current)
    cfg = alembic_config(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
