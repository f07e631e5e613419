"""Review progress in the status bar: "Pending: 7 here · 240 in corpus".

The open document's count comes from the annotation table's spans (no query). The corpus
count is one COUNT through the document service. Both are counted at most once per
``DELAY_MS`` however many changes arrive (a suggest run, a colleague's batch, a burst of
accept keys), so a held key never queries the database per press.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel

from annotator.core.errors import DatabaseError
from annotator.ui.widgets.annotation_table import AnnotationTable

log = logging.getLogger(__name__)

DELAY_MS = 300


class ReviewProgress(QObject):
    """Keeps ``label`` current. Call ``refresh_soon`` when something may have changed the
    corpus outside the open document; the table's own changes are followed automatically."""

    #: (pending here, pending in the corpus) after each count, for tests and other watchers.
    counted = Signal(int, int)

    def __init__(
        self,
        label: QLabel,
        table: AnnotationTable,
        *,
        count_corpus: Callable[[], int],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._label = label
        self._table = table
        self._count_corpus = count_corpus
        self._corpus: int | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        model = table.model()
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.dataChanged):
            signal.connect(self._table_changed)
        label.setToolTip("Suggestions waiting for accept or reject: in this document and in "
                         "the whole corpus")  # fmt: skip

    def _table_changed(self, *_args: object) -> None:
        # Not counted here: a colleague's batch upserts hundreds of rows one by one, and
        # counting an article's spans per row would cost more than the rows themselves.
        self.refresh_soon()

    def refresh_soon(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def refresh(self) -> None:
        """Count now (the corpus query included)."""
        self._timer.stop()
        try:
            self._corpus = self._count_corpus()
        except DatabaseError as exc:  # shown elsewhere (connection label); keep the old count
            log.info("could not count pending suggestions: %s", exc)
        self._show()
        self.counted.emit(self._table.pending_count(), self._corpus or 0)

    def _show(self) -> None:
        here = self._table.pending_count()
        corpus = "…" if self._corpus is None else str(max(self._corpus, here))
        self._label.setText(f"Pending: {here} here · {corpus} in corpus")
