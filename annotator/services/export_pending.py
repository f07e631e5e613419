"""The pending suggestions an export left out, counted so the user is told.

A fact-checker who exports before reviewing the suggestions would otherwise ship a dataset
quietly missing hundreds of them. Every export counts the pending spans it would have written
with ``include_pending`` (same layer, labels and documents) and the CLI and the window say how
many were left out and how to add them, or that the format cannot carry them.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select

from annotator.core.model import SpanStatus
from annotator.store.database import Database
from annotator.store.models import AnnotationRow, table

_annotations = table(AnnotationRow)

#: The CLI's way to add them; the window names its check box instead.
CLI_HINT = "--include-pending adds them"


def count_pending(
    db: Database,
    *,
    layer: str | None,
    labels: Collection[str] | None,
    ids: Collection[int] | None,
) -> int:
    """The pending spans an export with ``include_pending`` would add to one without."""
    # Imported here: exporting imports this module, and span_filter lives there.
    from annotator.services.exporting import span_filter

    stmt = (
        select(func.count())
        .select_from(_annotations)
        .where(span_filter([SpanStatus.PENDING.value], layer))
        .where(_annotations.c.status == SpanStatus.PENDING.value)
    )
    if labels is not None:
        stmt = stmt.where(_annotations.c.label.in_(list(labels)))
    if ids is not None:
        stmt = stmt.where(_annotations.c.document_id.in_(list(ids)))
    with db.engine.connect() as conn:
        return conn.scalar(stmt) or 0


def pending_notice(
    count: int, reason: str | None, *, hint: str = CLI_HINT, what: str = "suggestion"
) -> str | None:
    """One line for the user, or None when nothing was left out. ``reason`` says why the format
    cannot carry them (then ``hint`` would be untrue and is not given)."""
    if count <= 0:
        return None
    noun = f"pending {what}" + ("" if count == 1 else "s")
    if reason:
        return f"{count} {noun} not exported: {reason}"
    return f"{count} {noun} not exported; {hint}"
