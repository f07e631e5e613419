"""`annotator export` as a user runs it: the pending suggestions it left out are counted on
stderr, and ClaimReview is published under the organisation named on the command line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from cli_helpers import assert_one_line_error, run_cli

from annotator.services.app import open_app

TEXT = "Jakob Ingebrigsten won the 5000 m in Tokyo on 14 September 2025. Grant Fisher was second.\n"


@pytest.fixture
def db(tmp_path: Path, db_path: Path) -> Path:
    """One article (imported by the CLI) with an accepted error and athlete, and two pending
    suggestions: an event and an error."""
    article = tmp_path / "tokyo.txt"
    article.write_text(TEXT, encoding="utf-8")
    assert run_cli("import", str(article), db=db_path).returncode == 0
    app = open_app(db_path, annotator="tester")
    try:
        (doc,) = app.documents.ids()

        def add(needle: str, label: str, **fields: str) -> int:
            start = TEXT.index(needle)
            return app.annotations.create(
                document_id=doc, start=start, end=start + len(needle), label=label, **fields
            ).id

        add("Ingebrigsten", "error", error_type="misspelled_name", correction="Ingebrigtsen")
        add("Grant Fisher", "athlete")
        for pending in (
            add("Tokyo", "event"),
            add("14 September 2025", "error", error_type="wrong_date"),
        ):
            app.annotations.update(pending, status="pending")
    finally:
        app.close()
    return db_path


def test_an_export_says_how_many_pending_suggestions_it_left_out(db, tmp_path):
    out = tmp_path / "corpus.jsonl"
    result = run_cli("export", "-o", str(out), db=db)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "note: 2 pending suggestions not exported; --include-pending adds them"
    ]
    assert result.stdout.splitlines()[-1] == f"exported 1 documents, 2 spans to {out}"

    result = run_cli("export", "-o", str(out), "--include-pending", db=db)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.splitlines()[-1] == f"exported 1 documents, 4 spans to {out}"


def test_claimreview_refuses_without_the_publishing_organisation(db, tmp_path):
    out = tmp_path / "reviews.jsonld"
    result = run_cli("export", "--format", "claimreview", "-o", str(out), db=db)
    assert_one_line_error(result, "--publisher NAME", "--publisher-url URL")
    assert not out.exists()
    result = run_cli(
        "export",
        "-o",
        str(out),
        "--format",
        "claimreview",
        "--publisher",
        "Athletics Check",
        "--publisher-url",
        "check.example",
        db=db,
    )
    assert_one_line_error(result, "https://")
    assert not out.exists()


def test_claimreview_is_published_by_the_organisation_given(db, tmp_path):
    out = tmp_path / "reviews.jsonld"
    result = run_cli(
        "export",
        "--format",
        "claimreview",
        "-o",
        str(out),
        "--publisher",
        "Athletics Check",
        "--publisher-url",
        "https://check.example",
        "--review-url",
        "https://check.example/tokyo",
        "--include-pending",
        db=db,
    )
    assert result.returncode == 0, result.stderr
    # The pending error is a suggestion, not a finding: left out even with the flag, and said.
    assert result.stderr.splitlines() == [
        "note: 1 pending error suggestion not exported: ClaimReview publishes reviewed errors "
        "only; accept them to publish them"
    ]
    (review,) = json.loads(out.read_text(encoding="utf-8"))["@graph"]
    assert review["author"] == {
        "@type": "Organization",
        "name": "Athletics Check",
        "url": "https://check.example",
    }
    assert review["datePublished"] == dt.date.today().isoformat()
    assert review["url"].startswith("https://check.example/tokyo#claim-")
    assert "annotator" not in json.dumps(review["author"])
