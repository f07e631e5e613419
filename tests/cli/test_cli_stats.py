"""`annotator stats --by annotator`, run as a user runs it, on a desk built through the real
services: the tables it prints, exactly."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from cli_helpers import new_database, run_cli

from annotator.core.model import DocStatus
from annotator.core.textload import LoadedArticle
from annotator.services import desk as desk_module
from annotator.services.app import open_app
from annotator.services.importing import import_articles
from annotator.services.suggesting import suggest_documents

KERR = "Josh Kerr beat Jakob Ingebrigsten in Tokyo on 18 September 2025. Cole Hocker was third."
MONDO = "Mondo Duplantis cleared 6.30 in Tokyo."


def _article(text: str, title: str) -> LoadedArticle:
    return LoadedArticle(title=title, text=text, published=None,
                         sha256=hashlib.sha256(text.encode()).hexdigest(), source=f"{title}.txt",
                         encoding="utf-8")  # fmt: skip


def _tag(app, doc: int, text: str, needle: str, label: str, **fields) -> None:
    start = text.index(needle)
    app.annotations.create(document_id=doc, start=start, end=start + len(needle), label=label,
                           **fields)  # fmt: skip


def _decide(app, doc: int, text: str, status: str) -> None:
    span = next(s for s in app.annotations.spans(doc)
                if s.text == text and s.status == "pending")  # fmt: skip
    app.annotations.update(span.id, status=status)


@pytest.fixture
def desk_db(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    alice = open_app(db_path, annotator="alice")
    bob = open_app(db_path, annotator="bob")
    try:
        report = import_articles(alice.db, [_article(KERR, "Kerr"), _article(MONDO, "Mondo")])
        kerr, mondo = (doc for doc, *_ in report.imported)
        alice.desk.assign(["alice", "bob"], 2)
        suggest_documents(alice.db, alice.kb, tagset=alice.tagset, use_spacy=False,
                          document_ids=[kerr])  # fmt: skip
        _decide(alice, kerr, "Josh Kerr", "accepted")  # kb-exact
        _decide(alice, kerr, "Ingebrigsten", "accepted")  # fuzzy-kb, misspelled_name
        _decide(bob, kerr, "Cole Hocker", "rejected")  # kb-exact
        _decide(bob, kerr, "Jakob Ingebrigsten", "rejected")  # fuzzy-kb-athlete
        _tag(alice, mondo, MONDO, "Mondo Duplantis", "athlete")
        _tag(bob, kerr, KERR, "Josh Kerr", "athlete")
        _tag(bob, kerr, KERR, "Tokyo", "event")
        _tag(bob, mondo, MONDO, "6.30", "error", error_type="wrong_number")
        monkeypatch.setattr(desk_module, "_now", lambda: dt.datetime(2025, 9, 14, 9, 30))
        alice.desk.set_status(kerr, DocStatus.DONE)
        alice.desk.set_status(mondo, DocStatus.DONE)
        bob.desk.set_status(kerr, DocStatus.DONE)
    finally:
        alice.close()
        bob.close()
    return db_path


def test_stats_by_annotator_prints_the_desk_tables(desk_db: Path):
    result = run_cli("stats", "--by", "annotator", db=desk_db)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == f"database: {desk_db}"
    assert lines[1:] == [
        "annotators: 2 (alice, bob)",
        "",
        "documents per annotator",
        "  annotator  assigned  in progress  done   last done",
        "  alice             2            0     2  2025-09-14",
        "  bob               2            1     1  2025-09-14",
        "",
        "accepted spans per label",
        "  label    alice  bob  total",
        "  athlete      2    1      3",
        "  error        1    1      2",
        "  event        0    1      1",
        "  total        3    3      6",
        "",
        "error spans per error type",
        "  error type       alice  bob  total",
        "  misspelled_name      1    0      1",
        "  wrong_number         0    1      1",
        "  total                1    1      2",
        "",
        "suggestions per rule",
        "  rule              accepted  rejected  pending  acceptance",
        "  kb-exact                 1         1        0       50.0%",
        "  date-explicit            0         0        1           —",
        "  fuzzy-kb                 1         0        0      100.0%",
        "  fuzzy-kb-athlete         0         1        0        0.0%",
        "  total                    2         2        1       50.0%",
        "  acceptance = accepted / (accepted + rejected); pending ones are not judged yet",
    ]


def test_plain_stats_is_unchanged_by_the_option(desk_db: Path):
    plain = run_cli("stats", db=desk_db)
    assert plain.returncode == 0, plain.stderr
    assert "documents per annotator" not in plain.stdout
    assert plain.stdout.splitlines()[1:3] == ["documents: 2", "  new          0"]


def test_stats_by_annotator_on_an_empty_database_says_so(db_path: Path):
    new_database(db_path)
    result = run_cli("stats", "--by", "annotator", db=db_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [
        "annotators: 0",
        "",
        "documents per annotator",
        "  nobody has started or been assigned a document yet",
        "",
        "accepted spans per label",
        "  no accepted spans yet",
        "",
        "error spans per error type",
        "  no error spans yet",
        "",
        "suggestions per rule",
        "  no suggestions yet (annotator suggest)",
    ]


def test_an_unknown_grouping_is_refused_by_the_parser(db_path: Path):
    result = run_cli("stats", "--by", "label", db=db_path)
    assert result.returncode == 2
    assert "invalid choice: 'label'" in result.stderr
    assert "Traceback" not in result.stderr
