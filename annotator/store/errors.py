"""One place that decides what a database error means (after qutebrowser's ``misc/sql.py``).

Every engine the store makes routes driver errors through ``classify`` (SQLAlchemy's
``handle_error`` event), so code above the store only ever sees ``DatabaseError`` and its
subclasses, with a message for a person: no SQL, no parameters, no password.
"""

from __future__ import annotations

import re
import sqlite3

from sqlalchemy.engine import ExceptionContext

from annotator.core.errors import ConnectionLost, DatabaseError, Problem

# SQLite primary result codes (https://sqlite.org/rescode.html); the extended code's low byte.
_SQLITE = {
    3: Problem.PERMISSION,  # SQLITE_PERM
    5: Problem.BUSY,  # SQLITE_BUSY
    6: Problem.BUSY,  # SQLITE_LOCKED
    8: Problem.READ_ONLY,  # SQLITE_READONLY
    13: Problem.DISK_FULL,  # SQLITE_FULL
    14: Problem.PERMISSION,  # SQLITE_CANTOPEN
    18: Problem.VALUE_TOO_LONG,  # SQLITE_TOOBIG
    19: Problem.CONFLICT,  # SQLITE_CONSTRAINT
    26: Problem.NOT_OURS,  # SQLITE_NOTADB
}

# PostgreSQL SQLSTATE codes (Appendix A of its manual): exact codes first, then classes.
_SQLSTATE = {
    "22001": Problem.VALUE_TOO_LONG,  # string_data_right_truncation
    "40001": Problem.RETRY,  # serialization_failure
    "40P01": Problem.RETRY,  # deadlock_detected
    "23505": Problem.CONFLICT,  # unique_violation
    "23503": Problem.CONFLICT,  # foreign_key_violation
    "25006": Problem.READ_ONLY,  # read_only_sql_transaction
    "42501": Problem.PERMISSION,  # insufficient_privilege
    "53100": Problem.DISK_FULL,  # disk_full
    "55P03": Problem.BUSY,  # lock_not_available
    "57014": Problem.BUSY,  # query_canceled (statement timeout)
    "57P01": Problem.CONNECTION_LOST,  # admin_shutdown
    "57P02": Problem.CONNECTION_LOST,  # crash_shutdown
    "57P03": Problem.CANNOT_CONNECT,  # cannot_connect_now (starting up)
    "28P01": Problem.CANNOT_CONNECT,  # invalid_password
    "28000": Problem.CANNOT_CONNECT,  # invalid_authorization_specification
    "3D000": Problem.CANNOT_CONNECT,  # invalid_catalog_name (no such database)
}
_SQLSTATE_CLASSES = {
    "08": Problem.CONNECTION_LOST,  # connection_exception
    "53": Problem.DISK_FULL,  # insufficient_resources (disk, memory, connections)
}

_EXPLAINED = {
    Problem.BUSY: "the database is busy (another program holds its lock); try again",
    Problem.READ_ONLY: "the database is read-only",
    Problem.DISK_FULL: "the disk is full (or the server is out of space)",
    Problem.PERMISSION: "no permission to write the database",
    Problem.CONNECTION_LOST: "the connection to the database server was lost",
    Problem.VALUE_TOO_LONG: "a value is too long for the database",
    Problem.CONFLICT: "it conflicts with a change someone else made",
    Problem.RETRY: "a concurrent change got in the way; try again",
}

_PASSWORD_IN_URL = re.compile(r"(\w+(?:\+\w+)?://[^:/@\s]*:)([^@\s]*)(@)")
_PASSWORD_KV = re.compile(r"(password\s*=\s*)(\S+)", re.IGNORECASE)


def mask_secrets(text: str) -> str:
    """Hide passwords in URLs (``user:***@host``) and ``password=…`` pairs of a message."""
    text = _PASSWORD_IN_URL.sub(r"\1***\3", text)
    return _PASSWORD_KV.sub(r"\1***", text)


def sqlite_problem(orig: BaseException) -> Problem | None:
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return _SQLITE.get(code & 0xFF, Problem.BUG)
    if isinstance(orig, sqlite3.OperationalError):
        # Errors raised by the sqlite3 module itself, before SQLite returns a code.
        if "unable to open" in str(orig):
            return Problem.PERMISSION
    return None


def postgres_problem(orig: BaseException) -> Problem | None:
    state = getattr(orig, "sqlstate", None)
    if not isinstance(state, str):
        if type(orig).__module__.startswith("psycopg") and type(orig).__name__ in (
            "OperationalError",
            "InterfaceError",
        ):
            return Problem.CANNOT_CONNECT if "connection" in str(orig).lower() else None
        return None
    return _SQLSTATE.get(state) or _SQLSTATE_CLASSES.get(state[:2], Problem.BUG)


def driver_reason(orig: BaseException) -> str:
    """The driver's own first line (no SQL: SQLAlchemy adds that, the driver does not)."""
    lines = str(orig).strip().splitlines()
    return mask_secrets(lines[0]) if lines else type(orig).__name__


def classify(orig: BaseException, *, disconnect: bool = False) -> DatabaseError:
    """A ``DatabaseError`` for a driver exception (``sqlite3.Error``, ``psycopg.Error``)."""
    problem = sqlite_problem(orig) or postgres_problem(orig) or Problem.BUG
    if disconnect and problem in (Problem.BUG, Problem.CANNOT_CONNECT):
        problem = Problem.CONNECTION_LOST
    reason = driver_reason(orig)
    if problem is Problem.CONNECTION_LOST:
        return ConnectionLost(f"{_EXPLAINED[problem]} ({reason})")
    if problem is Problem.CANNOT_CONNECT:
        return DatabaseError(f"cannot connect to the database server: {reason}",
                             problem=problem)  # fmt: skip
    if problem is Problem.BUG:
        return DatabaseError(f"database error: {reason}", problem=problem)
    explained = _EXPLAINED.get(problem)
    message = f"{explained} ({reason})" if explained else reason
    return DatabaseError(message, problem=problem)


def handle_error(context: ExceptionContext) -> BaseException | None:
    """SQLAlchemy's ``handle_error`` hook: the classified error replaces the driver's."""
    orig = context.original_exception
    if isinstance(orig, DatabaseError) or getattr(context, "is_pre_ping", False):
        # A failed pre-ping is SQLAlchemy's cue to reconnect: it must see its own exception.
        return None
    if not isinstance(orig, Exception) or isinstance(orig, (KeyboardInterrupt, SystemExit)):
        return None
    if context.sqlalchemy_exception is None and not _is_driver_error(orig):
        return None  # a Python error inside our own code path: let it through unchanged
    error = classify(orig, disconnect=context.is_disconnect)
    error.__cause__ = None
    return error


def _is_driver_error(exc: BaseException) -> bool:
    module = type(exc).__module__
    return module.startswith(("sqlite3", "psycopg"))
