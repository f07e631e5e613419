"""The find bar under the article: Ctrl+F, every hit highlighted, F3 / Shift+F3 to step.

Matching runs with Python ``re`` on the text as shown (a Markdown article without its markup),
and hits are kept as stored code-point ranges like spans; only crossing into Qt goes through
the view's DisplayMap (an emoji before a hit must not shift its highlight). Hits are drawn as
the view's extra selections, which Qt paints over the span fills and under the user's
selection: the span painter needs to know nothing of them.

The current hit is also the view's selection, so Esc, then a label key tags exactly it.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.ui.widgets.document_view import DocumentView

#: Highlights beyond this many are not drawn (the count stays exact): a one-letter query in a
#: megabyte article would otherwise make every repaint crawl.
HIGHLIGHT_LIMIT = 5000
# Translucent fill: over a light or a dark page the palette's own text colour stays readable.
HIT_BACKGROUND = QColor(255, 193, 7, 110)
# The current hit sets both colours, so it reads the same in either palette.
CURRENT_BACKGROUND = QColor("#ff9632")
CURRENT_FOREGROUND = QColor("#000000")
ERROR_COLOR = "#b3261e"


def find_all(
    text: str, query: str, *, words: bool = False, regex: bool = False, case: bool = False
) -> list[tuple[int, int]]:
    """Code-point ranges of ``query`` in ``text``; raises ``re.error`` for a bad pattern.
    Empty matches (``a*``) are skipped: there is nothing to show or tag."""
    if not query:
        return []
    pattern = query if regex else re.escape(query)
    if words:
        pattern = rf"(?<!\w)(?:{pattern})(?!\w)"
    compiled = re.compile(pattern, 0 if case else re.IGNORECASE)
    return [(m.start(), m.end()) for m in compiled.finditer(text) if m.end() > m.start()]


def show_range(view: DocumentView, start: int, end: int) -> None:
    """Select code points ``start``..``end`` in the article and scroll them to the centre."""
    to_utf16 = view.offset_map().to_utf16
    cursor = QTextCursor(view.document())
    cursor.setPosition(to_utf16(start))
    cursor.setPosition(to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    view.centerCursor()


class FindBar(QWidget):
    #: The bar closed (Esc or its button); the article has the focus again.
    closed = Signal()

    def __init__(self, view: DocumentView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.setAccessibleName("Find in the article")
        self._view = view
        self._hits: list[tuple[int, int]] = []
        self._current = -1
        # Where a new query starts looking: the caret when the bar opened, then the last hit
        # shown, so typing more letters does not jump back to the top.
        self._origin = 0
        self._highlights: list[QTextEdit.ExtraSelection] = []
        # True until the hit a new query landed on has been confirmed: the first Enter keeps
        # it (as in vi's "/name Enter"), so Ctrl+F name Enter Esc 1 tags that hit, not the next.
        self._fresh = False

        self.field = QLineEdit()
        self.field.setObjectName("findField")
        self.field.setAccessibleName("Find")
        self.field.setPlaceholderText("Find in the article (Enter: next, Shift+Enter: previous)")
        self.field.setClearButtonEnabled(True)
        self.field.installEventFilter(self)
        self.case = self._toggle("findCase", "Match case", "Alt+C", "Aa")
        self.words = self._toggle("findWords", "Whole words", "Alt+W", "W")
        self.regex = self._toggle("findRegex", "Regular expression", "Alt+R", ".*")
        self.count = QLabel()
        self.count.setObjectName("findCount")
        self.count.setAccessibleName("Find results")
        self.count.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A long regex error is cut to fit (whole in the tooltip) rather than widen the window.
        self.count.setMinimumWidth(self.count.fontMetrics().horizontalAdvance("9999 of 9999"))
        previous = self._button("findPrevious", "↑", "Find previous (Shift+F3, Shift+Enter)")
        previous.clicked.connect(lambda: self.step(-1))
        following = self._button("findNext", "↓", "Find next (F3, Enter)")
        following.clicked.connect(lambda: self.step(1))
        close = self._button("findClose", "✕", "Close the find bar (Esc)")
        close.clicked.connect(self.close_bar)

        row = QHBoxLayout(self)
        row.setContentsMargins(6, 3, 6, 3)
        row.addWidget(self.field, 1)
        for widget in (self.case, self.words, self.regex, self.count, previous, following, close):
            row.addWidget(widget)
        escape = QShortcut(QKeySequence("Esc"), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.close_bar)

        self.field.textChanged.connect(lambda _text: self._search())
        # Queued: the view moves its caret to the top after the new text is in.
        view.textChanged.connect(self._document_changed, Qt.ConnectionType.QueuedConnection)
        self.hide()

    def _toggle(self, name: str, text: str, key: str, face: str) -> QToolButton:
        # Short faces ("Aa", ".*"), as in most editors: the bar must fit under a narrow article.
        toggle = QToolButton()
        toggle.setObjectName(name)
        toggle.setText(face)
        toggle.setCheckable(True)
        toggle.setAutoRaise(True)
        toggle.setToolTip(f"{text} ({key})")
        toggle.setAccessibleName(text)
        # Keys, not clicks: the focus stays in the field while the options change.
        toggle.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        toggle.toggled.connect(lambda _on: self._search())
        shortcut = QShortcut(QKeySequence(key), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(toggle.toggle)
        return toggle

    @staticmethod
    def _button(name: str, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setObjectName(name)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    # -- what the window calls ----------------------------------------------------------------

    def open(self) -> None:
        """Ctrl+F: show the bar with the article's selection as the query (when it is one
        line) and put the focus in the field."""
        if not self.isVisible():
            selected = self._view.selected_range()
            if selected and selected[0] < selected[1]:
                text = self._view.stored_text()[selected[0] : selected[1]]
                if "\n" not in text:
                    self.field.blockSignals(True)
                    self.field.setText(re.escape(text) if self.regex.isChecked() else text)
                    self.field.blockSignals(False)
            self._reopen()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def _reopen(self) -> None:
        """Show the bar and search on from the caret (the start of the selection)."""
        selected = self._view.selected_range()
        self._origin = (
            selected[0]
            if selected
            else self._view.offset_map().from_utf16(self._view.textCursor().position())
        )
        self.show()
        self._search()

    def step(self, delta: int) -> None:
        """F3 / Shift+F3: the next or previous hit, round the end of the article."""
        if not self.isVisible():
            if not self.field.text():
                self.open()
                return
            # F3 after Esc: the same query (not the selected hit's text), on from that hit.
            self._reopen()
        self._fresh = False
        if not self._hits:
            return
        self._current = (self._current + delta) % len(self._hits)
        self._origin = self._hits[self._current][0]
        self._show_current()

    def close_bar(self) -> None:
        """Esc: the highlights go, the current hit stays selected, the article takes keys."""
        self.hide()
        self._highlights = []
        self._view.setExtraSelections([])
        self._view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.closed.emit()

    def hits(self) -> list[tuple[int, int]]:
        return list(self._hits)

    def current(self) -> tuple[int, int] | None:
        return self._hits[self._current] if 0 <= self._current < len(self._hits) else None

    # -- searching ----------------------------------------------------------------------------

    def _document_changed(self) -> None:
        if self.isVisible():
            # Highlight the new article's hits but leave its selection alone: whatever opened
            # it (a search result, a span in the agreement panel) chose what to show.
            self._origin = 0
            self._search(move=False)

    def _search(self, *, move: bool = True) -> None:
        self._hits, self._current, self._fresh = [], -1, False
        self.count.setStyleSheet("")
        self.count.setToolTip("")
        try:
            # What the reader sees is searched: in a Markdown article "Jakob Ingebrigtsen"
            # must find "Jakob **Ingebrigtsen**", and a link's hidden URL must find nothing.
            shown = self._view.offset_map()
            found = find_all(shown.shown_text(), self.field.text(),
                             words=self.words.isChecked(), regex=self.regex.isChecked(),
                             case=self.case.isChecked())  # fmt: skip
            self._hits = [(shown.shown_to_stored(a), shown.shown_to_stored(b, end=True))
                          for a, b in found]  # fmt: skip
        except re.error as exc:
            self.count.setStyleSheet(f"color: {ERROR_COLOR};")
            self.count.setText(f"Bad regular expression: {exc}")
            self.count.setToolTip(self.count.text())
        self._highlights = [
            self._selection(start, end, current=False)
            for start, end in self._hits[:HIGHLIGHT_LIMIT]
        ]
        if self._hits and move:
            starts = (i for i, (start, _end) in enumerate(self._hits) if start >= self._origin)
            self._current = next(starts, 0)
            self._fresh = True
            self._show_current()
            return
        self._view.setExtraSelections(self._highlights)
        if self._hits:
            noun = "hit" if len(self._hits) == 1 else "hits"
            self.count.setText(f"{len(self._hits)} {noun}")
            return
        if not self.count.styleSheet():
            self.count.setText("No results" if self.field.text() else "")

    def _show_current(self) -> None:
        start, end = self._hits[self._current]
        self._view.setExtraSelections(
            [*self._highlights, self._selection(start, end, current=True)]
        )
        show_range(self._view, start, end)
        self.count.setText(f"{self._current + 1} of {len(self._hits)}")

    def _selection(self, start: int, end: int, *, current: bool) -> QTextEdit.ExtraSelection:
        to_utf16 = self._view.offset_map().to_utf16
        cursor = QTextCursor(self._view.document())
        cursor.setPosition(to_utf16(start))
        cursor.setPosition(to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        fmt = QTextCharFormat()
        if current:
            fmt.setBackground(CURRENT_BACKGROUND)
            fmt.setForeground(CURRENT_FOREGROUND)
        else:
            fmt.setBackground(HIT_BACKGROUND)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        selection.format = fmt
        return selection

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.field
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            if self._fresh and not shift:
                self._fresh = False
            else:
                self.step(-1 if shift else 1)
            return True
        return super().eventFilter(watched, event)


def with_find_bar(view: QPlainTextEdit, bar: FindBar) -> QWidget:
    """The window's centre: the article with the find bar under it."""
    area = QWidget()
    area.setObjectName("articleArea")
    column = QVBoxLayout(area)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    column.addWidget(view, 1)
    column.addWidget(bar)
    return area
