"""The Agreement panel's work off the GUI thread: read each annotator's layer, measure, and
look up the titles of the documents compared.

It calls what ``annotator agreement`` calls (``gather_layers``, then ``measure``), so the
window and the command line give the same figures. Progress counts the documents read (in id
order, as ``gather_layers`` yields them); a cancel takes effect at the next document.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from annotator.core.agreement import AgreementReport, DocumentLayers, measure
from annotator.services.agreement import gather_layers
from annotator.services.app import App
from annotator.services.progress import Reporter

#: Document titles are read this many ids at a time.
TITLE_PAGE = 500


@dataclass(frozen=True)
class AgreementResult:
    report: AgreementReport
    titles: dict[int, str]  # document id -> title, for the documents compared


def agreement_job(
    app: App,
    *,
    labels: Sequence[str] | None,
    annotators: Sequence[str] | None,
    document_ids: Sequence[int] | None,
) -> Callable[[Reporter], AgreementResult]:
    """A job for ``TaskThread``: the figures for these filters (None: every one)."""

    def run(reporter: Reporter) -> AgreementResult:
        ids = sorted(document_ids) if document_ids else sorted(app.documents.ids())
        total = len(ids)
        reporter.step(0, total)

        def layers() -> Iterator[DocumentLayers]:
            for doc in gather_layers(app.db, document_ids=document_ids, annotators=annotators):
                reporter.step(bisect_right(ids, doc.document_id), total)
                yield doc

        try:
            report = measure(layers(), labels=labels, annotators=annotators)
        except LookupError as exc:  # a document deleted meanwhile
            raise ValueError(str(exc)) from None
        reporter.step(total, total)
        compared = list(report.per_document)
        titles: dict[int, str] = {}
        for first in range(0, len(compared), TITLE_PAGE):
            rows = app.documents.rows(compared[first : first + TITLE_PAGE])
            titles.update({doc: info.title for doc, info in rows.items()})
        return AgreementResult(report, titles)

    return run
