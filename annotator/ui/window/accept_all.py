"""Accept all: every pending suggestion of one label (the current span's, or one the user
picks) or every pending suggestion in the document, each saying how many it will accept and
asking first. Either is one undo step, and accepts exactly the suggestions it counted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from annotator.core.model import Span, SpanStatus

if TYPE_CHECKING:
    from annotator.ui.window.hosts import SpanHost


class AcceptAll(QObject):
    def __init__(self, window: SpanHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        #: The accept-all question or confirmation last opened (tests answer it).
        self.last_dialog: QWidget | None = None

    def _pending(self) -> list[Span]:
        return [s for s in self._window.table.spans()
                if s.status == SpanStatus.PENDING and s.id is not None]  # fmt: skip

    def of_label(self) -> QWidget | None:
        """Accept every pending suggestion with the current span's label in this document;
        with no span selected, ask which label. Returns the dialog opened (the question or
        the confirmation), None when there is nothing to ask."""
        window = self._window
        if window.document is None:
            window.show_message("Open a document first")
            return None
        pending = self._pending()
        if not pending:
            window.show_message("No pending suggestions in this document")
            return None
        span = window.current_span()
        if span is not None:
            return self._confirm_accept_all(span.label)
        counts: dict[str, int] = {}
        for s in pending:
            counts[s.label] = counts.get(s.label, 0) + 1
        if len(counts) == 1:
            return self._confirm_accept_all(next(iter(counts)))
        return self._ask_label(counts)

    def in_document(self) -> QWidget | None:
        """Accept every pending suggestion in this document, whatever its label (after
        asking); returns the confirmation opened, if any."""
        window = self._window
        if window.document is None:
            window.show_message("Open a document first")
            return None
        return self._confirm_accept_all(None)

    def _ask_label(self, counts: dict[str, int]) -> QInputDialog:
        window = self._window
        items = {f"{self._label_name(key)} ({n})": key for key, n in counts.items()}
        dialog = QInputDialog(window.window())
        dialog.setObjectName("acceptAllLabelQuestion")
        dialog.setWindowTitle("Accept all suggestions of a label")
        dialog.setLabelText("No span is selected. Accept the pending suggestions of which "
                            "label?")  # fmt: skip
        dialog.setComboBoxItems(list(items))
        dialog.setComboBoxEditable(False)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.textValueSelected.connect(
            lambda text: items.get(text) and self._confirm_accept_all(items[text])
        )
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def _confirm_accept_all(self, label: str | None) -> QMessageBox | None:
        """Count what would be accepted, ask "Accept 12 pending suggestions?", and on yes
        accept exactly those, as one undo step."""
        window = self._window
        document = window.document
        if document is None:
            return None
        spans = [s for s in self._pending() if label is None or s.label == label]
        name = f"{self._label_name(label)} " if label is not None else ""
        if not spans:
            window.show_message(f"No pending {name}suggestions in this document")
            return None
        count = len(spans)
        noun = "suggestion" if count == 1 else "suggestions"
        box = QMessageBox(QMessageBox.Icon.Question, "Accept all suggestions",
                          f"Accept {count} pending {name}{noun}?",
                          QMessageBox.StandardButton.NoButton, window.window())  # fmt: skip
        box.setObjectName("acceptAllConfirmation")
        which = (
            f"every pending {name}suggestion"
            if label is not None
            else ("every pending suggestion, of every label,")
        )
        box.setInformativeText(f"This accepts {which} in “{document.title}”. "
                               "One Ctrl+Z takes them all back.")  # fmt: skip
        yes = box.addButton(f"Accept {count}", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(yes)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        document_id = document.id

        def answered() -> None:
            if box.clickedButton() is yes:
                self._accept_spans(document_id, label, spans)
            else:
                window.show_message("Nothing accepted")

        box.finished.connect(lambda _result: answered())
        self.last_dialog = box
        box.open()
        return box

    def _accept_spans(self, document_id: int, label: str | None, spans: list[Span]) -> int:
        window = self._window
        name = f"{self._label_name(label)} " if label is not None else ""
        count = window.editor.accept_all(document_id=document_id, label=label, spans=spans)
        if count:
            noun = "suggestion" if count == 1 else "suggestions"
            window.show_message(f"Accepted {count} {name}{noun} (Ctrl+Z takes them back)")
        window.view.setFocus(Qt.FocusReason.OtherFocusReason)
        return count

    def _label_name(self, key: str) -> str:
        label = self._window.app.tagset.get(key)
        return label.name if label else key
