"""Settling a disagreement as an undoable step, and the curation view's words for options,
decisions and failures.

The first settle runs before the command is pushed, so a refusal (not a curator, the database
gone) leaves no undo entry and nothing to take back. Undo is the service's ``unsettle`` with
the spans that settle made; redo settles again. A step that fails reports why and leaves the
stack where it was; no exception ever escapes into Qt's C++ frames.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Sequence

from PySide6.QtGui import QUndoCommand

from annotator.core.curation import Tag
from annotator.core.errors import DatabaseError, Problem
from annotator.core.model import Span
from annotator.core.tagset import Tagset
from annotator.services.annotations import NotFound
from annotator.services.curation import CurationService

log = logging.getLogger(__name__)

#: Failures a person can understand; anything else is a bug (logged, and said as one).
USER_ERRORS = (DatabaseError, NotFound, ValueError)
_OFFLINE = (Problem.CONNECTION_LOST, Problem.CANNOT_CONNECT)


def problem_text(exc: BaseException, doing: str) -> str:
    """One or two sentences for the view's message bar: what failed and what to do."""
    if isinstance(exc, DatabaseError):
        if exc.problem is Problem.NOT_ALLOWED:
            reason = str(exc)
            return (
                f"Not saved: {reason[:1].upper() + reason[1:]}. A curator can change that "
                "under Team ▸ People and roles."
            )
        if exc.problem in _OFFLINE:
            return (
                f"Could not {doing}: the database cannot be reached ({exc}). Nothing was "
                "saved; try again once it is back."
            )
        if exc.problem is Problem.BUSY:
            return f"Could not {doing}: {exc}. Nothing was saved; try again in a moment."
        return f"Could not {doing}: {exc}"
    if isinstance(exc, (NotFound, ValueError)):
        return f"Could not {doing}: {exc}"
    return f"Could not {doing}: an internal error ({type(exc).__name__}); see the log."


def decision_text(decision: str) -> str:
    """ "took bob", "took all", "took none", "edited"."""
    return decision if decision == "edited" else f"took {decision}"


def quoted(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def tag_text(tagset: Tagset, tag: Tag) -> str:
    """Athlete “Jakob Ingebrigsten”; Error “Ingebrigsten” → Ingebrigtsen (misspelled name)."""
    label = tagset.get(tag.label)
    parts = [f"{label.name if label else tag.label} {quoted(tag.text)}"]
    if tag.correction:
        parts.append(f"→ {tag.correction}")
    if tag.error_type:
        parts.append(f"({tag.error_type.replace('_', ' ')})")
    return " ".join(parts)


def option_text(tagset: Tagset, tags: Sequence[Tag]) -> str:
    return "; ".join(tag_text(tagset, t) for t in tags) if tags else "nothing here"


def option_html(tagset: Tagset, tags: Sequence[Tag]) -> str:
    if not tags:
        return "<i>nothing here</i>"
    return "; ".join(html.escape(tag_text(tagset, t)) for t in tags)


Done = Callable[["SettleCommand", bool], None]  # the command, True: settled (False: undone)


class SettleCommand(QUndoCommand):
    """The view runs each step itself (``run``) and moves the stack only when the step
    worked: a settle that fails to undo while the server is away stays on the stack, and
    Ctrl+Z once it is back undoes it. ``redo``/``undo``, called by the stack right after,
    then have nothing left to do."""

    def __init__(
        self,
        service: CurationService,
        *,
        document_id: int,
        extent: tuple[int, int],
        tags: Sequence[Tag],
        decision: str,
        made: Sequence[Span],
        done: Done,
        failed: Callable[[str], None],
    ) -> None:
        super().__init__(f"settle {quoted(tags[0].text) if tags else ''} ({decision})")
        self.service = service
        self.document_id = document_id
        self.extent = extent
        self.tags = tuple(tags)
        self.decision = decision
        self.made = list(made)
        self._done = done
        self._failed = failed
        self._ran = True  # the first settle ran before the push

    def run(self, *, settle: bool) -> bool:
        """Settle again (``settle``) or take the settle back; False (and the reason told)
        when the service refused."""
        try:
            if settle:
                self.made = self.service.settle(
                    self.document_id, self.extent, self.tags, self.decision
                )
            else:
                self.service.unsettle(self.document_id, self.extent, self.made)
        except Exception as exc:  # noqa: BLE001 - never into Qt's frames
            if isinstance(exc, USER_ERRORS):
                log.info("curation step refused: %s", exc)
            else:
                log.error("curation step failed", exc_info=exc)
            self._failed(problem_text(exc, "settle it again" if settle else "undo the settle"))
            return False
        self._ran = True
        self._done(self, settle)
        return True

    def redo(self) -> None:
        if not self._ran:
            self.run(settle=True)
        self._ran = False

    def undo(self) -> None:
        if not self._ran:
            self.run(settle=False)
        self._ran = False
