"""`annotator log` and `--user`, run as a user runs them, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from cli_helpers import assert_one_line_error, run_cli

from annotator.services.app import open_app

TEXT = "Jakob Ingebrigsten beat Josh Kerr in the 1500m at the Paris Olympics on 6 August 2024."
LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d  (\S+)  doc (\d+)  (?:span (\d+)|-)  (.+)$")


def _work(db_url: str, tmp_path) -> int:
    article = tmp_path / "race.txt"
    article.write_text(TEXT, encoding="utf-8")
    result = run_cli("--user", "maria", "import", str(article), db=db_url)
    assert result.returncode == 0, result.stderr
    maria = open_app(db_url, annotator="maria")
    bob = open_app(db_url, annotator="bob")
    try:
        (doc,) = maria.documents.ids()
        start = TEXT.index("Josh Kerr")
        span = maria.annotations.create(document_id=doc, start=start, end=start + 9,
                                        label="athlete")  # fmt: skip
        bob.annotations.update(span.id, expected_version=span.version, note="checked")
    finally:
        maria.close()
        bob.close()
    return doc


def test_log_lists_who_changed_what_and_filters_by_person(db_url, tmp_path):
    doc = _work(db_url, tmp_path)
    everything = run_cli("log", db=db_url)
    assert everything.returncode == 0, everything.stderr
    lines = [LINE.match(line) for line in everything.stdout.splitlines()]
    assert all(lines), everything.stdout
    assert [(m[1], m[2], m[4].split()[0]) for m in lines] == [
        ("maria", str(doc), "import"),
        ("maria", str(doc), "create"),
        ("bob", str(doc), "edit"),
    ]
    assert lines[0][4].endswith("race.txt")
    assert "note ∅ → “checked”" in lines[2][4]
    only_bob = run_cli("log", "--user", "bob", db=db_url)
    assert [LINE.match(x)[1] for x in only_bob.stdout.splitlines()] == ["bob"]
    other_doc = run_cli("log", "--document", str(doc + 1), db=db_url)
    assert other_doc.returncode == 0 and other_doc.stdout == ""


def test_suggest_is_logged_under_the_person_who_ran_it(db_url, tmp_path):
    doc = _work(db_url, tmp_path)
    result = run_cli("--user", "carol", "suggest", db=db_url)
    assert result.returncode == 0, result.stderr
    log = run_cli("log", "--user", "carol", "--document", str(doc), db=db_url)
    actions = {LINE.match(x)[4].split()[0] for x in log.stdout.splitlines()}
    assert actions == {"suggest"}


def test_an_empty_user_name_is_one_clear_line(db_url):
    assert_one_line_error(run_cli("--user", "  ", "stats", db=db_url), "user name")
