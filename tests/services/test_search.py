"""Corpus search on both engines: text, whole words and regular expressions found through the
full-text indexes (kept current by the database), exact code-point offsets, context, limits,
and span search with each filter and the blind-mode visibility rule."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import delete, insert, update

from annotator.core.textload import LoadedArticle
from annotator.services.app import open_app
from annotator.services.desk import LayerMode, Role
from annotator.services.importing import import_articles
from annotator.services.progress import Cancelled, Reporter
from annotator.services.search import SearchError, SpanQuery, TextQuery
from annotator.store.models import AnnotationRow, DocumentRow, DocumentTextRow, table

KERR = "Josh Kerr won the 1500 m in Eugene.\nJakob Ingebrigtsen was second; KERR celebrated."
EMOJI = "🏃‍♂️🔥 Faith Kipyegon ran 3:49.04 in Paris — a world record for Kipyegon."
ACCENTS = "L'Équipe says Mondo Duplantis cleared 6.24 m; l'équipe was there."


@pytest.fixture
def corpus(make_document):
    return [make_document(KERR, title="Kerr wins"),
            make_document(EMOJI, title="Kipyegon record"),
            make_document(ACCENTS, title="Duplantis")]  # fmt: skip


def found(result):
    return [(h.document_id, h.match) for h in result.hits]


def check_offsets(app, result):
    """Every hit's offsets are code points into the stored text, and its context is there."""
    for hit in result.hits:
        text = app.documents.get(hit.document_id, with_spans=False).text
        assert text[hit.start : hit.end] == hit.match
        assert text[: hit.start].endswith(hit.before)
        assert text[hit.end :].startswith(hit.after)
        assert "\n" not in hit.before + hit.after


def test_text_search_is_a_case_insensitive_substring_search(app, corpus):
    result = app.search.text(TextQuery("kerr"))
    assert found(result) == [(corpus[0], "Kerr"), (corpus[0], "KERR")]
    assert result.documents == 1 and not result.truncated
    assert result.hits[0].title == "Kerr wins"
    assert result.hits[0].before == "Josh " and result.hits[0].after == " won the 1500 m in Eugene."
    # The second hit's context stops at the line break before it.
    assert result.hits[1].before == "Jakob Ingebrigtsen was second; "
    check_offsets(app, result)
    # A substring inside a word.
    assert found(app.search.text(TextQuery("ebrigt"))) == [(corpus[0], "ebrigt")]


def test_case_sensitive_search(app, corpus):
    assert found(app.search.text(TextQuery("KERR", case=True))) == [(corpus[0], "KERR")]
    assert found(app.search.text(TextQuery("kerr", case=True))) == []


def test_offsets_are_code_points_after_emoji(app, corpus):
    result = app.search.text(TextQuery("Kipyegon"))
    assert found(result) == [(corpus[1], "Kipyegon"), (corpus[1], "Kipyegon")]
    assert result.hits[0].start == EMOJI.index("Kipyegon")
    check_offsets(app, result)


def test_accented_letters_fold_case_but_keep_their_accents(app, corpus):
    result = app.search.text(TextQuery("équipe"))
    assert found(result) == [(corpus[2], "Équipe"), (corpus[2], "équipe")]
    check_offsets(app, result)
    assert found(app.search.text(TextQuery("equipe"))) == []


def test_short_queries_and_punctuation_are_found_without_the_index(app, corpus):
    # Fewer than three characters, and non-ASCII: a scan, exact all the same.
    assert found(app.search.text(TextQuery("m;"))) == [(corpus[2], "m;")]
    assert found(app.search.text(TextQuery("—"))) == [(corpus[1], "—")]
    assert [h.start for h in app.search.text(TextQuery("🔥")).hits] == [EMOJI.index("🔥")]


def test_whole_words(app, corpus):
    assert found(app.search.text(TextQuery("won", mode="words"))) == [(corpus[0], "won")]
    assert found(app.search.text(TextQuery("Kerr won", mode="words"))) == [(corpus[0], "Kerr won")]
    assert found(app.search.text(TextQuery("Kipyego", mode="words"))) == []
    assert found(app.search.text(TextQuery("Kipyego"))) != []
    # Short words go through the scan: "m" alone, not the m in "Duplantis cleared".
    assert found(app.search.text(TextQuery("m", mode="words"))) == [
        (corpus[0], "m"),
        (corpus[2], "m"),
    ]


def test_regular_expressions(app, corpus):
    result = app.search.text(TextQuery(r"\d:\d\d\.\d\d", mode="regex"))
    assert found(result) == [(corpus[1], "3:49.04")]
    check_offsets(app, result)
    # With a literal the index can use, and one it cannot (a branch).
    assert found(app.search.text(TextQuery(r"Dupl\w+", mode="regex"))) == [(corpus[2], "Duplantis")]
    assert found(app.search.text(TextQuery(r"Eugene|Paris", mode="regex"))) == [
        (corpus[0], "Eugene"),
        (corpus[1], "Paris"),
    ]
    assert found(app.search.text(TextQuery(r"kerr\b", mode="regex", case=True))) == []


def test_a_bad_regular_expression_is_a_one_line_error(app, corpus):
    with pytest.raises(SearchError, match=r"^bad regular expression: ") as caught:
        app.search.text(TextQuery("Kerr (won", mode="regex"))
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_an_empty_query_finds_nothing(app, corpus):
    assert app.search.text(TextQuery("")).hits == []
    assert app.search.text(TextQuery("", mode="regex")).hits == []
    assert app.search.spans(SpanQuery()).hits == []
    # A pattern matching only empty strings does not flood the results.
    assert app.search.text(TextQuery("x*", mode="regex")).hits == []


def test_documents_arriving_later_are_indexed(app, corpus, db_url):
    """Another client imports an article: the index (kept by the database) finds it."""
    other = open_app(db_url, annotator="bob")
    try:
        report = import_articles(
            other.db,
            [
                LoadedArticle(
                    title="Late news",
                    text="Beatrice Chebet broke the 10,000 m record.",
                    published=None,
                    sha256=hashlib.sha256(b"late").hexdigest(),
                    source="late.txt",
                    encoding="utf-8",
                )
            ],
        )
    finally:
        other.close()
    late = report.imported[0][0]
    assert found(app.search.text(TextQuery("chebet"))) == [(late, "Chebet")]
    assert found(app.search.text(TextQuery("Chebet broke", mode="words"))) == [
        (late, "Chebet broke")
    ]


def test_updated_and_deleted_texts_leave_the_index(app, corpus):
    texts, documents = table(DocumentTextRow), table(DocumentRow)
    with app.db.transaction() as conn:
        conn.execute(
            update(texts)
            .where(texts.c.document_id == corpus[0])
            .values(text="Yared Nuguse won the mile.")
        )
        conn.execute(delete(documents).where(documents.c.id == corpus[2]))
    assert found(app.search.text(TextQuery("Kerr"))) == []
    assert found(app.search.text(TextQuery("Nuguse"))) == [(corpus[0], "Nuguse")]
    assert found(app.search.text(TextQuery("Duplantis"))) == []
    if app.db.is_sqlite:
        # The index itself followed (a stale entry would only cost a wasted read above, and
        # a 'delete' with the wrong text would corrupt it: integrity-check raises then).
        with app.db.transaction() as conn:
            conn.exec_driver_sql(
                "INSERT INTO document_search(document_search) VALUES ('integrity-check')"
            )
            assert (
                conn.exec_driver_sql(
                    "SELECT rowid FROM document_search WHERE document_search MATCH "
                    '\'"Dup" AND "pla"\''
                ).all()
                == []
            )


def test_the_limit_truncates_in_document_order(app, make_document):
    ids = [make_document(f"Heat {i}: Kerr, Kerr and Kerr.", title=f"Heat {i}") for i in range(4)]
    result = app.search.text(TextQuery("kerr"), limit=5)
    assert [(h.document_id, h.start) for h in result.hits] == [
        (ids[0], 8),
        (ids[0], 14),
        (ids[0], 23),
        (ids[1], 8),
        (ids[1], 14),
    ]
    assert result.truncated and result.documents == 2  # those found before it stopped
    whole = app.search.text(TextQuery("kerr"), limit=12)
    assert len(whole.hits) == 12 and not whole.truncated and whole.documents == 4
    # The scan (a two-letter query) stops at the limit too.
    short = app.search.text(TextQuery("He"), limit=2)
    assert [h.document_id for h in short.hits] == ids[:2] and short.truncated


def test_progress_is_reported_and_a_cancel_stops_the_search(app, corpus):
    seen = []
    app.search.text(
        TextQuery("won"), reporter=Reporter(progress=lambda d, t, w: seen.append((d, t)))
    )
    assert seen and seen[-1][0] == seen[-1][1]
    with pytest.raises(Cancelled):
        app.search.text(TextQuery(r"\d+", mode="regex"), reporter=Reporter(cancel=lambda: True))


def test_postgresql_without_pg_trgm_searches_words_by_its_word_index(pg_url):
    """Where the database owner may not create pg_trgm there is no trigram index: words go
    through the to_tsvector index, substrings through a scan, with the same results."""
    app = open_app(pg_url, annotator="tester")
    try:
        report = import_articles(app.db, [LoadedArticle(
            title=title, text=text, published=None, sha256=hashlib.sha256(text.encode())
            .hexdigest(), source=f"{title}.txt", encoding="utf-8")
            for title, text in (("Kerr", KERR), ("Mondo", ACCENTS))])  # fmt: skip
        kerr, mondo = (doc for doc, _ in report.imported)
        with app.db.transaction() as conn:
            conn.exec_driver_sql("DROP INDEX ix_document_texts_trigrams")
    finally:
        app.close()
    app = open_app(pg_url, annotator="tester")
    try:
        assert found(app.search.text(TextQuery("kerr WON", mode="words"))) == [(kerr, "Kerr won")]
        assert found(app.search.text(TextQuery("l'équipe", mode="words"))) == [
            (mondo, "L'Équipe"),
            (mondo, "l'équipe"),
        ]
        assert found(app.search.text(TextQuery("ebrigt"))) == [(kerr, "ebrigt")]
        assert found(app.search.text(TextQuery(r"Dupl\w+", mode="regex"))) == [(mondo, "Duplantis")]
    finally:
        app.close()


# -- spans -------------------------------------------------------------------------------------


def add_suggestion(app, doc, text, word, *, rule, status="pending", note=None):
    start = text.index(word)
    with app.db.transaction() as conn:
        conn.execute(
            insert(table(AnnotationRow)).values(
                document_id=doc,
                start=start,
                end=start + len(word),
                label="athlete",
                text=word,
                layer="",
                annotator="suggester",
                origin="suggested",
                status=status,
                rule=rule,
                note=note,
            )
        )


@pytest.fixture
def tagged(app, corpus):
    k, e, a = corpus
    app.annotations.create(
        document_id=k,
        start=KERR.index("Kerr"),
        end=KERR.index("Kerr") + 4,
        label="athlete",
        note="Check the Spelling",
    )
    app.annotations.create(
        document_id=e,
        start=EMOJI.index("3:49"),
        end=EMOJI.index("3:49") + 7,
        label="error",
        error_type="wrong_number",
        note="Élan: it was 3:51",
    )
    add_suggestion(app, a, ACCENTS, "Mondo Duplantis", rule="kb-alias")
    add_suggestion(app, k, KERR, "Jakob Ingebrigtsen", rule="kb-alias", status="rejected")
    return corpus


def test_span_search_by_each_filter(app, tagged):
    k, e, a = tagged
    assert found(app.search.spans(SpanQuery(label="athlete"))) == [
        (k, "Kerr"),
        (a, "Mondo Duplantis"),
    ]
    assert found(app.search.spans(SpanQuery(error_type="wrong_number"))) == [(e, "3:49.04")]
    assert found(app.search.spans(SpanQuery(status="pending"))) == [(a, "Mondo Duplantis")]
    assert found(app.search.spans(SpanQuery(status="rejected"))) == [(k, "Jakob Ingebrigtsen")]
    assert found(app.search.spans(SpanQuery(annotator="tester"))) == [(k, "Kerr"), (e, "3:49.04")]
    assert found(app.search.spans(SpanQuery(annotator="suggester"))) == [(a, "Mondo Duplantis")]
    assert found(app.search.spans(SpanQuery(rule="kb-alias"))) == [(a, "Mondo Duplantis")]
    assert found(app.search.spans(SpanQuery(note="spelling"))) == [(k, "Kerr")]
    assert found(app.search.spans(SpanQuery(note="élan"))) == [(e, "3:49.04")]
    assert found(app.search.spans(SpanQuery(text="dupl"))) == [(a, "Mondo Duplantis")]
    result = app.search.spans(SpanQuery(label="error"))
    assert result.hits[0].label == "error" and result.hits[0].span_id is not None
    assert result.hits[0].title == "Kipyegon record"
    check_offsets(app, result)


def test_span_filters_combine(app, tagged):
    k, _, a = tagged
    assert found(app.search.spans(SpanQuery(label="athlete", status="accepted"))) == [(k, "Kerr")]
    assert found(app.search.spans(SpanQuery(label="athlete", rule="kb-alias", text="mondo"))) == [
        (a, "Mondo Duplantis")
    ]
    assert found(app.search.spans(SpanQuery(label="error", note="spelling"))) == []


def test_span_search_limit(app, tagged):
    result = app.search.spans(SpanQuery(label="athlete"), limit=1)
    assert len(result.hits) == 1 and result.truncated and result.documents == 1


def test_blind_mode_hides_the_other_annotators_spans(app, tagged, db_url):
    k, _, a = tagged
    bob, carol = open_app(db_url, annotator="bob"), open_app(db_url, annotator="carol")
    try:
        start = KERR.index("Eugene")
        bob.annotations.create(document_id=k, start=start, end=start + 6, label="event")
        carol.desk.set_role("carol", Role.CURATOR)
        carol.desk.set_mode(LayerMode.BLIND)
        # tester sees their own spans and the pending pool, not bob's.
        assert found(app.search.spans(SpanQuery(label="event"))) == []
        assert found(app.search.spans(SpanQuery(annotator="bob"))) == []
        assert found(bob.search.spans(SpanQuery(label="athlete"))) == [(a, "Mondo Duplantis")]
        assert found(bob.search.spans(SpanQuery(label="event"))) == [(k, "Eugene")]
        # A curator sees every layer.
        assert found(carol.search.spans(SpanQuery(label="athlete"))) == [
            (k, "Kerr"),
            (a, "Mondo Duplantis"),
        ]
        carol.desk.set_mode(LayerMode.SHARED)
        assert found(app.search.spans(SpanQuery(label="event"))) == [(k, "Eugene")]
    finally:
        bob.close()
        carol.close()
