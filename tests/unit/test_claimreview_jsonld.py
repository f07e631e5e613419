"""The ClaimReview export read by a JSON-LD processor (PyLD), as a search engine reads it: every
review becomes schema.org statements with absolute IRIs, nothing is dropped on the way."""

from __future__ import annotations

import datetime as dt
import io
import json

from pyld import jsonld

from annotator.core.formats.claimreview import SCHEMA_CONTEXT, ClaimReviewWriter
from annotator.core.formats.jsonl import document_record
from annotator.core.model import Span

S = "http://schema.org/"
# The part of schema.org's published context (https://schema.org/docs/jsonldcontext.jsonld)
# that our terms use, served locally so the test runs offline: the vocabulary, and the
# properties it types as IRIs or dates.
SCHEMA_ORG_CONTEXT = {
    "@context": {
        "@vocab": S,
        "schema": S,
        "url": {"@id": "schema:url", "@type": "@id"},
        "datePublished": {"@id": "schema:datePublished", "@type": "schema:Date"},
    }
}
TEXT = "Jakob Ingebrigsten won in Tokyo. The final was on 7 August."


def _loader(url: str, options: dict) -> dict:
    assert url.rstrip("/") == SCHEMA_CONTEXT, url
    return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_ORG_CONTEXT}


def _span(needle: str, **fields) -> Span:
    start = TEXT.index(needle)
    return Span(start=start, end=start + len(needle), label="error", text=needle, **fields)


def _export() -> dict:
    out = io.StringIO()
    writer = ClaimReviewWriter(
        out,
        publisher="Athletics Check",
        publisher_url="https://check.example/about us",
        review_url="https://check.example/reviews",
        date_published=dt.date(2025, 9, 20),
    )
    writer.write(
        {
            **document_record(
                id=3,
                title="Tokyo 1500",
                source="https://news.example/tokyo 1500?x=1",
                published="2025-08-08",
                sha256="cd" * 32,
                text=TEXT,
                spans=[
                    _span("Ingebrigsten", error_type="misspelled_name", correction="Ingebrigtsen"),
                    _span("7 August", error_type="wrong_date", correction="6 August"),
                ],
            ),
            "author": "Jane Reporter",
        }
    )
    writer.finish()
    return json.loads(out.getvalue())


def test_a_json_ld_processor_reads_every_review_with_its_publisher_and_claim():
    quads = jsonld.to_rdf(_export(), {"documentLoader": _loader, "format": "application/n-quads"})
    lines = quads.splitlines()
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    reviews = [line for line in lines if line.endswith(f"{rdf_type} <{S}ClaimReview> .")]
    assert len(reviews) == 2
    # The review pages, the organisation's site and the article are absolute IRIs: a value
    # that is not one would have been dropped by the processor.
    iris = {line.split()[2] for line in lines if f"<{S}url>" in line}
    assert iris == {
        "<https://check.example/reviews#claim-3-1>",
        "<https://check.example/reviews#claim-3-2>",
        "<https://check.example/about%20us>",
        "<https://news.example/tokyo%201500?x=1>",
    }
    assert sum(f'<{S}datePublished> "2025-09-20"^^<{S}Date>' in line for line in lines) == 2
    for predicate, value in (
        (f"<{S}name>", '"Athletics Check"'),
        (f"<{S}name>", '"Jane Reporter"'),
        (f"<{S}claimReviewed>", '"Jakob Ingebrigsten won in Tokyo."'),
        (f"<{S}alternateName>", '"Incorrect: wrong date"'),
    ):
        assert any(f"{predicate} {value}" in line for line in lines), (predicate, value)
