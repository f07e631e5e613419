"""desk_stats: alice and bob double-annotate through the real services (spans, suggestions
accepted and rejected, statuses on given days); every count is checked exactly."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from annotator.core.model import DocStatus
from annotator.services import desk as desk_module
from annotator.services.app import open_app
from annotator.services.dataset_import import import_any
from annotator.services.desk_stats import NO_ERROR_TYPE, PersonProgress, RuleCounts, desk_stats
from annotator.services.suggesting import suggest_documents

KERR = ("Josh Kerr beat Jakob Ingebrigsten in Tokyo on 18 September 2025. Cole Hocker was "
        "third. Faith Kipyegon won the 1500m on 5 September 2025 in Zurich.")  # fmt: skip
MONDO = "Mondo Duplantis cleared 6.30 in Tokyo."
CHEBET = "Beatrice Chebet won in Eugene."
CURATED_TEXT = "Josh Kerr ran well at Zurich."
SEP_10 = dt.datetime(2025, 9, 10, 23, 59)
SEP_12 = dt.datetime(2025, 9, 12, 8, 0)


@pytest.fixture
def people(db_url):
    opened = {name: open_app(db_url, annotator=name) for name in ("alice", "bob", "carol")}
    yield opened
    for app in opened.values():
        app.close()


def tag(app, doc: int, text: str, needle: str, label: str, **fields) -> None:
    start = text.index(needle)
    app.annotations.create(document_id=doc, start=start, end=start + len(needle), label=label,
                           **fields)  # fmt: skip


def decide(app, doc: int, text: str, status: str) -> None:
    """alice or bob accepts or rejects the pending suggestion covering ``text``."""
    span = next(s for s in app.annotations.spans(doc)
                if s.text == text and s.status == "pending")  # fmt: skip
    app.annotations.update(span.id, status=status)


def done_on(app, doc: int, when: dt.datetime, monkeypatch) -> None:
    monkeypatch.setattr(desk_module, "_now", lambda: when)
    app.desk.set_status(doc, DocStatus.DONE)


@pytest.fixture
def desk(people, make_document, monkeypatch, tmp_path):
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    d1, d2, d3 = (make_document(t, title=n) for t, n in
                  ((KERR, "Kerr"), (MONDO, "Mondo"), (CHEBET, "Chebet")))  # fmt: skip
    carol.desk.assign(["alice", "bob"], 2)  # every document to both
    report = suggest_documents(alice.db, alice.kb, tagset=alice.tagset, use_spacy=False,
                               document_ids=[d1])  # fmt: skip
    # kb-exact: Josh Kerr, Cole Hocker, Faith Kipyegon; date-explicit: both dates;
    # fuzzy-kb-athlete: Jakob Ingebrigsten; fuzzy-kb: the error on Ingebrigsten.
    assert report.added == 7
    decide(alice, d1, "Josh Kerr", "accepted")
    decide(alice, d1, "Cole Hocker", "accepted")
    decide(alice, d1, "Ingebrigsten", "accepted")  # an error span, misspelled_name
    decide(bob, d1, "Faith Kipyegon", "rejected")
    decide(bob, d1, "18 September 2025", "rejected")
    tag(alice, d1, KERR, "Tokyo", "event")
    tag(alice, d2, MONDO, "Mondo Duplantis", "athlete")
    tag(alice, d2, MONDO, "6.30", "error", error_type="wrong_number")
    tag(bob, d1, KERR, "Josh Kerr", "athlete")
    tag(bob, d1, KERR, "Ingebrigsten", "error", error_type="wrong_fact")
    tag(bob, d3, CHEBET, "Beatrice Chebet", "athlete")
    tag(bob, d3, CHEBET, "Eugene", "error")  # no error type given
    done_on(alice, d1, SEP_10, monkeypatch)
    done_on(alice, d2, SEP_12, monkeypatch)
    done_on(bob, d1, SEP_12, monkeypatch)
    # A dataset from elsewhere: a curated span that began as a suggestion (the same decision
    # as a person's, not counted again per rule) and an accepted span credited to nobody
    # (it lands in the pool, which is nobody's layer).
    dataset = tmp_path / "curated.jsonl"
    dataset.write_text(json.dumps({"title": "Curated", "text": CURATED_TEXT, "spans": [
        {"start": 0, "end": 9, "text": "Josh Kerr", "label": "athlete", "annotator": "curated",
         "origin": "suggested", "status": "accepted"},
        {"start": 22, "end": 28, "text": "Zurich", "label": "event", "origin": "manual",
         "status": "accepted"},
    ]}) + "\n", encoding="utf-8")  # fmt: skip
    report = import_any(alice.db, [dataset])
    assert not report.errors, report.errors
    return d1, d2, d3


def test_an_empty_database_has_no_figures(app):
    stats = desk_stats(app.db)
    assert stats.annotators == ()
    assert (stats.progress, stats.done_per_day, stats.spans, stats.errors) == ({}, {}, {}, {})
    assert stats.rules == ()


def test_documents_per_person_and_done_per_day(people, desk):
    stats = desk_stats(people["alice"].db)
    assert stats.annotators == ("alice", "bob", "curated")
    assert stats.progress == {
        "alice": PersonProgress(assigned=3, in_progress=0, done=2),
        # d2 untouched (new), d3 started by tagging it.
        "bob": PersonProgress(assigned=3, in_progress=1, done=1),
    }
    assert stats.done_per_day == {
        "alice": {dt.date(2025, 9, 10): 1, dt.date(2025, 9, 12): 1},
        "bob": {dt.date(2025, 9, 12): 1},
    }
    assert stats.done_cumulative("alice") == [(dt.date(2025, 9, 10), 1),
                                              (dt.date(2025, 9, 12), 2)]  # fmt: skip
    assert stats.done_cumulative("carol") == []


def test_a_document_set_back_from_done_no_longer_counts(people, desk):
    d1, _, _ = desk
    people["bob"].desk.set_status(d1, DocStatus.IN_PROGRESS)
    stats = desk_stats(people["alice"].db)
    assert "bob" not in stats.done_per_day
    assert stats.progress["bob"] == PersonProgress(assigned=3, in_progress=2, done=0)


def test_accepted_spans_per_label_and_layer_leave_the_pool_out(people, desk):
    stats = desk_stats(people["alice"].db)
    assert stats.spans == {
        ("alice", "athlete"): 3,  # two accepted suggestions, Mondo Duplantis
        ("alice", "error"): 2,
        ("alice", "event"): 1,
        ("bob", "athlete"): 2,
        ("bob", "error"): 2,
        ("curated", "athlete"): 1,
    }
    assert stats.labels == ["athlete", "error", "event"]


def test_error_types_per_layer(people, desk):
    stats = desk_stats(people["alice"].db)
    assert stats.errors == {
        ("alice", "misspelled_name"): 1,
        ("alice", "wrong_number"): 1,
        ("bob", "wrong_fact"): 1,
        ("bob", NO_ERROR_TYPE): 1,
    }
    assert stats.error_types == [NO_ERROR_TYPE, "misspelled_name", "wrong_fact", "wrong_number"]


def test_suggestions_per_rule_with_their_acceptance_rate(people, desk):
    stats = desk_stats(people["alice"].db)
    assert stats.rules == (
        RuleCounts("kb-exact", accepted=2, rejected=1, pending=0),
        RuleCounts("date-explicit", accepted=0, rejected=1, pending=1),
        RuleCounts("fuzzy-kb", accepted=1, rejected=0, pending=0),
        RuleCounts("fuzzy-kb-athlete", accepted=0, rejected=0, pending=1),
    )
    rates = {r.rule: r.acceptance_rate for r in stats.rules}
    assert rates == {"kb-exact": pytest.approx(2 / 3), "date-explicit": 0.0,
                     "fuzzy-kb": 1.0, "fuzzy-kb-athlete": None}  # fmt: skip


def test_taking_a_decision_back_makes_the_suggestion_pending_again(people, desk):
    d1, _, _ = desk
    bob = people["bob"]
    span = next(s for s in bob.annotations.spans(d1, include_rejected=True)
                if s.text == "Faith Kipyegon")  # fmt: skip
    bob.annotations.update(span.id, status="pending")
    kb_exact = desk_stats(bob.db).rules[0]
    assert kb_exact == RuleCounts("kb-exact", accepted=2, rejected=0, pending=1)
    assert kb_exact.acceptance_rate == 1.0
