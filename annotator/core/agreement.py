"""Agreement between annotators' layers: the figures behind ``annotator agreement``.

``measure`` reads documents one at a time (each with every annotator's accepted spans) and
returns, per label and for all labels together, per pair of annotators exact and overlap span
F1 and Cohen's kappa, over all annotators Krippendorff's alpha (nominal, on tokens) and
unitizing alpha (on characters), and agreement on error_type and correction of error spans
both marked identically. The counting lives in annotator.core.agreement_counts, the
coefficients in annotator.core.agreement_coefficients; the README's Agreement section defines
each one with a worked example.

A pair is compared on the documents both annotated; a document one annotator did not
annotate is missing data for that annotator, never "no spans". Only documents annotated by
at least two of the chosen annotators count (``documents``, ``per_document``).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import NamedTuple

from annotator.core.agreement_counts import Figures, Pool


class Mark(NamedTuple):
    """One annotator's span. A named tuple, not a frozen dataclass: a large corpus makes
    hundreds of thousands of them, and a tuple is made in less than half the time."""

    start: int
    end: int
    label: str
    error_type: str | None = None
    correction: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentLayers:
    document_id: int
    text: str
    # annotator name -> that annotator's accepted spans on this document (an annotator who did
    # not annotate the document is absent)
    layers: Mapping[str, Sequence[Mark]]


@dataclass(frozen=True, slots=True)
class PairAgreement:
    a: str
    b: str
    exact_f1: float | None
    overlap_f1: float | None
    kappa: float | None


@dataclass(frozen=True, slots=True)
class LabelAgreement:
    pairs: tuple[PairAgreement, ...]
    alpha: float | None
    u_alpha: float | None


@dataclass(frozen=True, slots=True)
class ErrorFieldAgreement:
    """Over error spans matched exactly (same start, end, label "error") between each pair:
    the share of matched pairs that agree; None when nothing matched."""

    matched: int
    error_type: float | None
    correction: float | None


@dataclass(frozen=True)
class AgreementReport:
    annotators: tuple[str, ...]
    documents: int
    labels: dict[str, LabelAgreement]  # per label, over all documents
    overall: LabelAgreement  # all labels together
    errors: ErrorFieldAgreement
    # document id -> label used there -> that label's figures on that document
    per_document: Mapping[int, dict[str, LabelAgreement]]


def _agreement(pairs: Sequence[tuple[str, str]], figures: Figures) -> LabelAgreement:
    per_pair, alpha, u_alpha = figures
    return LabelAgreement(
        tuple(PairAgreement(a, b, *values) for (a, b), values in zip(pairs, per_pair, strict=True)),
        alpha,
        u_alpha,
    )


class DocumentFigures(Mapping[int, dict[str, LabelAgreement]]):
    """The per-document figures of a report: document id -> {label: LabelAgreement}.

    Kept as packed numbers (None as NaN, which no measure gives), not as objects: about half
    a kilobyte a document instead of 3.4, so measuring a large corpus keeps memory nearly
    flat. A document's figures are rebuilt each time they are asked for."""

    def __init__(self) -> None:
        self._where: dict[int, int] = {}  # document id -> its position
        self._ids = array("q")
        self._groups: dict[tuple[str, ...], int] = {}  # each set of annotators, numbered
        self._group_list: list[tuple[str, ...]] = []
        self._group_of = array("I")
        self._labels: dict[str, int] = {}  # each label, numbered
        self._label_list: list[str] = []
        self._first_label = array("I")  # per document, where its labels start in _label_of
        self._label_of = array("I")
        self._first_value = array("Q")  # per document, where its figures start in _values
        self._values = array("d")

    def add(
        self, document_id: int, coders: tuple[str, ...], results: Iterable[tuple[str, Figures]]
    ) -> None:
        self._where[document_id] = len(self._ids)
        self._ids.append(document_id)
        self._group_of.append(_number(self._groups, self._group_list, coders))
        self._first_label.append(len(self._label_of))
        self._first_value.append(len(self._values))
        for label, (per_pair, alpha, u_alpha) in results:
            self._label_of.append(_number(self._labels, self._label_list, label))
            for values in per_pair:
                self._values.extend(math.nan if v is None else v for v in values)
            self._values.append(math.nan if alpha is None else alpha)
            self._values.append(math.nan if u_alpha is None else u_alpha)

    def __getitem__(self, document_id: int) -> dict[str, LabelAgreement]:
        at = self._where[document_id]
        pairs = list(combinations(self._group_list[self._group_of[at]], 2))
        end = self._first_label[at + 1] if at + 1 < len(self._ids) else len(self._label_of)
        size = 3 * len(pairs) + 2  # per label: each pair's three figures, alpha, u_alpha
        first = self._first_value[at]
        out = {}
        for number in self._label_of[self._first_label[at] : end]:
            row = [None if v != v else v for v in self._values[first : first + size]]
            first += size
            per_pair = tuple(
                (row[3 * k], row[3 * k + 1], row[3 * k + 2]) for k in range(len(pairs))
            )
            out[self._label_list[number]] = _agreement(pairs, (per_pair, row[-2], row[-1]))
        return out

    def __iter__(self) -> Iterator[int]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, document_id: object) -> bool:
        return document_id in self._where

    def __repr__(self) -> str:
        return f"<DocumentFigures of {len(self)} documents>"


def _number(numbers: dict, listed: list, key) -> int:
    found = numbers.get(key)
    if found is None:
        found = numbers[key] = len(listed)
        listed.append(key)
    return found


def _error_pairs(a: Sequence[Mark], b: Sequence[Mark]):
    """The pairs of error spans with the same offsets (in order where one side repeats one);
    ``a`` and ``b`` are one side's error spans each, in (start, end) order."""
    by_offsets: dict[tuple[int, int], list[Mark]] = {}
    for m in b:
        by_offsets.setdefault((m.start, m.end), []).append(m)
    for m in a:
        if by_offsets.get((m.start, m.end)):
            yield m, by_offsets[m.start, m.end].pop(0)


def _correction(value: str | None) -> str | None:
    value = value.strip() if value is not None else None
    return value or None


def _offsets(mark: Mark) -> tuple[int, int]:
    return mark.start, mark.end


# ---------------------------------------------------------------------------- measure


def measure(
    documents: Iterable[DocumentLayers],
    *,
    labels: Sequence[str] | None = None,
    annotators: Sequence[str] | None = None,
    error_label: str = "error",
) -> AgreementReport:
    """Agreement over ``documents`` (read once, in order; memory grows only with the
    per-document results, kept packed). ``labels``/``annotators`` default to every one
    present, sorted."""
    chosen = tuple(dict.fromkeys(annotators)) if annotators is not None else None
    wanted = set(labels) if labels is not None else None

    def rank(name: str):
        return (chosen.index(name), "") if chosen is not None else (0, name)

    pool = Pool(labels or ())
    seen_annotators: set[str] = set()
    seen_labels: set[str] = set()
    matched = same_type = same_correction = 0
    per_document = DocumentFigures()

    for doc in documents:
        layers = {
            name: marks if wanted is None else [m for m in marks if m.label in wanted]
            for name, marks in doc.layers.items()
            if chosen is None or name in chosen
        }
        seen_annotators.update(layers)
        if len(layers) < 2:
            continue
        if doc.document_id in per_document:
            raise ValueError(f"document {doc.document_id} given twice")
        coders = tuple(sorted(layers, key=rank))
        pairs = list(combinations(coders, 2))
        errors = {name: [m for m in doc.layers[name] if m.label == error_label] for name in coders}
        for marks in errors.values():
            marks.sort(key=_offsets)
        for name, other in pairs:
            if errors[name] and errors[other]:
                for x, y in _error_pairs(errors[name], errors[other]):
                    matched += 1
                    same_type += x.error_type == y.error_type
                    same_correction += _correction(x.correction) == _correction(y.correction)
        figures = pool.add_document(doc.text, layers, coders, pairs)
        seen_labels.update(name for name, _ in figures)
        per_document.add(doc.document_id, coders, figures)

    final_annotators = chosen if chosen is not None else tuple(sorted(seen_annotators))
    final_labels = list(labels) if labels is not None else sorted(seen_labels)
    all_pairs = list(combinations(final_annotators, 2))
    label_tallies = {name: pool.scope(name) for name in final_labels}
    overall_pairs, overall_alpha, _ = pool.overall.figures(all_pairs)
    disagreements = [t.u_disagreements() for t in label_tallies.values()]
    expected = sum(e for _, e in disagreements)
    u_overall = 1.0 - sum(o for o, _ in disagreements) / expected if expected > 0 else None
    return AgreementReport(
        annotators=tuple(final_annotators),
        documents=len(per_document),
        labels={
            name: _agreement(all_pairs, t.figures(all_pairs)) for name, t in label_tallies.items()
        },
        overall=_agreement(all_pairs, (overall_pairs, overall_alpha, u_overall)),
        errors=ErrorFieldAgreement(
            matched,
            same_type / matched if matched else None,
            same_correction / matched if matched else None,
        ),
        per_document=per_document,
    )


# ---------------------------------------------------------------------------- output

PAIR_MEASURES = ("exact_f1", "overlap_f1", "kappa")
ROW_COLUMNS = ("scope", "document", "label", "a", "b", "measure", "value")


def _label_json(result: LabelAgreement) -> dict:
    pairs = [
        {"a": p.a, "b": p.b, **{m: getattr(p, m) for m in PAIR_MEASURES}} for p in result.pairs
    ]
    return {"pairs": pairs, "alpha": result.alpha, "u_alpha": result.u_alpha}


def report_json(report: AgreementReport) -> dict:
    """The ``--json`` object (None becomes null when dumped)."""
    errors = report.errors
    return {
        "annotators": list(report.annotators),
        "labels": {name: _label_json(r) for name, r in report.labels.items()},
        "documents": report.documents,
        "overall": _label_json(report.overall),
        "errors": {
            "matched": errors.matched,
            "error_type": errors.error_type,
            "correction": errors.correction,
        },
        "per_document": {
            str(doc): {name: _label_json(r) for name, r in results.items()}
            for doc, results in report.per_document.items()
        },
    }


def _row(*values: object) -> dict[str, object]:
    return dict(zip(ROW_COLUMNS, values, strict=True))


def _rows(scope: str, document: int | None, label: str | None, result: LabelAgreement):
    for p in result.pairs:
        for name in PAIR_MEASURES:
            yield _row(scope, document, label, p.a, p.b, name, getattr(p, name))
    for name in ("alpha", "u_alpha"):
        yield _row(scope, document, label, None, None, name, getattr(result, name))


def report_rows(report: AgreementReport) -> list[dict[str, object]]:
    """Flat rows for a CSV: scope (overall/label/document), document, label, a, b, measure,
    value. Error-field agreement is in the overall scope (measures error_matched,
    error_type, correction)."""
    rows = list(_rows("overall", None, None, report.overall))
    errors = report.errors
    for name, value in (
        ("error_matched", errors.matched),
        ("error_type", errors.error_type),
        ("correction", errors.correction),
    ):
        rows.append(_row("overall", None, None, None, None, name, value))
    for label, result in report.labels.items():
        rows.extend(_rows("label", None, label, result))
    for doc, results in report.per_document.items():
        for label, result in results.items():
            rows.extend(_rows("document", doc, label, result))
    return rows
