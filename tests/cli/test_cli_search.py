"""`annotator search`, run as a user runs it: text, whole words, regular expressions and span
filters; the lines it prints, exactly; its errors."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from cli_helpers import assert_one_line_error, run_cli

from annotator.core.textload import LoadedArticle
from annotator.services.app import open_app
from annotator.services.importing import import_articles

KERR = "🏃 Josh Kerr won the 1500 m in Eugene.\nJakob Ingebrigtsen was second; KERR celebrated."
MONDO = "Mondo Duplantis cleared 6.30 m in Tokyo, a world record."


@pytest.fixture
def corpus(db_path: Path) -> Path:
    app = open_app(db_path, annotator="alice")
    try:
        articles = [LoadedArticle(title=title, text=text, published=None,
                                  sha256=hashlib.sha256(text.encode()).hexdigest(),
                                  source=f"{title}.txt", encoding="utf-8")
                    for title, text in (("Kerr\twins", KERR), ("Mondo", MONDO))]  # fmt: skip
        (kerr, _), (mondo, _) = import_articles(app.db, articles).imported
        start = KERR.index("Josh Kerr")
        app.annotations.create(
            document_id=kerr, start=start, end=start + 9, label="athlete", note="Spelling checked"
        )
        start = MONDO.index("6.30")
        app.annotations.create(
            document_id=mondo, start=start, end=start + 6, label="error", error_type="wrong_number"
        )
    finally:
        app.close()
    return db_path


def test_text_search_prints_one_line_per_hit(corpus):
    result = run_cli("search", "kerr", db=corpus)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "1\tKerr wins\t7-11\t🏃 Josh [Kerr] won the 1500 m in Eugene.",
        "1\tKerr wins\t69-73\tJakob Ingebrigtsen was second; [KERR] celebrated.",
    ]
    assert result.stderr.strip() == "2 hits in 1 document"


def test_words_regex_case_and_limit(corpus):
    assert run_cli("search", "--words", "Kerr wo", db=corpus).stdout == ""
    regex = run_cli("search", "--regex", r"\d\.\d\d m", db=corpus)
    assert regex.stdout.splitlines() == [
        "2\tMondo\t24-30\tMondo Duplantis cleared [6.30 m] in Tokyo, a world record."
    ]
    assert run_cli("search", "--case", "KERR", db=corpus).stdout.count("\n") == 1
    limited = run_cli("search", "--limit", "1", "e", db=corpus)
    assert limited.returncode == 0 and limited.stdout.count("\n") == 1
    assert limited.stderr == "first 1 hit shown, in 1 document (--limit 1); there are more\n"


def test_span_filters(corpus):
    result = run_cli("search", "--label", "athlete", "--note", "SPELLING", db=corpus)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "1\tKerr wins\t2-11\t🏃 [Josh Kerr] won the 1500 m in Eugene.\tathlete (span 1)"
    ]
    wrong = run_cli(
        "search",
        "--error-type",
        "wrong_number",
        "--status",
        "accepted",
        "--annotator",
        "alice",
        db=corpus,
    )
    assert [line.split("\t")[:3] for line in wrong.stdout.splitlines()] == [["2", "Mondo", "24-30"]]
    assert run_cli("search", "--status", "pending", db=corpus).stdout == ""


def test_user_errors_are_one_line(corpus):
    assert_one_line_error(
        run_cli("search", "--regex", "Kerr (won", db=corpus), "bad regular expression"
    )
    assert_one_line_error(run_cli("search", db=corpus), "nothing to search for")
    assert_one_line_error(run_cli("search", "Kerr", "--label", "athlete", db=corpus), "not both")
    assert_one_line_error(
        run_cli("search", "--label", "athelte", db=corpus), "unknown label 'athelte'"
    )
