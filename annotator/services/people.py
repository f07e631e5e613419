"""The people who work on a database: who is acting, and the annotators table."""

from __future__ import annotations

import datetime as dt
import getpass
import logging
import os
from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from annotator.core.errors import DatabaseError, Problem
from annotator.store.database import Database
from annotator.store.models import AnnotatorRow, table
from annotator.store.sql import insert_or_ignore

log = logging.getLogger(__name__)

_annotators = table(AnnotatorRow)
#: Layer names that are not people: a user of that name would write into them.
_RESERVED = {"curated", "suggester"}


def current_annotator() -> str:
    """ANNOTATOR_USER, else the login name."""
    name = os.environ.get("ANNOTATOR_USER")
    if name and name.strip():
        return name.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def check_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValueError("a user name cannot be empty")
    if len(cleaned) > 100:
        raise ValueError("a user name is at most 100 characters")
    if cleaned.casefold() in _RESERVED:
        raise ValueError(f"“{cleaned}” names a layer, not a person; choose another user name")
    return cleaned


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    role: str
    last_seen_at: dt.datetime | None = None


class People:
    def __init__(self, db: Database) -> None:
        self._db = db

    def register(self, name: str) -> None:
        """Make sure ``name`` is in the annotators table and note when they were last seen."""
        if self._db.read_only:
            return
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)

        def work(conn: Connection) -> None:
            conn.execute(insert_or_ignore(conn, _annotators), {"name": name, "role": "annotator"})
            conn.execute(update(_annotators).where(_annotators.c.name == name)
                         .values(last_seen_at=now))  # fmt: skip

        try:
            self._db.run(work)
        except DatabaseError as exc:
            # Noting who came by is bookkeeping: on a full disk the window must still open
            # and show what was saved; the first real write reports the disk.
            if exc.problem is not Problem.DISK_FULL:
                raise
            log.warning("could not note %s as last seen: %s", name, exc)

    def all(self) -> list[Person]:
        with self._db.engine.connect() as conn:
            return [Person(r.name, r.role, r.last_seen_at) for r in conn.execute(
                select(_annotators).order_by(_annotators.c.name))]  # fmt: skip
