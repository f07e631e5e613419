"""Agreement between annotators' layers: the figures behind ``annotator agreement``.

``measure`` reads documents one at a time (each with every annotator's accepted spans) and
returns, per label and for all labels together, per pair of annotators exact and overlap span
F1 and Cohen's kappa, over all annotators Krippendorff's alpha (nominal, on tokens) and
unitizing alpha (on characters), and agreement on error_type and correction of error spans
both marked identically. The coefficients live in annotator.core.agreement_coefficients;
docs/agreement.md defines each one with a worked example.

A pair is compared on the documents both annotated; a document one annotator did not
annotate is missing data for that annotator, never "no spans". Only documents annotated by
at least two of the chosen annotators count (``documents``, ``per_document``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from annotator.core import agreement_coefficients as co
from annotator.core.formats.tokens import tokenize

OUTSIDE = "O"


@dataclass(frozen=True, slots=True)
class Mark:
    """One annotator's span."""

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
    per_document: dict[int, dict[str, LabelAgreement]]


# ------------------------------------------------------------------------- tallies


@dataclass
class _Pair:
    exact: int = 0
    n_a: int = 0
    n_b: int = 0
    hit_a: int = 0
    hit_b: int = 0
    confusion: Counter = field(default_factory=Counter)  # (category a, category b) -> tokens
    u_sum: int = 0  # Σ δ² between the two segmentations
    u_length: int = 0  # characters both segmented (L of the pair)


@dataclass
class _Tally:
    """Everything one scope (a label, or all labels) needs, summed over documents."""

    pairs: dict[tuple[str, str], _Pair] = field(default_factory=dict)
    coincidence: Counter = field(default_factory=Counter)
    values: Counter = field(default_factory=Counter)
    units: Counter = field(default_factory=Counter)  # unit length -> how many
    gaps: Counter = field(default_factory=Counter)  # gap length -> how many
    coded: int = 0  # mL: characters times annotators
    length: int = 0  # L

    def add(self, other: _Tally, sign: int = 1) -> None:
        for key, p in other.pairs.items():
            pair = self.pairs.setdefault(key, _Pair())
            for name in ("exact", "n_a", "n_b", "hit_a", "hit_b", "u_sum", "u_length"):
                setattr(pair, name, getattr(pair, name) + sign * getattr(p, name))
            _add_counts(pair.confusion, p.confusion, sign)
        for mine, theirs in (
            (self.coincidence, other.coincidence),
            (self.values, other.values),
            (self.units, other.units),
            (self.gaps, other.gaps),
        ):
            _add_counts(mine, theirs, sign)
        self.coded += sign * other.coded
        self.length += sign * other.length

    def u_disagreements(self) -> tuple[float, float]:
        """(D_o, D_e) of unitizing alpha; D_o averages the pairs, each over what both coded."""
        shares = [p.u_sum / p.u_length**2 for p in self.pairs.values() if p.u_length > 0]
        observed = sum(shares) / len(shares) if shares else 0.0
        return observed, co.expected_disagreement(self.units, self.gaps, self.coded, self.length)

    def result(self, pairs: Sequence[tuple[str, str]], unitizing: bool = True) -> LabelAgreement:
        out = []
        for a, b in pairs:
            p = self.pairs.get((a, b), _Pair())
            out.append(
                PairAgreement(
                    a,
                    b,
                    co.exact_f1(p.exact, p.n_a, p.n_b),
                    co.overlap_f1(p.hit_a, p.n_a, p.hit_b, p.n_b),
                    co.cohen_kappa(p.confusion),
                )
            )
        u_alpha = None
        if unitizing:
            observed, expected = self.u_disagreements()
            u_alpha = 1.0 - observed / expected if expected > 0 else None
        return LabelAgreement(
            tuple(out), co.krippendorff_alpha(self.coincidence, self.values), u_alpha
        )


def _add_counts(mine: Counter, theirs: Mapping, sign: int) -> None:
    for key, n in theirs.items():
        value = mine[key] + sign * n
        if value:
            mine[key] = value
        else:
            del mine[key]


# ---------------------------------------------------------------------- one document


def _covered(tokens, spans: Iterable[Mark]) -> list[str]:
    """Each token's category: the label of the shortest span wholly covering it (ties: the
    label first in alphabetical order), "O" when none does."""
    starts = [t.start for t in tokens]
    out = [OUTSIDE] * len(tokens)
    for span in sorted(spans, key=lambda s: (s.end - s.start, s.label)):
        i = bisect_left(starts, span.start)
        while i < len(tokens) and tokens[i].end <= span.end:
            if out[i] == OUTSIDE:
                out[i] = span.label
            i += 1
    return out


def _document_tally(
    pairs: Sequence[tuple[str, str]],
    spans: Mapping[str, list[Mark]],
    categories: Mapping[str, list[str]],
    text_length: int,
    label: str | None,
) -> _Tally:
    """One document's contribution to one scope: a label (categories present/absent, spans of
    that label) or, with ``label`` None, all labels (categories are labels or "O")."""
    tally = _Tally()
    coders = list(spans)
    for a, b in pairs:
        p = tally.pairs[a, b] = _Pair()
        key_a = Counter((s.start, s.end, s.label) for s in spans[a])
        key_b = Counter((s.start, s.end, s.label) for s in spans[b])
        p.exact, p.n_a, p.n_b = sum((key_a & key_b).values()), len(spans[a]), len(spans[b])
        for name in {s.label for s in spans[a]} & {s.label for s in spans[b]}:
            in_a = [(s.start, s.end) for s in spans[a] if s.label == name]
            in_b = [(s.start, s.end) for s in spans[b] if s.label == name]
            p.hit_a += co.count_overlapping(in_a, in_b)
            p.hit_b += co.count_overlapping(in_b, in_a)
        p.confusion.update(zip(categories[a], categories[b], strict=True))
    for unit, times in Counter(zip(*(categories[c] for c in coders), strict=True)).items():
        co.add_unit(tally.coincidence, tally.values, unit, times)
    if label is not None:
        cut = {
            c: co.sections(
                co.merge_units(((s.start, s.end) for s in spans[c]), 0, text_length),
                0,
                text_length,
            )
            for c in coders
        }
        for a, b in pairs:
            tally.pairs[a, b].u_sum = co.observed_sum(cut[a], cut[b])
            tally.pairs[a, b].u_length = text_length
        for c in coders:
            for _, size, is_unit in cut[c]:
                (tally.units if is_unit else tally.gaps)[size] += 1
        tally.coded, tally.length = len(coders) * text_length, text_length
    return tally


def _error_pairs(a: Sequence[Mark], b: Sequence[Mark], error_label: str):
    """The pairs of error spans with the same offsets (in order where one side repeats one)."""
    by_offsets: dict[tuple[int, int], list[Mark]] = {}
    for m in sorted(b, key=lambda m: (m.start, m.end)):
        if m.label == error_label:
            by_offsets.setdefault((m.start, m.end), []).append(m)
    for m in sorted(a, key=lambda m: (m.start, m.end)):
        if m.label == error_label and by_offsets.get((m.start, m.end)):
            yield m, by_offsets[m.start, m.end].pop(0)


def _correction(value: str | None) -> str | None:
    value = value.strip() if value is not None else None
    return value or None


# ---------------------------------------------------------------------------- measure


def measure(
    documents: Iterable[DocumentLayers],
    *,
    labels: Sequence[str] | None = None,
    annotators: Sequence[str] | None = None,
    error_label: str = "error",
) -> AgreementReport:
    """Agreement over ``documents`` (read once, in order; memory grows only with the
    per-document results). ``labels``/``annotators`` default to every one present, sorted."""
    chosen = tuple(dict.fromkeys(annotators)) if annotators is not None else None
    wanted = set(labels) if labels is not None else None

    def rank(name: str):
        return (chosen.index(name), "") if chosen is not None else (0, name)

    base = _Tally()  # every document as if no label were present (see below)
    per_label: dict[str, _Tally] = {name: _Tally() for name in labels or ()}
    overall = _Tally()
    seen_annotators: set[str] = set()
    seen_labels: set[str] = set()
    matched = same_type = same_correction = 0
    per_document: dict[int, dict[str, LabelAgreement]] = {}

    for doc in documents:
        layers = {
            name: [m for m in marks if wanted is None or m.label in wanted]
            for name, marks in doc.layers.items()
            if chosen is None or name in chosen
        }
        seen_annotators.update(layers)
        if len(layers) < 2:
            continue
        if doc.document_id in per_document:
            raise ValueError(f"document {doc.document_id} given twice")
        coders = sorted(layers, key=rank)
        pairs = list(combinations(coders, 2))
        for name, other in pairs:
            for x, y in _error_pairs(doc.layers[name], doc.layers[other], error_label):
                matched += 1
                same_type += x.error_type == y.error_type
                same_correction += _correction(x.correction) == _correction(y.correction)
        tokens = tokenize(doc.text)
        n = len(doc.text)
        present = {m.label for marks in layers.values() for m in marks}
        seen_labels.update(present)
        empty: dict[str, list[Mark]] = {c: [] for c in coders}
        absent = {c: [OUTSIDE] * len(tokens) for c in coders}
        # A label nobody used here adds the same as no label at all: counted once in ``base``
        # and, for the labels used here, swapped for the real contribution.
        nothing = _document_tally(pairs, empty, absent, n, label="")
        base.add(nothing)
        doc_results = {}
        for name in sorted(present):
            spans = {c: [m for m in layers[c] if m.label == name] for c in coders}
            cats = {c: _covered(tokens, spans[c]) for c in coders}
            tally = _document_tally(pairs, spans, cats, n, label=name)
            doc_results[name] = tally.result(pairs)
            scope = per_label.setdefault(name, _Tally())
            scope.add(tally)
            scope.add(nothing, sign=-1)
        per_document[doc.document_id] = doc_results
        cats = {c: _covered(tokens, layers[c]) for c in coders}
        overall.add(_document_tally(pairs, layers, cats, n, label=None))

    final_annotators = chosen if chosen is not None else tuple(sorted(seen_annotators))
    final_labels = list(labels) if labels is not None else sorted(seen_labels)
    all_pairs = list(combinations(final_annotators, 2))
    label_tallies = {}
    for name in final_labels:
        tally = _Tally()
        tally.add(base)
        tally.add(per_label.get(name, _Tally()))
        label_tallies[name] = tally
    overall_result = overall.result(all_pairs, unitizing=False)
    disagreements = [t.u_disagreements() for t in label_tallies.values()]
    expected = sum(e for _, e in disagreements)
    u_overall = 1.0 - sum(o for o, _ in disagreements) / expected if expected > 0 else None
    return AgreementReport(
        annotators=tuple(final_annotators),
        documents=len(per_document),
        labels={name: t.result(all_pairs) for name, t in label_tallies.items()},
        overall=LabelAgreement(overall_result.pairs, overall_result.alpha, u_overall),
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
