"""File ▸ Open address… and File ▸ Open files… with PDF and Word files, in the real window:
the fetch runs off the GUI thread behind the progress dialog, can be cancelled while the site
is silent, and a failure is one clear line."""

from __future__ import annotations

import pytest
import web_pages
from article_files import DOCX_TEXT, PDF_TEXT, write_docx, write_image_only_pdf, write_pdf
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QInputDialog, QPushButton
from window_helpers import show_window

from annotator.ui.window.files import ARTICLE_FILTER

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def site():
    with web_pages.serving() as base:
        yield base


@pytest.fixture
def window(qtbot, app):
    win = show_window(qtbot, app)
    yield win
    win.close()


def test_open_address_is_in_the_file_menu_with_a_shortcut(window):
    action = window.actions.by_name["open_address"]
    assert action.text() == "Open &address…"
    assert action.shortcut() == QKeySequence("Ctrl+Shift+L")
    file_menu = window.menuBar().actions()[0].menu()
    assert action in file_menu.actions()
    assert "*.pdf" in ARTICLE_FILTER and "*.docx" in ARTICLE_FILTER and "*.odt" in ARTICLE_FILTER


def test_the_shortcut_asks_for_the_copied_address_and_opens_the_page(qtbot, app, window, site):
    QGuiApplication.clipboard().setText(f"{site}/article")
    seen = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        seen.append(dialog.textValue())
        dialog.accept()

    QTimer.singleShot(0, answer)
    with qtbot.waitSignal(window.files.importFinished, timeout=TIMEOUT_MS) as finished:
        qtbot.keyClick(
            window,
            Qt.Key.Key_L,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    assert seen == [f"{site}/article"]
    report = finished.args[0]
    assert report is not None and report.imported
    document = app.documents.get(window.current_document_id())
    assert document.source == f"{site}/article"
    assert document.title == web_pages.ARTICLE_TITLE
    assert web_pages.ARTICLE_SENTENCE in window.view.stored_text()
    # The list's tooltip says where the page came from and when it was read.
    tip = window.documents_panel.model().index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert f"{site}/article" in tip
    assert f"Fetched {document.fetched:%Y-%m-%d %H:%M} UTC" in tip


def test_a_failed_fetch_is_one_clear_line(qtbot, app, window, site):
    with qtbot.waitSignal(window.files.importFinished, timeout=TIMEOUT_MS):
        task = window.files.open_address(f"{site}/nowhere")
        assert task is not None and task.dialog.windowTitle() == "Fetching the page"
    box = window.last_message_box
    assert box is not None and box.isVisible()
    assert box.windowTitle() == "Cannot open the address"
    assert box.text() == f"{site}/nowhere: the server answered 404 Not Found"
    box.close()
    assert app.documents.count() == 0
    assert "the server answered 404" in window.statusBar().currentMessage()


def test_something_that_is_not_an_address_is_refused_without_a_fetch(window):
    assert window.files.open_address("www example org") is None
    box = window.last_message_box
    assert box.windowTitle() == "Cannot open the address" and "not a web address" in box.text()
    box.close()


def test_cancel_while_the_site_is_silent_ends_the_task_at_once(qtbot, app, window, site):
    with qtbot.waitSignal(window.files.importFinished, timeout=5_000) as finished:
        task = window.files.open_address(f"{site}/slow")
        assert task is not None
        qtbot.waitUntil(task.dialog.isVisible, timeout=TIMEOUT_MS)
        qtbot.mouseClick(task.dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    assert finished.args[0] is None
    assert app.documents.count() == 0
    assert "nothing was imported" in window.statusBar().currentMessage()


def test_open_files_takes_pdf_and_word_files(qtbot, app, window, tmp_path):
    pdf, docx = write_pdf(tmp_path / "oslo.pdf"), write_docx(tmp_path / "warholm.docx")
    with qtbot.waitSignal(window.files.importFinished, timeout=TIMEOUT_MS) as finished:
        window.files.start_import([pdf, docx])
    assert len(finished.args[0].imported) == 2
    assert window.view.stored_text() == PDF_TEXT  # the first one is opened
    texts = sorted(app.documents.get(i).text for i, _ in finished.args[0].imported)
    assert texts == sorted([PDF_TEXT, DOCX_TEXT])


def test_a_folder_import_names_the_files_skipped_and_passed_over(qtbot, app, window, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    write_pdf(folder / "oslo.pdf")
    scan = write_image_only_pdf(folder / "report.pdf")
    (folder / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    with qtbot.waitSignal(window.files.importFinished, timeout=TIMEOUT_MS):
        window.files.start_import([folder])
    box = window.last_message_box
    assert box.windowTitle() == "Some files were not imported"
    assert box.detailedText().splitlines() == [
        f"skipped {scan}: the PDF has no text layer (a scan or images only): run it through "
        "OCR first",
        f"passed over {folder / 'x.png'}: not an article type",
    ]
    box.close()
    assert app.documents.count() == 1
