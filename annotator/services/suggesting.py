"""Running the suggesters over documents and storing what they find as pending annotations.

A run loads the knowledge base once, builds one ``SuggestionEngine`` and counts the names of
the whole corpus (texts streamed a page at a time), so a rare misspelling is judged against
how every other article spells the name. Each document is then one transaction: a cancel
keeps the documents finished before it and never half of one.

A suggestion is never stored twice and never overwrites: any annotation with the same
(start, end, label) in the document, manual or suggested, in any status, wins. A rejected
suggestion stays in the database for exactly this reason: it is how a rejection is
remembered, so the next run does not propose the same span again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import Connection, func, select

from annotator.core.model import Origin, Span, SpanStatus
from annotator.core.suggest.engine import SuggestionEngine
from annotator.core.suggest.misspell import CorpusNames
from annotator.core.suggest.model import Suggestion
from annotator.core.tagset import Tagset
from annotator.store.database import Database
from annotator.store.models import AnnotationRow, DocumentRow, DocumentTextRow, LabelRow, table
from annotator.store.sql import insert_or_ignore

from . import changes as changelog
from .kb import KnowledgeBaseService
from .layers import POOL, SUGGESTER
from .learning import load_learning
from .progress import Cancelled, Reporter
from .span_rows import SPAN_COLUMNS, NotFound, lock_document, spans_from_rows
from .spelling import spelling_variant
from .suggest_pool import Doc, default_jobs, suggest_in_pool
from .suggestion_undo import SpanRef

log = logging.getLogger(__name__)

#: Texts read per query while counting the corpus's names: memory stays flat however many
#: documents there are.
PAGE_SIZE = 200
#: Below this much text (code points) a run with the default ``jobs`` stays in this process:
#: starting the workers (each builds the engine; from the window through a fork server, about
#: a second) would cost more than they save.
POOL_MIN_CHARS = 2_000_000

_annotations = table(AnnotationRow)


@dataclass
class SuggestReport:
    documents: int = 0  # documents finished (their suggestions committed)
    added: int = 0
    skipped_existing: int = 0  # suggestions an annotation already covered
    by_label: Counter[str] = field(default_factory=Counter)
    #: (document id, added) per finished document, in run order
    per_document: list[tuple[int, int]] = field(default_factory=list)
    #: The spans stored, when the caller asked to keep them (the window, to undo the run).
    stored: list[SpanRef] = field(default_factory=list)

    def summary(self) -> str:
        """"12 suggestions added (athlete 7, date 3, error 2), 4 already present"."""
        noun = "suggestion" if self.added == 1 else "suggestions"
        text = f"{self.added} {noun} added"
        if self.by_label:
            counts = sorted(self.by_label.items(), key=lambda kv: (-kv[1], kv[0]))
            text += " (" + ", ".join(f"{label} {n}" for label, n in counts) + ")"
        if self.skipped_existing:
            text += f", {self.skipped_existing} already present"
        return text


def suggest_documents(
    db: Database,
    kb: KnowledgeBaseService | None = None,
    *,
    document_ids: Sequence[int] | None = None,
    reporter: Reporter | None = None,
    tagset: Tagset | None = None,
    use_spacy: bool | None = None,
    corpus: CorpusNames | None = None,
    actor: str = SUGGESTER,
    keep_stored: bool = False,
    jobs: int | None = None,
) -> SuggestReport:
    """Suggest for ``document_ids`` (None: every document), in the order given.

    Raises NotFound before any work if an id does not exist, and Cancelled (carrying the
    partial report) when the reporter says so. ``tagset`` drops labels and error types the
    tagset does not allow; without one, only labels the database knows are stored.
    ``corpus``: name counts from ``count_corpus_names`` to reuse (the window keeps them
    while ``corpus_key`` stays the same); counted here when None. ``keep_stored``: list
    every span stored in ``report.stored`` (a corpus run may store hundreds of thousands).
    ``jobs``: worker processes for the engine (the stored spans are the same for any number);
    None uses every core when there is enough text to repay starting them.
    """
    reporter = reporter or Reporter()
    targets = _targets(db, document_ids)
    report = SuggestReport()
    try:
        reporter.step(0, 0, "loading the knowledge base")
        knowledge = (kb or KnowledgeBaseService(db)).load()
        if corpus is None:
            corpus = count_corpus_names(db, reporter)
        allowed = _allowed(db, tagset)
        learning = load_learning(db)  # hand-tagged strings, rule acceptance, a trained model
        with db.engine.connect() as conn:
            spelling = spelling_variant(conn)
        workers = _workers(db, targets, jobs)
        if workers > 1:
            docs = _documents(db, targets)
            pooled = suggest_in_pool(docs, kb=knowledge, corpus=corpus, use_spacy=use_spacy,
                                     jobs=workers, spelling=spelling)  # fmt: skip
            with contextlib.closing(pooled):  # a cancel drops the chunks not yet started
                for done, ((doc_id, text, _, title), suggested) in enumerate(pooled):
                    reporter.step(done, len(targets), title)
                    suggested = learning.apply(text, suggested)
                    found = [f for s in suggested if (f := _fit(s, text, allowed)) is not None]
                    _store(db, doc_id, found, report, actor, keep_stored)
        else:
            engine = SuggestionEngine(knowledge, use_spacy=use_spacy)
            engine.spelling_variant = spelling
            for done, doc_id in enumerate(targets):
                published, text, title = _document(db, doc_id)
                reporter.step(done, len(targets), title)
                suggested = engine.suggest(text, published=published, corpus=corpus)
                suggested = learning.apply(text, suggested)
                found = [f for s in suggested if (f := _fit(s, text, allowed)) is not None]
                _store(db, doc_id, found, report, actor, keep_stored)
    except Cancelled:
        raise Cancelled(report) from None
    reporter.step(len(targets), len(targets), "")
    return report


def _workers(db: Database, targets: Sequence[int], jobs: int | None) -> int:
    """How many worker processes the run gets; 1 means none, the engine runs here."""
    if len(targets) < 2:
        return 1
    if jobs is not None:
        return max(1, min(jobs, len(targets)))
    cores = default_jobs()
    return min(cores, len(targets)) if cores > 1 and _chars(db, targets) >= POOL_MIN_CHARS else 1


def _chars(db: Database, targets: Sequence[int]) -> int:
    total = 0
    with db.engine.connect() as conn:
        for i in range(0, len(targets), 500):
            total += conn.scalar(
                select(func.coalesce(func.sum(func.length(DocumentTextRow.text)), 0))
                .where(DocumentTextRow.document_id.in_(targets[i : i + 500]))
            ) or 0
            if total >= POOL_MIN_CHARS:
                break
    return total


def _targets(db: Database, document_ids: Sequence[int] | None) -> list[int]:
    with db.engine.connect() as conn:
        if document_ids is None:
            return list(conn.scalars(select(DocumentRow.id).order_by(DocumentRow.id)))
        wanted = list(dict.fromkeys(document_ids))
        known = set(conn.scalars(select(DocumentRow.id).where(DocumentRow.id.in_(wanted))))
    missing = [str(i) for i in wanted if i not in known]
    if missing:
        noun = "document" if len(missing) == 1 else "documents"
        raise NotFound(f"no {noun} with id {', '.join(missing)}")
    return wanted


def _iter_texts(db: Database) -> Iterator[str]:
    after = -1
    while True:
        with db.engine.connect() as conn:
            page = conn.execute(
                select(DocumentTextRow.document_id, DocumentTextRow.text)
                .where(DocumentTextRow.document_id > after)
                .order_by(DocumentTextRow.document_id)
                .limit(PAGE_SIZE)
            ).all()
        if not page:
            return
        for _doc_id, text in page:
            yield text
        after = page[-1][0]


def count_corpus_names(db: Database, reporter: Reporter | None = None) -> CorpusNames:
    """How every article spells each name. Costs a read of the whole corpus (about a second
    per thousand articles), which is why the window keeps the result between runs."""
    reporter = reporter or Reporter()
    corpus = CorpusNames()
    for n, text in enumerate(_iter_texts(db)):
        if n % PAGE_SIZE == 0:
            reporter.step(0, 0, "counting names across the corpus")  # and a chance to cancel
        corpus.add_text(text)
    return corpus


def corpus_key(db: Database) -> tuple[int, int | None]:
    """Changes whenever documents are added or removed: (count, highest id)."""
    with db.engine.connect() as conn:
        count, top = conn.execute(
            select(func.count(DocumentRow.id), func.max(DocumentRow.id))
        ).one()
    return count, top


def _allowed(db: Database, tagset: Tagset | None) -> dict[str, frozenset[str] | None]:
    """label -> the error types the tagset allows with it (None: any), for the labels the
    annotations table accepts (its foreign key)."""
    with db.engine.connect() as conn:
        stored = set(conn.scalars(select(LabelRow.key)))
    if tagset is None:
        return dict.fromkeys(stored)
    return {label.key: frozenset(label.error_types) for label in tagset.labels
            if label.key in stored}  # fmt: skip


def _fit(s: Suggestion, text: str, allowed: dict[str, frozenset[str] | None]) -> Suggestion | None:
    """The suggestion as it may be stored, or None."""
    if s.label not in allowed:
        return None
    if not (0 <= s.start < s.end <= len(text)) or text[s.start : s.end] != s.text:
        # A suggester bug; one bad span must not cost a long run the rest of the corpus.
        log.error("suggestion %r (rule %s) does not match the text; not stored", s, s.rule)
        return None
    types = allowed[s.label]
    if s.error_type and types is not None and s.error_type not in types:
        return replace(s, error_type=None)  # the span is still worth a look
    return s


def _document(db: Database, doc_id: int) -> tuple[dt.date | None, str, str]:
    with db.engine.connect() as conn:
        found = conn.execute(
            select(DocumentRow.published, DocumentTextRow.text, DocumentRow.title)
            .join(DocumentTextRow, DocumentTextRow.document_id == DocumentRow.id)
            .where(DocumentRow.id == doc_id)
        ).first()
    if found is None:
        raise NotFound(f"document {doc_id} no longer exists")
    return found[0], found[1], found[2]


def _documents(db: Database, targets: Sequence[int]) -> Iterator[Doc]:
    """(id, text, published, title) of each target in order, read a page at a time: one
    query per document would cost the pool's parent, which also stores, a tenth of its time."""
    for i in range(0, len(targets), PAGE_SIZE):
        page = targets[i : i + PAGE_SIZE]
        with db.engine.connect() as conn:
            found = {row[0]: row for row in conn.execute(
                select(DocumentRow.id, DocumentTextRow.text, DocumentRow.published,
                       DocumentRow.title)
                .join(DocumentTextRow, DocumentTextRow.document_id == DocumentRow.id)
                .where(DocumentRow.id.in_(page))
            )}  # fmt: skip
        for doc_id in page:
            if doc_id not in found:
                raise NotFound(f"document {doc_id} no longer exists")
            doc_id, text, published, title = found[doc_id]
            yield doc_id, text, published, title


def _store(
    db: Database, doc_id: int, found: list[Suggestion], report: SuggestReport, actor: str,
    keep: bool,
) -> None:
    def work(conn: Connection) -> tuple[list[Span], int]:
        # The existing spans are read inside the writing transaction (after the document's
        # lock), so a span the user tags while the engine runs still stops its duplicate; the
        # unique index and ON CONFLICT DO NOTHING stop a concurrent run's.
        lock_document(conn, doc_id)
        existing = {
            tuple(row)
            for row in conn.execute(
                select(AnnotationRow.start, AnnotationRow.end, AnnotationRow.label)
                .where(AnnotationRow.document_id == doc_id)
            )
        }
        rows, skipped = [], 0
        for s in found:
            if s.identity in existing:
                skipped += 1
                continue
            existing.add(s.identity)
            rows.append(_row(doc_id, s, actor))
        if not rows:
            return [], skipped
        stored = spans_from_rows(conn.execute(
            insert_or_ignore(conn, _annotations).returning(*SPAN_COLUMNS), rows
        ))  # fmt: skip
        skipped += len(rows) - len(stored)
        changelog.record_many(conn, actor=actor, rows=[
            ("suggest", doc_id, span.id, None, changelog.span_dict(span)) for span in stored
        ])  # fmt: skip
        return stored, skipped

    stored, skipped = db.run(work)
    report.skipped_existing += skipped
    report.documents += 1
    report.added += len(stored)
    report.by_label.update(span.label for span in stored)
    report.per_document.append((doc_id, len(stored)))
    if keep:
        report.stored.extend(SpanRef(s.id, doc_id, s.version) for s in stored if s.id is not None)


def _row(doc_id: int, s: Suggestion, actor: str) -> dict[str, object]:
    return {
        "document_id": doc_id, "start": s.start, "end": s.end, "label": s.label,
        "text": s.text, "error_type": s.error_type, "correction": s.correction,
        "note": s.note, "value": s.value, "entity": s.entity, "annotator": SUGGESTER,
        "origin": Origin.SUGGESTED.value, "status": SpanStatus.PENDING.value,
        "confidence": s.confidence, "rule": s.rule, "layer": POOL, "version": 1,
        "created_by": actor, "updated_by": actor,
    }  # fmt: skip
