"""The counts behind the agreement figures: one document's, and their sums over documents.

``measure`` (annotator.core.agreement) hands each document to a ``Pool``, which keeps one
``Scope`` per label plus one for all labels together and returns the document's own figures.
A scope holds integers only, so pooling is exact, a document's figures come from the same
integers a corpus of that one document would give, and a label nobody used on a document
can be counted once for all labels (``Scope.add_unused``).

Speed matters (tens of thousands of documents, all in Python): no Token objects are made
and the tokenizer's pattern is matched as little as it can be (agreement_tokens); each distinct
span's tokens are found once per document; per label, the kappa and alpha counts follow
from the sizes of the annotators' sets of covered tokens; the spans two annotators share
exactly are set aside before the pair's overlaps and unitizing distances are worked out;
tokens nobody covered are only ever a number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import repeat
from operator import add, itemgetter
from typing import Any

from annotator.core import agreement_coefficients as co
from annotator.core.agreement_tokens import Tokens

OUTSIDE = "O"

Pair = tuple[str, str]
PairFigures = tuple[float | None, float | None, float | None]  # exact F1, overlap F1, kappa
#: One scope's figures: per pair (exact F1, overlap F1, kappa), alpha, unitizing alpha.
Figures = tuple[tuple[PairFigures, ...], float | None, float | None]
Span = tuple[int, int]

_priority = itemgetter(0, 1)  # (length, label): the shortest span counts, ties by label


# A pair's counts in a scope, summed over documents: span matches (exact matches, spans of
# a, spans of b, a's spans overlapping one of b's, b's overlapping one of a's); unitizing
# (Σ δ² between the two segmentations, characters both segmented); for a label, its tokens
# by who covers them (both, a only, b only, neither).
EXACT, N_A, N_B, HIT_A, HIT_B, U_SUM, U_LENGTH, BOTH, ONLY_A, ONLY_B, NEITHER = range(11)
_NO_COUNTS = (0,) * 11


class Scope:
    """What one scope (a label, or all labels together) counts, summed over documents."""

    __slots__ = (
        "coded",
        "differing",
        "gap_lengths",
        "label",
        "length",
        "pairs",
        "tokens",
        "unit_lengths",
        "values",
    )

    def __init__(self, label: str | None) -> None:
        self.label = label  # None: all labels together
        self.pairs: dict[Pair, list[int]] = {}  # pair -> counts (EXACT ... NEITHER)
        #: All labels only: (annotators, their categories of a token) -> how many tokens
        self.tokens: Counter[tuple[tuple[str, ...], tuple[str, ...]]] = Counter()
        self.values: dict[str, int] = {}  # a label's alpha: n_c (as co.count_unit counts)
        self.differing: dict[int, int] = {}  # ... and differing pairs per m
        self.unit_lengths: Counter[int] = Counter()  # unit length -> how many
        self.gap_lengths: Counter[int] = Counter()  # gap length -> how many
        self.coded = 0  # mL: characters times annotators
        self.length = 0  # L

    def add(self, other: Scope) -> None:
        for pair, counts in other.pairs.items():
            _add_into(self.pairs, pair, counts)
        self.tokens.update(other.tokens)
        _add_counts(self.values, other.values)
        _add_counts(self.differing, other.differing)
        self.unit_lengths.update(other.unit_lengths)
        self.gap_lengths.update(other.gap_lengths)
        self.coded += other.coded
        self.length += other.length

    def add_unused(
        self, coders: tuple[str, ...], pairs: Sequence[Pair], tokens: int, length: int
    ) -> None:
        """Count a document on which nobody used the scope's label: every token outside,
        each annotator's segmentation one gap, no spans."""
        for pair in pairs:
            counts = self.pairs.get(pair)
            if counts is None:
                counts = self.pairs[pair] = list(_NO_COUNTS)
            counts[U_LENGTH] += length
            counts[NEITHER] += tokens
        self.values[OUTSIDE] = self.values.get(OUTSIDE, 0) + len(coders) * tokens
        if length:
            self.gap_lengths[length] += len(coders)
        self.coded += len(coders) * length
        self.length += length

    def u_disagreements(self) -> tuple[float, float]:
        """(D_o, D_e) of unitizing alpha; D_o averages the pairs, each over what both coded."""
        observed = _observed(
            [c[U_SUM] / c[U_LENGTH] ** 2 for c in self.pairs.values() if c[U_LENGTH] > 0]
        )
        # Lengths counted and taken back again have a count of 0 here: they add nothing.
        expected = co.expected_disagreement(
            self.unit_lengths, self.gap_lengths, self.coded, self.length
        )
        return observed, expected

    def figures(self, pairs: Sequence[Pair]) -> Figures:
        """The figures for ``pairs``; unitizing alpha is None for all labels together (it is
        made of the labels' own, see measure)."""
        confusion: dict[Pair, dict[tuple[str, str], int]] = {}
        values, differing = self.values, self.differing
        if self.label is None:  # the tables and alpha's counts, from the tokens' categories
            values, differing = {}, {}
            for (coders, unit), n in self.tokens.items():
                for i in range(len(coders)):
                    for j in range(i + 1, len(coders)):
                        table = confusion.setdefault((coders[i], coders[j]), {})
                        table[unit[i], unit[j]] = table.get((unit[i], unit[j]), 0) + n
                co.count_unit(values, differing, unit, n)
        out = []
        for pair in pairs:
            c = self.pairs.get(pair, _NO_COUNTS)
            if self.label is None:
                kappa = co.cohen_kappa(confusion.get(pair, {}))
            else:
                kappa = binary_kappa(c[BOTH], c[ONLY_A], c[ONLY_B], c[NEITHER])
            out.append(
                (
                    co.exact_f1(c[EXACT], c[N_A], c[N_B]),
                    co.overlap_f1(c[HIT_A], c[N_A], c[HIT_B], c[N_B]),
                    kappa,
                )
            )
        alpha = co.nominal_alpha(values, differing)
        u_alpha = None if self.label is None else _u_alpha(*self.u_disagreements())
        return tuple(out), alpha, u_alpha


def binary_kappa(both: int, only_a: int, only_b: int, neither: int) -> float | None:
    """co.cohen_kappa of the 2×2 table {(x, x): both, (x, O): only_a, (O, x): only_b,
    (O, O): neither}, in the same integers (so the same float), without building it."""
    total = both + only_a + only_b + neither
    chance = (both + only_a) * (both + only_b) + (only_b + neither) * (only_a + neither)
    denominator = total * total - chance
    if total == 0 or denominator == 0:
        return None
    return (total * (both + neither) - chance) / denominator


def _add_into(table: dict[Any, list[int]], key: Any, counts: Iterable[int]) -> None:
    have = table.get(key)
    if have is None:
        table[key] = list(counts)
    else:
        have[:] = map(add, have, counts)


def _add_counts(mine: dict[Any, int], theirs: Mapping[Any, int]) -> None:
    for key, n in theirs.items():
        mine[key] = mine.get(key, 0) + n


def _observed(shares: list[float]) -> float:
    return sum(shares) / len(shares) if shares else 0.0


def _u_alpha(observed: float, expected: float) -> float | None:
    return 1.0 - observed / expected if expected > 0 else None


# ---------------------------------------------------------------------- one document


class _Layer:
    """One annotator's spans of one label on one document, in the forms the measures need."""

    __slots__ = ("covered", "keys", "keyset", "units")

    def __init__(self, placed: list[tuple[int, int, list[int]]], length: int) -> None:
        self.keys: list[Span] = sorted([(s, e) for s, e, _ in placed])
        self.keyset = set(self.keys)
        self.covered: set[int] = set()  # the tokens the spans cover, by start offset
        for _, _, tokens in placed:
            self.covered.update(tokens)
        self.units = _units(self.keys, length)

    @property
    def plain(self) -> bool:
        """No two spans overlap or repeat, none is empty or leaves the text: the spans are
        their own units."""
        return self.units is self.keys


def _units(keys: list[Span], length: int) -> list[Span]:
    """co.merge_units(keys, 0, length) for sorted ``keys``; ``keys`` itself in the usual case
    of spans that neither overlap nor leave the text."""
    last = 0
    for s, e in keys:
        if s < last or e <= s:
            return co.merge_units(keys, 0, length)
        last = e
    return keys if last <= length else co.merge_units(keys, 0, length)


def _hits(spans: list[Span], others: list[Span]) -> int:
    """How many of ``spans`` overlap one of ``others`` (both sorted, neither overlapping
    itself, so one pass over each)."""
    hits = j = 0
    n = len(others)
    for s, e in spans:
        while j < n and others[j][1] <= s:
            j += 1
        if j < n and others[j][0] < e:
            hits += 1
    return hits


def _pair_counts(a: _Layer, b: _Layer) -> list[int]:
    """[exact, n_a, n_b, hit_a, hit_b, Σ δ²] for two annotators' spans of one label."""
    if a.keys == b.keys:  # the same spans: each overlaps its twin, the units coincide
        hit = sum(1 for s, e in a.keys if s < e)
        return [len(a.keys), len(a.keys), len(a.keys), hit, hit, 0]
    if a.plain and b.plain:
        # A span both have overlaps its twin and nothing else of the other's (the other's
        # spans do not overlap one another), so only the rest need comparing.
        common = a.keyset & b.keyset
        rest_a = [k for k in a.keys if k not in common]
        rest_b = [k for k in b.keys if k not in common]
        return [
            len(common),
            len(a.keys),
            len(b.keys),
            len(common) + _hits(rest_a, rest_b),
            len(common) + _hits(rest_b, rest_a),
            co.unit_distance_sum(rest_a, rest_b),
        ]
    if len(a.keyset) == len(a.keys) and len(b.keyset) == len(b.keys):
        exact = len(a.keyset & b.keyset)
    else:
        exact = sum((Counter(a.keys) & Counter(b.keys)).values())
    hit_a = co.count_overlapping(a.keys, b.keys)
    hit_b = co.count_overlapping(b.keys, a.keys)
    u_sum = co.unit_distance_sum(a.units, b.units)
    return [exact, len(a.keys), len(b.keys), hit_a, hit_b, u_sum]


class Pool:
    """Every scope's counts over the documents added so far."""

    def __init__(self, labels: Iterable[str] = ()) -> None:
        self.base = Scope("")  # every document as if no label were used on it
        self.labels: dict[str, Scope] = {name: Scope(name) for name in labels}
        self.overall = Scope(None)

    def scope(self, label: str) -> Scope:
        """A label's counts: the base plus what the documents that used it changed."""
        tally = Scope(label)
        tally.add(self.base)
        if label in self.labels:
            tally.add(self.labels[label])
        return tally

    def add_document(
        self,
        text: str,
        layers: Mapping[str, Sequence[Any]],
        coders: tuple[str, ...],
        pairs: Sequence[Pair],
    ) -> list[tuple[str, Figures]]:
        """Count one document (``layers``: each of ``coders``' spans, anything with start,
        end and label; ``pairs``: every pair of ``coders``, each in the order to report it);
        returns its figures per label used on it, in label order."""
        tokenized = Tokens(text)
        known = tokenized.known  # most spans recur in every layer: found once
        tokens, length = tokenized.count, len(text)
        placed: list[dict[str, list[tuple[int, int, list[int]]]]] = []
        painting: list[list[tuple[int, str, list[int]]]] = []
        for coder in coders:
            by_label: dict[str, list[tuple[int, int, list[int]]]] = {}
            paint = []
            for mark in layers[coder]:
                s, e, label = mark.start, mark.end, mark.label
                covers = known.get((s, e))
                if covers is None:
                    covers = tokenized.covered(s, e)
                found = by_label.get(label)
                if found is None:
                    by_label[label] = [(s, e, covers)]
                else:
                    found.append((s, e, covers))
                if covers:
                    paint.append((e - s, label, covers))
            placed.append(by_label)
            painting.append(paint)
        where = {coder: i for i, coder in enumerate(coders)}
        index_pairs = [(where[a], where[b]) for a, b in pairs]
        # A label nobody used here adds the same as no label at all: counted once in the
        # base and, for the labels used here, swapped for what they add (so each label's
        # scope holds the difference).
        self.base.add_unused(coders, pairs, tokens, length)
        overall = self.overall.pairs
        for pair in pairs:
            if pair not in overall:
                overall[pair] = list(_NO_COUNTS)
        results = []
        for label in sorted({label for by_label in placed for label in by_label}):
            mine = [_Layer(by_label.get(label, []), length) for by_label in placed]
            figures = self._add_label(label, mine, pairs, index_pairs, tokens, length)
            results.append((label, figures))
        self._add_categories(coders, painting, tokens)
        return results

    def _add_label(
        self,
        label: str,
        mine: list[_Layer],
        pairs: Sequence[Pair],
        index_pairs: list[tuple[int, int]],
        tokens: int,
        length: int,
    ) -> Figures:
        """One label on one document: into its scope (minus what ``add_unused`` counted)
        and the overall span counts; returns the document's figures for the label."""
        scope = self.labels.get(label)
        if scope is None:
            scope = self.labels[label] = Scope(label)
        overall = self.overall.pairs
        m = len(mine)
        # A token is "label" for the annotators covering it, outside for the others: each
        # pair's table and alpha's counts follow from the sizes of the covered sets.
        present = sum(len(layer.covered) for layer in mine)
        differing = 0
        per_pair = []
        observed = []
        for pair, (i, j) in zip(pairs, index_pairs, strict=True):
            a, b = mine[i], mine[j]
            counts = _pair_counts(a, b)
            exact, n_a, n_b, hit_a, hit_b, u_sum = counts
            total = overall[pair]
            total[: HIT_B + 1] = map(add, total[: HIT_B + 1], counts[: HIT_B + 1])
            both = len(a.covered & b.covered) if a.covered and b.covered else 0
            only_a, only_b = len(a.covered) - both, len(b.covered) - both
            differing += 2 * (only_a + only_b)  # ordered pairs of annotators that differ
            counts += (0, both, only_a, only_b, -(both + only_a + only_b))
            _add_into(scope.pairs, pair, counts)
            neither = tokens - both - only_a - only_b
            per_pair.append(
                (
                    co.exact_f1(exact, n_a, n_b),
                    co.overlap_f1(hit_a, n_a, hit_b, n_b),
                    binary_kappa(both, only_a, only_b, neither),
                )
            )
            if length:
                observed.append(u_sum / length**2)
        scope.values[label] = scope.values.get(label, 0) + present
        scope.values[OUTSIDE] = scope.values.get(OUTSIDE, 0) - present
        scope.differing[m] = scope.differing.get(m, 0) + differing
        alpha = co.nominal_alpha({label: present, OUTSIDE: m * tokens - present}, {m: differing})
        unit_lengths = [e - s for layer in mine for s, e in layer.units]
        gap_lengths = [g for layer in mine for g in co.gap_lengths(layer.units, 0, length)]
        scope.unit_lengths.update(unit_lengths)
        scope.gap_lengths.update(gap_lengths)
        if length:
            scope.gap_lengths[length] -= m
        expected = co.expected_disagreement(
            Counter(unit_lengths), Counter(gap_lengths), m * length, length
        )
        return tuple(per_pair), alpha, _u_alpha(_observed(observed), expected)

    def _add_categories(
        self, coders: tuple[str, ...], painting: list[list[tuple[int, str, list[int]]]], tokens: int
    ) -> None:
        """All labels: a token's category is the label of the shortest span covering it
        (ties: the label first in alphabetical order). Spans paint their tokens in the
        opposite order, so the one that counts paints last."""
        columns = []
        for paint in painting:
            paint.sort(key=_priority, reverse=True)
            column: dict[int, str] = {}
            for _, label, covers in paint:
                column.update(zip(covers, repeat(label)))
            columns.append(column)
        covered = list(set().union(*columns))
        rows = zip(*(list(map(col.get, covered, repeat(OUTSIDE))) for col in columns), strict=True)
        counted = self.overall.tokens
        for unit, n in Counter(rows).items():
            counted[coders, unit] += n
        if len(covered) < tokens:
            counted[coders, (OUTSIDE,) * len(coders)] += tokens - len(covered)
