"""W3C Web Annotation export: structure, selectors, bodies, and re-anchoring in changed text."""

from __future__ import annotations

import io
import json

import pytest
from format_samples import TEXT as SAMPLE_TEXT
from format_samples import sample_spans, span_in

from annotator.core.formats.jsonl import document_record
from annotator.core.formats.w3c import ANNO_CONTEXT, W3CWriter, document_iri, reanchor
from annotator.core.model import Span
from annotator.core.tagset import parse_tagset

TEXT = SAMPLE_TEXT


def _span(needle: str, label: str, **fields) -> Span:
    return span_in(TEXT, needle, label, **fields)


SPANS = sample_spans(TEXT, suggester=None)


def _record(id: int = 7, spans=SPANS, source: str | None = "articles/paris.txt") -> dict:
    return document_record(
        id=id,
        title="Hocker wins",
        source=source,
        published="2024-08-06",
        sha256="ab" * 32,
        text=TEXT,
        spans=spans,
    )


def _export(records, **kwargs) -> dict:
    out = io.StringIO()
    writer = W3CWriter(out, **kwargs)
    for record in records:
        writer.write(record)
    assert len(writer.finish()) == 0
    return json.loads(out.getvalue())


def _items(records, **kwargs) -> list[dict]:
    return _export(records, **kwargs)["first"]["items"]


def test_the_export_is_one_annotation_collection_with_an_annotation_per_span():
    collection = _export([_record(7), _record(8, spans=[]), _record(9, spans=SPANS[1:2])])
    assert collection["@context"] == ANNO_CONTEXT
    assert collection["type"] == "AnnotationCollection"
    assert collection["first"]["type"] == "AnnotationPage"
    items = collection["first"]["items"]
    assert collection["total"] == len(items) == 5
    assert len({item["id"] for item in items}) == 5
    assert items[0]["id"] == "urn:annotator:document/7/span/1"
    assert items[-1]["id"] == "urn:annotator:document/9/span/1"
    assert all(item["@context"] == ANNO_CONTEXT and item["type"] == "Annotation" for item in items)


def test_an_empty_corpus_is_an_empty_collection():
    collection = _export([])
    assert collection["first"]["items"] == [] and collection["total"] == 0


def test_selectors_quote_the_span_and_give_code_point_positions():
    items = _items([_record()])
    error = items[3]
    quote, position = error["target"]["selector"]
    start = TEXT.index("Ingebrigsten")
    assert position == {"type": "TextPositionSelector", "start": start, "end": start + 12}
    assert quote["exact"] == "Ingebrigsten" == TEXT[position["start"] : position["end"]]
    assert quote["prefix"] == TEXT[start - 32 : start]
    assert quote["suffix"] == " was fourth."


def test_quote_context_never_cuts_an_emoji_sequence_in_half():
    runner = "🏃‍♀️"  # runner, zero-width joiner, female sign, variation selector
    before = f"{runner} {'a' * 29} Kerr won."
    after = f"Kerr {'b' * 28}{runner} more"
    spans = [Span(start=before.index("Kerr"), end=before.index("Kerr") + 4, label="athlete",
                  text="Kerr")]  # fmt: skip
    [item] = _items([{**_record(spans=spans), "text": before}])
    # 32 characters back would start on the variation selector: the prefix starts after it.
    assert item["target"]["selector"][0]["prefix"] == " " + "a" * 29 + " "
    spans = [Span(start=0, end=4, label="athlete", text="Kerr")]
    [item] = _items([{**_record(spans=spans), "text": after}])
    # 32 characters on would end inside the sequence: the suffix stops before it.
    assert item["target"]["selector"][0]["suffix"] == " " + "b" * 28


def test_bodies_carry_label_error_fields_value_and_entity_with_their_purposes():
    athlete, event, date, error = _items([_record()])
    assert error["motivation"] == "assessing"
    assert [(b["purpose"], b["value"]) for b in error["body"]] == [
        ("tagging", "error"),
        ("classifying", "misspelled_name"),
        ("editing", "Ingebrigtsen"),
        ("commenting", "World Athletics profile"),
    ]
    assert all(b["type"] == "TextualBody" for b in error["body"])
    assert event["motivation"] == "tagging"
    assert event["body"] == [{"type": "TextualBody", "purpose": "tagging", "value": "event"}]
    assert ("describing", "2024-08-06") in [(b["purpose"], b["value"]) for b in date["body"]]
    assert ("identifying", "kb:hocker") in [(b["purpose"], b["value"]) for b in athlete["body"]]


def test_pending_suggestions_are_marked_and_created_by_software():
    athlete, event, date, _ = _items([_record()])
    assert athlete["schema:creativeWorkStatus"] == "pending"
    assert athlete["creator"]["type"] == "Software"
    assert date["schema:creativeWorkStatus"] == "accepted"
    assert date["creator"]["type"] == "Software"  # accepted, but a suggester found it
    assert event["creator"] == {"type": "Person", "name": "alice"}


def test_the_target_is_the_web_page_when_there_is_one_else_a_urn_of_the_text():
    [local] = _items([_record(spans=SPANS[1:2])])
    assert local["target"]["source"] == "urn:annotator:document/" + "ab" * 32
    [web] = _items([_record(spans=SPANS[1:2], source="https://exämple.org/nordås 1500?x=å")])
    assert web["target"]["source"] == "https://xn--exmple-cua.org/nord%C3%A5s%201500?x=%C3%A5"
    assert document_iri({"source": "ftp://example.org/a", "sha256": "cd"}) == (
        "urn:annotator:document/cd"
    )


def test_a_custom_base_iri_prefixes_every_minted_id():
    [item] = _items([_record(spans=SPANS[1:2])], base_iri="https://example.org/anno/")
    assert item["id"] == "https://example.org/anno/document/7/span/1"
    assert item["target"]["source"] == "https://example.org/anno/document/" + "ab" * 32
    with pytest.raises(ValueError, match="absolute IRI"):
        W3CWriter(io.StringIO(), base_iri="annotations/")


def test_labels_with_error_attributes_in_the_tagset_are_assessed():
    tagset = parse_tagset(
        {
            "label": [
                {
                    "key": "mistake",
                    "color": "#e15759",
                    "shortcut": "1",
                    "attributes": {"error_type": ["misspelled_name"], "note": "text"},
                }
            ]
        }
    )
    spans = [SPANS[3].with_changes(label="mistake")]
    [plain] = _items([_record(spans=spans)])
    [assessed] = _items([_record(spans=spans)], tagset=tagset)
    assert (plain["motivation"], assessed["motivation"]) == ("tagging", "assessing")


def test_reanchor_finds_the_span_in_an_edited_text():
    error = _items([_record()])[3]
    assert reanchor(TEXT, error) == (TEXT.index("Ingebrigsten"), TEXT.index("Ingebrigsten") + 12)
    # An editor inserted a paragraph before the span and a second "Ingebrigsten" after it.
    edited = (
        "Updated: results confirmed. Ingebrigsten's coach spoke later.\n"
        + TEXT
        + " Ingebrigsten said he was tired."
    )
    start, end = reanchor(edited, error)
    assert edited[start:end] == "Ingebrigsten"
    assert edited[start - 6 : end + 4] == "Jakob Ingebrigsten was"
    # The quote's context decides, not only the old position.
    assert start == len("Updated: results confirmed. Ingebrigsten's coach spoke later.\n") + (
        TEXT.index("Ingebrigsten")
    )


def test_reanchor_uses_the_old_position_to_choose_between_equal_candidates():
    annotation = {
        "target": {
            "selector": [
                {"type": "TextQuoteSelector", "exact": "Kerr"},
                {"type": "TextPositionSelector", "start": 20, "end": 24},
            ]
        }
    }
    text = "Kerr won. Then, yes, Kerr won again. Kerr!"
    assert reanchor(text, annotation) == (21, 25)


def test_reanchor_gives_none_when_the_quote_is_gone():
    error = _items([_record()])[3]
    corrected = TEXT.replace("Ingebrigsten", "Ingebrigtsen")
    assert reanchor(corrected, error) is None
    position_only = {"target": {"selector": {"type": "TextPositionSelector", "start": 0, "end": 4}}}
    assert reanchor("Kerr", position_only) == (0, 4)
    assert reanchor("Ker", position_only) is None
