"""The command line, run as a user runs it: `python -m annotator` in a subprocess."""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pytest
from cli_helpers import assert_one_line_error, new_database, run_cli

from annotator import __version__
from annotator.core.formats import iter_jsonl_records
from annotator.services.app import open_app
from annotator.store.database import open_database


def _count_documents(db_path: Path) -> int:
    db = open_database(db_path)
    try:
        with db.engine.connect() as conn:
            return conn.exec_driver_sql("SELECT count(*) FROM documents").scalar()
    finally:
        db.close()


@pytest.fixture
def articles(tmp_path: Path, request: pytest.FixtureRequest) -> tuple[Path, int]:
    """A folder of articles: the seeds when present, generated ones, one binary file and one
    empty file. Returns (folder, number of good files)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    good = 0
    try:
        seeds = request.getfixturevalue("seeds_dir")
    except pytest.skip.Exception:
        seeds = None
    if seeds is not None:
        for seed in sorted(seeds.glob("*.txt")):
            shutil.copy(seed, folder / seed.name)
            good += 1
    (folder / "kerr.txt").write_text(
        "date 2025-09-12\nJosh Kerr wins the 1500m in Tokyo 🏃.\n", encoding="utf-8"
    )
    (folder / "nested").mkdir()
    (folder / "nested" / "laros.md").write_text(
        "# Laros on the rise\n\nNiels Laros ran 3:29.\n", encoding="utf-8"
    )
    (folder / "nested" / "café.txt").write_bytes("Hélène ran in Zürich.".encode("cp1252"))
    good += 3
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (folder / "empty.txt").write_bytes(b"")
    return folder, good


def test_import_skips_bad_files_one_line_each_and_imports_the_rest(articles, db_path):
    folder, good = articles
    result = run_cli("import", str(folder), db=db_path, process=True)  # a real exit status
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    skipped = sorted(result.stderr.splitlines())
    assert len(skipped) == 2, result.stderr
    assert skipped[0].startswith("skipped ") and "empty.txt: " in skipped[0]
    assert skipped[1].startswith("skipped ") and "photo.txt: binary" in skipped[1]
    assert result.stdout.strip() == f"{good} imported, 2 failed"
    assert _count_documents(db_path) == good

    again = run_cli("import", str(folder), db=db_path)
    assert again.returncode == 1
    assert again.stdout.strip() == f"0 imported, {good} already in the database, 2 failed"
    assert _count_documents(db_path) == good


def test_importing_only_good_files_exits_zero_even_when_all_are_duplicates(tmp_path, db_path):
    article = tmp_path / "kerr.txt"
    article.write_text("Josh Kerr wins.\n", encoding="utf-8")
    first = run_cli("import", str(article), db=db_path)
    assert (first.returncode, first.stdout.strip(), first.stderr) == (0, "1 imported", "")
    second = run_cli("import", str(article), db=db_path)
    assert second.returncode == 0
    assert second.stdout.strip() == "0 imported, 1 already in the database"


def test_a_missing_path_is_reported_and_fails_the_import(tmp_path, db_path):
    result = run_cli("import", str(tmp_path / "nowhere"), db=db_path)
    assert result.returncode == 1
    assert result.stderr.strip() == f"skipped {tmp_path / 'nowhere'}: no such file or folder"


@pytest.fixture
def annotated_db(articles, db_path) -> Path:
    folder, _ = articles
    run_cli("import", str(folder), db=db_path)
    app = open_app(db_path, annotator="tester")
    try:
        doc_id = next(i for i in app.documents.ids() if "Kerr wins" in app.documents.get(i).text)
        text = app.documents.get(doc_id).text
        start = text.index("Josh Kerr")
        app.annotations.create(document_id=doc_id, start=start, end=start + 9, label="athlete")
        start = text.index("🏃")
        app.annotations.create(
            document_id=doc_id, start=start, end=start + 1, label="error",
            error_type="other", note='=HYPERLINK("http://x.example")',
        )  # fmt: skip
        pending = app.annotations.create(
            document_id=doc_id, start=text.index("Tokyo"), end=text.index("Tokyo") + 5,
            label="event",
        )  # fmt: skip
        app.annotations.update(pending.id, status="pending")
    finally:
        app.close()
    return db_path


def test_export_jsonl_and_csv_write_parseable_datasets(annotated_db, tmp_path, articles):
    _, good = articles
    out = tmp_path / "out" / "corpus.jsonl"
    out.parent.mkdir()
    result = run_cli("export", "--format", "jsonl", "-o", str(out), db=annotated_db)
    assert result.returncode == 0, result.stderr
    # The pending event is left out, and the export says so.
    assert result.stderr == (
        "note: 1 pending suggestion not exported; --include-pending adds them\n"
    )
    assert result.stdout.strip() == f"exported {good} documents, 2 spans to {out}"
    with out.open(encoding="utf-8") as fh:
        records = list(iter_jsonl_records(fh))
    assert len(records) == good
    spans = [s for r in records for s in r["spans"]]
    assert [(s["label"], s["text"]) for s in spans] == [("athlete", "Josh Kerr"), ("error", "🏃")]

    table = tmp_path / "out" / "spans.csv"
    result = run_cli(
        "export", "-o", str(table), "--include-pending", "--label", "error", "--label", "event",
        db=annotated_db,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with table.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    # Text order: "Tokyo" stands before the emoji.
    assert [(r["label"], r["status"]) for r in rows] == [("event", "pending"),
                                                         ("error", "accepted")]  # fmt: skip
    assert rows[1]["note"] == '\'=HYPERLINK("http://x.example")'


def test_stats_prints_aligned_tables(annotated_db, articles):
    _, good = articles
    result = run_cli("stats", db=annotated_db)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"database: {annotated_db}"
    assert f"documents: {good}" in lines
    assert lines[lines.index(f"documents: {good}") + 2].split() == ["in_progress", "1"]
    assert "spans: 3" in lines
    header = next(line for line in lines if line.split()[:1] == ["label"])
    assert header.split() == ["label", "accepted", "pending", "rejected", "total"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[lines.index(header) + 1 :]}
    assert rows == {
        "athlete": ["1", "0", "0", "1"],
        "error": ["1", "0", "0", "1"],
        "event": ["0", "1", "0", "1"],
        "total": ["2", "1", "0", "3"],
    }
    # Numbers are right-aligned under their headers, so every row ends in the same column.
    table = lines[lines.index(header) :]
    assert len({len(line) for line in table}) == 1
    assert {line.index(" 1 ") for line in table if line.split()[0] == "event"} == {
        header.index("pending") + len("pending") - 2
    }


def test_a_text_file_as_db_gives_one_line_and_is_left_alone(tmp_path, db_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n" * 100, encoding="utf-8")
    result = run_cli("--db", str(notes), "stats", db=db_path, process=True)
    assert_one_line_error(result, "not an annotator database", str(notes))
    assert notes.read_text(encoding="utf-8") == "not a database\n" * 100


def test_a_foreign_sqlite_file_and_a_newer_schema_give_one_line(tmp_path, db_path):
    other = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(other)) as raw, raw:
        raw.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    assert_one_line_error(run_cli("--db", str(other), "stats", db=db_path), "invoices")

    newer = tmp_path / "newer.sqlite3"
    open_database(newer).close()
    with closing(sqlite3.connect(newer)) as raw, raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999_future'")
    result = run_cli("--db", str(newer), "export", "-o", str(tmp_path / "x.jsonl"), db=db_path)
    assert_one_line_error(result, "newer")
    assert not (tmp_path / "x.jsonl").exists()


@pytest.mark.parametrize("content", [None, "[[label]]\nkey = 'Bad Key'\n", "not = [toml"])
def test_a_bad_tagset_gives_one_line(tmp_path, db_path, content):
    tagset = tmp_path / "tags.toml"
    if content is not None:
        tagset.write_text(content, encoding="utf-8")
    result = run_cli("--tagset", str(tagset), "stats", db=db_path)
    assert_one_line_error(result, str(tagset))


def test_export_with_an_unknown_label_lists_the_known_ones(tmp_path, db_path):
    out = tmp_path / "x.jsonl"
    new_database(db_path)
    result = run_cli("export", "-o", str(out), "--label", "athelete", db=db_path)
    assert_one_line_error(result, "'athelete'", "athlete, date, error, event")
    assert not out.exists()


def test_export_to_an_unwritable_place_gives_one_line(tmp_path, db_path):
    new_database(db_path)
    result = run_cli("export", "-o", str(tmp_path / "missing" / "x.csv"), db=db_path)
    assert_one_line_error(result, "cannot write", "missing")
    result = run_cli("export", "-o", str(tmp_path / "data.parquet"), db=db_path)
    assert_one_line_error(result, "--format")


def test_ctrl_c_gives_one_line_and_status_130(tmp_path, db_path):
    # Deterministic stand-in for a user pressing Ctrl+C during an import.
    script = textwrap.dedent(
        """
        import sys
        from annotator.cli import main as cli

        def interrupted(*args, **kwargs):
            raise KeyboardInterrupt

        cli.import_any = interrupted
        raise SystemExit(cli.main(["import", sys.argv[1]]))
        """
    )
    env = {**os.environ, "ANNOTATOR_DB": str(db_path)}
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert result.returncode == 130
    assert result.stderr == "annotator: error: cancelled\n"


def test_commands_other_than_gui_never_import_qt(tmp_path, db_path):
    script = (
        "import sys; from annotator.cli.main import main; main(['stats']); "
        "assert 'PySide6' not in sys.modules, 'Qt imported'"
    )
    env = {**os.environ, "ANNOTATOR_DB": str(db_path)}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=env, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_version_and_help(db_path):
    # A real `python -m annotator` here: the start-up itself is under test.
    assert run_cli("--version", db=db_path, process=True).stdout.strip() == (
        f"annotator {__version__}"
    )
    help_text = run_cli("--help", db=db_path).stdout
    assert "exit status" in help_text and "130" in help_text
    for command in ("gui", "import", "export", "stats"):
        assert command in help_text
    import_help = " ".join(run_cli("import", "--help", db=db_path).stdout.split())
    assert "1 when some files or records failed" in import_help
    export_help = " ".join(run_cli("export", "--help", db=db_path).stdout.split())
    for name in ("doccano", "labelstudio", "spacy", "conll", "brat", "w3c", "claimreview"):
        assert name in export_help


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], [None, None, [], None]),
        (["--db", "x.sqlite3", "--tagset", "t.toml", "--user", "maria", "gui", "a.txt", "b.md"],
         ["x.sqlite3", "t.toml", ["a.txt", "b.md"], "maria"]),
    ],
)  # fmt: skip
def test_no_command_and_gui_hand_the_options_to_the_window(db_path, argv, expected):
    # The real window would block; a stand-in module records what the CLI passes it.
    script = textwrap.dedent(
        """
        import json, sys, types
        window = types.ModuleType("annotator.ui.app")
        def run(*, db, tagset, files, user):
            print(json.dumps([db, tagset, files, user]))
            return 7
        window.run = run
        sys.modules["annotator.ui.app"] = window
        from annotator.cli.main import main
        raise SystemExit(main(sys.argv[1:]))
        """
    )
    env = {**os.environ, "ANNOTATOR_DB": str(db_path)}
    result = subprocess.run([sys.executable, "-c", script, *argv], capture_output=True,
                            text=True, env=env, timeout=120)  # fmt: skip
    assert result.returncode == 7, result.stderr
    assert json.loads(result.stdout) == expected
