"""The article view's span index: the spans shown, sorted by position, for lookups by
bisection.

An article can be a megabyte with tens of thousands of spans, and every paint, click and key
press asks which spans lie at or around a position: a scan would be felt. Kept apart from the
view (no Qt here) so the index can be reasoned about, and tested, on its own.
"""

from __future__ import annotations

import logging
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from operator import sub

from annotator.core.model import Span, SpanStatus

log = logging.getLogger(__name__)

Key = tuple[int, int, int]  # (start, end, id) in code points: the sort order


class SpanIndex:
    """Spans that fit a text of ``length`` code points, rejected ones left out."""

    def __init__(self) -> None:
        self.by_id: dict[int, Span] = {}
        self.keys: list[Key] = []
        self._starts: list[int] = []
        # Never shrinks on removal: a stale, larger value only widens the bisect window.
        self._max_len = 0
        self.length = 0

    def load(self, spans: Sequence[Span], length: int) -> None:
        # Comprehensions and map(): this runs over every span of a long article on open.
        self.length = length
        rejected = SpanStatus.REJECTED
        by_id: dict[int, Span] = {
            s.id: s for s in spans if s.id is not None and s.status != rejected
        }
        keys: list[Key] = sorted([(s.start, s.end, i) for i, s in by_id.items()])
        starts = [key[0] for key in keys]
        ends = [key[1] for key in keys]
        lengths = list(map(sub, ends, starts))
        if keys and (starts[0] < 0 or min(lengths) <= 0 or max(ends) > length):
            keys = [key for key in keys if self.fits(by_id[key[2]])]
            by_id = {key[2]: by_id[key[2]] for key in keys}
            starts = [key[0] for key in keys]
            lengths = [end - start for start, end, _ in keys]
        self.by_id, self.keys, self._starts = by_id, keys, starts
        self._max_len = max(lengths, default=0)

    def fits(self, span: Span) -> bool:
        if span.status == SpanStatus.REJECTED:
            return False
        if not (0 <= span.start < span.end <= self.length):
            log.warning(
                "span %s (%s:%s) lies outside the text; not shown", span.id, span.start, span.end
            )
            return False
        return True

    def add(self, span: Span) -> bool:
        """Index ``span``; False (and not indexed) if it is rejected or does not fit."""
        if not self.fits(span):
            return False
        assert span.id is not None
        self.by_id[span.id] = span
        key = (span.start, span.end, span.id)
        index = bisect_left(self.keys, key)
        self.keys.insert(index, key)
        self._starts.insert(index, span.start)
        self._max_len = max(self._max_len, span.end - span.start)
        return True

    def drop(self, span: Span) -> None:
        del self.by_id[span.id]  # type: ignore[arg-type]
        key = (span.start, span.end, span.id)
        index = bisect_left(self.keys, key)  # type: ignore[arg-type]
        del self.keys[index]
        del self._starts[index]

    def between(self, lo: int, hi: int) -> list[Key]:
        """Keys of the spans overlapping code points ``lo:hi``, sorted by start."""
        first = bisect_right(self._starts, lo - self._max_len)
        last = bisect_left(self._starts, hi)
        return [key for key in self.keys[first:last] if key[1] > lo]

    def _covering(self, cp: int) -> list[Key]:
        first = bisect_right(self._starts, cp - self._max_len)
        last = bisect_right(self._starts, cp)
        return [key for key in self.keys[first:last] if key[1] > cp]

    def at(self, cp: int, mine: Callable[[Span], bool]) -> int | None:
        """The innermost (shortest) span with start <= cp < end; of equally short ones, one
        that is ``mine`` (a click on words a colleague tagged too picks the user's tag)."""
        best: tuple[int, bool, int] | None = None
        for start, end, span_id in self._covering(cp):
            rank = (end - start, not mine(self.by_id[span_id]), span_id)
            if best is None or rank[:2] < best[:2]:
                best = rank
        return best[2] if best is not None else None

    def all_at(self, cp: int, mine: Callable[[Span], bool]) -> list[Span]:
        """Every span covering ``cp``, innermost first (``mine`` first among equals)."""
        keys = self._covering(cp)
        keys.sort(key=lambda k: (k[1] - k[0], -k[0], not mine(self.by_id[k[2]]), k[2]))
        return [self.by_id[key[2]] for key in keys]
