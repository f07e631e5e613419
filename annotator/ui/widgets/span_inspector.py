"""The span inspector: the selected span's fields, edited in place.

Every committed field (a combo choice, Enter or focus leaving a line edit, focus leaving the
note or Ctrl+Enter in it) becomes one ``editRequested`` signal; the window turns it into an
EditSpanCommand, which saves at once. The inspector never writes anything itself.

The keyboard goes back to the article (``doneEditing``) from every field: after Enter (in the
note Ctrl+Enter) has saved, and on Esc, which first puts back the stored value of a text field
the user was typing in (the typed text stays one Ctrl+Z away in the field). Otherwise the next
review key (K, J, a digit) would be typed into the note and saved with it.

When the span changes underneath (undo, an edit from the table, a colleague's edit arriving
through live refresh), a field the user is typing in keeps their text: overwriting half a
sentence of evidence would be worse than a stale field. If a colleague changed that very field,
the typing stays based on the version the user started from (``edit_base``), so committing it
is refused ("changed by bob") rather than silently overwriting their work; ``revert`` then
shows the stored value, and the user's text stays one Ctrl+Z away in the field.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Span, SpanStatus
from annotator.core.tagset import Tagset
from annotator.ui.commands import relabel_changes
from annotator.ui.models.rule_rates import RuleRates
from annotator.ui.widgets.inspector_fields import (
    FieldKeys,
    NoteEdit,
    describe_origin,
    field_text,
    replace_keeping_undo,
    suggested_by,
    text_or_none,
)
from annotator.ui.widgets.label_palette import color_swatch

log = logging.getLogger(__name__)

_NO_ERROR_TYPE = "—"


class SpanInspector(QWidget):
    editRequested = Signal(int, object)  # span id, {field: new value}
    #: The user is done with the inspector (Enter, Ctrl+Enter in the note, Esc in any field):
    #: the window gives the keyboard back to the article.
    doneEditing = Signal()
    spanShown = Signal(object)  # the Span now shown (None: none), after every refresh

    def __init__(self, tagset: Tagset, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spanInspector")
        self.setAccessibleName("Span details")
        self._tagset = tagset
        self._span: Span | None = None
        #: How often users accept each rule, shown beside it (the window shares its own).
        self.rule_rates = RuleRates()
        self._loading = False
        #: The span as it was when the user started typing in ``_base_field``, kept while a
        #: colleague's change to that same field is newer than what the user is editing.
        self._base: Span | None = None
        self._base_field: str | None = None
        #: Whose tags are "yours" (None: the inspector names the annotator as stored).
        self._viewer: str | None = None

        self._empty = QLabel(
            "No span selected.\nSelect text and press a label key, or click a highlighted span."
        )
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

        details = self._details = QWidget()
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
        self.note_edit.finished.connect(self.doneEditing)
        self.value_edit.editingFinished.connect(self._commit_value)
        self.value_edit.returnPressed.connect(self.doneEditing)
        # A choice from a combo's list saves at once and the user is done; stepping through a
        # closed combo with the arrow keys (or the wheel) saves each step and stays there.
        self._stepping_combo = False
        self.label_combo.activated.connect(self._after_combo_choice)
        self.error_type_combo.activated.connect(self._after_combo_choice)
        self._keys = FieldKeys(self)
        for field in (
            self.label_combo,
            self.error_type_combo,
            self.correction_edit,
            self.note_edit,
            self.value_edit,
            self.accept_button,
            self.reject_button,
        ):
            field.installEventFilter(self._keys)
        self.accept_button.clicked.connect(lambda: self._request(status=SpanStatus.ACCEPTED))
        self.reject_button.clicked.connect(lambda: self._request(status=SpanStatus.REJECTED))
        self.show_span(None)

    # -- public API ---------------------------------------------------------------------------

    def span(self) -> Span | None:
        return self._span

    def set_viewer(self, name: str | None) -> None:
        self._viewer = name

    def current_span_id(self) -> int | None:
        return self._span.id if self._span else None

    def show_span(self, span: Span | None) -> None:
        """Show ``span`` (None: the empty state). The same span again refreshes the fields the
        user is not typing in."""
        same = span is not None and self._span is not None and span.id == self._span.id
        keep = self._typing_in() if same else None
        self._forget_base()
        self._show(span, keep=keep)

    def show_remote(self, span: Span) -> None:
        """``span``, on screen, was changed by a colleague. Typing in a field they left alone
        moves onto their version (it saves normally); typing in a field they changed stays
        based on the version the user started from, so its commit is refused, not merged."""
        old = self._span
        if old is None or old.id != span.id:
            self.show_span(span)
            return
        typing = self._typing_in()
        if typing is None:
            self._forget_base()
        else:
            base = self._base if self._base_field == typing else old
            if getattr(span, typing) != getattr(base, typing):
                self._base, self._base_field = base, typing
            else:
                self._forget_base()
        self._show(span, keep=typing)

    def revert(self, span: Span | None) -> None:
        """A change to the shown span was refused (a colleague changed or deleted it first):
        show what is stored now in every field, the one being typed in too. The text replaced
        there stays in the field's own undo history (Ctrl+Z in the field brings it back)."""
        self._forget_base()
        if span is None or self._span is None or span.id != self._span.id:
            self._show(span, keep=None)
            return
        self._show(span, keep=None, undoable=True)

    def edit_base(self, span_id: int) -> Span | None:
        """The older span an edit of ``span_id`` must be based on (see show_remote), if any."""
        return self._base if self._base is not None and self._base.id == span_id else None

    def _forget_base(self) -> None:
        self._base = self._base_field = None

    def _show(self, span: Span | None, *, keep: str | None, undoable: bool = False) -> None:
        self._span = span
        self._loading = True
        try:
            if span is None:
                self._stack.setCurrentIndex(0)
                self._empty.setEnabled(False)
            else:
                self._stack.setCurrentIndex(1)
                self._fill(span, keep=keep, undoable=undoable)
        finally:
            self._loading = False
        self.spanShown.emit(span)

    def _text_fields(self) -> dict[str, QLineEdit | NoteEdit]:
        return {"correction": self.correction_edit, "note": self.note_edit,
                "value": self.value_edit}  # fmt: skip

    def _typing_in(self) -> str | None:
        """The text field with the focus, if the user has changed its text from the value the
        shown span holds (a field merely focused is not being typed in)."""
        if self._span is None:
            return None
        for name, edit in self._text_fields().items():
            if edit.hasFocus():
                typed = text_or_none(field_text(edit)) != getattr(self._span, name)
                return name if typed else None
        return None

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

    def _fill(self, span: Span, *, keep: str | None, undoable: bool = False) -> None:
        self._details.setEnabled(True)  # the page _show has just made current
        self.text_label.setText(" ".join(span.text.split()))
        label = self._tagset.get(span.label)
        self.origin_label.setText(
            describe_origin(span, self._viewer) + suggested_by(span, self.rule_rates)
        )
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

        for name, edit in self._text_fields().items():
            value = getattr(span, name) or ""
            if name == keep or field_text(edit) == value:
                continue
            if undoable:
                replace_keeping_undo(edit, value)
            elif isinstance(edit, NoteEdit):
                edit.setPlainText(value)
            else:
                edit.setText(value)

    def _set_row_visible(self, field: QWidget, visible: bool) -> None:
        self._form.setRowVisible(field, visible)

    # -- committing ---------------------------------------------------------------------------

    def _request(self, **changes: object) -> None:
        if self._loading or self._span is None or self._span.id is None:
            return
        changed = {k: v for k, v in changes.items() if getattr(self._span, k) != v}
        if changed:
            self.editRequested.emit(self._span.id, changed)
        if self._base_field in changes:
            self._forget_base()  # the typing it was kept for is committed (or was undone)

    def _on_label_chosen(self, index: int) -> None:
        if self._span is None:
            return
        key = self.label_combo.itemData(index)
        if key and key != self._span.label:
            self._request(**relabel_changes(self._tagset, self._span, key))

    def _on_error_type_chosen(self, index: int) -> None:
        self._request(error_type=self.error_type_combo.itemData(index))

    def _commit_correction(self) -> None:
        self._request(correction=text_or_none(self.correction_edit.text()))

    def _on_correction_return(self) -> None:
        self._commit_correction()
        self.doneEditing.emit()

    def cancel_field(self, field: QWidget) -> None:
        """Esc: drop what is being typed in ``field`` (the stored value comes back, the typed
        text stays in the field's undo history) and hand the keyboard back."""
        if self._span is not None:
            for name, edit in self._text_fields().items():
                if edit is field:
                    value = getattr(self._span, name) or ""
                    if field_text(edit) != value:
                        self._loading = True
                        try:
                            replace_keeping_undo(edit, value)
                        finally:
                            self._loading = False
                    if self._base_field == name:
                        self._forget_base()
        self.doneEditing.emit()

    def _after_combo_choice(self, _index: int) -> None:
        if not self._stepping_combo:
            self.doneEditing.emit()

    def step_combo(self, combo: QComboBox, event: QEvent) -> bool:
        """A key or wheel event on a closed combo, delivered here so its choices are known
        to be steps, not a final choice."""
        self._stepping_combo = True
        try:
            return combo.event(event)
        finally:
            self._stepping_combo = False

    def finish_combo(self) -> None:
        """Enter on a closed combo: its choice is already saved."""
        self.doneEditing.emit()

    def _commit_note(self) -> None:
        # A note keeps its inner line breaks; only surrounding blank space is dropped.
        self._request(note=text_or_none(self.note_edit.toPlainText()))

    def _commit_value(self) -> None:
        self._request(value=text_or_none(self.value_edit.text()))
