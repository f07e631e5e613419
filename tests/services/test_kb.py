"""The knowledge-base service on real SQLite files: seeding, import/export, editing, and the
migration that added its tables."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import event, inspect

import annotator.services.kb as kb_service
from annotator.core.kb import Athlete, Event, KBError, KnowledgeBase
from annotator.core.kbcsv import read_athletes, read_events, write_athletes, write_events
from annotator.core.resources import resource
from annotator.services.annotations import NotFound
from annotator.services.app import open_app
from annotator.services.kb import SEEDED_KEY, ImportSummary, KnowledgeBaseService
from annotator.store.database import alembic_config, head_revision, open_database, resolve_url

BUNDLED_ATHLETES = [
    Athlete(name="Jakob Ingebrigtsen", country="NOR", discipline="middle_distance", sex="M",
            birth_year=2000),
    Athlete(name="Armand Duplantis", aliases=("Mondo Duplantis", "Mondo"), country="SWE",
            discipline="jumps", sex="M", birth_year=1999),
    Athlete(name="Kristjan Čeh", aliases=("Kristjan Ceh",), country="SLO", discipline="throws",
            sex="M"),
]  # fmt: skip
BUNDLED_EVENTS = [
    Event(name="Bislett Games", kind="diamond_league", year=2024, aliases=("Oslo DL",),
          city="Oslo", country="NOR", start=dt.date(2024, 5, 30), end=dt.date(2024, 5, 30)),
    Event(name="Bislett Games", kind="diamond_league", year=2025, aliases=("Oslo DL",),
          city="Oslo", country="NOR", start=dt.date(2025, 6, 12), end=dt.date(2025, 6, 12)),
    Event(name="Olympic Games Paris 2024", kind="olympics", year=2024, aliases=("Paris 2024",)),
]  # fmt: skip


# Seeding reads small files made here (below), so no test may share the session's template.
pytestmark = pytest.mark.fresh_database


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    folder = tmp_path / "bundled"
    (folder / "kb").mkdir(parents=True)
    write_athletes(folder / "kb" / "athletes.csv", BUNDLED_ATHLETES)
    write_events(folder / "kb" / "events.csv", BUNDLED_EVENTS)
    return folder


@pytest.fixture(autouse=True)
def _small_bundled_kb(bundled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Autouse, so it is in place before the `app` fixture opens (and seeds) the database.
    monkeypatch.setattr(kb_service, "resource", lambda *parts: bundled.joinpath(*parts))


def _plain(kb: KnowledgeBase) -> tuple[set, set]:
    """The entries without database ids, to compare knowledge bases across databases."""

    def strip(entry):
        return dataclasses.replace(entry, id=None)

    return {strip(a) for a in kb.athletes}, {strip(e) for e in kb.events}


def _meta(db_path: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(db_path)) as raw:
        return raw.execute("SELECT key, value FROM meta").fetchall()


# -- seeding --------------------------------------------------------------------------------


def test_a_new_database_is_seeded_with_the_bundled_files(app, db_path):
    kb = app.kb.load()
    assert [dataclasses.replace(a, id=None) for a in kb.athletes] == BUNDLED_ATHLETES
    assert [dataclasses.replace(e, id=None) for e in kb.events] == BUNDLED_EVENTS
    assert all(a.id is not None for a in kb.athletes)
    [(key, value)] = _meta(db_path)
    assert key == SEEDED_KEY and "athletes.csv (3 rows)" in value


def test_seeding_happens_once_so_deleted_entries_stay_deleted(app, db_path):
    mondo = app.kb.find("Mondo")
    app.kb.delete_athlete(mondo.id)
    app.close()
    reopened = open_app(db_path, annotator="tester")
    try:
        assert reopened.kb.find("Armand Duplantis") is None
        assert len(reopened.kb.load().athletes) == 2
        assert reopened.kb.seed_bundled_if_new() is False
    finally:
        reopened.close()


def test_a_seeded_database_costs_one_query_at_start(app):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if not statement.startswith("BEGIN"):  # SQLite's BEGIN is sent by the store
            statements.append(statement)

    event.listen(app.db.engine, "before_cursor_execute", count)
    try:
        assert app.kb.seed_bundled_if_new() is False
    finally:
        event.remove(app.db.engine, "before_cursor_execute", count)
    assert len(statements) == 1 and "meta" in statements[0]


def test_without_bundled_files_nothing_is_seeded_until_they_appear(bundled, db_path):
    moved = bundled.with_name("elsewhere")
    bundled.rename(moved)
    first = open_app(db_path, annotator="tester")
    try:
        assert first.kb.load() == KnowledgeBase()
        assert _meta(db_path) == []
    finally:
        first.close()
    moved.rename(bundled)
    second = open_app(db_path, annotator="tester")
    try:
        assert len(second.kb.load().athletes) == 3
    finally:
        second.close()


def test_a_broken_bundled_file_is_logged_and_the_app_still_opens(bundled, db_path, caplog):
    athletes = bundled / "kb" / "athletes.csv"
    athletes.write_text(athletes.read_text(encoding="utf-8") + "X Y,,NOR,,M,soon\n", "utf-8")
    with caplog.at_level(logging.WARNING, logger="annotator.services.kb"):
        opened = open_app(db_path, annotator="tester")
    try:
        assert opened.kb.load() == KnowledgeBase()  # all or nothing: the events wait too
        assert _meta(db_path) == []
    finally:
        opened.close()
    assert "birth_year 'soon' is not a year" in caplog.text


def test_the_real_bundled_files_seed_a_database(monkeypatch, db_path):
    monkeypatch.setattr(kb_service, "resource", resource)
    athletes_csv, events_csv = resource("kb", "athletes.csv"), resource("kb", "events.csv")
    opened = open_app(db_path, annotator="tester")
    try:
        kb = opened.kb.load()
        assert len(kb.athletes) == len(read_athletes(athletes_csv))
        assert len(kb.events) == len(read_events(events_csv))
    finally:
        opened.close()


# -- import and export ----------------------------------------------------------------------


def test_import_upserts_athletes_by_name_and_replaces_aliases(app, tmp_path):
    path = tmp_path / "more.csv"
    write_athletes(path, [
        Athlete(name="Armand Duplantis", aliases=("Mondo", "Armand Mondo Duplantis"),
                country="SWE", discipline="jumps", sex="M", birth_year=1999),
        Athlete(name="Jakob Ingebrigtsen", country="NOR", discipline="middle_distance", sex="M",
                birth_year=2000),
        Athlete(name="Femke Bol", country="NED", discipline="hurdles", sex="F"),
    ])  # fmt: skip
    summary = app.kb.import_csv(path)
    assert summary == ImportSummary("athletes", added=1, updated=1, unchanged=1)
    assert str(summary) == "athletes: 1 added, 1 updated, 1 unchanged"
    assert app.kb.find("Mondo").aliases == ("Mondo", "Armand Mondo Duplantis")
    assert app.kb.find("Mondo Duplantis") is None
    assert app.kb.find("Kristjan Čeh") is not None  # not in the file: stays
    assert app.kb.import_csv(path) == ImportSummary("athletes", 0, 0, 3)


def test_import_upserts_events_by_name_and_year(app, tmp_path):
    path = tmp_path / "events.csv"
    write_events(path, [
        Event(name="Bislett Games", kind="diamond_league", year=2025, aliases=("Oslo DL",),
              city="Oslo", country="NOR", start=dt.date(2025, 6, 11), end=dt.date(2025, 6, 11)),
        Event(name="Bislett Games", kind="diamond_league", year=2026, aliases=("Oslo DL",)),
    ])  # fmt: skip
    assert str(app.kb.import_csv(path)) == "events: 1 added, 1 updated, 0 unchanged"
    editions = sorted((e.year, e.start) for e in app.kb.load().events if e.name == "Bislett Games")
    assert editions == [(2024, dt.date(2024, 5, 30)), (2025, dt.date(2025, 6, 11)), (2026, None)]


def test_import_refuses_an_alias_that_names_a_stored_athlete_and_changes_nothing(app, tmp_path):
    good = tmp_path / "good.csv"
    write_athletes(good, [Athlete(name="Femke Bol", country="NED")])
    bad = tmp_path / "bad.csv"
    write_athletes(bad, [Athlete(name="Mondo Smith", aliases=("mondo",))])
    before = app.kb.load()
    with pytest.raises(
        KBError,
        match=r"bad\.csv: athlete 'Mondo Smith': alias 'mondo' is "
        r"already a name or alias of 'Armand Duplantis'",
    ):
        app.kb.import_csvs([good, bad])
    assert app.kb.load() == before


def test_export_then_import_into_a_fresh_database_gives_the_same_kb(app, tmp_path):
    app.kb.add_athlete(name="Femke Bol", aliases=("Bol",), country="NED", discipline="hurdles")
    app.kb.delete_athlete(app.kb.find("Jakob Ingebrigtsen").id)
    paris = app.kb.find("Paris 2024")
    app.kb.update_event(paris.id, city="Paris", country="FRA")
    athletes_csv, events_csv, *_ = app.kb.export_csv(tmp_path / "out" / "kb")
    assert (athletes_csv.name, events_csv.name) == ("athletes.csv", "events.csv")
    # The export is sorted as the bundled files are: by name ignoring accents; by year.
    assert [a.name for a in read_athletes(athletes_csv)] == [
        "Armand Duplantis", "Femke Bol", "Kristjan Čeh"
    ]  # fmt: skip

    fresh = open_database(tmp_path / "fresh.sqlite3")  # no app: nothing seeded
    try:
        service = KnowledgeBaseService(fresh)
        summaries = service.import_csvs([events_csv, athletes_csv])
        assert [(s.kind, s.added) for s in summaries] == [("events", 3), ("athletes", 3)]
        assert _plain(service.load()) == _plain(app.kb.load())
    finally:
        fresh.close()


# -- editing --------------------------------------------------------------------------------


def test_add_update_delete_restore_an_athlete(app):
    bol = app.kb.add_athlete(name=" Femke  Bol ", aliases=["Bol F."], country="NED", sex="F")
    assert bol.id is not None and bol.name == "Femke Bol"
    assert app.kb.get_athlete(bol.id) == bol
    # "Bol F." stays while "F. Bol" comes first: the stored aliases are replaced, in order.
    before, after = app.kb.update_athlete(
        bol.id, discipline="hurdles", aliases=("F. Bol", "Bol F.")
    )
    assert before == bol
    assert after == dataclasses.replace(bol, discipline="hurdles", aliases=("F. Bol", "Bol F."))
    _, cleared = app.kb.update_athlete(bol.id, country=None)
    assert cleared.country is None and cleared.sex == "F"
    deleted = app.kb.delete_athlete(bol.id)
    assert deleted == cleared
    assert app.kb.find("Femke Bol") is None
    with pytest.raises(NotFound):
        app.kb.delete_athlete(bol.id)
    assert app.kb.restore_athlete(deleted) == deleted  # same id, for the undo stack
    assert app.kb.find("F. Bol") == deleted


def test_duplicates_and_ambiguous_aliases_are_refused(app):
    with pytest.raises(ValueError, match="an athlete named 'Armand Duplantis' already exists"):
        app.kb.add_athlete(name="Armand Duplantis")
    with pytest.raises(ValueError, match="'kristjan ceh' is already a name or alias of 'Kristjan"):
        app.kb.add_athlete(name="Kris Smith", aliases=("kristjan ceh",))
    jakob = app.kb.find("Jakob Ingebrigtsen")
    with pytest.raises(ValueError, match="already exists"):
        app.kb.update_athlete(jakob.id, name="Kristjan Čeh")
    with pytest.raises(ValueError, match="discipline 'mile'"):
        app.kb.update_athlete(jakob.id, discipline="mile")
    with pytest.raises(ValueError, match="the event 'Bislett Games' 2024 already exists"):
        app.kb.add_event(name="Bislett Games", kind="diamond_league", year=2024)
    with pytest.raises(ValueError, match="alias 'Paris 2024' is already"):
        app.kb.add_event(
            name="Paris Marathon", kind="named_race", year=2024, aliases=["Paris 2024"]
        )
    assert app.kb.find("Jakob Ingebrigtsen") == jakob  # nothing changed


def test_add_update_delete_an_event(app):
    # A new edition of a meeting may share the meeting's aliases.
    dl = app.kb.add_event(name="Bislett Games", kind="diamond_league", year=2026,
                          aliases=["Oslo DL"], start=dt.date(2026, 6, 10))  # fmt: skip
    assert dl.end is None and dl.id is not None
    with pytest.raises(ValueError, match="after end_date"):
        app.kb.update_event(dl.id, end=dt.date(2026, 6, 1))
    before, after = app.kb.update_event(dl.id, city="Oslo", end=dt.date(2026, 6, 10))
    assert before == dl and (after.city, after.end) == ("Oslo", dt.date(2026, 6, 10))
    assert app.kb.delete_event(dl.id) == after
    assert app.kb.restore_event(after) == after
    with pytest.raises(NotFound):
        app.kb.update_event(999, city="Bergen")


def test_find_by_name_alias_key_or_folded_spelling(app):
    assert app.kb.find("Armand Duplantis").name == "Armand Duplantis"
    assert app.kb.find("Mondo").name == "Armand Duplantis"
    assert app.kb.find("KRISTJAN  ČEH").name == "Kristjan Čeh"
    assert app.kb.find("athlete:Kristjan Čeh").name == "Kristjan Čeh"
    assert app.kb.find("event:Bislett Games 2024").year == 2024
    assert app.kb.find("Oslo DL").year == 2025  # the latest edition
    assert app.kb.find("Usain Bolt") is None
    assert app.kb.find("  ") is None


def test_stats_count_by_discipline_and_kind(app):
    app.kb.add_athlete(name="Someone New")
    stats = app.kb.stats()
    assert (stats.athletes, stats.events) == (4, 3)
    assert stats.athletes_by_discipline == {
        "middle_distance": 1, "jumps": 1, "throws": 1, None: 1
    }  # fmt: skip
    assert stats.events_by_kind == {"diamond_league": 2, "olympics": 1}


# -- the migration ----------------------------------------------------------------------------


def test_upgrading_a_0001_database_keeps_documents_and_spans(db_path):
    cfg = alembic_config(resolve_url(db_path))
    command.upgrade(cfg, "0001")
    with closing(sqlite3.connect(db_path)) as raw, raw:
        raw.execute("INSERT INTO documents (id, title, sha256) VALUES (7, 'Kerr wins', 'abc')")
        raw.execute("INSERT INTO document_texts VALUES (7, 'Josh Kerr won the 1500m.')")
        raw.execute("INSERT INTO labels (key, name, color) VALUES ('athlete', 'Athlete', '#123')")
        raw.execute(
            'INSERT INTO annotations (id, document_id, start, "end", label, text, note)'
            " VALUES (3, 7, 0, 9, 'athlete', 'Josh Kerr', 'checked')"
        )
    opened = open_database(db_path)
    try:
        with opened.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            assert {"meta", "kb_athletes", "kb_athlete_aliases", "kb_events",
                    "kb_event_aliases"} <= tables  # fmt: skip
            version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            assert version == head_revision()
            assert conn.exec_driver_sql("SELECT title FROM documents").all() == [("Kerr wins",)]
            assert conn.exec_driver_sql("SELECT text FROM document_texts").scalar() == (
                "Josh Kerr won the 1500m."
            )
            assert conn.exec_driver_sql(
                "SELECT id, document_id, text, note, rule, layer, version FROM annotations"
            ).all() == [(3, 7, "Josh Kerr", "checked", None, "", 1)]
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    finally:
        opened.close()
