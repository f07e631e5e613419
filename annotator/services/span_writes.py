"""What every change to a span goes through: the tagset check, the refusal of a duplicate tag,
reading the span under its document's lock at the version the change was based on, and the
versioned UPDATE. ``AnnotationService`` builds its use-cases on these.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Insert, bindparam, select, update
from sqlalchemy.sql.dml import ReturningUpdate

from annotator.core.errors import DatabaseError, Problem
from annotator.core.model import Span, SpanStatus
from annotator.core.tagset import Tagset
from annotator.store.database import Database
from annotator.store.models import AnnotationRow, DocumentTextRow, table
from annotator.store.sql import insert_or_ignore

from .doc_status import mark_started
from .layers import check_owner
from .span_rows import (
    SPAN_COLUMNS,
    NotFound,
    now,
    span_row,
    spans_from_rows,
    stale_error,
    touch_span_document,
)

_texts = table(DocumentTextRow)
_annotations = table(AnnotationRow)
#: Article texts kept in memory for span creation: the open one and a few recent ones.
_TEXTS_KEPT = 4

# Statements built once: building a statement costs more Python time than running it, and
# these run on every key press of every person at the desk.
_UPDATE_SPAN = update(_annotations).where(
    _annotations.c.id == bindparam("span_id"), _annotations.c.version == bindparam("seen")
)
_INSERT_SPAN: dict[str, Insert] = {}
_UPDATES: dict[tuple[str, ...], ReturningUpdate] = {}


def insert_span_statement(conn: Connection) -> Insert:
    """INSERT of a span that skips one clashing with a stored span, returning its id; one
    statement per dialect, built once."""
    stmt = _INSERT_SPAN.get(conn.dialect.name)
    if stmt is None:
        stmt = _INSERT_SPAN[conn.dialect.name] = insert_or_ignore(conn, _annotations).returning(
            _annotations.c.id
        )
    return stmt


def _update_statement(names: tuple[str, ...]) -> ReturningUpdate:
    """UPDATE of these columns, raising the version, where the version is still the one seen;
    one statement per set of columns, built once."""
    stmt = _UPDATES.get(names)
    if stmt is None:
        columns = (*names, "version", "updated_by", "updated_at")
        stmt = _UPDATES[names] = _UPDATE_SPAN.values(
            {name: bindparam(f"new_{name}") for name in columns}
        ).returning(*SPAN_COLUMNS)
    return stmt


def same(stored: object, wanted: object) -> bool:
    return str(stored) == str(wanted) if isinstance(stored, SpanStatus) else stored == wanted


class SpanWriter:
    def __init__(self, db: Database, tagset: Tagset, *, annotator: str | None = None) -> None:
        self._db = db
        self._tagset = tagset
        #: The person acting: recorded as creator, editor and reviewer, and in the log.
        self.annotator = annotator or "unknown"
        self._texts: dict[tuple[int, str], str] = {}

    def _refuse_duplicate(
        self, conn: Connection, values: Mapping[str, Any], *, other_than: int | None = None
    ) -> None:
        """Raise a CONFLICT naming the span that already holds these characters and label in
        this layer (other than span ``other_than``), if there is one."""
        c = _annotations.c
        stmt = select(c.id, c.annotator, c.status).where(
            c.document_id == values["document_id"], c.start == values["start"],
            c.end == values["end"], c.label == values["label"], c.layer == values["layer"],
        )  # fmt: skip
        if other_than is not None:
            stmt = stmt.where(c.id != other_than)
        found = conn.execute(stmt).first()
        if found is not None:
            whose = "yours" if values["layer"] == self.annotator else "in that layer"
            raise DatabaseError(
                f"“{values['text']}” is already tagged {values['label']} ({whose}, span "
                f"{found.id}, {found.status})",
                problem=Problem.CONFLICT,
            )

    def _text(self, conn: Connection, document_id: int, sha256: str) -> str:
        """A document's text, from memory when it was read before. Article text never changes
        once imported, and reading a megabyte article took longer than the rest of a key
        press; the hash guards against another document under the same id."""
        key = (document_id, sha256)
        text = self._texts.get(key)
        if text is None:
            text = (
                conn.scalar(select(_texts.c.text).where(_texts.c.document_id == document_id)) or ""
            )
            self._texts[key] = text
            while len(self._texts) > _TEXTS_KEPT:
                del self._texts[next(iter(self._texts))]
        return text

    def _locked_span(self, conn: Connection, span_id: int, expected: int | None) -> Span:
        """The span as stored, its document locked first; refused when its version is not
        ``expected``."""
        if touch_span_document(conn, span_id) is None:
            raise (
                stale_error(conn, span_id)
                if expected is not None
                else NotFound(f"span {span_id} no longer exists")
            )
        span = span_row(conn, span_id)  # stable now: its writers queue behind our lock
        if span is None or (expected is not None and span.version != expected):
            raise stale_error(conn, span_id)
        check_owner(conn, span, self.annotator)
        return span

    def _write(self, conn: Connection, before: Span, values: dict[str, object]) -> Span:
        assert before.id is not None and before.document_id is not None
        if "layer" in values or "label" in values:
            probe = {"document_id": before.document_id, "start": before.start,
                     "end": before.end, "label": values.get("label", before.label),
                     "layer": values["layer"] if "layer" in values
                              else self._layer_of(conn, before.id),
                     "text": before.text}  # fmt: skip
            self._refuse_duplicate(conn, probe, other_than=before.id)
        params = {f"new_{name}": value for name, value in values.items()}
        row = conn.execute(_update_statement(tuple(sorted(values))), {
            **params, "span_id": before.id, "seen": before.version,
            "new_version": before.version + 1, "new_updated_by": self.annotator,
            "new_updated_at": now(),
        }).all()  # fmt: skip
        if not row:
            raise stale_error(conn, before.id)
        if values.get("layer") == self.annotator:
            mark_started(conn, before.document_id, self.annotator)  # accepted a suggestion
        return spans_from_rows(row)[0]

    @staticmethod
    def _layer_of(conn: Connection, span_id: int) -> str:
        return conn.scalar(select(_annotations.c.layer).where(_annotations.c.id == span_id)) or ""

    def _check_fields(self, label: str, error_type: str | None) -> None:
        label_def = self._tagset.get(label)
        if label_def is None:
            raise ValueError(f"unknown label {label!r}")
        if error_type is not None and error_type not in label_def.error_types:
            raise ValueError(f"error type {error_type!r} is not allowed for label {label!r}")
