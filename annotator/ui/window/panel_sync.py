"""The annotation table and the span inspector following a committed change.

A label key must show its highlight within one frame. The article view is updated at once;
the table and the inspector (a model row, a selection, a form relayout, and a repaint of each)
follow one turn of the event loop later, so the view's repaint goes out first instead of
waiting for theirs. Anything that reads the table calls ``flush`` first and sees every change.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from annotator.core.model import Span
from annotator.ui.widgets.annotation_table import AnnotationTable
from annotator.ui.widgets.document_view import DocumentView
from annotator.ui.widgets.span_inspector import SpanInspector


class PanelSync(QObject):
    def __init__(
        self,
        view: DocumentView,
        table: AnnotationTable,
        inspector: SpanInspector,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._view = view
        self._table = table
        self._inspector = inspector
        self._pending: dict[int, Span] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.flush)

    @property
    def pending(self) -> bool:
        return bool(self._pending)

    def span_changed(self, span: Span) -> None:
        """``span`` (stored, shown in the view) changed: update the panels soon."""
        if span.id is None:
            return
        self._pending.pop(span.id, None)
        self._pending[span.id] = span
        self._timer.start()

    def flush(self) -> None:
        """Apply the changes waiting, now."""
        self._timer.stop()
        if not self._pending:
            return
        pending = list(self._pending.values())
        self._pending.clear()
        for span in pending:
            self._table.upsert_span(span)
        current = self._view.current_span_id()
        for span in pending:
            if span.id == current:
                self._table.select_span(span.id)
                self._inspector.show_span(span)

    def discard(self) -> None:
        """Drop the waiting changes: the panels are about to be reloaded anyway."""
        self._timer.stop()
        self._pending.clear()
