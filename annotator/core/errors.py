"""The errors a database can raise that a person can act on, in the project's own words.

The store turns every driver error into one of these (``annotator.store.errors`` classifies
them by SQLite error code or PostgreSQL SQLSTATE); services raise nothing else, so the window
and the command line decide what to say without importing SQLAlchemy or a driver. The classes
live in the core because both the store (which raises them) and the window (which shows them)
must see them, and neither may import the other.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from .timefmt import local_time, when_text


class Problem(StrEnum):
    """What went wrong, as far as a person can do something about it."""

    BUSY = "busy"  # another program holds the lock for longer than we wait
    READ_ONLY = "read_only"
    DISK_FULL = "disk_full"
    PERMISSION = "permission"
    CONNECTION_LOST = "connection_lost"
    CANNOT_CONNECT = "cannot_connect"  # refused, unknown host, wrong password
    MISSING_DRIVER = "missing_driver"
    VALUE_TOO_LONG = "value_too_long"
    CONFLICT = "conflict"  # someone else's change, or a duplicate of an existing row
    RETRY = "retry"  # deadlock or serialization failure: the same work may simply run again
    NOT_OURS = "not_ours"  # not an annotator database, or a newer schema
    NOT_ALLOWED = "not_allowed"  # another person's layer, or a curator's task
    BUG = "bug"


class DatabaseError(Exception):
    """A database problem; ``str()`` is a message meant for the user, never holding SQL,
    parameters or a password."""

    problem: Problem = Problem.BUG

    def __init__(self, message: str, *, problem: Problem | None = None) -> None:
        super().__init__(message)
        if problem is not None:
            self.problem = problem

    @property
    def retryable(self) -> bool:
        return self.problem is Problem.RETRY


class ConnectionLost(DatabaseError):
    """The server went away; the window reconnects by itself when it is back."""

    problem = Problem.CONNECTION_LOST


class StaleChange(DatabaseError):
    """An edit, delete or undo based on a version of a span that someone else has changed
    since: refused so that nobody's work is overwritten unseen."""

    problem = Problem.CONFLICT

    def __init__(
        self,
        message: str,
        *,
        span_id: int,
        current: object = None,
    ) -> None:
        super().__init__(message)
        self.span_id = span_id
        #: The span as stored now (a ``Span``), or None when it was deleted.
        self.current = current


def changed_by_message(what: str, who: str | None, when: dt.datetime | None) -> str:
    """ "the span was changed by maria at 14:03" (UTC shown as local time of day)."""
    parts = [what]
    if who:
        parts.append(f"by {who}")
    if when is not None:
        today = local_time(when).date() == dt.date.today()
        parts.append(f"{'at' if today else 'on'} {when_text(when)}")
    return " ".join(parts)
