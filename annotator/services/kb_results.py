"""The knowledge base's medals and world records in the database: loading them for the claim
checks, importing and exporting results.csv and records.csv.

A row links to its athlete and event by id; files name them, so importing looks the names up
in the same transaction (after the athletes and events of the same import), and a name the
knowledge base does not hold refuses the file with its line.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from annotator.core import kbcsv_results
from annotator.core.kb import KBError
from annotator.core.kb_results import MedalResult, WorldRecord
from annotator.store.database import Database
from annotator.store.models import (
    KBAthleteRow,
    KBEventRow,
    KBRecordRow,
    KBResultRow,
    table,
)

from .kb_rows import AlreadySeeded, ImportSummary, claim_seeding

log = logging.getLogger(__name__)

#: Meta key: the bundled results and records were imported once (databases seeded before
#: migration 0006 get them on their next start).
RESULTS_SEEDED_KEY = "kb.bundled_results_seeded"
RESULT_KINDS = ("results", "records")


def load_results(conn: Connection) -> tuple[MedalResult, ...]:
    a, e, r = table(KBAthleteRow), table(KBEventRow), table(KBResultRow)
    query = (
        select(r, a.c.name.label("athlete_name"), e.c.name.label("event_name"))
        .join(a, a.c.id == r.c.athlete_id).join(e, e.c.id == r.c.event_id)
        .order_by(r.c.id)
    )  # fmt: skip
    return tuple(
        MedalResult(
            id=row.id,
            competition=row.event_name,
            discipline=row.discipline,
            sex=row.sex,
            place=row.place,
            athlete=row.athlete_name,
            country=row.country,
            mark=row.mark,
            date=row.date,
            source=row.source,
        )  # fmt: skip
        for row in conn.execute(query)
    )


def load_records(conn: Connection) -> tuple[WorldRecord, ...]:
    a, r = table(KBAthleteRow), table(KBRecordRow)
    query = (
        select(r, a.c.name.label("athlete_name")).join(a, a.c.id == r.c.athlete_id)
        .order_by(r.c.id)
    )  # fmt: skip
    return tuple(
        WorldRecord(
            id=row.id,
            discipline=row.discipline,
            sex=row.sex,
            mark=row.mark,
            athlete=row.athlete_name,
            country=row.country,
            date=row.date,
            city=row.city,
            status=row.status,
            source=row.source,
        )  # fmt: skip
        for row in conn.execute(query)
    )


def import_files(session: Session, files: Sequence[tuple[str, Path]]) -> list[ImportSummary]:
    """Read and upsert results.csv / records.csv files against what the session holds."""
    athletes, events = _names(session)
    summaries = []
    for kind, path in files:
        if kind == "results":
            results = kbcsv_results.read_results(
                path, athletes=athletes, competition_known=lambda n, y: (n, y) in events
            )
            summaries.append(_upsert_results(session, results, athletes, events))
        else:
            records = kbcsv_results.read_records(path, athletes=athletes)
            summaries.append(_upsert_records(session, records, athletes))
    return summaries


def _names(session: Session) -> tuple[dict[str, int], dict[tuple[str, int | None], int]]:
    """Athlete ids by name and event ids by (name, year)."""
    athletes = {
        name: aid for aid, name in session.execute(select(KBAthleteRow.id, KBAthleteRow.name))
    }
    events = {(name, year): eid for eid, name, year in session.execute(
        select(KBEventRow.id, KBEventRow.name, KBEventRow.year))}  # fmt: skip
    return athletes, events


def _upsert_results(session: Session, results: list[MedalResult], athletes: dict[str, int],
                    events: dict[tuple[str, int | None], int]) -> ImportSummary:  # fmt: skip
    rows = {(r.event_id, r.discipline, r.sex, r.athlete_id): r
            for r in session.scalars(select(KBResultRow))}  # fmt: skip
    added = updated = 0
    for res in results:
        fields = dict(place=res.place, country=res.country, mark=res.mark, date=res.date,
                      source=res.source)  # fmt: skip
        key = (events[res.competition, res.date.year], res.discipline, res.sex,
               athletes[res.athlete])  # fmt: skip
        row = rows.get(key)
        if row is None:
            row = KBResultRow(event_id=key[0], discipline=key[1], sex=key[2], athlete_id=key[3],
                              **fields)  # fmt: skip
            session.add(row)
            rows[key] = row
            added += 1
        elif any(getattr(row, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(row, k, v)
            updated += 1
    session.flush()
    return ImportSummary("results", added, updated, len(results) - added - updated)


def _upsert_records(session: Session, records: list[WorldRecord],
                    athletes: dict[str, int]) -> ImportSummary:  # fmt: skip
    rows = {(r.discipline, r.sex, r.mark): r for r in session.scalars(select(KBRecordRow))}
    added = updated = 0
    for rec in records:
        fields = dict(athlete_id=athletes[rec.athlete], country=rec.country, date=rec.date,
                      city=rec.city, status=rec.status, source=rec.source)  # fmt: skip
        key = (rec.discipline, rec.sex, rec.mark)
        row = rows.get(key)
        if row is None:
            row = KBRecordRow(discipline=rec.discipline, sex=rec.sex, mark=rec.mark, **fields)
            session.add(row)
            rows[key] = row
            added += 1
        elif any(getattr(row, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(row, k, v)
            updated += 1
    session.flush()
    return ImportSummary("records", added, updated, len(records) - added - updated)


def export_files(conn: Connection, folder: Path) -> tuple[Path, Path]:
    """results.csv and records.csv, in the bundled files' order."""
    results_path, records_path = folder / "results.csv", folder / "records.csv"
    results = sorted(
        load_results(conn),
        key=lambda r: (r.date, r.competition, r.sex, r.discipline, r.place, r.athlete),
    )
    records = sorted(load_records(conn), key=lambda r: (r.sex, r.discipline, r.date))
    kbcsv_results.write_results(results_path, [dataclasses.replace(r, id=None) for r in results])
    kbcsv_results.write_records(records_path, [dataclasses.replace(r, id=None) for r in records])
    return results_path, records_path


def seed_bundled_results(db: Database, resource: Callable[..., Path]) -> bool:
    """Import the bundled results.csv and records.csv into a database that has not had them;
    True if it did. The caller has checked the meta key. Rows naming an athlete or event the
    database no longer holds (the user deleted it) are skipped, not fatal; an invalid file is
    logged, not raised: the window must still open."""
    files = [(kind, resource("kb", f"{kind}.csv")) for kind in RESULT_KINDS]
    files = [(kind, path) for kind, path in files if path.is_file()]
    if not files:
        return False
    try:
        with db.session() as session:
            claim_seeding(session, RESULTS_SEEDED_KEY, "bundled results")
            athletes, events = _names(session)
            for kind, path in files:
                if kind == "results":
                    rows = kbcsv_results.read_results(path)
                    kept = [r for r in rows if r.athlete in athletes
                            and (r.competition, r.date.year) in events]  # fmt: skip
                    summary = _upsert_results(session, kept, athletes, events)
                    read = len(rows)
                else:
                    records = kbcsv_results.read_records(path)
                    kept_records = [r for r in records if r.athlete in athletes]
                    summary = _upsert_records(session, kept_records, athletes)
                    read = len(records)
                skipped = read - summary.added - summary.updated - summary.unchanged
                log.info(
                    "seeded %s%s",
                    summary,
                    f" ({skipped} naming deleted entries skipped)" if skipped else "",
                )
    except AlreadySeeded:
        return False
    except KBError as exc:
        log.warning("the bundled results were not imported: %s", exc)
        return False
    return True
