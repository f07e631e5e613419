"""The ORM schema. Alembic migrations in db/versions create and upgrade it; never create_all."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Now in UTC, without a zone: how every timestamp column stores it."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


intpk = Annotated[int, mapped_column(primary_key=True)]
created_ts = Annotated[
    dt.datetime, mapped_column(DateTime, default=utcnow, server_default=func.current_timestamp())
]
updated_ts = Annotated[
    dt.datetime,
    mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, server_default=func.current_timestamp()
    ),
]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table(model: type[Base]) -> Table:
    """A model's Table for Core statements (``__table__`` is typed as any FromClause)."""
    found = model.__table__
    assert isinstance(found, Table)
    return found


class DocumentRow(Base):
    __tablename__ = "documents"
    __table_args__ = (
        CheckConstraint("status IN ('new', 'in_progress', 'done')", name="status"),
        Index("ix_documents_title", "title"),
    )

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(String(500))
    source: Mapped[str | None] = mapped_column(String(2000))
    published: Mapped[dt.date | None] = mapped_column(Date)
    #: When an article imported by its web address was downloaded (UTC); None for files.
    fetched_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="new", server_default="new")
    created_at: Mapped[created_ts]
    updated_at: Mapped[updated_ts]

    annotations: Mapped[list[AnnotationRow]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )


class DocumentTextRow(Base):
    """An article's text, apart from its metadata: listing 100,000 documents then reads a
    few megabytes of titles and ids, not every article."""

    __tablename__ = "document_texts"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text)


class LabelRow(Base):
    __tablename__ = "labels"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    color: Mapped[str] = mapped_column(String(7))
    shortcut: Mapped[str | None] = mapped_column(String(1))


class AnnotationRow(Base):
    __tablename__ = "annotations"
    __table_args__ = (
        CheckConstraint('start >= 0 AND "end" > start', name="range"),
        CheckConstraint("origin IN ('manual', 'suggested')", name="origin"),
        CheckConstraint("status IN ('accepted', 'pending', 'rejected')", name="status"),
        # One layer never holds the same tag twice, however many clients write at once; the
        # index also serves every per-document span query (its leading columns).
        Index("uq_annotations_layer", "document_id", "start", "end", "label", "layer", unique=True),
        # Covers the per-document span counts the document list shows (status != rejected).
        Index("ix_annotations_document_status", "document_id", "status"),
        Index("ix_annotations_label_status", "label", "status"),
        # Span search by annotator (a layer) and status across the corpus.
        Index("ix_annotations_layer_status", "layer", "status"),
        # AUTOINCREMENT: a deleted span's id is never handed out again, so undo, the change
        # log and other clients never mistake a new span for an old one.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[intpk]
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    start: Mapped[int]
    end: Mapped[int]
    label: Mapped[str] = mapped_column(
        String(40), ForeignKey("labels.key", onupdate="CASCADE", ondelete="RESTRICT")
    )
    text: Mapped[str] = mapped_column(Text)
    error_type: Mapped[str | None] = mapped_column(String(40))
    correction: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    value: Mapped[str | None] = mapped_column(Text)
    entity: Mapped[str | None] = mapped_column(Text)
    annotator: Mapped[str | None] = mapped_column(Text)
    #: Whose set of tags the span belongs to: the annotator's name, or "" for the shared pool
    #: of pending and rejected suggestions (and spans imported without an annotator).
    layer: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: Raised by every change; an edit based on an older version is refused, not applied.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_by: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str | None] = mapped_column(Text)
    #: Who accepted or rejected a suggestion, and when.
    reviewed_by: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    origin: Mapped[str] = mapped_column(String(20), default="manual", server_default="manual")
    status: Mapped[str] = mapped_column(String(20), default="accepted", server_default="accepted")
    confidence: Mapped[float | None] = mapped_column(Float)
    #: Which suggester rule proposed the span ("kb-alias", "date-explicit", ...): lets the
    #: evaluation tell which rules earn their keep. None for manual spans.
    rule: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[created_ts]
    updated_at: Mapped[updated_ts]

    document: Mapped[DocumentRow] = relationship(back_populates="annotations")


class MetaRow(Base):
    """Facts about the database itself, such as "the bundled knowledge base was imported once"
    (so entries a user deleted do not come back on the next start)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class KBAthleteRow(Base):
    __tablename__ = "kb_athletes"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200), unique=True)
    country: Mapped[str | None] = mapped_column(String(3))
    discipline: Mapped[str | None] = mapped_column(String(40))
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_year: Mapped[int | None]
    created_at: Mapped[created_ts]
    updated_at: Mapped[updated_ts]

    aliases: Mapped[list[KBAthleteAliasRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="KBAthleteAliasRow.id"
    )


class KBAthleteAliasRow(Base):
    __tablename__ = "kb_athlete_aliases"
    __table_args__ = (
        # The unique index also serves the foreign key (cascading deletes, loading aliases).
        UniqueConstraint("athlete_id", "alias", name="uq_kb_athlete_aliases_athlete_id_alias"),
        Index("ix_kb_athlete_aliases_alias", "alias"),
    )

    id: Mapped[intpk]
    athlete_id: Mapped[int] = mapped_column(ForeignKey("kb_athletes.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(200))


class KBEventRow(Base):
    __tablename__ = "kb_events"
    __table_args__ = (
        # A recurring meeting keeps its name every year: one row per edition.
        UniqueConstraint("name", "year", name="uq_kb_events_name_year"),
    )

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    year: Mapped[int | None]
    city: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(3))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[created_ts]
    updated_at: Mapped[updated_ts]

    aliases: Mapped[list[KBEventAliasRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="KBEventAliasRow.id"
    )


class KBEventAliasRow(Base):
    __tablename__ = "kb_event_aliases"
    __table_args__ = (
        UniqueConstraint("event_id", "alias", name="uq_kb_event_aliases_event_id_alias"),
        Index("ix_kb_event_aliases_alias", "alias"),
    )

    id: Mapped[intpk]
    event_id: Mapped[int] = mapped_column(ForeignKey("kb_events.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(200))


class KBResultRow(Base):
    """A championship medal: the final's podium, linked to the KB's event and athlete (deleting
    either deletes the medal, which would otherwise name no one)."""

    __tablename__ = "kb_results"
    __table_args__ = (
        UniqueConstraint("event_id", "discipline", "sex", "athlete_id",
                         name="uq_kb_results_event_id_discipline_sex_athlete_id"),
        Index("ix_kb_results_athlete_id", "athlete_id"),
    )  # fmt: skip

    id: Mapped[intpk]
    event_id: Mapped[int] = mapped_column(ForeignKey("kb_events.id", ondelete="CASCADE"))
    discipline: Mapped[str] = mapped_column(String(40))
    sex: Mapped[str] = mapped_column(String(1))
    place: Mapped[int]
    athlete_id: Mapped[int] = mapped_column(ForeignKey("kb_athletes.id", ondelete="CASCADE"))
    country: Mapped[str | None] = mapped_column(String(3))
    mark: Mapped[str | None] = mapped_column(String(20))
    date: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)


class KBRecordRow(Base):
    """A world record, current or the one before it."""

    __tablename__ = "kb_records"
    __table_args__ = (
        UniqueConstraint("discipline", "sex", "mark", name="uq_kb_records_discipline_sex_mark"),
    )

    id: Mapped[intpk]
    discipline: Mapped[str] = mapped_column(String(40))
    sex: Mapped[str] = mapped_column(String(1))
    mark: Mapped[str] = mapped_column(String(20))
    athlete_id: Mapped[int] = mapped_column(
        ForeignKey("kb_athletes.id", ondelete="CASCADE"), index=True
    )
    country: Mapped[str | None] = mapped_column(String(3))
    date: Mapped[dt.date] = mapped_column(Date)
    city: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(Text)


class AnnotatorRow(Base):
    """The people who work on this database; a span names them in created_by and the rest."""

    __tablename__ = "annotators"
    __table_args__ = (CheckConstraint("role IN ('annotator', 'curator')", name="role"),)

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(Text, unique=True)
    role: Mapped[str] = mapped_column(String(20), default="annotator", server_default="annotator")
    created_at: Mapped[created_ts]
    last_seen_at: Mapped[updated_ts]


class ProgressRow(Base):
    """One person's work on one document: assigned to them or not, and their own status
    (a document is done for a desk when everyone assigned to it is done)."""

    __tablename__ = "document_progress"
    __table_args__ = (
        CheckConstraint("status IN ('new', 'in_progress', 'done')", name="status"),
        # A person's queue: their assigned documents, without scanning everyone's rows.
        Index("ix_document_progress_annotator", "annotator", "assigned"),
    )

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    annotator: Mapped[str] = mapped_column(Text, primary_key=True)
    assigned: Mapped[bool] = mapped_column(default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(20), default="new", server_default="new")
    #: When they last marked it done (the dashboard's "done over time"); None until then.
    done_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[updated_ts]


class CurationDecisionRow(Base):
    """A disagreement the curator settled, filed under its extent on the document: the spans
    chosen are in the curated layer; "none" leaves nothing there, and this row remembers it."""

    __tablename__ = "curation_decisions"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    start: Mapped[int] = mapped_column(primary_key=True)
    end: Mapped[int] = mapped_column(primary_key=True)
    #: "none", "all", "edited", or the annotator whose spans were taken.
    decision: Mapped[str] = mapped_column(Text)
    curator: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(
        DateTime, default=utcnow, server_default=func.current_timestamp()
    )


class ChangeRow(Base):
    """The append-only change log, written in the transaction of each change: history,
    ``annotator log``, audits, and how other windows learn what changed (they poll it)."""

    __tablename__ = "changes"
    __table_args__ = (
        Index("ix_changes_document_id", "document_id", "id"),
        Index("ix_changes_span_id", "span_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[intpk]
    at: Mapped[dt.datetime] = mapped_column(
        DateTime, default=utcnow, server_default=func.current_timestamp()
    )
    actor: Mapped[str] = mapped_column(Text)
    #: Which running window or command wrote it: a window skips its own changes when it
    #: refreshes from the log (the same person may have two windows open).
    client: Mapped[str | None] = mapped_column(String(40))
    #: create, edit, delete, restore, suggest, status, import
    action: Mapped[str] = mapped_column(String(20))
    document_id: Mapped[int | None]
    span_id: Mapped[int | None]
    #: The span (or document fields) as JSON before and after; None where there is none.
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
