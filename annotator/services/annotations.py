"""Creating, editing, deleting and restoring spans. Each call is one committed transaction and
returns plain ``Span`` values, so the undo layer can replay them without touching the ORM.

Many people may write at once, so every call:
- locks in one order: the document's row first, then its spans (no deadlock between an edit
  and a delete), and runs again by itself after a deadlock or serialization failure;
- checks versions: an edit, delete or undo names the version it was based on and is refused
  with a ``StaleChange`` ("changed by maria at 14:03") when someone changed the span since;
- writes the change log in the same transaction, with who did it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import (
    Connection,
    Insert,
    Row,
    Select,
    bindparam,
    case,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.sql.dml import ReturningUpdate

from annotator.core.errors import DatabaseError, Problem, StaleChange, changed_by_message
from annotator.core.model import EDITABLE_FIELDS, Origin, Span, SpanError, SpanStatus, check_span
from annotator.core.tagset import Tagset
from annotator.store.database import Database
from annotator.store.models import AnnotationRow, ChangeRow, DocumentRow, DocumentTextRow, table
from annotator.store.sql import insert_or_ignore

from . import changes as changelog
from .doc_status import mark_started

#: Who stored a suggestion (the dataset's ``annotator`` field) until a person accepts it.
SUGGESTER = "suggester"
#: The layer of pending and rejected suggestions: one pool per document, whoever ran Suggest.
POOL = ""
#: The curator's settled result: a layer of its own, whoever curated (created_by says who).
CURATED = "curated"

_documents = table(DocumentRow)
_texts = table(DocumentTextRow)
_annotations = table(AnnotationRow)
_changes = table(ChangeRow)
#: Article texts kept in memory for span creation: the open one and a few recent ones.
_TEXTS_KEPT = 4

#: A span's columns in the order spans_from_rows reads them.
SPAN_COLUMNS = tuple(_annotations.c[name] for name in (
    "id", "document_id", "start", "end", "label", "text", "error_type", "correction", "note",
    "value", "entity", "annotator", "origin", "status", "version", "layer", "confidence", "rule",
))  # fmt: skip
_ORIGINS = {o.value: o for o in Origin}
_STATUSES = {s.value: s for s in SpanStatus}


def select_spans(
    document_id: int, *, include_rejected: bool = False, layers: Iterable[str] | None = None
) -> Select:
    """Column rows, not ORM objects: an article may carry 20,000 spans, and building ORM
    instances for them costs ten times what building Span values does. ``layers``: only
    spans in these layers (None: every layer)."""
    stmt = select(*SPAN_COLUMNS).where(_annotations.c.document_id == document_id)
    if layers is not None:
        stmt = stmt.where(_annotations.c.layer.in_(list(layers)))
    if not include_rejected:
        stmt = stmt.where(_annotations.c.status != SpanStatus.REJECTED.value)
    return stmt.order_by(_annotations.c.start, _annotations.c.end, _annotations.c.id)


def spans_from_rows(rows: Iterable[Row]) -> list[Span]:
    return [
        Span(
            id=r[0], document_id=r[1], start=r[2], end=r[3], label=r[4], text=r[5],
            error_type=r[6], correction=r[7], note=r[8], value=r[9], entity=r[10],
            annotator=r[11], origin=_ORIGINS[r[12]], status=_STATUSES[r[13]], version=r[14],
            layer=r[15], confidence=r[16], rule=r[17],
        )
        for r in rows
    ]  # fmt: skip


class NotFound(LookupError):
    """The span or document no longer exists (deleted elsewhere)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def lock_document(conn: Connection, document_id: int) -> str:
    """Lock the document's row (the first lock of every write, so all writers take locks in
    one order) and return its sha256; NotFound if it is gone. On SQLite the transaction's
    BEGIN IMMEDIATE already excludes other writers."""
    sha256 = conn.scalar(
        select(_documents.c.sha256).where(_documents.c.id == document_id)
        .with_for_update(key_share=True)
    )  # fmt: skip
    if sha256 is None:
        raise NotFound(f"document {document_id} no longer exists")
    return sha256


# Statements built once: building a statement costs more Python time than running it, and
# these run on every key press of every person at the desk.
_TOUCH = (
    # A first annotation moves a new document to "in progress": what a user expects to see in
    # the list once they have started on an article.
    update(_documents).values(
        updated_at=bindparam("now"),
        status=case((_documents.c.status == "new", "in_progress"), else_=_documents.c.status),
    )
)
_TOUCH_DOCUMENT = _TOUCH.where(_documents.c.id == bindparam("doc")).returning(
    _documents.c.sha256)
_TOUCH_SPAN_DOCUMENT = _TOUCH.where(_documents.c.id == select(_annotations.c.document_id)
                                    .where(_annotations.c.id == bindparam("span"))
                                    .scalar_subquery()).returning(_documents.c.id)  # fmt: skip
_SELECT_SPAN = select(*SPAN_COLUMNS).where(_annotations.c.id == bindparam("span"))
_UPDATE_SPAN = update(_annotations).where(
    _annotations.c.id == bindparam("span_id"), _annotations.c.version == bindparam("seen"))
_INSERT_SPAN: dict[str, Insert] = {}
_UPDATES: dict[tuple[str, ...], ReturningUpdate] = {}


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


def touch_document(conn: Connection, document_id: int) -> str:
    """Mark the document changed and so lock its row, the first lock of every change to its
    spans (one lock order for all writers); returns its sha256, NotFound if it is gone. One
    statement: each round trip counts when eight people write at once."""
    sha256 = conn.scalar(_TOUCH_DOCUMENT, {"doc": document_id, "now": _now()})
    if sha256 is None:
        raise NotFound(f"document {document_id} no longer exists")
    return sha256


def touch_span_document(conn: Connection, span_id: int) -> int | None:
    """``touch_document`` for the document of a span; None when the span is gone."""
    return conn.scalar(_TOUCH_SPAN_DOCUMENT, {"span": span_id, "now": _now()})


def _span_row(conn: Connection, span_id: int) -> Span | None:
    rows = spans_from_rows(conn.execute(_SELECT_SPAN, {"span": span_id}))
    return rows[0] if rows else None


def stale_error(conn: Connection, span_id: int) -> StaleChange | NotFound:
    """Why a write based on an older version of ``span_id`` cannot go ahead."""
    current = _span_row(conn, span_id)
    last = conn.execute(
        select(_changes.c.actor, _changes.c.at).where(_changes.c.span_id == span_id)
        .order_by(_changes.c.id.desc()).limit(1)
    ).first()  # fmt: skip
    who, when = (last.actor, last.at) if last is not None else (None, None)
    if current is None:
        if last is None:
            return NotFound(f"span {span_id} no longer exists")
        what = "the span was deleted"
    else:
        what = "the span was changed"
    return StaleChange(changed_by_message(what, who, when), span_id=span_id, current=current)


class AnnotationService:
    def __init__(self, db: Database, tagset: Tagset, *, annotator: str | None = None) -> None:
        self._db = db
        self._tagset = tagset
        #: The person acting: recorded as creator, editor and reviewer, and in the log.
        self.annotator = annotator or "unknown"
        self._texts: dict[tuple[int, str], str] = {}

    def spans(self, document_id: int, *, include_rejected: bool = False,
              layers: Iterable[str] | None = None) -> list[Span]:
        with self._db.engine.connect() as conn:
            return spans_from_rows(conn.execute(select_spans(
                document_id, include_rejected=include_rejected, layers=layers)))

    def visible(self, document_id: int) -> list[Span]:
        """The document's spans this person may see: every layer, or in blind mode (for an
        annotator) their own and the pending suggestions."""
        from .desk import visible_layers

        with self._db.engine.connect() as conn:
            return spans_from_rows(conn.execute(select_spans(
                document_id, layers=visible_layers(conn, self.annotator))))

    def get(self, span_id: int) -> Span:
        with self._db.engine.connect() as conn:
            span = _span_row(conn, span_id)
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
            stmt = _INSERT_SPAN.get(conn.dialect.name)
            if stmt is None:
                stmt = _INSERT_SPAN[conn.dialect.name] = insert_or_ignore(
                    conn, _annotations).returning(_annotations.c.id)
            span_id = conn.scalar(stmt, values)
            if span_id is None:
                self._refuse_duplicate(conn, values)
                raise DatabaseError("the span conflicts with one stored at the same moment",
                                    problem=Problem.CONFLICT)  # fmt: skip
            span = Span(id=span_id, **_span_fields(values))
            mark_started(conn, document_id, me)
            changelog.record(conn, actor=me, action="create", document_id=document_id,
                             span_id=span_id, after=changelog.span_dict(span))  # fmt: skip
            return span

        return self._db.run(work)

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
            text = conn.scalar(
                select(_texts.c.text).where(_texts.c.document_id == document_id)
            ) or ""
            self._texts[key] = text
            while len(self._texts) > _TEXTS_KEPT:
                del self._texts[next(iter(self._texts))]
        return text

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
            if all(_same(getattr(before, name), val) for name, val in values.items()):
                # Nothing to write: no new version, no log line, no refresh in other windows.
                return before, before
            if "status" in values:
                values.update(self._review(before, SpanStatus(str(values["status"]))))
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

    def _locked_span(self, conn: Connection, span_id: int, expected: int | None) -> Span:
        """The span as stored, its document locked first; refused when its version is not
        ``expected``."""
        if touch_span_document(conn, span_id) is None:
            raise stale_error(conn, span_id) if expected is not None else NotFound(
                f"span {span_id} no longer exists")
        span = _span_row(conn, span_id)  # stable now: its writers queue behind our lock
        if span is None or (expected is not None and span.version != expected):
            raise stale_error(conn, span_id)
        self._check_owner(conn, span)
        return span

    def _check_owner(self, conn: Connection, span: Span) -> None:
        """The curated layer is changed by curators only. In blind mode a person changes only
        their own layer and the suggestion pool (the others' are hidden from them); in shared
        mode the desk works on one another's tags, and versions keep anything from being
        overwritten unseen."""
        if span.layer in (None, POOL, self.annotator):
            return
        from .desk import LayerMode, Role, layer_mode, role_of

        curator = role_of(conn, self.annotator) is Role.CURATOR
        if span.layer == CURATED:
            if not curator:
                raise DatabaseError("the curated layer is changed by curators only",
                                    problem=Problem.NOT_ALLOWED)
        elif layer_mode(conn) is LayerMode.BLIND and not curator:
            raise DatabaseError(f"that is {span.layer}'s tag, and the desk works blind: tag "
                                "the words in your own layer", problem=Problem.NOT_ALLOWED)

    def _review(self, span: Span, status: SpanStatus) -> dict[str, object]:
        """Accepting a suggestion credits the person and moves it into their layer; a
        rejected or pending suggestion belongs to the document's pool."""
        if span.origin is not Origin.SUGGESTED or status is span.status:
            return {}
        if status is SpanStatus.ACCEPTED:
            return {"annotator": self.annotator, "layer": self.annotator,
                    "reviewed_by": self.annotator, "reviewed_at": _now()}  # fmt: skip
        if status is SpanStatus.REJECTED:
            return {"annotator": SUGGESTER, "layer": POOL, "reviewed_by": self.annotator,
                    "reviewed_at": _now()}  # fmt: skip
        return {"annotator": SUGGESTER, "layer": POOL, "reviewed_by": None, "reviewed_at": None}

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
            "new_updated_at": _now(),
        }).all()  # fmt: skip
        if not row:
            raise stale_error(conn, before.id)
        if values.get("layer") == self.annotator:
            mark_started(conn, before.document_id, self.annotator)  # accepted a suggestion
        return spans_from_rows(row)[0]

    @staticmethod
    def _layer_of(conn: Connection, span_id: int) -> str:
        return conn.scalar(select(_annotations.c.layer).where(_annotations.c.id == span_id)) or ""

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
            # Usually one document (accept all); several are locked in one statement, and a
            # deadlock with another such statement is retried by db.run.
            conn.execute(_TOUCH.where(_documents.c.id.in_(
                select(c.document_id).where(c.id.in_(wanted)))), {"now": _now()})
            rows = {s.id: s for s in spans_from_rows(
                conn.execute(select(*SPAN_COLUMNS).where(c.id.in_(wanted))))}  # fmt: skip
            changed = []
            for span_id in wanted:
                before = rows.get(span_id)
                if before is None or (expected is not None
                                      and before.version != expected.get(span_id)):  # fmt: skip
                    raise stale_error(conn, span_id)
                values: dict[str, object] = {"status": status.value}
                values.update(self._review(before, status))
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
            if _span_row(conn, span_id) is not None:
                raise SpanError(f"span {span_id} already exists")
            layer = (POOL if span.origin is Origin.SUGGESTED
                     and span.status is not SpanStatus.ACCEPTED else span.annotator or POOL)
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
            restored = Span(id=span_id, **_span_fields(values))
            changelog.record(conn, actor=me, action="restore", document_id=document_id,
                             span_id=span_id, after=changelog.span_dict(restored))  # fmt: skip
            return restored

        return self._db.run(work)

    def _check_fields(self, label: str, error_type: str | None) -> None:
        label_def = self._tagset.get(label)
        if label_def is None:
            raise ValueError(f"unknown label {label!r}")
        if error_type is not None and error_type not in label_def.error_types:
            raise ValueError(f"error type {error_type!r} is not allowed for label {label!r}")


def _same(stored: object, wanted: object) -> bool:
    return str(stored) == str(wanted) if isinstance(stored, SpanStatus) else stored == wanted


def _span_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    fields = {k: values[k] for k in ("document_id", "start", "end", "label", "text",
              "error_type", "correction", "note", "value", "annotator", "version")}  # fmt: skip
    fields["entity"] = values.get("entity")
    fields["layer"] = values.get("layer")
    fields["origin"] = Origin(values["origin"])
    fields["status"] = SpanStatus(values["status"])
    return fields
