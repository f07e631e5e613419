"""The spaCy DocBin export: read back with spaCy itself; spaCy stays an optional import."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from annotator.core.formats.jsonl import SPAN_KEYS
from annotator.core.formats.spacy_docbin import FormatUnavailable, SpacyWriter, spacy_available

# The emoji ZWJ sequence is four code points and spaCy cuts it into four tokens; "Nordås" has
# an accent: offsets are code points in both programs, or every span below would shift.
TEXT = "🏃‍♀️ Narve Gilje Nordås beat Jakob Ingebrigsten in Rome.\nOn 6 August\n2024 he won."


def span(needle: str, label: str, **fields: Any) -> dict[str, Any]:
    start = TEXT.index(needle)
    record = dict.fromkeys(("error_type", "correction", "note", "value", "entity", "annotator"))
    record.update(start=start, end=start + len(needle), label=label, text=needle)
    record.update(origin="manual", status="accepted")
    record.update(fields)
    return record


def document(spans: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    record = {"id": 12, "title": "Nordås wins", "source": "nordas.txt", "published": "2024-08-06"}
    record.update(sha256="ab" * 32, text=TEXT)
    record["spans"] = sorted(spans, key=lambda s: (s["start"], s["end"]))
    record.update(fields)
    return record


@pytest.fixture
def spacy():
    return pytest.importorskip("spacy")


def export(*records: dict[str, Any]) -> tuple[bytes, list[str]]:
    out = io.BytesIO()
    writer = SpacyWriter(out)
    for record in records:
        writer.write(record)
    notes = writer.finish().messages
    return out.getvalue(), notes


def read(spacy, data: bytes) -> list:
    from spacy.tokens import DocBin

    return list(DocBin().from_bytes(data).get_docs(spacy.blank("xx").vocab))


def test_ents_spans_and_user_data_read_back(spacy):
    spans = [
        span("Narve Gilje Nordås", "athlete"),
        span("Jakob Ingebrigsten", "athlete"),
        span(
            "Ingebrigsten",
            "error",
            error_type="misspelled_name",
            correction="Ingebrigtsen",
            note="KB",
        ),
        span("Rome", "event", status="pending", origin="suggested"),
        span("6 August\n2024", "date", value="2024-08-06"),
    ]
    record = document(spans)
    data, notes = export(record, document([], id=13, title="Empty"))
    doc, empty = read(spacy, data)

    assert doc.text == TEXT
    assert [(e.text, e.label_, e.start_char) for e in doc.ents] == [
        ("Narve Gilje Nordås", "athlete", 5),
        ("Jakob Ingebrigsten", "athlete", 29),
        ("Rome", "event", 51),
        ("6 August\n2024", "date", 60),
    ]
    assert [(s.text, s.label_) for s in doc.spans["sc"]] == [
        (s["text"], s["label"]) for s in record["spans"]
    ]
    assert doc.user_data["annotator_document"] == {
        "id": 12,
        "title": "Nordås wins",
        "source": "nordas.txt",
        "published": "2024-08-06",
        "sha256": "ab" * 32,
    }
    # msgpack gives the list back as a tuple.
    assert list(doc.user_data["annotator_spans"]) == [
        {key: s[key] for key in SPAN_KEYS} for s in record["spans"]
    ]
    assert notes == [
        "document 12 'Nordås wins': span 35:47 'Ingebrigsten' (error) overlaps athlete 29:47 "
        "— in spans['sc'], not in ents"
    ]
    assert empty.text == TEXT and len(empty.ents) == 0 and len(empty.spans["sc"]) == 0
    assert empty.user_data["annotator_document"]["id"] == 13
    # Tokens outside the entities are "outside", not "missing": the annotation is complete.
    assert doc[4].ent_iob_ == "B" and doc[7].ent_iob_ == "O"


def test_a_span_inside_a_token_is_widened_in_sc_and_kept_out_of_ents(spacy, tmp_path):
    partial = span("Ingebrig", "error", error_type="misspelled_name")
    data, notes = export(document([partial]))
    path: Path = tmp_path / "corpus.spacy"
    path.write_bytes(data)
    from spacy.tokens import DocBin

    (doc,) = DocBin().from_disk(path).get_docs(spacy.blank("xx").vocab)
    assert list(doc.ents) == []
    assert [(s.text, s.label_) for s in doc.spans["sc"]] == [("Ingebrigsten", "error")]
    assert doc.user_data["annotator_spans"][0]["text"] == "Ingebrig"
    assert notes == [
        "document 12 'Nordås wins': span 35:43 'Ingebrig' (error) does not match spaCy's "
        "token bounds — stored as 35:47 'Ingebrigsten' in spans['sc'], not in ents"
    ]


def test_a_span_with_no_spacy_token_is_reported_and_left_out(spacy):
    space = span(" beat ", "event")
    space.update(start=space["start"] + 5, end=space["start"] + 6, text=" ")
    data, notes = export(document([space]))
    (doc,) = read(spacy, data)
    assert list(doc.spans["sc"]) == [] and list(doc.ents) == []
    assert notes == [
        "document 12 'Nordås wins': span 28:29 ' ' (event) covers no spaCy token — not in the "
        ".spacy file"
    ]


def test_pending_loses_to_accepted_over_the_same_tokens(spacy):
    pending = span("Ingebrigsten", "athlete", status="pending", origin="suggested")
    accepted = span("Ingebrigsten", "error")
    record = document([])
    record["spans"] = [pending, accepted]
    data, notes = export(record)
    (doc,) = read(spacy, data)
    assert [(e.text, e.label_) for e in doc.ents] == [("Ingebrigsten", "error")]
    assert [s.label_ for s in doc.spans["sc"]] == ["athlete", "error"]
    assert len(notes) == 1 and "(athlete) overlaps error 35:47" in notes[0]


def test_an_unknown_language_is_a_value_error(spacy):
    with pytest.raises(ValueError, match="no language 'zz-nope'"):
        SpacyWriter(io.BytesIO(), lang="zz-nope")


def test_a_missing_spacy_raises_format_unavailable(monkeypatch):
    monkeypatch.setitem(sys.modules, "spacy", None)  # makes `import spacy` fail
    with pytest.raises(FormatUnavailable, match=r"pip install 'annotator\[spacy\]'"):
        SpacyWriter(io.BytesIO())


def test_importing_the_formats_never_imports_spacy():
    code = (
        "import sys, annotator.core.formats, annotator.core.formats.spacy_docbin\n"
        "import annotator.core.formats.conll, annotator.core.formats.brat\n"
        "assert 'spacy' not in sys.modules, 'spacy imported'\n"
        "assert not any(name.startswith(('PySide6', 'sqlalchemy')) for name in sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_spacy_available_matches_the_import():
    try:
        import spacy  # noqa: F401
    except ImportError:
        assert not spacy_available()
    else:
        assert spacy_available()
