"""ClaimReview export: one schema.org fact check per accepted error, as Google asks for them."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from annotator.core.formats.claimreview import (
    SCHEMA_CONTEXT,
    ClaimReviewWriter,
    MissingPublisher,
    review_body,
    verdict,
)
from annotator.core.formats.jsonl import document_record
from annotator.core.model import Origin, Span, SpanStatus
from annotator.core.tagset import parse_tagset

TEXT = (
    "🏃‍♀️ Nordås, Réunion: Cole Hocker won the 1500 m in Paris on 6 August 2024.\n"
    "Jakob Ingebrigsten was fourth in 3:28.24. Dr. Smith said the race was held on 7 August."
)


def _span(needle: str, label: str = "error", **fields) -> Span:
    start = TEXT.index(needle)
    return Span(start=start, end=start + len(needle), label=label, text=needle, **fields)


NAME_ERROR = _span(
    "Ingebrigsten",
    error_type="misspelled_name",
    correction="Jakob Ingebrigtsen",
    note="World Athletics profile lists “Ingebrigtsen”.",
)
DATE_ERROR = _span("7 August", error_type="wrong_date", correction="6 August")
PENDING_ERROR = _span(
    "3:28.24", error_type="wrong_number", origin=Origin.SUGGESTED, status=SpanStatus.PENDING
)
ATHLETE = _span("Cole Hocker", "athlete")


def _record(id: int = 7, spans=(), source: str | None = "https://example.com/påris 1500") -> dict:
    return document_record(
        id=id,
        title="Hocker wins the 1500 m",
        source=source,
        published="2024-08-06",
        sha256="ab" * 32,
        text=TEXT,
        spans=sorted(spans, key=lambda span: (span.start, span.end)),
    )


def _export(records, **kwargs) -> tuple[dict, list[str]]:
    out = io.StringIO()
    kwargs.setdefault("publisher", "Athletics Check")
    writer = ClaimReviewWriter(out, **kwargs)
    for record in records:
        writer.write(record)
    notes = writer.finish().messages
    return json.loads(out.getvalue()), notes


def test_one_review_per_accepted_error_and_nothing_else():
    spans = [ATHLETE, NAME_ERROR, PENDING_ERROR, DATE_ERROR]
    document, _ = _export([_record(7, spans), _record(8, [ATHLETE]), _record(9)])
    assert document["@context"] == SCHEMA_CONTEXT
    reviews = document["@graph"]
    assert [review["@type"] for review in reviews] == ["ClaimReview", "ClaimReview"]
    assert [review["reviewRating"]["alternateName"] for review in reviews] == [
        "Incorrect: misspelled name",
        "Incorrect: wrong date",
    ]


def test_an_empty_corpus_or_one_without_errors_gives_an_empty_graph():
    for records in ([], [_record(8, [ATHLETE])]):
        document, notes = _export(records)
        assert document == {"@context": SCHEMA_CONTEXT, "@graph": []}
        assert notes == []


def test_a_review_has_what_google_requires_for_a_fact_check():
    document, notes = _export(
        [_record(7, [NAME_ERROR])],
        publisher="Athletics Check",
        review_url="https://fc.example/r",
        date_published=dt.date(2025, 9, 20),
    )
    [review] = document["@graph"]
    assert notes == []
    assert review["url"] == "https://fc.example/r#claim-7-1"
    # The claim is the sentence that holds the error, line breaks and all normalised.
    assert review["claimReviewed"] == "Jakob Ingebrigsten was fourth in 3:28.24."
    assert review["datePublished"] == "2025-09-20"
    assert review["author"] == {"@type": "Organization", "name": "Athletics Check"}
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Incorrect: misspelled name",
    }
    assert review["itemReviewed"] == {
        "@type": "Claim",
        "datePublished": "2024-08-06",
        "appearance": {
            "@type": "NewsArticle",
            "url": "https://example.com/p%C3%A5ris%201500",
            "headline": "Hocker wins the 1500 m",
            "name": "Hocker wins the 1500 m",
            "datePublished": "2024-08-06",
        },
    }
    assert review["reviewBody"] == (
        "The article says “Ingebrigsten”, which is incorrect. Correct: Jakob Ingebrigtsen. "
        "Evidence: World Athletics profile lists “Ingebrigtsen”."
    )


def test_the_claim_sentence_survives_an_abbreviation_and_a_local_source():
    document, _ = _export([_record(7, [DATE_ERROR], source="articles/paris.txt")])
    [review] = document["@graph"]
    assert review["claimReviewed"] == "Dr. Smith said the race was held on 7 August."
    assert "url" not in review["itemReviewed"]["appearance"]
    assert review["reviewBody"] == (
        "The article says “7 August”, which is incorrect. Correct: 6 August."
    )


def test_a_missing_review_url_is_noted_once():
    _, notes = _export([_record(7, [NAME_ERROR, DATE_ERROR])])
    assert len(notes) == 1 and "url" in notes[0]


def test_tagset_labels_with_error_attributes_count_as_errors():
    tagset = parse_tagset(
        {
            "label": [
                {"key": "athlete", "color": "#4e79a7", "shortcut": "1"},
                {
                    "key": "mistake",
                    "color": "#e15759",
                    "shortcut": "2",
                    "attributes": {"error_type": ["wrong_date"], "correction": "text"},
                },
            ]
        }
    )
    mistake = DATE_ERROR.with_changes(label="mistake")
    without, _ = _export([_record(7, [mistake, ATHLETE])])
    assert without["@graph"] == []
    document, _ = _export([_record(7, [mistake, ATHLETE])], tagset=tagset)
    assert [review["claimReviewed"] for review in document["@graph"]] == [
        "Dr. Smith said the race was held on 7 August."
    ]


def test_verdicts_and_bodies_read_well_for_every_error_type():
    assert verdict("wrong_fact") == "False"
    assert verdict(None) == "Incorrect"
    assert verdict("made_up_type") == "Incorrect: made up type"
    body = review_body({"text": "1501 m", "correction": None, "note": "Results page!"})
    assert body == "The article says “1501 m”, which is incorrect. Evidence: Results page!"


def test_the_reviewing_organisation_is_required_never_the_program():
    for name in (None, "", "  "):
        with pytest.raises(MissingPublisher, match="--publisher NAME"):
            ClaimReviewWriter(io.StringIO(), publisher=name)
    with pytest.raises(MissingPublisher, match="https://"):
        ClaimReviewWriter(io.StringIO(), publisher="Athletics Check", publisher_url="ftp://x")
    document, _ = _export(
        [_record(7, [NAME_ERROR])],
        publisher=" Athletics Check ",
        publisher_url="https://check.example/über uns",
    )
    [review] = document["@graph"]
    assert review["author"] == {
        "@type": "Organization",
        "name": "Athletics Check",
        "url": "https://check.example/%C3%BCber%20uns",
    }
    # Without a date given, the reviews are published the day they are exported.
    assert review["datePublished"] == dt.date.today().isoformat()


def test_the_claims_author_only_when_the_record_names_one():
    document, _ = _export(
        [_record(7, [NAME_ERROR]), {**_record(8, [DATE_ERROR]), "author": " Jane Reporter "}]
    )
    first, second = document["@graph"]
    assert "author" not in first["itemReviewed"]
    assert second["itemReviewed"]["author"] == {"@type": "Person", "name": "Jane Reporter"}
