"""Spans and matches grouped by the sentence that holds them, for checks that read an article
sentence by sentence: grouped once per document, as filtering every list again for every
sentence is quadratic on a long text (a whole book suggested as one document)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Container, Iterable, Sequence
from typing import TypeVar

from . import claim_text as T

_Item = TypeVar("_Item")


def by_sentence(
    bounds: Sequence[tuple[int, int]],
    items: Iterable[_Item],
    start: Callable[[_Item], int],
    starts: Sequence[int] | None = None,
) -> list[list[_Item]]:
    """``items`` grouped by the sentence (of ``bounds``, ordered and disjoint) holding their
    start, each group in the items' own order; items outside every sentence are dropped.
    ``starts``: the bounds' starts, when the caller has them."""
    if starts is None:
        starts = [ss for ss, _ in bounds]
    out: list[list[_Item]] = [[] for _ in bounds]
    for item in items:
        x = start(item)
        k = bisect_right(starts, x) - 1
        if k >= 0 and x < bounds[k][1]:
            out[k].append(item)
    return out


def disciplines_by_sentence(
    text: str,
    bounds: Sequence[tuple[int, int]],
    found: list[tuple[int, int, str]],
    only: Container[int] | None = None,
) -> list[list[tuple[int, int, str]]]:
    """``T.disciplines`` of each sentence, taken from ``found`` (those of the whole text): the
    same matches, as long as none crosses the sentence's bounds and no word character follows
    it (its last word could then end differently); such a sentence is scanned on its own.
    With ``only`` (sentence indices), the other sentences are left empty."""
    starts = [s for s, _, _ in found]
    out: list[list[tuple[int, int, str]]] = []
    for k, (ss, se) in enumerate(bounds):
        if only is not None and k not in only:
            out.append([])
            continue
        i = bisect_right(starts, ss - 1)
        j = bisect_right(starts, se - 1)
        mine = found[i:j]
        crossing = (i > 0 and found[i - 1][1] > ss) or any(e > se for _, e, _ in mine)
        if crossing or (se < len(text) and (text[se].isalnum() or text[se] == "_")):
            mine = T.disciplines(text, ss, se)
        out.append(mine)
    return out
