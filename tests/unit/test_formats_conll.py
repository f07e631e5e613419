"""The CoNLL-2003 export: columns, document and sentence breaks, BIO tags, overlap and
alignment reports, read back by an independent parser and by spaCy's own converter."""

from __future__ import annotations

import io
from typing import Any

import pytest

from annotator.core.formats.conll import DOCSTART, ConllWriter
from annotator.core.model import SpanError

# An emoji ZWJ sequence (one grapheme, four code points) and accented names before the spans:
# a writer counting UTF-16 units or bytes would tag the wrong tokens.
TEXT = (
    "🏃‍♀️ Narve Gilje Nordås beat Jakob Ingebrigsten in Rome.\n"
    "On 6 August\n2024 he ran 3:43.73 in the 1500 m."
)


def span(text: str, needle: str, label: str, *, nth: int = 0, **fields: Any) -> dict[str, Any]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    record = dict.fromkeys(("error_type", "correction", "note", "value", "entity", "annotator"))
    record.update(start=start, end=start + len(needle), label=label, text=needle)
    record.update(origin="manual", status="accepted")
    record.update(fields)
    return record


def document(spans: list[dict[str, Any]], text: str = TEXT, **fields: Any) -> dict[str, Any]:
    record = {"id": 12, "title": "Nordås wins", "source": None, "published": None}
    record.update(sha256="0" * 64, text=text, spans=sorted(spans, key=_order))
    record.update(fields)
    return record


def _order(span: dict[str, Any]) -> tuple[int, int]:
    return span["start"], span["end"]


def export(*records: dict[str, Any]) -> tuple[str, list[str]]:
    out = io.StringIO()
    writer = ConllWriter(out)
    for record in records:
        writer.write(record)
    return out.getvalue(), writer.finish().messages


def parse(data: str) -> list[list[list[tuple[str, str]]]]:
    """Documents -> sentences -> (word, tag), written apart from the writer on purpose."""
    documents: list[list[list[tuple[str, str]]]] = []
    sentence: list[tuple[str, str]] = []
    for line in data.split("\n"):
        columns = line.split(" ")
        if line == "":
            if sentence:
                documents[-1].append(sentence)
                sentence = []
            continue
        assert len(columns) == 4, line
        if columns[0] == "-DOCSTART-":
            assert not sentence
            documents.append([])
            continue
        assert columns[1:3] == ["-X-", "_"]
        sentence.append((columns[0], columns[3]))
    assert not sentence, "the file must end with a blank line"
    return documents


def entities(sentences: list[list[tuple[str, str]]]) -> list[tuple[str, str]]:
    found: list[tuple[str, list[str]]] = []
    for sentence in sentences:
        previous = "O"
        for word, tag in sentence:
            if tag.startswith("B-") or (tag.startswith("I-") and previous[2:] != tag[2:]):
                found.append((tag[2:], [word]))
            elif tag.startswith("I-"):
                found[-1][1].append(word)
            previous = tag
    return [(" ".join(words), label) for label, words in found]


def test_tokens_tags_and_breaks_of_two_documents():
    first = document(
        [
            span(TEXT, "Narve Gilje Nordås", "athlete"),
            span(TEXT, "Jakob Ingebrigsten", "athlete"),
            span(TEXT, "Rome", "event"),
        ]
    )
    second = document([span("Warholm won.", "Warholm", "athlete")], text="Warholm won.", id=13)
    data, notes = export(first, second)

    assert notes == []
    assert data.startswith(f"{DOCSTART}\n\n🏃‍♀️ -X- _ O\nNarve -X- _ B-athlete\n")
    assert data.count(DOCSTART) == 2
    documents = parse(data)
    assert entities(documents[0]) == [
        ("Narve Gilje Nordås", "athlete"),
        ("Jakob Ingebrigsten", "athlete"),
        ("Rome", "event"),
    ]
    # A sentence a line: the line break and the full stop end sentences.
    assert [" ".join(word for word, _ in s) for s in documents[0]] == [
        "🏃‍♀️ Narve Gilje Nordås beat Jakob Ingebrigsten in Rome .",
        "On 6 August",
        "2024 he ran 3:43.73 in the 1500 m .",
    ]
    assert documents[1] == [[("Warholm", "B-athlete"), ("won", "O"), (".", "O")]]


def test_a_span_across_a_sentence_break_keeps_its_sentences_together():
    data, notes = export(document([span(TEXT, "6 August\n2024", "date")]))
    sentences = parse(data)[0]
    assert notes == []
    assert len(sentences) == 2
    assert sentences[1][:4] == [
        ("On", "O"),
        ("6", "B-date"),
        ("August", "I-date"),
        ("2024", "I-date"),
    ]


def test_an_overlapping_span_is_left_out_and_reported():
    athlete = span(TEXT, "Jakob Ingebrigsten", "athlete")
    error = span(TEXT, "Ingebrigsten", "error", error_type="misspelled_name")
    data, notes = export(document([athlete, error]))
    assert entities(parse(data)[0]) == [("Jakob Ingebrigsten", "athlete")]
    a, e = athlete["start"], error["start"]
    assert notes == [
        f"document 12 'Nordås wins': span {e}:{e + 12} 'Ingebrigsten' (error) overlaps "
        f"athlete {a}:{a + 18} — not in the CoNLL file"
    ]


def test_at_an_equal_start_the_longer_span_wins_whatever_the_record_order():
    short = span(TEXT, "Jakob", "athlete")
    long = span(TEXT, "Jakob Ingebrigsten", "error")
    data, notes = export(document([short, long]))
    assert entities(parse(data)[0]) == [("Jakob Ingebrigsten", "error")]
    assert len(notes) == 1 and "span 29:34 'Jakob' (athlete) overlaps error 29:47" in notes[0]


def test_over_the_same_range_an_accepted_span_beats_a_pending_suggestion():
    pending = span(TEXT, "Ingebrigsten", "athlete", status="pending", origin="suggested")
    accepted = span(TEXT, "Ingebrigsten", "error")
    record = document([])
    record["spans"] = [pending, accepted]  # the pending one first in the record
    data, notes = export(record)
    assert entities(parse(data)[0]) == [("Ingebrigsten", "error")]
    assert "(athlete) overlaps error" in notes[0]


def test_a_span_ending_inside_a_token_is_widened_to_the_token_and_reported():
    partial = span(TEXT, "Ingebrig", "error")
    data, notes = export(document([partial]))
    assert entities(parse(data)[0]) == [("Ingebrigsten", "error")]
    start = partial["start"]
    assert notes == [
        f"document 12 'Nordås wins': span {start}:{start + 8} 'Ingebrig' (error) does not "
        f"match token bounds — written as {start}:{start + 12} 'Ingebrigsten' in the CoNLL file"
    ]


def test_widened_spans_are_judged_for_overlap_on_their_tokens():
    # "Ingebrig" and "sten" never overlap as characters but share one token.
    first = span(TEXT, "Ingebrig", "error")
    second = span(TEXT, "sten", "athlete", nth=0)
    data, notes = export(document([first, second]))
    assert entities(parse(data)[0]) == [("Ingebrigsten", "error")]
    assert any("(athlete) overlaps error" in note for note in notes)


def test_invisible_tokens_are_left_out_and_a_span_of_them_is_reported():
    text = "Jakob \u200b Ingebrigtsen won \ufeff\u00ad today."
    name = span(text, "Jakob \u200b Ingebrigtsen", "athlete")
    invisible = span(text, "\ufeff\u00ad", "error")
    data, notes = export(document([name, invisible], text=text))
    assert parse(data) == [
        [
            [
                ("Jakob", "B-athlete"),
                ("Ingebrigtsen", "I-athlete"),
                ("won", "O"),
                ("today", "O"),
                (".", "O"),
            ]
        ]
    ]
    assert len(notes) == 1 and "covers no token — not in the CoNLL file" in notes[0]


def test_crlf_text_and_odd_spaces_never_reach_a_line():
    text = "Warholm won\r\nin Oslo\u2028today\u00a0again."
    data, notes = export(document([span(text, "Oslo", "event")], text=text))
    assert "\r" not in data and "\u2028" not in data and "\u00a0" not in data
    words = [word for sentence in parse(data)[0] for word, _ in sentence]
    assert words == ["Warholm", "won", "in", "Oslo", "today", "again", "."]


def test_a_document_without_tokens_still_gets_its_docstart():
    data, notes = export(document([], text="   \n "))
    assert data == f"{DOCSTART}\n\n"
    assert notes == []


def test_a_label_with_whitespace_is_written_as_one_column_and_reported_once():
    record = document([span(TEXT, "Rome", "big event"), span(TEXT, "Nordås", "big event")])
    data, notes = export(record)
    assert "Rome -X- _ B-big_event" in data
    assert notes == ["label 'big event' is written as 'big_event' in the CoNLL file"]


def test_a_span_that_does_not_fit_the_text_is_an_error_not_a_line():
    bad = span(TEXT, "Rome", "event")
    bad["text"] = "Roma"
    with pytest.raises(SpanError, match="span 1 \\(event\\)"):
        export(document([bad]))


def test_spacy_conll_ner_converter_reads_the_file():
    pytest.importorskip("spacy")
    from spacy.training.converters import conll_ner_to_docs

    first = document(
        [
            span(TEXT, "Narve Gilje Nordås", "athlete"),
            span(TEXT, "Ingebrigsten", "error"),
            span(TEXT, "6 August\n2024", "date"),
        ]
    )
    second = document([span("Warholm won.", "Warholm", "athlete")], text="Warholm won.", id=13)
    data, _ = export(first, second)
    docs = list(conll_ner_to_docs(data, n_sents=0, no_print=True))
    assert len(docs) == 2
    assert [(ent.text, ent.label_) for ent in docs[0].ents] == [
        ("Narve Gilje Nordås", "athlete"),
        ("Ingebrigsten", "error"),
        ("6 August 2024", "date"),
    ]
    assert docs[0][0].text == "🏃‍♀️"
    assert [(ent.text, ent.label_) for ent in docs[1].ents] == [("Warholm", "athlete")]
    assert [sent.text for sent in docs[1].sents] == ["Warholm won ."]
