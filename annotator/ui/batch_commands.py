"""Undo commands that change many spans at once: accepting every suggestion of a document
(or of one label in it), and a whole suggestion run.

Like the single-span commands (``annotator.ui.commands``) they call a service that commits at
once and report through the ``ChangeNotifier``; a run across the corpus reports the documents
it touched in one ``documentsChanged`` rather than span by span.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.core.model import Span, SpanStatus
from annotator.services.annotations import AnnotationService
from annotator.services.suggesting import SuggestReport
from annotator.services.suggestion_undo import SuggestionUndo
from annotator.ui.commands import ChangeNotifier, ServiceCommand


class AcceptAllCommand(ServiceCommand):
    """Accept every pending suggestion of one label (None: of every label) in one document:
    one transaction, one undo step. Given ``spans`` (those the user was told about), exactly
    those are accepted, at the versions shown, or none. Otherwise the first redo asks the
    service which spans are pending; undo and redo then work on exactly those ids, so a
    suggestion run in between cannot widen the step."""

    def __init__(
        self,
        annotations: AnnotationService,
        notifier: ChangeNotifier,
        *,
        document_id: int,
        label: str | None,
        label_name: str | None = None,
        spans: Sequence[Span] | None = None,
    ) -> None:
        what = f"{label_name or label} " if label is not None else ""
        super().__init__(notifier, document_id, f"Accept all {what}suggestions")
        #: span id -> version shown, when the caller names the spans (None: ask the service).
        self._chosen = (None if spans is None
                        else {s.id: s.version for s in spans if s.id is not None})  # fmt: skip
        self._annotations = annotations
        self.label = label
        #: Filled in place on the first redo; a caller may keep the list after push(), when
        #: the stack may already have deleted the command (nothing was pending).
        self.accepted_ids: list[int] = []
        #: The spans as this command last left them.
        self._left: list[Span] = []
        self._asked = False

    def _emit(self, changed: list[tuple[Span, Span]]) -> None:
        self._left = [after for _, after in changed]
        for _before, after in changed:
            self.notifier.spanChanged.emit(after)
        self.notifier.committed.emit()

    def redo(self) -> None:
        try:
            if not self._asked and self._chosen is not None:
                changed = self._annotations.set_statuses(
                    list(self._chosen), SpanStatus.ACCEPTED, expected=self._chosen
                )
                self.accepted_ids.extend(a.id for _, a in changed if a.id is not None)
                self._asked = True
            elif not self._asked:
                changed = self._annotations.accept_all(self.document_id, self.label)
                self.accepted_ids.extend(a.id for _, a in changed if a.id is not None)
                self._asked = True
            else:
                expected = self._annotations.expect(self._left)
                changed = self._annotations.set_statuses(
                    self.accepted_ids, SpanStatus.ACCEPTED, expected=expected
                )
        except Exception as exc:  # noqa: BLE001 - never into Qt's frames
            self._fail(exc, "could not accept the suggestions")
            return
        if not changed:
            self.setObsolete(True)  # nothing was pending: no empty undo step
            return
        self.outcome.span = changed[-1][1]
        self._emit(changed)

    def undo(self) -> None:
        try:
            expected = self._annotations.expect(self._left)
            changed = self._annotations.set_statuses(
                self.accepted_ids, SpanStatus.PENDING, expected=expected
            )
        except Exception as exc:  # noqa: BLE001 - never into Qt's frames
            self._fail(exc, "could not undo accepting the suggestions")
            return
        self._emit(changed)


class SuggestRunCommand(ServiceCommand):
    """A suggestion run as one undo step. The run stored its spans itself (off the GUI
    thread), so the first redo only shows them; undo withdraws those nobody has touched since
    and says how many stayed, redo puts the withdrawn ones back."""

    def __init__(
        self,
        undo: SuggestionUndo,
        notifier: ChangeNotifier,
        *,
        report: SuggestReport,
        document_id: int | None,
    ) -> None:
        count = len(report.stored)
        noun = "suggestion" if count == 1 else "suggestions"
        where = "" if document_id is not None else f" in {report.documents} documents"
        super().__init__(notifier, document_id or 0, f"Suggest: {count} {noun}{where}")
        self._undo = undo
        self._refs = list(report.stored)
        self._documents = sorted({ref.document_id for ref in self._refs})
        self._withdrawn: list[Span] = []
        self._first = True
        #: Suggestions left in place by the last undo (reviewed or edited since).
        self.kept = 0

    def _show(self) -> None:
        self.notifier.documentsChanged.emit(self._documents)
        self.notifier.committed.emit()

    def redo(self) -> None:
        if self._first:
            self._first = False
            self._show()
            return
        try:
            stored = self._undo.reinstate(self._withdrawn)
        except Exception as exc:  # noqa: BLE001 - never into Qt's frames
            self._fail(exc, "could not bring the suggestions back")
            return
        back = {s.id for s in stored}
        self._refs = [ref for ref in self._refs if ref.id in back]
        self._show()

    def undo(self) -> None:
        try:
            withdrawn = self._undo.withdraw(self._refs)
        except Exception as exc:  # noqa: BLE001 - never into Qt's frames
            self._fail(exc, "could not take the suggestions back")
            return
        self._withdrawn = withdrawn.spans
        self.kept = withdrawn.kept
        if withdrawn.kept:
            noun = "suggestion was" if withdrawn.kept == 1 else "suggestions were"
        self._show()
        if withdrawn.kept:
            self.notifier.notice.emit(
                f"{withdrawn.kept} {noun} reviewed or changed since, and stayed"
            )
