"""Creating, editing, deleting and restoring spans. Each call is one committed transaction and
returns plain ``Span`` values, so the undo layer can replay them without touching the ORM.

Many people may write at once, so every call:
- locks in one order: the document's row first, then its spans (no deadlock between an edit
  and a delete), and runs again by itself after a deadlock or serialization failure;
- checks versions: an edit, delete or undo names the version it was based on and is refused
  with a ``StaleChange`` ("changed by maria at 14:03") when someone changed the span since;
- writes the change log in the same transaction, with who did it.

The row plumbing lives in ``span_rows``, the layer rules in ``layers`` and the checks every
write goes through in ``span_writes``; the names other modules have long imported from here
still work.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Connection, delete, insert, select

from annotator.core.errors import DatabaseError, Problem
from annotator.core.model import EDITABLE_FIELDS, Origin, Span, SpanError, SpanStatus, check_span
from annotator.store.models import AnnotationRow, table

from . import changes as changelog
from .desk import visible_layers
from .doc_status import mark_started
from .layers import CURATED, POOL, SUGGESTER, restored_layer, review_values
from .span_rows import (
    SPAN_COLUMNS,
    NotFound,
    lock_document,
    select_spans,
    span_fields,
    span_row,
    spans_from_rows,
    stale_error,
    touch_document,
    touch_span_document,
    touch_span_documents,
)
from .span_writes import SpanWriter, insert_span_statement, same

__all__ = [
    "CURATED",
    "POOL",
    "SPAN_COLUMNS",
    "SUGGESTER",
    "AnnotationService",
    "NotFound",
    "lock_document",
    "select_spans",
    "spans_from_rows",
    "stale_error",
    "touch_document",
    "touch_span_document",
]

_annotations = table(AnnotationRow)


class AnnotationService(SpanWriter):
    def spans(
        self,
        document_id: int,
        *,
        include_rejected: bool = False,
        layers: Iterable[str] | None = None,
    ) -> list[Span]:
        with self._db.engine.connect() as conn:
            return spans_from_rows(
                conn.execute(
                    select_spans(document_id, include_rejected=include_rejected, layers=layers)
                )
            )

    def visible(self, document_id: int) -> list[Span]:
        """The document's spans this person may see: every layer, or in blind mode (for an
        annotator) their own and the pending suggestions."""
        with self._db.engine.connect() as conn:
            return spans_from_rows(
                conn.execute(select_spans(document_id, layers=visible_layers(conn, self.annotator)))
            )

    def get(self, span_id: int) -> Span:
        with self._db.engine.connect() as conn:
            span = span_row(conn, span_id)
        if span is None:
            raise NotFound(f"span {span_id} no longer exists")
        return span

    def expect(self, spans: Iterable[Span]) -> dict[int, int]:
        """span id -> stored version, for spans that still read exactly as given; StaleChange
        (naming who changed it) for the first that does not.

        What an undo step checks before acting: the span must be in the state the step left
        it. Its version may have moved through this window's own later steps and their
        undos, but never its content; a colleague's change always alters the content or
        deletes the span."""
        wanted = {s.id: s for s in spans if s.id is not None}
        with self._db.engine.connect() as conn:
            stored = {s.id: s for s in spans_from_rows(conn.execute(
                select(*SPAN_COLUMNS).where(_annotations.c.id.in_(list(wanted)))))}  # fmt: skip
            for span_id, span in wanted.items():
                if stored.get(span_id) != span:
                    raise stale_error(conn, span_id)
        return {span_id: stored[span_id].version for span_id in wanted}

    def create(
        self,
        *,
        document_id: int,
        start: int,
        end: int,
        label: str,
        error_type: str | None = None,
        correction: str | None = None,
        note: str | None = None,
        value: str | None = None,
    ) -> Span:
        self._check_fields(label, error_type)
        if start < 0 or end <= start:
            raise SpanError(f"span {start}:{end} is empty or reversed")
        me = self.annotator

        def work(conn: Connection) -> Span:
            # Core statements, not the ORM: this runs on every label key press, and the unit
            # of work costs more than the SQL here.
            text = self._text(conn, document_id, touch_document(conn, document_id))
            check_span(text, start, end)
            values = {
                "document_id": document_id, "start": start, "end": end, "label": label,
                "text": text[start:end], "error_type": error_type, "correction": correction,
                "note": note, "value": value, "annotator": me, "layer": me,
                "origin": Origin.MANUAL.value, "status": SpanStatus.ACCEPTED.value,
                "version": 1, "created_by": me, "updated_by": me,
            }  # fmt: skip
            span_id = conn.scalar(insert_span_statement(conn), values)
            if span_id is None:
                self._refuse_duplicate(conn, values)
                raise DatabaseError("the span conflicts with one stored at the same moment",
                                    problem=Problem.CONFLICT)  # fmt: skip
            span = Span(id=span_id, **span_fields(values))
            mark_started(conn, document_id, me)
            changelog.record(conn, actor=me, action="create", document_id=document_id,
                             span_id=span_id, after=changelog.span_dict(span))  # fmt: skip
            return span

        return self._db.run(work)

    def update(
        self, span_id: int, *, expected_version: int | None = None, **changes: object
    ) -> tuple[Span, Span]:
        """Apply field changes; returns (before, after). With ``expected_version``, refuses
        (StaleChange) when the stored span has moved on from that version."""
        unknown = set(changes) - set(EDITABLE_FIELDS)
        if unknown:
            raise ValueError(f"cannot edit {', '.join(sorted(unknown))}")
        me = self.annotator

        def work(conn: Connection) -> tuple[Span, Span]:
            before = self._locked_span(conn, span_id, expected_version)
            label = str(changes.get("label", before.label))
            error_type = changes.get("error_type", before.error_type)
            self._check_fields(label, error_type if isinstance(error_type, str) else None)
            values: dict[str, object] = {}
            for name, val in changes.items():
                values[name] = SpanStatus(str(val)).value if name == "status" and val else val
            if all(same(getattr(before, name), val) for name, val in values.items()):
                # Nothing to write: no new version, no log line, no refresh in other windows.
                return before, before
            if "status" in values:
                values.update(review_values(before, SpanStatus(str(values["status"])), me))
            after = self._write(conn, before, values)
            changelog.record(conn, actor=me, action="edit", document_id=before.document_id,
                             span_id=span_id, before=changelog.span_dict(before),
                             after=changelog.span_dict(after))  # fmt: skip
            return before, after

        return self._db.run(work)

    def move(
        self, span_id: int, start: int, end: int, *, expected_version: int | None = None
    ) -> tuple[Span, Span]:
        """Move a span's edges to ``start:end`` (code points) and take the text found there;
        returns (before, after). Refused (CONFLICT) when the layer already holds the same
        label on the new range, and (StaleChange) when the span moved on from
        ``expected_version``. Label and fields stay as they are: a correction still applies
        to the words the user chose."""
        if start < 0 or end <= start:
            raise SpanError(f"span {start}:{end} is empty or reversed")
        me = self.annotator

        def work(conn: Connection) -> tuple[Span, Span]:
            before = self._locked_span(conn, span_id, expected_version)
            assert before.document_id is not None
            text = self._text(conn, before.document_id, lock_document(conn, before.document_id))
            check_span(text, start, end)
            if (start, end) == (before.start, before.end):
                return before, before
            values: dict[str, object] = {"start": start, "end": end, "text": text[start:end]}
            probe = {"document_id": before.document_id, "label": before.label,
                     "layer": self._layer_of(conn, span_id), **values}  # fmt: skip
            self._refuse_duplicate(conn, probe, other_than=span_id)
            after = self._write(conn, before, values)
            changelog.record(conn, actor=me, action="edit", document_id=before.document_id,
                             span_id=span_id, before=changelog.span_dict(before),
                             after=changelog.span_dict(after))  # fmt: skip
            return before, after

        return self._db.run(work)

    def accept_all(self, document_id: int, label: str | None = None) -> list[tuple[Span, Span]]:
        """Accept every pending suggestion of a document (of one ``label``, or all), in one
        transaction; returns (before, after) per span, in text order."""
        c = _annotations.c
        stmt = (select(c.id, c.version).where(c.document_id == document_id)
                .where(c.status == SpanStatus.PENDING.value))  # fmt: skip
        if label is not None:
            stmt = stmt.where(c.label == label)
        with self._db.engine.connect() as conn:
            found = {row[0]: row[1] for row in conn.execute(stmt.order_by(c.start, c.end, c.id))}
        return self.set_statuses(list(found), SpanStatus.ACCEPTED, expected=found)

    def set_statuses(
        self,
        span_ids: Iterable[int],
        status: SpanStatus,
        *,
        expected: Mapping[int, int] | None = None,
    ) -> list[tuple[Span, Span]]:
        """One status for several spans, all or none (undo and redo of "accept all");
        returns (before, after) per span, in the order given. ``expected``: span id ->
        version the change is based on."""
        wanted = list(span_ids)
        me = self.annotator

        def work(conn: Connection) -> list[tuple[Span, Span]]:
            c = _annotations.c
            touch_span_documents(conn, wanted)  # usually one document (accept all)
            rows = {s.id: s for s in spans_from_rows(
                conn.execute(select(*SPAN_COLUMNS).where(c.id.in_(wanted))))}  # fmt: skip
            changed = []
            for span_id in wanted:
                before = rows.get(span_id)
                if before is None or (expected is not None
                                      and before.version != expected.get(span_id)):  # fmt: skip
                    raise stale_error(conn, span_id)
                values: dict[str, object] = {"status": status.value}
                values.update(review_values(before, status, me))
                changed.append((before, self._write(conn, before, values)))
            changelog.record_many(conn, actor=me, rows=[
                ("edit", b.document_id, b.id, changelog.span_dict(b), changelog.span_dict(a))
                for b, a in changed
            ])  # fmt: skip
            return changed

        return self._db.run(work)

    def delete(self, span_id: int, *, expected_version: int | None = None) -> Span:
        """Delete and return the span as it was, so undo can restore it."""
        me = self.annotator

        def work(conn: Connection) -> Span:
            before = self._locked_span(conn, span_id, expected_version)
            assert before.document_id is not None
            conn.execute(delete(_annotations).where(_annotations.c.id == span_id))
            changelog.record(conn, actor=me, action="delete", document_id=before.document_id,
                             span_id=span_id, before=changelog.span_dict(before))  # fmt: skip
            return before

        return self._db.run(work)

    def restore(self, span: Span) -> Span:
        """Re-insert a deleted span with its old id and version (undo of delete, redo of
        create): the span is back exactly as it was, so the commands below on the undo stack,
        which name that version, still apply. Refused when someone has tagged the same
        characters with the same label in its layer since."""
        if span.id is None or span.document_id is None:
            raise ValueError("only a stored span can be restored")
        me = self.annotator
        document_id, span_id = span.document_id, span.id

        def work(conn: Connection) -> Span:
            text = self._text(conn, document_id, touch_document(conn, document_id))
            check_span(text, span.start, span.end, span.text)
            if span_row(conn, span_id) is not None:
                raise SpanError(f"span {span_id} already exists")
            layer = restored_layer(span)
            values = {
                "id": span_id, "document_id": document_id, "start": span.start,
                "end": span.end, "label": span.label, "text": span.text,
                "error_type": span.error_type, "correction": span.correction,
                "note": span.note, "value": span.value, "entity": span.entity,
                "annotator": span.annotator, "origin": span.origin.value,
                "status": span.status.value, "layer": layer, "version": span.version,
                "created_by": span.annotator, "updated_by": me,
            }  # fmt: skip
            self._refuse_duplicate(conn, values)
            conn.execute(insert(_annotations), values)
            restored = Span(id=span_id, **span_fields(values))
            changelog.record(conn, actor=me, action="restore", document_id=document_id,
                             span_id=span_id, after=changelog.span_dict(restored))  # fmt: skip
            return restored

        return self._db.run(work)
