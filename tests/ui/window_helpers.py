"""Driving the real main window in tests: building it, selecting text, reading the DB."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor
from sqlalchemy import select

from annotator.core.offsets import OffsetMap
from annotator.store.models import AnnotationRow
from annotator.ui.window.main_window import MainWindow


def show_window(qtbot, app, settings=None) -> MainWindow:
    window = MainWindow(app, settings=settings)
    qtbot.addWidget(window)
    # The offscreen plugin warns when a shown window's size constraints change; settling the
    # layout first sets them once, before the native window exists.
    window.layout().activate()
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    return window


def select_text(window: MainWindow, needle: str, *, occurrence: int = 0, part: str | None = None):
    """Select ``needle`` (its ``occurrence``-th appearance) in the article view, or only the
    ``part`` of it, as a mouse drag would: with UTF-16 positions on a QTextCursor."""
    text = window.view.stored_text()
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    end = start + len(needle)
    if part is not None:
        start += needle.index(part)
        end = start + len(part)
    offsets = OffsetMap(text)
    cursor = QTextCursor(window.view.document())
    cursor.setPosition(offsets.to_utf16(start))
    cursor.setPosition(offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
    window.view.setTextCursor(cursor)
    assert window.view.selected_range() == (start, end)
    return start, end


def stored_spans(app, document_id: int | None = None) -> list[AnnotationRow]:
    with app.db.sessions() as session:
        stmt = select(AnnotationRow).order_by(AnnotationRow.start, AnnotationRow.id)
        if document_id is not None:
            stmt = stmt.where(AnnotationRow.document_id == document_id)
        return list(session.scalars(stmt))


def span_texts(app, document_id: int | None = None) -> list[tuple[str, str]]:
    return [(row.label, row.text) for row in stored_spans(app, document_id)]


def settle(qtbot, window: MainWindow) -> None:
    """Wait until the annotation table and inspector show the last committed change (they
    follow the article view one event-loop turn later)."""
    qtbot.waitUntil(lambda: not window.panels.pending)


def press(qtbot, widget, key, modifier=None) -> None:
    """A key press as the user makes it; returns once the whole window shows its effect."""
    from PySide6.QtCore import Qt

    if modifier is None:
        modifier = Qt.KeyboardModifier.NoModifier
    qtbot.keyClick(widget, key, modifier)
    window = widget.window()
    if isinstance(window, MainWindow):
        settle(qtbot, window)


def answer_next_message_box(button, seen: list[str] | None = None) -> None:
    """Click ``button`` of the next modal QMessageBox once it is shown (a test cannot press
    keys into a dialog whose exec() has not returned), noting its text in ``seen``."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press)
            return
        if seen is not None:
            seen.append(box.text())
        box.button(button).click()

    QTimer.singleShot(0, press)
