"""The change log: one row per change, written in the transaction that makes the change.

It is the history of a span, ``annotator log``, an audit trail, and how every open window
learns what other clients changed: on PostgreSQL each change also sends a NOTIFY (delivered
when its transaction commits), on SQLite the windows poll the log's highest id.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Text, cast, func, insert, or_, select

from annotator.core.errors import DatabaseError
from annotator.core.model import Span
from annotator.store.database import Database
from annotator.store.errors import classify
from annotator.store.models import ChangeRow, table
from annotator.store.sql import bulk_insert

_changes = table(ChangeRow)
#: The PostgreSQL notification channel; the payload is the document id.
CHANNEL = "annotator_changes"

SPAN_FIELDS = ("document_id", "start", "end", "label", "text", "error_type", "correction",
               "note", "value", "entity", "annotator", "origin", "status", "version",
               "layer")  # fmt: skip


def span_dict(span: Span) -> dict[str, Any]:
    values = {name: getattr(span, name) for name in SPAN_FIELDS}
    values["origin"], values["status"] = str(span.origin), str(span.status)
    return values


@dataclass(frozen=True, slots=True)
class Change:
    id: int
    at: dt.datetime
    actor: str
    client: str | None
    action: str
    document_id: int | None
    span_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def describe(self) -> str:
        """One line for people: "edit note: “Bol” → “Boll”"."""
        before, after = self.before or {}, self.after or {}
        if self.action == "edit":
            changed = [k for k in after if k != "version" and before.get(k) != after.get(k)]
            parts = [f"{k} {_short(before.get(k))} → {_short(after.get(k))}" for k in changed]
            return "edit " + ("; ".join(parts) if parts else "(no change)")
        span = after or before
        if span and "label" in span:
            return f"{self.action} {span['label']} {_short(span.get('text'))}"
        if self.action == "status" and after:
            return f"status {before.get('status')} → {after.get('status')}"
        if self.action in ("import", "merge") and after:
            spans = f" with {after['spans']} spans" if after.get("spans") else ""
            return f"{self.action} {after.get('source') or ''}{spans}".rstrip()
        return self.action


def _short(value: object, limit: int = 40) -> str:
    if value is None:
        return "∅"
    text_ = " ".join(str(value).split())
    return f"“{text_ if len(text_) <= limit else text_[: limit - 1] + '…'}”"


_INSERT = insert(_changes)
# The notification rides on the insert (no extra round trip); PostgreSQL sends it at commit,
# once per distinct payload.
_INSERT_NOTIFY = insert(_changes).returning(
    func.pg_notify(CHANNEL, func.coalesce(cast(_changes.c.document_id, Text), ""))
)


def record(
    conn: Connection,
    *,
    actor: str | None = None,
    action: str,
    document_id: int | None,
    span_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    record_many(conn, actor=actor, rows=[(action, document_id, span_id, before, after)])


def record_many(
    conn: Connection,
    *,
    actor: str | None = None,
    rows: Sequence[tuple[str, int | None, int | None, dict | None, dict | None]],
) -> None:
    """Append rows (action, document id, span id, before, after) to the log, and tell other
    clients on PostgreSQL which documents changed. ``actor`` defaults to the person the
    database was opened for."""
    record_dumped(conn, actor=actor, rows=[
        (action, doc, span, dump(before), dump(after)) for action, doc, span, before, after in rows
    ])  # fmt: skip


def record_dumped(
    conn: Connection,
    *,
    actor: str | None = None,
    rows: Sequence[tuple[str, int | None, int | None, str | None, str | None]],
) -> None:
    """``record_many`` with before and after already ``dump``-ed: a writer of many rows
    encodes them before its transaction, not while holding the write lock."""
    if not rows:
        return
    options = conn.get_execution_options()
    same = {
        "at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
        "actor": actor or options.get("annotator_actor") or "unknown",
        "client": options.get("annotator_client"),
    }
    values = [
        {"action": action, "document_id": doc, "span_id": span, "before": before, "after": after}
        for action, doc, span, before, after in rows
    ]
    bulk = bulk_insert(conn.dialect, _changes, _COLUMNS)
    if bulk is not None:
        bulk.execute(conn, bulk.params(values, same))
    elif conn.dialect.name == "postgresql":
        conn.execute(_INSERT_NOTIFY, [{**same, **v} for v in values]).all()
    else:
        conn.execute(_INSERT, [{**same, **v} for v in values])


_COLUMNS = ("at", "actor", "client", "action", "document_id", "span_id", "before", "after")


def dump(value: dict[str, Any] | None) -> str | None:
    """A span or document's fields as the log stores them."""
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _change(row: Any) -> Change:
    return Change(
        id=row.id, at=row.at, actor=row.actor, client=row.client, action=row.action,
        document_id=row.document_id, span_id=row.span_id,
        before=json.loads(row.before) if row.before else None,
        after=json.loads(row.after) if row.after else None,
    )  # fmt: skip


class ChangeLog:
    """Reading the log."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def latest_id(self) -> int:
        with self._db.engine.connect() as conn:
            return conn.scalar(select(func.max(_changes.c.id))) or 0

    def entries(
        self,
        *,
        document_ids: Iterable[int] = (),
        users: Iterable[str] = (),
        span_id: int | None = None,
        limit: int | None = None,
    ) -> list[Change]:
        """Oldest first; filtered by documents, people and span."""
        stmt = select(_changes).order_by(_changes.c.id)
        docs, people = list(document_ids), list(users)
        if docs:
            stmt = stmt.where(_changes.c.document_id.in_(docs))
        if people:
            stmt = stmt.where(_changes.c.actor.in_(people))
        if span_id is not None:
            stmt = stmt.where(_changes.c.span_id == span_id)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self._db.engine.connect() as conn:
            return [_change(r) for r in conn.execute(stmt)]


class ChangeFeed:
    """What other clients changed since the last look, for a window's live refresh.

    ``poll()`` is cheap enough to call a few times a second from a timer: on PostgreSQL it
    reads pending notifications from a LISTEN connection and queries the log only when one
    came (or every few seconds, in case one was missed while reconnecting); on SQLite it
    asks for the log's highest id. Raises ``DatabaseError`` (ConnectionLost) while the server
    is away; the next successful poll catches up from where it left off.

    On PostgreSQL a change's id is drawn when its row is written, not when its transaction
    commits, so a later id can become visible first. Ids skipped over that way are kept as
    gaps and asked for again on every poll until they show up, or until they are old enough
    that their transaction must have rolled back.
    """

    #: On PostgreSQL, query the log at least this often even without a notification.
    SAFETY_SECONDS = 5.0
    #: A gap not filled after this long belonged to a transaction that rolled back.
    GAP_SECONDS = 120.0

    def __init__(self, db: Database) -> None:
        self._db = db
        self.last_id = ChangeLog(db).latest_id()
        self._listener: Any = None
        self._last_query = 0.0
        #: id -> when it was first found missing
        self._gaps: dict[int, float] = {}

    def close(self) -> None:
        if self._listener is not None:
            try:
                self._listener.close()
            except Exception:  # noqa: BLE001 - closing a connection that is already gone
                pass
            self._listener = None

    def poll(self) -> list[Change]:
        """Changes written by other clients since the last poll, oldest first."""
        if self._db.backend == "postgresql" and not self._notified():
            return []
        with self._db.engine.connect() as conn:
            top = conn.scalar(select(func.max(_changes.c.id))) or 0
            if top <= self.last_id and not self._gaps:
                return []
            wanted = _changes.c.id > self.last_id
            if self._gaps:
                wanted = or_(wanted, _changes.c.id.in_(sorted(self._gaps)))
            found = [_change(r) for r in conn.execute(
                select(_changes).where(wanted).order_by(_changes.c.id).limit(10_000))]  # fmt: skip
        now = time.monotonic()
        ids = {c.id for c in found}
        for change_id in ids:
            self._gaps.pop(change_id, None)
        if found and found[-1].id > self.last_id:
            for missing in range(self.last_id + 1, found[-1].id):
                if missing not in ids:
                    self._gaps[missing] = now
            self.last_id = found[-1].id
        for change_id, since in list(self._gaps.items()):
            if now - since > self.GAP_SECONDS:
                del self._gaps[change_id]
        return [c for c in found if c.client != self._db.client]

    def _notified(self) -> bool:
        now = time.monotonic()
        try:
            listener = self._listen()
            # Drained whole: one query answers every notification that is waiting.
            got = sum(1 for _ in listener.connection.driver_connection.notifies(
                timeout=0.0, stop_after=1000)) > 0  # fmt: skip
        except DatabaseError:
            self.close()  # a fresh LISTEN connection next time
            raise
        except Exception as exc:  # the driver's own, raised outside SQLAlchemy
            self.close()
            raise classify(exc, disconnect=True) from None
        if got or self._gaps or now - self._last_query > self.SAFETY_SECONDS:
            self._last_query = now
            return True
        return False

    def _listen(self) -> Any:
        if self._listener is None:
            conn = self._db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            conn.exec_driver_sql(f"LISTEN {CHANNEL}")
            self._listener = conn
        return self._listener
