"""`annotator agreement`, run as a user runs it, on SQLite and PostgreSQL: layers written by two
people through the services, figures read back from the command's JSON and CSV."""

from __future__ import annotations

import csv
import json

import pytest
from cli_helpers import assert_one_line_error, run_cli

from annotator.services.app import open_app

TEXT = ("Josh Kerr beat Jakob Ingebrigsten in Tokyo. Cole Hocker was third in the "
        "Budapest final.")  # fmt: skip


def _tag(app, doc: int, needle: str, label: str, **fields) -> None:
    start = TEXT.index(needle)
    app.annotations.create(document_id=doc, start=start, end=start + len(needle), label=label,
                           **fields)  # fmt: skip


@pytest.fixture
def layered(db_url, tmp_path) -> str:
    article = tmp_path / "race.txt"
    article.write_text(TEXT, encoding="utf-8")
    assert run_cli("import", str(article), db=db_url).returncode == 0
    alice, bob = open_app(db_url, annotator="alice"), open_app(db_url, annotator="bob")
    try:
        (doc,) = alice.documents.ids()
        for who in (alice, bob):
            _tag(who, doc, "Josh Kerr", "athlete")
            _tag(who, doc, "Ingebrigsten", "error", error_type="misspelled_name",
                 correction="Ingebrigtsen")  # fmt: skip
        _tag(alice, doc, "Tokyo", "event")
        _tag(bob, doc, "Budapest final", "event")
        _tag(bob, doc, "Cole Hocker", "athlete")
    finally:
        alice.close()
        bob.close()
    return db_url


def test_agreement_json_gives_each_pair_per_label(layered):
    result = run_cli("agreement", "--json", db=layered)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["annotators"] == ["alice", "bob"] and report["documents"] == 1
    athlete = report["labels"]["athlete"]
    (pair,) = athlete["pairs"]
    assert (pair["a"], pair["b"]) == ("alice", "bob")
    # alice: Josh Kerr; bob: Josh Kerr, Cole Hocker -> 1 match, F1 = 2*1/(1+2)
    assert pair["exact_f1"] == pytest.approx(2 / 3)
    assert pair["overlap_f1"] == pytest.approx(2 / 3)
    event = report["labels"]["event"]["pairs"][0]
    assert event["exact_f1"] == 0.0 and event["overlap_f1"] == 0.0  # Tokyo / Budapest final
    assert report["labels"]["error"]["pairs"][0]["exact_f1"] == 1.0
    assert {"alpha", "u_alpha"} <= set(athlete)


def test_agreement_filters_labels_and_writes_csv(layered, tmp_path):
    out = tmp_path / "agreement.csv"
    result = run_cli("agreement", "--label", "athlete", "-o", str(out), db=layered)
    assert result.returncode == 0, result.stderr
    assert "athlete" in result.stdout and "event:" not in result.stdout
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and {row["label"] for row in rows if row["label"]} == {"athlete"}


def test_agreement_of_one_annotator_has_no_pairs(layered):
    result = run_cli("agreement", "--json", "--annotators", "alice", db=layered)
    report = json.loads(result.stdout)
    assert report["annotators"] == ["alice"]
    assert all(label["pairs"] == [] for label in report["labels"].values())


def test_an_unknown_document_is_one_clear_line(layered):
    assert_one_line_error(run_cli("agreement", "--document", "999", db=layered), "999")
