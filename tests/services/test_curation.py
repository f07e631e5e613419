"""Curation in the database, on SQLite and PostgreSQL: the automatic merge, settling
disagreements, the curator's rights, and what an export takes from which layer."""

from __future__ import annotations

import json

import pytest

from annotator.core.curation import Strategy
from annotator.core.errors import DatabaseError
from annotator.core.model import DocStatus
from annotator.services.app import open_app
from annotator.services.curation import CurationService
from annotator.services.exporting import UnknownLayer, export_dataset

TEXT = "Josh Kerr beat Jakob Ingebrigsten in Tokyo. Cole Hocker was third."


@pytest.fixture
def desk(db_url, app, make_document):
    """carol curates; alice and bob annotate one article."""
    people = {name: open_app(db_url, annotator=name) for name in ("alice", "bob", "carol")}
    people["carol"].desk.set_role("carol", "curator")
    doc = make_document(TEXT)
    yield doc, people
    for opened in people.values():
        opened.close()


def tag(app, doc, needle, label="athlete", **fields):
    start = TEXT.index(needle)
    return app.annotations.create(
        document_id=doc, start=start, end=start + len(needle), label=label, **fields
    )


def test_auto_curation_merges_agreement_and_lists_the_rest(desk):
    doc, p = desk
    for who in ("alice", "bob"):
        tag(p[who], doc, "Josh Kerr", note=f"{who}'s source")
    tag(p["alice"], doc, "Jakob Ingebrigsten")
    tag(
        p["bob"],
        doc,
        "Ingebrigsten",
        "error",
        error_type="misspelled_name",
        correction="Ingebrigtsen",
    )
    curation = CurationService(p["carol"].db, actor="carol")
    undecided = []
    report = curation.auto(undecided=undecided.append)
    assert (report.documents, report.spans, report.undecided, report.read) == (1, 1, 1, 4)
    (left,) = undecided
    assert {n: [t.text for t in tags] for n, tags in left.options.items()} == {
        "alice": ["Jakob Ingebrigsten"],
        "bob": ["Ingebrigsten"],
    }
    curated = curation.state(doc).curated
    assert [(s.text, s.layer, s.annotator) for s in curated] == [("Josh Kerr", "curated", "carol")]
    assert "alice: alice's source" in curated[0].note
    # Running again leaves a curated document alone; --again adds nothing twice.
    assert curation.auto().already == 1
    assert curation.auto(again=True).spans == 0


def test_settling_takes_one_side_and_undo_forgets_it(desk):
    doc, p = desk
    tag(p["alice"], doc, "Jakob Ingebrigsten")
    tag(
        p["bob"],
        doc,
        "Ingebrigsten",
        "error",
        error_type="misspelled_name",
        correction="Ingebrigtsen",
    )
    curation = CurationService(p["carol"].db, actor="carol")
    (item,) = curation.state(doc).open_disagreements()
    made = curation.settle(doc, item.key, item.options["bob"], "bob")
    assert [(s.label, s.correction, s.layer) for s in made] == [
        ("error", "Ingebrigtsen", "curated")
    ]
    state = curation.state(doc)
    assert state.open_disagreements() == [] and state.settled == {item.key: "bob"}
    curation.unsettle(doc, item.key, made)
    state = curation.state(doc)
    assert state.curated == [] and len(state.open_disagreements()) == 1
    # "none" leaves nothing in the curated layer, and the disagreement stays settled.
    curation.settle(doc, item.key, (), "none")
    state = curation.state(doc)
    assert state.curated == [] and state.open_disagreements() == []


def test_settling_first_does_not_keep_the_agreed_spans_out(desk):
    doc, p = desk
    for who in ("alice", "bob"):
        tag(p[who], doc, "Josh Kerr")
    tag(p["alice"], doc, "Tokyo", "event")
    curation = CurationService(p["carol"].db, actor="carol")
    (item,) = curation.state(doc).open_disagreements()
    curation.settle(doc, item.key, item.options["alice"], "alice")
    report = curation.auto()
    assert (report.documents, report.spans, report.already) == (1, 1, 0)
    assert sorted(s.text for s in curation.state(doc).curated) == ["Josh Kerr", "Tokyo"]
    # Once merged, a span the curator removes stays removed on the next automatic run.
    (kerr,) = [s for s in curation.state(doc).curated if s.text == "Josh Kerr"]
    p["carol"].annotations.delete(kerr.id, expected_version=kerr.version)
    assert curation.auto().already == 1
    assert [s.text for s in curation.state(doc).curated] == ["Tokyo"]


def test_a_done_annotator_with_no_spans_votes_for_nothing(desk):
    doc, p = desk
    for who in ("alice", "bob"):
        tag(p[who], doc, "Tokyo", "event")
    p["carol"].desk.set_assigned(doc, "dave", True)
    dave = open_app(p["carol"].db.url, annotator="dave")
    try:
        dave.documents.set_status(doc, DocStatus.DONE)
    finally:
        dave.close()
    report = CurationService(p["carol"].db, actor="carol").auto(strategy=Strategy.ALL)
    assert report.spans == 0 and report.undecided == 1
    majority = CurationService(p["carol"].db, actor="carol").auto(
        strategy=Strategy.MAJORITY, again=True
    )
    assert majority.spans == 1


def test_only_a_curator_curates_and_the_curated_layer_is_theirs(desk):
    doc, p = desk
    for who in ("alice", "bob"):
        tag(p[who], doc, "Tokyo", "event")
    with pytest.raises(DatabaseError, match="only a curator may curate"):
        CurationService(p["alice"].db, actor="alice").auto()
    CurationService(p["carol"].db, actor="carol").auto()
    (curated,) = [s for s in p["carol"].annotations.spans(doc) if s.layer == "curated"]
    with pytest.raises(DatabaseError, match="curators only"):
        p["alice"].annotations.update(curated.id, expected_version=curated.version, note="x")
    p["carol"].annotations.update(curated.id, expected_version=curated.version, note="ok")


def test_export_takes_the_curated_layer_where_there_is_one(desk, tmp_path):
    doc, p = desk
    for who in ("alice", "bob"):
        tag(p[who], doc, "Josh Kerr")
    tag(p["alice"], doc, "Tokyo", "event")
    db = p["carol"].db

    def exported(**options):
        out = tmp_path / "out.jsonl"
        export_dataset(db, out, format="jsonl", **options)
        (record,) = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
        return sorted((s["text"], s["annotator"]) for s in record["spans"])

    # Before curation: every accepted span, as before layers existed.
    assert exported() == [("Josh Kerr", "alice"), ("Josh Kerr", "bob"), ("Tokyo", "alice")]
    CurationService(db, actor="carol").auto()
    assert exported() == [("Josh Kerr", "carol")]
    assert exported(layer="curated") == [("Josh Kerr", "carol")]
    assert exported(layer="alice") == [("Josh Kerr", "alice"), ("Tokyo", "alice")]
    assert len(exported(layer="all")) == 4
    with pytest.raises(UnknownLayer, match="layers: all, alice, bob, curated"):
        exported(layer="zoe")


def test_importing_a_colleagues_database_keeps_their_identical_tags(
    db_url, tmp_path, app, make_document
):
    from annotator.services.dataset_import import import_any

    doc = make_document(TEXT)
    tag(app, doc, "Josh Kerr", note="mine")
    theirs = tmp_path / "bob.sqlite3"
    bob = open_app(theirs, annotator="bob")
    try:
        export = tmp_path / "ours.jsonl"
        export_dataset(app.db, export, format="jsonl")
        import_any(bob.db, [export])  # the same article, with tester's span
        (their_doc,) = bob.documents.ids()
        tag(bob, their_doc, "Josh Kerr", note="bob's evidence")
        tag(bob, their_doc, "Tokyo", "event")
    finally:
        bob.close()
    report = import_any(app.db, [theirs])
    assert report.merged_spans == 2 and not report.errors
    spans = sorted((s.text, s.layer, s.note) for s in app.annotations.spans(doc))
    assert spans == [
        ("Josh Kerr", "bob", "bob's evidence"),
        ("Josh Kerr", "tester", "mine"),
        ("Tokyo", "bob", None),
    ]
    # Merging again adds nothing.
    assert import_any(app.db, [theirs]).merged_spans == 0
