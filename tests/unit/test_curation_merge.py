"""Merging annotators' layers: strategies, disagreements grouped by overlap, the votes of an
annotator who tagged nothing."""

from __future__ import annotations

import pytest

from annotator.core.curation import Strategy, Tag, curate_document, needed_votes

TEXT = "Josh Kerr beat Jakob Ingebrigsten in Tokyo."


def tag(needle: str, label: str = "athlete", **fields) -> Tag:
    start = TEXT.index(needle)
    return Tag(start, start + len(needle), label, needle, **fields)


def test_strategies_need_all_k_or_a_majority():
    assert needed_votes(Strategy.ALL, 3) == 3
    assert needed_votes(Strategy.MAJORITY, 3) == 2
    assert needed_votes(Strategy.MAJORITY, 4) == 3
    assert needed_votes(Strategy.AT_LEAST, 3, 2) == 2
    with pytest.raises(ValueError, match="min-agree"):
        needed_votes(Strategy.AT_LEAST, 3, 0)


def test_all_agree_merges_and_the_rest_is_grouped_by_overlap():
    layers = {
        "alice": [tag("Josh Kerr"), tag("Jakob Ingebrigsten")],
        "bob": [tag("Josh Kerr"), tag("Ingebrigsten")],
        "carol": [tag("Josh Kerr"), tag("Tokyo", "event")],
    }
    result = curate_document(7, layers, strategy=Strategy.ALL)
    assert [t.text for t in result.agreed] == ["Josh Kerr"]
    first, second = result.disagreements
    assert first.key == (TEXT.index("Jakob"), TEXT.index(" in"))
    assert [t.text for t in first.options["alice"]] == ["Jakob Ingebrigsten"]
    assert [t.text for t in first.options["bob"]] == ["Ingebrigsten"]
    assert first.options["carol"] == ()
    assert [t.text for t in first.everything()] == ["Jakob Ingebrigsten", "Ingebrigsten"]
    assert [t.text for t in second.options["carol"]] == ["Tokyo"]
    assert second.options["alice"] == second.options["bob"] == ()


def test_majority_and_at_least_k_accept_what_all_would_not():
    layers = {"alice": [tag("Tokyo", "event")], "bob": [tag("Tokyo", "event")], "carol": []}
    assert curate_document(1, layers, strategy=Strategy.ALL).agreed == ()
    assert len(curate_document(1, layers, strategy=Strategy.MAJORITY).agreed) == 1
    assert len(curate_document(1, layers, strategy=Strategy.AT_LEAST, min_agree=2).agreed) == 1
    # carol finished the document with nothing there: a vote against, so a disagreement.
    (left,) = curate_document(1, layers, strategy=Strategy.ALL).disagreements
    assert left.options["carol"] == ()


def test_error_spans_agree_only_on_the_same_type_and_correction():
    same = dict(error_type="misspelled_name", correction="Ingebrigtsen")
    layers = {
        "alice": [tag("Ingebrigsten", "error", **same)],
        "bob": [
            tag("Ingebrigsten", "error", error_type="misspelled_name", correction="  ingebrigtsen ")
        ],
        "carol": [
            tag("Ingebrigsten", "error", error_type="misspelling", correction="Ingebrigtsen")
        ],
    }
    result = curate_document(1, layers, strategy=Strategy.ALL)
    assert result.agreed == ()
    assert len(result.disagreements) == 1
    majority = curate_document(1, layers, strategy=Strategy.MAJORITY)
    assert [(t.error_type, t.correction) for t in majority.agreed] == [
        ("misspelled_name", "Ingebrigtsen")
    ]
    # Two different verdicts both reaching K=1 are ambiguous: not merged.
    assert curate_document(1, layers, strategy=Strategy.AT_LEAST, min_agree=1).agreed == ()


def test_agreed_spans_keep_every_annotators_evidence():
    layers = {
        "alice": [tag("Tokyo", "event", note="WA calendar")],
        "bob": [tag("Tokyo", "event", note="olympics.com")],
    }
    (merged,) = curate_document(1, layers).agreed
    assert merged.note == "alice: WA calendar\nbob: olympics.com"
    same = {"alice": [tag("Tokyo", "event", note="WA")], "bob": [tag("Tokyo", "event", note="WA")]}
    assert curate_document(1, same).agreed[0].note == "WA"


def test_one_annotator_is_not_curated():
    result = curate_document(1, {"alice": [tag("Tokyo", "event")]})
    assert result.skipped and result.agreed == () and result.disagreements == ()
