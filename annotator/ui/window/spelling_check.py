"""Spell-checks the open article while it is read: misspelled words get a small wave before
any suggestion run, from the same checker ``annotator suggest`` uses.

Enchant's suggestions cost tens of milliseconds a word, so the check runs on one worker thread
and the marks arrive when it is done; a check for an article no longer on show is dropped.
The knowledge base and the spelling setting are read on the GUI thread (the worker touches
only the text), so a closing window never leaves a thread inside the database.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QObject, Signal

from annotator.core.errors import DatabaseError
from annotator.core.suggest.spelling import SpellChecker
from annotator.services.app import App
from annotator.services.spelling import SpellingSettings
from annotator.ui.widgets.document_view import DocumentView
from annotator.ui.widgets.spelling_marks import Mark

log = logging.getLogger(__name__)


class SpellingCheck(QObject):
    #: (check number, marks) from the worker thread; queued to the GUI thread.
    _found = Signal(int, object)
    #: Emitted on the GUI thread once the marks of a check are on the view (for tests).
    checked = Signal()

    def __init__(self, view: DocumentView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._view = view
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="spelling")
        self._checker: tuple[App, SpellChecker] | None = None
        self._number = 0
        self._found.connect(self._show)

    def check(self, app: App, text: str) -> None:
        """Mark the misspellings of ``text``, now on show in the view."""
        self._number += 1
        number = self._number
        try:
            if self._checker is None or self._checker[0] is not app:
                self._checker = (app, SpellChecker(app.kb.load()))
            variant = SpellingSettings(app.db, actor=app.user).variant()
        except DatabaseError as exc:  # the article still opens, only without its marks
            log.info("no spelling marks: %s", exc)
            return
        checker = self._checker[1]
        future = self._pool.submit(checker.misspellings, text, variant=variant)
        future.add_done_callback(lambda done: self._deliver(number, done))

    def _deliver(self, number: int, done: Future[list]) -> None:
        try:
            marks: list[Mark] = [(s.start, s.end, s.correction) for s in done.result()]
        except Exception:  # a checker bug must not take the window down
            log.exception("spell-checking the article failed")
            return
        try:
            self._found.emit(number, marks)
        except RuntimeError:
            pass  # the window closed while the check ran

    def _show(self, number: int, marks: list[Mark]) -> None:
        if number != self._number:
            return  # another article is on show now
        self._view.set_spelling_marks(marks)
        self.checked.emit()

    def shutdown(self) -> None:
        self._number += 1
        self._pool.shutdown(wait=True, cancel_futures=True)
