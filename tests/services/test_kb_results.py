"""The results knowledge base in real databases (SQLite file and PostgreSQL): seeding from the
bundled results.csv and records.csv, import with names checked against the KB, export that
imports back, links that follow the athletes, and databases seeded before migration 0006."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import delete

from annotator.core import kbcsv_results
from annotator.core.kb import KBError
from annotator.core.kb_results import MedalResult, WorldRecord
from annotator.core.resources import resource
from annotator.services.app import open_app
from annotator.services.kb_results import RESULTS_SEEDED_KEY
from annotator.store.models import KBRecordRow, KBResultRow, MetaRow


def _plain(rows):
    return {dataclasses.replace(r, id=None) for r in rows}


def test_a_new_database_holds_the_bundled_results_and_records(app):
    kb = app.kb.load()
    bundled_results = kbcsv_results.read_results(resource("kb", "results.csv"))
    bundled_records = kbcsv_results.read_records(resource("kb", "records.csv"))
    assert _plain(kb.results) == set(bundled_results)
    assert _plain(kb.records) == set(bundled_records)
    kerr = [r for r in kb.results if r.athlete == "Josh Kerr" and r.date.year == 2023]
    assert [(r.competition, r.discipline, r.place, r.mark) for r in kerr] == [
        ("World Athletics Championships Budapest 2023", "1500m", 1, "3:29.38")
    ]


def test_import_upserts_and_refuses_unknown_names_with_the_line(app, tmp_path: Path):
    path = tmp_path / "results.csv"
    fixed = MedalResult(
        "Paris Olympics",
        "1500m",
        "M",
        1,
        "Cole Hocker",
        dt.date(2024, 8, 6),
        "test: corrected source",
        "USA",
        "3:27.65",
    )
    kbcsv_results.write_results(path, [fixed])
    [summary] = app.kb.import_csvs([path])
    assert (summary.kind, summary.added, summary.updated) == ("results", 0, 1)
    stored = [
        r
        for r in app.kb.load().results
        if r.athlete == "Cole Hocker" and r.competition == "Paris Olympics"
    ]
    assert [r.source for r in stored] == ["test: corrected source"]

    before = _plain(app.kb.load().results)
    unknown = dataclasses.replace(fixed, athlete="Cole Hockerr")
    kbcsv_results.write_results(path, [fixed, unknown])
    with pytest.raises(KBError, match=r"line 3: athlete 'Cole Hockerr' is not in the knowledge"):
        app.kb.import_csvs([path])
    assert _plain(app.kb.load().results) == before


def test_results_may_name_athletes_imported_in_the_same_call(app, tmp_path: Path):
    athletes = tmp_path / "athletes.csv"
    athletes.write_text(
        "name,aliases,country,discipline,sex,birth_year\nZed Testrunner,,NOR,middle_distance,M,\n",
        encoding="utf-8",
    )
    records = tmp_path / "records.csv"
    kbcsv_results.write_records(
        records,
        [
            WorldRecord(
                "mile",
                "M",
                "3:40.00",
                "Zed Testrunner",
                dt.date(2026, 7, 1),
                "Oslo",
                "current",
                "test: invented record",
            )
        ],
    )
    summaries = app.kb.import_csvs([records, athletes])
    assert [(s.kind, s.added) for s in summaries] == [("athletes", 1), ("records", 1)]
    assert [r.athlete for r in app.kb.load().records if r.discipline == "mile"] == [
        "Zed Testrunner"
    ]


def test_export_writes_files_that_import_back_unchanged(app, tmp_path: Path):
    paths = app.kb.export_csv(tmp_path / "out")
    assert [p.name for p in paths] == ["athletes.csv", "events.csv", "results.csv", "records.csv"]
    summaries = app.kb.import_csvs(paths)
    assert [(s.kind, s.added, s.updated) for s in summaries[2:]] == [
        ("results", 0, 0),
        ("records", 0, 0),
    ]
    assert (tmp_path / "out" / "results.csv").read_text(encoding="utf-8").splitlines()[0] == (
        "competition,discipline,sex,place,athlete,country,mark,date,source"
    )


def test_deleting_an_athlete_deletes_their_medals_and_records(app):
    bol = app.kb.find("Femke Bol")
    assert any(r.athlete == "Femke Bol" for r in app.kb.load().results)
    app.kb.delete_athlete(bol.id)
    assert not any(r.athlete == "Femke Bol" for r in app.kb.load().results)


def test_a_database_seeded_before_the_results_gets_them_once(db_url):
    app = open_app(db_url, annotator="tester")
    try:
        count = len(app.kb.load().results)
        femke = app.kb.find("Femke Bol")
        with app.db.session() as session:  # as a database from before migration 0006 was
            session.execute(delete(KBResultRow))
            session.execute(delete(KBRecordRow))
            session.execute(delete(MetaRow).where(MetaRow.key == RESULTS_SEEDED_KEY))
        app.kb.delete_athlete(femke.id)  # the user deleted someone the results name
    finally:
        app.close()
    app = open_app(db_url, annotator="tester")
    try:
        kb = app.kb.load()
        assert 0 < len(kb.results) < count  # her rows skipped, the rest seeded
        assert not any(r.athlete == "Femke Bol" for r in kb.results)
        assert kb.records
    finally:
        app.close()
