"""The span inspector's parts that are not the inspector itself: the note field, the text
helpers its fields share, the origin line ("Your tag · characters 4–9"), and the key filter
that hands the keyboard back to the article (Esc in any field, Enter on a closed combo)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QTextCursor
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from annotator.core.model import Origin, Span, SpanStatus
from annotator.ui.models.rule_rates import RuleRates
from annotator.ui.models.span_layers import whose_tag

if TYPE_CHECKING:
    from annotator.ui.widgets.span_inspector import SpanInspector

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class NoteEdit(QPlainTextEdit):
    """A plain-text field that says when the user is done with it: focus leaving it, or
    Ctrl+Enter (plain Enter is a new line in a note; ``finished`` follows the save)."""

    committed = Signal()
    finished = Signal()  # Ctrl+Enter: saved, and the user is done here

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
            self.finished.emit()
            return
        super().keyPressEvent(event)


def text_or_none(text: str) -> str | None:
    text = text.strip()
    return text or None


def field_text(edit: QLineEdit | QPlainTextEdit) -> str:
    return edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()


def replace_keeping_undo(edit: QLineEdit | QPlainTextEdit, value: str) -> None:
    # setText/setPlainText clear the field's undo history; an edit through the cursor does not.
    if isinstance(edit, QPlainTextEdit):
        cursor = edit.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(value)
        edit.setTextCursor(cursor)
    else:
        edit.selectAll()
        edit.insert(value)


def describe_origin(span: Span, viewer: str | None) -> str:
    """Whose tag this is comes first: in shared mode the same words may carry the user's
    tag and a colleague's, and editing the wrong one would change the colleague's work."""
    if span.status == SpanStatus.PENDING:
        return "Suggestion, pending: accept or reject it"
    if viewer is None or span.layer is None:
        who = f" by {span.annotator}" if span.annotator else ""
        if span.origin == Origin.SUGGESTED:
            state = "accepted" if span.status == SpanStatus.ACCEPTED else "rejected"
            return f"Suggestion, {state}{who}"
        return f"Tagged{who} · characters {span.start}–{span.end}"
    whose = whose_tag(span, viewer)
    if span.origin == Origin.SUGGESTED:
        return f"{whose}, an accepted suggestion"
    return f"{whose} · characters {span.start}–{span.end}"


def suggested_by(span: Span, rates: RuleRates | None = None) -> str:
    """Which rule proposed a suggestion, how sure it was and how often users accept the rule:
    "Suggested by kb-alias · 0.92 · accepted 96% of 50" on a line of its own, so a reviewer
    can weigh a weak fuzzy match differently."""
    if span.origin != Origin.SUGGESTED or (span.rule is None and span.confidence is None):
        return ""
    parts = [f"Suggested by {span.rule or 'a suggester'}"]
    if span.confidence is not None:
        parts.append(f"{span.confidence:.2f}")
    if rates is not None and (rate := rates.describe(span.rule)):
        parts.append(rate)
    return "\n" + " · ".join(parts)


class FieldKeys(QObject):
    """Esc in any inspector field, and Enter on a closed combo box: back to the article.
    Esc is claimed at ShortcutOverride too, so no window shortcut takes it first."""

    def __init__(self, inspector: SpanInspector) -> None:
        super().__init__(inspector)
        self._inspector = inspector

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Wheel and isinstance(watched, QComboBox):
            return self._step(watched, event)
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) or not isinstance(
            event, QKeyEvent
        ):
            return super().eventFilter(watched, event)
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        escape = event.key() == Qt.Key.Key_Escape and plain
        combo_enter = (isinstance(watched, QComboBox) and event.key() in _ENTER_KEYS and plain
                       and not watched.view().isVisible())  # fmt: skip
        if not (escape or combo_enter) or not isinstance(watched, QWidget):
            if kind == QEvent.Type.KeyPress and isinstance(watched, QComboBox):
                return self._step(watched, event)
            return super().eventFilter(watched, event)
        event.accept()
        if kind == QEvent.Type.KeyPress:
            if escape:
                self._inspector.cancel_field(watched)
            else:
                self._inspector.finish_combo()
        return True

    def _step(self, combo: QComboBox, event: QEvent) -> bool:
        # An event the combo ignored goes on to its parents (Qt delivers it to the combo once
        # more, which ignores it again): a wheel over a closed combo still scrolls the panel.
        return self._inspector.step_combo(combo, event) and event.isAccepted()
