"""Whose layer a span is in, and who may change it.

Every person tags in a layer of their own (named after them); suggestions wait in the
document's pool until someone accepts one into their layer; the curator's settled result is
a layer of its own. What anyone may see of these is the desk's call (``desk.visible_layers``).
"""

from __future__ import annotations

from sqlalchemy import Connection

from annotator.core.errors import DatabaseError, Problem
from annotator.core.model import Origin, Span, SpanStatus

from .span_rows import now

#: Who stored a suggestion (the dataset's ``annotator`` field) until a person accepts it.
SUGGESTER = "suggester"
#: The layer of pending and rejected suggestions: one pool per document, whoever ran Suggest.
POOL = ""
#: The curator's settled result: a layer of its own, whoever curated (created_by says who).
CURATED = "curated"


def check_owner(conn: Connection, span: Span, person: str) -> None:
    """The curated layer is changed by curators only. In blind mode a person changes only
    their own layer and the suggestion pool (the others' are hidden from them); in shared
    mode the desk works on one another's tags, and versions keep anything from being
    overwritten unseen."""
    if span.layer in (None, POOL, person):
        return
    # The desk imports the pool's name from here: import it late.
    from .desk import LayerMode, Role, layer_mode, role_of

    curator = role_of(conn, person) is Role.CURATOR
    if span.layer == CURATED:
        if not curator:
            raise DatabaseError(
                "the curated layer is changed by curators only", problem=Problem.NOT_ALLOWED
            )
    elif layer_mode(conn) is LayerMode.BLIND and not curator:
        raise DatabaseError(
            f"that is {span.layer}'s tag, and the desk works blind: tag "
            "the words in your own layer",
            problem=Problem.NOT_ALLOWED,
        )


def review_values(span: Span, status: SpanStatus, person: str) -> dict[str, object]:
    """The columns ``person`` giving ``span`` this status also changes. Accepting a
    suggestion credits the person and moves it into their layer; a rejected or pending
    suggestion belongs to the document's pool."""
    if span.origin is not Origin.SUGGESTED or status is span.status:
        return {}
    if status is SpanStatus.ACCEPTED:
        return {"annotator": person, "layer": person, "reviewed_by": person,
                "reviewed_at": now()}  # fmt: skip
    if status is SpanStatus.REJECTED:
        return {"annotator": SUGGESTER, "layer": POOL, "reviewed_by": person,
                "reviewed_at": now()}  # fmt: skip
    return {"annotator": SUGGESTER, "layer": POOL, "reviewed_by": None, "reviewed_at": None}


def restored_layer(span: Span) -> str:
    """The layer a deleted span goes back into: a suggestion nobody accepted to the pool,
    anything else to the layer of whoever it credits."""
    if span.origin is Origin.SUGGESTED and span.status is not SpanStatus.ACCEPTED:
        return POOL
    return span.annotator or POOL
