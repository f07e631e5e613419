"""Each person's own status on a document, and the desk's overall status derived from them.

A row per (document, person) in ``document_progress``. ``documents.status`` is the desk's:
done when everyone assigned to the document (or, with nobody assigned, everyone who started on
it) is done, in progress once one of them started. Written inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from annotator.core.model import DocStatus
from annotator.store.models import DocumentRow, ProgressRow, table

_progress = table(ProgressRow)
_documents = table(DocumentRow)
#: Layers that are not a person's: the suggestion pool and the curated result.
NOT_PEOPLE = frozenset({"", "curated"})


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def counted(rows: Iterable[tuple[bool, str]]) -> list[str]:
    """Of a document's (assigned, status) rows, the statuses that decide whether it is done:
    the assigned people's, or with nobody assigned, those of everyone who started."""
    rows = list(rows)
    if any(assigned for assigned, _ in rows):
        return [status for assigned, status in rows if assigned]
    return [status for _, status in rows if status != DocStatus.NEW.value]


def overall(statuses: Sequence[str]) -> DocStatus:
    if statuses and all(s == DocStatus.DONE.value for s in statuses):
        return DocStatus.DONE
    if any(s != DocStatus.NEW.value for s in statuses):
        return DocStatus.IN_PROGRESS
    return DocStatus.NEW


#: Ids per IN list: SQLite allows 32,766 parameters, and a list this long is still one quick
#: index probe per id.
CHUNK = 500


def settle_overall(conn: Connection, document_ids: Sequence[int]) -> None:
    """Recompute ``documents.status`` of these documents from their progress rows: one
    UPDATE per status and chunk, so assigning a corpus of 30,000 documents stays quick."""
    p = _progress.c
    ids = list(dict.fromkeys(document_ids))
    for first in range(0, len(ids), CHUNK):
        chunk = ids[first : first + CHUNK]
        rows: dict[int, list[tuple[bool, str]]] = defaultdict(list)
        for doc, assigned, status in conn.execute(
            select(p.document_id, p.assigned, p.status).where(p.document_id.in_(chunk))
        ):
            rows[doc].append((bool(assigned), status))
        wanted: dict[str, list[int]] = defaultdict(list)
        for doc in chunk:
            wanted[overall(counted(rows.get(doc, []))).value].append(doc)
        for result, docs in wanted.items():
            conn.execute(
                update(_documents)
                .where(_documents.c.id.in_(docs), _documents.c.status != result)
                .values(status=result)
            )


def mark_started(conn: Connection, document_id: int, person: str) -> None:
    """A person's first span moves their own status from new to in progress (what they expect
    to see in the list once they have started on an article). One statement, returning a row
    only when it changed something: this runs on every label key press."""
    if person in NOT_PEOPLE:
        return
    stmt = _STARTED.get(conn.dialect.name)
    if stmt is None:
        stmt = _STARTED[conn.dialect.name] = _started_statement(conn)
    if (
        conn.execute(stmt, {"document_id": document_id, "annotator": person, "now": _now()}).first()
        is not None
    ):
        settle_overall(conn, [document_id])


_STARTED: dict[str, Any] = {}


def _started_statement(conn: Connection) -> Any:
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    stmt = insert(_progress).values(
        document_id=bindparam("document_id"),
        annotator=bindparam("annotator"),
        status="in_progress",
        updated_at=bindparam("now"),
    )
    return stmt.on_conflict_do_update(
        index_elements=[_progress.c.document_id, _progress.c.annotator],
        set_={"status": "in_progress", "updated_at": bindparam("now")},
        where=_progress.c.status == DocStatus.NEW.value,
    ).returning(_progress.c.document_id)
