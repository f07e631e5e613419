"""Curation in the database: reading the annotators' layers of a document, writing the curated
layer, and remembering settled disagreements (the merging itself is annotator.core.curation).

The curated layer is a layer like the others (``layer = "curated"``), its spans credited to
the curator who made them (``annotator``, ``created_by``, ``reviewed_by``). Who worked on a
document: everyone with accepted spans in their own layer there, and everyone who marked it
done, even with nothing tagged (a vote for "nothing here").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, delete, func, select

from annotator.core.curation import (
    Disagreement,
    DocumentCuration,
    Strategy,
    Tag,
    curate_document,
    needed_votes,
)
from annotator.core.model import DocStatus, Origin, Span, SpanStatus
from annotator.store.database import Database
from annotator.store.models import (
    AnnotationRow,
    CurationDecisionRow,
    DocumentRow,
    ProgressRow,
    table,
)
from annotator.store.sql import insert_or_ignore

from . import changes as changelog
from .desk import Desk
from .layers import CURATED, POOL
from .progress import Reporter
from .span_rows import NotFound, select_spans, spans_from_rows, touch_document

_annotations = table(AnnotationRow)
_decisions = table(CurationDecisionRow)
_documents = table(DocumentRow)
_progress = table(ProgressRow)
#: Where the automatic merge of a document is filed among its decisions (no disagreement
#: has an empty extent): a later automatic run leaves the document alone, so a span the
#: curator removed after merging does not come back, while settling disagreements one by
#: one first does not keep agreed spans out.
MERGED = (0, 0)
#: Documents per transaction of the automatic curation: a kill loses at most one page's work
#: in flight, never a half-written document.
PAGE_SIZE = 200
_TAG_COLUMNS = (
    "start",
    "end",
    "label",
    "text",
    "error_type",
    "correction",
    "note",
    "value",
    "entity",
)


@dataclass
class CurationState:
    """One document as the curation view shows it."""

    curation: DocumentCuration
    #: The curated layer as stored.
    curated: list[Span]
    #: Extents of settled disagreements -> the decision ("none", "all", "edited", or a name).
    settled: dict[tuple[int, int], str]
    #: Each annotator's layer as compared (accepted spans; [] for one who marked it done with
    #: nothing tagged): what the curation view draws in their lane.
    layers: dict[str, list[Tag]] = field(default_factory=dict)

    def open_disagreements(self) -> list[Disagreement]:
        return [d for d in self.curation.disagreements if d.key not in self.settled]


@dataclass
class AutoReport:
    documents: int = 0
    spans: int = 0
    already: int = 0
    #: Documents fewer than two annotators worked on.
    skipped: int = 0
    #: Disagreements left for the curator (handed one by one to ``auto``'s ``undecided``).
    undecided: int = 0
    #: The annotators' spans read.
    read: int = 0


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def read_layers(
    conn: Connection, document_ids: Sequence[int], annotators: Sequence[str] | None = None
) -> dict[int, dict[str, list[Tag]]]:
    """document -> annotator -> their accepted spans, for everyone who worked on it."""
    c = _annotations.c
    stmt = select(c.document_id, c.layer, *(c[n] for n in _TAG_COLUMNS)).where(
        c.document_id.in_(document_ids),
        c.status == SpanStatus.ACCEPTED.value,
        c.layer.not_in((POOL, CURATED)),
        c.layer.not_like("%#%"),
    )
    if annotators:
        stmt = stmt.where(c.layer.in_(list(annotators)))
    found: dict[int, dict[str, list[Tag]]] = defaultdict(lambda: defaultdict(list))
    for row in conn.execute(stmt):
        found[row[0]][row[1]].append(Tag(*row[2:]))
    p = _progress.c
    done = select(p.document_id, p.annotator).where(
        p.document_id.in_(document_ids), p.status == DocStatus.DONE.value
    )
    if annotators:
        done = done.where(p.annotator.in_(list(annotators)))
    for doc, name in conn.execute(done):
        found[doc].setdefault(name, [])
    return {doc: dict(layers) for doc, layers in found.items()}


class CurationService:
    def __init__(self, db: Database, *, actor: str) -> None:
        self._db = db
        self.actor = actor
        self._desk = Desk(db, actor=actor)

    def state(
        self,
        document_id: int,
        *,
        strategy: Strategy = Strategy.ALL,
        min_agree: int | None = None,
        annotators: Sequence[str] | None = None,
    ) -> CurationState:
        with self._db.engine.connect() as conn:
            if conn.scalar(select(_documents.c.id).where(_documents.c.id == document_id)) is None:
                raise NotFound(f"document {document_id} no longer exists")
            layers = read_layers(conn, [document_id], annotators).get(document_id, {})
            curated = spans_from_rows(conn.execute(select_spans(document_id, layers=[CURATED])))
            d = _decisions.c
            settled = {
                (r.start, r.end): r.decision
                for r in conn.execute(
                    select(d.start, d.end, d.decision).where(d.document_id == document_id)
                )
            }
            settled.pop(MERGED, None)
        curation = curate_document(document_id, layers, strategy=strategy, min_agree=min_agree)
        return CurationState(
            curation, curated, settled, {name: list(tags) for name, tags in layers.items()}
        )

    def auto(
        self,
        *,
        strategy: Strategy = Strategy.ALL,
        min_agree: int | None = None,
        annotators: Sequence[str] | None = None,
        document_ids: Sequence[int] | None = None,
        again: bool = False,
        reporter: Reporter | None = None,
        undecided: Callable[[Disagreement], None] | None = None,
    ) -> AutoReport:
        """Put every agreed span into the curated layer of each document at least two
        annotators worked on. A document merged before is left alone unless ``again`` (then
        the agreed spans missing from it are added: what the curator removed by hand comes
        back, so ``again`` is for after new annotations). Each
        disagreement left open goes to ``undecided`` once its page is committed: a corpus
        of any size streams through in constant memory."""
        if strategy is Strategy.AT_LEAST:
            needed_votes(strategy, 2, min_agree)  # a bad K fails before any work
        reporter = reporter or Reporter()
        report = AutoReport()
        ids = self._ids(document_ids)
        for first in range(0, len(ids), PAGE_SIZE):
            page = ids[first : first + PAGE_SIZE]
            reporter.step(first, len(ids), "")

            def work(
                conn: Connection, page: list[int] = page
            ) -> tuple[AutoReport, list[Disagreement]]:
                into = AutoReport()  # afresh on each try: a retried page counts once
                return into, self._auto_page(
                    conn, page, strategy, min_agree, annotators, again, into
                )

            page_report, left = self._db.run(work)
            # Counted once the page's transaction has committed (a retry runs it again).
            for name in ("documents", "spans", "already", "skipped", "read"):
                setattr(report, name, getattr(report, name) + getattr(page_report, name))
            report.undecided += len(left)
            if undecided is not None:
                for item in left:
                    undecided(item)
        reporter.step(len(ids), len(ids), "")
        return report

    def _auto_page(
        self,
        conn: Connection,
        page: list[int],
        strategy: Strategy,
        min_agree: int | None,
        annotators: Sequence[str] | None,
        again: bool,
        report: AutoReport,
    ) -> list[Disagreement]:
        """One page in one transaction; fills ``report`` and returns the disagreements left
        open."""
        self._desk.require_curator(conn, "curate")
        layers = read_layers(conn, page, annotators)
        report.read = sum(len(tags) for doc in layers.values() for tags in doc.values())
        d = _decisions.c
        settled: dict[int, set[tuple[int, int]]] = defaultdict(set)
        for doc, start, end in conn.execute(
            select(d.document_id, d.start, d.end).where(d.document_id.in_(page))
        ):
            settled[doc].add((start, end))
        rows: list[dict] = []
        logged: list[tuple] = []
        left: list[Disagreement] = []
        for doc in page:
            if doc not in layers:
                continue
            result = curate_document(doc, layers[doc], strategy=strategy, min_agree=min_agree)
            if result.skipped:
                report.skipped += 1
                continue
            left.extend(d for d in result.disagreements if d.key not in settled[doc])
            if MERGED in settled[doc] and not again:
                report.already += 1
                continue
            report.documents += 1
            rows.extend(self._row(doc, tag) for tag in result.agreed)
            logged.append(
                (
                    "curate",
                    doc,
                    None,
                    None,
                    {"strategy": str(strategy), "agreed": len(result.agreed)},
                )
            )
        if rows:
            for doc in {r["document_id"] for r in rows}:
                touch_document(conn, doc)
            # A plain executemany, counted by SQL: with RETURNING the rows go out as
            # multi-row INSERTs whose text varies with the page, and SQLite's statement cache
            # kept each one prepared (100 MB over 10,000 documents).
            written = (
                select(func.count())
                .select_from(_annotations)
                .where(_annotations.c.document_id.in_(page), _annotations.c.layer == CURATED)
            )
            before = conn.scalar(written) or 0
            conn.execute(insert_or_ignore(conn, _annotations), rows)
            report.spans = (conn.scalar(written) or 0) - before
        if logged:
            conn.execute(
                insert_or_ignore(conn, _decisions),
                [
                    {
                        "document_id": doc,
                        "start": MERGED[0],
                        "end": MERGED[1],
                        "decision": "merged",
                        "curator": self.actor,
                        "at": _now(),
                    }
                    for _, doc, *_ in logged
                ],
            )
            changelog.record_many(conn, actor=self.actor, rows=logged)
        return left

    def settle(
        self, document_id: int, extent: tuple[int, int], tags: Sequence[Tag], decision: str
    ) -> list[Span]:
        """Settle the disagreement at ``extent``: ``tags`` go into the curated layer (none for
        "none") and the decision is filed. Returns the curated spans created."""

        def work(conn: Connection) -> list[Span]:
            self._desk.require_curator(conn, "curate")
            touch_document(conn, document_id)
            d = _decisions.c
            conn.execute(
                delete(_decisions).where(
                    d.document_id == document_id, d.start == extent[0], d.end == extent[1]
                )
            )
            conn.execute(
                _decisions.insert(),
                {
                    "document_id": document_id,
                    "start": extent[0],
                    "end": extent[1],
                    "decision": decision,
                    "curator": self.actor,
                    "at": _now(),
                },
            )
            made: list[Span] = []
            if tags:
                ids = [
                    r[0]
                    for r in conn.execute(
                        insert_or_ignore(conn, _annotations).returning(_annotations.c.id),
                        [self._row(document_id, tag) for tag in tags],
                    ).all()
                ]
                made = spans_from_rows(
                    conn.execute(
                        select_spans(document_id, layers=[CURATED]).where(
                            _annotations.c.id.in_(ids)
                        )
                    )
                )
            changelog.record_many(
                conn,
                actor=self.actor,
                rows=[
                    (
                        "curate",
                        document_id,
                        None,
                        None,
                        {"settled": list(extent), "decision": decision, "spans": len(made)},
                    ),
                    *(("create", document_id, s.id, None, changelog.span_dict(s)) for s in made),
                ],
            )
            return made

        return self._db.run(work)

    def unsettle(
        self, document_id: int, extent: tuple[int, int], made: Sequence[Span] = ()
    ) -> None:
        """Undo of settle: the decision is forgotten and the spans it made removed (those
        still as they were made)."""

        def work(conn: Connection) -> None:
            self._desk.require_curator(conn, "curate")
            touch_document(conn, document_id)
            d = _decisions.c
            conn.execute(
                delete(_decisions).where(
                    d.document_id == document_id, d.start == extent[0], d.end == extent[1]
                )
            )
            ids = [s.id for s in made if s.id is not None]
            if ids:
                c = _annotations.c
                gone = spans_from_rows(
                    conn.execute(select_spans(document_id, layers=[CURATED]).where(c.id.in_(ids)))
                )
                conn.execute(delete(_annotations).where(c.id.in_([s.id for s in gone])))
                changelog.record_many(
                    conn,
                    actor=self.actor,
                    rows=[
                        ("delete", document_id, s.id, changelog.span_dict(s), None) for s in gone
                    ],
                )

        self._db.run(work)

    def documents(
        self, annotators: Sequence[str] | None = None, document_ids: Sequence[int] | None = None
    ) -> Iterator[int]:
        """Documents at least two annotators worked on, in id order."""
        ids = self._ids(document_ids)
        for first in range(0, len(ids), PAGE_SIZE):
            page = ids[first : first + PAGE_SIZE]
            with self._db.engine.connect() as conn:
                layers = read_layers(conn, page, annotators)
            yield from (doc for doc in page if len(layers.get(doc, {})) >= 2)

    def _row(self, document_id: int, tag: Tag) -> dict:
        return {
            "document_id": document_id,
            **{n: getattr(tag, n) for n in _TAG_COLUMNS},
            "annotator": self.actor,
            "layer": CURATED,
            "origin": Origin.MANUAL.value,
            "status": SpanStatus.ACCEPTED.value,
            "version": 1,
            "created_by": self.actor,
            "updated_by": self.actor,
            "reviewed_by": self.actor,
            "reviewed_at": _now(),
        }

    def _ids(self, wanted: Sequence[int] | None) -> list[int]:
        with self._db.engine.connect() as conn:
            return Desk.known_ids(conn, wanted)
