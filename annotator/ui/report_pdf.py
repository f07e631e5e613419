"""The fact-check report as a PDF, laid out by Qt's rich-text engine.

The HTML comes from ``annotator.core.formats.report``; here it is paginated onto A4 by a
QTextDocument painted into a QPdfWriter. The document's paint device is the writer, as
``QTextDocument.print_`` does internally, so point sizes resolve at the PDF's resolution and
pixel lengths are scaled to it; we paginate ourselves (rather than call ``print_``) to choose
the margins and to put "page N of M" and the report's title in the footer.

Limits: a QTextDocument holds the whole report and lays it out at once, so a PDF is meant for
one document or a batch, not a whole corpus; the streaming HTML report is the corpus format.
Measured with seed-sized articles (5,000 characters, a dozen spans, about three pages each):
200 documents take 4 s and 125 MB, 2,000 take 55 s and 530 MB. Qt's layout also stops at a
height of 2**23 device units (QFIXED_MAX in qtextdocumentlayout.cpp): about 2,600 A4 pages at
300 dpi; past it the text is silently cut off, so such a report raises ReportTooLong instead.
"""

from __future__ import annotations

import dataclasses
import html as htmllib
import logging
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QCoreApplication,
    QIODevice,
    QMarginsF,
    QPointF,
    QRectF,
    QSizeF,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication

from annotator.core.atomic import atomic_writer
from annotator.core.formats.report import SANS_FAMILIES
from annotator.core.tagset import Tagset
from annotator.services.app import Database
from annotator.services.exporting import ExportReport, document_count, export_dataset
from annotator.services.progress import Reporter
from annotator.ui.qt_workarounds import guard_none_refcount

log = logging.getLogger(__name__)

RESOLUTION = 300
#: Page margins in millimetres (left, top, right, bottom). The footer is drawn inside the
#: printable area, at its foot, so the bottom margin can be the narrowest.
MARGINS_MM = (16.0, 14.0, 16.0, 12.0)
FOOTER_PT = 8.0
#: A cap for callers: past it a PDF takes minutes and hundreds of MB (see the module docstring);
#: suggest the HTML report or fewer documents instead.
PRACTICAL_MAX_DOCUMENTS = 500
# QTextDocumentLayout treats INT_MAX / 256 as "unbounded" and lays out nothing below it.
_QT_LAYOUT_LIMIT = (2**31 - 1) // 256


class ReportTooLong(ValueError):
    """The report is longer than Qt can lay out as one document; the message says what to do."""


_app: QGuiApplication | None = None  # kept alive for the process when we made it


def ensure_gui_application() -> QCoreApplication:
    """The running Qt application, or a new headless QApplication.

    The command line has no window but Qt's font and PDF machinery need a QGuiApplication;
    QT_QPA_PLATFORM defaults to ``offscreen`` so this works on a server without a display.
    It is made a QApplication (a QGuiApplication that can also show widgets), since Qt
    allows one application per process and a window opened later in the same process needs
    that kind. A plain QCoreApplication cannot be upgraded, so that case is a RuntimeError."""
    global _app
    existing = QCoreApplication.instance()
    if existing is not None:
        if not isinstance(existing, QGuiApplication):
            raise RuntimeError("a PDF needs a QGuiApplication, but a QCoreApplication is running")
        return existing
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QApplication(sys.argv[:1] or ["annotator"])
    guard_none_refcount()
    return _app


def write_report_pdf(html: str, path: Path, *, title: str) -> int:
    """Write ``html`` to ``path`` as an A4 PDF titled ``title``; returns the page count.

    Needs a QGuiApplication (see ``ensure_gui_application``). The PDF is built in memory and
    then replaces ``path`` atomically, so a failure never leaves half a file. Raises
    ReportTooLong (nothing written) or OSError."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(*MARGINS_MM), QPageLayout.Unit.Millimeter)
    writer.setTitle(title)
    writer.setCreator("annotator")

    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)
    document.setDocumentMargin(0)
    font = QFont("DejaVu Sans", 10)
    # The same fallbacks as the report's CSS: the footer's title can be any script too.
    font.setFamilies(list(SANS_FAMILIES))
    # Without ligatures "profile" is stored as f, i rather than U+FB01: text copied from the
    # PDF and searches in it then find the words an editor types. Inherited by every family.
    font.setFeature(QFont.Tag("liga"), 0)
    document.setDefaultFont(font)
    document.setHtml(html)

    page = writer.pageLayout().paintRectPixels(RESOLUTION)
    footer_font = QFont("DejaVu Sans")
    footer_font.setFamilies(list(SANS_FAMILIES))
    footer_font.setPointSizeF(FOOTER_PT)
    footer_font.setFeature(QFont.Tag("liga"), 0)
    footer_height = FOOTER_PT / 72 * RESOLUTION * 2.2
    body = QSizeF(page.width(), page.height() - footer_height)
    document.setPageSize(body)
    pages = document.pageCount()
    if document.documentLayout().documentSize().height() >= _QT_LAYOUT_LIMIT - body.height():
        raise ReportTooLong(
            f"the report is too long for one PDF (more than {pages} pages): export fewer "
            "documents, or use an HTML report"
        )

    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"{path}: Qt could not start the PDF")
    try:
        for number in range(pages):
            if number:
                writer.newPage()
            _paint_page(painter, document, number, body)
            _paint_footer(
                painter,
                footer_font,
                f"{title} · page {number + 1} of {pages}",
                QRectF(0, body.height(), body.width(), footer_height),
            )
    finally:
        painter.end()
    with atomic_writer(path, "wb") as fh:
        fh.write(buffer.data().data())
    log.info("wrote a %d-page report PDF to %s", pages, path)
    return pages


def _paint_page(painter: QPainter, document: QTextDocument, number: int, body: QSizeF) -> None:
    painter.save()
    top = number * body.height()
    painter.translate(0, -top)
    clip = QRectF(QPointF(0, top), body)
    painter.setClipRect(clip)
    document.drawContents(painter, clip)
    painter.restore()


def _paint_footer(painter: QPainter, font: QFont, text: str, rect: QRectF) -> None:
    painter.save()
    painter.setFont(font)
    painter.setPen(QColor("#666666"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, text)
    painter.restore()


def export_report_pdf(
    db: Database,
    out: Path,
    *,
    tagset: Tagset,
    include_pending: bool = False,
    labels: Sequence[str] | None = None,
    documents: Sequence[int] | None = None,
    reporter: Reporter | None = None,
    layer: str | None = None,
) -> ExportReport:
    """The fact-check report of the corpus (or ``documents``) as a PDF at ``out``: the HTML
    report, laid out by Qt. Refuses more than PRACTICAL_MAX_DOCUMENTS (ReportTooLong) before
    any work. Needs a QGuiApplication; safe off the GUI thread (no pixmaps)."""
    count = len(set(documents)) if documents is not None else document_count(db)
    if count > PRACTICAL_MAX_DOCUMENTS:
        raise ReportTooLong(
            f"a PDF report of {count} documents would take minutes and hundreds of MB: "
            f"choose at most {PRACTICAL_MAX_DOCUMENTS} documents, or export an HTML report"
        )
    with tempfile.TemporaryDirectory(prefix="annotator-report-") as folder:
        html_path = Path(folder) / "report.html"
        report = export_dataset(
            db,
            html_path,
            format="report",
            include_pending=include_pending,
            labels=labels,
            documents=documents,
            tagset=tagset,
            reporter=reporter,
            layer=layer,
        )
        html = html_path.read_text(encoding="utf-8")
    title = "Fact-check report" if report.documents != 1 else _first_title(html)
    write_report_pdf(html, out, title=title)
    return dataclasses.replace(report, path=out)


def _first_title(html: str) -> str:
    match = re.search(r"<h2[^>]*>(.*?)</h2>", html, re.DOTALL)
    if match is None:
        return "Fact-check report"
    return htmllib.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() or "Fact-check report"
