"""The report as a PDF (Qt's rich-text layout into QPdfWriter) and in a QTextBrowser preview."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pypdf import PdfReader

from annotator.core.formats.jsonl import document_record
from annotator.core.formats.report import render_report_html
from annotator.core.tagset import load_tagset
from annotator.ui import report_pdf
from annotator.ui.report_pdf import ReportTooLong, ensure_gui_application, write_report_pdf

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[2]
TAGSET = load_tagset()

KERR = (
    "British runner Josh Kerr has made his feelings known on his rivalry with Jakob "
    "Ingebrigsten ahead of the World Championships in Tokyo, which starts on September 13th.\n"
    "\n"
    "Kerr and Ingebrigsten last faced off at the Paris Olympics in 2024, where Kerr earned the "
    "silver medal while Ingebrigsten suprisingly finished fourth.\n"
    "\n"
    "Josh Kerr and Jakob Ingebrigsten are set to compete in the 1500m at the World "
    "Championships on September 14th."
)
DUPLANTIS = (
    "Armand Duplantiss cleared 6.30 metres in Tokyo on 15 September 2025, a world record by "
    "one centimetre.\n\n“I just wanted to jump high,” said the Swede, who has now broken the "
    "record fourteen times."
)


def _span(text: str, needle: str, label: str, nth: int = 0, **fields) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return {
        "start": start,
        "end": start + len(needle),
        "label": label,
        "text": needle,
        "status": "accepted",
        **fields,
    }


def _record(id: int, title: str, text: str, spans: list[dict]) -> dict:
    spans.sort(key=lambda s: (s["start"], s["end"]))
    return document_record(
        id=id,
        title=title,
        source=f"https://example.org/{id}",
        published="2025-09-12",
        sha256="0" * 64,
        text=text,
        spans=spans,
    )


def two_documents() -> list[dict]:
    kerr = _record(
        1,
        "Kerr on his rivalry",
        KERR,
        [
            _span(KERR, "Jakob Ingebrigsten", "athlete"),
            _span(
                KERR,
                "Ingebrigsten",
                "error",
                error_type="misspelled_name",
                correction="Ingebrigtsen",
                note="World Athletics profile spells it so.",
            ),
            _span(
                KERR,
                "suprisingly",
                "error",
                error_type="misspelling",
                correction="surprisingly",
                note="Dictionary.",
            ),
            _span(
                KERR,
                "September 14th",
                "error",
                error_type="wrong_date",
                correction="September 13th",
                note="Official timetable: heats on 13 September.",
            ),
            _span(KERR, "Paris Olympics", "event"),
        ],
    )
    duplantis = _record(
        2,
        "Duplantis sets a world record",
        DUPLANTIS,
        [
            _span(DUPLANTIS, "Armand Duplantiss", "athlete"),
            _span(
                DUPLANTIS,
                "Duplantiss",
                "error",
                error_type="misspelled_name",
                correction="Duplantis",
                note="One s.",
            ),
            _span(
                DUPLANTIS,
                "fourteen",
                "error",
                error_type="wrong_number",
                correction="fourteenth",
                status="pending",
                origin="suggested",
            ),
        ],
    )
    return [kerr, duplantis]


def pdf_text(path: Path) -> list[str]:
    """Each page's text with runs of white space made single spaces (Qt writes tabs)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def test_two_document_report_as_pdf(qapp, tmp_path):
    html = render_report_html(two_documents(), tagset=TAGSET, generated="25 November 2025")
    out = tmp_path / "report.pdf"
    pages = write_report_pdf(html, out, title="Weekly fact-check")
    assert out.read_bytes().startswith(b"%PDF-")
    reader = PdfReader(out)
    assert pages == len(reader.pages) >= 2  # every document starts on a new page
    assert reader.metadata.title == "Weekly fact-check"
    assert reader.metadata.creator == "annotator"
    text = " ".join(pdf_text(out))
    for correction in ("Ingebrigtsen", "surprisingly", "September 13th", "Duplantis", "fourteenth"):
        assert f"Should read: {correction}" in text
    assert "(suggested, not reviewed)" in text
    assert "World Athletics profile" in text  # no "ﬁ" ligature: the text stays searchable
    assert f"Weekly fact-check · page {pages} of {pages}" in text
    # pypdf splits some kerned bold headings ("D uplantis"): compare without spaces.
    squashed = [page.replace(" ", "") for page in pdf_text(out)]
    assert "Duplantissetsaworldrecord" not in squashed[0]
    assert "Duplantissetsaworldrecord" in squashed[-1]


def test_huge_document_flows_over_many_pages_to_its_end(qapp, tmp_path):
    paragraphs = [f"Paragraph {n}: " + KERR.replace("\n", " ") for n in range(120)]
    text = "\n\n".join(paragraphs)
    record = _record(
        1,
        "Long",
        text,
        [
            _span(
                text,
                "Ingebrigsten",
                "error",
                n,
                error_type="misspelled_name",
                correction=f"Correction {n}",
            )
            for n in range(0, 300, 10)
        ],
    )
    html = render_report_html([record], tagset=TAGSET, generated="today")
    pages = write_report_pdf(html, tmp_path / "long.pdf", title="Long")
    assert pages >= 10
    texts = pdf_text(tmp_path / "long.pdf")
    assert len(texts) == pages
    assert "Paragraph 119:" in texts[-1]  # the article is not cut off at a page boundary
    assert "Should read: Correction 290" in " ".join(texts)


def test_a_report_longer_than_qt_can_lay_out_is_refused(qapp, tmp_path, monkeypatch):
    # Qt stops laying out at 2**23 device units (~2,600 pages); pretend the cap is two pages.
    monkeypatch.setattr(report_pdf, "_QT_LAYOUT_LIMIT", 7000)
    target = tmp_path / "report.pdf"
    target.write_bytes(b"previous report")
    html = render_report_html(two_documents(), tagset=TAGSET, generated="today")
    with pytest.raises(ReportTooLong, match="too long for one PDF"):
        write_report_pdf(html, target, title="t")
    assert target.read_bytes() == b"previous report"
    assert list(tmp_path.iterdir()) == [target]


def test_unwritable_target_raises_oserror(qapp, tmp_path):
    html = render_report_html(two_documents()[:1], tagset=TAGSET, generated="today")
    with pytest.raises(OSError):
        write_report_pdf(html, tmp_path / "missing" / "report.pdf", title="t")


def test_ensure_gui_application_reuses_the_running_one(qapp):
    assert ensure_gui_application() is qapp


def test_the_command_line_can_write_a_pdf_without_a_display(tmp_path):
    """A fresh process with no QApplication and no QT_QPA_PLATFORM, as the CLI runs."""
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from PySide6.QtGui import QGuiApplication
        from annotator.ui.report_pdf import ensure_gui_application, write_report_pdf
        app = ensure_gui_application()
        pages = write_report_pdf("<h1>Report</h1><p>Ingebrigtsen</p>", Path(sys.argv[1]),
                                 title="t")
        print(QGuiApplication.platformName(), pages)
        """
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")
    }
    out = tmp_path / "cli.pdf"
    result = subprocess.run(
        [sys.executable, "-c", script, str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["offscreen", "1"]
    assert "Ingebrigtsen" in pdf_text(out)[0]


def test_report_previews_in_a_text_browser(qtbot):
    from PySide6.QtWidgets import QTextBrowser

    browser = QTextBrowser()
    qtbot.addWidget(browser)
    browser.setHtml(render_report_html(two_documents(), tagset=TAGSET, generated="today"))
    browser.resize(900, 700)
    browser.show()
    qtbot.waitExposed(browser)
    shown = browser.toPlainText()
    assert "Should read: surprisingly" in shown and "[3?]" not in shown and "[2?]" in shown
    # The two-column layout survives as a table: article cell, gutter, error list.
    table = browser.document().rootFrame().childFrames()[-1]
    assert (table.rows(), table.columns()) == (1, 3)
    assert "Errors (2)" in table.cellAt(0, 2).firstCursorPosition().block().text()
