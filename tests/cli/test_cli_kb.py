"""`annotator kb ...`, run as a user runs it: `python -m annotator` in a subprocess.

The database is seeded with whatever resources/kb holds, so these tests use made-up names
and count relative to what is there.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from cli_helpers import assert_one_line_error, new_database, run_cli

from annotator.core.kb import Athlete, Event, KnowledgeBase
from annotator.core.kbcsv import read_athletes, read_events, write_athletes, write_events
from annotator.core.kbcsv_results import read_records, read_results
from annotator.services.kb import KnowledgeBaseService
from annotator.store.database import open_database

ATHLETES = [
    Athlete(name="Zed Testrunner", aliases=("Zeddy Testrunner",), country="NOR",
            discipline="middle_distance", sex="M", birth_year=2001),
    Athlete(name="Ylva Fixture", country="SWE", discipline="jumps", sex="F"),
]  # fmt: skip
EVENTS = [Event(name="Testville Mile", kind="named_race", year=2025, city="Testville")]


def _kb(db_path: Path) -> KnowledgeBase:
    """The stored knowledge base, without database ids (to compare with the files')."""
    db = open_database(db_path)
    try:
        kb = KnowledgeBaseService(db).load()
    finally:
        db.close()
    return KnowledgeBase(
        athletes=tuple(dataclasses.replace(a, id=None) for a in kb.athletes),
        events=tuple(dataclasses.replace(e, id=None) for e in kb.events),
    )


@pytest.fixture
def kb_files(tmp_path: Path) -> tuple[Path, Path]:
    athletes, events = tmp_path / "in" / "my-athletes.csv", tmp_path / "in" / "races.csv"
    athletes.parent.mkdir()
    write_athletes(athletes, ATHLETES)
    write_events(events, EVENTS)
    return athletes, events


def test_kb_import_detects_each_files_kind_and_reports_counts(kb_files, db_path):
    athletes, events = kb_files
    result = run_cli("kb", "import", str(athletes), str(events), db=db_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "athletes: 2 added, 0 updated, 0 unchanged",
        "events: 1 added, 0 updated, 0 unchanged",
    ]
    write_athletes(athletes, [
        ATHLETES[0], Athlete(name="Ylva Fixture", country="SWE", discipline="jumps", sex="F",
                             birth_year=2003),
        Athlete(name="Xavier Sample", country="FRA"),
    ])  # fmt: skip
    again = run_cli("kb", "import", str(athletes), db=db_path)
    assert again.stdout.strip() == "athletes: 1 added, 1 updated, 1 unchanged"
    kb = _kb(db_path)
    assert kb.get("athlete:Ylva Fixture").birth_year == 2003
    assert kb.get("event:Testville Mile 2025").city == "Testville"


def test_kb_import_of_a_bad_csv_is_one_line_and_imports_nothing(kb_files, tmp_path, db_path):
    athletes, _ = kb_files
    bad = tmp_path / "in" / "athletes.csv"
    bad.write_text(
        "name,aliases,country,discipline,sex,birth_year\nQ Person,,NOR,,M,\nR Person,,NOR,,M,x\n",
        encoding="utf-8",
    )
    result = run_cli("kb", "import", str(athletes), str(bad), db=db_path)
    assert_one_line_error(result, f"{bad} line 3: birth_year 'x' is not a year")
    assert result.stdout == ""
    assert _kb(db_path).get("athlete:Zed Testrunner") is None  # the good file waited too


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (None, "cannot read"),
        ("document_id,start,end\n1,0,4\n", "line 1: not a knowledge-base file"),
        (b"\xff\xfename,aliases\n", "not UTF-8"),
    ],
)
def test_kb_import_of_a_missing_or_foreign_file_is_one_line(tmp_path, db_path, content, needle):
    path = tmp_path / "file.csv"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    elif content is not None:
        path.write_bytes(content)
    result = run_cli("kb", "import", str(path), db=db_path)
    assert_one_line_error(result, str(path), needle)


def test_kb_export_writes_both_files_that_import_back(kb_files, tmp_path, db_path):
    run_cli("kb", "import", *map(str, kb_files), db=db_path)
    out = tmp_path / "out" / "kb"
    result = run_cli("kb", "export", "-o", str(out), db=db_path)
    assert result.returncode == 0, result.stderr
    kb = _kb(db_path)
    assert result.stdout.splitlines() == [
        f"exported {len(kb.athletes)} athletes to {out / 'athletes.csv'}",
        f"exported {len(kb.events)} events to {out / 'events.csv'}",
        f"exported {len(read_results(out / 'results.csv'))} medals to {out / 'results.csv'}",
        f"exported {len(read_records(out / 'records.csv'))} world records to {out / 'records.csv'}",
    ]
    assert len(read_results(out / "results.csv")) > 300  # the bundled medals, seeded
    assert ATHLETES[0] in read_athletes(out / "athletes.csv")
    assert EVENTS[0] in read_events(out / "events.csv")

    fresh = tmp_path / "fresh.sqlite3"
    back = run_cli("kb", "import", str(out / "athletes.csv"), str(out / "events.csv"), db=fresh)
    assert back.returncode == 0, back.stderr
    assert _kb(fresh).get("athlete:Zed Testrunner") == ATHLETES[0]


def test_kb_export_into_a_file_is_one_line(tmp_path, db_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    new_database(db_path)
    result = run_cli("kb", "export", "-o", str(blocker), db=db_path)
    assert_one_line_error(result, f"cannot write to {blocker}")


def test_kb_stats_counts_by_discipline_and_kind(kb_files, db_path):
    run_cli("kb", "import", *map(str, kb_files), db=db_path)
    result = run_cli("kb", "stats", db=db_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    kb = _kb(db_path)
    assert lines[0] == f"database: {db_path}"
    assert f"athletes: {len(kb.athletes)}" in lines
    assert f"events: {len(kb.events)}" in lines
    jumps = sum(a.discipline == "jumps" for a in kb.athletes)
    assert next(line for line in lines if line.split()[:1] == ["jumps"]).split() == [
        "jumps", str(jumps)
    ]  # fmt: skip
    athletes_table = lines[lines.index(f"athletes: {len(kb.athletes)}") + 1 :][:10]
    assert len({len(line) for line in athletes_table}) == 1  # counts right-aligned


def test_kb_without_a_subcommand_is_a_usage_error(db_path):
    result = run_cli("kb", db=db_path)
    assert result.returncode == 2
    assert "KB_COMMAND" in result.stderr and "Traceback" not in result.stderr


def test_kb_import_refuses_a_medal_for_an_unknown_athlete_in_one_line(tmp_path, db_path):
    bad = tmp_path / "results.csv"
    bad.write_text(
        "competition,discipline,sex,place,athlete,country,mark,date,source\n"
        "Paris Olympics,1500m,M,1,Nobody Known,USA,3:27.65,2024-08-06,test\n",
        encoding="utf-8",
    )
    result = run_cli("kb", "import", str(bad), db=db_path)
    assert_one_line_error(result, f"{bad} line 2: athlete 'Nobody Known' is not in the knowledge")
