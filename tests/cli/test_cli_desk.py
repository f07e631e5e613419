"""`annotator assign`, `role`, `mode`, `curate` and `export --layer`, run as a user runs them."""

from __future__ import annotations

import json

from cli_helpers import assert_one_line_error, run_cli

from annotator.services.app import open_app

TEXT = "Josh Kerr beat Jakob Ingebrigsten in Tokyo. Cole Hocker was third."


def _articles(tmp_path, count):
    paths = []
    for number in range(count):
        path = tmp_path / f"race{number}.txt"
        path.write_text(f"{TEXT} Heat {number}.", encoding="utf-8")
        paths.append(str(path))
    return paths


def test_assign_spreads_evenly_and_deterministically(tmp_path):
    first, second = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    plans = []
    for db in (first, second):
        assert run_cli("import", *_articles(tmp_path, 6), db=db).returncode == 0
        done = run_cli(
            "--user",
            "lead",
            "assign",
            "--annotators",
            "alice,bob,carol",
            "--per-document",
            "2",
            db=db,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "assigned 6 documents: alice 4, bob 4, carol 4"
        opened = open_app(db, annotator="lead")
        try:
            plans.append(opened.desk.assignments())
        finally:
            opened.close()
    assert plans[0] == plans[1]
    assert all(len(people) == 2 for people in plans[0].values())
    again = run_cli("assign", "--annotators", "alice,bob,carol", db=first)
    assert again.stdout.strip() == "every document already has its annotators"
    bad = run_cli("assign", "--annotators", "alice", "--per-document", "2", db=first)
    assert_one_line_error(bad, "--per-document must be between 1 and 1")


def test_roles_guard_the_mode_and_curation(tmp_path):
    db = tmp_path / "desk.sqlite3"
    assert run_cli("import", *_articles(tmp_path, 1), db=db).returncode == 0
    assert run_cli("--user", "carol", "role", "carol", "curator", db=db).returncode == 0
    refused = run_cli("--user", "alice", "mode", "blind", db=db)
    assert_one_line_error(refused, "only a curator may change the layer mode")
    assert run_cli("--user", "carol", "mode", "blind", db=db).stdout.strip() == "blind"
    assert run_cli("mode", db=db).stdout.strip() == "blind"
    assert run_cli("role", "carol", db=db).stdout.strip() == "curator"
    assert_one_line_error(
        run_cli("--user", "alice", "curate", "--auto", db=db), "only a curator may curate"
    )


def test_curate_prints_what_it_left_and_export_takes_the_curated_layer(tmp_path):
    db = tmp_path / "desk.sqlite3"
    assert run_cli("import", *_articles(tmp_path, 1), db=db).returncode == 0
    people = [open_app(db, annotator=name) for name in ("alice", "bob")]
    try:
        (doc,) = people[0].documents.ids()
        for who in people:
            start = TEXT.index("Josh Kerr")
            who.annotations.create(document_id=doc, start=start, end=start + 9, label="athlete")
        start = TEXT.index("Tokyo")
        people[0].annotations.create(document_id=doc, start=start, end=start + 5, label="event")
    finally:
        for who in people:
            who.close()
    assert run_cli("--user", "carol", "role", "carol", "curator", db=db).returncode == 0
    result = run_cli("--user", "carol", "curate", "--auto", db=db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"document {doc} [{start}:{start + 5}] alice: event “Tokyo” | bob: nothing",
        "curated 1 documents: 1 agreed spans into the curated layer; 1 disagreements left "
        "undecided (listed above)",
    ]
    out = tmp_path / "curated.jsonl"
    assert run_cli("export", "-o", str(out), db=db).returncode == 0
    (record,) = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [(s["text"], s["annotator"]) for s in record["spans"]] == [("Josh Kerr", "carol")]
    assert run_cli("export", "-o", str(out), "--layer", "alice", db=db).returncode == 0
    (record,) = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [s["text"] for s in record["spans"]] == ["Josh Kerr", "Tokyo"]
    assert_one_line_error(
        run_cli("export", "-o", str(out), "--layer", "zoe", db=db),
        "no spans in a layer named 'zoe'",
    )
