"""Importing PDF, Word and OpenDocument files and web pages by address into the database,
on SQLite and PostgreSQL: the stored text, the source, and when a page was fetched."""

from __future__ import annotations

import datetime as dt

import pytest
import web_pages
from article_files import DOCX_TEXT, ODT_TEXT, PDF_TEXT, write_docx, write_odt, write_pdf
from sqlalchemy import select

from annotator.services.dataset_import import import_any
from annotator.services.progress import Cancelled, Reporter
from annotator.store.models import DocumentRow


@pytest.fixture(scope="module")
def site():
    with web_pages.serving() as base:
        yield base


def _fetched_at(app, doc_id: int) -> dt.datetime | None:
    with app.db.sessions() as session:
        return session.scalar(select(DocumentRow.fetched_at).where(DocumentRow.id == doc_id))


def test_pdf_docx_and_odt_files_are_stored_with_their_text(app, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    paths = [write_pdf(folder / "a.pdf"), write_docx(folder / "b.docx"),
             write_odt(folder / "c.odt")]  # fmt: skip
    (folder / "d.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    report = import_any(app.db, [folder])
    assert [source for _, source in report.imported] == [str(p) for p in paths]
    assert [(p.path, p.reason) for p in report.passed_over] == [
        (str(folder / "d.png"), "not an article type")
    ]
    texts = [app.documents.get(doc_id).text for doc_id, _ in report.imported]
    assert texts == [PDF_TEXT, DOCX_TEXT, ODT_TEXT]
    assert all(_fetched_at(app, doc_id) is None and app.documents.get(doc_id).fetched is None
               for doc_id, _ in report.imported)  # fmt: skip
    # An offset into the stored text finds the words it was made on.
    doc_id = report.imported[0][0]
    start = PDF_TEXT.index("Ingebrigtsen won")
    span = app.annotations.create(document_id=doc_id, start=start, end=start + 12,
                                  label="athlete")  # fmt: skip
    assert span.text == "Ingebrigtsen"


def test_a_page_by_address_keeps_the_address_and_the_fetch_time(app, site):
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    report = import_any(app.db, [f"{site}/article", f"{site}/nowhere"])
    after = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert [source for _, source in report.imported] == [f"{site}/article"]
    assert [(e.path, e.reason) for e in report.errors] == [
        (f"{site}/nowhere", "the server answered 404 Not Found")
    ]
    doc_id = report.first_id
    assert doc_id is not None
    document = app.documents.get(doc_id)
    assert document.title == web_pages.ARTICLE_TITLE
    assert document.published == dt.date(2025, 8, 12)
    assert web_pages.ARTICLE_SENTENCE in document.text
    fetched = _fetched_at(app, doc_id)
    assert fetched is not None
    assert before - dt.timedelta(seconds=1) <= fetched <= after + dt.timedelta(seconds=1)
    # What the window and exports read carries it too.
    assert document.fetched == fetched == app.documents.info(doc_id).fetched
    # The same page again is the same bytes: not stored twice.
    again = import_any(app.db, [f"{site}/article"])
    assert again.duplicates == [f"{site}/article"] and not again.imported


def test_a_slow_page_fails_alone_and_the_rest_is_imported(app, site, tmp_path):
    pdf = write_pdf(tmp_path / "a.pdf")
    report = import_any(app.db, [f"{site}/slow", pdf], timeout=0.5)
    assert [(e.path, e.reason) for e in report.errors] == [
        (f"{site}/slow", "the site did not deliver the page within 0.5 seconds")
    ]
    assert [source for _, source in report.imported] == [str(pdf)]


def test_cancelling_during_a_fetch_stops_the_import(app, site):
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 3  # a few polls into the silent site's wait

    with pytest.raises(Cancelled):
        import_any(app.db, [f"{site}/slow"], reporter=Reporter(cancel=cancel), timeout=20)
    assert app.documents.count() == 0
