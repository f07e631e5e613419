"""Running the suggesters over documents and storing what they find as pending annotations.

A run loads the knowledge base once, builds one ``SuggestionEngine`` and counts the names of
the whole corpus (corpus_count: texts streamed a page at a time, by the workers too on a run
that has them), so a rare misspelling is judged against how every other article spells the
name. Finished documents are stored a group at a time
(suggest_store), by this process or, on a large corpus, by the worker processes that
suggested on them (suggest_pool): a cancel keeps the documents finished before it and never
half of one.

A suggestion never overwrites an annotation with the same (start, end, label). A rejected
suggestion stays in the database for exactly this reason: it is how a rejection is
remembered, so the next run does not propose the same span again.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select

from annotator.core.suggest.engine import SuggestionEngine
from annotator.core.suggest.misspell import CorpusNames
from annotator.core.tagset import Tagset
from annotator.store.database import Database
from annotator.store.models import DocumentRow, DocumentTextRow, LabelRow

from .corpus_count import PAGE_SIZE, count_corpus_names
from .kb import KnowledgeBaseService
from .layers import SUGGESTER
from .learning import load_learning
from .progress import Cancelled, Reporter
from .span_rows import NotFound
from .spelling import spelling_variant
from .suggest_pool import Doc, PoolRun, StoreTarget, default_jobs
from .suggest_store import StoredDocument, SuggestionWriter, fit_all
from .suggestion_undo import SpanRef

log = logging.getLogger(__name__)

#: Below this much text (code points) a run with the default ``jobs`` stays in this process:
#: starting the workers (each builds the engine; from the window through a fork server, about
#: a second) would cost more than they save.
POOL_MIN_CHARS = 2_000_000


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

    def record(self, stored: StoredDocument) -> None:
        self.documents += 1
        self.added += stored.added
        self.skipped_existing += stored.skipped
        self.by_label.update(stored.by_label)
        self.per_document.append((stored.doc_id, stored.added))
        self.stored.extend(stored.refs)

    def summary(self) -> str:
        """ "12 suggestions added (athlete 7, date 3, error 2), 4 already present"."""
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
    writer = SuggestionWriter(db, report, actor, keep_stored)
    try:
        reporter.step(0, 0, "loading the knowledge base")
        knowledge = (kb or KnowledgeBaseService(db)).load()
        workers = _workers(db, targets, jobs)
        if corpus is None:
            corpus = count_corpus_names(db, reporter, jobs=workers)
        allowed = _allowed(db, tagset)
        with db.engine.connect() as conn:
            spelling = spelling_variant(conn)
        if workers > 1:
            target = StoreTarget(db.url, db.password, db.client, actor, allowed, keep_stored)
            run = PoolRun(_documents(db, targets), kb=knowledge, corpus=corpus,
                          use_spacy=use_spacy, jobs=workers, spelling=spelling,
                          target=target)  # fmt: skip
            done = 0
            try:
                for chunk, stored in run:
                    for document in stored:
                        report.record(document)
                    done += len(chunk)
                    reporter.step(done, len(targets), chunk[-1][3])
            finally:
                for _chunk, stored in run.close():  # running at a cancel: stored whole
                    for document in stored:
                        report.record(document)
        else:
            engine = SuggestionEngine(knowledge, use_spacy=use_spacy)
            engine.spelling_variant = spelling
            learning = load_learning(db)  # hand-tagged strings, rule acceptance, a model
            for done, (doc_id, text, published, title) in enumerate(_documents(db, targets)):
                reporter.step(done, len(targets), title)
                suggested = engine.suggest(text, published=published, corpus=corpus)
                writer.add(doc_id, fit_all(learning.apply(text, suggested), text, allowed))
        writer.flush()
    except Cancelled:
        writer.flush()  # the documents finished before the cancel are kept
        raise Cancelled(report) from None
    reporter.step(len(targets), len(targets), "")
    return report


def _workers(db: Database, targets: Sequence[int], jobs: int | None) -> int:
    """How many worker processes the run gets; 1 means none, the engine runs here."""
    if len(targets) < 2 or db.url.split("?")[0].endswith(":memory:"):
        return 1  # (other processes cannot open a database in this one's memory)
    if jobs is not None:
        return max(1, min(jobs, len(targets)))
    cores = default_jobs()
    return min(cores, len(targets)) if cores > 1 and _chars(db, targets) >= POOL_MIN_CHARS else 1


def _chars(db: Database, targets: Sequence[int]) -> int:
    total = 0
    with db.engine.connect() as conn:
        for i in range(0, len(targets), 500):
            total += (
                conn.scalar(
                    select(func.coalesce(func.sum(func.length(DocumentTextRow.text)), 0)).where(
                        DocumentTextRow.document_id.in_(targets[i : i + 500])
                    )
                )
                or 0
            )
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
            if doc_id not in found:  # deleted since the run began: nothing to suggest on
                log.info("document %d was deleted during the suggest run", doc_id)
                continue
            doc_id, text, published, title = found[doc_id]
            yield doc_id, text, published, title
