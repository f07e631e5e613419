"""`annotator spelling` and the spelling suggester in `annotator suggest`, run as a user runs
them: `python -m annotator` in a subprocess, on a real SQLite file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from cli_helpers import new_database, run_cli

BRITISH = "She won the 10 kilometres race, her favourite, and thanked the the crowd."


def errors(db: Path) -> list[tuple[str, str, str]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(
            "SELECT text, error_type, correction FROM annotations WHERE label = 'error' "
            "ORDER BY start"
        ).fetchall()


@pytest.fixture
def british_db(tmp_path: Path, db_path: Path) -> Path:
    article = tmp_path / "race.txt"
    article.write_text(BRITISH, encoding="utf-8")
    result = run_cli("import", str(article), db=db_path)
    assert result.returncode == 0, result.stderr
    return db_path


def test_the_variant_setting_is_shown_set_and_kept_in_the_database(db_path):
    new_database(db_path)
    shown = run_cli("spelling", db=db_path)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("spelling: auto (")
    assert "not checked" not in shown.stdout  # the dictionaries are installed here
    assert run_cli("spelling", "--variant", "en_US", db=db_path).returncode == 0
    assert run_cli("spelling", db=db_path).stdout.strip() == "spelling: en_US (American English)"
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'spelling_variant'").fetchall() == [
            ("en_US",)
        ]
    bad = run_cli("spelling", "--variant", "en_AU", db=db_path)
    assert bad.returncode == 2
    assert "invalid choice: 'en_AU'" in bad.stderr


def test_suggest_checks_each_article_in_its_own_english_unless_told(british_db):
    done = run_cli("suggest", db=british_db)
    assert done.returncode == 0, done.stderr
    assert errors(british_db) == [("the the", "other", "the")]
    assert run_cli("spelling", "--variant", "en_US", db=british_db).returncode == 0
    again = run_cli("suggest", db=british_db)
    assert again.returncode == 0, again.stderr
    assert errors(british_db) == [
        ("kilometres", "misspelling", "kilometers"),
        ("favourite", "misspelling", "favorite"),
        ("the the", "other", "the"),
    ]


def test_without_enchant_suggest_says_so_once_and_still_finds_repeated_words(british_db):
    # As on a machine where pyenchant is not installed: importing it fails.
    code = (
        "import sys; sys.modules['enchant'] = None; "
        "from annotator.cli.main import main; sys.exit(main(sys.argv[1:]))"
    )
    env = {**os.environ, "ANNOTATOR_DB": str(british_db), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", code, "suggest"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    notes = [line for line in done.stderr.splitlines() if "spelling is not checked" in line]
    assert len(notes) == 1, done.stderr
    assert "pyenchant" in notes[0]
    assert "Traceback" not in done.stderr
    assert errors(british_db) == [("the the", "other", "the")]
