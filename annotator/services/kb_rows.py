"""Helpers of the knowledge-base service: mapping rows to core values and back, and the
upserts an import runs (athletes by name, events by name and year)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from annotator.core import kbcsv
from annotator.core.errors import DatabaseError, Problem
from annotator.core.kb import Athlete, Event, KBError
from annotator.store.models import (
    KBAthleteAliasRow,
    KBAthleteRow,
    KBEventAliasRow,
    KBEventRow,
    MetaRow,
)


class AlreadySeeded(Exception):
    """Another process seeded this database with the bundled files first."""


def claim_seeding(session: Session, key: str, what: str) -> None:
    """Write the meta row that says the bundled ``what`` went in, before any of it does: it
    takes the write lock, and if another process seeded the database since the caller looked,
    its row makes this insert fail with AlreadySeeded."""
    when = f"{dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%M:%SZ}"
    session.add(MetaRow(key=key, value=f"{what} at {when}"))
    try:
        session.flush()
    except DatabaseError as exc:
        if exc.problem is not Problem.CONFLICT:
            raise
        raise AlreadySeeded from None


class Unset(Enum):
    UNSET = "unset"


UNSET = Unset.UNSET  # "leave as it is", since None is a value a field can be set to


@dataclass(frozen=True)
class ImportSummary:
    kind: kbcsv.Kind
    added: int
    updated: int
    unchanged: int

    def __str__(self) -> str:
        counts = f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged"
        return f"{self.kind}: {counts}"


def athlete_value(row: KBAthleteRow) -> Athlete:
    return Athlete(
        id=row.id, name=row.name, aliases=tuple(a.alias for a in row.aliases),
        country=row.country, discipline=row.discipline, sex=row.sex, birth_year=row.birth_year,
    )  # fmt: skip


def event_value(row: KBEventRow) -> Event:
    return Event(
        id=row.id, name=row.name, kind=row.kind, year=row.year,
        aliases=tuple(a.alias for a in row.aliases), city=row.city, country=row.country,
        start=row.start_date, end=row.end_date,
    )  # fmt: skip


def same_entry(a: Athlete | Event, b: Athlete | Event) -> bool:
    return dataclasses.replace(a, id=None) == dataclasses.replace(b, id=None)


def set_athlete(session: Session, row: KBAthleteRow, athlete: Athlete) -> None:
    row.name, row.country, row.discipline = athlete.name, athlete.country, athlete.discipline
    row.sex, row.birth_year = athlete.sex, athlete.birth_year
    if tuple(a.alias for a in row.aliases) != athlete.aliases:
        if row.aliases:
            # The unit of work inserts before it deletes; an alias that stays would then
            # break the (athlete_id, alias) unique constraint.
            row.aliases.clear()
            session.flush()
        row.aliases.extend(KBAthleteAliasRow(alias=a) for a in athlete.aliases)


def set_event(session: Session, row: KBEventRow, event: Event) -> None:
    row.name, row.kind, row.year, row.city = event.name, event.kind, event.year, event.city
    row.country, row.start_date, row.end_date = event.country, event.start, event.end
    if tuple(a.alias for a in row.aliases) != event.aliases:
        if row.aliases:
            row.aliases.clear()
            session.flush()
        row.aliases.extend(KBEventAliasRow(alias=a) for a in event.aliases)


def athlete_rows(session: Session) -> list[KBAthleteRow]:
    return list(session.scalars(select(KBAthleteRow).options(selectinload(KBAthleteRow.aliases))))


def event_rows(session: Session) -> list[KBEventRow]:
    return list(session.scalars(select(KBEventRow).options(selectinload(KBEventRow.aliases))))


def registry_of(entries: Iterable[Athlete | Event], where: str) -> kbcsv.NameRegistry:
    registry = kbcsv.NameRegistry()
    for entry in entries:
        registry.add(entry.name, entry.name, entry.aliases, where)
    return registry


def upsert_athletes(session: Session, athletes: list[Athlete], where: str) -> ImportSummary:
    rows = {row.name: row for row in athlete_rows(session)}
    incoming = {a.name for a in athletes}
    kept = (athlete_value(r) for name, r in rows.items() if name not in incoming)
    registry = registry_of(kept, "in the knowledge base")
    for athlete in athletes:
        problem = registry.conflict(athlete.name, athlete.name, athlete.aliases)
        if problem:
            raise KBError(f"{where}: athlete {athlete.name!r}: {problem}")
    new = [a for a in athletes if a.name not in rows]
    changed = [
        a for a in athletes if a.name in rows and not same_entry(athlete_value(rows[a.name]), a)
    ]
    for athlete in changed:
        set_athlete(session, rows[athlete.name], athlete)
    if new:
        # Bulk inserts: seeding a new database (a thousand athletes) happens while the
        # window opens, and ORM objects would triple its cost.
        ids = session.scalars(
            insert(KBAthleteRow).returning(KBAthleteRow.id, sort_by_parameter_order=True),
            [dict(name=a.name, country=a.country, discipline=a.discipline, sex=a.sex,
                  birth_year=a.birth_year) for a in new],
        ).all()  # fmt: skip
        _insert_aliases(session, KBAthleteAliasRow, "athlete_id", zip(ids, new, strict=True))
    unchanged = len(athletes) - len(new) - len(changed)
    return ImportSummary("athletes", len(new), len(changed), unchanged)


def upsert_events(session: Session, events: list[Event], where: str) -> ImportSummary:
    rows = {(row.name, row.year): row for row in event_rows(session)}
    incoming = {(e.name, e.year) for e in events}
    # Owners are meeting names, so the file's editions of a meeting may share aliases with
    # the editions already stored.
    kept = (event_value(r) for ident, r in rows.items() if ident not in incoming)
    registry = registry_of(kept, "in the knowledge base")
    for event in events:
        problem = registry.conflict(event.name, event.name, event.aliases)
        if problem:
            raise KBError(f"{where}: event {event.name!r} {event.year or ''}: {problem}")
    new = [e for e in events if (e.name, e.year) not in rows]
    changed = [
        e for e in events
        if (e.name, e.year) in rows and not same_entry(event_value(rows[e.name, e.year]), e)
    ]  # fmt: skip
    for event in changed:
        set_event(session, rows[event.name, event.year], event)
    if new:
        ids = session.scalars(
            insert(KBEventRow).returning(KBEventRow.id, sort_by_parameter_order=True),
            [dict(name=e.name, kind=e.kind, year=e.year, city=e.city, country=e.country,
                  start_date=e.start, end_date=e.end) for e in new],
        ).all()  # fmt: skip
        _insert_aliases(session, KBEventAliasRow, "event_id", zip(ids, new, strict=True))
    unchanged = len(events) - len(new) - len(changed)
    return ImportSummary("events", len(new), len(changed), unchanged)


def _insert_aliases(
    session: Session,
    table: type[KBAthleteAliasRow] | type[KBEventAliasRow],
    owner_column: str,
    owners: Iterable[tuple[int, Athlete | Event]],
) -> None:
    rows = [{owner_column: oid, "alias": alias} for oid, entry in owners for alias in entry.aliases]
    if rows:
        session.execute(insert(table), rows)


def read_file(kind: kbcsv.Kind, path: Path) -> list[Any]:
    return kbcsv.read_athletes(path) if kind == "athletes" else kbcsv.read_events(path)


def athlete_order(a: Athlete) -> tuple[str, str]:
    return (kbcsv.fold(a.name), a.name)


def event_order(e: Event) -> tuple[int, dt.date, str]:
    return (e.year or 0, e.start or dt.date.max, e.name)  # undated last, as in the bundled file


def changed_entry(value: Any, changes: dict[str, Any]) -> Any:
    changes = {k: v for k, v in changes.items() if v is not UNSET}
    if "aliases" in changes:
        changes["aliases"] = tuple(changes["aliases"])
    return dataclasses.replace(value, **changes)


# Edits keep the rules the CSV reader enforces within a file, against the whole database.
def check_athlete_edit(session: Session, athlete: Athlete, *, own_id: int | None) -> Athlete:
    athlete = kbcsv.check_athlete(athlete)
    others = [athlete_value(r) for r in athlete_rows(session) if r.id != own_id]
    if any(other.name == athlete.name for other in others):
        raise KBError(f"an athlete named {athlete.name!r} already exists")
    problem = registry_of(others, "").conflict(athlete.name, athlete.name, athlete.aliases)
    if problem:
        raise KBError(problem)
    return athlete


def check_event_edit(session: Session, event: Event, *, own_id: int | None) -> Event:
    event = kbcsv.check_event(event)
    others = [event_value(r) for r in event_rows(session) if r.id != own_id]
    if any((o.name, o.year) == (event.name, event.year) for o in others):
        raise KBError(f"the event {event.name!r} {event.year or '(no year)'} already exists")
    problem = registry_of(others, "").conflict(event.name, event.name, event.aliases)
    if problem:
        raise KBError(problem)
    return event
