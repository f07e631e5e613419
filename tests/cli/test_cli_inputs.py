"""`annotator import` on what fact-checkers receive: PDF, Word and OpenDocument files in a
folder among other files, and web pages by address, run as a user runs it (a subprocess)."""

from __future__ import annotations

import pytest
import web_pages
from article_files import write_docx, write_image_only_pdf, write_odt, write_pdf
from cli_helpers import run_cli
from sqlalchemy import select

from annotator.services.app import open_app
from annotator.store.models import DocumentRow


@pytest.fixture(scope="module")
def site():
    with web_pages.serving() as base:
        yield base


def test_a_folder_names_every_file_skipped_or_passed_over_and_no_library_warning(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    write_pdf(folder / "oslo.pdf")
    write_docx(folder / "warholm.docx")
    write_odt(folder / "kipyegon.odt")
    scan = write_image_only_pdf(folder / "report.pdf")
    nav = folder / "menu.html"
    nav.write_text(web_pages.NAV_ONLY_HTML)  # makes trafilatura log "discarding data"
    (folder / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n")

    result = run_cli("import", str(folder), db=tmp_path / "db.sqlite3")

    assert result.returncode == 1, result
    assert result.stdout.strip() == "3 imported, 1 other files passed over, 2 failed"
    assert result.stderr.splitlines() == [
        f"skipped {nav}: no article text found in the HTML",
        f"skipped {scan}: the PDF has no text layer (a scan or images only): run it through "
        "OCR first",
        f"passed over {folder / 'x.png'}: not an article type",
    ]
    # -vv is how a curious user sees what the libraries said; by default they stay quiet.
    verbose = run_cli("-vv", "import", str(nav), db=tmp_path / "db.sqlite3")
    assert "trafilatura" in verbose.stderr


def test_web_pages_by_address_are_imported_and_failures_named(tmp_path, site):
    db = tmp_path / "db.sqlite3"
    result = run_cli("import", f"{site}/article", f"{site}/slow", f"{site}/picture.png",
                     f"{site}/loop-a", f"{site}/nav", "--timeout", "1", db=db)  # fmt: skip
    assert result.returncode == 1, result
    assert result.stdout.strip() == "1 imported, 4 failed"
    assert result.stderr.splitlines() == [
        f"skipped {site}/slow: the site did not deliver the page within 1 seconds",
        f"skipped {site}/picture.png: not an article: the address gives image/png",
        f"skipped {site}/loop-a: the address redirects in a loop",
        f"skipped {site}/nav: no article text found on the page",
    ]
    app = open_app(str(db))
    try:
        with app.db.sessions() as session:
            rows = session.execute(select(DocumentRow.source, DocumentRow.title,
                                          DocumentRow.fetched_at)).all()  # fmt: skip
    finally:
        app.close()
    assert len(rows) == 1
    source, title, fetched_at = rows[0]
    assert (source, title) == (f"{site}/article", web_pages.ARTICLE_TITLE)
    assert fetched_at is not None


def test_a_bad_timeout_is_refused_by_the_command_line(tmp_path):
    result = run_cli("import", "https://example.org/", "--timeout", "0", db=tmp_path / "d.sqlite3")
    assert result.returncode == 2
    assert "not a number of seconds" in result.stderr
    assert not (tmp_path / "d.sqlite3").exists()
