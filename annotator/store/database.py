"""Opening a database: URL resolution, engines with their pragmas, transactions that classify
their errors and retry what may be retried.

SQLite runs with pysqlite's own transaction handling switched off and ``BEGIN`` issued here, so
DDL is transactional (a migration commits whole or not at all) and a writing transaction starts
with ``BEGIN IMMEDIATE``: it takes the write lock before its first read, so two writers queue on
the busy timeout instead of one failing when it upgrades a read lock.
"""

from __future__ import annotations

import logging
import os
import random
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from platformdirs import user_data_dir
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from annotator.core.errors import DatabaseError, Problem

from .errors import classify, handle_error, mask_secrets
from .migrate import SCHEMA_HEAD, SETUP_WAIT_MS, alembic_config, head_revision, prepare

log = logging.getLogger(__name__)

__all__ = [
    "SCHEMA_HEAD",
    "Database",
    "DatabaseError",
    "alembic_config",
    "describe_url",
    "head_revision",
    "open_database",
    "resolve_url",
]

BUSY_TIMEOUT_MS = 5000
#: How often a transaction that met a deadlock or serialization failure is run again.
RETRIES = 6
#: Key of PostgreSQL's advisory lock held while a database is set up (migrations, seeding).
SETUP_LOCK_KEY = 0x616E6E6F  # "anno"

T = TypeVar("T")


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


def parse_url(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError:
        raise DatabaseError(f"not a database path or URL: {mask_secrets(url)}") from None


def describe_url(url: str) -> str:
    """What the status bar and messages call the database: a path for SQLite, else the URL
    without its password."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return parsed.set(password=None).render_as_string(hide_password=True)


def url_without_password(url: str) -> str:
    """The URL to remember (QSettings, logs): a password is asked for or read from
    PGPASSWORD / ~/.pgpass, never stored."""
    parsed = parse_url(url)
    return parsed.set(password=None).render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return parse_url(url).get_backend_name() == "sqlite"


def _sqlite_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    if mode == "DEFERRED":
        conn.exec_driver_sql("BEGIN")
        return
    driver = conn.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    try:
        _begin_writing(driver, mode, conn.get_execution_options().get("sqlite_wait_ms"))
    except sqlite3.Error as exc:
        # Raised inside SQLAlchemy's begin event, where its error hook does not run.
        raise classify(exc) from exc


def _begin_writing(driver: sqlite3.Connection, mode: str, wait_ms: int | None = None) -> None:
    """BEGIN IMMEDIATE (or EXCLUSIVE), waiting for the write lock in steps of at most a few
    milliseconds. SQLite's own busy handler sleeps up to 100 ms at a time, so with several
    writers one of them could wait a second for a lock that was free most of that time; the
    wait is as long as the connection's busy timeout either way, or ``wait_ms``."""
    timeout_ms = driver.execute("PRAGMA busy_timeout").fetchone()[0]
    deadline = time.monotonic() + (wait_ms or timeout_ms) / 1000
    driver.execute("PRAGMA busy_timeout = 0")
    try:
        pause = 0.0002
        while True:
            try:
                driver.execute(f"BEGIN {mode}")
                return
            except sqlite3.OperationalError as exc:
                busy = getattr(exc, "sqlite_errorcode", 0) & 0xFF in (5, 6)
                if not busy or time.monotonic() >= deadline:
                    raise
            time.sleep(pause * random.uniform(0.5, 1.5))
            pause = min(pause * 1.5, 0.002)
    finally:
        driver.execute(f"PRAGMA busy_timeout = {timeout_ms}")


def _sqlite_pragmas(read_only: bool) -> Callable[[sqlite3.Connection, object], None]:
    def connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # BEGIN is ours (see _sqlite_begin); pysqlite would otherwise commit DDL at once.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            cur.execute("PRAGMA journal_mode = WAL")
            # FULL syncs the WAL on every commit: what the window calls saved survives a
            # power cut, not only a killed process (NORMAL could lose the last commits).
            cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    return connect


@dataclass(frozen=True)
class SqliteFile:
    """Where a SQLite database lives and whether it can be written."""

    path: Path
    read_only: bool
    immutable: bool

    @classmethod
    def inspect(cls, path: Path) -> SqliteFile:
        folder = path.parent
        if not path.exists():
            return cls(path, read_only=False, immutable=False)
        mode = path.stat().st_mode
        # The mode bits count even for root, who could write anyway: a file someone made
        # read-only is opened read-only.
        file_writable = os.access(path, os.W_OK) and bool(mode & 0o222)
        folder_writable = os.access(folder, os.W_OK)
        if file_writable and folder_writable:
            _fix_sidecar_modes(path, mode)
            return cls(path, read_only=False, immutable=False)
        wal = path.with_name(path.name + "-wal")
        # Without a WAL left behind, nothing is pending: "immutable" reads the file without
        # creating -wal/-shm files, which a read-only mount refuses and which would keep the
        # database unwritable after its permissions are restored.
        return cls(path, read_only=True, immutable=not wal.exists() or not folder_writable)

    def url(self) -> str:
        if not self.read_only:
            return f"sqlite:///{self.path}"
        flag = "immutable=1" if self.immutable else "mode=ro"
        return f"sqlite:///file:{self.path}?{flag}&uri=true"


def _fix_sidecar_modes(path: Path, mode: int) -> None:
    """-wal/-shm files left read-only by an earlier read-only open (they take the database's
    mode when created) would refuse every write once the database is writable again."""
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        try:
            if side.exists() and not side.stat().st_mode & 0o200:
                side.chmod(mode & 0o777)
        except OSError:
            pass


def make_engine(url: str, *, read_only: bool = False, password: str | None = None) -> Engine:
    parsed = parse_url(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            engine = _sqlite_engine(url, parsed, read_only=read_only)
        else:
            args: dict[str, object] = {"connect_timeout": 5, "application_name": "annotator"}
            if password is not None:
                args["password"] = password  # given to the driver only, never in the URL
            engine = create_engine(url, pool_pre_ping=True, pool_size=2, connect_args=args)
    except NoSuchModuleError:
        raise DatabaseError(
            f"annotator cannot use {parsed.drivername} databases", problem=Problem.NOT_OURS
        ) from None
    except ImportError as exc:
        psycopg = parsed.drivername in ("postgresql", "postgresql+psycopg")
        extra = "annotator[postgres]" if psycopg else exc.name
        raise DatabaseError(
            f"the database driver for {parsed.drivername} is not installed (pip install '{extra}')",
            problem=Problem.MISSING_DRIVER,
        ) from None
    event.listen(engine, "handle_error", handle_error, retval=True)
    return engine


def _sqlite_engine(url: str, parsed: URL, *, read_only: bool) -> Engine:
    if parsed.database and parsed.database != ":memory:" and not read_only:
        folder = Path(parsed.database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"cannot create folder {folder}: {exc.strerror}",
                                problem=Problem.PERMISSION) from None  # fmt: skip
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _sqlite_pragmas(read_only))
    event.listen(engine, "begin", _sqlite_begin)
    return engine


@dataclass
class Database:
    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    read_only: bool = False
    #: Names this process's writes in the change log, so its windows skip their own changes.
    client: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    #: Engine and sessions for writing: on SQLite they begin with BEGIN IMMEDIATE.
    writer: Engine = field(init=False)
    write_sessions: sessionmaker[Session] = field(init=False)

    #: Who is acting: the change log's default author for writes made through this object.
    actor: str = "unknown"
    #: How long a write waits for SQLite's lock when not the busy timeout (setting_up).
    _wait_ms: int | None = field(default=None, init=False, repr=False)
    #: The server password given to open it, kept (in memory only) so that worker processes
    #: of a suggest run can open their own connections.
    password: str | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.act_as(self.actor)

    def act_as(self, actor: str) -> None:
        self.actor = actor
        self.writer = self.engine.execution_options(
            sqlite_begin="IMMEDIATE",
            sqlite_wait_ms=self._wait_ms,
            annotator_client=self.client,
            annotator_actor=actor,
        )
        self.write_sessions = sessionmaker(self.writer, expire_on_commit=False)

    @contextmanager
    def setting_up(self) -> Iterator[None]:
        """Writes made while opening a database (its labels, the bundled knowledge base, the
        user's name) wait up to SETUP_WAIT_MS for SQLite's write lock rather than the busy
        timeout: thirty clients opening one new database at once queue behind the one that
        seeds it, longer than an ordinary write may wait on a loaded machine."""
        self._wait_ms = SETUP_WAIT_MS
        self.act_as(self.actor)
        try:
            yield
        finally:
            self._wait_ms = None
            self.act_as(self.actor)

    @property
    def description(self) -> str:
        return describe_url(self.url)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @property
    def is_sqlite(self) -> bool:
        return self.backend == "sqlite"

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One writing transaction: committed on leaving, rolled back on an error."""
        self._refuse_if_read_only()
        with self.writer.begin() as conn:
            yield conn

    @contextmanager
    def session(self) -> Iterator[Session]:
        """An ORM session in one writing transaction."""
        self._refuse_if_read_only()
        with self.write_sessions.begin() as session:
            yield session

    def run(self, work: Callable[[Connection], T]) -> T:
        """``work`` in one writing transaction, run again (a bounded number of times, after a
        short random pause) when it met a deadlock or a serialization failure, so neither
        ever reaches the user. ``work`` must do nothing outside the database."""
        for attempt in range(RETRIES):
            try:
                with self.transaction() as conn:
                    return work(conn)
            except DatabaseError as exc:
                if not exc.retryable or attempt == RETRIES - 1:
                    raise
                log.info("retrying after: %s", exc)
                time.sleep(random.uniform(0.005, 0.02) * (attempt + 1))
        raise AssertionError("unreachable")

    def lock_setup(self, conn: Connection) -> None:
        """Serialise database set-up (migrations, seeding) between clients. On PostgreSQL an
        advisory lock held until the transaction ends; SQLite's BEGIN IMMEDIATE already is
        one."""
        if self.backend == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SETUP_LOCK_KEY})")

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise DatabaseError(f"{self.description} is open read-only: nothing can be saved",
                                problem=Problem.READ_ONLY)  # fmt: skip


def open_database(
    db: str | os.PathLike[str] | None = None,
    *,
    migrate: bool = True,
    password: str | None = None,
    create: bool = True,
) -> Database:
    """Open (and create or upgrade) an annotator database; raise DatabaseError with a message
    for the user when it is not ours, is from a newer version, or cannot be opened. A SQLite
    file that cannot be written (permissions, a read-only mount) is opened read-only.
    ``create=False`` (commands that only read) refuses a SQLite file that does not exist
    instead of leaving an empty database behind a mistyped path."""
    url = resolve_url(db)
    read_only = False
    engine_url = url
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        assert parsed.database is not None
        if not create and not parsed.query.get("uri") and not Path(parsed.database).exists():
            raise DatabaseError(f"no annotator database at {parsed.database}",
                                problem=Problem.NOT_OURS)  # fmt: skip
        found = SqliteFile.inspect(Path(parsed.database))
        read_only = found.read_only
        engine_url = found.url()
    engine = make_engine(engine_url, read_only=read_only, password=password)
    database = Database(
        url=url, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False),
        read_only=read_only, password=password,
    )  # fmt: skip
    try:
        prepare(database, migrate=migrate)
    except DatabaseError as exc:
        engine.dispose()
        where = describe_url(url)
        if exc.problem is Problem.NOT_OURS and where not in str(exc):
            raise DatabaseError(
                f"{where} is not an annotator database ({exc})", problem=exc.problem
            ) from None
        if exc.problem is Problem.MISSING_DRIVER or where in str(exc):
            raise
        raise DatabaseError(f"cannot open {where}: {exc}", problem=exc.problem) from None
    if read_only:
        log.info("%s opened read-only", database.description)
    return database
