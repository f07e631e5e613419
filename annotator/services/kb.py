"""The knowledge base in the database: loading it for the suggesters, importing and exporting
the CSV files, seeding a new database with the bundled files, and the window's editing.

Each call is one committed transaction and returns plain ``Athlete``/``Event`` values. Editing
keeps the rules the CSV reader enforces (core.kbcsv): unique athlete names, unique (name, year)
events, and no alias that also names another athlete or another event.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.core import kbcsv
from annotator.core.kb import Athlete, Event, KBError, KnowledgeBase
from annotator.core.resources import resource
from annotator.store.database import Database
from annotator.store.models import (
    KBAthleteAliasRow,
    KBAthleteRow,
    KBEventAliasRow,
    KBEventRow,
    MetaRow,
    table,
)

from . import kb_results
from .kb_rows import (
    UNSET,
    AlreadySeeded,
    ImportSummary,
    Unset,
    athlete_order,
    athlete_value,
    changed_entry,
    check_athlete_edit,
    check_event_edit,
    claim_seeding,
    event_order,
    event_value,
    read_file,
    set_athlete,
    set_event,
    upsert_athletes,
    upsert_events,
)
from .span_rows import NotFound

log = logging.getLogger(__name__)

#: The meta key whose presence means "the bundled knowledge base was imported into this
#: database once"; after that, what the user deleted stays deleted.
SEEDED_KEY = "kb.bundled_seeded"


@dataclass(frozen=True)
class KBStats:
    athletes: int
    events: int
    #: discipline (None = unknown) -> count, only those that occur
    athletes_by_discipline: dict[str | None, int]
    events_by_kind: dict[str, int]


class KnowledgeBaseService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- reading ---------------------------------------------------------------------------

    def load(self) -> KnowledgeBase:
        """Everything, as values: four plain queries, no ORM objects (a suggestion run loads
        the whole knowledge base once)."""
        athlete_aliases: dict[int, list[str]] = defaultdict(list)
        event_aliases: dict[int, list[str]] = defaultdict(list)
        with self._db.engine.connect() as conn:
            for owner, alias in conn.execute(
                select(KBAthleteAliasRow.athlete_id, KBAthleteAliasRow.alias)
                .order_by(KBAthleteAliasRow.id)
            ):  # fmt: skip
                athlete_aliases[owner].append(alias)
            for owner, alias in conn.execute(
                select(KBEventAliasRow.event_id, KBEventAliasRow.alias).order_by(KBEventAliasRow.id)
            ):
                event_aliases[owner].append(alias)
            athletes = tuple(
                Athlete(
                    id=r.id,
                    name=r.name,
                    aliases=tuple(athlete_aliases[r.id]),
                    country=r.country,
                    discipline=r.discipline,
                    sex=r.sex,
                    birth_year=r.birth_year,
                )  # fmt: skip
                for r in conn.execute(select(table(KBAthleteRow)).order_by(KBAthleteRow.id))
            )
            events = tuple(
                Event(
                    id=r.id,
                    name=r.name,
                    kind=r.kind,
                    year=r.year,
                    aliases=tuple(event_aliases[r.id]),
                    city=r.city,
                    country=r.country,
                    start=r.start_date,
                    end=r.end_date,
                )  # fmt: skip
                for r in conn.execute(select(table(KBEventRow)).order_by(KBEventRow.id))
            )
            results, records = kb_results.load_results(conn), kb_results.load_records(conn)
        return KnowledgeBase(athletes=athletes, events=events, results=results, records=records)

    def get_athlete(self, athlete_id: int) -> Athlete:
        with self._db.sessions() as session:
            return athlete_value(self._athlete_row(session, athlete_id))

    def get_event(self, event_id: int) -> Event:
        with self._db.sessions() as session:
            return event_value(self._event_row(session, event_id))

    def find(self, name_or_alias: str) -> Athlete | Event | None:
        """An athlete or event by exact name, then alias, then ignoring case and accents; an
        entity key ("athlete:Josh Kerr", "event:Bislett Games 2024") works too. Of the
        editions of a meeting, the latest is returned."""
        wanted = " ".join(name_or_alias.split())
        if not wanted:
            return None
        kb = self.load()
        found = kb.get(wanted)
        if found is not None:
            return found
        events = sorted(kb.events, key=lambda e: e.year or 0, reverse=True)
        entries: list[Athlete | Event] = [*kb.athletes, *events]
        for matches in (
            lambda e: e.name == wanted,
            lambda e: wanted in e.aliases,
            lambda e: kbcsv.fold(wanted) in {kbcsv.fold(n) for n in (e.name, *e.aliases)},
        ):
            for entry in entries:
                if matches(entry):
                    return entry
        return None

    def stats(self) -> KBStats:
        with self._db.engine.connect() as conn:
            # Comprehensions, not dict(result): a Result has keys() and dict() would take it
            # for a mapping.
            disciplines = {
                discipline: count
                for discipline, count in conn.execute(
                    select(KBAthleteRow.discipline, func.count()).group_by(KBAthleteRow.discipline)
                )
            }
            kinds = {
                kind: count
                for kind, count in conn.execute(
                    select(KBEventRow.kind, func.count()).group_by(KBEventRow.kind)
                )
            }
        return KBStats(
            athletes=sum(disciplines.values()),
            events=sum(kinds.values()),
            athletes_by_discipline=disciplines,
            events_by_kind=kinds,
        )

    # -- files -----------------------------------------------------------------------------

    def import_csv(self, path: str | os.PathLike[str]) -> ImportSummary:
        """Upsert a file's rows (athletes by name, events by name and year); entries not in the
        file stay. A row replaces the stored entry whole, aliases included."""
        return self.import_csvs([path])[0]

    def import_csvs(self, paths: Iterable[str | os.PathLike[str]]) -> list[ImportSummary]:
        """Several files, each kind told by its header, in one transaction: a bad file
        anywhere leaves the knowledge base as it was."""
        kinds = [(kbcsv.detect_kind(path), path) for path in map(Path, paths)]
        # Medals and records are read once the same import's athletes and events are in.
        later = [(k, p) for k, p in kinds if k in kb_results.RESULT_KINDS]
        parsed = [(k, p, read_file(k, p)) for k, p in kinds if k not in kb_results.RESULT_KINDS]
        summaries = []
        with self._db.session() as session:
            for kind, path, entries in parsed:
                upsert = upsert_athletes if kind == "athletes" else upsert_events
                summaries.append(upsert(session, entries, str(path)))
                log.info("imported %s: %s", path, summaries[-1])
            session.flush()
            summaries += kb_results.import_files(session, later)
        return summaries

    def export_csv(self, folder: str | os.PathLike[str]) -> tuple[Path, Path, Path, Path]:
        """Write athletes.csv, events.csv, results.csv and records.csv, in the bundled files'
        order, so that a diff against them shows only real changes."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        kb = self.load()
        athletes_path, events_path = folder / "athletes.csv", folder / "events.csv"
        kbcsv.write_athletes(athletes_path, sorted(kb.athletes, key=athlete_order))
        kbcsv.write_events(events_path, sorted(kb.events, key=event_order))
        with self._db.engine.connect() as conn:
            results_path, records_path = kb_results.export_files(conn, folder)
        return athletes_path, events_path, results_path, records_path

    def seed_bundled_if_new(self) -> bool:
        """Import resources/kb/*.csv the first time a database is opened; True if it did.

        Costs one lookup on a seeded database. An invalid bundled file is logged, not raised:
        the window must still open. Results and records are marked apart (kb_results).
        """
        keys = (SEEDED_KEY, kb_results.RESULTS_SEEDED_KEY)
        with self._db.engine.connect() as conn:
            done = set(conn.scalars(select(MetaRow.key).where(MetaRow.key.in_(keys))))
        seeded = SEEDED_KEY not in done and self._seed_bundled()
        if kb_results.RESULTS_SEEDED_KEY not in done:
            kb_results.seed_bundled_results(self._db, resource)
        return seeded

    def _seed_bundled(self) -> bool:
        with self._db.engine.connect() as conn:
            if conn.scalar(select(MetaRow.key).where(MetaRow.key == SEEDED_KEY)) is not None:
                return False
        files: list[tuple[kbcsv.Kind, Path]] = [
            (kind, resource("kb", f"{kind}.csv")) for kind in ("athletes", "events")
        ]
        present = [(kind, path) for kind, path in files if path.is_file()]
        if not present:
            log.debug("no bundled knowledge base to seed")
            return False
        try:
            parsed = [(kind, path, read_file(kind, path)) for kind, path in present]
            with self._db.session() as session:
                what = ", ".join(f"{path.name} ({len(entries)} rows)"
                                 for _, path, entries in parsed)  # fmt: skip
                claim_seeding(session, SEEDED_KEY, what)
                for kind, path, entries in parsed:
                    upsert = upsert_athletes if kind == "athletes" else upsert_events
                    log.info("seeded %s", upsert(session, entries, str(path)))
        except AlreadySeeded:
            return False
        except KBError as exc:
            log.warning("the bundled knowledge base was not imported: %s", exc)
            return False
        return True

    # -- editing ---------------------------------------------------------------------------

    @staticmethod
    def _athlete_row(session: Session, athlete_id: int) -> KBAthleteRow:
        row = session.get(KBAthleteRow, athlete_id)
        if row is None:
            raise NotFound(f"athlete {athlete_id} no longer exists")
        return row

    @staticmethod
    def _event_row(session: Session, event_id: int) -> KBEventRow:
        row = session.get(KBEventRow, event_id)
        if row is None:
            raise NotFound(f"event {event_id} no longer exists")
        return row

    def add_athlete(
        self,
        *,
        name: str,
        aliases: Iterable[str] = (),
        country: str | None = None,
        discipline: str | None = None,
        sex: str | None = None,
        birth_year: int | None = None,
    ) -> Athlete:
        """Raises KBError (a ValueError) for an invalid field, a name that exists or an alias
        that names someone else."""
        return self._insert_athlete(
            Athlete(name=name, aliases=tuple(aliases), country=country, discipline=discipline,
                    sex=sex, birth_year=birth_year)
        )  # fmt: skip

    def restore_athlete(self, athlete: Athlete) -> Athlete:
        """Re-insert a deleted athlete with its old id (undo of delete, redo of add), so that
        commands further down the undo stack still find it."""
        if athlete.id is None:
            raise ValueError("only a stored athlete can be restored")
        return self._insert_athlete(athlete)

    def _insert_athlete(self, wanted: Athlete) -> Athlete:
        with self._db.session() as session:
            if wanted.id is not None and session.get(KBAthleteRow, wanted.id) is not None:
                raise KBError(f"athlete {wanted.id} already exists")
            athlete = check_athlete_edit(session, wanted, own_id=None)
            row = KBAthleteRow(id=wanted.id, name=athlete.name)
            session.add(row)
            set_athlete(session, row, athlete)
            session.flush()
            return athlete_value(row)

    def update_athlete(
        self,
        athlete_id: int,
        *,
        name: str | Unset = UNSET,
        aliases: Iterable[str] | Unset = UNSET,
        country: str | None | Unset = UNSET,
        discipline: str | None | Unset = UNSET,
        sex: str | None | Unset = UNSET,
        birth_year: int | None | Unset = UNSET,
    ) -> tuple[Athlete, Athlete]:
        """Change the fields given; returns (before, after) for undo."""
        changes = dict(name=name, aliases=aliases, country=country, discipline=discipline,
                       sex=sex, birth_year=birth_year)  # fmt: skip
        with self._db.session() as session:
            row = self._athlete_row(session, athlete_id)
            before = athlete_value(row)
            after = check_athlete_edit(session, changed_entry(before, changes), own_id=athlete_id)
            set_athlete(session, row, after)
            session.flush()
            return before, athlete_value(row)

    def delete_athlete(self, athlete_id: int) -> Athlete:
        """Delete and return the athlete as it was (aliases included), so undo can re-add it."""
        with self._db.session() as session:
            row = self._athlete_row(session, athlete_id)
            before = athlete_value(row)
            session.delete(row)
            return before

    def add_event(
        self,
        *,
        name: str,
        kind: str,
        year: int | None = None,
        aliases: Iterable[str] = (),
        city: str | None = None,
        country: str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> Event:
        return self._insert_event(
            Event(name=name, kind=kind, year=year, aliases=tuple(aliases), city=city,
                  country=country, start=start, end=end)
        )  # fmt: skip

    def restore_event(self, event: Event) -> Event:
        """Re-insert a deleted event with its old id (undo of delete, redo of add)."""
        if event.id is None:
            raise ValueError("only a stored event can be restored")
        return self._insert_event(event)

    def _insert_event(self, wanted: Event) -> Event:
        with self._db.session() as session:
            if wanted.id is not None and session.get(KBEventRow, wanted.id) is not None:
                raise KBError(f"event {wanted.id} already exists")
            event = check_event_edit(session, wanted, own_id=None)
            row = KBEventRow(id=wanted.id, name=event.name, kind=event.kind)
            session.add(row)
            set_event(session, row, event)
            session.flush()
            return event_value(row)

    def update_event(
        self,
        event_id: int,
        *,
        name: str | Unset = UNSET,
        kind: str | Unset = UNSET,
        year: int | None | Unset = UNSET,
        aliases: Iterable[str] | Unset = UNSET,
        city: str | None | Unset = UNSET,
        country: str | None | Unset = UNSET,
        start: dt.date | None | Unset = UNSET,
        end: dt.date | None | Unset = UNSET,
    ) -> tuple[Event, Event]:
        """Change the fields given; returns (before, after) for undo."""
        changes = dict(name=name, kind=kind, year=year, aliases=aliases, city=city,
                       country=country, start=start, end=end)  # fmt: skip
        with self._db.session() as session:
            row = self._event_row(session, event_id)
            before = event_value(row)
            after = check_event_edit(session, changed_entry(before, changes), own_id=event_id)
            set_event(session, row, after)
            session.flush()
            return before, event_value(row)

    def delete_event(self, event_id: int) -> Event:
        with self._db.session() as session:
            row = self._event_row(session, event_id)
            before = event_value(row)
            session.delete(row)
            return before
