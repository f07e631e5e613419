"""How well suggestions match a gold annotation: the figures behind ``annotator evaluate``.

Pure and small on purpose, so the metric itself can be unit-tested on hand-made cases:

- spans: exact match on (start, end, label); precision, recall and F1 per label and micro
  over all labels. A span one character off is a miss *and* a false positive, as it costs a
  fact-checker an edit either way.
- error types: error spans scored again per ``error_type`` (misspelling, wrong_fact, ...): a
  prediction counts for a type when its span and its type both match, so a true error given
  the wrong type is a miss of one type and a false alarm of the other.
- correction: gold errors of type misspelled_name; a prediction counts only when its span
  and its correction both match (a flagged misspelling with the wrong fix is no help).
- date values: of the date spans found exactly, the share whose value means the same days as
  the gold value ("2023-10" equals "2023-10-01/2023-10-31"; None equals None).
- entity links: of the athlete and event spans found exactly, the share whose KB key equals
  the gold one (None included: an athlete missing from the KB must stay unlinked).

Precision, recall or F1 with an empty denominator is 1.0 when there was nothing to find and
nothing was claimed, else 0.0; a ratio with no cases at all is None (shown as "-").

Gold and predicted spans are anything with the span attributes (a suggestion, a core span)
or a mapping with those keys (a dataset record's span); ``evaluate_engine`` runs the engine
over gold documents the way a suggest run does (corpus names from every document first).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .kb import KnowledgeBase

MISSPELLED = "misspelled_name"
#: The guide's order, for tables; a type outside it sorts after, by name.
ERROR_TYPES = (
    "misspelled_name",
    "misspelling",
    "wrong_date",
    "wrong_number",
    "wrong_fact",
    "other",
)
UNTYPED = "untyped"  # an error span without an error type
LINKED_LABELS = ("athlete", "event")
_LABEL_ORDER = ("athlete", "event", "date", "error")


@dataclass(frozen=True, slots=True)
class Mention:
    """The parts of a span the metrics look at."""

    start: int
    end: int
    label: str
    text: str = ""
    error_type: str | None = None
    correction: str | None = None
    value: str | None = None
    entity: str | None = None

    @property
    def identity(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.label)


def as_mention(span: Any) -> Mention:
    """A Mention from a mapping (a JSONL span) or any object with the span attributes."""
    if isinstance(span, Mention):
        return span
    get: Callable[[str], Any] = (
        span.get if isinstance(span, Mapping) else lambda k: getattr(span, k, None)
    )
    return Mention(
        start=int(get("start")),
        end=int(get("end")),
        label=str(get("label")),
        text=get("text") or "",
        error_type=get("error_type"),
        correction=get("correction"),
        value=get("value"),
        entity=get("entity"),
    )


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        return self.tp + self.fp

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.predicted, empty=1.0 if self.fn == 0 else 0.0)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.gold, empty=1.0 if self.fp == 0 else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


def _ratio(num: int, den: int, *, empty: float) -> float:
    return num / den if den else empty


@dataclass(slots=True)
class Share:
    """``correct`` out of ``total`` cases; ``value`` is None when there were none."""

    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None


@dataclass(frozen=True, slots=True)
class Miss:
    """A gold span not predicted (kind "missed"), a prediction not in the gold ("spurious"),
    or a matched span whose value, link, correction or error type differs ("value", "entity",
    "correction", "error_type"); ``got`` is the prediction for the last four."""

    document: object
    kind: str
    mention: Mention
    got: Mention | None = None


@dataclass(slots=True)
class EvaluationResult:
    labels: dict[str, Counts] = field(default_factory=dict)
    #: error spans per error type (UNTYPED for none), matched on start, end and type
    error_types: dict[str, Counts] = field(default_factory=dict)
    correction: Counts = field(default_factory=Counts)
    date_values: Share = field(default_factory=Share)
    links: dict[str, Share] = field(default_factory=lambda: {k: Share() for k in LINKED_LABELS})
    documents: int = 0
    problems: list[Miss] = field(default_factory=list)

    @property
    def micro(self) -> Counts:
        total = Counts()
        for c in self.labels.values():
            total.add(c)
        return total

    def label(self, name: str) -> Counts:
        """The counts for one label (zeros when neither side had it)."""
        return self.labels.get(name, Counts())

    def add_document(
        self, gold: Iterable[Any], predicted: Iterable[Any], *, document: object = None
    ) -> None:
        """Score one document's predictions against its gold spans."""
        self.documents += 1
        gold_by = _by_identity(gold)
        pred_by = _by_identity(predicted)
        for ident in gold_by.keys() | pred_by.keys():
            label = ident[2]
            counts = self.labels.setdefault(label, Counts())
            g, p = gold_by.get(ident), pred_by.get(ident)
            if g is None:
                assert p is not None
                counts.fp += 1
                self.problems.append(Miss(document, "spurious", p))
            elif p is None:
                counts.fn += 1
                self.problems.append(Miss(document, "missed", g))
            else:
                counts.tp += 1
                self._matched(document, g, p)
        self._error_types(document, gold_by, pred_by)
        self._corrections(document, gold_by.values(), pred_by.values())

    def _matched(self, document: object, g: Mention, p: Mention) -> None:
        if g.label == "date":
            self.date_values.total += 1
            if same_date_value(g.value, p.value):
                self.date_values.correct += 1
            else:
                self.problems.append(Miss(document, "value", g, p))
        if g.label in self.links:
            share = self.links[g.label]
            share.total += 1
            if g.entity == p.entity:
                share.correct += 1
            else:
                self.problems.append(Miss(document, "entity", g, p))

    def _error_types(
        self,
        document: object,
        gold: Mapping[tuple[int, int, str], Mention],
        predicted: Mapping[tuple[int, int, str], Mention],
    ) -> None:
        def typed(items: Mapping[tuple[int, int, str], Mention]) -> set[tuple[int, int, str]]:
            return {(m.start, m.end, m.error_type or UNTYPED)
                    for ident, m in items.items() if ident[2] == "error"}  # fmt: skip

        g, p = typed(gold), typed(predicted)
        for key in g | p:
            counts = self.error_types.setdefault(key[2], Counts())
            if key in g and key in p:
                counts.tp += 1
            elif key in g:
                counts.fn += 1
            else:
                counts.fp += 1
        for ident, m in gold.items():  # the span was found, but as another type
            got = predicted.get(ident)
            if ident[2] == "error" and got is not None and got.error_type != m.error_type:
                self.problems.append(Miss(document, "error_type", m, got))

    def _corrections(
        self, document: object, gold: Iterable[Mention], predicted: Iterable[Mention]
    ) -> None:
        def keyed(items: Iterable[Mention]) -> dict[tuple[int, int, str], Mention]:
            return {
                (m.start, m.end, (m.correction or "").strip()): m
                for m in items
                if m.label == "error" and m.error_type == MISSPELLED
            }

        g, p = keyed(gold), keyed(predicted)
        hits = g.keys() & p.keys()
        self.correction.add(Counts(len(hits), len(p) - len(hits), len(g) - len(hits)))
        for key in g.keys() - hits:
            self.problems.append(
                Miss(
                    document,
                    "correction",
                    g[key],
                    next((m for k, m in p.items() if k[:2] == key[:2]), None),
                )
            )

    def figures(self) -> dict[str, float | None]:
        """Every headline figure by name ("athlete.precision", "correction.recall",
        "date.value_accuracy", "event.link_accuracy", ...), for thresholds and reports."""
        out: dict[str, float | None] = {}
        typed = [(f"error:{t}", c) for t, c in self._ordered_types()]
        for name, c in [
            *self._ordered_labels(),
            *typed,
            ("micro", self.micro),
            ("correction", self.correction),
        ]:
            out[f"{name}.precision"] = c.precision
            out[f"{name}.recall"] = c.recall
            out[f"{name}.f1"] = c.f1
        out["date.value_accuracy"] = self.date_values.value
        for label, share in self.links.items():
            out[f"{label}.link_accuracy"] = share.value
        return out

    def _ordered_labels(self) -> list[tuple[str, Counts]]:
        order = {k: i for i, k in enumerate(_LABEL_ORDER)}
        return sorted(self.labels.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))

    def _ordered_types(self) -> list[tuple[str, Counts]]:
        order = {k: i for i, k in enumerate(ERROR_TYPES)}
        return sorted(self.error_types.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))

    def format_table(self) -> str:
        """An aligned text table: spans per label, per error type and micro, corrections,
        values, links."""
        header = ["", "gold", "pred", "tp", "precision", "recall", "f1"]
        rows = [header]
        typed = [(f"  {t}", c) for t, c in self._ordered_types()]
        labels: list[tuple[str, Counts]] = []
        for name, c in self._ordered_labels():
            labels += [(name, c), *(typed if name == "error" else ())]
        for name, c in [
            *labels,
            ("micro (all labels)", self.micro),
            ("correction (misspelled_name)", self.correction),
        ]:
            rows.append(
                [
                    name,
                    str(c.gold),
                    str(c.predicted),
                    str(c.tp),
                    f"{c.precision:.3f}",
                    f"{c.recall:.3f}",
                    f"{c.f1:.3f}",
                ]
            )
        shares = [("date values", self.date_values)]
        shares += [(f"{label} links", s) for label, s in self.links.items()]
        width = max(len(r[0]) for r in rows + [[n] for n, _ in shares])
        widths = [width] + [max(len(r[i]) for r in rows) for i in range(1, len(header))]

        def line(cells: Sequence[str]) -> str:
            first = cells[0].ljust(widths[0])
            rest = (c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))
            return "  ".join([first, *rest]).rstrip()

        rule = "  ".join("-" * w for w in widths)
        out = [f"documents: {self.documents}", line(header), rule]
        out += [line(r) for r in rows[1:-2]]
        out += [rule, line(rows[-2]), line(rows[-1]), ""]
        for name, s in shares:
            shown = "-" if s.value is None else f"{s.value:.3f}"
            out.append(f"{name.ljust(width)}  {s.correct:>4}/{s.total:<4}  {shown}")
        return "\n".join(out)


def _by_identity(spans: Iterable[Any]) -> dict[tuple[int, int, str], Mention]:
    out: dict[tuple[int, int, str], Mention] = {}
    for span in spans:
        m = as_mention(span)
        out.setdefault(m.identity, m)  # the first of duplicates counts, once
    return out


# -- date values ---------------------------------------------------------------------------

_PART = r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?"
_DATE_VALUE = re.compile(rf"{_PART}(?:/{_PART})?")


def date_bounds(value: str) -> tuple[dt.date, dt.date] | None:
    """First and last day of an ISO value: "2024", "2024-08", "2024-08-06", "a/b"; None when
    the value is not one of these."""
    m = _DATE_VALUE.fullmatch(value.strip())
    if m is None:
        return None
    try:
        first = _day(m.group(1), m.group(2), m.group(3), last=False)
        if m.group(4) is None:
            last = _day(m.group(1), m.group(2), m.group(3), last=True)
        else:
            last = _day(m.group(4), m.group(5), m.group(6), last=True)
    except ValueError:
        return None
    return first, last


def _day(y: str, m: str | None, d: str | None, *, last: bool) -> dt.date:
    year = int(y)
    if d is not None:
        return dt.date(year, int(m or 1), int(d))
    if m is not None:
        month = int(m)
        if not last:
            return dt.date(year, month, 1)
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(year, 12, 31) if last else dt.date(year, 1, 1)


def same_date_value(gold: str | None, predicted: str | None) -> bool:
    """True when both name the same days (or are both None); text equality for values that
    are not ISO dates."""
    if gold is None or predicted is None:
        return gold is predicted
    a, b = date_bounds(gold), date_bounds(predicted)
    if a is None or b is None:
        return gold.strip() == predicted.strip()
    return a == b


# -- running the engine over gold documents ------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldDocument:
    id: object
    text: str
    published: dt.date | None
    spans: tuple[Mention, ...]


def gold_documents(records: Iterable[Mapping[str, Any]]) -> list[GoldDocument]:
    """Dataset records (already validated by ``iter_jsonl_records``) as gold documents;
    ValueError names the record whose ``published`` is not an ISO date."""
    docs = []
    for number, r in enumerate(records, start=1):
        published = r.get("published")
        if published is not None:
            try:
                published = dt.date.fromisoformat(str(published)[:10])
            except ValueError:
                ident = r.get("id", number)
                raise ValueError(
                    f"record {ident!r}: 'published' {r.get('published')!r} is not an ISO date"
                ) from None
        docs.append(
            GoldDocument(
                id=r.get("id", number),
                text=r["text"],
                published=published,
                spans=tuple(as_mention(s) for s in r["spans"]),
            )
        )
    return docs


def evaluate_engine(
    documents: Sequence[GoldDocument], kb: KnowledgeBase, *, engine: Any = None
) -> EvaluationResult:
    """Suggest on every document (corpus names from all of them first, as a suggest run over
    a corpus does) and score the suggestions against the gold spans."""
    from .suggest.engine import CorpusNames, SuggestionEngine

    if engine is None:
        engine = SuggestionEngine(kb, use_spacy=False)
    corpus = CorpusNames()
    for doc in documents:
        corpus.add_text(doc.text)
    result = EvaluationResult()
    for doc in documents:
        predicted = engine.suggest(doc.text, published=doc.published, corpus=corpus)
        result.add_document(doc.spans, predicted, document=doc.id)
    return result


__all__ = [
    "Counts",
    "EvaluationResult",
    "GoldDocument",
    "Mention",
    "Miss",
    "Share",
    "as_mention",
    "date_bounds",
    "evaluate_engine",
    "gold_documents",
    "same_date_value",
]
