"""Whose span is this, as the window says it: the viewer's own, a colleague's, the curated
result or a pending suggestion.

One place for the wording and the decision, so the article view, the annotation table and the
inspector never disagree about whose tag they show. No Qt here.
"""

from __future__ import annotations

from enum import StrEnum

from annotator.core.model import Span, SpanStatus
from annotator.services.annotations import CURATED, POOL


class Look(StrEnum):
    """How a span is drawn, by whose layer holds it."""

    OWN = "own"
    COLLEAGUE = "colleague"
    CURATED = "curated"
    PENDING = "pending"


def look_of(span: Span, viewer: str | None) -> Look:
    """``viewer`` None (a view not told who is looking) or a span of unknown layer (not read
    from the store) counts as the viewer's own: drawn as every span was before layers."""
    if span.status == SpanStatus.PENDING:
        return Look.PENDING
    layer = span.layer
    if viewer is None or layer is None or layer in (viewer, POOL):
        return Look.OWN
    return Look.CURATED if layer == CURATED else Look.COLLEAGUE


def is_mine(span: Span, viewer: str | None) -> bool:
    """A span the viewer's label keys may reuse: theirs, or one from the suggestion pool."""
    return span.layer is None or viewer is None or span.layer in (viewer, POOL)


def who(span: Span, viewer: str | None) -> str:
    """Short: the annotation table's By column and the tooltip ("you", "bob", "curated")."""
    look = look_of(span, viewer)
    if look is Look.PENDING:
        return "suggestion"
    if look is Look.OWN:
        return "you" if viewer is not None else (span.annotator or "")
    return span.layer or ""


def whose_tag(span: Span, viewer: str | None) -> str:
    """A phrase for the inspector: "Your tag", "bob's tag", "The curated tag"."""
    look = look_of(span, viewer)
    if look is Look.CURATED:
        return "The curated tag"
    if look is Look.COLLEAGUE:
        return f"{span.layer}'s tag"
    return "Your tag" if viewer is not None else "Tagged"
