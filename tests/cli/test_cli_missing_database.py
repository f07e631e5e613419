"""A command that only reads, pointed at a SQLite path that does not exist, refuses with
"no annotator database at PATH" (exit 2) and creates nothing: a mistyped --db must not leave
an empty database behind that later looks like a real, empty corpus. Commands that write
still create the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import assert_one_line_error, run_cli

from annotator.core.errors import DatabaseError
from annotator.services.app import open_app

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"

READING = {
    "stats": ["stats"],
    "stats-by-annotator": ["stats", "--by", "annotator"],
    "export": ["export", "-o", "{tmp}/out.jsonl"],
    "kb-stats": ["kb", "stats"],
    "kb-export": ["kb", "export", "-o", "{tmp}/kb"],
    "log": ["log"],
    "agreement": ["agreement"],
    "search": ["search", "Kerr"],
    "evaluate": ["evaluate", "{tmp}/gold.jsonl"],
    "mode": ["mode"],
    "role": ["role"],
    "role-of": ["role", "someone"],
    "spelling": ["spelling"],
}


def _args(template: list[str], tmp: Path) -> list[str]:
    return [a.replace("{tmp}", str(tmp)) for a in template]


def _files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")}


@pytest.mark.parametrize("command", list(READING), ids=list(READING))
def test_a_reading_command_refuses_a_missing_database_and_creates_nothing(command, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"text": "Josh Kerr won.", "spans": []}) + "\n", encoding="utf-8")
    before = _files_under(tmp_path)
    missing = tmp_path / "typo.sqlite3"

    result = run_cli("--db", str(missing), *_args(READING[command], tmp_path), db=missing)

    assert_one_line_error(result, f"no annotator database at {missing}")
    assert not missing.exists()
    assert _files_under(tmp_path) == before  # no -wal, -shm, export output or folder either


def test_the_database_named_by_the_environment_is_refused_too(tmp_path):
    # ANNOTATOR_DB (what run_cli sets) instead of --db: the same resolution, the same refusal.
    missing = tmp_path / "not" / "there.sqlite3"
    result = run_cli("stats", db=missing)
    assert_one_line_error(result, f"no annotator database at {missing}")
    assert not (tmp_path / "not").exists()


def test_import_still_creates_the_database_and_stats_then_reads_it(tmp_path):
    db = tmp_path / "new.sqlite3"
    imported = run_cli("import", str(SAMPLES / "01-duplantis-tokyo.txt"), db=db)
    assert imported.returncode == 0, imported.stderr
    assert db.is_file()

    stats = run_cli("stats", db=db)
    assert stats.returncode == 0, stats.stderr
    assert "documents: 1" in stats.stdout


def test_setting_a_value_is_a_write_and_creates_the_database(tmp_path):
    db = tmp_path / "desk.sqlite3"
    result = run_cli("mode", "shared", db=db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "shared"
    assert db.is_file()


def test_open_app_without_create_raises_and_leaves_no_file(tmp_path):
    missing = tmp_path / "absent.sqlite3"
    with pytest.raises(DatabaseError, match="no annotator database at"):
        open_app(missing, create=False)
    assert list(tmp_path.iterdir()) == []
    # The default still creates: the window and `import` rely on it.
    app = open_app(missing)
    app.close()
    assert missing.is_file()
