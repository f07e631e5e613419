"""The span inspector: the selected span's fields, edited in place.

Every committed field (a combo choice, Enter or focus leaving a line edit, focus leaving the
note or Ctrl+Enter in it) becomes one ``editRequested`` signal; the window turns it into an
EditSpanCommand, which saves at once. The inspector never writes anything itself.

When the span changes underneath (undo, an edit from the table), fields the user is typing in
keep their text: overwriting half a sentence of evidence would be worse than a stale field.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Origin, Span, SpanStatus
from annotator.core.tagset import Tagset

from .commands import relabel_changes
from .label_palette import color_swatch

log = logging.getLogger(__name__)

_NO_ERROR_TYPE = "—"


class NoteEdit(QPlainTextEdit):
    """A plain-text field that says when the user is done with it: focus leaving it, or
    Ctrl+Enter (plain Enter is a new line in a note)."""

    committed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.committed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.committed.emit()
            event.accept()
            return
        super().keyPressEvent(event)


def _text_or_none(text: str) -> str | None:
    text = text.strip()
    return text or None


class SpanInspector(QWidget):
    editRequested = Signal(int, object)  # span id, {field: new value}
    correctionEntered = Signal()  # Enter in the correction field: the user is done here

    def __init__(self, tagset: Tagset, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spanInspector")
        self.setAccessibleName("Span details")
        self._tagset = tagset
        self._span: Span | None = None
        self._loading = False

        self._empty = QLabel("No span selected.\nSelect text and press a label key, or click a "
                             "highlighted span.")
        self._empty.setWordWrap(True)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._empty.setObjectName("inspectorEmpty")
        self._empty.setEnabled(False)

        self.text_label = QLabel()
        self.text_label.setObjectName("spanText")
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bold = QFont(self.text_label.font())
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.15)
        self.text_label.setFont(bold)
        self.origin_label = QLabel()
        self.origin_label.setObjectName("spanOrigin")

        self.label_combo = QComboBox()
        self.label_combo.setObjectName("labelCombo")
        self.label_combo.setAccessibleName("Label")
        for label in tagset.labels:
            self.label_combo.addItem(color_swatch(label.color), label.name, label.key)
        self.error_type_combo = QComboBox()
        self.error_type_combo.setObjectName("errorTypeCombo")
        self.error_type_combo.setAccessibleName("Error type")
        self.correction_edit = QLineEdit()
        self.correction_edit.setObjectName("correctionEdit")
        self.correction_edit.setAccessibleName("Correction")
        self.correction_edit.setPlaceholderText("What the text should say; Enter saves")
        self.note_edit = NoteEdit()
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setAccessibleName("Note")
        self.note_edit.setPlaceholderText("Evidence: a source, a link… (Ctrl+Enter saves)")
        self.note_edit.setMinimumHeight(60)
        # Room for a few lines of evidence; the value field must stay in sight below it.
        self.note_edit.setMaximumHeight(140)
        self.value_edit = QLineEdit()
        self.value_edit.setObjectName("valueEdit")
        self.value_edit.setAccessibleName("Normalised value")
        self.value_edit.setPlaceholderText("e.g. 2024-08-06 for a date")
        self.accept_button = QPushButton("Accept suggestion")
        self.accept_button.setObjectName("acceptButton")
        self.reject_button = QPushButton("Reject")
        self.reject_button.setObjectName("rejectButton")

        self._form = QFormLayout()
        self._form.setContentsMargins(0, 0, 0, 0)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._form.addRow("Label", self.label_combo)
        self._form.addRow("Error type", self.error_type_combo)
        self._form.addRow("Correction", self.correction_edit)
        self._form.addRow("Note", self.note_edit)
        self._form.addRow("Value", self.value_edit)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)

        details = QWidget()
        column = QVBoxLayout(details)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addWidget(self.text_label)
        column.addWidget(self.origin_label)
        column.addLayout(buttons)
        column.addLayout(self._form)
        column.addStretch(1)

        self._stack = QStackedWidget()
        self._stack.addWidget(self._empty)
        self._stack.addWidget(details)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self._stack)

        self.label_combo.activated.connect(self._on_label_chosen)
        self.error_type_combo.activated.connect(self._on_error_type_chosen)
        self.correction_edit.editingFinished.connect(self._commit_correction)
        self.correction_edit.returnPressed.connect(self._on_correction_return)
        self.note_edit.committed.connect(self._commit_note)
        self.value_edit.editingFinished.connect(self._commit_value)
        self.accept_button.clicked.connect(lambda: self._request(status=SpanStatus.ACCEPTED))
        self.reject_button.clicked.connect(lambda: self._request(status=SpanStatus.REJECTED))
        self.show_span(None)

    # -- public API ---------------------------------------------------------------------------

    def span(self) -> Span | None:
        return self._span

    def current_span_id(self) -> int | None:
        return self._span.id if self._span else None

    def show_span(self, span: Span | None) -> None:
        """Show ``span`` (None: the empty state). The same span again refreshes the fields the
        user is not typing in."""
        same = span is not None and self._span is not None and span.id == self._span.id
        self._span = span
        self._loading = True
        try:
            if span is None:
                self._stack.setCurrentIndex(0)
                self._stack.currentWidget().setEnabled(False)
                return
            self._stack.setCurrentIndex(1)
            self._fill(span, keep_focused=same)
        finally:
            self._loading = False

    def commit_pending(self) -> None:
        """Save text fields still being typed in (the window is switching away or closing,
        and focus-out may never come)."""
        if self._span is None:
            return
        self._commit_correction()
        self._commit_note()
        self._commit_value()

    def focus_correction(self) -> None:
        if self._span is not None and self.correction_edit.isVisibleTo(self):
            self.correction_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            self.correction_edit.selectAll()

    # -- filling ------------------------------------------------------------------------------

    def _fill(self, span: Span, *, keep_focused: bool) -> None:
        self._stack.currentWidget().setEnabled(True)
        self.text_label.setText(" ".join(span.text.split()))
        label = self._tagset.get(span.label)
        self.origin_label.setText(self._describe_origin(span))
        pending = span.status == SpanStatus.PENDING
        self.accept_button.setVisible(pending)
        self.reject_button.setVisible(pending)

        index = self.label_combo.findData(span.label)
        if index < 0:
            # A label dropped from the tagset: show it rather than pretend it is another one.
            self.label_combo.addItem(span.label, span.label)
            index = self.label_combo.count() - 1
        self.label_combo.setCurrentIndex(index)

        error_types = label.error_types if label else ()
        self.error_type_combo.clear()
        self.error_type_combo.addItem(_NO_ERROR_TYPE, None)
        for name in error_types:
            self.error_type_combo.addItem(name.replace("_", " "), name)
        found = self.error_type_combo.findData(span.error_type) if span.error_type else 0
        self.error_type_combo.setCurrentIndex(max(found, 0))
        attrs = label.text_attributes if label else ()
        self._set_row_visible(self.error_type_combo, bool(error_types))
        self._set_row_visible(self.correction_edit, "correction" in attrs)
        self._set_row_visible(self.note_edit, "note" in attrs)

        for edit, value in (
            (self.correction_edit, span.correction),
            (self.value_edit, span.value),
        ):
            if not (keep_focused and edit.hasFocus()):
                edit.setText(value or "")
        if not (keep_focused and self.note_edit.hasFocus()):
            if self.note_edit.toPlainText() != (span.note or ""):
                self.note_edit.setPlainText(span.note or "")

    def _set_row_visible(self, field: QWidget, visible: bool) -> None:
        self._form.setRowVisible(field, visible)

    @staticmethod
    def _describe_origin(span: Span) -> str:
        who = f" by {span.annotator}" if span.annotator else ""
        if span.status == SpanStatus.PENDING:
            return "Suggestion, pending: accept or reject it"
        if span.origin == Origin.SUGGESTED:
            state = "accepted" if span.status == SpanStatus.ACCEPTED else "rejected"
            return f"Suggestion, {state}{who}"
        return f"Tagged{who} · characters {span.start}–{span.end}"

    # -- committing ---------------------------------------------------------------------------

    def _request(self, **changes: object) -> None:
        if self._loading or self._span is None or self._span.id is None:
            return
        changed = {k: v for k, v in changes.items() if getattr(self._span, k) != v}
        if changed:
            self.editRequested.emit(self._span.id, changed)

    def _on_label_chosen(self, index: int) -> None:
        if self._span is None:
            return
        key = self.label_combo.itemData(index)
        if key and key != self._span.label:
            self._request(**relabel_changes(self._tagset, self._span, key))

    def _on_error_type_chosen(self, index: int) -> None:
        self._request(error_type=self.error_type_combo.itemData(index))

    def _commit_correction(self) -> None:
        self._request(correction=_text_or_none(self.correction_edit.text()))

    def _on_correction_return(self) -> None:
        self._commit_correction()
        self.correctionEntered.emit()

    def _commit_note(self) -> None:
        # A note keeps its inner line breaks; only surrounding blank space is dropped.
        self._request(note=_text_or_none(self.note_edit.toPlainText()))

    def _commit_value(self) -> None:
        self._request(value=_text_or_none(self.value_edit.text()))
