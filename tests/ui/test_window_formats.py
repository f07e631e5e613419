"""The window's side of the dataset formats: the format chooser, exports in a worker (a
folder format, the PDF report, notes shown to the user) and datasets imported through File ▸
Open. No file dialogs: the tests call what the dialog's choices lead to, with real paths."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QMessageBox
from window_helpers import show_window

from annotator.core.formats.spacy_docbin import spacy_available
from annotator.services.app import open_app
from annotator.ui.dialogs.export_and_help import REPORT_PDF, ExportDialog

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

TIMEOUT_MS = 30_000
TEXT = "Jakob Ingebrigsten 🏃‍♀️ won the 1500 m in Tokyo on 12 September 2025.\nNext line."


@pytest.fixture
def doc(app, make_document):
    doc_id = make_document(TEXT, title="Tokyo final")
    start = TEXT.index("Jakob")
    app.annotations.create(document_id=doc_id, start=start, end=start + 18, label="athlete")
    wrong = TEXT.index("Ingebrigsten")
    app.annotations.create(
        document_id=doc_id,
        start=wrong,
        end=wrong + 12,
        label="error",
        error_type="misspelled_name",
        correction="Ingebrigtsen",
        note="World Athletics profile",
    )
    return doc_id


@pytest.fixture
def window(qtbot, app, doc):
    win = show_window(qtbot, app)
    assert win.current_document_id() == doc
    yield win
    win.close()


def test_the_chooser_offers_every_format_and_the_pdf_report(qtbot, app, doc):
    dialog = ExportDialog(app.tagset, current_document=doc)
    qtbot.addWidget(dialog)
    combo = dialog.format_combo
    offered = [combo.itemData(i) for i in range(combo.count())]
    for name in (
        "jsonl",
        "csv",
        "doccano",
        "labelstudio",
        "spacy",
        "conll",
        "brat",
        "w3c",
        "claimreview",
        "report",
        REPORT_PDF,
    ):
        assert name in offered
    spacy_item = combo.model().item(combo.findData("spacy"))
    assert spacy_item.isEnabled() == spacy_available()

    combo.setCurrentIndex(combo.findData(REPORT_PDF))
    dialog.document_check.setChecked(True)
    options = dialog.options()
    assert (options.format, options.pdf, options.suffix) == ("report", True, ".pdf")
    assert options.documents == [doc]
    combo.setCurrentIndex(combo.findData("brat"))
    assert dialog.options().suffix == ""  # a folder

    # Without an open document the box cannot be ticked.
    bare = ExportDialog(app.tagset)
    qtbot.addWidget(bare)
    assert not bare.document_check.isEnabled()
    assert bare.options().documents is None


def test_a_pdf_report_of_the_open_document_is_written_in_a_worker(qtbot, window, doc, tmp_path):
    out = tmp_path / "report.pdf"
    with qtbot.waitSignal(window.files.exportFinished, timeout=TIMEOUT_MS) as finished:
        window.files.start_export(out=out, format="report", documents=[doc], pdf=True)
    report = finished.args[0]
    assert report is not None and (report.documents, report.spans) == (1, 2)
    assert out.read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader

    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out).pages)
    assert "Ingebrigtsen" in text and "World Athletics profile" in text
    assert "Tokyo final · page 1 of 1" in text  # the footer, searchable (no ligatures)


def test_a_brat_export_writes_a_folder_and_notes_are_shown(qtbot, window, tmp_path):
    out = tmp_path / "brat"
    with qtbot.waitSignal(window.files.exportFinished, timeout=TIMEOUT_MS) as finished:
        window.files.start_export(out=out, format="brat")
    assert finished.args[0] is not None
    assert (out / "annotation.conf").is_file()
    (ann,) = out.glob("*.ann")
    assert "AnnotatorNotes" in ann.read_text(encoding="utf-8")

    # CoNLL cannot hold the error inside the athlete's name: the user is told, not left
    # to find a span missing.
    conll = tmp_path / "corpus.conll"
    with qtbot.waitSignal(window.files.exportFinished, timeout=TIMEOUT_MS) as finished:
        window.files.start_export(out=conll, format="conll")
    assert finished.args[0].notes
    box = window.last_message_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.windowTitle() == "Export finished, with notes"
    assert "Ingebrigsten" in box.detailedText()
    box.close()


def test_a_dataset_opened_in_the_window_brings_its_spans(qtbot, app, window, tmp_path):
    dataset = tmp_path / "colleague.jsonl"
    with qtbot.waitSignal(window.files.exportFinished, timeout=TIMEOUT_MS):
        window.files.start_export(out=dataset, format="jsonl")
    other = open_app(tmp_path / "other.sqlite3", annotator="tester")
    try:
        target = show_window(qtbot, other)
        with qtbot.waitSignal(target.files.importFinished, timeout=TIMEOUT_MS) as finished:
            target.files.start_import([dataset])
        report = finished.args[0]
        assert len(report.imported) == 1 and report.spans == 2
        assert target.current_document_id() == report.first_id
        assert sorted(s.label for s in target.view.spans()) == ["athlete", "error"]
        assert "with 2 spans" in target.statusBar().currentMessage()
        target.close()
    finally:
        other.close()

    # A record that does not fit its text is named, and the file's other records come in.
    lines = dataset.read_text(encoding="utf-8").splitlines()
    broken = json.loads(lines[0])
    broken["spans"][0]["start"] += 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(broken) + "\n", encoding="utf-8")
    with qtbot.waitSignal(window.files.importFinished, timeout=TIMEOUT_MS) as finished:
        window.files.start_import([bad])
    assert [e.path for e in finished.args[0].errors] == ["bad.jsonl line 1 (record 1)"]
    box = window.last_message_box
    assert box.windowTitle() == "Some files were not imported"
    box.close()


def test_the_chooser_offers_the_layers_and_the_export_holds_the_one_chosen(
    qtbot, app, window, doc, db_url, tmp_path
):
    bob = open_app(db_url, annotator="bob")
    try:
        start = TEXT.index("Tokyo")
        bob.annotations.create(document_id=doc, start=start, end=start + 5, label="event")
    finally:
        bob.close()
    dialog = ExportDialog(app.tagset, current_document=doc, layers=["bob", "tester"])
    qtbot.addWidget(dialog)
    combo = dialog.layer_combo
    assert [combo.itemData(i) for i in range(combo.count())] == [None, "all", "bob", "tester"]
    assert dialog.options().layer is None
    combo.setCurrentIndex(combo.findData("bob"))
    assert dialog.options().layer == "bob"

    out = tmp_path / "bob.jsonl"
    with qtbot.waitSignal(window.files.exportFinished, timeout=TIMEOUT_MS):
        window.files.start_export(out=out, format="jsonl", layer="bob")
    (record,) = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [(s["text"], s["annotator"]) for s in record["spans"]] == [("Tokyo", "bob")]
