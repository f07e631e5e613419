"""PDF, Word and OpenDocument articles, built in the test by the libraries offices use, read
back into the exact text a fact-checker marks."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from article_files import (
    DOCX_TEXT,
    ODT_TEXT,
    PDF_HEADER,
    PDF_TEXT,
    write_docx,
    write_image_only_pdf,
    write_odt,
    write_pdf,
)

from annotator.core.textload import (
    LoadError,
    iter_article_paths,
    load_article,
    load_bytes,
    normalise_text,
)


def test_a_pdf_gives_its_prose_without_running_headers_footers_or_page_numbers(tmp_path):
    article = load_article(write_pdf(tmp_path / "oslo.pdf"))
    assert article.text == PDF_TEXT
    assert PDF_HEADER not in article.text and "Page " not in article.text
    assert article.title == "Ingebrigtsen wins the 1500m in Oslo"
    assert article.encoding == "pdf" and article.published is None and article.fetched is None
    # The stored text is already in its normal form: offsets into it stay valid.
    assert normalise_text(article.text) == article.text


def test_pdf_line_ends_hyphenated_by_the_typesetter_are_joined_and_real_hyphens_kept(tmp_path):
    text = load_article(write_pdf(tmp_path / "oslo.pdf")).text
    assert "Jakob Ingebrigtsen won" in text  # "Ingebrigt-" + "sen"
    assert "Jean-Pierre Dupont" in text  # a hyphen before a capital is the writer's
    # A paragraph cut by the page turn is one paragraph again.
    assert "a race that went on until the last bend" in text


def test_a_pdf_without_a_text_layer_is_refused_with_a_reason(tmp_path):
    scan = write_image_only_pdf(tmp_path / "scan.pdf")
    with pytest.raises(LoadError) as caught:
        load_article(scan)
    assert caught.value.path == str(scan)
    assert caught.value.reason.startswith("the PDF has no text layer")
    assert "OCR" in caught.value.reason


@pytest.mark.parametrize(
    ("data", "needle"),
    [(b"%PDF-1.7\n%%EOF", "cannot read the PDF"), (b"\x89PNG\r\n\x1a\n" * 50, "PDF")],
    ids=["truncated", "not-a-pdf"],
)
def test_a_broken_pdf_is_one_line_not_a_traceback(data, needle):
    with pytest.raises(LoadError) as caught:
        load_bytes(data, name="report.pdf", suffix=".pdf")
    assert needle in caught.value.reason
    assert "\n" not in str(caught.value)


def test_a_docx_reads_as_published_tracked_changes_accepted_comments_left_out(tmp_path):
    path = write_docx(tmp_path / "warholm.docx")
    article = load_article(path)
    assert article.text == DOCX_TEXT
    assert "46.70" not in article.text  # the tracked deletion
    assert "45.94" in article.text  # the tracked insertion
    assert "World Athletics" not in article.text  # the comment
    assert article.title == "Warholm breaks the record"  # the Title paragraph
    assert article.encoding == "docx"
    # The package really holds what the reader had to leave out.
    with zipfile.ZipFile(path) as package:
        body = package.read("word/document.xml").decode()
        assert "<w:del " in body and "<w:ins " in body
        assert (
            "Check the time against World Athletics" in package.read("word/comments.xml").decode()
        )


def test_an_odt_reads_as_published_tracked_deletions_and_annotations_left_out(tmp_path):
    article = load_article(write_odt(tmp_path / "kipyegon.odt"))
    assert article.text == ODT_TEXT
    assert "Eugene" not in article.text and "Source:" not in article.text
    assert article.title == "Kipyegon retains her title"


@pytest.mark.parametrize("suffix", [".docx", ".odt"])
def test_a_broken_word_processor_file_is_refused_with_a_reason(suffix):
    with pytest.raises(LoadError, match="not a readable"):
        load_bytes(b"PK\x03\x04 not really a zip", name=f"x{suffix}", suffix=suffix)
    empty_zip = io.BytesIO()
    zipfile.ZipFile(empty_zip, "w").close()
    with pytest.raises(LoadError):
        load_bytes(empty_zip.getvalue(), name=f"x{suffix}", suffix=suffix)


def test_folders_offer_pdf_docx_and_odt_as_articles(tmp_path: Path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    write_pdf(folder / "a.pdf")
    write_docx(folder / "b.docx")
    write_odt(folder / "c.odt")
    (folder / "d.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    found = list(iter_article_paths([folder]))
    assert found[:3] == [folder / "a.pdf", folder / "b.docx", folder / "c.odt"]
    assert isinstance(found[3], LoadError) and found[3].reason == "not an article type"
