"""Small dialogs: export options, the keyboard shortcut list, About."""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from annotator.core.formats.spacy_docbin import spacy_available
from annotator.core.tagset import Tagset
from annotator.services.formats import EXPORT_FORMATS
from annotator.ui.widgets.label_palette import color_swatch

log = logging.getLogger(__name__)


#: The format chooser's extra entry: the report laid out as a PDF by Qt.
REPORT_PDF = "report-pdf"


@dataclass(frozen=True)
class ExportOptions:
    format: str  # an EXPORT_FORMATS key
    include_pending: bool
    labels: list[str] | None  # None: every label
    documents: list[int] | None = None  # None: the whole corpus
    pdf: bool = False  # the report as a PDF
    #: None: the curated layer where a document has one, else every accepted span; "all",
    #: "curated" or a person's name: that (see services.exporting.span_filter).
    layer: str | None = None
    #: ClaimReview: the fact-checking organisation, its web address, the page publishing them.
    publisher: str | None = None
    publisher_url: str | None = None
    review_url: str | None = None

    @property
    def suffix(self) -> str:
        return ".pdf" if self.pdf else EXPORT_FORMATS[self.format].suffix


#: The check box's text, which the pending notice names (the CLI names --include-pending).
INCLUDE_PENDING = "Include pending suggestions"
PENDING_HINT = f"tick “{INCLUDE_PENDING}” in the export dialog to add them"
#: Where the ClaimReview publisher is remembered between exports.
_CLAIMREVIEW_SETTINGS = {
    "publisher": "export/publisher",
    "publisher_url": "export/publisherUrl",
    "review_url": "export/reviewUrl",
}


class ExportDialog(QDialog):
    def __init__(
        self,
        tagset: Tagset,
        parent: QWidget | None = None,
        *,
        current_document: int | None = None,
        layers: Sequence[str] = (),
        chosen: Sequence[int] = (),
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export dataset")
        self._current_document = current_document
        #: Documents picked in the list (its right-click menu): the export offers just those.
        self._chosen = list(chosen)
        self.format_combo = QComboBox()
        self.format_combo.setObjectName("exportFormat")
        self.format_combo.setAccessibleName("Format")
        for spec in EXPORT_FORMATS.values():
            self.format_combo.addItem(spec.title, spec.name)
            if spec.name == "report":
                self.format_combo.addItem("Fact-check report (PDF)", REPORT_PDF)
        if not spacy_available():
            index = self.format_combo.findData("spacy")
            item = self.format_combo.model().item(index)  # type: ignore[attr-defined]
            item.setEnabled(False)
            item.setToolTip("Needs spaCy: pip install 'annotator[spacy]'")
        self.layer_combo = QComboBox()
        self.layer_combo.setObjectName("exportLayer")
        self.layer_combo.setAccessibleName("Layer")
        self.layer_combo.addItem("Curated where curated, else every tag", None)
        self.layer_combo.addItem("Every layer", "all")
        for layer in layers:
            self.layer_combo.addItem(
                "Curated only" if layer == "curated" else f"{layer}’s layer", layer
            )
        self.layer_combo.setToolTip("Which layers the export holds (annotator export --layer)")
        self.pending_check = QCheckBox(INCLUDE_PENDING)
        self.pending_check.setObjectName("exportPending")
        self.document_check = QCheckBox("Only the open document")
        self.document_check.setObjectName("exportCurrentDocument")
        self.document_check.setEnabled(current_document is not None or bool(self._chosen))
        if self._chosen:
            many = len(self._chosen) != 1
            self.document_check.setText(
                f"Only the {len(self._chosen)} chosen documents"
                if many
                else "Only the chosen document"
            )
            self.document_check.setChecked(True)
        self._label_checks: dict[str, QCheckBox] = {}
        labels_box = QGroupBox("Labels")
        labels_layout = QVBoxLayout(labels_box)
        for label in tagset.labels:
            check = QCheckBox(label.name)
            check.setIcon(color_swatch(label.color))
            check.setChecked(True)
            check.setObjectName(f"exportLabel_{label.key}")
            labels_layout.addWidget(check)
            self._label_checks[label.key] = check
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose file…")
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        for check in self._label_checks.values():
            check.toggled.connect(self._update_ok)
        self.claimreview_box = self._claimreview_fields()
        self.format_combo.currentIndexChanged.connect(self._format_changed)

        form = QFormLayout()
        form.addRow("Format", self.format_combo)
        form.addRow("Layer", self.layer_combo)
        form.addRow("", self.pending_check)
        form.addRow("", self.document_check)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.claimreview_box)
        layout.addWidget(labels_box)
        layout.addWidget(self._buttons)
        self._format_changed()

    def _claimreview_fields(self) -> QGroupBox:
        """The organisation publishing the reviews (required: never the program's name) and
        the page that publishes them; remembered in the settings for the next export."""
        box = QGroupBox("ClaimReview publisher")
        box.setObjectName("exportClaimReview")
        self.publisher_edit = QLineEdit()
        self.publisher_url_edit = QLineEdit()
        self.review_url_edit = QLineEdit()
        edits = {
            "publisher": self.publisher_edit,
            "publisher_url": self.publisher_url_edit,
            "review_url": self.review_url_edit,
        }
        names = {
            "publisher": ("exportPublisher", "Organisation", "required: your desk's name"),
            "publisher_url": ("exportPublisherUrl", "Web site", "https://…"),
            "review_url": ("exportReviewUrl", "Review page", "https://… (optional)"),
        }
        form = QFormLayout(box)
        for key, edit in edits.items():
            object_name, label, placeholder = names[key]
            edit.setObjectName(object_name)
            edit.setAccessibleName(label)
            edit.setPlaceholderText(placeholder)
            if self._settings is not None:
                edit.setText(str(self._settings.value(_CLAIMREVIEW_SETTINGS[key], "") or ""))
            edit.textChanged.connect(self._update_ok)
            form.addRow(label, edit)
        return box

    def _format_changed(self) -> None:
        spec = EXPORT_FORMATS.get(self.format_combo.currentData())
        self.claimreview_box.setVisible(spec is not None and spec.name == "claimreview")
        carries = spec is None or spec.carries_pending
        self.pending_check.setEnabled(carries)
        self.pending_check.setToolTip(
            "" if carries else "This format cannot carry pending suggestions"
        )
        self._update_ok()

    def _update_ok(self) -> None:
        any_label = any(check.isChecked() for check in self._label_checks.values())
        claimreview = self.format_combo.currentData() == "claimreview"
        named = not claimreview or bool(self.publisher_edit.text().strip())
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(any_label and named)

    def accept(self) -> None:
        if self._settings is not None and self.format_combo.currentData() == "claimreview":
            for key, value in self._claimreview_values().items():
                self._settings.setValue(_CLAIMREVIEW_SETTINGS[key], value or "")
        super().accept()

    def _claimreview_values(self) -> dict[str, str | None]:
        return {
            "publisher": self.publisher_edit.text().strip() or None,
            "publisher_url": self.publisher_url_edit.text().strip() or None,
            "review_url": self.review_url_edit.text().strip() or None,
        }

    def options(self) -> ExportOptions:
        chosen = [key for key, check in self._label_checks.items() if check.isChecked()]
        data = self.format_combo.currentData()
        only = self.document_check.isChecked() and self._current_document is not None
        picked = self._chosen if self.document_check.isChecked() else []
        return ExportOptions(
            format="report" if data == REPORT_PDF else data,
            include_pending=self.pending_check.isChecked() and self.pending_check.isEnabled(),
            labels=None if len(chosen) == len(self._label_checks) else chosen,
            documents=picked or ([self._current_document] if only else None),  # type: ignore[list-item]
            pdf=data == REPORT_PDF,
            layer=self.layer_combo.currentData(),
            **(self._claimreview_values() if data == "claimreview" else {}),
        )


def shortcuts_html(tagset: Tagset, rows: list[tuple[str, str]]) -> str:
    """The Help ▸ Keyboard shortcuts table: label keys first (they are the app's core), then
    the menu shortcuts as the window registered them, so the list cannot go stale."""
    lines = ["<table cellspacing='0' cellpadding='3'>"]

    def row(keys: str, what: str) -> None:
        lines.append(
            f"<tr><td><b>{html.escape(keys)}</b></td><td>&nbsp;&nbsp;{html.escape(what)}</td></tr>"
        )

    for label in tagset.labels:
        row(label.shortcut, f"Tag the selection as {label.name} (snapped to whole words)")
    row("Alt+key", "Tag the exact selection, without snapping")
    row("key, no selection", "Relabel the current span")
    for keys, what in rows:
        row(keys, what)
    row("Enter (correction, value, a list)", "Save the field and return to the article")
    row("Ctrl+Enter (note field)", "Save the note and return to the article")
    row("Esc (span details)", "Drop the edit in progress and return to the article")
    lines.append("</table>")
    return "\n".join(lines)


class ShortcutsDialog(QDialog):
    def __init__(self, body_html: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        text = QLabel(body_html)
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)


ABOUT_HTML = (
    "<h3>annotator</h3>"
    "<p>Tag athletes, events, dates and factual errors in athletics news, with the correction "
    "and the evidence, and export the corpus as a dataset.</p>"
    "<p>Every change is saved the moment you make it.</p>"
)


def open_message(
    parent: QWidget,
    title: str,
    text: str,
    *,
    detail: str = "",
    icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
) -> QMessageBox:
    """A window-modal message opened with open(), not exec(): it never blocks the event loop,
    so a running worker keeps reporting and a test is never stuck behind it."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorMessage" if icon == QMessageBox.Icon.Warning else "message")
    if detail:
        box.setDetailedText(detail)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def open_shortcuts(parent: QWidget, tagset: Tagset, rows: list[tuple[str, str]]) -> QDialog:
    dialog = ShortcutsDialog(shortcuts_html(tagset, rows), parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
