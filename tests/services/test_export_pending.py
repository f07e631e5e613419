"""Every export says how many pending suggestions it left out, and ClaimReview names the
organisation that publishes it: real databases (SQLite and PostgreSQL) through the services."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json

import pytest

from annotator.core.formats.claimreview import MissingPublisher
from annotator.core.textload import LoadedArticle
from annotator.services.exporting import export_dataset
from annotator.services.formats import EXPORT_FORMATS
from annotator.services.importing import import_articles
from annotator.store.models import AnnotationRow

TEXT = (
    "Jakob Ingebrigsten won the 5000 m in Tokyo on 14 September 2025. "
    "Grant Fisher was second. Cole Hocker fell."
)
OTHER = "Faith Kipyegon won the 1500 m in Tokyo."


def _document(app, text: str, title: str, source: str | None = None) -> int:
    article = LoadedArticle(
        title=title,
        text=text,
        published=dt.date(2025, 9, 15),
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        source=source or f"{title}.txt",
        encoding="utf-8",
    )
    return import_articles(app.db, [article]).imported[0][0]


def _span(app, doc: int, text: str, needle: str, label: str, **fields) -> None:
    start = text.index(needle)
    with app.db.sessions.begin() as session:
        session.add(
            AnnotationRow(
                document_id=doc,
                start=start,
                end=start + len(needle),
                label=label,
                text=needle,
                **fields,
            )
        )


@pytest.fixture
def corpus(app) -> tuple[int, int]:
    """Two articles: one accepted error and athlete; pending suggestions, 3 in the first
    article (an error among them) and 1 in the second; one rejected (never counted)."""
    first = _document(app, TEXT, "Tokyo 5000", source="https://news.example/tokyo-5000")
    second = _document(app, OTHER, "Tokyo 1500")
    _span(
        app,
        first,
        TEXT,
        "Ingebrigsten",
        "error",
        error_type="misspelled_name",
        correction="Ingebrigtsen",
        note="World Athletics profile",
    )
    _span(app, first, TEXT, "Grant Fisher", "athlete")
    pending = {"origin": "suggested", "status": "pending"}
    _span(app, first, TEXT, "Cole Hocker", "athlete", **pending)
    _span(app, first, TEXT, "Tokyo", "event", **pending)
    _span(
        app,
        first,
        TEXT,
        "14 September 2025",
        "error",
        error_type="wrong_date",
        correction="13 September 2025",
        **pending,
    )
    _span(app, second, OTHER, "Faith Kipyegon", "athlete", **pending)
    _span(app, second, OTHER, "Tokyo", "event", origin="suggested", status="rejected")
    return first, second


CLAIMREVIEW = {"publisher": "Athletics Check", "publisher_url": "https://check.example"}


def _options(fmt: str) -> dict:
    return dict(CLAIMREVIEW) if fmt == "claimreview" else {}


def _out(tmp_path, fmt: str):
    spec = EXPORT_FORMATS[fmt]
    return tmp_path / (f"out{spec.suffix}" if spec.suffix else "out-folder")


CARRYING = [f for f, spec in EXPORT_FORMATS.items() if spec.carries_pending]


@pytest.mark.parametrize("fmt", CARRYING)
def test_every_format_counts_the_pending_suggestions_it_left_out(app, corpus, tmp_path, fmt):
    if fmt == "spacy" and importlib.util.find_spec("spacy") is None:
        pytest.skip("spaCy is not installed")
    report = export_dataset(app.db, _out(tmp_path, fmt), format=fmt, **_options(fmt))
    assert report.pending_left_out == 4
    assert report.pending_notice() == (
        "4 pending suggestions not exported; --include-pending adds them"
    )

    (tmp_path / "with").mkdir()
    both = export_dataset(
        app.db, _out(tmp_path / "with", fmt), format=fmt, include_pending=True, **_options(fmt)
    )
    assert both.pending_left_out == 0 and both.pending_notice() is None
    assert both.spans == report.spans + 4


def test_the_count_follows_the_label_and_document_filters(app, corpus, tmp_path):
    first, second = corpus
    out = tmp_path / "x.jsonl"
    assert export_dataset(app.db, out, format="jsonl", labels=["athlete"]).pending_left_out == 2
    assert export_dataset(app.db, out, format="jsonl", documents=[second]).pending_notice() == (
        "1 pending suggestion not exported; --include-pending adds them"
    )
    assert (
        export_dataset(
            app.db, out, format="jsonl", labels=["date"], documents=[first]
        ).pending_notice()
        is None
    )


def test_claimreview_names_the_publisher_and_says_which_errors_wait_for_review(
    app, corpus, tmp_path
):
    out = tmp_path / "reviews.jsonld"
    for include_pending in (False, True):
        report = export_dataset(
            app.db, out, format="claimreview", include_pending=include_pending, **CLAIMREVIEW
        )
        # Only the pending error counts (the athletes and events are no claims), and the
        # flag cannot add it: a suggestion is not a finding.
        assert report.pending_notice() == (
            "1 pending error suggestion not exported: ClaimReview publishes reviewed errors "
            "only; accept them to publish them"
        )
        (review,) = json.loads(out.read_text(encoding="utf-8"))["@graph"]
        assert review["author"] == {
            "@type": "Organization",
            "name": "Athletics Check",
            "url": "https://check.example",
        }
        assert review["datePublished"] == dt.date.today().isoformat()
        assert review["itemReviewed"]["appearance"]["url"] == "https://news.example/tokyo-5000"
        # The documents table holds no byline: no claim author is made up.
        assert "author" not in review["itemReviewed"]
        assert "Ingebrigsten" in review["claimReviewed"]


@pytest.mark.parametrize(
    ("publisher", "url", "message"),
    [
        (None, None, "--publisher NAME"),
        ("   ", "https://check.example", "--publisher NAME"),
        ("Athletics Check", "check.example", "https://"),
    ],
)
def test_claimreview_refuses_without_a_publisher_and_writes_nothing(
    app, corpus, tmp_path, publisher, url, message
):
    out = tmp_path / "reviews.jsonld"
    with pytest.raises(MissingPublisher, match=message):
        export_dataset(app.db, out, format="claimreview", publisher=publisher, publisher_url=url)
    assert not out.exists()
