"""Tagging from the keyboard: a label key (or palette click) on the selection, the error type
as the next key, deleting the current span, and stepping from span to span.

Kept apart from the window so what tagging needs of it is the ``TaggingHost`` interface: the
views, the editor and the inspector, nothing about files, menus or docks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication

from annotator.core.model import Span, SpanStatus
from annotator.core.offsets import snap_to_words
from annotator.ui.models.span_layers import is_mine
from annotator.ui.widgets.error_type_chooser import ErrorTypeChooser

if TYPE_CHECKING:
    from annotator.ui.window.hosts import TaggingHost


class Tagging(QObject):
    def __init__(self, window: TaggingHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self.error_types = ErrorTypeChooser(window.window())
        self.error_types.chosen.connect(self._on_error_type_chosen)
        self.error_types.cancelled.connect(self.back_to_view)
        self._error_span: int | None = None

    def apply_label(self, key: str, *, exact: bool = False) -> None:
        """A label key or palette click: tag the selection (snapped to whole words unless
        ``exact``), or with nothing selected relabel the current span."""
        w = self._window
        document = w.document
        if document is None:
            w.show_message("Open a document first")
            return
        label = w.app.tagset.get(key)
        if label is None:
            return
        selected = w.view.selected_range()
        if selected is None or selected[0] == selected[1]:
            span = w.current_span()
            if span is None:
                w.show_message(f"Select some text first, then press {label.shortcut}")
                return
            if is_mine(span, w.app.user):
                if w.editor.relabel_span(span=span, label=key) is not None:
                    self.continue_after(key)
                return
            # A colleague's span under the caret: the key tags the same words in the user's
            # own layer; relabelling theirs is for the inspector, on purpose.
            selected, exact = (span.start, span.end), True
        start, end = selected
        if not exact:
            start, end = snap_to_words(document.text, start, end)
            # "_" is a word character, but in Markdown it may be emphasis the reader never
            # saw: a snapped span must not take hidden markup at its edges.
            shown = w.view.offset_map()
            while start < end and shown.is_hidden(start):
                start += 1
            while end > start and shown.is_hidden(end - 1):
                end -= 1
        if start >= end:
            return
        # Ask the view's span index, not a scan: an article may carry 20,000 spans.
        # Only the user's own span (or a suggestion) counts: a colleague's tag on the same
        # words is theirs, and the user tags the words in their own layer beside it.
        twins = [
            s
            for s in w.view.spans_at(start)
            if (s.start, s.end, s.label) == (start, end, key) and is_mine(s, w.app.user)
        ]
        # The user's own tag first; failing that, the same words suggested: the key says yes.
        twin = min(twins, key=lambda s: s.status == SpanStatus.PENDING, default=None)
        if twin is not None and twin.status == SpanStatus.PENDING:
            if w.editor.edit_span(
                span=twin,
                changes={"status": SpanStatus.ACCEPTED},
                description=f"Accept suggestion “{twin.text[:30]}”",
            ):
                w.show_message(f"Accepted the suggestion “{twin.text}” as {label.name}")
                self.continue_after(key)
            return
        if twin is not None:
            w.select_span(twin.id)
            w.show_message(f"“{twin.text}” is already tagged as {label.name}")
            return
        span = w.editor.add_span(
            document_id=document.id,
            start=start,
            end=end,
            label=key,
            text=document.text[start:end],
        )
        if span is not None:
            self.continue_after(key)

    def continue_after(self, key: str) -> None:
        """Put the focus where the user goes next: an error wants its correction typed,
        anything else the next selection in the article."""
        w = self._window
        label = w.app.tagset.get(key)
        span = w.current_span() if label is not None and label.error_types else None
        if (
            label is not None
            and span is not None
            and (span.error_type is None and span.label == key and span.id is not None)
        ):
            self._choose_error_type(span, label.error_types)
        elif label is not None and "correction" in label.text_attributes:
            w.panels.flush()
            w.inspector.focus_correction()
        else:
            w.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _choose_error_type(self, span: Span, error_types: tuple[str, ...]) -> None:
        """The error type is the next key: a popup just below the span's end."""
        w = self._window
        self._error_span = span.id
        cursor = w.view.textCursor()
        cursor.setPosition(w.view.offset_map().to_utf16(span.end))
        rect = w.view.cursorRect(cursor)
        self.error_types.open_at(error_types, w.view.viewport().mapToGlobal(rect.bottomLeft()))

    def _on_error_type_chosen(self, error_type: str) -> None:
        w = self._window
        w.panels.flush()
        span = w.table.span(self._error_span) if self._error_span is not None else None
        if span is None:
            self.back_to_view()
            return
        if w.editor.edit_span(span=span, changes={"error_type": error_type},
                                 description=f"Error type of “{span.text[:30]}”: "
                                 f"{error_type.replace('_', ' ')}") is None:  # fmt: skip
            self.back_to_view()
            return
        w.panels.flush()
        w.inspector.focus_correction()

    def back_to_view(self) -> None:
        w = self._window
        w.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def delete_current_span(self) -> None:
        w = self._window
        focus = QApplication.focusWidget()
        if focus is not None and w.documents_panel.isAncestorOf(focus):
            # Del in the document list must not reach into the article and delete a span.
            w.show_message("Select a span in the article to delete it")
            return
        span = w.current_span()
        if span is None:
            w.show_message("No span selected")
            return
        w.editor.delete_span(span=span)

    def step_span(self, step: int) -> None:
        w = self._window
        w.panels.flush()
        spans = [s for s in w.table.spans() if s.id is not None]
        if not spans:
            w.show_message("This document has no spans yet")
            return
        current = w.current_span()
        if current is None:
            target = spans[0] if step > 0 else spans[-1]
        else:
            ids = [s.id for s in spans]
            row = ids.index(current.id) + step if current.id in ids else 0
            if not 0 <= row < len(spans):
                w.show_message("No more spans" if step > 0 else "This is the first span")
                return
            target = spans[row]
        w.select_span(target.id)
        w.view.setFocus(Qt.FocusReason.OtherFocusReason)
