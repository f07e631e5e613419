"""The agreement coefficients themselves, on plain counts (used by annotator.core.agreement).

Pure functions, no knowledge of documents or annotators, so each one can be checked on its own:

- span F1 from match counts (exact and overlap);
- Cohen's kappa from a confusion table;
- Krippendorff's alpha (nominal) from the units' values (coincidences counted in integers);
- Krippendorff's unitizing alpha (uα) from segmentations of a continuum, as defined in
  Krippendorff, *Content Analysis* (2nd ed. 2004, section 11.6; example p. 254) and
  "Measuring the reliability of qualitative text analysis data" (Quality & Quantity 38, 2004).

Every coefficient returns None where it is undefined (no data, or expected disagreement 0).
the README's Agreement section gives the formulas with worked examples.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

# ---------------------------------------------------------------------------- span F1


def exact_f1(matched: int, n_a: int, n_b: int) -> float | None:
    """2·matched / (|A| + |B|): the harmonic mean of P = matched/|A| and R = matched/|B|."""
    if n_a + n_b == 0:
        return None
    return 2 * matched / (n_a + n_b)


def overlap_f1(hit_a: int, n_a: int, hit_b: int, n_b: int) -> float | None:
    """P = hit_a/|A|, R = hit_b/|B| (spans of one side overlapping some span of the other);
    F1 is their harmonic mean, 0.0 when either side is empty or nothing overlaps."""
    if n_a + n_b == 0:
        return None
    if n_a == 0 or n_b == 0 or hit_a == 0 or hit_b == 0:
        return 0.0
    p, r = hit_a / n_a, hit_b / n_b
    return 2 * p * r / (p + r)


def count_overlapping(spans: Sequence[tuple[int, int]], others: Sequence[tuple[int, int]]) -> int:
    """How many of ``spans`` share at least one character with some span of ``others``."""
    if not spans or not others:
        return 0
    ordered = sorted(others)
    starts = [s for s, _ in ordered]
    reach = []  # reach[i]: the furthest end among ordered[: i + 1]
    furthest = -1
    for _, e in ordered:
        furthest = max(furthest, e)
        reach.append(furthest)
    hits = 0
    for s, e in spans:
        i = bisect_left(starts, e)  # the others starting before this span ends
        if s < e and i and reach[i - 1] > s:
            hits += 1
    return hits


# ----------------------------------------------------------------- kappa and alpha


def cohen_kappa(confusion: Mapping[tuple[str, str], int]) -> float | None:
    """Cohen's kappa from {(category of A, category of B): count}.

    kappa = (p_o − p_e) / (1 − p_e), computed in integers as (N·Σ agree − Σ row·col) /
    (N² − Σ row·col). None when there are no items or p_e = 1 (both annotators used one and
    the same category throughout; scikit-learn returns nan there).
    """
    rows: Counter[str] = Counter()
    cols: Counter[str] = Counter()
    agree = total = 0
    for (a, b), n in confusion.items():
        rows[a] += n
        cols[b] += n
        total += n
        if a == b:
            agree += n
    chance = sum(rows[c] * cols[c] for c in rows)
    denominator = total * total - chance
    if total == 0 or denominator == 0:
        return None
    return (total * agree - chance) / denominator


def count_unit(
    values: dict[str, int], differing: dict[int, int], unit: Sequence[str], times: int = 1
) -> None:
    """Count ``times`` units whose values (one per annotator who coded them) are ``unit``:
    each value into ``values`` {c: n_c}, and into ``differing`` {m: how many} the ordered
    pairs of different values of units with m values. Units with fewer than two values are
    not pairable and add nothing.

    A unit with m values adds 1/(m − 1) to o_ck for each such pair (c ≠ k); keeping the
    pairs in integers per m and dividing once in ``nominal_alpha`` makes the sums exact and
    independent of the order of the units."""
    m = len(unit)
    if m < 2 or not times:
        return
    first = unit[0]
    if unit.count(first) == m:  # the usual unit: everyone agrees
        values[first] = values.get(first, 0) + m * times
        return
    same = 0
    for c, n_c in Counter(unit).items():
        values[c] = values.get(c, 0) + n_c * times
        same += n_c * (n_c - 1)
    differing[m] = differing.get(m, 0) + (m * (m - 1) - same) * times


def nominal_alpha(values: Mapping[str, int], differing: Mapping[int, int]) -> float | None:
    """Krippendorff's alpha (nominal) from ``count_unit``'s counts:
    alpha = 1 − (n − 1)·Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k. None when fewer than two pairable
    values or only one category occurs (expected disagreement 0)."""
    n = sum(values.values())
    expected = n * n - sum(v * v for v in values.values())  # Σ_{c≠k} n_c·n_k
    if n < 2 or expected == 0:
        return None
    observed = sum(differing[m] / (m - 1) for m in sorted(differing))  # Σ_{c≠k} o_ck
    return 1.0 - (n - 1) * observed / expected


# ----------------------------------------------------------------- unitizing alpha

Section = tuple[int, int, bool]  # (begin, length, is a unit of the category; else a gap)


def merge_units(spans: Iterable[tuple[int, int]], begin: int, end: int) -> list[tuple[int, int]]:
    """One coder's units of one category: clipped to [begin, end), empty ones dropped,
    overlapping ones merged (abutting units stay apart, as in Krippendorff's model)."""
    merged: list[list[int]] = []
    for s, e in sorted((max(s, begin), min(e, end)) for s, e in spans):
        if s >= e:
            continue
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def sections(units: Sequence[tuple[int, int]], begin: int, end: int) -> list[Section]:
    """The continuum [begin, end) cut into the (merged) units and the gaps between them."""
    out: list[Section] = []
    cursor = begin
    for s, e in units:
        if s > cursor:
            out.append((cursor, s - cursor, False))
        out.append((s, e - s, True))
        cursor = e
    if cursor < end:
        out.append((cursor, end - cursor, False))
    return out


def delta2(g: Section, h: Section) -> int:
    """Krippendorff's squared distance between section g of one coder and h of another:
    two overlapping units → (b_g − b_h)² + (e_g − e_h)²; a unit lying wholly inside a gap of
    the other → its length²; anything else → 0."""
    bg, lg, ug = g
    bh, lh, uh = h
    diff = bg - bh
    if ug and uh:
        return diff * diff + (diff + lg - lh) ** 2 if -lg < diff < lh else 0
    if ug and not uh:
        return lg * lg if 0 <= diff <= lh - lg else 0
    if uh and not ug:
        return lh * lh if 0 <= -diff <= lg - lh else 0
    return 0


def observed_sum(a: Sequence[Section], b: Sequence[Section]) -> int:
    """Σ δ² over every pair of sections of two segmentations of the same continuum (pairs that
    share no position contribute 0, so only overlapping pairs are visited)."""
    total = i = j = 0
    while i < len(a) and j < len(b):
        total += delta2(a[i], b[j])
        end_a, end_b = a[i][0] + a[i][1], b[j][0] + b[j][1]
        if end_a <= end_b:
            i += 1
        if end_b <= end_a:
            j += 1
    return total


def unit_distance_sum(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
    """What ``observed_sum`` gives for the sections of two coders' merged units ``a`` and
    ``b`` (each sorted, none overlapping another of its own list), from the units alone:
    Σ over overlapping pairs of (Δ start)² + (Δ end)², plus length² for each unit that
    overlaps no unit of the other coder (it lies wholly in one of their gaps). Gaps against
    gaps add nothing, so they are never built."""
    if a == b:
        return 0
    total = i = j = 0
    hit_a = [False] * len(a)
    hit_b = [False] * len(b)
    while i < len(a) and j < len(b):
        sa, ea = a[i]
        sb, eb = b[j]
        if sa < eb and sb < ea:
            total += (sa - sb) ** 2 + (ea - eb) ** 2
            hit_a[i] = hit_b[j] = True
        if ea <= eb:
            i += 1
        if eb <= ea:
            j += 1
    for units, hit in ((a, hit_a), (b, hit_b)):
        for (s, e), overlapped in zip(units, hit, strict=True):
            if not overlapped:
                total += (e - s) ** 2
    return total


def gap_lengths(units: Sequence[tuple[int, int]], begin: int, end: int) -> list[int]:
    """The lengths of the gaps ``sections`` would cut between merged ``units``."""
    gaps = []
    cursor = begin
    for s, e in units:
        if s > cursor:
            gaps.append(s - cursor)
        cursor = e
    if cursor < end:
        gaps.append(end - cursor)
    return gaps


def expected_disagreement(
    unit_lengths: Mapping[int, int], gap_lengths: Mapping[int, int], coded: int, length: int
) -> float:
    """Krippendorff's expected disagreement for one category:

    D_e = (2/L)·Σ_units [ (N−1)(2l³ − 3l² + l)/3 + l²·Σ_{gaps g ≥ l} (g − l + 1) ]
          / [ mL(mL − 1) − Σ_units l(l − 1) ]

    with ``unit_lengths``/``gap_lengths`` as {length: how many} over every coder, N the number
    of units, ``coded`` = mL (positions coded, summed over coders) and ``length`` = L.
    """
    n_units = sum(unit_lengths.values())
    if n_units == 0 or length == 0:
        return 0.0
    gaps = sorted(gap_lengths.items(), reverse=True)
    numerator = 0.0
    gi = 0
    at_least = with_plus = 0  # over gaps g >= l: how many, and Σ (g + 1)
    for size, count in sorted(unit_lengths.items(), reverse=True):
        while gi < len(gaps) and gaps[gi][0] >= size:
            at_least += gaps[gi][1]
            with_plus += gaps[gi][1] * (gaps[gi][0] + 1)
            gi += 1
        placements = with_plus - size * at_least  # Σ_{g ≥ l} (g − l + 1)
        within = (n_units - 1) * (2 * size**3 - 3 * size**2 + size) / 3
        numerator += count * (within + size * size * placements)
    denominator = coded * (coded - 1) - sum(c * s * (s - 1) for s, c in unit_lengths.items())
    if denominator <= 0:
        return 0.0
    return 2 / length * numerator / denominator


def unitizing_alpha(
    segmentations: Sequence[Iterable[tuple[int, int]]], begin: int, end: int
) -> tuple[float | None, float, float]:
    """(uα, D_o, D_e) of one category on one continuum [begin, end) that every coder
    segmented: ``segmentations`` holds each coder's (start, end) units of the category.

    D_o = Σ_{i≠j} Σ_g Σ_h δ²(g_i, h_j) / (m(m − 1)L²); uα = 1 − D_o/D_e, None when D_e = 0.
    """
    m, length = len(segmentations), end - begin
    cut = [sections(merge_units(units, begin, end), begin, end) for units in segmentations]
    pair_sum = sum(observed_sum(cut[i], cut[j]) for i in range(m) for j in range(i + 1, m))
    observed = 2 * pair_sum / (m * (m - 1) * length * length) if m > 1 and length else 0.0
    units: Counter[int] = Counter()
    gaps: Counter[int] = Counter()
    for coder in cut:
        for _, size, is_unit in coder:
            (units if is_unit else gaps)[size] += 1
    expected = expected_disagreement(units, gaps, m * length, length)
    alpha = None if expected == 0 or m < 2 else 1.0 - observed / expected
    return alpha, observed, expected
