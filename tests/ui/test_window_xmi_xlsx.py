"""The window's side of the XMI zip and the .xlsx export: the format chooser offers both with
their suffixes, a worker writes them, and the zip opened in another window brings its spans."""

from __future__ import annotations

import zipfile

import pytest
from openpyxl import load_workbook
from window_helpers import show_window

from annotator.services.app import open_app
from annotator.ui.dialogs.export_and_help import ExportDialog
from annotator.ui.window.files import ARTICLE_FILTER

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

TIMEOUT_MS = 30_000
TEXT = "🏃‍♂️ Jakob 🇳🇴 Ingebrigsten won on July 7 in Oslo."


@pytest.fixture
def doc(app, make_document):
    doc_id = make_document(TEXT, title="Oslo")
    for needle, label in (("Jakob 🇳🇴 Ingebrigsten", "athlete"), ("July 7", "date")):
        start = TEXT.index(needle)
        app.annotations.create(
            document_id=doc_id, start=start, end=start + len(needle), label=label
        )
    return doc_id


def test_the_chooser_offers_xmi_and_xlsx_with_their_suffixes(qtbot, app, doc):
    dialog = ExportDialog(app.tagset, current_document=doc)
    qtbot.addWidget(dialog)
    combo = dialog.format_combo
    for name, suffix, words in (("xmi", ".zip", "INCEpTION"), ("xlsx", ".xlsx", "Excel")):
        index = combo.findData(name)
        assert index >= 0, name
        assert words in combo.itemText(index)
        assert combo.model().item(index).isEnabled()
        combo.setCurrentIndex(index)
        options = dialog.options()
        assert (options.format, options.suffix, options.pdf) == (name, suffix, False)
    assert "*.zip" in ARTICLE_FILTER and "*.xmi" in ARTICLE_FILTER


def test_the_window_writes_both_and_opens_the_zip_in_another_database(qtbot, app, doc, tmp_path):
    window = show_window(qtbot, app)
    try:
        sheet = tmp_path / "spans.xlsx"
        with qtbot.waitSignal(window.files.exportFinished, timeout=TIMEOUT_MS) as finished:
            window.files.start_export(out=sheet, format="xlsx")
        assert finished.args[0] is not None and finished.args[0].spans == 2
        rows = list(load_workbook(sheet).active.iter_rows(min_row=2, values_only=True))
        assert [row[6] for row in rows] == ["Jakob 🇳🇴 Ingebrigsten", "July 7"]

        archive = tmp_path / "inception.zip"
        with qtbot.waitSignal(window.files.exportFinished, timeout=TIMEOUT_MS) as finished:
            window.files.start_export(out=archive, format="xmi")
        assert finished.args[0] is not None
        with zipfile.ZipFile(archive) as opened:
            assert opened.namelist() == ["TypeSystem.xml", f"{doc:06d}-Oslo.xmi"]
    finally:
        window.close()

    other = open_app(tmp_path / "other.sqlite3", annotator="tester")
    try:
        target = show_window(qtbot, other)
        with qtbot.waitSignal(target.files.importFinished, timeout=TIMEOUT_MS) as finished:
            target.files.start_import([archive])
        report = finished.args[0]
        assert len(report.imported) == 1 and report.spans == 2 and report.errors == []
        assert target.current_document_id() == report.first_id
        shown = sorted((s.label, TEXT[s.start : s.end]) for s in target.view.spans())
        assert shown == [("athlete", "Jakob 🇳🇴 Ingebrigsten"), ("date", "July 7")]
        target.close()
    finally:
        other.close()
