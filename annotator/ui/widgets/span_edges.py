"""Moving the current span's edges: Shift+Left/Right move its end, Alt+Shift+Left/Right its
start, one character (code point) a press; or a drag of either end with the mouse.

Every move is a ``MoveSpanCommand`` on the window's undo stack; presses on the same span in a
row merge into one step, so nudging an end five characters is one Ctrl+Z. Offsets are code
points, as stored, so a step never splits a surrogate pair (an emoji is one step, two UTF-16
units in the view).

Shift+arrows also select text in the view. They move an edge only when a span is current, no
text is selected and the caret sits on that span (where the label key, a click, J/K or Tab in
the table leave it); anywhere else they select as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QTextCursor, QUndoCommand

from annotator.core.model import Span
from annotator.services.annotations import AnnotationService
from annotator.ui.commands import ChangeNotifier, ServiceCommand, _quote
from annotator.ui.widgets.document_view import DocumentView

if TYPE_CHECKING:
    from annotator.ui.window.editing import SpanEditor

log = logging.getLogger(__name__)

_MERGE_ID = 0x5A10
#: How near (pixels) an end of the current span a press must be to drag that end.
GRAB_PX = 4


class MoveSpanCommand(ServiceCommand):
    """New edges for one span (and the text between them). Consecutive moves of the same span
    merge; moving back to where it started leaves nothing to undo."""

    def __init__(
        self,
        annotations: AnnotationService,
        notifier: ChangeNotifier,
        *,
        span: Span,
        start: int,
        end: int,
    ) -> None:
        assert span.id is not None and span.document_id is not None
        super().__init__(notifier, span.document_id, f"Move the edges of {_quote(span.text)}")
        self._annotations = annotations
        self.span_id = span.id
        #: The version the user saw (the first redo writes against it).
        self.version = span.version
        self.before = (span.start, span.end)
        self.after = (start, end)
        #: The span as this command last left it (None before the first redo).
        self.left: Span | None = None

    def id(self) -> int:
        return _MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, MoveSpanCommand) or other.span_id != self.span_id:
            return False
        if other.outcome.error is not None:
            return False
        self.after = other.after
        self.outcome = other.outcome
        self.left = other.left
        if self.after == self.before:
            self.setObsolete(True)  # moved back to where it was: nothing left to undo
        return True

    def _apply(self, edges: tuple[int, int], doing: str) -> None:
        try:
            version = self.version
            if self.left is not None:
                version = self._annotations.expect([self.left])[self.span_id]
            _before, after = self._annotations.move(self.span_id, *edges,
                                                    expected_version=version)  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - never into Qt's frames
            self._fail(exc, doing)
            return
        self.left = after
        self.outcome.span = after
        self.notifier.spanChanged.emit(after)
        self.notifier.committed.emit()

    def redo(self) -> None:
        self._apply(self.after, "could not move the span's edges")

    def undo(self) -> None:
        self._apply(self.before, "could not undo moving the span's edges")


def moved_edges(span: Span, length: int, *, edge: str, step: int) -> tuple[int, int] | None:
    """``span``'s edges with its ``edge`` ("start" or "end") moved ``step`` code points, or
    None when that would leave the text or empty the span."""
    start, end = span.start, span.end
    if edge == "start":
        start += step
    else:
        end += step
    if not 0 <= start < end <= length:
        return None
    return start, end


class EdgeKeys(QObject):
    """Shift+Left/Right (end) and Alt+Shift+Left/Right (start) in the article view, while a
    span is current and the caret is on it. Emits (span id, edge, step)."""

    moveRequested = Signal(int, str, int)

    def __init__(self, view: DocumentView) -> None:
        super().__init__(view)
        self._view = view

    def _request(self, event: QKeyEvent) -> tuple[int, str, int] | None:
        if event.key() not in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            return None
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        shift, alt = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.AltModifier
        if mods not in (shift, shift | alt):
            return None
        view = self._view
        span_id = view.current_span_id()
        span = view.shown_span(span_id) if span_id is not None else None
        cursor = view.textCursor()
        if span is None or span.id is None or cursor.hasSelection():
            return None
        caret = view.offset_map().from_utf16(cursor.position())
        if not span.start <= caret <= span.end:
            return None
        step = 1 if event.key() == Qt.Key.Key_Right else -1
        return span.id, "start" if mods & alt else "end", step

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(
            event, QKeyEvent
        ):
            found = self._request(event)
            if found is not None:
                event.accept()
                if kind == QEvent.Type.KeyPress:
                    self.moveRequested.emit(*found)
                return True
        return super().eventFilter(watched, event)


class EdgeDrag(QObject):
    """Dragging an end of the current span in the article view (an event filter on its
    viewport). While dragging, the new range shows as the text selection; the release emits
    (span id, start, end) and puts the caret back on the span. Esc cancels the drag."""

    dragged = Signal(int, int, int)

    def __init__(self, view: DocumentView) -> None:
        super().__init__(view)
        self._view = view
        #: (span, edge being dragged, edges now) while a drag is on.
        self._drag: tuple[Span, str, tuple[int, int]] | None = None
        view.viewport().setMouseTracking(True)
        view.viewport().installEventFilter(self)
        view.installEventFilter(self)

    def edge_at(self, point: QPoint) -> tuple[Span, str] | None:
        """The current span and which of its ends ("start" or "end") lies under ``point``."""
        view = self._view
        span_id = view.current_span_id()
        span = view.shown_span(span_id) if span_id is not None else None
        if span is None:
            return None
        to_utf16 = view.offset_map().to_utf16
        for edge, cp in (("end", span.end), ("start", span.start)):
            cursor = QTextCursor(view.document())
            cursor.setPosition(to_utf16(cp))
            rect = view.cursorRect(cursor)
            if abs(point.x() - rect.x()) <= GRAB_PX and rect.top() <= point.y() <= rect.bottom():
                return span, edge
        return None

    def _edges_at(self, point: QPoint) -> tuple[int, int]:
        assert self._drag is not None
        span, edge, edges = self._drag
        view = self._view
        cp = view.offset_map().from_utf16(view.cursorForPosition(point).position())
        if edge == "start":
            return (min(cp, span.end - 1), span.end)
        return (span.start, max(cp, span.start + 1))

    def _show_range(self, start: int, end: int) -> None:
        view = self._view
        to_utf16 = view.offset_map().to_utf16
        cursor = QTextCursor(view.document())
        cursor.setPosition(to_utf16(start))
        cursor.setPosition(to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        view.setTextCursor(cursor)

    def _finish(self, emit: bool) -> None:
        assert self._drag is not None
        span, _edge, edges = self._drag
        self._drag = None
        self._view.viewport().unsetCursor()
        assert span.id is not None
        self._view.select_span(span.id)  # the caret back on the span, nothing selected
        if emit and edges != (span.start, span.end):
            self.dragged.emit(span.id, *edges)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._view:
            if (
                self._drag is not None
                and kind == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Escape
            ):
                self._finish(emit=False)
                return True
            return False
        if not isinstance(event, QMouseEvent):
            return False
        point = event.position().toPoint()
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            found = self.edge_at(point)
            if found is None:
                return False
            span, edge = found
            self._drag = (span, edge, (span.start, span.end))
            self._view.setFocus(Qt.FocusReason.MouseFocusReason)
            return True
        if kind == QEvent.Type.MouseMove:
            if self._drag is None:
                near = self.edge_at(point) is not None
                viewport = self._view.viewport()
                if near:
                    viewport.setCursor(Qt.CursorShape.SizeHorCursor)
                else:
                    viewport.setCursor(Qt.CursorShape.IBeamCursor)
                return False
            span, edge, _ = self._drag
            edges = self._edges_at(point)
            self._drag = (span, edge, edges)
            self._show_range(*edges)
            return True
        if kind == QEvent.Type.MouseButtonRelease and self._drag is not None:
            self._drag = (self._drag[0], self._drag[1], self._edges_at(point))
            self._finish(emit=True)
            return True
        if kind == QEvent.Type.MouseButtonDblClick and self._drag is not None:
            return True
        return False


class SpanEdges(QObject):
    """The window's side of edge moves: the keys and the drag on ``view`` become moves
    through ``editor`` (the command layer)."""

    def __init__(self, view: DocumentView, editor: SpanEditor, *,
                 show_message: Callable[[str], None]) -> None:  # fmt: skip
        super().__init__(view)
        self._view = view
        self._editor = editor
        self._show_message = show_message
        self.keys = EdgeKeys(view)
        self.keys.moveRequested.connect(self.move_edge)
        view.installEventFilter(self.keys)
        self.drag = EdgeDrag(view)
        self.drag.dragged.connect(self.move_to)

    def move_edge(self, span_id: int, edge: str, step: int) -> None:
        """One code point on the span's end (or start)."""
        span = self._view.shown_span(span_id)
        if span is None:
            return
        where = span.start if edge == "start" else span.end
        step = self._view.offset_map().step_shown(where, step) - where  # past hidden markup
        edges = moved_edges(span, len(self._view.stored_text()), edge=edge, step=step)
        if edges is None:
            self._show_message("The span cannot become empty or leave the text")
            return
        self.move_to(span_id, *edges)

    def move_to(self, span_id: int, start: int, end: int) -> None:
        span = self._view.shown_span(span_id)
        if span is not None and self._editor.move_span(span=span, start=start, end=end):
            self._view.select_span(span_id)  # the caret stays on the span for the next press
