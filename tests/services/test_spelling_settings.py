"""The spelling setting in the database's meta table, and suggestion runs following it (on
SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from annotator.services.spelling import SpellingSettings
from annotator.services.suggesting import suggest_documents

TEXT = "The 10 kilometres course was her favourite; she recieved the the trophy."


def _errors(app, doc_id):
    return sorted(
        (s.text, s.error_type, s.correction)
        for s in app.annotations.spans(doc_id)
        if s.label == "error"
    )


def test_the_setting_defaults_to_auto_and_is_kept_for_every_client(app, db_url):
    from annotator.services.app import open_app

    settings = SpellingSettings(app.db, actor="tester")
    assert settings.variant() == "auto"
    settings.set_variant("en_US")
    other = open_app(db_url, annotator="colleague")
    try:
        assert SpellingSettings(other.db, actor="colleague").variant() == "en_US"
    finally:
        other.close()
    with pytest.raises(ValueError, match="unknown spelling variant 'en_AU'"):
        settings.set_variant("en_AU")
    assert settings.variant() == "en_US"


def test_a_suggestion_run_checks_against_the_set_variant(app, make_document):
    doc_id = make_document(TEXT)
    suggest_documents(app.db, app.kb, document_ids=[doc_id], use_spacy=False)
    auto = _errors(app, doc_id)
    assert ("recieved", "misspelling", "received") in auto
    assert ("the the", "other", "the") in auto
    assert not any(text in ("kilometres", "favourite") for text, _, _ in auto)
    SpellingSettings(app.db, actor="tester").set_variant("en_US")
    suggest_documents(app.db, app.kb, document_ids=[doc_id], use_spacy=False)
    us = _errors(app, doc_id)
    assert ("kilometres", "misspelling", "kilometers") in us
    assert ("favourite", "misspelling", "favorite") in us


def test_worker_processes_check_against_the_set_variant_too(app, make_document):
    first = make_document(TEXT, title="One")
    second = make_document("Her favourite colour is gold.", title="Two")
    SpellingSettings(app.db, actor="tester").set_variant("en_US")
    suggest_documents(app.db, app.kb, use_spacy=False, jobs=2)
    assert ("kilometres", "misspelling", "kilometers") in _errors(app, first)
    assert ("favourite", "misspelling", "favorite") in _errors(app, second)
