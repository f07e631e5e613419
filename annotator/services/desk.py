"""How a desk shares its work: who may see whose layer, who is assigned which document, each
person's own status on a document, and roles.

- **Layer mode** (kept in the database, so every client follows it): in *blind* mode an
  annotator sees only their own layer and the pending suggestions; in *shared* mode everyone
  sees every layer. A curator sees every layer in both modes: settling is their job.
- **Progress**: a row per (document, person) with their own status and whether the document
  is assigned to them. ``documents.status`` is kept as the desk's overall status: done when
  everyone assigned (or, with nobody assigned, everyone who started) is done.
- **Roles**: annotator or curator. Nobody logs in, so a role is a guard against slips, not a
  lock: once the desk has a curator, only a curator changes roles, the mode or assignments.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection, bindparam, case, delete, func, select, update

from annotator.core.errors import DatabaseError, Problem
from annotator.core.model import DocStatus
from annotator.store.database import Database
from annotator.store.models import (
    AnnotatorRow,
    DocumentRow,
    MetaRow,
    ProgressRow,
    table,
)
from annotator.store.sql import insert_or_ignore

from . import changes as changelog
from .doc_status import counted, settle_overall
from .layers import POOL
from .span_rows import NotFound, lock_document

_progress = table(ProgressRow)
_documents = table(DocumentRow)
_annotators = table(AnnotatorRow)
_meta = table(MetaRow)
MODE_KEY = "layer_mode"


class LayerMode(StrEnum):
    BLIND = "blind"
    SHARED = "shared"


class Role(StrEnum):
    ANNOTATOR = "annotator"
    CURATOR = "curator"


class NotAllowed(DatabaseError):
    """Only a curator may do this (once the desk has one)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, problem=Problem.NOT_ALLOWED)


@dataclass(frozen=True, slots=True)
class Progress:
    """A document as the desk sees it: the viewer's own status and queue place, and how many
    of the people working on it are done (what a curator's list shows as "2 of 3 done")."""

    document_id: int
    status: DocStatus
    assigned: bool
    done: int
    people: int


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def layer_mode(conn: Connection) -> LayerMode:
    value = conn.scalar(select(_meta.c.value).where(_meta.c.key == MODE_KEY))
    return LayerMode(value) if value in {m.value for m in LayerMode} else LayerMode.SHARED


def role_of(conn: Connection, name: str) -> Role:
    found = conn.scalar(select(_annotators.c.role).where(_annotators.c.name == name))
    return Role(found) if found else Role.ANNOTATOR


def visible_layers(conn: Connection, viewer: str) -> tuple[str, ...] | None:
    """The layers ``viewer`` may see; None for all of them."""
    if layer_mode(conn) is LayerMode.SHARED or role_of(conn, viewer) is Role.CURATOR:
        return None
    return (viewer, POOL)


def plan_assignments(
    documents: Sequence[int],
    annotators: Sequence[str],
    per_document: int,
    existing: dict[int, set[str]] | None = None,
) -> dict[int, list[str]]:
    """Who gets which document: each document is topped up to ``per_document`` people, each
    time giving it to the least loaded annotator not yet on it (ties go in the order given).
    Deterministic, and even: loads differ by at most one when starting from nothing."""
    if per_document < 1 or per_document > len(annotators):
        raise ValueError(
            f"--per-document must be between 1 and {len(annotators)} (the number of annotators)"
        )
    existing = existing or {}
    load: Counter[str] = Counter({name: 0 for name in annotators})
    for people in existing.values():
        load.update(p for p in people if p in load)
    order = {name: i for i, name in enumerate(annotators)}
    plan: dict[int, list[str]] = {}
    for doc in sorted(documents):
        have = existing.get(doc, set())
        # Everyone already on the document counts, named this time or not: --per-document
        # is how many people tag each document.
        wanted = per_document - len(have)
        picked: list[str] = []
        for _ in range(max(0, wanted)):
            name = min(
                (n for n in annotators if n not in have and n not in picked),
                key=lambda n: (load[n], order[n]),
            )
            picked.append(name)
            load[name] += 1
        if picked:
            plan[doc] = picked
    return plan


class Desk:
    def __init__(self, db: Database, *, actor: str) -> None:
        self._db = db
        self.actor = actor

    # -- mode and roles -------------------------------------------------------------------
    def mode(self) -> LayerMode:
        with self._db.engine.connect() as conn:
            return layer_mode(conn)

    def role(self, name: str | None = None) -> Role:
        with self._db.engine.connect() as conn:
            return role_of(conn, name or self.actor)

    def visible_layers(self) -> tuple[str, ...] | None:
        with self._db.engine.connect() as conn:
            return visible_layers(conn, self.actor)

    def set_mode(self, mode: LayerMode | str) -> None:
        wanted = LayerMode(mode)

        def work(conn: Connection) -> None:
            self.require_curator(conn, "change the layer mode")
            before = layer_mode(conn)
            conn.execute(delete(_meta).where(_meta.c.key == MODE_KEY))
            conn.execute(_meta.insert(), {"key": MODE_KEY, "value": wanted.value})
            changelog.record(
                conn,
                actor=self.actor,
                action="setting",
                document_id=None,
                before={"mode": before.value},
                after={"mode": wanted.value},
            )

        self._db.run(work)

    def set_role(self, name: str, role: Role | str) -> None:
        wanted = Role(role)

        def work(conn: Connection) -> None:
            self.require_curator(conn, "change roles")
            conn.execute(
                insert_or_ignore(conn, _annotators), {"name": name, "role": Role.ANNOTATOR.value}
            )
            before = role_of(conn, name)
            if before is wanted:
                return
            conn.execute(
                update(_annotators).where(_annotators.c.name == name).values(role=wanted.value)
            )
            changelog.record(
                conn,
                actor=self.actor,
                action="setting",
                document_id=None,
                before={"person": name, "role": before.value},
                after={"person": name, "role": wanted.value},
            )

        self._db.run(work)

    def require_curator(self, conn: Connection, what: str) -> None:
        has_curator = conn.scalar(
            select(func.count())
            .select_from(_annotators)
            .where(_annotators.c.role == Role.CURATOR.value)
        )
        if has_curator and role_of(conn, self.actor) is not Role.CURATOR:
            raise NotAllowed(f"only a curator may {what} ({self.actor} is an annotator)")

    # -- progress -------------------------------------------------------------------------
    def status(self, document_id: int, person: str | None = None) -> DocStatus:
        p = _progress.c
        with self._db.engine.connect() as conn:
            found = conn.scalar(
                select(p.status).where(
                    p.document_id == document_id, p.annotator == (person or self.actor)
                )
            )
        return DocStatus(found) if found else DocStatus.NEW

    def set_status(
        self, document_id: int, status: DocStatus, *, expected: DocStatus | None = None
    ) -> DocStatus:
        """Set the actor's own status; returns the previous one (for undo). With ``expected``,
        refused when it is no longer that (the same person, in another window)."""
        wanted, me, p = DocStatus(status), self.actor, _progress.c

        def work(conn: Connection) -> DocStatus:
            lock_document(conn, document_id)
            found = conn.scalar(
                select(p.status).where(p.document_id == document_id, p.annotator == me)
            )
            before = DocStatus(found) if found else DocStatus.NEW
            if expected is not None and before != expected:
                raise DatabaseError(
                    f"your status is {before.display} now (changed in another "
                    f"window), not {expected.display}",
                    problem=Problem.CONFLICT,
                )
            conn.execute(
                insert_or_ignore(conn, _progress), {"document_id": document_id, "annotator": me}
            )
            conn.execute(
                update(_progress)
                .where(p.document_id == document_id, p.annotator == me)
                .values(
                    status=wanted.value,
                    updated_at=_now(),
                    done_at=_now() if wanted is DocStatus.DONE else None,
                )
            )
            settle_overall(conn, [document_id])
            changelog.record(
                conn,
                actor=me,
                action="status",
                document_id=document_id,
                before={"status": before.value},
                after={"status": wanted.value},
            )
            return before

        return self._db.run(work)

    def progress(self, document_ids: Iterable[int]) -> dict[int, Progress]:
        """The viewer's status and queue place, and the desk's done count, per document."""
        ids = list(document_ids)
        p = _progress.c
        mine: dict[int, tuple[str, bool]] = {}
        counts: dict[int, tuple[int, int]] = {}
        with self._db.engine.connect() as conn:
            for doc, status, assigned in conn.execute(
                select(p.document_id, p.status, p.assigned).where(
                    p.document_id.in_(ids), p.annotator == self.actor
                )
            ):
                mine[doc] = (status, bool(assigned))
            rows: dict[int, list[tuple[bool, str]]] = defaultdict(list)
            for doc, assigned, status in conn.execute(
                select(p.document_id, p.assigned, p.status).where(p.document_id.in_(ids))
            ):
                rows[doc].append((bool(assigned), status))
        for doc, found in rows.items():
            decide = counted(found)
            counts[doc] = (sum(s == DocStatus.DONE.value for s in decide), len(decide))
        return {
            doc: Progress(
                doc,
                DocStatus(mine.get(doc, ("new", False))[0]),
                mine.get(doc, ("new", False))[1],
                *counts.get(doc, (0, 0)),
            )
            for doc in ids
        }

    # -- assignment -----------------------------------------------------------------------
    def assignments(self, document_ids: Iterable[int] | None = None) -> dict[int, set[str]]:
        p = _progress.c
        stmt = select(p.document_id, p.annotator).where(p.assigned.is_(True))
        if document_ids is not None:
            stmt = stmt.where(p.document_id.in_(list(document_ids)))
        found: dict[int, set[str]] = defaultdict(set)
        with self._db.engine.connect() as conn:
            for doc, name in conn.execute(stmt):
                found[doc].add(name)
        return dict(found)

    def assign(
        self,
        annotators: Sequence[str],
        per_document: int,
        document_ids: Sequence[int] | None = None,
    ) -> dict[int, list[str]]:
        """Top every document (or those given) up to ``per_document`` people, newcomers
        chosen among ``annotators``; returns who was newly assigned where. Earlier
        assignments stay."""
        names = list(dict.fromkeys(annotators))
        if not names:
            raise ValueError("name at least one annotator")

        def work(conn: Connection) -> dict[int, list[str]]:
            self.require_curator(conn, "assign documents")
            ids = self.known_ids(conn, document_ids)
            existing: dict[int, set[str]] = defaultdict(set)
            for doc, name in conn.execute(
                select(_progress.c.document_id, _progress.c.annotator).where(
                    _progress.c.assigned.is_(True)
                )
            ):
                existing[doc].add(name)
            plan = plan_assignments(ids, names, per_document, existing)
            self._write_assignments(conn, plan, assigned=True)
            return plan

        return self._db.run(work)

    def set_assigned(self, document_id: int, person: str, assigned: bool) -> None:
        """Assign one document to one person, or take it back (the window's curator menu)."""

        def work(conn: Connection) -> None:
            self.require_curator(conn, "assign documents")
            self.known_ids(conn, [document_id])
            self._write_assignments(conn, {document_id: [person]}, assigned=assigned)

        self._db.run(work)

    def _write_assignments(
        self, conn: Connection, plan: dict[int, list[str]], *, assigned: bool
    ) -> None:
        pairs = [{"doc": doc, "name": name} for doc, people in plan.items() for name in people]
        if not pairs:
            return
        p = _progress.c
        # Whoever is assigned work is one of the desk from now on (the Assign dialog and
        # People and roles list them), even before they first open the database.
        conn.execute(
            insert_or_ignore(conn, _annotators),
            [
                {"name": name, "role": Role.ANNOTATOR.value}
                for name in sorted({name for people in plan.values() for name in people})
            ],
        )
        conn.execute(
            insert_or_ignore(conn, _progress),
            [{"document_id": pair["doc"], "annotator": pair["name"]} for pair in pairs],
        )
        conn.execute(
            update(_progress)
            .where(p.document_id == bindparam("doc"), p.annotator == bindparam("name"))
            .values(assigned=assigned, updated_at=_now()),
            pairs,
        )
        settle_overall(conn, list(plan))
        changelog.record_many(
            conn,
            actor=self.actor,
            rows=[
                ("assign", doc, None, None, {"people": people, "assigned": assigned})
                for doc, people in plan.items()
            ],
        )

    @staticmethod
    def known_ids(conn: Connection, wanted: Sequence[int] | None) -> list[int]:
        if wanted is None:
            return list(conn.scalars(select(_documents.c.id).order_by(_documents.c.id)))
        known = set(conn.scalars(select(_documents.c.id).where(_documents.c.id.in_(wanted))))
        missing = [str(i) for i in wanted if i not in known]
        if missing:
            raise NotFound(f"no document with id {', '.join(missing)}")
        return sorted(set(wanted))


def queue_rank(person: str):
    """SQL: 0 for documents assigned to ``person`` and not yet done by them, else 1 (the
    document list puts a person's queue first)."""
    p = _progress.c
    mine = select(p.document_id).where(
        p.annotator == person, p.assigned.is_(True), p.status != DocStatus.DONE.value
    )
    return case((_documents.c.id.in_(mine), 0), else_=1)


def own_status(person: str):
    """SQL: ``person``'s own status on the document of the row (new where they have none)."""
    p = _progress.c
    return func.coalesce(
        select(p.status)
        .where(p.document_id == _documents.c.id, p.annotator == person)
        .scalar_subquery(),
        "new",
    )


__all__ = ["Desk", "LayerMode", "NotAllowed", "Progress", "Role"]
