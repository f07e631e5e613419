"""Agreement between annotators' layers (annotator.core.agreement).

Three kinds of check: hand-worked cases (the arithmetic is in the comments), random layers
compared with independent implementations (scikit-learn's cohen_kappa_score and the
``krippendorff`` package, fed with token categories built here from scratch), and for
unitizing alpha the worked example of Krippendorff (2004) plus properties that must hold.
"""

from __future__ import annotations

import json
import math
import random
import warnings
from itertools import combinations

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from annotator.core import agreement_coefficients as co
from annotator.core.agreement import (
    DocumentLayers,
    Mark,
    measure,
    report_json,
    report_rows,
)
from annotator.core.formats.tokens import tokenize

LABELS = ["athlete", "date", "error", "event"]

# Ten one-letter tokens; token i is text[2i : 2i + 1].
TEN = "a b c d e f g h i j"


def pair(result, a, b):
    (found,) = [p for p in result.pairs if (p.a, p.b) == (a, b)]
    return found


# ----------------------------------------------------------------- hand-worked cases


def test_ten_tokens_kappa_alpha_and_span_f1():
    # A tags tokens 0-3 as one span [0, 7); B tags tokens 0-2 [0, 5) and token 6 [12, 13).
    #   both present: 0 1 2 (3)   both absent: 4 5 7 8 9 (5)   A only: 3   B only: 6
    # kappa: p_o = 8/10; p_A = p_B = 4/10, p_e = .4·.4 + .6·.6 = .52
    #        kappa = (.8 − .52) / (1 − .52) = .28 / .48 = 0.583333
    # alpha: 20 values, n_present = 8, n_absent = 12; the two split tokens give
    #        o(present, absent) = o(absent, present) = 2, so Σ_{c≠k} o = 4
    #        alpha = 1 − (n − 1)·4 / (2·8·12) = 1 − 76/192 = 0.604167
    # exact F1: no identical span → 2·0/(1 + 2) = 0
    # overlap F1: A's one span overlaps B's [0, 5) → P = 1/1; of B's two spans only [0, 5)
    #        overlaps A → R = 1/2; F1 = 2·1·.5/1.5 = 2/3
    doc = DocumentLayers(
        1,
        TEN,
        {
            "A": [Mark(0, 7, "athlete")],
            "B": [Mark(0, 5, "athlete"), Mark(12, 13, "athlete")],
        },
    )
    report = measure([doc])
    athlete = report.labels["athlete"]
    p = pair(athlete, "A", "B")
    assert p.kappa == pytest.approx(0.28 / 0.48)
    assert athlete.alpha == pytest.approx(1 - 76 / 192)
    assert p.exact_f1 == 0.0
    assert p.overlap_f1 == pytest.approx(2 / 3)
    # One label only: the overall categories are athlete/O, the same numbers.
    assert pair(report.overall, "A", "B").kappa == pytest.approx(0.28 / 0.48)
    assert report.overall.alpha == pytest.approx(1 - 76 / 192)
    assert report.documents == 1
    assert report.per_document[1]["athlete"] == athlete


def test_three_spans_exact_and_overlap_f1():
    # A: athlete [0, 9), athlete [15, 33), date [46, 57)
    # B: athlete [0, 9), athlete [21, 33), event [46, 57)
    # overall exact: only (0, 9, athlete) is identical → 2·1/(3 + 3) = 1/3
    # overall overlap (same label needed): A → [0, 9) and [15, 33) hit, the date does not:
    #   P = 2/3; B → [0, 9) and [21, 33) hit, the event does not: R = 2/3; F1 = 2/3
    # athlete: exact 2·1/(2 + 2) = 0.5, overlap P = R = 1 → 1.0
    # date: A 1 span, B none → exact 0, overlap 0; event likewise
    text = "Josh Kerr beat Jakob Ingebrigsten in Budapest last August."
    doc = DocumentLayers(
        7,
        text,
        {
            "A": [Mark(0, 9, "athlete"), Mark(15, 33, "athlete"), Mark(46, 57, "date")],
            "B": [Mark(0, 9, "athlete"), Mark(21, 33, "athlete"), Mark(46, 57, "event")],
        },
    )
    report = measure([doc])
    overall = pair(report.overall, "A", "B")
    assert overall.exact_f1 == pytest.approx(1 / 3)
    assert overall.overlap_f1 == pytest.approx(2 / 3)
    athlete = pair(report.labels["athlete"], "A", "B")
    assert (athlete.exact_f1, athlete.overlap_f1) == (0.5, 1.0)
    for label in ("date", "event"):
        p = pair(report.labels[label], "A", "B")
        assert (p.exact_f1, p.overlap_f1) == (0.0, 0.0)
    assert list(report.labels) == ["athlete", "date", "event"]


def test_f1_is_symmetric_and_none_without_spans():
    assert co.exact_f1(0, 0, 0) is None
    assert co.overlap_f1(0, 0, 0, 0) is None
    assert co.overlap_f1(0, 3, 0, 0) == 0.0
    assert co.overlap_f1(2, 3, 1, 4) == co.overlap_f1(1, 4, 2, 3)
    a = [Mark(0, 5, "athlete"), Mark(6, 9, "athlete"), Mark(10, 19, "event")]
    b = [Mark(0, 5, "athlete"), Mark(4, 8, "athlete")]
    forward = measure([DocumentLayers(1, TEN, {"A": a, "B": b})])
    backward = measure([DocumentLayers(1, TEN, {"A": b, "B": a})])
    for label in ("athlete", "event"):
        f, r = pair(forward.labels[label], "A", "B"), pair(backward.labels[label], "A", "B")
        assert (f.exact_f1, f.overlap_f1, f.kappa) == pytest.approx(
            (r.exact_f1, r.overlap_f1, r.kappa)
        )


def test_overall_category_is_the_shortest_covering_span_ties_by_label():
    # Token 0 ("a", [0, 1)) is covered by athlete [0, 3) and event [0, 1): event (shorter).
    # Token 1 ("b", [2, 3)) is covered by athlete [0, 3) only → athlete. Token 2 ("c"):
    # date [4, 5) and event [4, 5) are as short → date (alphabetical first).
    # B tags exactly those categories one span each, so overall kappa = alpha = 1.
    a = [Mark(0, 3, "athlete"), Mark(0, 1, "event"), Mark(4, 5, "event"), Mark(4, 5, "date")]
    b = [Mark(0, 1, "event"), Mark(2, 3, "athlete"), Mark(4, 5, "date")]
    report = measure([DocumentLayers(1, TEN, {"A": a, "B": b})])
    assert pair(report.overall, "A", "B").kappa == 1.0
    assert report.overall.alpha == 1.0


def test_error_fields_agreement():
    # A–B match on (21, 33) and (40, 44): types agree 1 of 2, corrections 2 of 2 (stripped).
    # C matches (21, 33) with A and with B: type and correction differ both times.
    # Over the 4 matched pairs: error_type 1/4, correction 2/4. The (50, 52) error of B and
    # the athlete span with the same offsets as an error are not matched.
    text = "x" * 60
    a = [
        Mark(21, 33, "error", "misspelled_name", "Ingebrigtsen"),
        Mark(40, 44, "error", "wrong_fact", " Oslo "),
        Mark(50, 52, "athlete"),
    ]
    b = [
        Mark(21, 33, "error", "misspelled_name", "Ingebrigtsen "),
        Mark(40, 44, "error", "wrong_number", "Oslo"),
        Mark(50, 52, "error", "other", None),
    ]
    c = [Mark(21, 33, "error", "misspelling", None)]
    report = measure([DocumentLayers(1, text, {"A": a, "B": b, "C": c})])
    assert report.errors.matched == 4
    assert report.errors.error_type == pytest.approx(1 / 4)
    assert report.errors.correction == pytest.approx(2 / 4)
    empty = measure([DocumentLayers(1, text, {"A": [], "B": []})])
    assert (empty.errors.matched, empty.errors.error_type, empty.errors.correction) == (
        0,
        None,
        None,
    )


def test_missing_annotators_and_undefined_measures():
    # Doc 1: A and B; doc 2: A and C; doc 3: C alone (no pair, not counted).
    # B and C never share a document: every pair measure is None for them.
    # On doc 1 nobody tags anything: kappa is undefined there (p_e = 1).
    docs = [
        DocumentLayers(1, TEN, {"A": [], "B": []}),
        DocumentLayers(2, TEN, {"A": [Mark(0, 1, "date")], "C": [Mark(0, 1, "date")]}),
        DocumentLayers(3, TEN, {"C": [Mark(2, 3, "date")]}),
    ]
    report = measure(docs)
    assert report.annotators == ("A", "B", "C")
    assert report.documents == 2
    assert set(report.per_document) == {1, 2}
    assert report.per_document[1] == {}  # no label used on doc 1
    date = report.labels["date"]
    assert [(p.a, p.b) for p in date.pairs] == [("A", "B"), ("A", "C"), ("B", "C")]
    ab, ac, bc = date.pairs
    assert (ab.exact_f1, ab.overlap_f1, ab.kappa) == (None, None, None)
    assert (ac.exact_f1, ac.overlap_f1, ac.kappa) == (1.0, 1.0, 1.0)
    assert (bc.exact_f1, bc.overlap_f1, bc.kappa) == (None, None, None)
    assert date.alpha == 1.0
    assert date.u_alpha == 1.0


def test_filters_choose_annotators_labels_and_their_order():
    doc = DocumentLayers(
        1,
        TEN,
        {
            "bob": [Mark(0, 1, "athlete"), Mark(2, 3, "date")],
            "alice": [Mark(0, 1, "athlete")],
            "carol": [Mark(4, 5, "athlete")],
        },
    )
    report = measure([doc], annotators=["bob", "alice"], labels=["athlete", "event"])
    assert report.annotators == ("bob", "alice")
    assert list(report.labels) == ["athlete", "event"]
    assert [(p.a, p.b) for p in report.labels["athlete"].pairs] == [("bob", "alice")]
    assert pair(report.labels["athlete"], "bob", "alice").exact_f1 == 1.0
    assert report.labels["event"].alpha is None  # nobody used it: one category only
    assert pair(report.overall, "bob", "alice").exact_f1 == 1.0  # the date is not selected


def test_duplicate_document_is_an_error():
    doc = DocumentLayers(1, TEN, {"A": [], "B": []})
    with pytest.raises(ValueError):
        measure([doc, doc])


# ------------------------------------------------------------ unitizing alpha (uα)

# Krippendorff (2004), Content Analysis, 2nd ed., p. 254: continuum [150, 450), two coders,
# categories c and k. The figures (D_o, D_e, uα) are the book's, as reproduced by DKPro
# Statistics' Krippendorff2004Test (dkpro/dkpro-statistics): c → 0.0144, 0.0532, 0.7286;
# k → 0.0000, 0.0490, 1.0000; both together → 0.8591 (to ±0.0005).
#   D_o for c by hand: (225,70)×(220,80): 5² + 5² = 50; (370,30)×(355,20): 15² + 25² = 850;
#   j's (400,20) lies in i's gap [400, 450): 20² = 400. Σ = 1300, D_o = 1300/300² = 0.01444.
BOOK_C = ([(225, 295), (370, 400)], [(220, 300), (355, 375), (400, 420)])
BOOK_K = ([(180, 240), (300, 350)], [(180, 240), (300, 350)])


def test_unitizing_alpha_reproduces_krippendorff_2004():
    alpha, observed, expected = co.unitizing_alpha(BOOK_C, 150, 450)
    assert observed == pytest.approx(0.0144, abs=1e-4)
    assert expected == pytest.approx(0.0532, abs=1e-4)
    assert alpha == pytest.approx(0.7286, abs=1e-4)
    alpha_k, observed_k, expected_k = co.unitizing_alpha(BOOK_K, 150, 450)
    assert (alpha_k, observed_k) == (1.0, 0.0)
    assert expected_k == pytest.approx(0.0490, abs=1e-4)
    assert 1 - (observed + observed_k) / (expected + expected_k) == pytest.approx(0.8591, abs=5e-4)


def test_unitizing_distances_match_dkpro_cases():
    # (begin, length, is unit) pairs and the distances DKPro's tests expect.
    assert co.delta2((2, 3, False), (2, 2, True)) + co.delta2((5, 6, True), (4, 7, False)) == 40
    assert co.delta2((3, 2, False), (3, 2, True)) + co.delta2((5, 6, True), (5, 6, False)) == 40
    for (b2, l2), expected in [
        ((4, 2), 26),
        ((5, 2), 16),
        ((6, 2), 10),
        ((7, 2), 8),
        ((6, 4), 2),
        ((5, 6), 0),
    ]:
        assert co.delta2((5, 6, True), (b2, l2, True)) == expected
    assert co.delta2((225, 70, True), (220, 80, True)) == 50
    assert co.delta2((370, 30, True), (355, 20, True)) == 850
    assert co.delta2((400, 50, False), (400, 20, True)) == 400


def test_unitizing_alpha_through_measure_matches_the_book():
    # The book's continuum shifted to start at 0 (uα must not depend on where it starts),
    # each coder one annotator, c and k two labels.
    def shifted(units, label):
        return [Mark(s - 150, e - 150, label) for s, e in units]

    doc = DocumentLayers(
        1,
        "x" * 300,
        {
            "i": shifted(BOOK_C[0], "c") + shifted(BOOK_K[0], "k"),
            "j": shifted(BOOK_C[1], "c") + shifted(BOOK_K[1], "k"),
        },
    )
    report = measure([doc])
    assert report.labels["c"].u_alpha == pytest.approx(0.7286, abs=1e-4)
    assert report.labels["k"].u_alpha == 1.0
    assert report.overall.u_alpha == pytest.approx(0.8591, abs=5e-4)


def test_unitizing_alpha_properties():
    rng = random.Random(4)
    for _ in range(50):
        coders = [random_units(rng, 200) for _ in range(3)]
        if not any(coders):
            continue
        alpha, _, _ = co.unitizing_alpha(coders, 0, 200)
        # symmetric in coder order
        assert co.unitizing_alpha(coders[::-1], 0, 200)[0] == pytest.approx(alpha)
        # invariant to shifting everything
        moved = [[(s + 37, e + 37) for s, e in c] for c in coders]
        assert co.unitizing_alpha(moved, 37, 237)[0] == pytest.approx(alpha)
        # perfect agreement, and a coder copied from another
        assert co.unitizing_alpha([coders[0], coders[0]], 0, 200)[0] in (1.0, None)
        if coders[0]:
            assert co.unitizing_alpha([coders[0], coders[0]], 0, 200)[0] == 1.0
    # disjoint segmentations agree no better than chance
    alpha, _, _ = co.unitizing_alpha([[(0, 10), (40, 50)], [(20, 30), (60, 70)]], 0, 100)
    assert alpha <= 0
    # overlapping units of one coder are merged first
    assert co.merge_units([(5, 9), (0, 6), (9, 12)], 0, 10) == [(0, 9), (9, 10)]
    assert co.unitizing_alpha([[], []], 0, 10)[0] is None


def random_units(rng: random.Random, length: int) -> list[tuple[int, int]]:
    units, cursor = [], rng.randrange(10)
    while cursor < length - 5 and rng.random() < 0.8:
        start = cursor + rng.randrange(15)
        end = min(length, start + 1 + rng.randrange(20))
        if start < end:
            units.append((start, end))
        cursor = end + 1
    return units


# ------------------------------------------- random layers vs independent implementations

WORDS = "Kerr beat Ingebrigtsen in the 1500m final at Budapest on 23 August , 3:29.38 .".split()
ANNOTATORS = ["alice", "bob", "carol", "dave"]


def random_documents(seed: int, count: int = 25) -> list[DocumentLayers]:
    rng = random.Random(seed)
    docs = []
    for doc_id in range(count):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 30)))
        tokens = tokenize(text)
        present = rng.sample(ANNOTATORS, rng.randint(1, len(ANNOTATORS)))
        layers = {}
        for name in present:
            marks = []
            for _ in range(rng.randint(0, 6)):
                i = rng.randrange(len(tokens))
                j = min(len(tokens) - 1, i + rng.randrange(3))
                start, end = tokens[i].start, tokens[j].end
                if rng.random() < 0.2:  # now and then a span that cuts into a token
                    end = max(start + 1, end - 1)
                marks.append(Mark(start, end, rng.choice(LABELS), rng.choice(["wrong_fact", None])))
            layers[name] = marks
        docs.append(DocumentLayers(doc_id, text, layers))
    return docs


def token_categories(doc: DocumentLayers, marks, label: str | None) -> list[str]:
    """From scratch: per label "present"/"absent"; for all labels the label of the shortest
    covering span (ties: alphabetical), else "O"."""
    out = []
    for tok in tokenize(doc.text):
        covering = [m for m in marks if m.start <= tok.start and tok.end <= m.end]
        if label is not None:
            out.append("present" if any(m.label == label for m in covering) else "absent")
        else:
            out.append(
                min(covering, key=lambda m: (m.end - m.start, m.label)).label if covering else "O"
            )
    return out


def sklearn_kappa(a: list[str], b: list[str]) -> float | None:
    if not a:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = cohen_kappa_score(a, b)
    return None if math.isnan(value) else float(value)


def package_alpha(docs, label: str | None) -> float | None:
    columns, codes = [], {}
    for doc in docs:
        if len(doc.layers) < 2:
            continue
        per = {name: token_categories(doc, doc.layers[name], label) for name in doc.layers}
        for t in range(len(tokenize(doc.text))):
            columns.append(
                [
                    codes.setdefault(per[name][t], len(codes)) if name in per else np.nan
                    for name in ANNOTATORS
                ]
            )
    if not columns:
        return None
    data = np.array(columns, dtype=float).T
    try:
        return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    except ValueError:  # one value in the domain: alpha undefined
        return None


def brute_f1(docs, a: str, b: str, label: str | None):
    def keep(m):
        return label is None or m.label == label

    matched = n_a = n_b = hit_a = hit_b = 0
    for doc in docs:
        if a not in doc.layers or b not in doc.layers:
            continue
        sa = [m for m in doc.layers[a] if keep(m)]
        sb = [m for m in doc.layers[b] if keep(m)]
        n_a, n_b = n_a + len(sa), n_b + len(sb)
        pool = [(m.start, m.end, m.label) for m in sb]
        for m in sa:
            if (m.start, m.end, m.label) in pool:
                pool.remove((m.start, m.end, m.label))
                matched += 1

        def overlaps(x, ys):
            return any(y.label == x.label and max(x.start, y.start) < min(x.end, y.end) for y in ys)

        hit_a += sum(overlaps(m, sb) for m in sa)
        hit_b += sum(overlaps(m, sa) for m in sb)
    if n_a + n_b == 0:
        return None, None
    exact = 2 * matched / (n_a + n_b)
    if not (n_a and n_b and hit_a and hit_b):
        return exact, 0.0
    p, r = hit_a / n_a, hit_b / n_b
    return exact, 2 * p * r / (p + r)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_random_layers_against_sklearn_and_krippendorff(seed):
    docs = random_documents(seed)
    report = measure(docs)
    assert report.documents == sum(len(d.layers) >= 2 for d in docs)
    scopes = [(name, report.labels[name]) for name in report.labels] + [(None, report.overall)]
    for label, result in scopes:
        for a, b in combinations(report.annotators, 2):
            shared = [d for d in docs if a in d.layers and b in d.layers]
            ya = [c for d in shared for c in token_categories(d, d.layers[a], label)]
            yb = [c for d in shared for c in token_categories(d, d.layers[b], label)]
            p = pair(result, a, b)
            expected = sklearn_kappa(ya, yb)
            if expected is None:
                assert p.kappa is None
            else:
                assert p.kappa == pytest.approx(expected, abs=1e-9)
            exact, overlap = brute_f1(docs, a, b, label)
            assert p.exact_f1 == pytest.approx(exact)
            assert p.overlap_f1 == pytest.approx(overlap)
        expected_alpha = package_alpha(docs, label)
        if expected_alpha is None:
            assert result.alpha is None
        else:
            assert result.alpha == pytest.approx(expected_alpha, abs=1e-9)


def test_random_documents_per_document_match_a_single_document_run():
    docs = random_documents(9)
    report = measure(docs)
    for doc in docs:
        if len(doc.layers) < 2:
            continue
        alone = measure([doc])
        assert set(report.per_document[doc.document_id]) == set(alone.labels)
        for label, result in report.per_document[doc.document_id].items():
            assert result == alone.labels[label]


def test_label_order_and_generator_input_do_not_change_results():
    docs = random_documents(11)
    from_list = measure(docs)
    from_generator = measure(d for d in reversed(docs))
    assert from_list.documents == from_generator.documents
    for label in from_list.labels:
        for p, q in zip(
            from_list.labels[label].pairs, from_generator.labels[label].pairs, strict=True
        ):
            for name in ("exact_f1", "overlap_f1", "kappa"):
                x, y = getattr(p, name), getattr(q, name)
                assert (x is None and y is None) or x == pytest.approx(y)
        for name in ("alpha", "u_alpha"):
            x, y = (
                getattr(from_list.labels[label], name),
                getattr(from_generator.labels[label], name),
            )
            assert (x is None and y is None) or x == pytest.approx(y)


# ---------------------------------------------------------------------------- output


def test_report_json_schema():
    docs = [
        DocumentLayers(3, TEN, {"A": [Mark(0, 1, "athlete")], "B": [Mark(0, 1, "athlete")]}),
        DocumentLayers(4, TEN, {"A": [], "B": [Mark(2, 3, "date")]}),
    ]
    out = report_json(measure(docs))
    json.dumps(out)  # plain JSON types only
    assert {"annotators", "labels", "documents"} <= set(out)
    assert set(out) == {"annotators", "labels", "documents", "overall", "errors", "per_document"}
    assert out["annotators"] == ["A", "B"]
    assert out["documents"] == 2
    assert set(out["labels"]) == {"athlete", "date"}
    for label in out["labels"].values():
        assert set(label) == {"pairs", "alpha", "u_alpha"}
        for p in label["pairs"]:
            assert set(p) == {"a", "b", "exact_f1", "overlap_f1", "kappa"}
    assert out["labels"]["athlete"]["pairs"] == [
        {"a": "A", "b": "B", "exact_f1": 1.0, "overlap_f1": 1.0, "kappa": 1.0}
    ]
    date = out["labels"]["date"]["pairs"][0]
    assert date["exact_f1"] == 0.0 and date["kappa"] == 0.0
    assert set(out["errors"]) == {"matched", "error_type", "correction"}
    assert out["errors"]["error_type"] is None
    assert set(out["per_document"]) == {"3", "4"}
    assert set(out["per_document"]["4"]) == {"date"}
    assert "null" in json.dumps(out)


def test_report_rows_are_flat():
    doc = DocumentLayers(3, TEN, {"A": [Mark(0, 1, "athlete")], "B": [Mark(0, 1, "athlete")]})
    rows = report_rows(measure([doc]))
    columns = ["scope", "document", "label", "a", "b", "measure", "value"]
    assert all(list(row) == columns for row in rows)
    assert {row["scope"] for row in rows} == {"overall", "label", "document"}
    kappa = [r for r in rows if r["scope"] == "label" and r["measure"] == "kappa"]
    assert kappa == [
        {
            "scope": "label",
            "document": None,
            "label": "athlete",
            "a": "A",
            "b": "B",
            "measure": "kappa",
            "value": 1.0,
        }
    ]
    assert any(r["scope"] == "document" and r["document"] == 3 for r in rows)


# ------------------------------------------- the fast paths against the reference forms


def test_unit_distance_sum_matches_the_walk_over_sections():
    # measure() never builds the gaps: Σ δ² from the units alone must equal the sum over
    # every pair of sections, and gap_lengths the gap sections' lengths.
    rng = random.Random(12)
    for _ in range(300):
        length = rng.randint(1, 120)
        a = co.merge_units(random_units(rng, length), 0, length)
        b = co.merge_units(random_units(rng, length) if rng.random() < 0.8 else a, 0, length)
        cut_a, cut_b = co.sections(a, 0, length), co.sections(b, 0, length)
        assert co.unit_distance_sum(a, b) == co.observed_sum(cut_a, cut_b)
        assert co.unit_distance_sum(b, a) == co.observed_sum(cut_b, cut_a)
        assert co.gap_lengths(a, 0, length) == [n for _, n, unit in cut_a if not unit]


def test_binary_kappa_is_cohen_kappa_of_the_two_by_two_table():
    from annotator.core.agreement_counts import binary_kappa

    rng = random.Random(13)
    cases = [(0, 0, 0, 0), (5, 0, 0, 0), (0, 0, 0, 7), (3, 0, 0, 4), (0, 2, 3, 0)]
    cases += [tuple(rng.choice([0, 1, 2, 5, 40, 1000]) for _ in range(4)) for _ in range(300)]
    for both, only_a, only_b, neither in cases:
        table = {("x", "x"): both, ("x", "O"): only_a, ("O", "x"): only_b, ("O", "O"): neither}
        assert binary_kappa(both, only_a, only_b, neither) == co.cohen_kappa(table)


def test_unitizing_alpha_of_one_document_matches_unitizing_alpha():
    # Overlapping and repeated spans, spans cutting into tokens (random_documents) and spans
    # running past the end of the text all go through the reference's merging.
    for seed in range(20, 30):
        for doc in random_documents(seed, count=8):
            if len(doc.layers) < 2:
                continue
            layers = {
                name: [*marks, Mark(len(doc.text) - 2, len(doc.text) + 5, "date")]
                if i == 0 and seed % 2
                else marks
                for i, (name, marks) in enumerate(sorted(doc.layers.items()))
            }
            report = measure([DocumentLayers(doc.document_id, doc.text, layers)])
            for label, result in report.labels.items():
                units = [
                    [(m.start, m.end) for m in marks if m.label == label]
                    for marks in layers.values()
                ]
                expected, _, _ = co.unitizing_alpha(units, 0, len(doc.text))
                if expected is None:
                    assert result.u_alpha is None
                else:
                    assert result.u_alpha == pytest.approx(expected, abs=1e-12)


def test_pooled_unitizing_alpha_matches_a_count_from_scratch():
    # Over documents some annotators did not annotate: D_o averages the pairs, each over
    # the documents both annotated; D_e counts every unit and gap of every annotator.
    docs = random_documents(31, count=30)
    report = measure(docs)
    for label, result in report.labels.items():
        pair_sums: dict[tuple[str, str], list[int]] = {}
        units: dict[int, int] = {}
        gaps: dict[int, int] = {}
        coded = length = 0
        for doc in docs:
            if len(doc.layers) < 2:
                continue
            n = len(doc.text)
            cut = {
                name: co.sections(
                    co.merge_units([(m.start, m.end) for m in marks if m.label == label], 0, n),
                    0,
                    n,
                )
                for name, marks in doc.layers.items()
            }
            for a, b in combinations(sorted(cut), 2):
                sums = pair_sums.setdefault((a, b), [0, 0])
                sums[0] += co.observed_sum(cut[a], cut[b])
                sums[1] += n
            for sections in cut.values():
                for _, size, is_unit in sections:
                    counts = units if is_unit else gaps
                    counts[size] = counts.get(size, 0) + 1
            coded += len(cut) * n
            length += n
        shares = [s / n**2 for s, n in pair_sums.values() if n]
        observed = sum(shares) / len(shares)
        expected = co.expected_disagreement(units, gaps, coded, length)
        if expected > 0:
            assert result.u_alpha == pytest.approx(1 - observed / expected, abs=1e-12)
        else:
            assert result.u_alpha is None


def test_per_document_figures_read_like_a_dict():
    # Kept packed (floats in an array, None as NaN) and rebuilt on access.
    docs = random_documents(17)
    report = measure(docs)
    plain = {doc: dict(labels) for doc, labels in report.per_document.items()}
    assert list(report.per_document) == list(plain)
    assert len(report.per_document) == report.documents == len(plain)
    assert report.per_document == plain
    for doc, labels in plain.items():
        assert doc in report.per_document
        assert report.per_document[doc] == labels
        for result in labels.values():
            values = [result.alpha, result.u_alpha]
            values += [v for p in result.pairs for v in (p.exact_f1, p.overlap_f1, p.kappa)]
            assert not any(isinstance(v, float) and math.isnan(v) for v in values)
    missing = max(plain) + 1
    assert missing not in report.per_document
    with pytest.raises(KeyError):
        report.per_document[missing]


TRICKY = [
    "Kerr", "Ingebrigtsen", "Nordås", "Norda\u030as", "e\u0301te\u0301", "O'Brien", "Kerr's",
    "Kerr’s", "Kerr'", "'s", "s'", "rock-'n'-roll", "half-marathon", "-", "--", "3:29.38",
    "1,500", "12.5", "1500m", "23rd", "x2", "snake_case", "_", "²", "½", "Ⅻ", "(report", "1)",
    "“brutal”", "...", "!?", "👍🏽", "👨\u200d👩\u200d👧", "❤\ufe0f", "#\ufe0f\u20e3", "东京马拉松",
    "東京", "ﬁnal", "ǅemal", "\u0301", "a\u200db", "\u00ad",
]  # fmt: skip
SPACES = [" ", " ", " ", "\n", "\t", "\u00a0", "\u2009", "\u3000", "  ", "\n\n", ""]


def tricky_text(rng: random.Random) -> str:
    return "".join(rng.choice(TRICKY) + rng.choice(SPACES) for _ in range(rng.randint(0, 40)))


@pytest.mark.parametrize("short_cut", [True, False])
def test_token_counts_and_coverage_are_tokenizes(monkeypatch, short_cut):
    # measure() does not call tokenize(): it counts the tokens of a text and finds those a
    # span covers (each named by its start) as cheaply as it can. Both ways, the tokens
    # must be tokenize()'s.
    from pathlib import Path

    from annotator.core import agreement_tokens

    monkeypatch.setattr(agreement_tokens, "_SHORT_CUT", short_cut)
    rng = random.Random(14)
    texts = [tricky_text(rng) for _ in range(400)]
    texts += ["", " ", "东京马拉松" * 30 + " x", "a" * 150 + " b'c", TEN]
    gold = Path(__file__).resolve().parents[1] / "data" / "eval" / "gold.jsonl"
    texts += [json.loads(line)["text"] for line in gold.read_text(encoding="utf-8").splitlines()]
    for text in texts:
        tokens = tokenize(text)
        found = agreement_tokens.Tokens(text)
        assert found.count == len(tokens), text
        for _ in range(30):
            start = rng.randint(-2, len(text) + 2)
            end = rng.randint(start, len(text) + 3)
            if rng.random() < 0.5 and tokens:  # spans on token bounds, as most are
                first = rng.randrange(len(tokens))
                last = rng.randrange(first, min(len(tokens), first + 4))
                start, end = tokens[first].start, tokens[last].end
            inside = [t.start for t in tokens if start <= t.start and t.end <= end]
            assert found.covered(start, end) == inside, (text, start, end)


def test_the_short_cut_is_taken_for_this_tokenizer():
    # The short cut relies on properties of tokenize()'s pattern (see Tokens); a changed
    # pattern silently takes the slower path. If this fails, the tokenizer changed: check
    # that the properties still hold, then update _CHECKED_PATTERN.
    from annotator.core import agreement_tokens

    assert agreement_tokens._SHORT_CUT
